#include "service/sealed_accounts.h"

#include <array>
#include <utility>

namespace kyc::service {

namespace {

// The personal fields of primary data, each named by the fact it becomes in a decision (the
// associated data of its seal).
std::array<std::pair<std::string_view, std::string*>, 2> personal_fields(store::PrimaryData& d) {
  return {{{"primary.name", &d.full_name}, {"primary.birth_date", &d.birth_date}}};
}

}  // namespace

Result<store::PrimaryData> SealedAccountStore::sealed(store::PrimaryData data,
                                                      const std::string& now) {
  for (auto [field, value] : personal_fields(data)) {
    if (value->empty()) continue;
    auto s = seal_.seal_value(data.account_id, field, *value, now);
    if (!s) return s.error();
    *value = std::move(*s);
  }
  return data;
}

Result<std::optional<store::PrimaryData>> SealedAccountStore::opened(
    std::optional<store::PrimaryData> data) {
  if (!data) return data;
  for (auto [field, value] : personal_fields(*data)) {
    if (value->empty()) continue;
    auto o = seal_.open_value(data->account_id, field, *value);
    if (!o) return o.error();
    if (!*o) return std::optional<store::PrimaryData>();  // erased
    *value = std::move(**o);
  }
  return data;
}

Result<void> SealedAccountStore::set_primary(const store::PrimaryData& data,
                                             const std::string& now) {
  auto s = sealed(data, now);
  if (!s) return s.error();
  return inner_.set_primary(*s, now);
}

Result<void> SealedAccountStore::set_primary_batch(const std::vector<store::PrimaryData>& batch,
                                                   const std::string& now) {
  std::vector<std::string> ids;
  ids.reserve(batch.size());
  for (const auto& d : batch) ids.push_back(d.account_id);
  if (auto ready = seal_.prepare_keys(ids, now); !ready) return ready.error();
  std::vector<store::PrimaryData> out;
  out.reserve(batch.size());
  for (const auto& d : batch) {
    auto s = sealed(d, now);
    if (!s) return s.error();
    out.push_back(std::move(*s));
  }
  return inner_.set_primary_batch(out, now);
}

Result<std::optional<store::PrimaryData>> SealedAccountStore::primary(
    const std::string& account_id) {
  auto p = inner_.primary(account_id);
  if (!p) return p.error();
  return opened(std::move(*p));
}

Result<store::AccountReading> SealedAccountStore::read_for_decision(
    const std::string& account_id, const std::optional<std::string>& document_hash) {
  auto reading = inner_.read_for_decision(account_id, document_hash);
  if (!reading) return reading.error();
  auto p = opened(std::move(reading->primary));
  if (!p) return p.error();
  reading->primary = std::move(*p);
  return reading;
}

}  // namespace kyc::service
