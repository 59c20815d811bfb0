#include "server/http/http_server.h"

#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <csignal>
#include <fstream>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include "server/http/access_line.h"
#include "server/http/client_address.h"
#include "server/http/connection_stream.h"
#include "server/http/listen_address.h"
#include "server/http/log_line.h"
#include "server/http/ops_listener.h"
#include "server/http/wire_response.h"
#include "server/service_manager.h"

namespace kyc::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

class Session;

std::string request_id_from(std::string_view header) {
  // A caller's id is kept when it is short and plain; anything else gets a fresh one.
  static std::atomic<uint64_t> counter{0};
  static const std::string prefix = [] {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(std::random_device{}()));
    return std::string(buf);
  }();
  bool plain = !header.empty() && header.size() <= 64 &&
               std::all_of(header.begin(), header.end(), [](char c) {
                 return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
               });
  if (plain) return std::string(header);
  return prefix + "-" + std::to_string(counter.fetch_add(1, std::memory_order_relaxed));
}

}  // namespace

struct HttpServer::Impl {
  const ServeOptions& options;
  Api& api;
  Metrics& metrics;
  PolicyStore& policies;
  std::shared_ptr<spdlog::logger> log;
  // Before the contexts: the sessions they still hold when they go release their slots here.
  ConnectionsPerAddress per_address;
  // One io_context per thread, each run by exactly one thread: a connection lives on one
  // context, so its handlers need no strand and threads never hand work to each other.
  std::vector<std::unique_ptr<net::io_context>> contexts;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> keep_running;
  size_t next_context = 0;
  net::io_context& main_context() { return *contexts.front(); }
  tcp::acceptor acceptor;
  net::signal_set stop_signals;
  net::signal_set reload_signal;
  net::steady_timer drain_timer;
  std::chrono::steady_clock::time_point drain_deadline;
  std::atomic<bool> draining{false};
  std::mutex sessions_mutex;
  std::vector<std::weak_ptr<Session>> sessions;
  net::steady_timer accept_retry;    // after a failed accept (EMFILE), instead of spinning
  std::unique_ptr<OpsListener> ops;  // --ops-listen; null when off
  std::unique_ptr<TlsContext> tls;  // null: plain HTTP

  Impl(const ServeOptions& o, Api& a, Metrics& m, PolicyStore& p, std::shared_ptr<spdlog::logger> l)
      : options(o),
        api(a),
        metrics(m),
        policies(p),
        log(std::move(l)),
        per_address(o.limits.max_connections_per_address),
        contexts(make_contexts(o.threads)),
        acceptor(main_context()),
        stop_signals(main_context(), SIGINT, SIGTERM),
        reload_signal(main_context(), SIGHUP),
        drain_timer(main_context()),
        accept_retry(main_context()) {
    for (auto& c : contexts) keep_running.push_back(net::make_work_guard(*c));
  }

  static std::vector<std::unique_ptr<net::io_context>> make_contexts(unsigned threads) {
    // The audit writer thread is busy for every decision: it gets a core of its own.
    // (Measured on 2 cores: 1 IO thread answers ~8% more than 2 with the durable audit on.)
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency() - 1);
    std::vector<std::unique_ptr<net::io_context>> out;
    for (unsigned i = 0; i < threads; ++i) out.push_back(std::make_unique<net::io_context>(1));
    return out;
  }

  void stop_all() {
    for (auto& c : contexts) c->stop();
  }

  void do_accept();
  void on_accept(beast::error_code ec, tcp::socket socket);
  void retry_accept();
  void start_drain();
  void check_drained();
  void wait_reload_signal();
  common::Result<void> load_tls(const tcp::endpoint& endpoint);
  void reload_tls();
};

