// The policy language's value types, shared by the checker (dsl) and the evaluator.
#pragma once

#include <cstdint>
#include <string>

namespace kyc::engine {

enum class Type : uint8_t {
  Unknown,  // not yet inferred, or the result of an error (suppresses follow-up errors)
  Bool,
  Int,
  Number,
  String,
  Date,
  Duration,  // whole days
  Period,    // a calendar duration: whole months (N years, N months), whose days vary
  List,      // element type kept beside it in TypeRef
  Map,       // a table: string keys, values of the element type (a constant only)
};

// A full type: scalar kind plus, for lists, the element kind (for tables, the value kind).
struct TypeRef {
  Type kind = Type::Unknown;
  Type element = Type::Unknown;

  friend bool operator==(const TypeRef&, const TypeRef&) = default;
  bool is_numeric() const { return kind == Type::Int || kind == Type::Number; }
};

std::string type_name(TypeRef t);
std::string type_name(Type t);

}  // namespace kyc::engine
