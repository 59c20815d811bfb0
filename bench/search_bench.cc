// The console's decision search and overview over a large audit log (issue 19: under 200 ms at
// the median over 1,000,000 decisions on the 2-core build machine). Fills a log through the
// store's own writer (the insert path kyc serve runs, search index included) in large batches,
// then times GET /v1/verifications and GET /v1/stats through the route table (parameters, the
// store's query, the JSON answer; no socket).
//
//   search_bench --db /tmp/kycd-search-bench/audit.db --decisions 1000000 [--runs 21]
//
// An existing log with enough decisions is reused, so the queries can be timed again without
// the fill.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "server/api.h"
#include "service/activations.h"
#include "store/sqlite/decision_log.h"

namespace fs = std::filesystem;
using kyc::store::AuditRecord;
using kyc::store::DecisionLog;
using Clock = std::chrono::steady_clock;

namespace {

struct Code {
  const char* code;
  const char* outcome;
  double share;  // of decisions it fires in
};
// Skewed as a help centre's complaints are: a few reasons common, most rare.
const Code kCodes[] = {
    {"DOC_UNREADABLE", "resubmit", 0.12},       {"IMAGE_POOR_LIGHTING", "resubmit", 0.08},
    {"DOC_INFO_INCOMPLETE", "resubmit", 0.05},  {"DOC_EXPIRED", "resubmit", 0.04},
    {"DOC_NOT_ORIGINAL", "reject", 0.02},       {"KYC_DATA_MISMATCH", "review", 0.02},
    {"DOC_TYPE_UNSUPPORTED", "resubmit", 0.01}, {"IMAGE_FORMAT_UNSUPPORTED", "resubmit", 0.01},
    {"DOC_ACCOUNT_LIMIT", "reject", 0.004},     {"IMAGE_TOO_LARGE", "resubmit", 0.002}};

constexpr int kAccounts = 50000;
constexpr int kDays = 90;
const std::string kFirstDay = "2026-09-01";

std::string two(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

// Seconds after 2026-09-01T00:00:00Z as RFC 3339 (September to November: 30, 31, 30 days).
std::string time_at(int64_t seconds) {
  int day = static_cast<int>(seconds / 86400), month = 9;
  for (int len : {30, 31, 30}) {
    if (day < len) break;
    day -= len;
    ++month;
  }
  int s = static_cast<int>(seconds % 86400);
  return "2026-" + two(month) + "-" + two(day + 1) + "T" + two(s / 3600) + ":" + two(s / 60 % 60) +
         ":" + two(s % 60) + ".000Z";
}

const char* version_at(int day) {
  return day < 30 ? "2026-09-01" : day < 60 ? "2026-10-01" : "2026-10-31";
}

// A decision about the size of a real one: reasons with wording and evidence, facts recorded.
AuditRecord decision(int64_t i, int64_t total, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0, 1);
  AuditRecord r;
  int64_t seconds = i * (int64_t{kDays} * 86400) / total;
  r.time = time_at(seconds);
  int day = static_cast<int>(seconds / 86400);
  r.decision_id = "B" + std::to_string(1000000000 + i);
  r.account_id = "acct-" + std::to_string(rng() % kAccounts);
  r.stage = i % 4 ? "verification" : "evaluate";
  r.today = r.time.substr(0, 10);
  r.policy_sha256 = std::string(64, static_cast<char>('a' + day / 30));
  r.facts = R"({"document.type":"passport","document.expiry":"2029-03-01","image.blur":183.2,)"
            R"("image.glare":0.01,"image.brightness":131.5,"image.screen":0.05,"image.copy":0.02,)"
            R"("file.format":"jpeg","file.bytes":2311022,"document.detected":true,)"
            R"("document.cut_off":false,"account.document_accounts":0,"today":")" +
            r.today + R"("})";
  std::string reasons, undetermined, outcome = "approve";
  auto rank = [](const std::string& o) {
    return o == "approve" ? 0 : o == "resubmit" ? 1 : o == "review" ? 2 : 3;
  };
  for (const auto& c : kCodes)
    if (u(rng) < c.share) {
      if (!reasons.empty()) reasons += ',';
      reasons += std::string(R"({"code":")") + c.code + R"(","outcome":")" + c.outcome +
                 R"(","title":"Something about the photo","detail":"The check found a problem )"
                 R"(with the document in the photo you sent.","action":"Take a new photo of )"
                 R"(the original document in even light.","evidence":[{"atom":"image.blur < )"
                 R"(60","facts":{"image.blur":183.2}}]})";
      if (rank(c.outcome) > rank(outcome)) outcome = c.outcome;
    }
  if (u(rng) < 0.03) {
    undetermined = R"({"code":"DOC_EXPIRED","outcome":"review","missing":["document.expiry"]})";
    if (rank("review") > rank(outcome)) outcome = "review";
  }
  r.decision = R"({"decision_id":")" + r.decision_id + R"(","outcome":")" + outcome +
               R"(","reasons":[)" + reasons + R"(],"undetermined":[)" + undetermined +
               R"(],"policy":{"name":"kyc-document","version":")" + version_at(day) +
               R"(","sha256":")" + r.policy_sha256 + R"("},"locale":"en","today":")" + r.today +
               R"(","evaluated_at":")" + r.time + R"(","account_id":")" + r.account_id + R"("})";
  return r;
}

