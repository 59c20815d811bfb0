// POST /v1/verifications: photos in (multipart/form-data), decision out. The image adapter
// turns each photo into facts on the image pool, the account store adds its facts, the engine
// decides, and the audit log records the facts with each image's SHA-256 (never the image).
// GET /v1/verifications/{id} and GET /v1/accounts/{id}/verifications read the decisions back.
#include <algorithm>
#include <chrono>
#include <boost/json.hpp>
#include <cmath>

#include "adapters/photos/photo_facts.h"
#include "common/civil_date.h"
#include "common/exact_json.h"
#include "server/handlers/decision_answer.h"
#include "server/handlers/handlers.h"
#include "service/personal_seal.h"
#include "server/handlers/idempotency.h"
#include "server/http/multipart.h"

namespace kyc::server {

namespace {

struct Upload {
  std::string account_id, locale = "en", document_type;
  std::string_view front, back;
};

HttpResponse bad_upload(std::string detail) {
  return problem(400, "malformed-upload", "Malformed upload", std::move(detail));
}

// The request's parts checked and read; a problem response when they do not make an upload.
OrAnswer<Upload> read_upload(const HttpRequest& request, const Limits& limits) {
  auto boundary = form_boundary(request.content_type);
  if (!boundary) {
    if (request.content_type.rfind("multipart/form-data", 0) == 0)
      return bad_upload("the multipart/form-data content type has no valid boundary");
    return problem(415, "unsupported-media-type", "Unsupported media type",
                   "send the photos as multipart/form-data with parts metadata, front, back");
  }
  auto parsed = parse_multipart(request.body, *boundary, {limits.upload_parts, 4096});
  if (!parsed)
    return bad_upload("multipart body, byte " + std::to_string(parsed.error().offset) + ": " +
                      parsed.error().message);
  Upload u;
  bool has_metadata = false, has_front = false, has_back = false;
  for (const FormPart& part : *parsed) {
    // One of each: with two `front` parts, which one was judged would be a guess.
    bool& seen = part.name == "front" ? has_front : part.name == "back" ? has_back : has_metadata;
    if (seen && (part.name == "front" || part.name == "back" || part.name == "metadata"))
      return bad_upload("more than one \"" + part.name + "\" part; send each part once");
    if (part.name == "front") {
      has_front = true;
      u.front = part.body;
    } else if (part.name == "back") {
      has_back = true;
      u.back = part.body;
    } else if (part.name == "metadata") {
      boost::system::error_code ec;
      boost::json::parse_options po;
      po.max_depth = limits.json_depth;
      auto meta = boost::json::parse(part.body, ec, {}, po);
      if (ec || !meta.is_object())
        return problem(422, "invalid-request", "Invalid request",
                       "the metadata part must be a JSON object");
      for (const auto& [key, value] : meta.get_object()) {
        std::string* field = key == "account_id"      ? &u.account_id
                             : key == "locale"        ? &u.locale
                             : key == "document_type" ? &u.document_type
                                                      : nullptr;
        if (key == "stage") continue;  // accepted; the recorded stage is "verification"
        if (!field)
          return problem(422, "invalid-request", "Invalid request",
                         "unknown metadata field \"" + std::string(key) + "\"");
        if (!value.is_string())
          return problem(422, "invalid-request", "Invalid request",
                         "metadata \"" + std::string(key) + "\" must be a string");
        *field = std::string(value.get_string());
      }
      has_metadata = true;
    } else {
      return bad_upload("unexpected part \"" + part.name +
                        "\"; the parts are metadata, front and back");
    }
  }
  if (!has_metadata) return bad_upload("the metadata part is missing");
  if (auto fit = checked_account_id(u.account_id, limits); !fit) return fit.error();
  if (u.front.empty()) return bad_upload("the front part (a photo of the document) is missing");
  return u;
}

// The size over which the policy refuses a photo whatever else it shows: the smallest K of an
// atom `file.bytes > K` (or `>= K`) that fires a reason on its own (the whole condition, or an
// operand of its top-level `or`). A photo over it is not decoded: the answer is its size,
// and decoding a large JPEG first took seconds.
uint64_t policy_size_limit(const engine::CompiledPolicy& p) {
  auto slot = p.schema.find("file.bytes");
  uint64_t limit = UINT64_MAX;
  if (!slot) return limit;
  auto consider = [&](const engine::Node& n) {
    bool numeric = n.constant.kind == engine::Value::Kind::Int ||
                   n.constant.kind == engine::Value::Kind::Number;
    if (n.op != engine::Op::CompareFactConst || n.slot != *slot || !numeric) return;
    double k = std::floor(n.constant.as_double());
    if (n.cmp == engine::Op::Ge && k == n.constant.as_double()) k -= 1;  // > K-1 for whole K
    if (n.cmp == engine::Op::Gt || n.cmp == engine::Op::Ge)
      limit = std::min(limit, k < 0 ? uint64_t{0} : static_cast<uint64_t>(k));
  };
  for (const auto& r : p.reasons) {
    const engine::Node& root = p.nodes[r.when];
    if (root.op != engine::Op::Or) consider(root);
    for (uint32_t i = 0; root.op == engine::Op::Or && i < root.count; ++i)
      consider(p.nodes[p.kids[root.first + i]]);
  }
  return limit;
}

// The adapters' facts for the policy, and the declared document type beside them; the
// stages' times go to the request's notes (access log, /metrics).
boost::json::object upload_facts(const Upload& u, uint64_t size_limit, RequestNotes& notes) {
  image::ImageOptions options;
  options.max_analysed_bytes = size_limit;
  auto read = photos::read_photos(u.front, u.back, common::today_utc(), options);
  for (const auto& [stage, ms] : read.times.ms) notes.stages.emplace_back(stage, ms);
  auto facts = std::move(read.facts);
  if (!u.document_type.empty()) facts["document.type_declared"] = u.document_type;
  return facts;
}

}  // namespace

void submit_verification(DecisionRoute route, WorkPool& images, std::shared_ptr<Exchange> ex) {
  // Before the photos are analysed again.
  if (answered_as_repeat(route.decisions.stores().decisions, *ex)) return;
  auto read = read_upload(ex->request, route.limits);
  if (!read) return ex->respond(read.error());
  Upload upload = *read;
  auto active = route.decisions.policies().current();
  uint64_t size_limit = active ? policy_size_limit(*active->compiled) : UINT64_MAX;
  auto queued_at = std::chrono::steady_clock::now();
  bool queued = images.try_submit([route, ex, upload, size_limit, queued_at] {
    ex->notes.stages.emplace_back(
        "queue", std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                           queued_at)
                     .count());
    auto facts =
        std::make_shared<boost::json::object>(upload_facts(upload, size_limit, ex->notes));
    bool admin = ex->caller & service::kAdmin;
    answer_recorded(route, ex, [route, facts, upload, admin] {
      return route.decisions.decide(
          {*facts, upload.account_id, upload.locale, "verification", admin});
    });
  });
  if (!queued) {
    HttpResponse busy = problem(503, "busy", "Busy",
                                "every image worker is busy and the queue is full; retry shortly");
    busy.headers.emplace_back("Retry-After", "1");
    ex->respond(std::move(busy));
  }
}

