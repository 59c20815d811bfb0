// The bulk commands' CSV: what spreadsheets and other systems write (BOM, CRLF, quoted commas,
// quotes and newlines) reads back field for field; a malformed record is named by its line and
// the reader goes on with the next; what the export writes reads back, formulas defused.
#include "cli/bulk/csv.h"

#include <gtest/gtest.h>

#include <sstream>

using kyc::cli::append_csv_field;
using kyc::cli::CsvLimits;
using kyc::cli::CsvReader;
using kyc::cli::CsvRecord;
using kyc::cli::FormulaGuard;

namespace {

using Fields = std::vector<std::string>;

// Every record's line and fields; a malformed one as {line, {"!" + message}}.
std::vector<std::pair<size_t, Fields>> read_all(const std::string& text, CsvLimits limits = {}) {
  std::istringstream in(text);
  CsvReader reader(in, limits);
  CsvRecord record;
  std::vector<std::pair<size_t, Fields>> out;
  for (auto r = reader.next(record); r != CsvReader::Result::End; r = reader.next(record)) {
    if (r == CsvReader::Result::Malformed)
      out.push_back({reader.problem().line, {"!" + reader.problem().message}});
    else
      out.push_back({record.line, record.fields});
  }
  return out;
}

}  // namespace

TEST(CsvReader, QuotedCommasQuotesAndNewlines) {
  auto records = read_all(
      "a,b,c\n"
      "\"Smith, John\",\"say \"\"hi\"\"\",\"two\nlines\"\n"
      "x,,\"\"\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].second, (Fields{"a", "b", "c"}));
  EXPECT_EQ(records[1].first, 2u);
  EXPECT_EQ(records[1].second, (Fields{"Smith, John", "say \"hi\"", "two\nlines"}));
  EXPECT_EQ(records[2].first, 4u);  // the quoted newline counts as a line
  EXPECT_EQ(records[2].second, (Fields{"x", "", ""}));
}

TEST(CsvReader, BomAndCrlfAndNoFinalNewline) {
  auto records = read_all(
      "\xEF\xBB\xBF"
      "id,name\r\n1,\"a\r\nb\"\r\n2,c");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].second, (Fields{"id", "name"}));   // no BOM in the first field
  EXPECT_EQ(records[1].second, (Fields{"1", "a\r\nb"}));  // inside quotes a CRLF is data
  EXPECT_EQ(records[2].first, 4u);
  EXPECT_EQ(records[2].second, (Fields{"2", "c"}));
}

TEST(CsvReader, ABomOnlyAtTheStartIsDropped) {
  EXPECT_EQ(read_all("\xEF\xBB\xBF").size(), 0u);
  auto records = read_all(
      "a\n\xEF\xBB\xBF"
      "b\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].second, (Fields{"\xEF\xBB\xBF"
                                       "b"}));
}

TEST(CsvReader, BlankLineIsOneEmptyField) {
  auto records = read_all("a\n\nb\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[1].second, (Fields{""}));
  EXPECT_EQ(records[2].first, 3u);
}

TEST(CsvReader, UnterminatedQuoteIsNamedByTheLineItOpensOn) {
  auto records = read_all("a,b\n1,2\n3,\"never closed\n4,5\n6,7\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[1].second, (Fields{"1", "2"}));
  EXPECT_EQ(records[2].first, 3u);
  EXPECT_NE(records[2].second[0].find("never closed"), std::string::npos) << records[2].second[0];
}

TEST(CsvReader, StrayQuotesAreNamedAndTheNextRecordStillReads) {
  auto records = read_all("1,\"ab\"c,2\n3,a\"b,4\n5,\"multi\nline\"x\n6,7\n");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].first, 1u);
  EXPECT_NE(records[0].second[0].find("after the closing quote"), std::string::npos);
  EXPECT_EQ(records[1].first, 2u);
  EXPECT_NE(records[1].second[0].find("quote inside an unquoted field"), std::string::npos);
  EXPECT_EQ(records[2].first, 4u);  // where the problem is, inside a two-line record
  EXPECT_EQ(records[3].first, 5u);
  EXPECT_EQ(records[3].second, (Fields{"6", "7"}));
}