void fill(DecisionLog& log, int64_t total) {
  std::mt19937_64 rng(19);
  std::atomic<int64_t> done = 0;
  auto start = Clock::now();
  auto wait_below = [&](int64_t queued) {  // bounded memory: a few batches in flight
    while (queued - done > 20000) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  };
  int64_t queued = 0;
  for (int64_t i = 0; i < total; ++i) {
    int64_t seconds = i * (int64_t{kDays} * 86400) / total;
    if (i > 0 && seconds / 86400 % 30 == 0 &&
        (i - 1) * (int64_t{kDays} * 86400) / total / 86400 % 30 != 0) {
      // A deployment every 30 days: activations sit among the decisions, as in a real log.
      kyc::service::Activation a{time_at(seconds),
                                 version_at(static_cast<int>(seconds / 86400)),
                                 std::string(64, 'x'),
                                 "",
                                 "",
                                 "admin API",
                                 "ann",
                                 "kyc.policy",
                                 "monthly review"};
      log.append(kyc::service::activation_record(a, nullptr, nullptr), [&](auto) { ++done; });
      ++queued;
    }
    log.append(decision(i, total, rng), [&](auto) { ++done; });
    wait_below(++queued);
    if (i % 100000 == 0 && i)
      std::printf("  %lld decisions, %.0f/s\n", static_cast<long long>(i),
                  i / std::chrono::duration<double>(Clock::now() - start).count());
  }
  while (done < queued) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("filled %lld decisions in %.1f s (%.0f/s through the store's writer)\n",
              static_cast<long long>(total), secs, total / secs);
}

struct Timing {
  std::string what;
  double first_ms = 0, median_ms = 0, max_ms = 0;
  size_t items = 0;
};

kyc::server::HttpResponse get(kyc::server::Api& api, const std::string& target) {
  auto ex = std::make_shared<kyc::server::Exchange>();
  ex->request.method = "GET";
  ex->request.target = target;
  kyc::server::HttpResponse out;
  ex->reply = [&out](kyc::server::HttpResponse r, const kyc::server::RequestNotes&) {
    out = std::move(r);
  };
  api.handle(ex);
  return out;
}

