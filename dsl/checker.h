// Static checks of a parsed policy: names resolve, types agree, codes are unique, every
// locale has its message and its notice (dsl/notice_check.h), `{holes}` name declared facts,
// `hides` has no cycle. Reports every problem it finds, not only the first; fills in
// Expr::type, Expr::fact and Expr::let.
#pragma once

#include "dsl/ast.h"
#include "dsl/diagnostics.h"
#include "dsl/source.h"

namespace kyc::dsl {

void check_policy(Policy& policy, const SourceFile& file, Diagnostics& diags);

// Types a stand-alone expression against a policy's facts and lets (used by policy tests for
// their given values, which must be constants).
void check_expression(Expr& e, const Policy& policy, const SourceFile& file, Diagnostics& diags);

}  // namespace kyc::dsl
