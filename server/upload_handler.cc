// POST /v1/verifications: photos in (multipart/form-data), decision out. The image adapter
// turns each photo into facts on the image pool, the account store adds its facts, the engine
// decides, and the audit log records the facts with each image's SHA-256 (never the image).
#include <boost/json.hpp>

#include "adapters/photos/photo_facts.h"
#include "engine/date.h"
#include "server/decide.h"
#include "server/multipart.h"

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
std::variant<Upload, HttpResponse> read_upload(const HttpRequest& request, const Limits& limits) {
  auto boundary = form_boundary(request.content_type);
  if (!boundary) {
    if (request.content_type.rfind("multipart/form-data", 0) == 0)
      return bad_upload("the multipart/form-data content type has no valid boundary");
    return problem(415, "unsupported-media-type", "Unsupported media type",
                   "send the photos as multipart/form-data with parts metadata, front, back");
  }
  auto parsed = parse_multipart(request.body, *boundary, {limits.upload_parts, 4096});
  if (auto* e = std::get_if<MultipartError>(&parsed))
    return bad_upload("multipart body, byte " + std::to_string(e->offset) + ": " + e->message);
  Upload u;
  bool has_metadata = false;
  for (const FormPart& part : std::get<std::vector<FormPart>>(parsed)) {
    if (part.name == "front") {
      u.front = part.body;
    } else if (part.name == "back") {
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
  if (u.front.empty()) return bad_upload("the front part (a photo of the document) is missing");
  return u;
}

// The adapters' facts for the policy, and the declared document type beside them.
boost::json::object upload_facts(const Upload& u) {
  auto facts = photos::read_photos(u.front, u.back, engine::today_utc()).facts;
  if (!u.document_type.empty()) facts["document.type_declared"] = u.document_type;
  return facts;
}

}  // namespace

void handle_submit_verification(Api& api, std::shared_ptr<Exchange> ex) {
  auto read = read_upload(ex->request, api.options().limits);
  if (auto* problem_response = std::get_if<HttpResponse>(&read))
    return ex->respond(std::move(*problem_response));
  Upload upload = std::get<Upload>(read);
  bool queued = api.image_pool().try_submit([&api, ex, upload] {
    auto facts = std::make_shared<boost::json::object>(upload_facts(upload));
    Exchange* e = ex.get();
    answer_recorded(
        api, ex, [&api, e, facts, upload](RequestNotes& notes, store::AuditRecord& record) {
          return decide_on_facts(
              api, {*facts, upload.account_id, upload.locale, "verification", e->caller, true},
              notes, record);
        });
  });
  if (!queued) {
    HttpResponse busy = problem(503, "busy", "Busy",
                                "every image worker is busy and the queue is full; retry shortly");
    busy.headers.emplace_back("Retry-After", "1");
    ex->respond(std::move(busy));
  }
}

}  // namespace kyc::server
