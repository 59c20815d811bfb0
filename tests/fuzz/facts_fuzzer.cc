// JSON facts -> FactFrame against a policy with every fact type, then one evaluation and
// its explanation. Hostile JSON must give errors, never a crash.
#include <cstdint>
#include <string>

#include "dsl/policy_loader.h"
#include "engine/json/decision.h"
#include "engine/json/facts_reader.h"

namespace {
const char* kPolicy = R"(policy "fuzz" {
  version "1"
  locales en
}
facts {
  a.b : int
  a.c : number
  s : string
  d : date?
  flag : bool
  tags : [string]
  today : date
}
reason R {
  outcome review
  when a.b > 3 or a.c < 0.5 or d < today or not flag or "x" in tags or name_similarity(s, "JOHN") < 0.5
  message en { title "t" detail "{a.b} {s} {d}" action "a" }
}
)";
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static auto loaded = kyc::dsl::load_policy("fuzz.policy", kPolicy);
  if (!loaded.ok()) __builtin_trap();
  kyc::engine::FactFrame frame(loaded.compiled->schema);
  auto result =
      kyc::engine::parse_facts(std::string_view(reinterpret_cast<const char*>(data), size), frame);
  kyc::engine::Evaluator ev(*loaded.compiled);
  const auto& verdict = ev.evaluate(frame);
  (void)kyc::engine::decision_json(kyc::engine::explain(ev, frame, verdict, "en"));
  return 0;
}
