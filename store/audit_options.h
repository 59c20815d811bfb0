// The decision log's limits and tuning, set from `kyc serve` flags; the same for every backend
// (a backend ignores what does not apply to it, as named below).
#pragma once

#include <chrono>
#include <cstddef>

namespace kyc::store {

struct AuditOptions {
  size_t batch_max = 512;  // records in one transaction at most
  // Extra wait for more records before a batch commits. 0 by default: records that arrive
  // while a commit is syncing already form the next batch; waiting on top only adds latency.
  std::chrono::microseconds max_wait{0};
  // Wait for a lock before a write fails (SQLite's busy timeout, PostgreSQL's lock_timeout).
  std::chrono::milliseconds busy_timeout{5000};
  // SQLite only: WAL pages (4 KiB each) after which a commit copies the WAL into the database
  // file (SQLite's own default). The copied pages are then dropped from the OS page cache.
  int checkpoint_pages = 1000;
};

}  // namespace kyc::store
