// Canonical text of an expression: single spaces around operators, parentheses only where
// precedence needs them. Used by `kyc fmt` and for the atom texts shown as evidence.
#pragma once

#include <string>

#include "dsl/ast.h"

namespace kyc::dsl {

std::string print_expr(const Expr& e);

}  // namespace kyc::dsl
