// Signed checkpoints of the audit chain: {sequence number, head link, time, chain key id},
// signed with the checkpoint key (Ed25519). `kyc serve --checkpoints FILE` appends one JSON
// line per checkpoint to FILE (outside the data folder, fsynced) every N records or T
// milliseconds when there were new records, and a last one on shutdown; GET /v1/audit/head
// signs the current head on request. `kyc audit verify --checkpoints FILE` checks each line's
// signature and that the log still holds its record with its link (store/chain.h anchors).
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "service/checkpoint_key.h"
#include "store/chain.h"
#include "store/decision_log.h"

namespace kyc::service {

struct Checkpoint {
  int64_t seq = 0;
  std::string link, time, chain_key_id, signing_key_id, signature;
  // What the signature covers: every field above but the signature, one per line.
  std::string signed_bytes() const;
  boost::json::object json() const;
};

Checkpoint sign_checkpoint(const store::ChainHead& head, const std::string& time,
                           const std::string& chain_key_id, const CheckpointKey& key);

// The checkpoints of a file as anchors for verify_chain. Every line must parse, carry a valid
// signature by `public_key`, and name the chain key `chain_key_id`; otherwise an error that
// names the line.
common::Result<std::vector<store::ChainAnchor>> read_checkpoints(const std::string& path,
                                                                 const CheckpointKey& public_key,
                                                                 const std::string& chain_key_id);

struct CheckpointOptions {
  std::string file;              // "" : none written (GET /v1/audit/head still answers)
  int64_t every_records = 1000;  // a checkpoint after this many new records
  std::chrono::milliseconds interval{60000};  // or after this long, if there were new ones
};

class Checkpoints {
 public:
  using OnError = std::function<void(const std::string&)>;
  Checkpoints(store::DecisionLog& log, CheckpointKey key, std::string chain_key_id,
              CheckpointOptions options, OnError on_error);
  ~Checkpoints();  // stop()

  // Starts writing to options.file (nothing to do without one): an error when the file
  // cannot be opened for appending. Writes one for the current head at once.
  common::Result<void> start();
  // Writes a last checkpoint if there are records past the last one; stops the writer.
  void stop();
  // The current head, signed now.
  common::Result<Checkpoint> head();
  const CheckpointKey& key() const { return key_; }
  const std::string& file() const { return options_.file; }

 private:
  void run();
  void write_if_due(bool force);  // under mutex_

  store::DecisionLog& log_;
  CheckpointKey key_;
  std::string chain_key_id_;
  CheckpointOptions options_;
  OnError on_error_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  int fd_ = -1;
  int64_t last_seq_ = 0;
  std::chrono::steady_clock::time_point last_time_;
  std::thread thread_;
};

}  // namespace kyc::service
