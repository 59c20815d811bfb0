#include "store/chained_rows.h"

#include <boost/json.hpp>

namespace kyc::store {

std::string link_row_key(const std::string& document_hash, const std::string& account_id) {
  return document_hash + " " + account_id;  // the hash is hex: the first space splits them
}

RowState link_row(const ChainKey& key, const std::string& document_hash,
                  const std::string& account_id, const std::string& decision_id,
                  const std::string& linked_at) {
  return {"document_links", link_row_key(document_hash, account_id),
          row_digest(key, "document_links", {document_hash, account_id, decision_id, linked_at})};
}

RowState attempts_row(const ChainKey& key, const std::string& account_id, int64_t total,
                      int64_t failed) {
  return {"attempts", account_id,
          row_digest(key, "attempts", {account_id, std::to_string(total), std::to_string(failed)})};
}

RowState account_row(const ChainKey& key, const std::string& account_id,
                     const std::string& full_name, const std::string& birth_date,
                     const std::string& country, const std::string& document_type,
                     const std::string& document_hash, const std::string& updated_at) {
  return {"accounts", account_id,
          row_digest(key, "accounts",
                     {account_id, full_name, birth_date, country, document_type, document_hash,
                      updated_at})};
}

AuditRecord chain_scheme_record(const ChainKey& key, bool had_records,
                                const std::vector<RowState>& rows) {
  AuditRecord r;
  r.stage = kChainSchemeStage;
  r.decision =
      boost::json::serialize(boost::json::object{{"scheme", "hmac-sha256"},
                                                 {"key_id", key.id()},
                                                 {"previous", had_records ? "sha256" : "none"},
                                                 {"rows", static_cast<int64_t>(rows.size())}});
  r.effects = effects_json(rows);
  return r;
}

AuditRecord account_change_record(const std::vector<RowState>& rows, const std::string& now) {
  AuditRecord r;
  r.stage = kAccountChangeStage;
  r.time = now;
  r.decision = boost::json::serialize(
      boost::json::object{{"change", "primary data"}, {"accounts", rows.size()}});
  r.effects = effects_json(rows);
  return r;
}

}  // namespace kyc::store
