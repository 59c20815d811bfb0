// GET /v1/verifications/{id}/notice?locale=L: the e-mail the backend sends the user. Every
// sentence is the policy's: the subject, greeting, intro and closing of its `notice` block for
// the decision's outcome, around the messages of the reasons that fired (re-rendered from the
// recorded facts and policy, so any locale of that policy can be asked for). Nothing here is
// wording: a policy without a notice block gets a problem, not English made up in C++.
#include <algorithm>
#include <boost/json.hpp>

#include "server/handlers/handlers.h"
#include "service/personal_facts.h"
#include "service/replay.h"

namespace kyc::server {

namespace {

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

// One paragraph of the e-mail's HTML; a line break the policy wrote ("\n") stays one.
std::string paragraph(std::string_view text) {
  std::string html = html_escape(text);
  for (size_t at = html.find('\n'); at != std::string::npos; at = html.find('\n', at + 5))
    html.replace(at, 1, "<br>\n");
  return "<p>" + html + "</p>\n";
}

struct Mail {
  std::string subject, text, html;
};

// greeting, intro, the reasons (title, detail, action), closing. Only the reasons of the
// decision's own outcome are listed: a reject or a review is not the moment for a lower
// reason's "take a new photo", which would invite a retry the outcome does not allow.
Mail assemble(const engine::NoticeTexts& texts, engine::Outcome outcome,
              const boost::json::array& reasons) {
  size_t o = static_cast<size_t>(outcome);
  Mail m{texts.subject[o], {}, {}};
  m.text = texts.greeting[o] + "\n\n" + texts.intro[o] + "\n";
  m.html = paragraph(texts.greeting[o]) + paragraph(texts.intro[o]);
  std::string items;
  for (const auto& r : reasons) {
    const auto& reason = r.as_object();
    if (reason.at("outcome").as_string() != engine::outcome_name(outcome)) continue;
    std::string title(reason.at("title").as_string()), detail(reason.at("detail").as_string()),
        action(reason.at("action").as_string());
    m.text += "\n* " + title + "\n  " + detail + "\n  " + action + "\n";
    items += "<li><strong>" + html_escape(title) + "</strong><br>" + html_escape(detail) + "<br>" +
             html_escape(action) + "</li>\n";
  }
  if (!items.empty()) m.html += "<ul>\n" + items + "</ul>\n";
  m.text += "\n" + texts.closing[o] + "\n";
  m.html += paragraph(texts.closing[o]);
  return m;
}

}  // namespace

HttpResponse notice(store::DecisionLog* log, service::PersonalSeal* seal, const HttpRequest& request,
                    service::Roles caller) {
  auto stored = recorded_decision(log, request.params.at(0));
  if (!stored) return stored.error();
  auto recorded = service::recorded_policy(*log, stored->record.policy_sha256);
  if (!recorded)
    return problem(500, "policy-unavailable", "Recorded policy unavailable",
                   recorded.error().message);
  const auto& policy = *recorded;
  std::string asked = request.uri.param("locale").value_or("");
  std::string locale = asked.empty() ? "" : policy->match_locale(asked);
  if (!asked.empty() && locale.empty()) {
    std::string have;
    for (const auto& l : policy->locales) have += (have.empty() ? "" : ", ") + l;
    return problem(422, "unknown-locale", "Unknown locale",
                   "the policy has no messages in '" + asked + "' (it has " + have + ")");
  }
  auto opened = service::open_facts(stored->record, seal);
  if (!opened)
    return problem(500, "facts-unreadable", "The record's facts cannot be read",
                   opened.error().message);
  // Rendered with the personal values in clear; withheld below for a caller who may not see them.
  auto rendered = service::replay_decision(*stored, *policy, locale, seal, false);
  if (!rendered)
    return problem(500, "replay-failed", "The decision cannot be rendered",
                   rendered.error().message);
  auto d = boost::json::parse(rendered->decision).as_object();
  std::string used_locale(d.at("locale").as_string());
  // The checker gives a policy with a notice one in every locale: none here means none at all.
  const engine::NoticeTexts* texts = policy->find_notice(used_locale);
  if (!texts)
    return problem(404, "no-notice", "The policy has no notice texts",
                   "policy '" + policy->name + "' version " + policy->version +
                       ", which made this decision, has no `notice` block: the e-mail's subject, "
                       "greeting, intro and closing are written there");
  auto outcome =
      engine::parse_outcome(d.at("outcome").as_string()).value_or(engine::Outcome::Review);
  Mail mail = assemble(*texts, outcome, d.at("reasons").as_array());
  // A backend (evaluate role) sends the e-mail on; a message that quotes a personal fact
  // ({document.name}, or one the policy that decided marks personal) is not the way for it to
  // learn the value.
  if (!service::reads_personal_data(caller)) {
    boost::system::error_code ec;
    auto facts = boost::json::parse(opened->facts, ec);
    auto values = facts.is_object() ? service::personal_values(facts.get_object(), policy->schema)
                                    : std::vector<std::string>{};
    std::vector<std::string> escaped;
    for (const auto& v : values) escaped.push_back(html_escape(v));
    mail.subject = service::withhold(mail.subject, values);
    mail.text = service::withhold(mail.text, values);
    mail.html = service::withhold(mail.html, escaped);
  }
  HttpResponse r;
  r.body = boost::json::serialize(boost::json::object{{"decision_id", stored->record.decision_id},
                                                      {"locale", used_locale},
                                                      {"subject", mail.subject},
                                                      {"text", mail.text},
                                                      {"html", mail.html}});
  return r;
}

}  // namespace kyc::server