namespace {

// Read buffer allocated when a connection opens (it grows up to the limits as needed).
constexpr size_t kFirstReadBytes = 4096;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, HttpServer::Impl& server, ConnectionSlot slot)
      : slot_(std::move(slot)),
        stream_(std::move(socket), server.tls ? server.tls->current() : nullptr),
        buffer_(server.options.limits.header_bytes + server.options.limits.body_bytes),
        server_(server) {
    // Beast reads 512 bytes at a time into an empty buffer: a typical evaluate request (about
    // 600 bytes) then took two recvmsg calls. Room for one such request from the start.
    buffer_.reserve(std::min<size_t>(kFirstReadBytes, buffer_.max_size()));
    server_.metrics.connections.fetch_add(1);
  }
  ~Session() { server_.metrics.connections.fetch_sub(1); }

  void start() {
    net::dispatch(
        stream_.get_executor(),
        beast::bind_front_handler(stream_.is_tls() ? &Session::do_handshake : &Session::do_read,
                                  shared_from_this()));
  }

  // Called on drain: a connection waiting for its next request is closed now; one in the
  // middle of a request finishes it first.
  void close_if_idle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle_) self->stream_.socket().close();
    });
  }

 private:
  const Limits& limits() const { return server_.options.limits; }

  // TLS: the handshake must be done within the read timeout, as a request would.
  void do_handshake() {
    stream_.expires_after(limits().read_timeout);
    stream_.async_handshake(beast::bind_front_handler(&Session::on_handshake, shared_from_this()));
  }

  void on_handshake(beast::error_code ec) {
    if (!ec) {
      server_.metrics.tls_handshakes.fetch_add(1, std::memory_order_relaxed);
      client_name_ = stream_.client_name();
      return do_read();
    }
    server_.metrics.tls_handshake_failures.fetch_add(1, std::memory_order_relaxed);
    bool plain_http =
        ec.category() == net::error::get_ssl_category() && is_plain_http_error(ec.value());
    server_.log->info(
        LogLine::event("tls_handshake_failed")
            .add("error", plain_http ? "plain HTTP sent to the TLS port" : ec.message())
            .str());
    if (!plain_http) return close();
    // A plain-HTTP client gets a plain answer that says why, not a reset.
    static const std::string https_only = [] {
      return wire_response(problem(400, "https-required", "HTTPS required",
                                   "this port speaks HTTPS only: use https://"),
                           false, 11, "");
    }();
    stream_.expires_after(limits().write_timeout);
    stream_.async_write_plain(
        net::buffer(https_only), [self = shared_from_this()](beast::error_code, size_t) {
          beast::error_code ignored;
          self->stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
          self->close();
        });
  }

  void do_read() {
    if (server_.draining) return close();
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(limits().header_bytes));
    // The route's own limit is applied once the request line is known (on_header).
    parser_->body_limit(std::max(limits().body_bytes, limits().upload_bytes));
    idle_ = true;
    // A new connection must send its request within the read timeout (slow clients are cut
    // off); a kept-alive one may wait up to the idle timeout for its next request.
    stream_.expires_after(first_ ? limits().read_timeout : limits().idle_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  void on_header(beast::error_code ec, std::size_t) {
    idle_ = false;
    started_ = std::chrono::steady_clock::now();
    // The route's limit, known once the request line is: also the one a 413 names (a
    // Content-Length over every limit fails the header read itself).
    target_ = parse_target(std::string_view(parser_->get().target()));
    body_limit_ = Api::body_limit(target_, limits());
    if (read_failed(ec)) return;
    if (parser_->content_length() && *parser_->content_length() > body_limit_)
      return (void)read_failed(http::error::body_limit);
    parser_->body_limit(body_limit_);  // chunked bodies are cut off while they arrive
    stream_.expires_after(limits().read_timeout);
    // A client that asks (curl does for bodies over 1 MB) holds the body back until it is
    // told to go on (RFC 9110, 10.1.1): unanswered, curl waited a second on every upload.
    const auto& req = parser_->get();
    if (req.version() == 11 && beast::iequals(req[http::field::expect], "100-continue")) {
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      return net::async_write(stream_, net::buffer(kContinue),
                              [self = shared_from_this()](beast::error_code ec, size_t) {
                                if (ec) return self->close();
                                self->read_body();
                              });
    }
    read_body();
  }

  void read_body() {
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (read_failed(ec)) return;
    auto& req = parser_->get();
    auto ex = std::make_shared<Exchange>();
    ex->request = HttpRequest{std::string(req.method_string()),
                              std::string(req.target()),
                              {},
                              std::string(req[http::field::content_type]),
                              std::string(req[http::field::authorization]),
                              std::move(req.body()),
                              {},
                              std::string(req["Idempotency-Key"]),
                              slot_.address()};
    ex->client_socket = stream_.socket().native_handle();
    // HEAD is GET without the body (RFC 9110, 9.3.2): routed as GET, answered with its head.
    std::string method = ex->request.method;
    if (req.method() == http::verb::head) ex->request.method = "GET";
    std::string request_id = request_id_from(req["X-Request-Id"]);
    bool wants_keep_alive = req.keep_alive();
    unsigned version = req.version();
    server_.metrics.in_flight.fetch_add(1);
    // The answer may come from another thread (after the audit commit): it is carried back to
    // this connection's own thread before anything touches the socket; on that thread it is
    // sent at once.
    ex->reply = [self = shared_from_this(), method, request_id, wants_keep_alive, version](
                    HttpResponse response, const RequestNotes& notes) {
      self->server_.metrics.in_flight.fetch_sub(1);
      net::dispatch(
          self->stream_.get_executor(), [self, response = std::move(response), notes, method,
                                         request_id, wants_keep_alive, version]() mutable {
            bool keep_alive = wants_keep_alive && !self->server_.draining;
            self->send(std::move(response), keep_alive, method, request_id, notes, version);
          });
    };
    try {
      server_.api.handle(ex, std::move(target_));
    } catch (const std::exception& e) {
      // A bug, not the caller's fault: no stack trace in the answer, the message in the log.
      server_.log->error(LogLine::event("handler_exception")
                             .add("request_id", request_id)
                             .add("what", e.what())
                             .str());
      ex->respond(problem(500, "internal", "Internal error",
                          "the request failed; it has been logged as " + request_id));
    }
  }

  void send(HttpResponse response, bool keep_alive, const std::string& method,
            const std::string& request_id, const RequestNotes& notes, unsigned version) {
    auto latency = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - started_);
    // The route's template, never the path itself: an account id may be an e-mail address,
    // and a query string may hold a token. A request no route took is logged without a path.
    std::string_view route = notes.route;
    std::string_view path = route.find(' ') != std::string_view::npos
                                ? route.substr(route.find(' ') + 1)
                                : std::string_view("(no route)");
    server_.metrics.request_done(notes.route.empty() ? "unmatched" : notes.route, response.status,
                                 latency);
    for (const auto& [stage, ms] : notes.stages) server_.metrics.upload_stage(stage, ms);
    if (response.stream && method != "HEAD")
      return send_streamed(std::move(response), keep_alive, version, request_id,
                           [self = shared_from_this(), request_id, method, path = std::string(path),
                            status = response.status, notes](uint64_t bytes, bool whole) {
                             auto took = std::chrono::duration_cast<std::chrono::microseconds>(
                                 std::chrono::steady_clock::now() - self->started_);
                             std::string now = now_rfc3339();
                             AccessEntry entry{now,
                                               request_id,
                                               method,
                                               path,
                                               status,
                                               bytes,
                                               took.count(),
                                               notes.decision_id,
                                               notes.outcome,
                                               &notes.stages,
                                               self->client_name_};
                             entry.cut_short = !whole;
                             self->server_.log->info(access_line(entry));
                           });
    if (response.stream) response.stream->abandon();  // HEAD: the head alone, nothing made
    std::string now = now_rfc3339();
    server_.log->info(access_line({now, request_id, method, path, response.status,
                                   response.body.size(), latency.count(), notes.decision_id,
                                   notes.outcome, &notes.stages, client_name_}));
    std::shared_ptr<std::string> wire;
    if (method == "HEAD") {
      wire = std::make_shared<std::string>(wire_head(response, keep_alive, version, request_id));
    } else if (response.body.size() > kWriteSlice) {
      auto head =
          std::make_shared<std::string>(wire_head(response, keep_alive, version, request_id));
      auto body = std::make_shared<std::string>(std::move(response.body));
      return write_slices(std::move(head), std::move(body), keep_alive, 0);
    } else {
      wire =
          std::make_shared<std::string>(wire_response(response, keep_alive, version, request_id));
    }
    stream_.expires_after(limits().write_timeout);
    net::async_write(stream_, net::buffer(*wire),
                     [self = shared_from_this(), wire, keep_alive](beast::error_code ec, size_t) {
                       if (ec) return self->close();
                       self->after_answer(keep_alive);
                     });
  }

  // A body over this is written a slice at a time, each with a write timeout of its own: one
  // deadline on all of a 200 MB export cut off every client slower than 20 MB/s, with a 200
  // already logged. A client must now take 1 MiB per write timeout (100 KB/s by default).
  static constexpr size_t kWriteSlice = 1 << 20;

  // Writes the head, then the body from `sent` bytes into head and body together.
  void write_slices(std::shared_ptr<std::string> head, std::shared_ptr<std::string> body,
                    bool keep_alive, size_t sent) {
    if (sent == head->size() + body->size()) return after_answer(keep_alive);
    std::string_view part = sent < head->size()
                                ? std::string_view(*head).substr(sent)
                                : std::string_view(*body).substr(sent - head->size(), kWriteSlice);
    stream_.expires_after(limits().write_timeout);
    net::async_write(stream_, net::buffer(part.data(), part.size()),
                     [self = shared_from_this(), head, body, keep_alive, sent](beast::error_code ec,
                                                                               size_t written) {
                       if (ec) return self->close();
                       self->write_slices(head, body, keep_alive, sent + written);
                     });
  }

  // A body made while it is sent (BodyStream): chunked for HTTP/1.1, so that a body cut short
  // (the maker failed after the head went out) shows as one, the connection closing before
  // the last chunk; for HTTP/1.0 the body ends with the connection. The access line is
  // written when the body has gone, with its size.
  using SentLog = std::function<void(uint64_t bytes, bool whole)>;
  void send_streamed(HttpResponse response, bool keep_alive, unsigned version,
                     const std::string& request_id, SentLog log_sent) {
    bool chunked = version == 11;
    auto head = std::make_shared<std::string>(
        wire_head(response, keep_alive && chunked, version, request_id));
    auto body = std::move(response.stream);
    stream_.expires_after(limits().write_timeout);
    net::async_write(stream_, net::buffer(*head),
                     [self = shared_from_this(), head, body, chunked, keep_alive,
                      log_sent = std::move(log_sent)](beast::error_code ec, size_t) mutable {
                       if (ec) {
                         body->abandon();
                         log_sent(0, false);
                         return self->close();
                       }
                       self->pump(std::move(body), chunked, keep_alive && chunked,
                                  std::move(log_sent), 0);
                     });
  }

  // Writes the body's pieces as they come, each with the write timeout of its own.
  void pump(std::shared_ptr<BodyStream> body, bool chunked, bool keep_alive, SentLog log_sent,
            uint64_t sent) {
    auto next = body->take([self = shared_from_this(), body, chunked, keep_alive, log_sent,
                            sent]() mutable {
      net::post(self->stream_.get_executor(),
                [self, body, chunked, keep_alive, log_sent = std::move(log_sent), sent]() mutable {
                  self->pump(std::move(body), chunked, keep_alive, std::move(log_sent), sent);
                });
    });
    switch (next.state) {
      case BodyStream::State::kWait:
        return;
      case BodyStream::State::kCutShort:
        log_sent(sent, false);
        return close();
      case BodyStream::State::kEnd: {
        if (!chunked) {
          log_sent(sent, true);
          return linger_then_close();
        }
        static const std::string kLastChunk = "0\r\n\r\n";
        stream_.expires_after(limits().write_timeout);
        return net::async_write(
            stream_, net::buffer(kLastChunk),
            [self = shared_from_this(), keep_alive, log_sent = std::move(log_sent), sent](
                beast::error_code ec, size_t) {
              log_sent(sent, !ec);
              if (ec) return self->close();
              self->after_answer(keep_alive);
            });
      }
      case BodyStream::State::kPiece:
        break;
    }
    auto piece = std::make_shared<std::string>(std::move(next.piece));
    auto size_line = std::make_shared<std::string>(chunked ? chunk_size_line(piece->size()) : "");
    std::array<net::const_buffer, 3> wire{net::buffer(*size_line), net::buffer(*piece),
                                          net::buffer(chunked ? "\r\n" : "", chunked ? 2 : 0)};
    stream_.expires_after(limits().write_timeout);
    net::async_write(stream_, wire,
                     [self = shared_from_this(), body, piece, size_line, chunked, keep_alive,
                      log_sent = std::move(log_sent), sent](beast::error_code ec, size_t) mutable {
                       if (ec) {
                         body->abandon();  // the maker stops at its next piece
                         log_sent(sent, false);
                         return self->close();
                       }
                       self->pump(std::move(body), chunked, keep_alive, std::move(log_sent),
                                  sent + piece->size());
                     });
  }

  static std::string chunk_size_line(size_t size) {
    char hex[24];
    int n = std::snprintf(hex, sizeof hex, "%zx\r\n", size);
    return std::string(hex, static_cast<size_t>(n));
  }

  void after_answer(bool keep_alive) {
    if (!keep_alive) return linger_then_close();
    first_ = false;
    do_read();
  }

  // Answers an unreadable request and closes: the parser's state cannot be trusted after it.
  void reject(int status, const std::string& slug, const std::string& title,
              const std::string& detail) {
    if (started_ == std::chrono::steady_clock::time_point{})
      started_ = std::chrono::steady_clock::now();
    send(problem(status, slug, title, detail), false, "-", request_id_from(""),
         RequestNotes{"unreadable", "", "", {}}, 11);
  }

  // Answers (413, 431, 400) or closes (timeout, disconnect) after a failed read of headers
  // or body; false when the read succeeded.
  bool read_failed(const beast::error_code& ec) {
    if (!ec) return false;
    if (ec == http::error::body_limit)
      reject(413, "payload-too-large", "Payload too large",
             "the body is over this route's limit of " + std::to_string(body_limit_) + " bytes");
    else if (ec == http::error::header_limit)
      reject(431, "headers-too-large", "Request header fields too large",
             "the headers are over " + std::to_string(limits().header_bytes) + " bytes");
    else if (ec == beast::error::timeout || is_disconnect(ec))
      close();
    else
      reject(400, "bad-request", "Bad request", ec.message());
    return true;
  }

  static bool is_disconnect(const beast::error_code& ec) {
    return ec == http::error::end_of_stream || ec == net::error::eof ||
           ec == net::error::connection_reset || ec == net::error::operation_aborted ||
           ec == net::error::bad_descriptor;
  }

  // The last answer is out: no more sending (the FIN follows the answer), then what the
  // client still sends (a body too large to read, say) is dropped until it closes or the
  // linger timeout passes. Closing at once on unread bytes would reset the connection, and a
  // reset can overtake the answer on its way.
  void linger_then_close() {
    if (stream_.is_tls()) {
      // close_notify, then the client's, dropping what it still sends: within the linger time.
      stream_.expires_after(limits().linger_timeout);
      return stream_.async_shutdown(
          [self = shared_from_this()](beast::error_code) { self->close(); });
    }
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return close();
    linger_until_ = std::chrono::steady_clock::now() + limits().linger_max;
    lingered_bytes_ = 0;
    drain(std::make_shared<std::array<char, 16384>>());
  }

  // Reads and drops what the client still sends, as long as it keeps sending (each read gets
  // the linger timeout anew) and within the byte and time bounds of Limits.
  void drain(std::shared_ptr<std::array<char, 16384>> scratch) {
    auto now = std::chrono::steady_clock::now();
    if (now >= linger_until_ || lingered_bytes_ > limits().linger_bytes) return close();
    stream_.expires_after(std::min<std::chrono::steady_clock::duration>(limits().linger_timeout,
                                                                        linger_until_ - now));
    stream_.async_read_some(net::buffer(*scratch),
                            [self = shared_from_this(), scratch](beast::error_code ec, size_t n) {
                              if (ec) return self->close();
                              self->lingered_bytes_ += n;
                              self->drain(scratch);
                            });
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  ConnectionSlot slot_;  // counts this connection against its client's cap
  ConnectionStream stream_;
  std::string client_name_;  // mTLS: the client certificate's common name
  size_t body_limit_ = 0;    // of the request being read
  std::optional<RequestTarget> target_;  // its target, parsed once when the request line came
  std::chrono::steady_clock::time_point linger_until_{};  // after a last answer: see drain()
  size_t lingered_bytes_ = 0;
  beast::flat_buffer buffer_;  // bounded: header + body limit of read-ahead
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpServer::Impl& server_;
  bool first_ = true;
  bool idle_ = true;
  std::chrono::steady_clock::time_point started_{};
};

}  // namespace

