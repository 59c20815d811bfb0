#include "engine/types.h"

namespace kyc::engine {

std::string type_name(Type t) {
  switch (t) {
    case Type::Unknown: return "unknown";
    case Type::Bool: return "bool";
    case Type::Int: return "int";
    case Type::Number: return "number";
    case Type::String: return "string";
    case Type::Date: return "date";
    case Type::Duration: return "duration";
    case Type::List: return "list";
  }
  return "?";
}

std::string type_name(TypeRef t) {
  if (t.kind == Type::List) return "[" + type_name(t.element) + "]";
  return type_name(t.kind);
}

}  // namespace kyc::engine
