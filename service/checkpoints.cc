#include "service/checkpoints.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "service/clock.h"

namespace kyc::service {

std::string Checkpoint::signed_bytes() const {
  return "kycd-checkpoint-v1\n" + std::to_string(seq) + "\n" + link + "\n" + time + "\n" +
         chain_key_id + "\n" + signing_key_id + "\n";
}

boost::json::object Checkpoint::json() const {
  return {{"seq", seq},
          {"link", link},
          {"time", time},
          {"chain_key_id", chain_key_id},
          {"signing_key_id", signing_key_id},
          {"signature", signature}};
}

Checkpoint sign_checkpoint(const store::ChainHead& head, const std::string& time,
                           const std::string& chain_key_id, const CheckpointKey& key) {
  Checkpoint c;
  c.seq = head.seq;
  c.link = head.link;
  c.time = time;
  c.chain_key_id = chain_key_id;
  c.signing_key_id = key.id();
  c.signature = key.sign(c.signed_bytes());
  return c;
}

common::Result<std::vector<store::ChainAnchor>> read_checkpoints(const std::string& path,
                                                                 const CheckpointKey& public_key,
                                                                 const std::string& chain_key_id) {
  std::ifstream in(path);
  if (!in) return common::fail(path + ": cannot read the checkpoints");
  std::vector<store::ChainAnchor> out;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    std::string where = path + ":" + std::to_string(number) + ": ";
    boost::system::error_code ec;
    auto v = boost::json::parse(line, ec);
    auto text = [&](const char* name) -> std::string {
      auto* f = v.is_object() ? v.get_object().if_contains(name) : nullptr;
      return f && f->is_string() ? std::string(f->get_string()) : "";
    };
    auto* seq = !ec && v.is_object() ? v.get_object().if_contains("seq") : nullptr;
    if (!seq || !seq->is_int64())
      return common::fail(where + "not a checkpoint (a JSON object with seq, link, time, ...)");
    Checkpoint c;
    c.seq = seq->get_int64();
    c.link = text("link");
    c.time = text("time");
    c.chain_key_id = text("chain_key_id");
    c.signing_key_id = text("signing_key_id");
    c.signature = text("signature");
    if (c.signing_key_id != public_key.id())
      return common::fail(where + "signed by checkpoint key " + c.signing_key_id +
                          ", not by the public key given (" + public_key.id() + ")");
    if (!public_key.verify(c.signed_bytes(), c.signature))
      return common::fail(where + "the signature does not match: the checkpoint was edited");
    if (c.chain_key_id != chain_key_id)
      return common::fail(where + "a checkpoint of the chain keyed with " + c.chain_key_id +
                          ", but this log's chain key is " + chain_key_id +
                          ": the database was replaced by another one");
    out.push_back({c.seq, c.link,
                   "the checkpoint of " + c.time + " (" + where.substr(0, where.size() - 2) + ")"});
  }
  return out;
}

Checkpoints::Checkpoints(store::DecisionLog& log, CheckpointKey key, std::string chain_key_id,
                         CheckpointOptions options, OnError on_error)
    : log_(log),
      key_(std::move(key)),
      chain_key_id_(std::move(chain_key_id)),
      options_(std::move(options)),
      on_error_(std::move(on_error)) {}

Checkpoints::~Checkpoints() { stop(); }

common::Result<Checkpoint> Checkpoints::head() {
  auto h = log_.head();
  if (!h) return h.error();
  return sign_checkpoint(*h, now_rfc3339(), chain_key_id_, key_);
}

common::Result<void> Checkpoints::start() {
  if (options_.file.empty()) return {};
  // Where the file's last checkpoint left off: no second one for the same head after a restart.
  {
    std::ifstream in(options_.file);
    std::string line, last;
    while (std::getline(in, line))
      if (!line.empty()) last = line;
    boost::system::error_code ec;
    auto v = boost::json::parse(last, ec);
    if (!ec && v.is_object())
      if (auto* seq = v.get_object().if_contains("seq"); seq && seq->is_int64())
        last_seq_ = seq->get_int64();
  }
  // A log that ends before the last checkpoint lost its tail: a backup restored over it, say.
  // Appending to it would fork the chain from the one the checkpoints sign, and only a later
  // `kyc audit verify` would tell (operator probe, stop 48).
  if (last_seq_ > 0) {
    auto h = log_.head();
    if (!h) return h.error();
    if (h->seq < last_seq_)
      return common::fail("the log ends at record " + std::to_string(h->seq) +
                          ", but the checkpoints file " + options_.file + " signed record " +
                          std::to_string(last_seq_) +
                          ": records were removed (a backup restored over the log?). Check it "
                          "with `kyc audit verify --checkpoints`; the service does not append to "
                          "a log that lost its tail");
  }
  fd_ = ::open(options_.file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0)
    return common::fail("cannot open the checkpoints file " + options_.file + ": " +
                        std::strerror(errno));
  {
    std::lock_guard lock(mutex_);
    write_if_due(true);
  }
  thread_ = std::thread([this] { run(); });
  return {};
}

void Checkpoints::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mutex_);
  if (fd_ >= 0) {
    write_if_due(true);
    ::close(fd_);
    fd_ = -1;
  }
}

void Checkpoints::run() {
  // The head is looked at ten times a second: a checkpoint comes within 0.1 s of its
  // N-th record, without the writer of the log knowing of checkpoints.
  auto poll =
      std::min<std::chrono::milliseconds>(options_.interval, std::chrono::milliseconds(100));
  if (poll.count() <= 0) poll = std::chrono::milliseconds(100);
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    cv_.wait_for(lock, poll, [this] { return stopping_; });
    if (!stopping_) write_if_due(false);
  }
}

void Checkpoints::write_if_due(bool force) {
  auto h = log_.head();
  if (!h) {
    on_error_(h.error().message);
    return;
  }
  if (h->seq <= last_seq_) return;
  auto now = std::chrono::steady_clock::now();
  bool due = force || h->seq - last_seq_ >= options_.every_records ||
             now - last_time_ >= options_.interval;
  if (!due) return;
  Checkpoint c = sign_checkpoint(*h, now_rfc3339(), chain_key_id_, key_);
  std::string line = boost::json::serialize(c.json()) + "\n";
  off_t before = ::lseek(fd_, 0, SEEK_END);
  ssize_t wrote = ::write(fd_, line.data(), line.size());
  if (wrote != static_cast<ssize_t>(line.size()) || ::fdatasync(fd_) != 0) {
    int error = wrote < 0 || wrote == static_cast<ssize_t>(line.size()) ? errno : ENOSPC;
    // Half a line, and the next checkpoint appended to it, made the file unreadable for good
    // after a full disk (operator probe, stop 48): the file is cut back to its last whole line.
    if (before >= 0 && ::ftruncate(fd_, before) != 0) error = errno;
    on_error_("cannot write the checkpoints file " + options_.file + ": " + std::strerror(error));
    return;
  }
  last_seq_ = h->seq;
  last_time_ = now;
}

}  // namespace kyc::service
