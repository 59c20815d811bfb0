// SHA-256 as lower-case hex (OpenSSL): policy identities and the audit chain use it.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace kyc::common {

std::string sha256_hex(std::string_view bytes);
// The digest of the parts one after another, without joining them first.
std::string sha256_hex(std::initializer_list<std::string_view> parts);
std::string sha256_hex(std::span<const std::string_view> parts);
// Bytes as lower-case hex: how digests and MACs are written.
std::string hex_encode(const unsigned char* bytes, size_t size);

}  // namespace kyc::common
