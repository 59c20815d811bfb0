#include "server/http/buffered_sink.h"

#include <unistd.h>

#include <map>

namespace kyc::server {

ThreadBufferedSink::ThreadBufferedSink(int fd, size_t buffer_bytes)
    : fd_(fd),
      buffer_bytes_(buffer_bytes),
      formatter_(std::make_unique<spdlog::pattern_formatter>("%v")) {}

ThreadBufferedSink::~ThreadBufferedSink() { flush(); }

ThreadBufferedSink::Buffer& ThreadBufferedSink::buffer() {
  thread_local std::map<const ThreadBufferedSink*, Buffer*> mine;
  auto it = mine.find(this);
  if (it != mine.end()) return *it->second;
  std::lock_guard lock(buffers_mutex_);
  Buffer* b = buffers_.emplace_back(std::make_unique<Buffer>()).get();
  mine[this] = b;
  return *b;
}

void ThreadBufferedSink::log(const spdlog::details::log_msg& msg) {
  Buffer& b = buffer();
  std::lock_guard lock(b.mutex);
  formatter_->format(msg, b.bytes);
  if (b.bytes.size() >= buffer_bytes_) write_out(b);
}

void ThreadBufferedSink::write_out(Buffer& b) {
  std::lock_guard lock(write_mutex_);
  const char* p = b.bytes.data();
  size_t left = b.bytes.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n <= 0) break;  // a log that cannot be written must not stop decisions
    p += n;
    left -= static_cast<size_t>(n);
  }
  b.bytes.clear();
}

void ThreadBufferedSink::flush() {
  std::lock_guard lock(buffers_mutex_);
  for (auto& b : buffers_) {
    std::lock_guard buffer_lock(b->mutex);
    if (b->bytes.size() > 0) write_out(*b);
  }
}

void ThreadBufferedSink::set_pattern(const std::string& pattern) {
  set_formatter(std::make_unique<spdlog::pattern_formatter>(pattern));
}

void ThreadBufferedSink::set_formatter(std::unique_ptr<spdlog::formatter> formatter) {
  std::lock_guard lock(formatter_mutex_);
  formatter_ = std::move(formatter);
}

}  // namespace kyc::server
