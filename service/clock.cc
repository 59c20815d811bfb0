#include "service/clock.h"

#include <chrono>
#include <ctime>

namespace kyc::service {

std::string now_rfc3339() {
  // Every request stamps two of these (decision and access log): the text of the current
  // second is kept per thread, so only the milliseconds are written each time.
  thread_local std::time_t cached_second = -1;
  thread_local char text[] = "YYYY-MM-DDTHH:MM:SS.mmmZ";
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  if (secs != cached_second) {
    std::tm tm{};
    gmtime_r(&secs, &tm);
    std::strftime(text, 20, "%Y-%m-%dT%H:%M:%S", &tm);
    text[19] = '.';
    cached_second = secs;
  }
  int milli = static_cast<int>(ms % 1000);
  text[20] = static_cast<char>('0' + milli / 100);
  text[21] = static_cast<char>('0' + milli / 10 % 10);
  text[22] = static_cast<char>('0' + milli % 10);
  return std::string(text, 24);
}

}  // namespace kyc::service
