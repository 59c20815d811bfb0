// A progress line for the long-running commands (accounts import, audit verify, replay): one
// line on stderr, redrawn in place with `\r`, showing the rate and, when the amount of work is
// known, the time left. Only on a terminal: when stderr is a file or a pipe (cron, CI, `2>log`)
// nothing is drawn, so a log never fills with carriage returns; the command's summary line
// says the rest.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace kyc::cli {

struct ProgressOptions {
  // Often enough to look alive, rarely enough that drawing costs nothing next to the work.
  std::chrono::milliseconds redraw_interval{200};
};

// Where the work stands; `fraction` (0..1) when only a share is known (bytes of a file read),
// `total` when the number of units is.
struct ProgressState {
  int64_t done = 0;
  std::optional<int64_t> total;
  std::optional<double> fraction;
  double seconds = 0;
};

// "replayed 20000/50000 records, 8100 records/s, ETA 4 s": the verb and the unit are the
// command's; the rate once some time has passed; the ETA when the total or a fraction is known.
std::string progress_text(const std::string& verb, const std::string& unit,
                          const ProgressState& state);

class ProgressLine {
 public:
  // Draws only when stderr is a terminal.
  ProgressLine(std::string verb, std::string unit, ProgressOptions options = {});
  ~ProgressLine() { erase(); }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  bool drawing() const { return enabled_; }
  // Cheap when nothing is due: one clock read.
  void update(int64_t done, std::optional<int64_t> total = std::nullopt,
              std::optional<double> fraction = std::nullopt);
  // Erases the line, so that what is printed next (a rejected row, the summary) stands alone;
  // the next update draws it again.
  void erase();

 private:
  std::string verb_, unit_;
  ProgressOptions options_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point next_draw_;
};

}  // namespace kyc::cli
