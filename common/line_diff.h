// The difference of two texts by lines, as `diff -u` shows it: hunks of changed lines with a
// few lines of context. Used to show what changed between two recorded policies or lists.
#pragma once

#include <string>
#include <string_view>

namespace kyc::common {

struct LineDiffOptions {
  size_t context = 3;  // unchanged lines shown around each change
  // Myers' algorithm costs time in lines x changes and memory in changes squared: beyond
  // either bound the texts are shown as wholly replaced (an edit script that large is read as
  // a rewrite). Two 44 KB policies of 22,000 lines once took 12 s and 2.8 GB of the service's
  // request thread.
  size_t max_changes = 2000;
  size_t max_work = 50'000'000;  // (lines of both texts) x changes
};

// "" when the texts are equal; otherwise hunks headed `@@ -A,B +C,D @@`, lines prefixed with
// ' ', '-' or '+'. `from` and `to` name the texts in the `---`/`+++` header lines.
std::string line_diff(std::string_view a, std::string_view b, std::string_view from,
                      std::string_view to, const LineDiffOptions& options = {});

}  // namespace kyc::common
