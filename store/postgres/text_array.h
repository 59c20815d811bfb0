// A batch's column as one parameter: a PostgreSQL array literal ({"a","b",NULL}) that
// unnest() turns back into rows, so a batch of records costs one statement per table instead
// of one per record (bench/README.md, "PostgreSQL store").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kyc::store::postgres {

class TextArray {
 public:
  void add(std::string_view value) {
    open_element();
    text_ += '"';
    for (char c : value) {
      if (c == '"' || c == '\\') text_ += '\\';
      text_ += c;
    }
    text_ += '"';
  }
  void add(int64_t value) {
    open_element();
    text_ += std::to_string(value);
  }
  void add_null() {
    open_element();
    text_ += "NULL";
  }
  bool empty() const { return text_.size() <= 1; }
  std::string str() const { return text_ + "}"; }

 private:
  void open_element() {
    if (text_.size() > 1) text_ += ',';
  }
  std::string text_ = "{";
};

}  // namespace kyc::store::postgres
