#include "common/exact_json.h"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>
#include <charconv>
#include <string>

namespace kyc::common {

namespace {

using boost::json::string_view;
using boost::system::error_code;

// Boost.JSON's own value-building handler, but for doubles: their text, read by
// std::from_chars, which rounds correctly.
struct ExactHandler {
  static constexpr std::size_t max_object_size = boost::json::object::max_size();
  static constexpr std::size_t max_array_size = boost::json::array::max_size();
  static constexpr std::size_t max_key_size = boost::json::string::max_size();
  static constexpr std::size_t max_string_size = boost::json::string::max_size();

  boost::json::value_stack st;
  std::string number;  // the parts of a number the parser handed over before its end

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_object_begin(error_code&) { return true; }
  bool on_object_end(std::size_t n, error_code&) { return st.push_object(n), true; }
  bool on_array_begin(error_code&) { return true; }
  bool on_array_end(std::size_t n, error_code&) { return st.push_array(n), true; }
  bool on_key_part(string_view s, std::size_t, error_code&) { return st.push_chars(s), true; }
  bool on_key(string_view s, std::size_t, error_code&) { return st.push_key(s), true; }
  bool on_string_part(string_view s, std::size_t, error_code&) {
    return st.push_chars(s), true;
  }
  bool on_string(string_view s, std::size_t, error_code&) { return st.push_string(s), true; }
  bool on_number_part(string_view s, error_code&) {
    number.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, string_view, error_code&) {
    number.clear();
    return st.push_int64(i), true;
  }
  bool on_uint64(std::uint64_t u, string_view, error_code&) {
    number.clear();
    return st.push_uint64(u), true;
  }
  bool on_double(double d, string_view s, error_code&) {
    number.append(s.data(), s.size());
    double exact = d;
    const char* end = number.data() + number.size();
    auto [stop, problem] = std::from_chars(number.data(), end, exact);
    if (problem != std::errc() || stop != end) exact = d;  // out of range: as Boost reads it
    number.clear();
    return st.push_double(exact), true;
  }
  bool on_bool(bool b, error_code&) { return st.push_bool(b), true; }
  bool on_null(error_code&) { return st.push_null(), true; }
  bool on_comment_part(string_view, error_code&) { return true; }
  bool on_comment(string_view, error_code&) { return true; }
};

}  // namespace

boost::json::value parse_json_exact(std::string_view text, error_code& ec,
                                    boost::json::storage_ptr storage,
                                    const boost::json::parse_options& options) {
  boost::json::basic_parser<ExactHandler> parser(options);
  parser.handler().st.reset(std::move(storage));
  std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
  if (!ec && used < text.size()) ec = boost::json::error::extra_data;
  if (ec) return nullptr;
  return parser.handler().st.release();
}

}  // namespace kyc::common