void HttpServer::Impl::do_accept() {
  // Connections are dealt round-robin to the contexts.
  net::any_io_executor target = contexts[next_context++ % contexts.size()]->get_executor();
  acceptor.async_accept(target, beast::bind_front_handler(&Impl::on_accept, this));
}

void HttpServer::Impl::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || draining) return;
  if (ec) return retry_accept();
  if (!ec) {
    std::optional<ConnectionSlot> slot;
    if (static_cast<size_t>(metrics.connections.load()) >= options.limits.max_connections) {
      // Over the limit: a short, complete answer, then the door closes (on a TLS port only
      // the door: see refuse_over_address_cap).
      static const std::string busy = [] {
        HttpResponse r = problem(503, "busy", "Too many connections",
                                 "the server is at its connection limit; retry shortly");
        r.headers.emplace_back("Retry-After", "1");
        return wire_response(r, false, 11, "");
      }();
      metrics.connection_refused(Metrics::Refusal::kMaxConnections);
      beast::error_code ignored;
      if (!tls) net::write(socket, net::buffer(busy), ignored);
      socket.close(ignored);
    } else if (!(slot = per_address.open(client_address_key(socket)))) {
      metrics.connection_refused(Metrics::Refusal::kPerAddress);
      refuse_over_address_cap(socket, !tls);
    } else {
      auto session = std::make_shared<Session>(std::move(socket), *this, std::move(*slot));
      {
        std::lock_guard lock(sessions_mutex);
        if (sessions.size() > 64 &&
            sessions.size() > 2 * static_cast<size_t>(metrics.connections.load()))
          std::erase_if(sessions, [](const auto& w) { return w.expired(); });
        sessions.push_back(session);
      }
      session->start();
    }
  }
  do_accept();
}

