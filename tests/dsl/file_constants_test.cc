// Lists and tables kept in files of their own (issue 18, item 2): list("...") and
// table("...", type) read relative to the policy's folder and never out of it; a missing
// file, a bad line or a duplicate key is a load error naming the file and its line; the
// policy's sha256 covers every file, and the recorded files load the same policy again.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "common/sha256.h"
#include "dsl/policy_loader.h"
#include "tests/test_support.h"

using namespace kyc;
namespace fs = std::filesystem;

namespace {

const char* kHeader = R"(policy "t" {
  version "1"
  locales en
  on missing review
}
facts {
  issuer : string
  accounts : int
}
)";

std::string reason(const std::string& when) {
  return "reason R {\n  outcome reject\n  when " + when +
         "\n  message en { title \"t\" detail \"d\" action \"a\" }\n}\n";
}

// A policy folder of its own per test, removed afterwards.
class PolicyFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("kyc-files-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "policy" / "lists");
  }
  void TearDown() override { fs::remove_all(root_); }

  void write(const std::string& relative, const std::string& content) {
    std::ofstream(root_ / "policy" / relative, std::ios::binary) << content;
  }
  dsl::LoadedPolicy load(const std::string& lets_and_reasons) {
    write("kyc.policy", kHeader + lets_and_reasons);
    return dsl::load_policy_file((root_ / "policy" / "kyc.policy").string());
  }
  // The first error, without the file name: "LINE:COL: message".
  static std::string first_error(const dsl::LoadedPolicy& p) {
    for (const auto& d : p.diagnostics.items())
      if (d.severity == dsl::Severity::Error)
        return std::to_string(d.location.line) + ":" + std::to_string(d.location.column) + ": " +
               d.message;
    return "";
  }

  fs::path root_;
};

std::string fired(const dsl::LoadedPolicy& p, const std::string& facts) {
  return test_support::codes(test_support::decide(*p.compiled, facts));
}

}  // namespace

