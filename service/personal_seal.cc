#include "service/personal_seal.h"

#include <boost/json.hpp>

#include "common/aead.h"
#include "common/base64.h"
#include "common/exact_json.h"
#include "engine/personal_facts.h"
#include "service/personal_facts.h"
#include "service/recorded_facts.h"

namespace kyc::service {

namespace {

constexpr std::string_view kSealedKey = "sealed";
constexpr std::string_view kHmacKey = "hmac";
// How a sealed value begins in a record's facts text: `{"` never stands inside a JSON string
// unescaped, and a recorded fact is never an object otherwise.
constexpr std::string_view kSealedMarker = "{\"sealed\":";

// Where a value belongs, bound into its seal: the holder as a netstring (an account id may
// hold any character), then the fact's name.
std::string associated_data(const std::string& holder, std::string_view name) {
  std::string out = std::to_string(holder.size()) + ':' + holder;
  out += name;
  return out;
}

std::string_view side_free(std::string_view name) {
  if (name.starts_with("back.")) name.remove_prefix(5);
  return name;
}

// The keyed digest kept beside a sealed value, so that equal values can still be matched
// after an erasure without anyone reading them: a document number as the account store keeps
// it, a photo's hash (the same photo sent twice) under a domain of its own. "" for others.
std::string keyed_digest(const store::DocumentKey& key, std::string_view name,
                         std::string_view value) {
  name = side_free(name);
  if (name == "document.number" || name == "primary.document_number")
    return key.hash(value).value_or("");
  if (name == "file.sha256") return key.mac().hex({"photo-sha256:", value});
  return "";
}

// A record's facts stand at two levels: the facts themselves, and the caller's claims for the
// service's own facts under kWithheldFactsKey (recorded_facts.h), whose names get that prefix.
template <class Visit>
Result<void> each_level(boost::json::object& facts, Visit visit) {
  if (auto done = visit(facts, std::string_view()); !done) return done.error();
  if (auto* claims = facts.if_contains(kWithheldFactsKey); claims && claims->is_object())
    return visit(claims->get_object(), std::string(kWithheldFactsKey) + '.');
  return {};
}

bool is_sealed(const boost::json::value& v) {
  return v.is_object() && v.get_object().contains(kSealedKey);
}

}  // namespace

std::string PersonalSeal::holder_of(const store::AuditRecord& record) {
  return record.account_id.empty() ? day_holder(record.time.substr(0, 10))
                                   : account_holder(record.account_id);
}

PersonalSeal::CachedKey* PersonalSeal::cached(const std::string& holder) {
  auto it = cache_.find(holder);
  if (it == cache_.end()) return nullptr;
  if (std::chrono::steady_clock::now() < it->second.expires) return &it->second;
  cache_.erase(it);
  return nullptr;
}

void PersonalSeal::cache(const std::string& holder, const common::SecretKey& key) {
  if (cache_.size() >= cache_limits_.max_keys) cache_.clear();
  cache_.insert_or_assign(
      holder, CachedKey{key, std::chrono::steady_clock::now() + cache_limits_.key_lifetime, {}});
}

Result<common::SecretKey> PersonalSeal::key_for_writing(const std::string& holder,
                                                        const std::string& now) {
  std::lock_guard lock(mutex_);
  if (auto* entry = cached(holder)) return entry->key;
  auto key = keys_.data_key(holder, now);
  if (!key) return key.error();
  cache(holder, *key);
  return key;
}

Result<std::optional<common::SecretKey>> PersonalSeal::key_for_reading(const std::string& holder,
                                                                       std::string* erased_at) {
  std::lock_guard lock(mutex_);
  if (auto* entry = cached(holder)) return std::optional(entry->key);
  auto found = keys_.find_data_key(holder);
  if (!found) return found.error();
  switch (found->state) {
    case store::DataKeyLookup::State::present:
      cache(holder, *found->key);
      return std::move(found->key);
    case store::DataKeyLookup::State::erased:
      if (erased_at) *erased_at = found->erased_at;
      return std::optional<common::SecretKey>();
    case store::DataKeyLookup::State::never_created:
      break;
  }
  return common::fail("no data key was ever made for " + holder +
                      ": its sealed values come from another data folder or master key");
}

Result<void> PersonalSeal::seal(store::AuditRecord& record, const engine::FactSchema& policy_facts,
                                const std::optional<std::string>& number_hash) {
  boost::system::error_code ec;
  boost::json::value facts = common::parse_json_exact(record.facts, ec);
  if (ec || !facts.is_object()) return common::fail("the record's facts do not parse");
  const std::string holder = holder_of(record);
  std::optional<common::SecretKey> key;
  std::vector<std::string> values;  // withheld from the decision's messages
  auto seal_members = [&](boost::json::object& object, std::string_view prefix) -> Result<void> {
    for (auto& [name, value] : object) {
      if (!policy_facts.is_personal(name) || is_sealed(value)) continue;
      if (!key) {
        auto made = key_for_writing(holder, record.time);
        if (!made) return made.error();
        key = std::move(*made);
      }
      std::string aad = associated_data(holder, std::string(prefix) + std::string(name));
      auto sealed = common::aead::seal(*key, boost::json::serialize(value), aad);
      if (!sealed) return sealed.error();
      boost::json::object replaced{{kSealedKey, common::base64_encode(*sealed)}};
      if (value.is_string()) {
        if (number_hash && prefix.empty() && name == "document.number")
          replaced[kHmacKey] = *number_hash;
        else if (auto digest = keyed_digest(document_key_, name, value.get_string());
                 !digest.empty())
          replaced[kHmacKey] = std::move(digest);
        if (!value.get_string().empty()) values.push_back(as_json_text(value.get_string()));
      }
      value = std::move(replaced);
    }
    return {};
  };
  if (auto done = each_level(facts.get_object(), seal_members); !done) return done.error();
  if (!key) {
    // Nothing personal to seal, yet an erased account still takes no new decisions (a request
    // without a name or a number was recorded for one).
    if (!record.account_id.empty() && erased(record.account_id))
      return common::fail("account " + record.account_id + " was erased");
    return {};
  }
  record.facts = boost::json::serialize(facts);
  record.decision = withhold(std::move(record.decision), std::move(values));
  return {};
}

Result<OpenedFacts> PersonalSeal::open(const store::AuditRecord& record) {
  OpenedFacts out;
  if (record.facts.find(kSealedMarker) == std::string::npos) {  // nothing sealed
    out.facts = record.facts;
    return out;
  }
  boost::system::error_code ec;
  boost::json::value facts = common::parse_json_exact(record.facts, ec);
  if (ec || !facts.is_object()) return common::fail("the record's facts do not parse");
  const std::string holder = holder_of(record);
  std::optional<std::optional<common::SecretKey>> key;  // looked up once, on the first sealed value
  auto open_members = [&](boost::json::object& object, std::string_view prefix) -> Result<void> {
    std::vector<std::string> gone;
    for (auto& [name, value] : object) {
      if (!is_sealed(value)) continue;
      std::string full = std::string(prefix) + std::string(name);
      if (!key) {
        auto found = key_for_reading(holder, &out.erased_at);
        if (!found) return found.error();
        key = std::move(*found);
      }
      if (!*key) {
        out.erased.push_back(full);
        gone.emplace_back(name);
        continue;
      }
      const auto* text = value.get_object().at(kSealedKey).if_string();
      auto bytes = text ? common::base64_decode(*text) : Result<std::string>(common::fail("not text"));
      if (!bytes) return common::fail("fact " + full + ": the sealed value is not base64");
      auto plain = common::aead::open(**key, *bytes, associated_data(holder, full));
      if (!plain)
        return common::fail("fact " + full + " of " + holder + " does not open: " +
                            plain.error().message);
      boost::json::value opened = common::parse_json_exact(*plain, ec);
      if (ec) return common::fail("fact " + full + ": the opened value does not parse");
      if (opened.is_string() && !opened.get_string().empty())
        out.personal.push_back(as_json_text(opened.get_string()));
      value = std::move(opened);
    }
    for (const auto& name : gone) object.erase(name);
    return {};
  };
  if (auto done = each_level(facts.get_object(), open_members); !done) return done.error();
  out.facts = boost::json::serialize(facts);
  return out;
}

Result<void> PersonalSeal::prepare_keys(const std::vector<std::string>& account_ids,
                                        const std::string& now) {
  std::vector<std::string> holders;
  holders.reserve(account_ids.size());
  for (const auto& id : account_ids) holders.push_back(account_holder(id));
  std::lock_guard lock(mutex_);
  auto keys = keys_.data_keys(holders, now);
  if (!keys) return keys.error();
  for (size_t i = 0; i < holders.size(); ++i) cache(holders[i], (*keys)[i]);
  return {};
}

Result<std::string> PersonalSeal::seal_value(const std::string& account_id, std::string_view field,
                                             std::string_view value, const std::string& now) {
  const std::string holder = account_holder(account_id);
  auto key = key_for_writing(holder, now);
  if (!key) return key.error();
  auto sealed = common::aead::seal(*key, value, associated_data(holder, field));
  if (!sealed) return sealed.error();
  return common::base64_encode(*sealed);
}

Result<std::optional<std::string>> PersonalSeal::open_value(const std::string& account_id,
                                                            std::string_view field,
                                                            std::string_view sealed) {
  const std::string holder = account_holder(account_id);
  std::string memo = std::string(field) + '\n' + std::string(sealed);
  {
    std::lock_guard lock(mutex_);
    if (auto* entry = cached(holder))
      if (auto it = entry->opened.find(memo); it != entry->opened.end())
        return std::optional<std::string>(it->second);
  }
  auto key = key_for_reading(holder, nullptr);
  if (!key) return key.error();
  if (!*key) return std::optional<std::string>();
  auto bytes = common::base64_decode(sealed);
  if (!bytes) return common::fail(std::string(field) + " of " + holder + " is not sealed");
  auto plain = common::aead::open(**key, *bytes, associated_data(holder, field));
  if (!plain) return common::fail(std::string(field) + " of " + holder + " does not open: " +
                                  plain.error().message);
  std::lock_guard lock(mutex_);
  if (auto* entry = cached(holder); entry && entry->opened.size() < kOpenedPerKey)
    entry->opened.emplace(std::move(memo), *plain);
  return std::optional<std::string>(std::move(*plain));
}

bool PersonalSeal::erased(const std::string& account_id) {
  auto found = keys_.find_data_key(account_holder(account_id));
  return found && found->state == store::DataKeyLookup::State::erased;
}

Result<store::Erasure> PersonalSeal::erase_holder(const std::string& holder,
                                                  const std::string& now) {
  std::lock_guard lock(mutex_);
  cache_.erase(holder);
  return keys_.erase(holder, now);
}

Result<store::Erasure> PersonalSeal::erase_account(const std::string& account_id,
                                                   const std::string& now) {
  return erase_holder(account_holder(account_id), now);
}

Result<store::Erasure> PersonalSeal::erase_day(const std::string& date, const std::string& now) {
  return erase_holder(day_holder(date), now);
}

Result<OpenedFacts> open_facts(const store::AuditRecord& record, PersonalSeal* seal) {
  if (seal) return seal->open(record);
  if (record.facts.find(kSealedMarker) != std::string::npos)
    return common::fail("the record's personal facts are sealed: the master key is needed");
  return OpenedFacts{record.facts, {}, {}, {}};
}

}  // namespace kyc::service
