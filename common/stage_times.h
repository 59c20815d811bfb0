// Where a piece of work spends its time, stage by stage: the image analysis (decode, outline,
// crop, measures), the reading of the document's text, an upload as a whole. The image-facts
// benchmark prints the medians; an upload's stages go to the access log and /metrics. Reading
// a steady clock between stages costs well under a microsecond.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace kyc::common {

struct StageTimes {
  std::vector<std::pair<const char*, double>> ms;  // stage name -> milliseconds, in order

  void add(const char* stage, double t) { ms.emplace_back(stage, t); }
  double total() const {
    double sum = 0;
    for (const auto& [_, t] : ms) sum += t;
    return sum;
  }
};

// Adds the time since the last lap (or since it was made) under a stage's name.
class StageClock {
 public:
  explicit StageClock(StageTimes& out) : out_(out), last_(std::chrono::steady_clock::now()) {}
  void lap(const char* stage) {
    auto now = std::chrono::steady_clock::now();
    out_.ms.emplace_back(stage, std::chrono::duration<double, std::milli>(now - last_).count());
    last_ = now;
  }

 private:
  StageTimes& out_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace kyc::common
