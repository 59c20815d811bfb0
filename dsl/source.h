// A policy or test file's text with its name, and the mapping from byte offsets to the
// 1-based line and column that diagnostics show.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kyc::dsl {

struct Location {
  uint32_t line = 0;    // 1-based
  // 1-based, in characters (code points): what an editor shows. Counted in bytes, an error
  // after `出生日期 ` said column 27 for 18, and the console marked the wrong text.
  uint32_t column = 0;
};

class SourceFile {
 public:
  SourceFile(std::string name, std::string text);

  const std::string& name() const { return name_; }
  const std::string& text() const { return text_; }
  Location locate(size_t offset) const;
  // The byte offset, within its line, of a location's column.
  size_t column_byte(const Location& at) const;
  std::string_view line_text(uint32_t line) const;
  size_t line_start(uint32_t line) const { return line_starts_[line - 1]; }

 private:
  std::string name_;
  std::string text_;
  std::vector<size_t> line_starts_;
};

}  // namespace kyc::dsl