TEST(CsvReader, FieldAndRecordLimitsAreNamedAndSkipped) {
  CsvLimits limits;
  limits.max_field_bytes = 8;
  limits.max_record_bytes = 20;
  auto records =
      read_all("123456789,a\n\"quoted 123456789\",b\n1234567,1234567,1234567\nok,1\n", limits);
  ASSERT_EQ(records.size(), 4u);
  EXPECT_NE(records[0].second[0].find("longer than 8 bytes"), std::string::npos);
  EXPECT_NE(records[1].second[0].find("longer than 8 bytes"), std::string::npos);
  EXPECT_NE(records[2].second[0].find("record is longer than 20 bytes"), std::string::npos)
      << records[2].second[0];
  EXPECT_EQ(records[3].second, (Fields{"ok", "1"}));
}

TEST(CsvReader, FieldsAndRecordsOfExactlyTheLimitRead) {
  CsvLimits limits;
  limits.max_field_bytes = 8;
  limits.max_record_bytes = 17;
  auto records = read_all("12345678,12345678\n\"12345678\",1\n", limits);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].second, (Fields{"12345678", "12345678"}));
  EXPECT_EQ(records[1].second, (Fields{"12345678", "1"}));
}

TEST(CsvReader, ALineOfCommasDoesNotGrowTheRecordPastItsLimit) {
  CsvLimits limits;
  limits.max_record_bytes = 100;
  std::istringstream in(std::string(100000, ',') + "\nnext\n");
  CsvReader reader(in, limits);
  CsvRecord record;
  ASSERT_EQ(reader.next(record), CsvReader::Result::Malformed);
  EXPECT_LE(record.fields.size(), 101u);
  EXPECT_NE(reader.problem().message.find("record is longer than 100 bytes"), std::string::npos);
  ASSERT_EQ(reader.next(record), CsvReader::Result::Record);
  EXPECT_EQ(record.fields, (Fields{"next"}));
  EXPECT_EQ(record.line, 2u);
}

TEST(CsvReader, AStrayQuoteInALargeFileIsOneProblemWhereItOpens) {
  // The field limit keeps the rest of the file from being held in memory on the way.
  std::string text = "a,\"oops\n";
  for (int i = 0; i < 100000; ++i) text += "row,value\n";
  CsvLimits limits;
  limits.max_field_bytes = 1024;
  auto records = read_all(text, limits);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].first, 1u);
  EXPECT_NE(records[0].second[0].find("never closed"), std::string::npos);
}

TEST(CsvReader, BytesReadCountsTheBom) {
  std::istringstream in(
      "\xEF\xBB\xBF"
      "a,b\n");
  CsvReader reader(in);
  CsvRecord record;
  ASSERT_EQ(reader.next(record), CsvReader::Result::Record);
  EXPECT_EQ(reader.bytes_read(), 7u);
  EXPECT_EQ(reader.next(record), CsvReader::Result::End);
}

TEST(CsvWriter, QuotesOnlyWhatNeedsIt) {
  auto field = [](std::string_view s, FormulaGuard g = FormulaGuard::Off) {
    std::string out;
    append_csv_field(out, s, g);
    return out;
  };
  EXPECT_EQ(field("plain"), "plain");
  EXPECT_EQ(field(""), "");
  EXPECT_EQ(field("a,b"), "\"a,b\"");
  EXPECT_EQ(field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(field("cr\r"), "\"cr\r\"");
  EXPECT_EQ(field("-5"), "-5");  // no guard asked
}

TEST(CsvWriter, FormulaGuard) {
  auto guarded = [](std::string_view s) {
    std::string out;
    append_csv_field(out, s, FormulaGuard::On);
    return out;
  };
  EXPECT_EQ(guarded("=1+1"), "\"'=1+1\"");
  EXPECT_EQ(guarded("+1"), "\"'+1\"");
  EXPECT_EQ(guarded("-1"), "\"'-1\"");
  EXPECT_EQ(guarded("@SUM(A1)"), "\"'@SUM(A1)\"");
  EXPECT_EQ(guarded("\t=1"), "\"'\t=1\"");
  EXPECT_EQ(guarded("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(guarded("a=1"), "a=1");  // only the first character counts
  EXPECT_EQ(guarded("{\"a\":-1}"), "\"{\"\"a\"\":-1}\"");
}

TEST(CsvWriter, WhatIsWrittenReadsBack) {
  const Fields fields = {"plain", "a,b", "say \"hi\"", "two\r\nlines", "", "=cmd()"};
  std::string text;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) text += ',';
    append_csv_field(text, fields[i], FormulaGuard::On);
  }
  text += '\n';
  auto records = read_all(text);
  ASSERT_EQ(records.size(), 1u);
  Fields expected = fields;
  expected.back() = "'=cmd()";
  EXPECT_EQ(records[0].second, expected);
}
