// GET /v1/verifications/{id}/notice?locale=L: the e-mail the backend sends the user, built
// from the policy's own localized texts of the reasons that fired (re-rendered from the
// recorded facts and policy, so any locale of that policy can be asked for).
#include <algorithm>
#include <boost/json.hpp>

#include "server/handlers/handlers.h"
#include "service/replay.h"

namespace kyc::server {

namespace {

struct Framing {
  const char* subject[4];  // by outcome: approve, resubmit, review, reject
  const char* greeting;
  const char* resubmit_line;  // how to try again
  const char* help_line;
};

// The sentences around the policy's reason texts; a locale the policy has but this table
// lacks falls back to English framing around the policy's own texts.
const Framing& framing(const std::string& locale) {
  static const Framing en{
      {"Your identity verification is complete", "Action needed: please resubmit your document",
       "Your identity verification is being reviewed",
       "Your identity verification was not successful"},
      "Hello,",
      "To try again, open your identification status page and upload a new photo of your document.",
      "If it still does not work after you have fixed the cause, contact our support team."};
  static const Framing zh{
      {"您的身份验证已完成", "需要您重新提交证件", "您的身份验证正在审核中", "您的身份验证未通过"},
      "您好：",
      "如需重新提交，请打开身份验证状态页面并上传新的证件照片。",
      "如果解决问题后仍未通过，请联系我们的客服团队。"};
  return locale == "zh" ? zh : en;
}

std::string html_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

HttpResponse notice(store::DecisionLog* log, const HttpRequest& request) {
  auto stored = recorded_decision(log, request.params.at(0));
  if (!stored) return stored.error();
  auto recorded = service::recorded_policy(*log, stored->record.policy_sha256);
  if (!recorded)
    return problem(500, "policy-unavailable", "Recorded policy unavailable",
                   recorded.error().message);
  const auto& policy = *recorded;
  std::string locale = request.uri.param("locale").value_or("");
  if (!locale.empty() &&
      std::find(policy->locales.begin(), policy->locales.end(), locale) == policy->locales.end())
    return problem(422, "unknown-locale", "Unknown locale",
                   "the policy has no messages in '" + locale + "'");
  auto rendered = service::replay_decision(*stored, *policy, locale);
  if (!rendered)
    return problem(500, "replay-failed", "The decision cannot be rendered",
                   rendered.error().message);
  auto d = boost::json::parse(*rendered).as_object();
  std::string used_locale(d.at("locale").as_string());
  const Framing& f = framing(used_locale);
  auto outcome =
      engine::parse_outcome(d.at("outcome").as_string()).value_or(engine::Outcome::Review);
  std::string subject = f.subject[static_cast<int>(outcome)];
  std::string text = std::string(f.greeting) + "\n\n" + subject + ".\n";
  std::string html = "<p>" + html_escape(f.greeting) + "</p>\n<p><strong>" + html_escape(subject) +
                     "</strong></p>\n";
  const auto& reasons = d.at("reasons").as_array();
  if (!reasons.empty()) html += "<ul>\n";
  for (const auto& r : reasons) {
    const auto& o = r.as_object();
    std::string title(o.at("title").as_string()), detail(o.at("detail").as_string()),
        action(o.at("action").as_string());
    text += "\n* " + title + "\n  " + detail + "\n  " + action + "\n";
    html += "<li><strong>" + html_escape(title) + "</strong><br>" + html_escape(detail) + "<br>" +
            html_escape(action) + "</li>\n";
  }
  if (!reasons.empty()) html += "</ul>\n";
  if (outcome == engine::Outcome::Resubmit) {
    text += "\n" + std::string(f.resubmit_line) + "\n";
    html += "<p>" + html_escape(f.resubmit_line) + "</p>\n";
  }
  text += "\n" + std::string(f.help_line) + "\n";
  html += "<p>" + html_escape(f.help_line) + "</p>\n";
  HttpResponse r;
  r.body = boost::json::serialize(boost::json::object{{"decision_id", stored->record.decision_id},
                                                      {"locale", used_locale},
                                                      {"subject", subject},
                                                      {"text", text},
                                                      {"html", html}});
  return r;
}

}  // namespace kyc::server
