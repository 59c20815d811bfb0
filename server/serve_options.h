// Every knob of `kyc serve` in one place: where things are, and every limit with its default.
// cli/cmd_serve.cc turns each field into a flag (and a config-file key of the same name).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "store/audit_options.h"

namespace kyc::server {

struct Limits {
  size_t header_bytes = 16 * 1024;                // request line + headers
  size_t body_bytes = 1024 * 1024;                // 413 before the body is read
  size_t upload_bytes = 16 * 1024 * 1024;         // the same for POST /v1/verifications (photos)
  size_t upload_parts = 8;                        // parts of one multipart upload
  unsigned image_threads = 0;                     // image analysis pool; 0: one per core
  size_t image_queue = 16;                        // uploads waiting for the pool; more get 503
  // Range replays (POST /v1/replay) and CSV exports read the log in bulk: on a thread of their
  // own, one at a time (on the IO thread a replay of 200,000 decisions held every request for
  // 4.1 s). This many more wait; others get 503.
  size_t bulk_read_queue = 1;
  size_t json_depth = 32;                         // nesting of the request JSON
  size_t json_elements = 10000;                   // values in the request JSON
  size_t deploy_note_bytes = 2000;                // why a policy was deployed: a sentence or two
  size_t account_id_bytes = 256;                  // an account id: room for an e-mail address
  // One fact's text (a name, a number, a country), in the request or the primary data: rules
  // compare them pairwise (name_similarity's cost grows with the product of two names'
  // lengths: two names of 500 KB held the IO thread for minutes), and no name is 4 KB long.
  size_t fact_text_bytes = 4096;
  std::chrono::milliseconds read_timeout{10000};  // a whole request must arrive within this
  std::chrono::milliseconds write_timeout{10000};  // to send an answer, or each MiB of a larger one
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
  // One client address may hold this many of them; more are answered 503 and closed, so that
  // one client (2,000 idle sockets, say) cannot take the whole max_connections. 0: no cap.
  size_t max_connections_per_address = 256;
  // Abuse limits, answered 429 with Retry-After; a rate of 0 is unlimited. One instance answers
  // 35-50 k evaluations/s on 2 cores (bench/README.md), and a backend's KYC traffic is a few
  // requests per user: 1000/s sustained per token is far above any real flow, yet a leaked or
  // runaway token takes at most a small share of even that small machine. The burst (2 s worth)
  // lets a backend's queue drain after a blip without a 429. An address gets twice a token's
  // rate: two busy backends behind one NAT. Behind a reverse proxy every request comes from
  // the proxy's address: set the address rate and bad_token_limit to 0 there. Benchmarks and
  // load tests that send more pass 0 explicitly.
  double token_rate = 1000;  // requests/s per bearer token (keyed by its hash)
  double token_burst = 2000;
  double address_rate = 2000;  // requests/s per client address (IPv6: per /64)
  double address_burst = 4000;
  // This many unknown tokens from one address within bad_token_window pause it (429 to every
  // request that needs a token) for 1 s, doubling with each further pause up to
  // bad_token_max_pause; a quiet window forgives. 0: off.
  size_t bad_token_limit = 20;
  std::chrono::milliseconds bad_token_window{60000};
  std::chrono::milliseconds bad_token_max_pause{60000};
  // Keys each of the tables above keeps (per token, per address, bad-token strikes): the least
  // recently seen is dropped beyond it, so a flood of distinct addresses cannot grow memory
  // (~200 bytes an entry).
  size_t rate_limit_entries = 100000;
  // Connections the operations listener (--ops-listen) holds at once; more are closed.
  size_t ops_connections = 32;
  // Decisions in one CSV export (GET /v1/verifications?format=csv): the answer is built in
  // memory, ~1-4 KB a row. A larger search is refused with the count to narrow it by;
  // `kyc audit export` streams any size.
  size_t export_rows = 100000;
  // Pipelined requests are answered in order, one at a time; what a client may send ahead is
  // bounded by the connection's read buffer, header_bytes + body_bytes.
  std::chrono::milliseconds shutdown_deadline{10000};  // drain time on SIGTERM/SIGINT
};

// HTTPS: empty cert_file serves plain HTTP. With client_ca_file every client must present a
// certificate signed by one of its CAs (mTLS).
struct TlsOptions {
  std::string cert_file;       // PEM: the server certificate, then its intermediates
  std::string key_file;        // PEM, unencrypted
  std::string client_ca_file;  // PEM: CAs whose client certificates are accepted
  bool enabled() const { return !cert_file.empty() || !key_file.empty(); }
};

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  // A second listener for /healthz, /readyz and /metrics only, on a thread of its own and
  // with its own connection budget (Limits::ops_connections): probes keep their answers while
  // the main listener is flooded. Empty: off.
  std::string ops_listen;
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
  TlsOptions tls;
  // Where the store lives (store/location.h): "" is DATA_DIR/audit.db, or a postgresql:// URI
  // that several replicas share.
  std::string store;
  store::AuditOptions audit;  // group commit of the audit log
  // The audit chain's keys and checkpoints (docs/audit-log.md).
  std::string chain_key_file;         // empty: <data_dir>/chain.key (created on first start)
  // Wraps the per-account data keys that seal personal facts (docs/personal-data.md).
  std::string master_key_file;        // empty: <data_dir>/master.key (created on first start)
  // Accounts whose last record is older than this are erased (service/retention.h): "5y",
  // "18m", "400d"; empty keeps personal data forever. Swept at start and every interval.
  std::string retention;
  std::chrono::milliseconds retention_sweep_interval{3600 * 1000};
  std::string checkpoints_file;       // signed checkpoints appended here; empty: none
  std::string checkpoint_key_file;    // empty: <data_dir>/checkpoint.key (created on first start)
  int64_t checkpoint_records = 1000;  // a checkpoint every N records
  std::chrono::milliseconds checkpoint_interval{60000};  // or this long, if new records
};

}  // namespace kyc::server
