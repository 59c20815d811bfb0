// Policy text -> parser, checker, compiler, formatter and the test-file parser. Whatever the
// bytes, loading must end in a policy or in diagnostics, never a crash; a policy that loads
// must format to text that loads again.
#include <cstdint>
#include <string>

#include "dsl/formatter.h"
#include "dsl/parser.h"
#include "dsl/policy_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto loaded = kyc::dsl::load_policy("fuzz.policy", text);
  (void)loaded.report();
  if (loaded.ok()) {
    std::string formatted = kyc::dsl::format_policy(loaded.ast, *loaded.source);
    auto again = kyc::dsl::load_policy("fuzz.policy", formatted);
    if (!again.ok()) __builtin_trap();  // fmt must never break a valid policy
  }
  kyc::dsl::Diagnostics diags;
  kyc::dsl::SourceFile tests("fuzz.test", text);
  (void)kyc::dsl::parse_tests(tests, diags);
  return 0;
}
