// The impact report a manager signs (issue 18, item 6), end to end: a candidate that adds an
// under-18 rule, replayed over decisions the shipped policy recorded, finds the under-age
// applicants in that history; the HTML page opens in headless Chromium without a console
// error, and every number on it equals the JSON report's.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <regex>

#include "dsl/policy_loader.h"
#include "http_client.h"
#include "server_process.h"

using namespace kyc::e2e;
namespace json = boost::json;

namespace {

// The shipped policy with an under-18 rule, reading a fact it did not declare before (and,
// with `height`, one no caller ever sent).
std::string under_18_candidate(bool height = false) {
  std::string text;
  kyc::dsl::read_file(KYC_SOURCE_DIR "/policies/kyc.policy", text);
  text = with_version(text, "candidate");
  text.replace(text.find("facts {\n"), 8,
               "facts {\n  document.birth_date : date?\n" +
                   std::string(height ? "  document.height : int?\n" : ""));
  return text + R"(
reason UNDER_AGE {
  outcome reject
  when age(document.birth_date, today) < 18)" +
         (height ? " or document.height < 100" : "") + R"(
  message en { title "Too young" detail "Born on {document.birth_date}." action "Come back at 18." }
  message zh { title "未满十八岁" detail "出生于 {document.birth_date}。" action "请在年满十八岁后再来。" }
}
)";
}

// Decisions like a backend's, with birth dates the shipped policy does not read: 3 of the 10
// applicants are under 18 on the day.
void record_history(const ServerProcess& s) {
  std::string text;
  kyc::dsl::read_file(KYC_SOURCE_DIR "/policies/examples/evaluate-request.json", text);
  for (int i = 0; i < 10; ++i) {
    json::object body = json::parse(text).as_object();
    auto& facts = body["facts"].as_object();
    facts.erase("today");
    facts["document"].as_object()["birth_date"] = i < 3 ? "2010-06-01" : "1985-06-01";
    body["account_id"] = "acct-" + std::to_string(i);
    auto r = call(s.port(), request("POST", "/v1/evaluate", json::serialize(body), kEvaluateToken));
    ASSERT_EQ(r.status, 200) << r.body;
  }
}

// The JSON value at a dotted path ("outcomes.approve.before", "changes.0.decisions").
const json::value* at_path(const json::value& root, const std::string& path) {
  const json::value* v = &root;
  size_t start = 0;
  while (v && start <= path.size()) {
    size_t dot = path.find('.', start);
    std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (v->is_object())
      v = v->as_object().if_contains(key);
    else if (v->is_array() && !key.empty() && std::isdigit(static_cast<unsigned char>(key[0])))
      v = std::stoul(key) < v->as_array().size() ? &v->as_array()[std::stoul(key)] : nullptr;
    else
      v = nullptr;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return v;
}

}  // namespace

TEST(ImpactReport, ACandidateFindsTheUnderAgeApplicantsInHistory) {
  ServerProcess s;
  record_history(s);
  fs::path candidate = s.data_dir().parent_path() / "candidate.policy";
  std::ofstream(candidate) << under_18_candidate();
  auto [rc, out] = run_kyc("replay --format json --data-dir " + s.data_dir().string() +
                           " --policy " + candidate.string());
  ASSERT_EQ(rc, 0) << out;
  auto impact = json::parse(out).at("impact");
  EXPECT_EQ(impact.at("decisions").as_int64(), 10);
  int64_t under_age = -1;
  for (const auto& r : impact.at("reasons").as_array())
    if (r.at("code").as_string() == "UNDER_AGE") under_age = r.at("fired_after").as_int64();
  EXPECT_EQ(under_age, 3) << out;
  EXPECT_TRUE(impact.at("warnings").as_array().empty()) << out;
  // Every change names its cause.
  for (const auto& change : impact.at("changes").as_array()) {
    bool named = false;
    for (const auto& c : change.at("causes").as_array())
      named |= c.at("code").as_string() == "UNDER_AGE";
    EXPECT_TRUE(named) << json::serialize(change);
  }

  // A candidate reading a fact no decision recorded is warned about.
  std::ofstream(candidate) << under_18_candidate(true);
  auto [rc2, out2] = run_kyc("replay --format json --data-dir " + s.data_dir().string() +
                             " --policy " + candidate.string());
  EXPECT_EQ(json::parse(out2).at("impact").at("never_recorded").as_array(),
            json::array{"document.height"})
      << out2;
}

TEST(ImpactReport, TheHtmlPageOpensWithoutAConsoleErrorAndShowsTheJsonNumbers) {
  ASSERT_TRUE(fs::exists("/usr/bin/chromium")) << "install chromium (scripts/install-deps.sh)";
  ServerProcess s;
  record_history(s);
  fs::path dir = s.data_dir().parent_path();
  std::ofstream(dir / "candidate.policy") << under_18_candidate(true);
  std::string replay = "replay --data-dir " + s.data_dir().string() + " --policy " +
                       (dir / "candidate.policy").string();
  auto [rc, out] = run_kyc(replay + " --format json");
  ASSERT_EQ(rc, 0) << out;
  json::value report = json::parse(out).at("impact");
  // The page, written as a user would (`> report.html`), opened as a file: no server.
  ASSERT_EQ(std::system((std::string(KYC_BINARY) + " " + replay + " --format html > " +
                         (dir / "report.html").string())
                            .c_str()),
            0);
  std::string chromium =
      "/usr/bin/chromium --headless=new --no-sandbox --disable-gpu --no-first-run "
      "--disable-background-networking --disable-component-update --disable-sync "
      "--user-data-dir=" + (dir / "chromium").string() +
      " --enable-logging=stderr --v=0 --virtual-time-budget=3000 --dump-dom file://" +
      (dir / "report.html").string() + " > " + (dir / "dom.html").string() + " 2> " +
      (dir / "console.txt").string();
  ASSERT_EQ(std::system(chromium.c_str()), 0);
  std::string dom, console;
  kyc::dsl::read_file((dir / "dom.html").string(), dom);
  kyc::dsl::read_file((dir / "console.txt").string(), console);
  ASSERT_NE(dom.find("Impact of policy kyc-document candidate"), std::string::npos) << dom;
  // Chromium prints what the page logs, and what it refused to load, as CONSOLE lines.
  std::regex console_line(R"((^|\n)[^\n]*CONSOLE[^\n]*)");
  std::smatch m;
  EXPECT_FALSE(std::regex_search(console, m, console_line)) << m.str();
  EXPECT_EQ(console.find("Refused to"), std::string::npos) << console;

  // Every number cell holds the JSON's value at its path.
  std::regex number_cell(R"re(data-k="([^"]+)">(-?[0-9]+)<)re");
  size_t cells = 0;
  for (std::sregex_iterator it(dom.begin(), dom.end(), number_cell), end; it != end; ++it) {
    const json::value* v = at_path(report, (*it)[1]);
    ASSERT_NE(v, nullptr) << (*it)[1];
    EXPECT_EQ(std::to_string(v->as_int64()), (*it)[2].str()) << (*it)[1];
    ++cells;
  }
  EXPECT_GT(cells, 40u);
  EXPECT_NE(dom.find("document.height"), std::string::npos) << "the warning is on the page";
}
