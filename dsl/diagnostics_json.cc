#include "dsl/diagnostics_json.h"

#include <boost/json.hpp>

#include "common/utf8.h"

namespace kyc::dsl {

boost::json::array diagnostics_json(const SourceFile& file, const Diagnostics& diags) {
  boost::json::array out;
  for (const auto& d : diags.items())
    out.push_back({{"file", file.name()},
                   {"severity", d.severity == Severity::Error ? "error" : "warning"},
                   {"line", d.location.line},
                   {"column", d.location.column},
                   {"message", common::repaired_utf8(d.message)},
                   {"text", format_diagnostic(file, d)}});
  return out;
}

}  // namespace kyc::dsl