void HttpServer::Impl::retry_accept() {
  // Out of file descriptors (EMFILE), say: the connection waits in the backlog, and trying
  // again at once would spin on the same error.
  accept_retry.expires_after(kAcceptRetry);
  accept_retry.async_wait([this](beast::error_code ec) {
    if (!ec && !draining) do_accept();
  });
}

void HttpServer::Impl::start_drain() {
  if (draining.exchange(true)) return;
  log->info(LogLine::event("shutdown").add("detail", "draining in-flight requests").str());
  api.stop_bulk_reads();  // a replay of hours would hold the drain to its deadline
  beast::error_code ec;
  acceptor.close(ec);
  {
    std::lock_guard lock(sessions_mutex);
    for (auto& w : sessions)
      if (auto s = w.lock()) s->close_if_idle();
  }
  drain_deadline = std::chrono::steady_clock::now() + options.limits.shutdown_deadline;
  check_drained();
}

void HttpServer::Impl::check_drained() {
  if (metrics.connections.load() == 0 || std::chrono::steady_clock::now() >= drain_deadline) {
    stop_all();
    return;
  }
  drain_timer.expires_after(std::chrono::milliseconds(20));
  drain_timer.async_wait([this](beast::error_code) { check_drained(); });
}

void HttpServer::Impl::wait_reload_signal() {
  reload_signal.async_wait([this](beast::error_code ec, int) {
    if (ec) return;
    service_manager::reloading();
    if (tls) reload_tls();
    bool ok = policies.reload("SIGHUP");  // logged by the policy store's listener
    if (TokenFile* tokens = api.tokens()) {
      auto read = tokens->reload();
      LogLine line =
          LogLine::event("tokens_reload").add("trigger", "SIGHUP").add("ok", bool(read));
      line.add("tokens", tokens->current()->size());
      if (!read) line.add("error", read.error().message);
      log->info(line.str());
    }
    service_manager::ready(ok ? "reloaded" : "reload failed; the running policy is kept");
    wait_reload_signal();
  });
}

