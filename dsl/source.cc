#include "dsl/source.h"

#include <algorithm>

namespace kyc::dsl {

SourceFile::SourceFile(std::string name, std::string text)
    : name_(std::move(name)), text_(std::move(text)) {
  line_starts_.push_back(0);
  for (size_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
}

Location SourceFile::locate(size_t offset) const {
  offset = std::min(offset, text_.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  auto line = static_cast<uint32_t>(it - line_starts_.begin());
  uint32_t column = 1;
  for (size_t i = line_starts_[line - 1]; i < offset; ++i)
    column += (static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80;  // not a continuation byte
  return {line, column};
}

size_t SourceFile::column_byte(const Location& at) const {
  std::string_view line = line_text(at.line);
  size_t byte = 0;
  for (uint32_t column = 1; column < at.column && byte < line.size(); ++column) do
      ++byte;
    while (byte < line.size() && (static_cast<unsigned char>(line[byte]) & 0xC0) == 0x80);
  return byte;
}

std::string_view SourceFile::line_text(uint32_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  size_t begin = line_starts_[line - 1];
  size_t end = text_.find('\n', begin);
  if (end == std::string::npos) end = text_.size();
  if (end > begin && text_[end - 1] == '\r') --end;
  return std::string_view(text_).substr(begin, end - begin);
}

}  // namespace kyc::dsl