TEST_F(PolicyFolder, AListFileHasOneTrimmedEntryPerLineWithoutBlanksOrComments) {
  write("lists/sanctioned.txt", "# kept by compliance\nPRK\n\n  IRN  \r\n# SYR is not listed\n");
  auto p = load("let SANCTIONED = list(\"lists/sanctioned.txt\")\n" +
                reason("issuer in SANCTIONED"));
  ASSERT_TRUE(p.ok()) << p.report();
  EXPECT_EQ(fired(p, R"({"issuer": "IRN", "accounts": 0})"), "R");
  EXPECT_EQ(fired(p, R"({"issuer": "PRK", "accounts": 0})"), "R");
  EXPECT_EQ(fired(p, R"({"issuer": "SYR", "accounts": 0})"), "");
  EXPECT_EQ(fired(p, R"({"issuer": "# SYR is not listed", "accounts": 0})"), "");
  ASSERT_EQ(p.files.size(), 1u);
  EXPECT_EQ(p.files[0].path, "lists/sanctioned.txt");
}

TEST_F(PolicyFolder, ATableFileGivesEachKeyItsValueAndLookupFallsBackToTheDefault) {
  write("lists/limits.csv", "key,value\n# Germany writes D in its MRZ\nD,2\nDEU,2\n\"FRA\",3\n");
  auto p = load("let LIMIT = table(\"lists/limits.csv\", int)\n" +
                reason("accounts >= lookup(LIMIT, issuer, 1)"));
  ASSERT_TRUE(p.ok()) << p.report();
  EXPECT_EQ(fired(p, R"({"issuer": "D", "accounts": 1})"), "");
  EXPECT_EQ(fired(p, R"({"issuer": "D", "accounts": 2})"), "R");
  EXPECT_EQ(fired(p, R"({"issuer": "FRA", "accounts": 2})"), "");
  EXPECT_EQ(fired(p, R"({"issuer": "FRA", "accounts": 3})"), "R");
  EXPECT_EQ(fired(p, R"({"issuer": "NLD", "accounts": 1})"), "R");  // the default, 1
}

TEST_F(PolicyFolder, AMissingFileABadLineAndADuplicateKeyNameTheFileAndLine) {
  auto missing = load("let S = list(\"lists/absent.txt\")\n" + reason("issuer in S"));
  EXPECT_EQ(first_error(missing),
            "10:14: lists/absent.txt: cannot read the file (No such file or directory)");

  write("lists/bad.csv", "key,value\nD,2\nDEU,two\n");
  auto bad = load("let L = table(\"lists/bad.csv\", int)\n" +
                  reason("accounts >= lookup(L, issuer, 1)"));
  EXPECT_EQ(first_error(bad), "10:9: lists/bad.csv:3: \"two\" is not an int");

  write("lists/dup.csv", "key,value\nD,2\n\nD,3\n");
  auto dup = load("let L = table(\"lists/dup.csv\", int)\n" +
                  reason("accounts >= lookup(L, issuer, 1)"));
  EXPECT_EQ(first_error(dup), "10:9: lists/dup.csv:4: the key \"D\" is already on line 2");

  write("lists/noheader.csv", "D,2\n");
  auto header = load("let L = table(\"lists/noheader.csv\", int)\n" +
                     reason("accounts >= lookup(L, issuer, 1)"));
  EXPECT_EQ(first_error(header),
            "10:9: lists/noheader.csv:1: the first line must be the header key,value");

  write("lists/wide.csv", "key,value\nD,2,3\n");
  auto wide = load("let L = table(\"lists/wide.csv\", int)\n" +
                   reason("accounts >= lookup(L, issuer, 1)"));
  EXPECT_EQ(first_error(wide), "10:9: lists/wide.csv:2: expected key,value (2 fields), found 3");
}

TEST_F(PolicyFolder, AFileThatIsNotUtf8NamesItsLineAndASpreadsheetsByteOrderMarkIsNoHeader) {
  // Latin-1 entries once loaded and went, as they were, into decisions and records.
  write("lists/latin1.txt", "UTO\nD\xfc\n");
  auto latin = load("let S = list(\"lists/latin1.txt\")\n" + reason("issuer in S"));
  EXPECT_EQ(first_error(latin),
            "10:14: lists/latin1.txt:2: a byte that is not UTF-8 text; save the file as UTF-8");
  // "CSV UTF-8" from a spreadsheet: a byte-order mark and CRLF line ends.
  write("lists/excel.csv", "\xEF\xBB\xBFkey,value\r\nD,2\r\n");
  auto excel = load("let L = table(\"lists/excel.csv\", int)\n" +
                    reason("accounts >= lookup(L, issuer, 1)"));
  ASSERT_TRUE(excel.ok()) << excel.report();
  EXPECT_EQ(fired(excel, R"({"issuer": "D", "accounts": 2})"), "R");
}

TEST_F(PolicyFolder, APathMayNotLeaveThePolicysFolder) {
  std::ofstream(root_ / "secret.txt") << "PRK\n";
  auto up = load("let S = list(\"../secret.txt\")\n" + reason("issuer in S"));
  EXPECT_EQ(first_error(up), "10:14: the path may not leave the policy's folder ('..')");
  auto absolute =
      load("let S = list(\"" + (root_ / "secret.txt").string() + "\")\n" + reason("issuer in S"));
  EXPECT_EQ(first_error(absolute), "10:14: the path must be relative to the policy's folder");
  fs::create_symlink(root_ / "secret.txt", root_ / "policy" / "lists" / "link.txt");
  auto link = load("let S = list(\"lists/link.txt\")\n" + reason("issuer in S"));
  EXPECT_EQ(first_error(link),
            "10:14: lists/link.txt: the file is a link that leads out of the policy folder; "
            "refused");
}

TEST_F(PolicyFolder, AFileCallIsAConstantsWholeValueOnly) {
  write("lists/s.txt", "PRK\n");
  auto p = load(reason("issuer in list(\"lists/s.txt\")"));
  EXPECT_EQ(first_error(p),
            "12:18: list(...) reads a file when the policy loads: use it as a constant's whole "
            "value, e.g. let NAME = list(\"lists/names.txt\")");
  auto typed = load("let L = table(\"lists/s.txt\", date)\n" + reason("issuer in L"));
  EXPECT_EQ(first_error(typed),
            "10:9: table takes the file's path and the values' type (int, number, string or "
            "bool): table(\"lists/limits.csv\", int)");
}

TEST_F(PolicyFolder, TheSha256CoversEveryFileAndTheRecordedFilesLoadTheSamePolicy) {
  write("lists/s.txt", "PRK\n");
  std::string text = "let S = list(\"lists/s.txt\")\n" + reason("issuer in S");
  auto first = load(text);
  ASSERT_TRUE(first.ok()) << first.report();
  auto plain = dsl::load_policy("t.policy", kHeader + reason("issuer in [\"PRK\"]"));
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain.compiled->sha256, common::sha256_hex(plain.source->text()))
      << "a policy without files keeps the sha256 of its text (older records)";

  write("lists/s.txt", "PRK\nIRN\n");
  auto edited = load(text);
  ASSERT_TRUE(edited.ok());
  EXPECT_NE(first.compiled->sha256, edited.compiled->sha256) << "a changed list is a new policy";

  // Replay: the text with the files recorded with it, not those on disk now.
  auto replayed = dsl::load_policy("recorded", first.source->text(),
                                   dsl::RecordedFiles(first.files));
  ASSERT_TRUE(replayed.ok()) << replayed.report();
  EXPECT_EQ(replayed.compiled->sha256, first.compiled->sha256);
  EXPECT_EQ(fired(replayed, R"({"issuer": "IRN", "accounts": 0})"), "");

  auto text_only = dsl::load_policy("text", first.source->text());
  EXPECT_FALSE(text_only.ok()) << "a text without a folder reads no file";
}

TEST_F(PolicyFolder, AFileOverTheLimitsIsRefused) {
  std::string many;
  for (int i = 0; i < 11; ++i) many += "E" + std::to_string(i) + "\n";
  write("lists/many.txt", many);
  write("kyc.policy", kHeader + std::string("let S = list(\"lists/many.txt\")\n") +
                          reason("issuer in S"));
  dsl::ParseOptions options;
  options.max_file_entries = 10;
  auto entries = dsl::load_policy_file((root_ / "policy" / "kyc.policy").string(), options);
  EXPECT_EQ(first_error(entries), "10:9: lists/many.txt: more than 10 entries");
  options = {};
  options.max_file_bytes = 8;
  auto bytes = dsl::load_policy_file((root_ / "policy" / "kyc.policy").string(), options);
  EXPECT_EQ(first_error(bytes), "10:14: lists/many.txt: the file is over 8 bytes");
}

TEST_F(PolicyFolder, ACommentAfterAnEntryIsRefusedWhereItWouldHaveSilentlyChangedTheEntry) {
  // `IRN # Iran` was the entry "IRN # Iran": an Iranian document matched nothing and was
  // approved (probe, stop 48).
  write("lists/sanctioned.txt", "PRK\nIRN  # Iran\nA#1\n");
  std::string text = "let S = list(\"lists/sanctioned.txt\")\n" + reason("issuer in S");
  auto listed = load(text);
  EXPECT_FALSE(listed.ok());
  EXPECT_EQ(first_error(listed),
            "10:9: lists/sanctioned.txt:2: \"IRN  # Iran\" would be one entry, comment and all: a "
            "comment goes on a line of its own (write \"IRN\" and put \"# Iran\" on the line "
            "above)");
  write("lists/limits.csv", "key,value\nFRA,3\t# France\n");
  auto table = load("let L = table(\"lists/limits.csv\", int)\n" +
                    reason("accounts >= lookup(L, issuer, 1)"));
  EXPECT_NE(first_error(table).find("lists/limits.csv:2: \"FRA,3\t# France\""), std::string::npos)
      << first_error(table);

  // A decision recorded with such a list replays as it was decided, with a warning.
  dsl::PolicyFile kept{"lists/sanctioned.txt", "", "PRK\nIRN  # Iran\nA#1\n"};
  kept.sha256 = common::sha256_hex(kept.content);
  auto replayed = dsl::load_policy("recorded", kHeader + text, dsl::RecordedFiles({kept}));
  ASSERT_TRUE(replayed.ok()) << replayed.report();
  EXPECT_NE(replayed.report().find("warning: lists/sanctioned.txt:2:"), std::string::npos)
      << replayed.report();
  EXPECT_EQ(fired(replayed, R"({"issuer": "IRN", "accounts": 0})"), "");
  EXPECT_EQ(fired(replayed, R"({"issuer": "A#1", "accounts": 0})"), "R");

  // A '#' inside an entry is part of it; a list of comments alone is a warning.
  write("lists/sanctioned.txt", "PRK\nA#1\n");
  auto inside = load(text);
  ASSERT_TRUE(inside.ok()) << inside.report();
  EXPECT_EQ(fired(inside, R"({"issuer": "A#1", "accounts": 0})"), "R");
  write("lists/sanctioned.txt", "# PRK\n# IRN\n");
  auto empty = load(text);
  ASSERT_TRUE(empty.ok()) << empty.report();
  EXPECT_NE(empty.report().find("lists/sanctioned.txt has no entry"), std::string::npos)
      << empty.report();
}
