// The whole of a body made while it is sent (server/http/body_stream.h), read as a connection
// reads it, for tests that call the route table without sockets.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "server/http/body_stream.h"

namespace kyc::server::testing {

// nullopt when the body was cut short, or did not end within 10 s.
inline std::optional<std::string> streamed_body(BodyStream& stream) {
  struct Bell {
    std::mutex mutex;
    std::condition_variable rung;
    bool ringing = false;
  };
  auto bell = std::make_shared<Bell>();
  std::string body;
  for (;;) {
    auto next = stream.take([bell] {
      std::lock_guard lock(bell->mutex);
      bell->ringing = true;
      bell->rung.notify_one();
    });
    switch (next.state) {
      case BodyStream::State::kPiece:
        body += next.piece;
        continue;
      case BodyStream::State::kEnd:
        return body;
      case BodyStream::State::kCutShort:
        return std::nullopt;
      case BodyStream::State::kWait: {
        std::unique_lock lock(bell->mutex);
        if (!bell->rung.wait_for(lock, std::chrono::seconds(10), [&] { return bell->ringing; })) {
          stream.abandon();
          return std::nullopt;
        }
        bell->ringing = false;
      }
    }
  }
}

}  // namespace kyc::server::testing
