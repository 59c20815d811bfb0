#include "engine/fact_frame.h"

namespace kyc::engine {

FactFrame::FactFrame(const FactSchema& schema) : schema_(&schema) {
  values_.reserve(schema.size());
  for (const auto& slot : schema.slots()) values_.push_back(Value::missing(slot.optional));
}

std::string_view FactFrame::keep(std::string_view s) { return strings_.copy(s); }

void FactFrame::set(uint32_t slot, const Value& v) {
  if (v.kind == Value::Kind::String) return set_string(slot, v.str());
  if (v.kind == Value::Kind::List) return set_list(slot, {v.items, v.items + v.len});
  if (v.is_missing()) return clear(slot);
  values_[slot] = v;
}

void FactFrame::set_string(uint32_t slot, std::string_view s) {
  values_[slot] = Value::string(keep(s));
}

void FactFrame::set_list(uint32_t slot, const std::vector<Value>& items) {
  auto& stored = *lists_.emplace_back(std::make_unique<std::vector<Value>>(items));
  for (auto& item : stored)
    if (item.kind == Value::Kind::String) item = Value::string(keep(item.str()));
  values_[slot] = Value::list(stored.data(), static_cast<uint32_t>(stored.size()));
}

void FactFrame::reset() {
  for (uint32_t slot = 0; slot < values_.size(); ++slot)
    values_[slot] = Value::missing(schema_->slot(slot).optional);
  strings_.reset();
  lists_.clear();
}

void FactFrame::clear(uint32_t slot) {
  values_[slot] = Value::missing(schema_->slot(slot).optional);
}

}  // namespace kyc::engine
