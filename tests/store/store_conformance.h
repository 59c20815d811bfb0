// The conformance suite's fixture (store_conformance_*test.cc): one empty store per test, on the
// backend the parameter names ("sqlite", "postgresql"), opened by the tests through the
// backend-neutral opener (store/backend/open.h); and the records, appends and checks they share.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "store/chain.h"
#include "store/backend/open.h"
#include "tests/store/store_under_test.h"

namespace kyc::store::conformance {

using common::HmacSha256;
using test_support::StoreUnderTest;
using Commit = DecisionLog::Commit;

inline const ChainKey kKey = ChainKey::from_bytes(std::string(32, 'k'));
inline const ChainKey kOtherKey = ChainKey::from_bytes(std::string(32, 'o'));
inline const AuditOptions kOptions;
// A commit takes milliseconds; this only keeps a lost callback from hanging the run.
constexpr auto kCommitTimeout = std::chrono::seconds(60);

inline std::string two(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

// Decision `id` on `account` at second `second` of 2026-12-05 10:00.
inline AuditRecord decision(const std::string& id, const std::string& account, int second,
                            const std::string& outcome = "approve") {
  AuditRecord r;
  r.decision_id = id;
  r.time = "2026-12-05T10:" + two(second / 60) + ":" + two(second % 60) + ".000Z";
  r.account_id = account;
  r.stage = "evaluate";
  r.facts = R"({"document.number_present":true,"n":")" + id + R"("})";
  r.today = "2026-12-05";
  r.policy_sha256 = std::string(64, 'a');
  r.decision = R"({"decision_id":")" + id + R"(","outcome":")" + outcome +
               R"(","reasons":[],"undetermined":[],"policy":{"name":"kyc","version":"v1"}})";
  r.failed_attempt = outcome != "approve";
  return r;
}

inline AuditRecord approval(const std::string& id, const std::string& account,
                            const std::string& document, int64_t seen) {
  AuditRecord r = decision(id, account, 0);
  r.link = AuditRecord::DocumentLink{document, seen};
  return r;
}

// A time `hours` before now, as the records' times are written: idempotency keys are kept for
// 24 hours from their decision's time.
inline std::string hours_ago(int hours) {
  std::time_t t = std::time(nullptr) - hours * 3600;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
  return text;
}

// Decision `id` made `hours` ago for a request sent with an idempotency key (its scope).
inline AuditRecord keyed(const std::string& id, const std::string& scope, int hours = 0) {
  AuditRecord r = decision(id, "acct-1", 0);
  r.time = hours_ago(hours);
  r.idempotency = AuditRecord::Idempotency{scope, "request-of-" + id};
  return r;
}

// Appends every record at once (so that a backend may commit them in one batch) and waits
// for each one's result.
inline std::vector<Commit> commit_all(DecisionLog& log, std::vector<AuditRecord> records) {
  std::vector<std::future<Commit>> pending;
  for (auto& r : records) {
    auto done = std::make_shared<std::promise<Commit>>();
    pending.push_back(done->get_future());
    log.append(std::move(r), [done](Commit c) { done->set_value(c); });
  }
  std::vector<Commit> results;
  for (auto& f : pending) {
    if (f.wait_for(kCommitTimeout) != std::future_status::ready) {
      ADD_FAILURE() << "an append got no result within " << kCommitTimeout.count() << " s";
      results.push_back(Commit::Failed);
      continue;
    }
    results.push_back(f.get());
  }
  return results;
}

inline Commit commit(DecisionLog& log, AuditRecord record) {
  return commit_all(log, {std::move(record)}).front();
}

inline std::vector<StoredRecord> all_records(DecisionLog& log, const std::string& from = "",
                                             const std::string& to = "") {
  std::vector<StoredRecord> out;
  auto read = log.range(from, to, [&out](const StoredRecord& s) {
    out.push_back(s);
    return true;
  });
  EXPECT_TRUE(read) << read.error().message;
  return out;
}

template <typename Rows>
std::vector<std::string> ids(const Rows& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) {  // StoredRecords or DecisionRows
    if constexpr (requires { r.record; })
      out.push_back(r.record.decision_id);
    else
      out.push_back(r.decision_id);
  }
  return out;
}

inline ChainCheck verify(DecisionLog& log, const ChainKey* key = &kKey) {
  VerifyOptions options;
  options.key = key;
  return verify_chain(log, options);
}

inline std::shared_ptr<FileMasterKey> master_of(char c) {
  return *FileMasterKey::from_bytes(std::string(32, c));
}

class StoreConformance : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto made = StoreUnderTest::make(GetParam());
    ASSERT_TRUE(made) << made.error().message;
    store_ = std::move(*made);
  }

  const StoreLocation& where() const { return store_->where(); }

  // The chain-checking tests' edit behind the store's back.
  void execute_behind_the_store(const std::string& sql) {
    auto done = store_->execute_behind_the_store(sql);
    ASSERT_TRUE(done) << done.error().message;
  }

  // The per-account data keys under master key `master` (32 times that byte).
  Result<std::unique_ptr<AccountKeys>> open_keys(char master) {
    return open_account_keys(where(), master_of(master),
                             *HmacSha256::with_key(std::string(32, 'd')),
                             std::chrono::milliseconds(5000));
  }

  std::unique_ptr<StoreUnderTest> store_;
};

}  // namespace kyc::store::conformance

// Opens the store with the chain key, as the service does; a failed open ends the test.
#define OPEN_STORES(name)                                      \
  auto name##_opened = open_stores(where(), kOptions, &kKey);  \
  ASSERT_TRUE(name##_opened) << name##_opened.error().message; \
  Stores& name = *name##_opened
