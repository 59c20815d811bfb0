// Runs a CompiledPolicy over a FactFrame with three-valued (Kleene) logic. A warmed-up
// evaluator does not allocate: results go into a Verdict sized once per policy.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/compiled_policy.h"
#include "engine/fact_frame.h"
#include "engine/string_arena.h"

namespace kyc::engine {

enum class ReasonState : uint8_t { NotFired, Fired, Undetermined, Hidden };

struct Verdict {
  Outcome outcome = Outcome::Approve;
  std::vector<ReasonState> reasons;  // by reason index
  size_t fired() const;
};

class Evaluator {
 public:
  explicit Evaluator(const CompiledPolicy& policy);

  const Verdict& evaluate(const FactFrame& facts);
  // One node's value; strings it returns live until the next evaluate().
  Value eval(uint32_t node, const FactFrame& facts);
  const CompiledPolicy& policy() const { return *policy_; }

 private:
  Outcome apply_hides();
  Value operand(uint32_t index, const FactFrame& f);
  Value eager_connective(const Node& n, const FactFrame& f);
  Value in_set(const Node& n, const Value& needle) const;
  Value compare(const Node& n, const FactFrame& f);
  Value arithmetic(const Node& n, const FactFrame& f);
  Value membership(const Node& n, const FactFrame& f);
  Value call(const Node& n, const FactFrame& f);

  const CompiledPolicy* policy_;
  Verdict verdict_;
  StringArena arena_;
};

}  // namespace kyc::engine
