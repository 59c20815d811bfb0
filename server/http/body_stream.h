// A body made while it is sent. A CSV export was built whole before its first byte went out:
// 678 MB of peak memory for an export of 217 MB. Now the maker (on its own thread) hands over
// pieces, and waits while a few are queued; the connection writes each as an HTTP/1.1 chunk.
// A slow client slows the maker down instead of filling memory; a client that leaves stops it.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>

namespace kyc::server {

class BodyStream {
 public:
  // Makes the body: push() each piece, return true once it is whole, false when it was cut
  // short (an error after the head went out: the client must be able to tell).
  using Maker = std::function<bool(BodyStream& out)>;

  BodyStream(Maker make, size_t max_queued = 4) : make_(std::move(make)), max_(max_queued) {}

  // The maker's side, on the thread that answered (BulkRead::submit), once the head is handed
  // over: runs the maker and says how it ended.
  void make();
  // Waits while `max_queued` pieces wait to be written; false once the connection has given
  // up (the client left, or took longer than the write timeout), or `give_up` (asked every
  // 50 ms while it waits) says to: the maker should stop. A connection whose thread has
  // stopped (the service is shutting down) takes nothing more, and only `give_up` ends the wait.
  bool push(std::string piece, const std::function<bool()>& give_up = {});

  // The connection's side.
  enum class State { kPiece, kWait, kEnd, kCutShort };
  struct Next {
    State state;
    std::string piece;  // for kPiece
  };
  // The next piece, or how the body ended, or kWait: then `wake` is called once, from the
  // maker's thread, when there is more (it must not call take() itself).
  Next take(std::function<void()> wake);
  // The connection is gone (or was a HEAD request): push() returns false from now on.
  void abandon();

 private:
  void finish(bool whole);

  Maker make_;
  size_t max_;
  std::mutex mutex_;
  std::condition_variable room_;
  std::deque<std::string> queue_;
  std::function<void()> wake_;
  bool ended_ = false, whole_ = false, abandoned_ = false;
};

}  // namespace kyc::server