common::Result<void> HttpServer::Impl::load_tls(const tcp::endpoint& endpoint) {
  if (!options.tls.enabled()) {
    if (!endpoint.address().is_loopback())
      log->warn(LogLine::event("plain_http")
                    .add("listen", options.listen)
                    .add("detail",
                         "serving plain HTTP on a non-loopback address: tokens and personal data "
                         "cross the network unencrypted; use --tls-cert and --tls-key")
                    .str());
    return {};
  }
  auto loaded = TlsContext::load(options.tls);
  if (!loaded) return loaded.error();
  tls = std::move(*loaded);
  CertificateInfo cert = tls->certificate();
  LogLine line = LogLine::event("tls");
  line.add("subject", cert.subject)
      .add("serial", cert.serial)
      .add("not_after", cert.not_after)
      .add("client_certificates", tls->requires_client_certificates() ? "required" : "none");
  if (cert.expired)
    log->warn(line.add("detail", "the certificate has expired").str());
  else
    log->info(line.str());
  return {};
}

// A certificate that does not load leaves the running one in place; new connections use the
// new one, open ones keep theirs.
void HttpServer::Impl::reload_tls() {
  auto reloaded = tls->reload();
  LogLine line = LogLine::event("tls_reload").add("trigger", "SIGHUP").add("ok", bool(reloaded));
  if (reloaded)
    line.add("subject", reloaded->subject).add("serial", reloaded->serial);
  else
    line.add("error", reloaded.error().message).add("kept_serial", tls->certificate().serial);
  if (reloaded)
    log->info(line.str());
  else
    log->error(line.str());
}

