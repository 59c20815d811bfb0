#include "common/line_diff.h"

#include <algorithm>
#include <vector>

namespace kyc::common {

namespace {

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    size_t end = text.find('\n');
    out.push_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return out;
}

enum class Op : char { Same = ' ', Removed = '-', Added = '+' };
struct Edit {
  Op op;
  size_t a, b;  // line indices in a (Same, Removed) and b (Same, Added)
};

// Myers' O((N+M)D) shortest edit script. Round d reads the frontier of round d - 1 only on
// the diagonals -d..d, so that band is all each round keeps for the walk back: memory grows
// with D squared, not with D times the texts' length. Empty when the script would need more
// than `max` changes or (N+M) x D would pass `max_work`.
std::vector<Edit> shortest_script(const std::vector<std::string_view>& a,
                                  const std::vector<std::string_view>& b, size_t max,
                                  size_t max_work) {
  const long n = static_cast<long>(a.size()), m = static_cast<long>(b.size());
  const long offset = n + m + 1;
  std::vector<long> v(static_cast<size_t>(2 * offset + 1), 0);
  std::vector<std::vector<long>> trace;  // round d: v[offset - d .. offset + d] before it
  long found = -1;
  for (long d = 0; d <= n + m && d <= static_cast<long>(max); ++d) {
    if (static_cast<size_t>(n + m) * static_cast<size_t>(d) > max_work) break;
    trace.emplace_back(v.begin() + (offset - d), v.begin() + (offset + d + 1));
    for (long k = -d; k <= d; k += 2) {
      long x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]))
                   ? v[offset + k + 1]
                   : v[offset + k - 1] + 1;
      long y = x - k;
      while (x < n && y < m && a[x] == b[y]) ++x, ++y;
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    if (found >= 0) break;
  }
  if (found < 0) return {};
  std::vector<Edit> script;
  long x = n, y = m;
  for (long d = found; d > 0; --d) {
    // The band of round d: diagonal k is at index k + d.
    const auto& band = trace[static_cast<size_t>(d)];
    auto prev = [&](long k) { return band[static_cast<size_t>(k + d)]; };
    long k = x - y;
    bool down = k == -d || (k != d && prev(k - 1) < prev(k + 1));
    long pk = down ? k + 1 : k - 1;
    long px = prev(pk), py = px - pk;
    while (x > px + (down ? 0 : 1) && y > py + (down ? 1 : 0))
      script.push_back({Op::Same, static_cast<size_t>(--x), static_cast<size_t>(--y)});
    if (down)
      script.push_back({Op::Added, static_cast<size_t>(px), static_cast<size_t>(--y)});
    else
      script.push_back({Op::Removed, static_cast<size_t>(--x), static_cast<size_t>(py)});
    x = px, y = py;
  }
  while (x > 0 && y > 0)
    script.push_back({Op::Same, static_cast<size_t>(--x), static_cast<size_t>(--y)});
  std::reverse(script.begin(), script.end());
  return script;
}

}  // namespace

std::string line_diff(std::string_view a_text, std::string_view b_text, std::string_view from,
                      std::string_view to, const LineDiffOptions& options) {
  if (a_text == b_text) return "";
  auto a = lines_of(a_text), b = lines_of(b_text);
  std::vector<Edit> script = shortest_script(a, b, options.max_changes, options.max_work);
  if (script.empty()) {  // too many changes: a rewrite
    for (size_t i = 0; i < a.size(); ++i) script.push_back({Op::Removed, i, 0});
    for (size_t j = 0; j < b.size(); ++j) script.push_back({Op::Added, a.size(), j});
  }
  std::string out = "--- " + std::string(from) + "\n+++ " + std::string(to) + "\n";
  // Hunks: runs of edits within 2*context unchanged lines of each other.
  size_t i = 0;
  while (i < script.size()) {
    while (i < script.size() && script[i].op == Op::Same) ++i;
    if (i == script.size()) break;
    size_t start = i >= options.context ? i - options.context : 0;
    size_t end = i;
    for (size_t same = 0; end < script.size(); ++end) {
      same = script[end].op == Op::Same ? same + 1 : 0;
      if (same > 2 * options.context) break;
    }
    // Trailing context: at most `context` unchanged lines after the last change.
    size_t last_change = end;
    while (last_change > start && script[last_change - 1].op == Op::Same) --last_change;
    end = std::min(script.size(), last_change + options.context);
    size_t a_from = script[start].a, b_from = script[start].b, a_count = 0, b_count = 0;
    std::string body;
    for (size_t e = start; e < end; ++e) {
      const Edit& edit = script[e];
      std::string_view line = edit.op == Op::Added ? b[edit.b] : a[edit.a];
      body += static_cast<char>(edit.op);
      body += line;
      body += '\n';
      a_count += edit.op != Op::Added;
      b_count += edit.op != Op::Removed;
    }
    out += "@@ -" + std::to_string(a_from + 1) + "," + std::to_string(a_count) + " +" +
           std::to_string(b_from + 1) + "," + std::to_string(b_count) + " @@\n" + body;
    i = end;
  }
  return out;
}

}  // namespace kyc::common
