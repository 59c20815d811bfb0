#include "service/audit_csv.h"

#include <boost/json.hpp>

#include "common/csv_field.h"

namespace kyc::service {

const char* const kAuditCsvHeader =
    "decision_id,evaluated_at,account_id,outcome,reason_codes,policy_version,policy_sha256,facts,"
    "decision\n";

std::string audit_csv_row(const store::AuditRecord& r) {
  namespace json = boost::json;
  // The decision JSON as answered holds the outcome, the fired reasons and the policy version.
  std::string outcome, codes, version;
  boost::system::error_code ec;
  json::value decision = json::parse(r.decision, ec);
  if (!ec && decision.is_object()) {
    const auto& d = decision.get_object();
    if (auto* o = d.if_contains("outcome"); o && o->is_string()) outcome = o->get_string();
    if (auto* reasons = d.if_contains("reasons"); reasons && reasons->is_array())
      for (const auto& reason : reasons->get_array())
        if (auto* code = reason.is_object() ? reason.get_object().if_contains("code") : nullptr;
            code && code->is_string())
          codes += (codes.empty() ? "" : ";") + std::string(code->get_string());
    if (auto* policy = d.if_contains("policy"); policy && policy->is_object())
      if (auto* v = policy->get_object().if_contains("version"); v && v->is_string())
        version = v->get_string();
  }
  std::string out;
  out.reserve(r.facts.size() + r.decision.size() + 256);
  const std::string_view cells[] = {r.decision_id, r.time,          r.account_id, outcome,   codes,
                                    version,       r.policy_sha256, r.facts,      r.decision};
  for (size_t i = 0; i < std::size(cells); ++i) {
    if (i) out += ',';
    common::append_csv_field(out, cells[i], common::FormulaGuard::On);
  }
  out += '\n';
  return out;
}

}  // namespace kyc::service