HttpServer::HttpServer(const ServeOptions& options, Api& api, Metrics& metrics,
                       PolicyStore& policies, std::shared_ptr<spdlog::logger> access_log)
    : impl_(std::make_unique<Impl>(options, api, metrics, policies, std::move(access_log))) {}

HttpServer::~HttpServer() = default;

common::Result<void> HttpServer::listen() {
  const std::string& listen = impl_->options.listen;
  auto endpoint = parse_listen_address("--listen", listen);
  if (!endpoint) return endpoint.error();
  if (auto tls = impl_->load_tls(*endpoint); !tls) return tls;
  if (auto bound = listen_on(impl_->acceptor, *endpoint, "--listen", listen); !bound) return bound;
  if (!impl_->options.ops_listen.empty()) {
    impl_->ops = std::make_unique<OpsListener>(impl_->options, impl_->metrics, impl_->policies,
                                               impl_->api.log());
    if (auto ops = impl_->ops->listen(); !ops) return ops.error();
  }
  return {};
}

unsigned short HttpServer::port() const {
  beast::error_code ec;
  return impl_->acceptor.local_endpoint(ec).port();
}

unsigned short HttpServer::ops_port() const { return impl_->ops ? impl_->ops->port() : 0; }

int HttpServer::run() {
  Impl& s = *impl_;
  s.stop_signals.async_wait([&s](beast::error_code ec, int) {
    if (ec) return;
    service_manager::stopping();
    s.start_drain();
  });
  s.wait_reload_signal();
  // Committed decisions come back as one task per batch on the main io thread; each answer
  // is then posted to its own connection's thread.
  if (auto* audit = s.api.log())
    audit->deliver_results_with(
        [&s](std::function<void()> finish) { net::post(s.main_context(), std::move(finish)); });
  if (s.ops) s.ops->start();  // answers probes until the main listener has drained
  s.do_accept();
  std::vector<std::thread> pool;
  for (size_t i = 1; i < s.contexts.size(); ++i)
    pool.emplace_back([&s, i] { s.contexts[i]->run(); });
  s.main_context().run();
  for (auto& t : pool) t.join();
  if (s.ops) s.ops->stop();
  // The contexts have stopped: what the writer commits from now on answers no one.
  if (auto* audit = s.api.log()) audit->deliver_results_with({});
  return 0;
}

}  // namespace kyc::server
