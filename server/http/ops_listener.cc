#include "server/http/ops_listener.h"

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <thread>

#include "server/handlers/handlers.h"
#include "server/http/client_address.h"
#include "server/http/listen_address.h"
#include "server/http/request_target.h"
#include "server/http/wire_response.h"

namespace kyc::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// A probe's request is a line and a few headers; nothing here reads a body.
constexpr uint32_t kHeaderBytes = 8 * 1024;
constexpr uint64_t kBodyBytes = 1024;

}  // namespace

struct OpsListener::Impl {
  const ServeOptions& options;
  Metrics& metrics;
  service::PolicyStore& policies;
  const store::DecisionLog* log;
  std::atomic<size_t> open{0};  // before `context`: its sessions count down when it goes
  net::io_context context{1};
  tcp::acceptor acceptor{context};
  net::steady_timer accept_retry{context};
  std::thread thread;

  Impl(const ServeOptions& o, Metrics& m, service::PolicyStore& p, const store::DecisionLog* l)
      : options(o), metrics(m), policies(p), log(l) {}

  HttpResponse answer(std::string_view method, std::string_view target) const {
    std::string_view path = target.substr(0, target.find('?'));
    bool known = path == "/healthz" || path == "/readyz" || path == "/metrics";
    if (!known)
      return problem(404, "not-found", "Not found",
                     "the operations listener serves /healthz, /readyz and /metrics only");
    if (method != "GET") {
      HttpResponse r = problem(405, "method-not-allowed", "Method not allowed",
                               std::string(method) + " is not allowed on " + std::string(path));
      r.headers.emplace_back("Allow", "GET");
      return r;
    }
    if (path == "/healthz") return healthz();
    if (path == "/readyz") return readyz(policies, log);
    return metrics_text(metrics);
  }

  void do_accept();
  void on_accept(beast::error_code ec, tcp::socket socket);
};

namespace {

class OpsSession : public std::enable_shared_from_this<OpsSession> {
 public:
  OpsSession(tcp::socket&& socket, OpsListener::Impl& ops) : stream_(std::move(socket)), ops_(ops) {
    ops_.open.fetch_add(1);
  }
  ~OpsSession() { ops_.open.fetch_sub(1); }

  void do_read() {
    parser_.emplace();
    parser_->header_limit(kHeaderBytes);
    parser_->body_limit(kBodyBytes);
    const Limits& limits = ops_.options.limits;
    stream_.expires_after(first_ ? limits.read_timeout : limits.idle_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&OpsSession::on_read, shared_from_this()));
  }

 private:
  void on_read(beast::error_code ec, std::size_t) {
    if (ec) return close();  // a probe that cannot send a request gets no answer
    const auto& req = parser_->get();
    bool keep_alive = req.keep_alive();
    auto wire = std::make_shared<std::string>(wire_response(
        ops_.answer(std::string_view(req.method_string().data(), req.method_string().size()),
                    std::string_view(req.target().data(), req.target().size())),
        keep_alive, req.version(), ""));
    stream_.expires_after(ops_.options.limits.write_timeout);
    net::async_write(stream_, net::buffer(*wire),
                     [self = shared_from_this(), wire, keep_alive](beast::error_code ec, size_t) {
                       if (ec || !keep_alive) return self->close();
                       self->first_ = false;
                       self->do_read();
                     });
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_{kHeaderBytes + kBodyBytes};
  std::optional<http::request_parser<http::string_body>> parser_;
  OpsListener::Impl& ops_;
  bool first_ = true;
};

}  // namespace

void OpsListener::Impl::do_accept() {
  acceptor.async_accept(beast::bind_front_handler(&Impl::on_accept, this));
}

void OpsListener::Impl::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted) return;
  if (ec) {
    accept_retry.expires_after(kAcceptRetry);
    accept_retry.async_wait([this](beast::error_code e) {
      if (!e) do_accept();
    });
    return;
  }
  if (open.load() >= options.limits.ops_connections) {
    metrics.connection_refused(Metrics::Refusal::kOpsConnections);
    beast::error_code ignored;
    socket.close(ignored);
  } else {
    std::make_shared<OpsSession>(std::move(socket), *this)->do_read();
  }
  do_accept();
}

OpsListener::OpsListener(const ServeOptions& options, Metrics& metrics,
                         service::PolicyStore& policies, const store::DecisionLog* log)
    : impl_(std::make_unique<Impl>(options, metrics, policies, log)) {}

OpsListener::~OpsListener() { stop(); }

common::Result<void> OpsListener::listen() {
  const std::string& listen = impl_->options.ops_listen;
  auto endpoint = parse_listen_address("--ops-listen", listen);
  if (!endpoint) return endpoint.error();
  return listen_on(impl_->acceptor, *endpoint, "--ops-listen", listen);
}

unsigned short OpsListener::port() const {
  beast::error_code ec;
  return impl_->acceptor.local_endpoint(ec).port();
}

void OpsListener::start() {
  Impl& s = *impl_;
  s.do_accept();
  s.thread = std::thread([&s] { s.context.run(); });
}

void OpsListener::stop() {
  Impl& s = *impl_;
  s.context.stop();
  if (s.thread.joinable()) s.thread.join();
}

}  // namespace kyc::server
