#include "engine/value.h"

#include <algorithm>
#include <charconv>

#include "common/civil_date.h"

namespace kyc::engine {

const Value* Value::find(std::string_view key) const {
  // Keys are sorted shorter first, then by bytes (the order of constant sets).
  auto shorter_first = [](std::string_view a, std::string_view b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  };
  const Value* end = items + len;
  const Value* it = std::lower_bound(items, end, key, [&](const Value& item, std::string_view k) {
    return shorter_first(item.str(), k);
  });
  return it != end && it->str() == key ? it + len : nullptr;
}

std::string to_text(const Value& v) {
  switch (v.kind) {
    case Value::Kind::Missing:
      return "(missing)";
    case Value::Kind::Bool:
      return v.b ? "true" : "false";
    case Value::Kind::Int:
      return std::to_string(v.i);
    case Value::Kind::Number: {
      char buf[32];
      auto r = std::to_chars(buf, buf + sizeof buf, v.d);
      return std::string(buf, r.ptr);
    }
    case Value::Kind::String:
      return std::string(v.str());
    case Value::Kind::Date:
      return common::format_date(v.days);
    case Value::Kind::Duration:
      return std::to_string(v.days) + " days";
    case Value::Kind::Period:
      return v.days % 12 == 0 ? std::to_string(v.days / 12) + " years"
                              : std::to_string(v.days) + " months";
    case Value::Kind::Map: {
      std::string out = "{";
      for (uint32_t k = 0; k < v.len; ++k) {
        if (k) out += ", ";
        out += '"' + to_text(v.items[k]) + "\": " + to_text(v.items[v.len + k]);
      }
      return out + "}";
    }
    case Value::Kind::List: {
      std::string out = "[";
      for (uint32_t k = 0; k < v.len; ++k) {
        if (k) out += ", ";
        out += to_text(v.items[k]);
      }
      return out + "]";
    }
  }
  return "";
}

}  // namespace kyc::engine
