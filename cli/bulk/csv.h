// CSV as RFC 4180 describes it, for the bulk commands: a reader for `kyc accounts import`
// (spreadsheets and exports from other systems: a UTF-8 BOM, CRLF, quoted fields that hold
// commas, quotes and newlines) and the field writer of common/csv_field.h.
// A malformed record is a value with its line number, never an exception: one bad line of a
// million must not stop the reader from naming the next one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/csv_field.h"

namespace kyc::cli {

// Bounds the memory one record can take, so that a stray quote at the top of a large file is
// reported as what it is instead of reading the whole file into one field.
struct CsvLimits {
  size_t max_field_bytes = 64 * 1024;
  size_t max_record_bytes = 1024 * 1024;
};

struct CsvRecord {
  size_t line = 0;  // the line the record starts on (1-based); a quoted newline spans lines
  std::vector<std::string> fields;
};

// Why a record could not be read; `line` is where it starts (for an unterminated quote, the
// line of the opening quote).
struct CsvProblem {
  size_t line = 0;
  std::string message;
};

class CsvReader {
 public:
  explicit CsvReader(std::istream& in, CsvLimits limits = {});

  enum class Result { Record, Malformed, End };
  // Reads the next record into `record`. Malformed: problem() says why; the reader has already
  // skipped to the start of the next record, so the caller may go on. A leading UTF-8 BOM is
  // dropped; CRLF, LF and a lone CR all end a record outside quotes.
  Result next(CsvRecord& record);
  const CsvProblem& problem() const { return problem_; }
  size_t line() const { return line_; }  // the line the next record starts on
  bool at_end() { return peek() == std::char_traits<char>::eof(); }
  // Bytes consumed so far (BOM included): progress against the file's size.
  uint64_t bytes_read() const { return consumed_; }

 private:
  int peek();
  int get();
  bool fill();

  std::istream& in_;
  CsvLimits limits_;
  std::string buffer_;
  size_t pos_ = 0;
  uint64_t consumed_ = 0;
  size_t line_ = 1;
  bool started_ = false;
  CsvProblem problem_;
};

// The field writer is common's (the server's export writes the same cells).
using common::append_csv_field;
using common::FormulaGuard;
using common::starts_like_formula;

}  // namespace kyc::cli