namespace {

// Recorded JSON as the record view shows it: numbers as written (common/exact_json.h).
boost::json::value exact_json(const std::string& recorded) {
  boost::system::error_code ec;
  return common::parse_json_exact(recorded, ec);
}

// What a backend needs of an account's decision: its outcome and the reason codes with theirs.
// No facts, no evidence, and no message texts either: a policy's message may quote a personal
// fact ({document.name}); the backend maps codes to its own texts, or asks for the notice.
boost::json::object status_view(const store::StoredRecord& s) {
  auto d = boost::json::parse(s.record.decision).as_object();
  boost::json::array reasons;
  for (const auto& r : d.at("reasons").as_array()) {
    const auto& o = r.as_object();
    reasons.push_back({{"code", o.at("code")}, {"outcome", o.at("outcome")}});
  }
  return {{"decision_id", s.record.decision_id},
          {"time", s.record.time},
          {"outcome", d.at("outcome")},
          {"reasons", std::move(reasons)}};
}

}  // namespace

HttpResponse account_verifications(store::DecisionLog* log, const HttpRequest& request,
                                   service::Roles caller, const Limits& limits) {
  if (!log)
    return no_log_problem();
  if (auto fit = checked_account_id(request.params.at(0), limits); !fit) return fit.error();
  // Paging: `after` is the last sequence number the caller saw, `limit` how many it wants
  // (brought into 1..100). Both are whole numbers or the request is refused.
  auto after_param = whole_number(request.uri.param("after").value_or("0"), 0, INT64_MAX);
  auto limit_param = whole_number(request.uri.param("limit").value_or("20"), 0, INT64_MAX);
  if (!after_param || !limit_param)
    return problem(400, "bad-paging", "Bad paging parameters",
                   "after and limit must be whole numbers of 0 or more");
  int64_t after = *after_param;
  size_t limit = static_cast<size_t>(std::clamp<long long>(*limit_param, 1, 100));
  bool full = service::reads_personal_data(caller);
  auto read = log->account_records(request.params.at(0), after, limit + 1);
  if (!read) return store_problem(read.error());
  auto& records = *read;
  bool more = records.size() > limit;
  if (more) records.pop_back();
  boost::json::array items;
  for (const auto& s : records) {
    if (full)
      items.push_back({{"seq", s.seq},
                       {"decision_id", s.record.decision_id},
                       {"time", s.record.time},
                       {"decision", boost::json::parse(s.record.decision)}});
    else
      items.push_back(status_view(s));
  }
  boost::json::object out{{"account_id", request.params.at(0)}, {"items", std::move(items)}};
  out["next_after"] = more ? boost::json::value(records.back().seq) : boost::json::value(nullptr);
  HttpResponse r;
  r.body = boost::json::serialize(out);
  return r;
}

HttpResponse get_verification(store::DecisionLog* log, service::PersonalSeal* seal,
                              const HttpRequest& request) {
  auto stored = recorded_decision(log, request.params.at(0));
  if (!stored) return stored.error();
  // The facts in clear for the auditor; those of an erased account are named, not shown.
  auto facts = service::open_facts(stored->record, seal);
  if (!facts) return problem(500, "facts-unreadable", "The record's facts cannot be read",
                             facts.error().message);
  boost::json::array erased(facts->erased.begin(), facts->erased.end());
  boost::json::object out{{"seq", stored->seq},
                          {"decision_id", stored->record.decision_id},
                          {"time", stored->record.time},
                          {"account_id", stored->record.account_id},
                          {"stage", stored->record.stage},
                          {"today", stored->record.today},
                          {"policy_sha256", stored->record.policy_sha256},
                          {"facts", exact_json(facts->facts)},
                          {"erased_facts", std::move(erased)},
                          {"decision", exact_json(stored->record.decision)},
                          {"hash", stored->hash}};
  HttpResponse r;
  r.body = boost::json::serialize(out);
  return r;
}

}  // namespace kyc::server
