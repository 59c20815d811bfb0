// Helpers shared by the dsl/ and engine/ tests: load a policy from text, evaluate facts from JSON.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "dsl/policy_loader.h"
#include "engine/json/decision.h"
#include "engine/evaluator.h"
#include "engine/json/facts_reader.h"

namespace kyc::test_support {

inline dsl::LoadedPolicy load_ok(const std::string& text) {
  auto loaded = dsl::load_policy("test.policy", text);
  EXPECT_TRUE(loaded.ok()) << loaded.report();
  return loaded;
}

// Evaluates JSON facts and returns the decision (facts must read without errors).
inline engine::Decision decide(const engine::CompiledPolicy& policy,
                               const std::string& facts_json) {
  engine::FactFrame frame(policy.schema);
  auto read = engine::parse_facts(facts_json, frame);
  EXPECT_TRUE(read.ok()) << (read.errors.empty()
                                 ? ""
                                 : read.errors[0].path + ": " + read.errors[0].message);
  engine::Evaluator ev(policy);
  const auto& verdict = ev.evaluate(frame);
  auto d = engine::explain(ev, frame, verdict, "en");
  d.ignored_facts = read.ignored;
  return d;
}

inline std::string codes(const engine::Decision& d) {
  std::string out;
  for (const auto& r : d.reasons) out += (out.empty() ? "" : ",") + r.code;
  return out;
}

inline std::string undetermined_codes(const engine::Decision& d) {
  std::string out;
  for (const auto& r : d.undetermined) out += (out.empty() ? "" : ",") + r.code;
  return out;
}

}  // namespace kyc::test_support
