#pragma once
// The HTTP/1.1 server (Boost.Beast over Asio): keep-alive, limits on header
// and body size, a read timeout, and graceful shutdown. Handlers run on the
// server's I/O threads and may block on the store; size --threads to the
// store's pool.

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/status.hpp"
#include "http/client_address.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"

namespace kiln::http {

struct ServerOptions {
  std::string listen = "127.0.0.1:8080";  // HOST:PORT; port 0 picks a free one
  int threads = 4;  // I/O threads that also run handlers
  std::size_t body_limit = 8 * 1024 * 1024;  // bytes; larger bodies get 413
  std::size_t header_limit = 16 * 1024;  // bytes of request line + headers; larger get 431
  int read_timeout_s = 30;  // a request must arrive within this; idle keep-alive closes after it
  int max_requests_per_connection = 10'000;
  std::string web_dir;  // built single-page app; empty = none
  std::size_t max_connections = 1024;  // open connections; more are answered 503 and closed
  std::size_t max_in_flight = 256;  // requests being handled at once; more answer 503 + Retry-After
  AddressList trusted_proxies;  // peers whose X-Forwarded-For / -Proto are believed
};

// Headers on every answer: CSP, frame, referrer and sniffing rules, and HSTS
// when the request came over HTTPS.
void AddSecurityHeaders(Response& response, bool secure);

class Server {
 public:
  Server(ServerOptions options, const Router& router, Metrics& metrics);
  ~Server();

  // Binds and starts the I/O threads. Returns the bound port.
  core::Result<int> Start();
  // Stops accepting, lets in-flight requests finish, closes idle
  // connections, and joins the threads. Idempotent.
  void Stop();
  int port() const { return port_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

// Serves files from a built SPA: hashed assets cached long, other paths fall
// back to index.html, which is never cached.
// Text files are sent gzip-compressed when the client accepts it.
Response ServeStatic(const std::string& web_dir, const std::string& path, bool accepts_gzip);

}  // namespace kiln::http
