// One submission's facts, one slot per declared fact. Owns the bytes of its strings and lists
// so that Values can point into it.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/fact_schema.h"
#include "engine/string_arena.h"
#include "engine/value.h"

namespace kyc::engine {

class FactFrame {
 public:
  explicit FactFrame(const FactSchema& schema);
  // Values point into this frame's own storage: a copy would point into the original.
  FactFrame(const FactFrame&) = delete;
  FactFrame& operator=(const FactFrame&) = delete;
  FactFrame(FactFrame&&) = default;  // moves keep the addresses of strings and list items
  FactFrame& operator=(FactFrame&&) = default;

  const FactSchema& schema() const { return *schema_; }
  const Value& get(uint32_t slot) const { return values_[slot]; }
  // Copies string and list contents into the frame.
  void set(uint32_t slot, const Value& v);
  void set_string(uint32_t slot, std::string_view s);
  void set_list(uint32_t slot, const std::vector<Value>& items);
  void clear(uint32_t slot);
  // Every slot missing again; keeps the memory for the next submission.
  void reset();
  bool has(uint32_t slot) const { return !values_[slot].is_missing(); }

 private:
  std::string_view keep(std::string_view s);

  const FactSchema* schema_;
  std::vector<Value> values_;
  // One small chunk holds a submission's strings, close to its values: evaluation touches
  // fewer cache lines than with a heap block per string. Chunks never move.
  StringArena strings_{256};
  // Boxed so that a frame without lists allocates nothing for them (a std::deque would).
  std::vector<std::unique_ptr<std::vector<Value>>> lists_;
};

}  // namespace kyc::engine
