#include "cli/bulk/csv.h"

namespace kyc::cli {

namespace {

constexpr size_t kReadChunkBytes = 64 * 1024;
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

}  // namespace

CsvReader::CsvReader(std::istream& in, CsvLimits limits) : in_(in), limits_(limits) {}

bool CsvReader::fill() {
  if (pos_ < buffer_.size()) return true;
  buffer_.resize(kReadChunkBytes);
  in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  buffer_.resize(static_cast<size_t>(in_.gcount()));
  pos_ = 0;
  return !buffer_.empty();
}

int CsvReader::peek() {
  return fill() ? static_cast<unsigned char>(buffer_[pos_]) : std::char_traits<char>::eof();
}

int CsvReader::get() {
  int c = peek();
  if (c != std::char_traits<char>::eof()) ++pos_, ++consumed_;
  return c;
}

CsvReader::Result CsvReader::next(CsvRecord& record) {
  constexpr int kEof = std::char_traits<char>::eof();
  if (!started_) {
    started_ = true;
    // istream::read fills the whole first chunk unless the file is shorter, so a BOM is
    // either entirely in the buffer or absent.
    if (fill() && std::string_view(buffer_).substr(0, kUtf8Bom.size()) == kUtf8Bom)
      pos_ += kUtf8Bom.size(), consumed_ += kUtf8Bom.size();
  }
  record.fields.clear();
  record.line = line_;
  if (peek() == kEof) return Result::End;

  // The first problem of the record is kept, and the record is still read to its end: its
  // quotes decide where the next record starts.
  std::optional<CsvProblem> problem;
  auto note = [&problem](size_t line, std::string message) {
    if (!problem) problem = CsvProblem{line, std::move(message)};
  };
  size_t record_bytes = 0;  // field bytes and separators
  auto record_too_long = [&] {
    note(line_, "the record is longer than " + std::to_string(limits_.max_record_bytes) + " bytes");
  };
  // Past a limit the bytes are scanned, not kept, to find where the record ends.
  auto keep = [&](std::string& field, char c) {
    if (field.size() == limits_.max_field_bytes) {
      if (!problem)
        note(line_, "a field is longer than " + std::to_string(limits_.max_field_bytes) + " bytes");
    } else if (record_bytes == limits_.max_record_bytes) {
      if (!problem) record_too_long();
    } else {
      field += c;
      ++record_bytes;
    }
  };

  while (true) {
    // Past the record limit (a line of commas), fields share one slot instead of growing the list.
    bool full = record_bytes == limits_.max_record_bytes && !record.fields.empty();
    std::string& field = full ? record.fields.back() : record.fields.emplace_back();
    if (peek() == '"') {
      get();
      size_t opened = line_;
      while (true) {
        int c = get();
        if (c == kEof) {
          problem_ = {opened,
                      "the quoted field opened on this line is never closed: the rest of the file "
                      "was read into it"};
          return Result::Malformed;
        }
        if (c == '"') {
          if (peek() != '"') break;
          get();
        }
        if (c == '\n') ++line_;
        keep(field, static_cast<char>(c));
      }
      int after = peek();
      if (after != ',' && after != '\r' && after != '\n' && after != kEof)
        note(line_,
             "unexpected text after the closing quote of a field (a quote inside a quoted field "
             "is written twice: \"\")");
    }
    // Unquoted text, or what follows a closing quote, up to the end of the field.
    while (true) {
      int c = peek();
      if (c == ',' || c == '\r' || c == '\n' || c == kEof) break;
      if (c == '"')
        note(line_,
             "a quote inside an unquoted field (quote the whole field and write the quote "
             "twice: \"\")");
      keep(field, static_cast<char>(get()));
    }
    int c = get();
    if (c == ',') {
      if (record_bytes < limits_.max_record_bytes)
        ++record_bytes;
      else if (!problem)
        record_too_long();
      continue;
    }
    if (c == '\r' && peek() == '\n') get();
    if (c != kEof) ++line_;
    break;
  }
  if (problem) {
    problem_ = std::move(*problem);
    return Result::Malformed;
  }
  return Result::Record;
}

}  // namespace kyc::cli
