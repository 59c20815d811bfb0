// The facts a policy declares: names resolved once to slot numbers, so evaluation never
// looks a name up.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/types.h"

namespace kyc::engine {

struct FactSlot {
  std::string name;  // dotted, e.g. "document.expiry"
  TypeRef type;
  bool optional = false;  // declared `T?`
  // Marked `personal` in the policy, or one of the service's own (engine/personal_facts.h):
  // its value is withheld from roles that do not audit, and sealed at rest.
  bool personal = false;
};

// Facts the service fills itself: the account store's (`account.*`, `primary.*`) and its
// clock (`today`). A caller's values for them are never taken unless it is an admin (tests,
// corrections): otherwise a caller could say its document is on no other account.
bool service_owned(std::string_view name);

class FactSchema {
 public:
  uint32_t add(FactSlot slot);
  std::optional<uint32_t> find(std::string_view name) const;
  const FactSlot& slot(uint32_t i) const { return slots_[i]; }
  size_t size() const { return slots_.size(); }
  const std::vector<FactSlot>& slots() const { return slots_; }
  // True when some declared fact starts with `prefix.`: lets the JSON reader tell a nested
  // object that leads to facts from an unknown key.
  bool is_prefix(std::string_view prefix) const;
  // True for a declared fact marked personal, and for the service's own personal facts
  // whether declared or not (a record holds facts the policy need not declare: back.*).
  bool is_personal(std::string_view name) const;

 private:
  // Transparent hashing: lookups by string_view do not build a std::string.
  struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::vector<FactSlot> slots_;
  std::unordered_map<std::string, uint32_t, NameHash, std::equal_to<>> index_;
  std::unordered_map<std::string, int, NameHash, std::equal_to<>> prefixes_;
};

}  // namespace kyc::engine
