#include "sim/ingest_client.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>

#include "security/crypto.hpp"
#include "security/machine_auth.hpp"

namespace kiln::sim {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

std::string RowFormBody(const std::vector<Reading>& readings) {
  std::string out = R"({"readings":[)";
  out.reserve(readings.size() * 48 + 16);
  bool first = true;
  for (const auto& r : readings) {
    fmt::format_to(std::back_inserter(out), R"({}{{"point":"{}","ts":{},"v":{}}})", first ? "" : ",", r.point,
                   r.ts / 1000, r.value);
    first = false;
  }
  out += "]}";
  return out;
}

std::string SeriesFormBody(const std::vector<Reading>& readings, std::int64_t step_s) {
  std::string out = R"({"series":[)";
  out.reserve(readings.size() * 12 + 16);
  for (size_t i = 0; i < readings.size();) {
    size_t end = i + 1;
    while (end < readings.size() && readings[end].point == readings[i].point &&
           readings[end].ts == readings[end - 1].ts + step_s * 1000) {
      ++end;
    }
    fmt::format_to(std::back_inserter(out), R"({}{{"point":"{}","start":{},"step_s":{},"values":[)", i ? "," : "",
                   readings[i].point, readings[i].ts / 1000, step_s);
    for (size_t k = i; k < end; ++k)
      fmt::format_to(std::back_inserter(out), "{}{}", k > i ? "," : "", readings[k].value);
    out += "]}";
    i = end;
  }
  out += "]}";
  return out;
}

struct IngestClient::Impl {
  std::string host, key_id, secret;
  int port;
  asio::io_context ioc;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;

  core::Status Connect() {
    try {
      asio::ip::tcp::resolver resolver(ioc);
      stream.emplace(ioc);
      stream->connect(resolver.resolve(host, std::to_string(port)));
      return {};
    } catch (const std::exception& e) {
      stream.reset();
      return core::Status::Unavailable(fmt::format("cannot connect to {}:{}: {}", host, port, e.what()));
    }
  }
};

IngestClient::IngestClient(std::string host, int port, std::string key_id, std::string secret)
    : impl_(std::make_unique<Impl>()) {
  impl_->host = std::move(host);
  impl_->port = port;
  impl_->key_id = std::move(key_id);
  impl_->secret = std::move(secret);
}

IngestClient::~IngestClient() = default;

core::Result<PostResult> IngestClient::PostReadings(const std::string& body) { return Post("/api/v1/readings", body); }

core::Result<PostResult> IngestClient::Post(const std::string& path, const std::string& body) {
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
      impl_->stream->expires_after(std::chrono::seconds(120));
      bhttp::write(*impl_->stream, req);
      bhttp::response<bhttp::string_body> res;
      bhttp::read(*impl_->stream, impl_->buffer, res);
      if (!res.keep_alive()) impl_->stream.reset();
      return PostResult{static_cast<int>(res.result_int()), std::move(res.body())};
    } catch (const std::exception& e) {
      impl_->stream.reset();  // stale keep-alive connection: reconnect once
      if (attempt == 1) return core::Status::Unavailable(fmt::format("post failed: {}", e.what()));
    }
  }
  return core::Status::Unavailable("post failed");
}

}  // namespace kiln::sim
