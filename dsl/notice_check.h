// Checks of the notice blocks (`notice LOCALE { ... }`): every part (subject, greeting, intro,
// closing) has a text for every outcome in every locale of the header, written once for all
// outcomes or once per outcome, and its `{holes}` name constants only.
#pragma once

#include "dsl/ast.h"
#include "dsl/diagnostics.h"
#include "dsl/source.h"

namespace kyc::dsl {

// A policy without any notice passes: it was written before notices were, and the notice
// endpoint says it has none. Once one locale has a notice, every locale needs one.
void check_notices(const Policy& policy, const SourceFile& file, Diagnostics& diags);

}  // namespace kyc::dsl