// Times `targets(run)` over `runs` runs: the first run apart (colder cache), then the median.
template <typename Target>
Timing time_query(kyc::server::Api& api, const std::string& what, int runs, Target target) {
  std::vector<double> ms;
  Timing t{what};
  for (int run = 0; run < runs; ++run) {
    auto start = Clock::now();
    auto r = get(api, target(run));
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    if (r.status != 200) {
      std::fprintf(stderr, "%s: %d %s\n", target(run).c_str(), r.status, r.body.c_str());
      std::exit(1);
    }
    // Rows answered (search) or buckets (stats): a fast empty answer would prove nothing.
    if (run == 0)
      for (const char* key : {"\"decision_id\"", "\"start\""})
        for (size_t at = r.body.find(key); at != std::string::npos; at = r.body.find(key, at + 1))
          ++t.items;
  }
  t.first_ms = ms.front();
  std::sort(ms.begin(), ms.end());
  t.median_ms = ms[ms.size() / 2];
  t.max_ms = ms.back();
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  std::string db = "/tmp/kycd-search-bench/audit.db";
  int64_t total = 1000000;
  int runs = 21;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--db")
      db = argv[i + 1];
    else if (flag == "--decisions")
      total = std::stoll(argv[i + 1]);
    else if (flag == "--runs")
      runs = std::stoi(argv[i + 1]);
  }
  fs::create_directories(fs::path(db).parent_path());
  kyc::store::sqlite::AuditOptions options;
  options.batch_max = 8192;  // the fill's transactions; kyc serve commits what is queued
  // Opening a log written before the search index upgrades it: the time is that upgrade's.
  auto open_start = Clock::now();
  auto opened = kyc::store::sqlite::SqliteDecisionLog::open(db, options);
  std::printf("opened in %.1f s\n",
              std::chrono::duration<double>(Clock::now() - open_start).count());
  if (!opened) {
    std::fprintf(stderr, "%s\n", opened.error().message.c_str());
    return 1;
  }
  auto& log = **opened;
  int64_t have = log.count().value();
  if (have < total) {
    if (have > 0) {
      std::fprintf(stderr, "%s holds %lld records: remove it first\n", db.c_str(),
                   static_cast<long long>(have));
      return 1;
    }
    fill(log, total);
  } else {
    std::printf("reusing %s: %lld records\n", db.c_str(), static_cast<long long>(have));
  }

  kyc::server::ServeOptions serve;
  kyc::server::Metrics metrics;
  kyc::server::PolicyStore policies("/nonexistent", "kyc.policy");
  kyc::server::Api api(serve, policies, metrics, nullptr,
                       kyc::server::Stores{&log, nullptr, nullptr, {}});
  // A later page: the cursor of a decision a third of the way back.
  std::string later = std::to_string(total * 2 / 3);
  std::vector<Timing> t;
  auto account = [](int run) { return "acct-" + std::to_string(run * 2377 % kAccounts); };
  auto week = [](int run) {  // a different week of the 90 days each run
    int start = 7 + run % 10 * 7;
    return "from=" + time_at(int64_t{start} * 86400).substr(0, 10) +
           "&to=" + time_at(int64_t{start + 7} * 86400).substr(0, 10);
  };
  t.push_back(time_query(api, "no filter, first page", runs,
                         [](int) { return std::string("/v1/verifications"); }));
  t.push_back(time_query(api, "reason DOC_UNREADABLE (12%), first page", runs, [](int) {
    return std::string("/v1/verifications?reason=DOC_UNREADABLE");
  }));
  t.push_back(time_query(api, "reason DOC_UNREADABLE, later page", runs, [&](int) {
    return "/v1/verifications?reason=DOC_UNREADABLE&after=" + later;
  }));
  t.push_back(time_query(api, "reason IMAGE_TOO_LARGE (0.2%), first page", runs, [](int) {
    return std::string("/v1/verifications?reason=IMAGE_TOO_LARGE");
  }));
  t.push_back(time_query(api, "reason IMAGE_TOO_LARGE, later page", runs, [&](int) {
    return "/v1/verifications?reason=IMAGE_TOO_LARGE&after=" + later;
  }));
  t.push_back(time_query(api, "account (20 decisions each)", runs,
                         [&](int run) { return "/v1/verifications?account_id=" + account(run); }));
  t.push_back(time_query(api, "outcome reject + a week, first page", runs,
                         [&](int run) { return "/v1/verifications?outcome=reject&" + week(run); }));
  t.push_back(time_query(api, "outcome reject + a week, later page", runs, [&](int run) {
    std::string first = get(api, "/v1/verifications?outcome=reject&limit=200&" + week(run)).body;
    size_t at = first.rfind("\"next\":\"") + 8;
    return "/v1/verifications?outcome=reject&" + week(run) +
           "&after=" + first.substr(at, first.find('"', at) - at);
  }));
  t.push_back(time_query(api, "reason DOC_EXPIRED + outcome review + a week", runs, [&](int run) {
    return "/v1/verifications?reason=DOC_EXPIRED&outcome=review&" + week(run);
  }));
  t.push_back(time_query(api, "policy version 2026-10-01, first page", runs, [](int) {
    return std::string("/v1/verifications?policy_version=2026-10-01");
  }));
  t.push_back(time_query(api, "decision id", runs, [](int run) {
    return "/v1/verifications?decision_id=B" + std::to_string(1000000000 + run * 40009);
  }));
  t.push_back(time_query(api, "stats, 90 days by day", runs, [](int) {
    return std::string("/v1/stats?from=2026-09-01&to=2026-12-01");
  }));
  t.push_back(time_query(api, "stats, a week by hour", runs,
                         [&](int run) { return "/v1/stats?bucket=hour&" + week(run); }));
  std::printf("\n| query | rows | first ms | median ms | max ms |\n|---|---:|---:|---:|---:|\n");
  for (const auto& x : t)
    std::printf("| %s | %zu | %.2f | %.2f | %.2f |\n", x.what.c_str(), x.items, x.first_ms,
                x.median_ms, x.max_ms);
  return 0;
}
