#include "server/http/listen_address.h"

#include <boost/asio/socket_base.hpp>

#include "server/http/request_target.h"

namespace kyc::server {

using tcp = boost::asio::ip::tcp;

common::Result<tcp::endpoint> parse_listen_address(std::string_view flag, const std::string& text) {
  const std::string name(flag);
  size_t colon = text.rfind(':');
  if (colon == std::string::npos) return common::fail(name + " must be HOST:PORT, got " + text);
  std::string host = text.substr(0, colon), port = text.substr(colon + 1);
  if (host.size() > 1 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(host, ec);
  if (ec) return common::fail(name + ": '" + host + "' is not an IP address");
  auto port_number = whole_number(port, 0, 65535);
  if (!port_number) return common::fail(name + ": '" + port + "' is not a port");
  return tcp::endpoint(address, static_cast<unsigned short>(*port_number));
}

common::Result<void> listen_on(tcp::acceptor& acceptor, const tcp::endpoint& endpoint,
                               std::string_view flag, const std::string& text) {
  boost::system::error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(boost::asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(boost::asio::socket_base::max_listen_connections, ec);
  if (ec)
    return common::fail("cannot listen on " + text + " (" + std::string(flag) + "): " + ec.message());
  return {};
}

}  // namespace kyc::server
