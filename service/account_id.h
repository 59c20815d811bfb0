// What an account id may be. It is the backend's own key for a user (a number, a UUID, an
// e-mail address), and the service keeps it in every record of that user's decisions, binds
// it into the seal of their personal facts and names their data key by it. So it is bounded
// (a megabyte id once reached the seal's limit and was answered "store unavailable, retry")
// and is printable UTF-8 text (a NUL, a line break or a stray byte in an id is a caller's bug,
// and would reach the CSV export, the console and JSON answers as it is).
#pragma once

#include <cstddef>
#include <string_view>

#include "common/result.h"

namespace kyc::service {

// An error naming what is wrong with `id`, for a caller to fix: too long (over `max_bytes`,
// counted in UTF-8 bytes), a control character (U+0000-U+001F, U+007F) or a byte that is not
// UTF-8, and where. The empty id is the caller's business: a request without an account says
// so by leaving it out.
common::Result<void> check_account_id(std::string_view id, size_t max_bytes);

}  // namespace kyc::service
