#include "engine/json/facts_json.h"

#include <cmath>

#include "common/civil_date.h"
#include "common/json_text.h"

namespace kyc::engine {

namespace {

void append_value(std::string& out, const Value& v) {
  switch (v.kind) {
    case Value::Kind::Missing:
      out += "null";
      return;
    case Value::Kind::Bool:
      out += v.b ? "true" : "false";
      return;
    case Value::Kind::Int:
      return common::append_json_number(out, v.i);
    case Value::Kind::Number:
      // As Boost.JSON writes them, so that the text reads back to the same value.
      if (std::isnan(v.d))
        out += "null";
      else if (std::isinf(v.d))
        out += v.d > 0 ? "1e99999" : "-1e99999";
      else
        common::append_json_number(out, v.d);
      return;
    case Value::Kind::String:
      return common::append_json_string(out, v.str());
    case Value::Kind::Date:
      return common::append_json_string(out, common::format_date(v.days));
    case Value::Kind::Duration:
      return common::append_json_number(out, v.days);
    case Value::Kind::Period:
      return common::append_json_string(out, to_text(v));
    case Value::Kind::Map:  // facts are never tables; a constant might be shown as one
      out += '{';
      for (uint32_t k = 0; k < v.len; ++k) {
        if (k) out += ',';
        common::append_json_string(out, v.items[k].str());
        out += ':';
        append_value(out, v.items[v.len + k]);
      }
      out += '}';
      return;
    case Value::Kind::List:
      out += '[';
      for (uint32_t k = 0; k < v.len; ++k) {
        if (k) out += ',';
        append_value(out, v.items[k]);
      }
      out += ']';
      return;
  }
}

}  // namespace

std::string facts_json(const FactFrame& frame) {
  std::string out;
  out.reserve(512);
  out += '{';
  const auto& schema = frame.schema();
  for (uint32_t slot = 0; slot < schema.size(); ++slot) {
    if (!frame.has(slot)) continue;
    if (out.size() > 1) out += ',';
    common::append_json_string(out, schema.slot(slot).name);
    out += ':';
    append_value(out, frame.get(slot));
  }
  out += '}';
  return out;
}

}  // namespace kyc::engine
