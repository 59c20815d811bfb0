// A file replaced whole or not at all: the new content goes to a temporary file in the same
// folder, is synced, then renamed over the old one. A reader (the policy file watcher, a
// crash, a power cut) sees the old file or the new one, never half of either.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace kyc::common {

// Keeps the permissions of the file it replaces (0644 for a new one). A link at `path` is
// replaced by the file, not followed. Errors name the file, never its folder.
Result<void> replace_file(const std::string& path, std::string_view content);

}  // namespace kyc::common
