// POST /v1/audit/verify starts a check of the whole hash chain in the background (one at a
// time: asking again while one runs reports that one); GET /v1/audit/verify reports its
// progress, then the result or the first broken record. The console polls it for its progress
// bar; `kyc audit verify` is the same check on the command line.
#include <boost/json.hpp>

#include "server/handlers/handlers.h"

namespace kyc::server {

namespace {

HttpResponse status_answer(const service::ChainVerificationStatus& s, int status) {
  boost::json::object out{{"state", service::state_name(s.state)},
                          {"checked", s.checked},
                          {"total", s.total},
                          {"started_at", s.started_at},
                          {"finished_at", s.finished_at},
                          {"by", s.by}};
  if (s.result) {
    out["ok"] = s.result->ok;
    out["records"] = s.result->records;
    if (!s.result->ok)
      out["broken"] = {{"seq", s.result->broken_seq},
                       {"decision_id", s.result->broken_decision_id},
                       {"problem", s.result->problem}};
  }
  HttpResponse r;
  r.status = status;
  r.body = boost::json::serialize(out);
  return r;
}

}  // namespace

HttpResponse start_chain_check(service::ChainVerification* check, const std::string& by) {
  if (!check) return no_log_problem();
  auto s = check->start(by);
  return status_answer(s, s.state == service::ChainVerificationStatus::State::Running ? 202 : 200);
}

HttpResponse chain_check_status(service::ChainVerification* check) {
  if (!check) return no_log_problem();
  return status_answer(check->status(), 200);
}

}  // namespace kyc::server
