#include "server/http/client_presence.h"

#include <poll.h>

namespace kyc::server {

bool client_has_left(int socket) {
  if (socket < 0) return false;
  // POLLRDHUP: the peer's FIN is in, whatever unread bytes precede it. Nothing is read, so
  // the session's own reads find the socket as it was; a zero timeout never waits.
  pollfd watched{socket, POLLRDHUP, 0};
  if (::poll(&watched, 1, 0) != 1) return false;
  return (watched.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

}  // namespace kyc::server
