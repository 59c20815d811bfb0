// Where each reason is written: the lines of its block and of its `when`. The console marks
// them beside a recorded policy, so that an auditor sees the rules a decision fired.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dsl/ast.h"
#include "dsl/source.h"

namespace kyc::dsl {

struct ReasonLines {
  std::string code;
  uint32_t line = 0;       // of `reason CODE {`
  uint32_t end_line = 0;   // of its closing `}`
  uint32_t when_line = 0;  // of its `when`; 0 when it has none
};

// One entry per reason, in source order (a parsed policy, errors or not).
std::vector<ReasonLines> reason_lines(const Policy& policy, const SourceFile& file);

}  // namespace kyc::dsl
