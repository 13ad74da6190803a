#include "net/signed_client.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>

#include <charconv>
#include <optional>

#include "security/crypto.hpp"
#include "security/machine_auth.hpp"

namespace kiln::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

core::Result<HttpUrl> ParseHttpUrl(const std::string& url) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) {
    return core::Status::InvalidArgument(
        fmt::format("'{}' must start with http:// (put a TLS proxy in front for https)", url));
  }
  std::string_view rest = std::string_view(url).substr(kScheme.size());
  HttpUrl out;
  auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) out.path = std::string(rest.substr(slash));
  auto colon = authority.rfind(':');
  out.host = std::string(authority.substr(0, colon));
  if (colon != std::string_view::npos) {
    auto digits = authority.substr(colon + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out.port);
    if (ec != std::errc() || end != digits.data() + digits.size() || out.port < 1 || out.port > 65535) {
      return core::Status::InvalidArgument(fmt::format("'{}' has no valid port", url));
    }
  }
  if (out.host.empty()) return core::Status::InvalidArgument(fmt::format("'{}' has no host", url));
  return out;
}

struct SignedClient::Impl {
  std::string host, key_id, secret;
  int port = 0;
  std::chrono::seconds timeout{120};
  asio::io_context ioc;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;

  core::Status Connect() {
    try {
      asio::ip::tcp::resolver resolver(ioc);
      stream.emplace(ioc);
      stream->expires_after(timeout);
      stream->connect(resolver.resolve(host, std::to_string(port)));
      return {};
    } catch (const std::exception& e) {
      stream.reset();
      return core::Status::Unavailable(fmt::format("cannot connect to {}:{}: {}", host, port, e.what()));
    }
  }
};

SignedClient::SignedClient(std::string host, int port, std::string key_id, std::string secret,
                           std::chrono::seconds timeout)
    : impl_(std::make_unique<Impl>()) {
  impl_->host = std::move(host);
  impl_->port = port;
  impl_->key_id = std::move(key_id);
  impl_->secret = std::move(secret);
  impl_->timeout = timeout;
}

SignedClient::~SignedClient() = default;

core::Result<PostResult> SignedClient::Post(const std::string& path, const std::string& body) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!impl_->stream) KILN_RETURN_IF_ERROR(impl_->Connect());
    bhttp::request<bhttp::string_body> req(bhttp::verb::post, path, 11);
    req.set(bhttp::field::host, impl_->host);
    req.set(bhttp::field::content_type, "application/json");
    req.set(bhttp::field::authorization,
            security::SignRequest(impl_->key_id, impl_->secret, "POST", path, core::SystemClock().Now() / 1000,
                                  security::RandomHex(8), body));
    req.keep_alive(true);
    req.body() = body;
    req.prepare_payload();
    try {
      impl_->stream->expires_after(impl_->timeout);
      bhttp::write(*impl_->stream, req);
      bhttp::response<bhttp::string_body> res;
      bhttp::read(*impl_->stream, impl_->buffer, res);
      if (!res.keep_alive()) impl_->stream.reset();
      return PostResult{static_cast<int>(res.result_int()), std::move(res.body())};
    } catch (const std::exception& e) {
      impl_->stream.reset();  // stale keep-alive connection: reconnect once
      if (attempt == 1)
        return core::Status::Unavailable(
            fmt::format("post to {}:{}{} failed: {}", impl_->host, impl_->port, path, e.what()));
    }
  }
  return core::Status::Unavailable("post failed");
}

}  // namespace kiln::net
