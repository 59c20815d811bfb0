// Diagnostics as JSON, for editors, CI and the API: one object per problem with its severity,
// line, column, message and the caret text a person reads.
#pragma once

#include <boost/json/array.hpp>

#include "dsl/diagnostics.h"
#include "dsl/source.h"

namespace kyc::dsl {

boost::json::array diagnostics_json(const SourceFile& file, const Diagnostics& diags);

}  // namespace kyc::dsl
