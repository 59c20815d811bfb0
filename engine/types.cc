#include "engine/types.h"

namespace kyc::engine {

std::string type_name(Type t) {
  switch (t) {
    case Type::Unknown:
      return "unknown";
    case Type::Bool:
      return "bool";
    case Type::Int:
      return "int";
    case Type::Number:
      return "number";
    case Type::String:
      return "string";
    case Type::Date:
      return "date";
    case Type::Duration:
      return "duration";
    case Type::Period:
      return "calendar duration";
    case Type::List:
      return "list";
    case Type::Map:
      return "table";
  }
  return "?";
}

std::string type_name(TypeRef t) {
  if (t.kind == Type::Map) return "table of " + type_name(t.element);
  if (t.kind != Type::List) return type_name(t.kind);
  // Built with append rather than "[" + s: GCC 12 -O3 warns falsely (-Wrestrict, PR105329).
  std::string out = "[";
  out += type_name(t.element);
  out += ']';
  return out;
}

}  // namespace kyc::engine
