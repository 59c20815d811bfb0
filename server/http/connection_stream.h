// A client connection's byte stream: plain TCP, or TLS over it. The session reads and writes
// through this one type, so the HTTP code is compiled once for both; deadlines
// (expires_after) and the socket are always the TCP layer's. Included by http_server.cc only.
#pragma once

#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "server/http/tls_context.h"

namespace kyc::server {

class ConnectionStream {
 public:
  using executor_type = boost::beast::tcp_stream::executor_type;

  // tls null: plain HTTP. The context is held for the connection's life: a reload that
  // replaces the server's context leaves this connection's alone.
  ConnectionStream(boost::asio::ip::tcp::socket&& socket,
                   std::shared_ptr<boost::asio::ssl::context> tls)
      : tcp_(std::move(socket)), context_(std::move(tls)) {
    if (context_) tls_.emplace(tcp_, *context_);
  }
  ConnectionStream(const ConnectionStream&) = delete;  // tls_ refers to tcp_
  ConnectionStream& operator=(const ConnectionStream&) = delete;

  executor_type get_executor() { return tcp_.get_executor(); }
  boost::asio::ip::tcp::socket& socket() { return tcp_.socket(); }
  template <class Duration>
  void expires_after(Duration d) {
    tcp_.expires_after(d);
  }
  bool is_tls() const { return tls_.has_value(); }
  // The common name of the client's verified certificate (mTLS), or "".
  std::string client_name() { return tls_ ? client_common_name(tls_->native_handle()) : ""; }

  template <class Handler>
  void async_handshake(Handler&& handler) {
    tls_->async_handshake(boost::asio::ssl::stream_base::server, std::forward<Handler>(handler));
  }
  // Sends TLS close_notify and waits for the client's (bounded by the deadline).
  template <class Handler>
  void async_shutdown(Handler&& handler) {
    tls_->async_shutdown(std::forward<Handler>(handler));
  }
  // Bytes that bypass TLS: the one plain-HTTP answer to a client that did not speak TLS.
  template <class Buffers, class Handler>
  void async_write_plain(const Buffers& buffers, Handler&& handler) {
    boost::asio::async_write(tcp_, buffers, std::forward<Handler>(handler));
  }

  template <class Buffers, class Handler>
  void async_read_some(const Buffers& buffers, Handler&& handler) {
    if (tls_)
      tls_->async_read_some(buffers, std::forward<Handler>(handler));
    else
      tcp_.async_read_some(buffers, std::forward<Handler>(handler));
  }
  template <class Buffers, class Handler>
  void async_write_some(const Buffers& buffers, Handler&& handler) {
    if (tls_)
      tls_->async_write_some(buffers, std::forward<Handler>(handler));
    else
      tcp_.async_write_some(buffers, std::forward<Handler>(handler));
  }

 private:
  boost::beast::tcp_stream tcp_;
  std::shared_ptr<boost::asio::ssl::context> context_;
  std::optional<boost::asio::ssl::stream<boost::beast::tcp_stream&>> tls_;
};

}  // namespace kyc::server
