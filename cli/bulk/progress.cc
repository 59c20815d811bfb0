#include "cli/bulk/progress.h"

#include <unistd.h>

#include <cmath>
#include <iostream>

namespace kyc::cli {

namespace {

// A rate measured over less time than this is noise (the first line is drawn at once).
constexpr double kRateAfterSeconds = 0.1;

std::string duration_text(double seconds) {
  auto s = static_cast<int64_t>(std::llround(seconds));
  if (s < 60) return std::to_string(s) + " s";
  auto two = [](int64_t n) { return (n < 10 ? "0" : "") + std::to_string(n); };
  if (s < 3600) return std::to_string(s / 60) + " min " + two(s % 60) + " s";
  return std::to_string(s / 3600) + " h " + two(s / 60 % 60) + " min";
}

}  // namespace

std::string progress_text(const std::string& verb, const std::string& unit,
                          const ProgressState& state) {
  std::string out = verb + " " + std::to_string(state.done);
  std::optional<double> fraction = state.fraction;
  if (state.total) {
    out += "/" + std::to_string(*state.total);
    if (*state.total > 0) fraction = static_cast<double>(state.done) / *state.total;
  }
  out += " " + unit;
  if (state.fraction && !state.total)
    out += " (" + std::to_string(static_cast<int>(*state.fraction * 100)) + "%)";
  if (state.seconds < kRateAfterSeconds) return out;
  out +=
      ", " + std::to_string(static_cast<int64_t>(state.done / state.seconds)) + " " + unit + "/s";
  if (fraction && *fraction > 0 && *fraction <= 1)
    out += ", ETA " + duration_text(state.seconds * (1 - *fraction) / *fraction);
  return out;
}

ProgressLine::ProgressLine(std::string verb, std::string unit, ProgressOptions options)
    : verb_(std::move(verb)),
      unit_(std::move(unit)),
      options_(options),
      enabled_(isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      next_draw_(start_) {}

void ProgressLine::update(int64_t done, std::optional<int64_t> total,
                          std::optional<double> fraction) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (now < next_draw_) return;
  next_draw_ = now + options_.redraw_interval;
  double seconds = std::chrono::duration<double>(now - start_).count();
  // `\x1b[K` clears what a longer previous line left to the right.
  std::cerr << "\r" << progress_text(verb_, unit_, {done, total, fraction, seconds}) << "\x1b[K"
            << std::flush;
  drawn_ = true;
}

void ProgressLine::erase() {
  if (!drawn_) return;
  std::cerr << "\r\x1b[K" << std::flush;
  drawn_ = false;
}

}  // namespace kyc::cli
