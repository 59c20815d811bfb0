// Where a listener listens: HOST:PORT as the operator wrote it (--listen, --ops-listen), turned
// into an endpoint and an open acceptor. Both listeners share it, so both flags accept the same
// forms and fail with the same words.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <string>
#include <string_view>

#include "common/result.h"

namespace kyc::server {

// HOST:PORT, an IPv6 host in brackets ([::1]:8080); port 0 asks for any free port. `flag` names
// the option in the error ("--listen").
common::Result<boost::asio::ip::tcp::endpoint> parse_listen_address(std::string_view flag,
                                                                     const std::string& text);

// Opens, binds and listens, with SO_REUSEADDR so that a restart does not wait out TIME_WAIT.
common::Result<void> listen_on(boost::asio::ip::tcp::acceptor& acceptor,
                               const boost::asio::ip::tcp::endpoint& endpoint,
                               std::string_view flag, const std::string& text);

}  // namespace kyc::server
