// A checked ast::Policy -> engine::CompiledPolicy: facts become slots, `let`s and every
// sub-expression without facts are folded to constants, constant `in` lists become sorted
// sets, message holes are resolved. Call only on a policy the checker accepted. A constant
// expression without a value (`1 / 0`, an int past int64) is reported to `diagnostics`.
#pragma once

#include <memory>

#include "dsl/ast.h"
#include "dsl/diagnostics.h"
#include "dsl/source.h"
#include "engine/compiled_policy.h"

namespace kyc::dsl {

std::unique_ptr<engine::CompiledPolicy> compile_policy(const Policy& policy,
                                                       const SourceFile& source,
                                                       Diagnostics& diagnostics);

// Folds a constant expression (a checked one without facts) to a value whose strings and
// lists live in `storage`.
engine::Value fold_constant(const Expr& e, const Policy& policy, engine::CompiledPolicy& storage);

}  // namespace kyc::dsl
