// A fixed set of threads for slow work (image analysis) kept off the IO threads. The queue is
// bounded: when it is full the caller is told at once (and answers 503 with Retry-After)
// instead of piling up requests without limit.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace kyc::server {

class WorkPool {
 public:
  WorkPool(unsigned threads, size_t queue_max);
  ~WorkPool();  // runs what is queued, then joins

  // False when `queue_max` jobs are already waiting.
  bool try_submit(std::function<void()> job);

 private:
  void run();

  size_t queue_max_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace kyc::server
