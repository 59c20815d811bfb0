// The console's policy editor: POST /v1/policies/format (the canonical layout), /test (a
// draft's tests, run without running the draft) and /deploy (write and activate it, with a
// note). The checks and the writing are the service's (PolicyStore::deploy); here the request
// is read and the outcome mapped to HTTP.
#include <boost/json.hpp>

#include "dsl/diagnostics_json.h"
#include "dsl/formatter.h"
#include "dsl/parser.h"
#include "server/handlers/handlers.h"
#include "service/policy_deploy.h"
#include "service/policy_test_run.h"

namespace kyc::server {

namespace {

HttpResponse invalid_request(const std::string& detail) {
  return problem(422, "invalid-request", "Invalid request", detail);
}

// The body as a JSON object, or the problem to answer.
OrAnswer<boost::json::object> json_object(const HttpRequest& request, const Limits& limits) {
  boost::json::parse_options options;
  options.max_depth = limits.json_depth;
  boost::system::error_code ec;
  auto body = boost::json::parse(request.body, ec, {}, options);
  if (ec || !body.is_object())
    return problem(400, "malformed-json", "Malformed JSON", "the body must be a JSON object");
  return std::move(body.as_object());
}

// A text field of the body: nullopt when absent, a problem when it is not a string.
OrAnswer<std::optional<std::string>> text_field(const boost::json::object& body, const char* name) {
  auto* v = body.if_contains(name);
  if (!v) return std::optional<std::string>();
  if (!v->is_string()) return invalid_request(std::string("\"") + name + "\" must be a string");
  return std::optional<std::string>(std::string(v->get_string()));
}

HttpResponse invalid_policy(const dsl::SourceFile& source, const dsl::Diagnostics& diagnostics) {
  return problem(422, "invalid-policy", "The policy does not load",
                 std::to_string(diagnostics.error_count()) + " error(s); see diagnostics",
                 {{"diagnostics", dsl::diagnostics_json(source, diagnostics)}});
}

// The result of a test run as the console shows it: counts, each failing case at its line,
// and the problems of the test file itself.
boost::json::object test_report(const service::TestRun& run) {
  boost::json::array failures;
  for (const auto& f : run.report.failures)
    failures.push_back({{"line", f.at.line},
                        {"column", f.at.column},
                        {"case", f.case_name},
                        {"message", f.message}});
  return {{"passed", run.report.passed},
          {"failed", run.report.failed},
          {"failures", std::move(failures)},
          {"diagnostics", dsl::diagnostics_json(*run.file, run.diagnostics)}};
}

// A draft from the editor: the policy's text (required) and, optionally, its tests.
struct Draft {
  std::string policy;
  std::optional<std::string> tests;
};

OrAnswer<Draft> read_draft(const boost::json::object& body) {
  auto policy = text_field(body, "policy");
  if (!policy) return policy.error();
  auto tests = text_field(body, "tests");
  if (!tests) return tests.error();
  if (!*policy) return invalid_request("send the policy's text as \"policy\"");
  return Draft{std::move(**policy), std::move(*tests)};
}

std::string trimmed(const std::string& s) {
  size_t begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(" \t\r\n") - begin + 1);
}

}  // namespace

HttpResponse format_policy_text(const HttpRequest& request, const Limits& limits) {
  auto body = json_object(request, limits);
  if (!body) return body.error();
  auto policy = text_field(*body, "policy");
  if (!policy) return policy.error();
  auto tests = text_field(*body, "tests");
  if (!tests) return tests.error();
  if (policy->has_value() == tests->has_value())
    return invalid_request("send either \"policy\" or \"tests\": the text to format");
  bool is_tests = tests->has_value();
  dsl::SourceFile source(is_tests ? "candidate.test" : "candidate.policy",
                         is_tests ? **tests : **policy);
  dsl::Diagnostics diagnostics;
  std::string formatted = is_tests
                              ? dsl::format_tests(dsl::parse_tests(source, diagnostics), source)
                              : dsl::format_policy(dsl::parse_policy(source, diagnostics), source);
  if (diagnostics.has_errors()) {
    diagnostics.sort();
    return invalid_policy(source, diagnostics);
  }
  HttpResponse r;
  r.body = boost::json::serialize(
      boost::json::object{{"formatted", formatted}, {"changed", formatted != source.text()}});
  return r;
}

