// A deliberately small HTTP/1.1 client over a raw socket, for end-to-end tests that need to
// misbehave: send partial requests, pipeline, dribble bytes, hold connections open.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <thread>

namespace kyc::e2e {

struct Response {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

class Connection {
 public:
  // `receive_buffer`: the socket's receive buffer in bytes (0: the system's, which grows to
  // megabytes and would take in a whole answer however slowly it is read).
  explicit Connection(int port, int receive_buffer = 0) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (receive_buffer > 0)
      ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~Connection() {
    if (fd_ >= 0) ::close(fd_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool ok() const { return fd_ >= 0; }

  bool send(const std::string& bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
      ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<size_t>(n);
    }
    return true;
  }

  // Reads one response; nullopt when the server closed or nothing came within `timeout`.
  std::optional<Response> read(
      std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
    return read_until(std::chrono::steady_clock::now() + timeout);
  }

  // The answer to a HEAD request: its head only (its Content-Length is the GET body's).
  std::optional<Response> read_head(
      std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
    return read_until(std::chrono::steady_clock::now() + timeout, false);
  }

  // The same as a slow client: at most `bytes` per receive, a pause of `pause` after each.
  std::optional<Response> read_slowly(size_t bytes, std::chrono::milliseconds pause,
                                      std::chrono::milliseconds timeout) {
    max_receive_ = bytes;
    pause_ = pause;
    auto r = read(timeout);
    max_receive_ = 65536;
    pause_ = {};
    return r;
  }

  // True when the server has closed the connection (reads EOF) within `timeout`.
  bool closed_by_server(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    int got;
    while ((got = receive(deadline)) > 0) {
    }
    return got == 0;
  }

 private:
  std::optional<Response> read_until(std::chrono::steady_clock::time_point deadline,
                                     bool with_body = true) {
    size_t header_end;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos)
      if (!fill(deadline)) return std::nullopt;
    Response r;
    std::string head = buffer_.substr(0, header_end);
    r.status = std::stoi(head.substr(9, 3));
    size_t pos = head.find("\r\n");
    while (pos != std::string::npos && pos < head.size()) {
      size_t next = head.find("\r\n", pos + 2);
      std::string line =
          head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
      size_t colon = line.find(':');
      if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        r.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
      }
      pos = next;
    }
    if (with_body && r.headers["transfer-encoding"] == "chunked") {
      buffer_.erase(0, header_end + 4);
      if (!read_chunks(deadline, r.body)) return std::nullopt;
      return r;
    }
    size_t length = with_body && r.headers.count("content-length")
                        ? std::stoul(r.headers["content-length"])
                        : 0;
    while (buffer_.size() < header_end + 4 + length)
      if (!fill(deadline)) return std::nullopt;
    r.body = buffer_.substr(header_end + 4, length);
    buffer_.erase(0, header_end + 4 + length);
    return r;
  }

  // A chunked body (RFC 9112 7.1) into `body`, up to its last chunk; false when the
  // connection ended before it (a body cut short) or the deadline passed.
  bool read_chunks(std::chrono::steady_clock::time_point deadline, std::string& body) {
    for (;;) {
      size_t line_end;
      while ((line_end = buffer_.find("\r\n")) == std::string::npos)
        if (!fill(deadline)) return false;
      size_t size = std::stoul(buffer_.substr(0, line_end), nullptr, 16);
      while (buffer_.size() < line_end + 2 + size + 2)
        if (!fill(deadline)) return false;
      body.append(buffer_, line_end + 2, size);
      buffer_.erase(0, line_end + 2 + size + 2);
      if (size == 0) return true;
    }
  }

  bool fill(std::chrono::steady_clock::time_point deadline) { return receive(deadline) > 0; }

  // Appends what arrives before the deadline: bytes read, 0 at end of stream, -1 on timeout.
  int receive(std::chrono::steady_clock::time_point deadline) {
    int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                    deadline - std::chrono::steady_clock::now())
                                    .count());
    if (left <= 0) return -1;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, left) <= 0) return -1;
    char tmp[65536];
    ssize_t n = ::recv(fd_, tmp, std::min(sizeof tmp, max_receive_), 0);
    if (n <= 0) return 0;
    buffer_.append(tmp, static_cast<size_t>(n));
    if (pause_.count()) std::this_thread::sleep_for(pause_);
    return static_cast<int>(n);
  }

  int fd_ = -1;
  size_t max_receive_ = 65536;
  std::chrono::milliseconds pause_{};
  std::string buffer_;
};

inline std::string request(const std::string& method, const std::string& target,
                           const std::string& body = "", const std::string& token = "",
                           const std::string& content_type = "application/json",
                           const std::string& extra_headers = "") {
  std::string r = method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n";
  if (!token.empty()) r += "Authorization: Bearer " + token + "\r\n";
  if (!body.empty() || method == "POST")
    r += "Content-Type: " + content_type + "\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n";
  r += extra_headers + "\r\n" + body;
  return r;
}

// One request on a connection of its own, and its answer (an empty one, and a test failure,
// when there is none).
inline Response call(int port, const std::string& raw) {
  Connection c(port);
  EXPECT_TRUE(c.ok());
  EXPECT_TRUE(c.send(raw));
  auto r = c.read();
  EXPECT_TRUE(r.has_value());
  return r.value_or(Response{});
}

}  // namespace kyc::e2e
