// An spdlog sink for the access log: each thread appends formatted lines to its own buffer,
// written to the file descriptor when it fills or on spdlog's periodic flush. Request threads
// never wait for the disk or for each other (no shared lock, no wake-up per line).
#pragma once

#include <spdlog/details/log_msg.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/sink.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace kyc::server {

class ThreadBufferedSink : public spdlog::sinks::sink {
 public:
  explicit ThreadBufferedSink(int fd, size_t buffer_bytes = 64 * 1024);
  ~ThreadBufferedSink() override;

  void log(const spdlog::details::log_msg& msg) override;
  void flush() override;
  void set_pattern(const std::string& pattern) override;
  void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override;

 private:
  struct Buffer {
    std::mutex mutex;  // taken by its own thread, and by flush() from the flusher thread
    spdlog::memory_buf_t bytes;
  };
  Buffer& buffer();
  void write_out(Buffer& b);  // caller holds b.mutex

  int fd_;
  size_t buffer_bytes_;
  std::mutex formatter_mutex_;  // only to swap the pattern
  std::unique_ptr<spdlog::formatter> formatter_;
  std::mutex buffers_mutex_;  // registration of a thread's buffer, and flush()
  std::vector<std::unique_ptr<Buffer>> buffers_;
  std::mutex write_mutex_;  // keeps chunks of different threads from interleaving
};

}  // namespace kyc::server
