#include "engine/json/facts_reader.h"

#include <algorithm>
#include <cmath>

#include <boost/json/stream_parser.hpp>

#include "common/civil_date.h"

namespace kyc::engine {

namespace {

std::string json_kind(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null:
      return "null";
    case boost::json::kind::bool_:
      return "a boolean";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
      return "an integer";
    case boost::json::kind::double_:
      return "a number";
    case boost::json::kind::string:
      return "a string";
    case boost::json::kind::array:
      return "an array";
    case boost::json::kind::object:
      return "an object";
  }
  return "?";
}

// Converts one JSON scalar to a value of type `t`, or explains why it cannot.
bool convert(const boost::json::value& j, Type t, Value& out, std::string& why) {
  switch (t) {
    case Type::Bool:
      if (!j.is_bool()) break;
      out = Value::boolean(j.get_bool());
      return true;
    case Type::Int:
      if (j.is_int64()) {
        out = Value::integer(j.get_int64());
        return true;
      }
      if (j.is_uint64() && j.get_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
        out = Value::integer(static_cast<int64_t>(j.get_uint64()));
        return true;
      }
      break;
    case Type::Number:
      if (j.is_int64() || j.is_uint64() || j.is_double()) {
        double d = j.is_double()  ? j.get_double()
                   : j.is_int64() ? static_cast<double>(j.get_int64())
                                  : static_cast<double>(j.get_uint64());
        if (!std::isfinite(d)) {
          why = "expected a finite number";
          return false;
        }
        out = Value::number(d);
        return true;
      }
      break;
    case Type::String:
      if (!j.is_string()) break;
      out = Value::string(j.get_string());
      return true;
    case Type::Date:
      if (j.is_string()) {
        if (auto days = common::parse_date(j.get_string())) {
          out = Value::date(*days);
          return true;
        }
        std::string_view text = j.get_string();
        bool shaped = text.size() == 10 && text[4] == '-' && text[7] == '-' &&
                      std::all_of(text.begin(), text.end(),
                                  [](char c) { return c == '-' || (c >= '0' && c <= '9'); });
        why = shaped ? "\"" + std::string(text) + "\" is no day of the calendar"
                     : "expected a date as \"YYYY-MM-DD\", got \"" + std::string(text) + "\"";
        return false;
      }
      break;
    case Type::Duration:
      if (!j.is_int64() && !j.is_uint64()) break;
      // Days are int32: cut to 32 bits, -4294967200 read as 96 days.
      if (!j.is_int64() || j.get_int64() < INT32_MIN || j.get_int64() > INT32_MAX) {
        why = "expected a duration in whole days between " + std::to_string(INT32_MIN) + " and " +
              std::to_string(INT32_MAX);
        return false;
      }
      out = Value::duration(static_cast<int32_t>(j.get_int64()));
      return true;
    default:
      break;
  }
  why = "expected " + type_name(t) + ", got " + json_kind(j);
  return false;
}

struct Reader {
  FactFrame& frame;
  const FactsOptions& options;
  FactsResult result;
  std::vector<bool> seen;  // by slot: a fact may be named once, nested or dotted

  void set_fact(std::string_view path, uint32_t slot, const boost::json::value& j) {
    if (seen[slot]) {
      result.errors.push_back({std::string(path), "fact given twice (nested and dotted)"});
      return;
    }
    seen[slot] = true;
    if (j.is_null()) {
      frame.clear(slot);
      return;
    }
    const FactSlot& decl = frame.schema().slot(slot);
    std::string why;
    if (decl.type.kind == Type::List) {
      if (!j.is_array()) {
        result.errors.push_back(
            {std::string(path), "expected " + type_name(decl.type) + ", got " + json_kind(j)});
        return;
      }
      std::vector<Value> items;
      for (size_t k = 0; k < j.get_array().size(); ++k) {
        Value item;
        if (!convert(j.get_array()[k], decl.type.element, item, why)) {
          result.errors.push_back({std::string(path) + "[" + std::to_string(k) + "]", why});
          return;
        }
        items.push_back(item);
      }
      frame.set_list(slot, items);
      return;
    }
    Value v;
    if (!convert(j, decl.type.kind, v, why)) {
      result.errors.push_back({std::string(path), why});
      return;
    }
    frame.set(slot, v);
  }

  void walk(const std::string& prefix, const boost::json::object& obj) {
    std::string nested;
    for (const auto& [key, j] : obj) {
      // Top-level keys (most often dotted names) are looked up as they are, without a copy.
      std::string_view path = key;
      if (!prefix.empty()) path = nested = prefix + "." + std::string(key);
      if (options.withheld && options.withheld(path)) {
        result.ignored.emplace_back(path);
      } else if (auto slot = frame.schema().find(path)) {
        set_fact(path, *slot, j);
      } else if (j.is_object() && frame.schema().is_prefix(path)) {
        walk(std::string(path), j.get_object());
      } else if (options.strict) {
        result.errors.push_back(
            {std::string(path), "unknown fact (the policy does not declare it)"});
      } else {
        result.ignored.emplace_back(path);
      }
    }
  }
};

}  // namespace

FactsResult read_facts(const boost::json::value& json, FactFrame& frame,
                       const FactsOptions& options) {
  if (!json.is_object()) {
    FactsResult r;
    r.errors.push_back({"", "facts must be a JSON object, got " + json_kind(json)});
    return r;
  }
  return read_facts(json.get_object(), frame, options);
}

FactsResult read_facts(const boost::json::object& json, FactFrame& frame,
                       const FactsOptions& options) {
  Reader reader{frame, options, {}, std::vector<bool>(frame.schema().size())};
  reader.walk("", json);
  return std::move(reader.result);
}

FactsResult parse_facts(std::string_view text, FactFrame& frame, const FactsOptions& options) {
  if (text.size() > options.max_text_bytes) {
    FactsResult r;
    r.errors.push_back(
        {"", "facts document is over " + std::to_string(options.max_text_bytes) + " bytes"});
    return r;
  }
  boost::json::parse_options po;
  po.max_depth = options.max_depth;
  boost::json::stream_parser parser({}, po);
  boost::system::error_code ec;
  size_t used = parser.write_some(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (!ec && text.find_first_not_of(" \t\r\n", used) != std::string_view::npos) {
    FactsResult r;
    r.errors.push_back(
        {"", "invalid JSON at byte " + std::to_string(used) + ": extra data after the document",
         used});
    return r;
  }
  if (ec) {
    FactsResult r;
    r.errors.push_back(
        {"", "invalid JSON at byte " + std::to_string(used) + ": " + ec.message(), used});
    return r;
  }
  return read_facts(parser.release(), frame, options);
}

}  // namespace kyc::engine
