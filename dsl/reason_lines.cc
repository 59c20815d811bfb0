#include "dsl/reason_lines.h"

namespace kyc::dsl {

std::vector<ReasonLines> reason_lines(const Policy& policy, const SourceFile& file) {
  std::vector<ReasonLines> out;
  for (const auto& item : policy.items) {
    if (item.kind != Policy::ItemKind::Reason) continue;
    const Reason& r = policy.reasons[item.index];
    // `end` is the byte after the closing brace.
    uint32_t last = item.end > item.offset ? item.end - 1 : item.offset;
    out.push_back({r.code.text, file.locate(item.offset).line, file.locate(last).line,
                   r.when ? file.locate(r.when_offset).line : 0});
  }
  return out;
}

}  // namespace kyc::dsl