HttpResponse test_policy(service::PolicyStore& policies, const HttpRequest& request,
                         const Limits& limits) {
  auto body = json_object(request, limits);
  if (!body) return body.error();
  auto draft = read_draft(*body);
  if (!draft) return draft.error();
  auto loaded = policies.load_candidate(std::move(draft->policy));
  if (!loaded.ok()) return invalid_policy(*loaded.source, loaded.diagnostics);
  std::optional<std::string> tests_text = draft->tests ? draft->tests : policies.tests_text();
  if (!tests_text)
    return problem(
        422, "no-tests", "No tests",
        "there is no " + policies.tests_file() + " beside the policy: send the tests as \"tests\"");
  auto run = service::run_tests(loaded, policies.tests_file(), std::move(*tests_text));
  boost::json::object out = test_report(run);
  // Reasons no case fires: a rule nothing tests (kyc test fails on them too).
  boost::json::array never_fired;
  for (const auto& r : loaded.compiled->reasons)
    if (!run.report.fired.count(r.code)) never_fired.push_back(boost::json::string(r.code));
  out["never_fired"] = std::move(never_fired);
  HttpResponse r;  // 200 when cases fail: the report is the answer
  r.body = boost::json::serialize(out);
  return r;
}

HttpResponse deploy_policy(service::PolicyStore& policies, const HttpRequest& request,
                           const Limits& limits, const std::string& by) {
  auto body = json_object(request, limits);
  if (!body) return body.error();
  auto draft = read_draft(*body);
  if (!draft) return draft.error();
  auto note = text_field(*body, "note");
  if (!note) return note.error();
  // The audit log keeps why each policy went live: a deploy without a reason is refused.
  std::string why = *note ? trimmed(**note) : "";
  if (why.empty())
    return problem(422, "note-required", "A note is required",
                   "say why this policy is deployed in \"note\" (the audit log keeps it)");
  if (why.size() > limits.deploy_note_bytes)
    return problem(422, "note-too-long", "The note is too long",
                   "the note has " + std::to_string(why.size()) + " bytes; at most " +
                       std::to_string(limits.deploy_note_bytes) + " are kept");

  auto result = policies.deploy({std::move(draft->policy), std::move(draft->tests), by, std::move(why)});
  using service::DeployStatus;
  boost::json::object report;
  if (result.tests) report = test_report(*result.tests);
  switch (result.status) {
    case DeployStatus::Deployed:
      break;
    case DeployStatus::InvalidPolicy:
      return invalid_policy(*result.policy_source, result.policy_diagnostics);
    case DeployStatus::NoTests:
      return problem(422, "no-tests", "No tests", result.detail, std::move(report));
    case DeployStatus::TestsFailed:
      return problem(422, "tests-failed", "The policy's tests fail; nothing was deployed",
                     result.detail, std::move(report));
    case DeployStatus::VersionRequired:
      return problem(422, "version-required", "The text changed: a new version is required",
                     result.detail);
    case DeployStatus::WriteFailed:
      return problem(500, "write-failed", "The policy could not be written; nothing changed",
                     result.detail);
    case DeployStatus::ActivationFailed:
      return problem(422, "activation-failed", "Activation failed; the running policy is kept",
                     result.detail);
  }
  const auto& active = *result.active;
  HttpResponse r;
  r.body = boost::json::serialize(boost::json::object{{"deployed", true},
                                                      {"activated", result.activated},
                                                      {"version", active.compiled->version},
                                                      {"sha256", active.compiled->sha256},
                                                      {"activated_at", active.loaded_at}});
  return r;
}

}  // namespace kyc::server
