#pragma once
// A small HTTP/1.1 client for signed JSON posts (KILN-HMAC-SM3, machine_auth.hpp): the simulator and
// the demo post readings and department records with it, the platform its webhook notifications.
// Keeps the connection alive and reconnects once after a stale one. Not thread-safe: one client per
// thread.

#include <chrono>
#include <memory>
#include <string>

#include "core/status.hpp"

namespace kiln::net {

struct PostResult {
  int status = 0;
  std::string body;
};

// An http:// URL taken apart; kInvalidArgument naming what is wrong (https is not spoken here).
struct HttpUrl {
  std::string host;
  int port = 80;
  std::string path = "/";
};
core::Result<HttpUrl> ParseHttpUrl(const std::string& url);

class SignedClient {
 public:
  SignedClient(std::string host, int port, std::string key_id, std::string secret,
               std::chrono::seconds timeout = std::chrono::seconds(120));
  ~SignedClient();
  SignedClient(const SignedClient&) = delete;
  SignedClient& operator=(const SignedClient&) = delete;

  // Any signed JSON POST; kUnavailable when the server cannot be reached or the exchange fails.
  core::Result<PostResult> Post(const std::string& path, const std::string& body);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kiln::net
