#include "engine/fact_schema.h"

#include "engine/personal_facts.h"

namespace kyc::engine {

uint32_t FactSchema::add(FactSlot slot) {
  auto id = static_cast<uint32_t>(slots_.size());
  index_.emplace(slot.name, id);
  for (size_t dot = slot.name.find('.'); dot != std::string::npos;
       dot = slot.name.find('.', dot + 1))
    ++prefixes_[slot.name.substr(0, dot)];
  slots_.push_back(std::move(slot));
  return id;
}

std::optional<uint32_t> FactSchema::find(std::string_view name) const {
  auto it = index_.find(name);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

bool FactSchema::is_prefix(std::string_view prefix) const {
  return prefixes_.find(prefix) != prefixes_.end();
}

bool FactSchema::is_personal(std::string_view name) const {
  if (auto i = find(name)) return slots_[*i].personal;
  return builtin_personal(name);
}

bool service_owned(std::string_view name) {
  return name == "today" || name.starts_with("account.") || name.starts_with("primary.");
}

}  // namespace kyc::engine
