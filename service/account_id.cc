#include "service/account_id.h"

#include <string>

#include "common/utf8.h"

namespace kyc::service {

common::Result<void> check_account_id(std::string_view id, size_t max_bytes) {
  if (id.size() > max_bytes)
    return common::fail("the account id is " + std::to_string(id.size()) + " bytes long; at most " +
                        std::to_string(max_bytes) + " are accepted");
  for (size_t i = 0; i < id.size(); ++i) {
    auto byte = static_cast<unsigned char>(id[i]);
    if (byte < 0x20 || byte == 0x7f) {
      static const char* hex = "0123456789ABCDEF";
      std::string code = "U+00";
      code += hex[byte >> 4];
      code += hex[byte & 15];
      return common::fail("the account id holds a control character (" + code + ") at byte " +
                          std::to_string(i) + "; an id is printable text");
    }
  }
  if (size_t at = common::first_non_utf8(id); at != std::string_view::npos)
    return common::fail("the account id is not UTF-8 text (byte " + std::to_string(at) +
                        " begins no character); an id is printable text");
  return {};
}

}  // namespace kyc::service
