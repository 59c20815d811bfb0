// Every knob of `kyc serve` in one place: where things are, and every limit with its default.
// cli/cmd_serve.cc turns each field into a flag (and a config-file key of the same name).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "store/sqlite/options.h"

namespace kyc::server {

struct Limits {
  size_t header_bytes = 16 * 1024;                // request line + headers
  size_t body_bytes = 1024 * 1024;                // 413 before the body is read
  size_t upload_bytes = 16 * 1024 * 1024;         // the same for POST /v1/verifications (photos)
  size_t upload_parts = 8;                        // parts of one multipart upload
  unsigned image_threads = 0;                     // image analysis pool; 0: one per core
  size_t image_queue = 16;                        // uploads waiting for the pool; more get 503
  size_t json_depth = 32;                         // nesting of the request JSON
  size_t json_elements = 10000;                   // values in the request JSON
  size_t deploy_note_bytes = 2000;                // why a policy was deployed: a sentence or two
  std::chrono::milliseconds read_timeout{10000};  // a whole request must arrive within this
  std::chrono::milliseconds write_timeout{10000};
  std::chrono::milliseconds idle_timeout{30000};  // keep-alive connection with no request
  // After a last answer (413, 431, 400, Connection: close) what the client still sends is read
  // and dropped before closing: closing on unread bytes resets the connection, and the reset
  // can overtake the answer. A client that is still sending (a large body refused from its
  // Content-Length, on a busy machine) keeps the connection while bytes keep coming: it is
  // closed after linger_timeout without a byte, or linger_bytes dropped, or linger_max in all.
  std::chrono::milliseconds linger_timeout{2000};
  size_t linger_bytes = 64 * 1024 * 1024;
  std::chrono::milliseconds linger_max{30000};
  size_t max_connections = 1024;  // more are answered 503 and closed
  // Decisions in one CSV export (GET /v1/verifications?format=csv): the answer is built in
  // memory, ~1-4 KB a row. A larger search is refused with the count to narrow it by;
  // `kyc audit export` streams any size.
  size_t export_rows = 100000;
  // Pipelined requests are answered in order, one at a time; what a client may send ahead is
  // bounded by the connection's read buffer, header_bytes + body_bytes.
  std::chrono::milliseconds shutdown_deadline{10000};  // drain time on SIGTERM/SIGINT
};

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  std::string policy_dir = "policies";
  std::string policy_file = "kyc.policy";  // the active policy, inside policy_dir
  std::string data_dir = "var";
  std::string tokens_file;  // empty: <data_dir>/tokens (created on first start)
  bool no_auth = false;
  bool require_tests = false;  // a policy whose X.test fails is not activated
  unsigned threads = 0;        // IO threads; 0: one per core but one (the audit writer's)
  std::string port_file;       // write the bound port here (tests use port 0)
  std::chrono::milliseconds reload_poll{500};  // how often the policy file is checked
  std::chrono::seconds log_flush{1};           // access-log lines reach stdout within this
  Limits limits;
  store::sqlite::AuditOptions audit;  // group commit of the audit log (<data_dir>/audit.db)
  // The audit chain's keys and checkpoints (docs/audit-log.md).
  std::string chain_key_file;         // empty: <data_dir>/chain.key (created on first start)
  std::string checkpoints_file;       // signed checkpoints appended here; empty: none
  std::string checkpoint_key_file;    // empty: <data_dir>/checkpoint.key (created on first start)
  int64_t checkpoint_records = 1000;  // a checkpoint every N records
  std::chrono::milliseconds checkpoint_interval{60000};  // or this long, if new records
};

}  // namespace kyc::server
