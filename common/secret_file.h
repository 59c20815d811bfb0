// Files that hold a secret (the document key, the chain key, the checkpoint signing key):
// made once with O_EXCL, so that two processes starting at once do not each write a key of
// their own, synced before use, and readable by the owner only.
#pragma once

#include <string>

#include "common/result.h"

namespace kyc::common {

// Creates `path` with `bytes` (mode 0600 unless given); an error if it exists already.
Result<void> write_new_secret_file(const std::string& path, const std::string& bytes,
                                   int mode = 0600);
// The bytes of `path`, which must hold at least 32 (`what` names the key in errors).
Result<std::string> read_key_file(const std::string& path, const std::string& what);
// read_key_file, or, when `path` does not exist, 32 new random bytes written there first.
Result<std::string> read_or_create_key_file(const std::string& path, const std::string& what);

}  // namespace kyc::common
