// Whether the client at the other end of a connection has gone, asked without reading from it.
#pragma once

namespace kyc::server {

// True once the peer has closed or reset the connection on `socket` (a TCP socket, plain or
// under TLS): its FIN or RST has arrived. Bytes it sent before (a pipelined request) are left
// unread. A client that shuts down only its sending side reads as gone too, as it does for
// nginx. False for -1 (no socket: tests, in-process callers).
bool client_has_left(int socket);

}  // namespace kyc::server
