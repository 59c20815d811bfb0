// A fact or intermediate value during evaluation: 16 bytes, trivially copyable, never owns
// memory. Strings and lists point into storage owned by the FactFrame, the CompiledPolicy or
// the evaluator's StringArena, all of which outlive one evaluation.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/types.h"

namespace kyc::engine {

struct Value {
  enum class Kind : uint8_t {
    Missing,
    Bool,
    Int,
    Number,
    String,
    Date,
    Duration,
    Period,
    List,
    Map,  // `len` keys (strings, in shorter_first order) at `items`, then their `len` values
  };

  Kind kind = Kind::Missing;
  // For Missing: true when every absent input behind this value is an optional fact (`T?`).
  // Such an absence makes an atom false instead of unknown.
  bool optional = false;
  uint32_t len = 0;  // string bytes or list items
  union {
    bool b;
    int64_t i;
    double d;
    const char* s;
    int32_t days;  // Date: days since 1970-01-01; Duration: whole days; Period: months
    const Value* items;
  };

  Value() : i(0) {}

  static Value missing(bool optional) {
    Value v;
    v.optional = optional;
    return v;
  }
  static Value unknown() { return missing(false); }
  static Value boolean(bool x) {
    Value v;
    v.kind = Kind::Bool;
    v.b = x;
    return v;
  }
  static Value integer(int64_t x) {
    Value v;
    v.kind = Kind::Int;
    v.i = x;
    return v;
  }
  static Value number(double x) {
    Value v;
    v.kind = Kind::Number;
    v.d = x;
    return v;
  }
  static Value string(std::string_view x) {
    Value v;
    v.kind = Kind::String;
    v.s = x.data();
    v.len = static_cast<uint32_t>(x.size());
    return v;
  }
  static Value date(int32_t days) {
    Value v;
    v.kind = Kind::Date;
    v.days = days;
    return v;
  }
  static Value duration(int32_t days) {
    Value v;
    v.kind = Kind::Duration;
    v.days = days;
    return v;
  }
  static Value period(int32_t months) {
    Value v;
    v.kind = Kind::Period;
    v.days = months;
    return v;
  }
  static Value list(const Value* items, uint32_t n) {
    Value v;
    v.kind = Kind::List;
    v.items = items;
    v.len = n;
    return v;
  }
  // `keys_then_values` holds 2n values: the sorted keys, then the value of each key.
  static Value map(const Value* keys_then_values, uint32_t n) {
    Value v = list(keys_then_values, n);
    v.kind = Kind::Map;
    return v;
  }

  bool is_missing() const { return kind == Kind::Missing; }
  bool is_true() const { return kind == Kind::Bool && b; }
  std::string_view str() const { return {s, len}; }
  // Map: the value stored under `key`, or null.
  const Value* find(std::string_view key) const;
  double as_double() const { return kind == Kind::Int ? static_cast<double>(i) : d; }
};

// Human text of a value, used in messages and evidence: dates as YYYY-MM-DD, numbers in their
// shortest round-trip form.
std::string to_text(const Value& v);

}  // namespace kyc::engine
