#include "server/http/client_address.h"

#include <boost/asio/write.hpp>
#include <cstdio>

#include "server/http/wire_response.h"

namespace kyc::server {

std::string client_address_key(const boost::asio::ip::address& address) {
  if (address.is_v4()) return address.to_v4().to_string();
  auto v6 = address.to_v6();
  if (v6.is_v4_mapped())
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).to_string();
  auto bytes = v6.to_bytes();
  char text[48];
  std::snprintf(text, sizeof text, "%02x%02x:%02x%02x:%02x%02x:%02x%02x::/64", bytes[0], bytes[1],
                bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7]);
  return text;
}

std::string client_address_key(const boost::asio::ip::tcp::socket& socket) {
  boost::system::error_code ec;
  auto peer = socket.remote_endpoint(ec);
  return ec ? std::string() : client_address_key(peer.address());
}

void refuse_over_address_cap(boost::asio::ip::tcp::socket& socket, bool plain_http) {
  static const std::string busy = [] {
    HttpResponse r = problem(503, "busy", "Too many connections from this address",
                             "this client address holds its share of the connections already; "
                             "close one or retry shortly");
    r.headers.emplace_back("Retry-After", "1");
    return wire_response(r, false, 11, "");
  }();
  boost::system::error_code ignored;
  if (plain_http) boost::asio::write(socket, boost::asio::buffer(busy), ignored);
  socket.close(ignored);
}

ConnectionSlot& ConnectionSlot::operator=(ConnectionSlot&& other) noexcept {
  if (this != &other) {
    if (table_) table_->close(address_);
    table_ = std::exchange(other.table_, nullptr);
    address_ = std::move(other.address_);
  }
  return *this;
}

ConnectionSlot::~ConnectionSlot() {
  if (table_) table_->close(address_);
}

std::optional<ConnectionSlot> ConnectionsPerAddress::open(std::string address) {
  if (cap_ == 0) return ConnectionSlot(nullptr, std::move(address));
  std::lock_guard lock(mutex_);
  size_t& n = open_[address];
  if (n >= cap_) return std::nullopt;  // n > 0 here: the entry existed
  ++n;
  return ConnectionSlot(this, std::move(address));
}

size_t ConnectionsPerAddress::open_from(const std::string& address) const {
  std::lock_guard lock(mutex_);
  auto it = open_.find(address);
  return it == open_.end() ? 0 : it->second;
}

void ConnectionsPerAddress::close(const std::string& address) {
  std::lock_guard lock(mutex_);
  auto it = open_.find(address);
  if (it != open_.end() && --it->second == 0) open_.erase(it);
}

}  // namespace kyc::server
