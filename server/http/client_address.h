// Who a connection comes from, as the abuse limits count it, and how many connections each
// such client holds. An IPv4 address is one client; an IPv6 client is its /64, the prefix one
// subscriber gets and picks addresses from at will (counting single IPv6 addresses would let
// one host look like 2^64 clients). IPv4-mapped IPv6 addresses count as IPv4.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

namespace kyc::server {

std::string client_address_key(const boost::asio::ip::address& address);
// The peer's key ("" when it has gone already).
std::string client_address_key(const boost::asio::ip::tcp::socket& socket);

// A connection over its client's cap is answered 503 with Retry-After, then closed. On a TLS
// port (plain_http false) it is only closed: before a handshake, an HTTP answer in clear
// would be a protocol error to the client, and a handshake is the work being refused.
void refuse_over_address_cap(boost::asio::ip::tcp::socket& socket, bool plain_http);

// After a failed accept (EMFILE: out of file descriptors) the listeners wait this long before
// the next one, instead of spinning on the same error.
constexpr std::chrono::milliseconds kAcceptRetry{20};

class ConnectionsPerAddress;

// One open connection counted against its client; the count drops when the slot goes.
class ConnectionSlot {
 public:
  ConnectionSlot() = default;
  ConnectionSlot(ConnectionSlot&& other) noexcept
      : table_(std::exchange(other.table_, nullptr)), address_(std::move(other.address_)) {}
  ConnectionSlot& operator=(ConnectionSlot&& other) noexcept;
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;
  ~ConnectionSlot();
  const std::string& address() const { return address_; }

 private:
  friend class ConnectionsPerAddress;
  ConnectionSlot(ConnectionsPerAddress* table, std::string address)
      : table_(table), address_(std::move(address)) {}
  ConnectionsPerAddress* table_ = nullptr;
  std::string address_;
};

// Open connections per client, at most `cap` each (0: no cap). Only clients with an open
// connection have an entry, so the table is bounded by the connection limit.
class ConnectionsPerAddress {
 public:
  explicit ConnectionsPerAddress(size_t cap) : cap_(cap) {}
  // A slot for one more connection from `address`, or nullopt when it holds `cap` already.
  std::optional<ConnectionSlot> open(std::string address);
  size_t open_from(const std::string& address) const;

 private:
  friend class ConnectionSlot;
  void close(const std::string& address);
  size_t cap_;
  mutable std::mutex mutex_;  // accepts and closes, not requests, take it
  std::unordered_map<std::string, size_t> open_;
};

}  // namespace kyc::server
