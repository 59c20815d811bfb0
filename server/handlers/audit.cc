// POST /v1/audit/verify starts a check of the whole hash chain in the background (one at a
// time: asking again while one runs reports that one); GET /v1/audit/verify reports its
// progress, then the result or the first broken record. The console polls it for its progress
// bar; `kyc audit verify` is the same check on the command line. GET /v1/audit/head signs the
// chain's head now, for copying to a write-once store.
#include <boost/json.hpp>

#include "service/checkpoints.h"

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
    out["keyed_from"] = s.result->keyed_from;
    out["chain_key_id"] = s.result->key_id;
    out["rows"] = s.result->rows;
    out["checkpoints"] = s.result->anchors;
    if (s.result->ok) out["summary"] = s.result->summary();
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

HttpResponse chain_head(service::Checkpoints* checkpoints) {
  if (!checkpoints) return no_log_problem();
  auto head = checkpoints->head();
  if (!head)
    return problem(503, "audit-log-unavailable", "Audit log unavailable", head.error().message);
  boost::json::object out = head->json();
  out["public_key"] = checkpoints->key().public_pem();
  HttpResponse r;
  r.status = 200;
  r.body = boost::json::serialize(out);
  return r;
}

}  // namespace kyc::server
