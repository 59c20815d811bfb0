#include "server/http/body_stream.h"

#include <chrono>
#include <utility>

namespace kyc::server {

void BodyStream::make() {
  bool whole = false;
  try {
    whole = make_(*this);
  } catch (...) {
    whole = false;  // a bug or out of memory: the body is cut short, never passed off as whole
  }
  finish(whole);
}

bool BodyStream::push(std::string piece, const std::function<bool()>& give_up) {
  std::function<void()> wake;
  {
    std::unique_lock lock(mutex_);
    while (!room_.wait_for(lock, std::chrono::milliseconds(50),
                           [&] { return abandoned_ || queue_.size() < max_; }))
      if (give_up && give_up()) return false;
    if (abandoned_) return false;
    queue_.push_back(std::move(piece));
    wake = std::exchange(wake_, nullptr);
  }
  if (wake) wake();
  return true;
}

void BodyStream::finish(bool whole) {
  std::function<void()> wake;
  {
    std::lock_guard lock(mutex_);
    ended_ = true;
    whole_ = whole;
    wake = std::exchange(wake_, nullptr);
  }
  if (wake) wake();
}

BodyStream::Next BodyStream::take(std::function<void()> wake) {
  std::lock_guard lock(mutex_);
  if (!queue_.empty()) {
    Next next{State::kPiece, std::move(queue_.front())};
    queue_.pop_front();
    room_.notify_one();
    return next;
  }
  if (ended_) return {whole_ ? State::kEnd : State::kCutShort, {}};
  wake_ = std::move(wake);
  return {State::kWait, {}};
}

void BodyStream::abandon() {
  std::lock_guard lock(mutex_);
  abandoned_ = true;
  queue_.clear();
  wake_ = nullptr;
  room_.notify_all();
}

}  // namespace kyc::server
