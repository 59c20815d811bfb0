// The optional-fact trap, caught at load time. A test on an absent optional fact (`T?`) is
// false, so a negative test reads the wrong way round: with no nationality,
// `document.nationality not in GERMANY` is false, and `... not in GERMANY and
// account.document_accounts >= 1` then never fires, whatever the account count. `not x` on an
// absent optional bool is true. Each negative test (`!=`, `not in`, `not`) on an optional
// fact that no `is missing` / `is present` beside it guards gets a warning with the fix.
#pragma once

#include "dsl/ast.h"
#include "dsl/diagnostics.h"
#include "dsl/source.h"

namespace kyc::dsl {

// Runs over checked reasons (Expr::fact filled in).
void warn_unguarded_negations(const Policy& policy, const SourceFile& file, Diagnostics& diags);

}  // namespace kyc::dsl
