// End-to-end: `kyc keys rotate` re-wraps every account's data key under a new master key in
// one go and prints how many; the decision records are left byte for byte; afterwards the
// keys open with the new master key only. It refuses, changing nothing and leaving no new key
// file behind, when the current master key cannot unwrap a key.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

#include "server_process.h"
#include "store/document_key.h"
#include "store/master_key.h"
#include "store/sqlite/decision_log.h"
#include "store/sqlite/open.h"
#include "tests/temp_dir.h"

using namespace kyc::e2e;
using kyc::store::FileMasterKey;
using kyc::test_support::TempDir;

namespace {

std::unique_ptr<kyc::store::AccountKeys> keys_under(const fs::path& data_dir,
                                                    const std::string& master_file) {
  auto master = FileMasterKey::load_or_create(master_file);
  EXPECT_TRUE(master) << master.error().message;
  auto document_key = kyc::store::DocumentKey::load_or_create((data_dir / "document.key").string());
  EXPECT_TRUE(document_key);
  auto keys = kyc::store::sqlite::open_account_keys(
      data_dir.string(), std::move(*master), document_key->mac(), std::chrono::milliseconds(1000));
  EXPECT_TRUE(keys) << keys.error().message;
  return std::move(*keys);
}

// Every column of every decision record, in order: what must not change.
std::string decision_rows(const fs::path& data_dir) {
  SQLite::Database db((data_dir / "audit.db").string(), SQLite::OPEN_READONLY);
  SQLite::Statement q(db, "SELECT * FROM decisions ORDER BY rowid");
  std::string rows;
  while (q.executeStep()) {
    for (int i = 0; i < q.getColumnCount(); ++i) rows += q.getColumn(i).getString() + "\x1f";
    rows += "\n";
  }
  return rows;
}

void append_decisions(const fs::path& data_dir, int n) {
  auto log = kyc::store::sqlite::SqliteDecisionLog::open((data_dir / "audit.db").string(), {});
  ASSERT_TRUE(log) << log.error().message;
  std::atomic<int> committed{0};
  for (int i = 0; i < n; ++i) {
    kyc::store::AuditRecord r;
    r.decision_id = "D" + std::to_string(i);
    r.time = "2026-12-05T00:00:00Z";
    r.account_id = "acct-" + std::to_string(i);
    r.stage = "evaluate";
    r.facts = "{}";
    r.today = "2026-12-05";
    r.policy_sha256 = std::string(64, 'a');
    r.decision = R"({"outcome":"resubmit"})";
    r.failed_attempt = true;
    (*log)->append(r, [&](kyc::store::DecisionLog::Commit c) {
      committed += c == kyc::store::DecisionLog::Commit::Committed;
    });
  }
  for (int i = 0; i < 500 && committed < n; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_EQ(committed.load(), n);
}

}  // namespace

TEST(KeysRotate, RewrapsEveryDataKeyAndLeavesTheRecords) {
  TempDir dir("kycd-rotate");
  fs::path data = dir.path / "var";
  fs::create_directory(data);
  append_decisions(data, 3);
  std::string old_file = (data / "master.key").string();
  std::map<std::string, std::string> before;
  {
    auto keys = keys_under(data, old_file);
    for (std::string account : {"acct-0", "acct-1"})
      before[account] = std::string(keys->data_key(account, "2026-12-05T00:00:00Z")->bytes());
  }
  std::string records = decision_rows(data);
  ASSERT_FALSE(records.empty());

  std::string new_file = (dir.path / "master-2027.key").string();  // outside the data folder
  auto [rc, out] =
      run_kyc("keys rotate --data-dir " + data.string() + " --new-master-key " + new_file);
  ASSERT_EQ(rc, 0) << out;
  auto next = FileMasterKey::load(new_file);
  ASSERT_TRUE(next);
  EXPECT_NE(out.find("re-wrapped 2 data keys under master key " + (*next)->key_id()),
            std::string::npos)
      << out;
  EXPECT_EQ((fs::status(new_file).permissions() & fs::perms::all),
            fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_TRUE(fs::exists(old_file));  // left for the operator to retire
  EXPECT_EQ(decision_rows(data), records);

  auto with_new = keys_under(data, new_file);
  auto with_old = keys_under(data, old_file);
  for (const auto& [account, bytes] : before) {
    auto lookup = with_new->find_data_key(account);
    ASSERT_TRUE(lookup) << lookup.error().message;
    EXPECT_EQ(lookup->key->bytes(), bytes);
    EXPECT_FALSE(with_old->find_data_key(account));
  }
}

TEST(KeysRotate, RefusesAndChangesNothingWhenAKeyDoesNotUnwrap) {
  TempDir dir("kycd-rotate");
  fs::path data = dir.path / "var";
  fs::create_directory(data);
  append_decisions(data, 1);
  ASSERT_TRUE(keys_under(data, (data / "master.key").string())->data_key("acct-0", "t"));
  // Wrapped by a master key the data folder does not know.
  ASSERT_TRUE(keys_under(data, (dir.path / "stray.key").string())->data_key("acct-1", "t"));
  SQLite::Database db((data / "audit.db").string(), SQLite::OPEN_READONLY);
  auto wrapped = [&] {
    return db.execAndGet("SELECT group_concat(master_key_id || hex(wrapped)) FROM account_keys")
        .getString();
  };
  std::string before = wrapped();

  std::string new_file = (dir.path / "new.key").string();
  auto [rc, out] =
      run_kyc("keys rotate --data-dir " + data.string() + " --new-master-key " + new_file);
  EXPECT_EQ(rc, 1);
  EXPECT_NE(out.find("acct-1"), std::string::npos) << out;
  EXPECT_NE(out.find("nothing was re-wrapped"), std::string::npos) << out;
  EXPECT_EQ(wrapped(), before);
  EXPECT_FALSE(fs::exists(new_file));

  auto [rc2, out2] = run_kyc("keys rotate --data-dir " + (dir.path / "none").string() +
                             " --new-master-key " + new_file);
  EXPECT_EQ(rc2, 1);
  EXPECT_NE(out2.find("no audit log here"), std::string::npos) << out2;
}
