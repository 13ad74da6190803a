#include "http/server.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <fmt/format.h>
#include <mutex>
#include <set>
#include <spdlog/spdlog.h>

namespace kiln::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

namespace {

class Session;

// Live connections, so that Stop() can close the idle ones, and the requests being handled.
struct SessionRegistry {
  std::mutex mutex;
  std::set<std::weak_ptr<Session>, std::owner_less<std::weak_ptr<Session>>> sessions;  // GUARDED_BY(mutex)
  std::atomic<std::size_t> in_flight{0};
};

// Counts a request as in flight while it lives.
class InFlight {
 public:
  explicit InFlight(std::atomic<std::size_t>& counter) : counter_(counter), count_(++counter_) {}
  ~InFlight() { --counter_; }
  std::size_t count() const { return count_; }

 private:
  std::atomic<std::size_t>& counter_;
  std::size_t count_;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const ServerOptions& options, const Router& router, Metrics& metrics,
          std::atomic<bool>& stopping, SessionRegistry& registry)
      : stream_(std::move(socket)),
        options_(options),
        router_(router),
        metrics_(metrics),
        stopping_(stopping),
        registry_(registry) {}

  void Start() {
    {
      std::lock_guard lock(registry_.mutex);
      registry_.sessions.insert(weak_from_this());
    }
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Read(); });
  }

  ~Session() {
    std::lock_guard lock(registry_.mutex);
    registry_.sessions.erase(weak_from_this());
  }

  // Called on shutdown: closes the connection if it waits for a request.
  void CloseIfIdle() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle_) {
        beast::error_code ec;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        self->stream_.close();
      }
    });
  }

 private:
  void Read() {
    idle_ = true;
    if (stopping_) return Close();
    parser_.emplace();
    parser_->body_limit(options_.body_limit);
    parser_->header_limit(static_cast<std::uint32_t>(options_.header_limit));
    stream_.expires_after(std::chrono::seconds(options_.read_timeout_s));
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    idle_ = false;
    if (ec == bhttp::error::end_of_stream || ec == asio::error::operation_aborted || ec == beast::error::timeout ||
        ec == asio::error::connection_reset || ec == asio::error::eof) {
      return Close();
    }
    if (ec == bhttp::error::body_limit) {
      return SendError(413, "payload_too_large",
                       fmt::format("request body exceeds the limit of {} bytes", options_.body_limit));
    }
    if (ec == bhttp::error::header_limit) {
      return SendError(431, "headers_too_large",
                       fmt::format("request headers exceed the limit of {} bytes", options_.header_limit));
    }
    if (ec) return SendError(400, "bad_request", "malformed HTTP request: " + ec.message());
    Handle(parser_->release());
  }

  void Handle(bhttp::request<bhttp::string_body> req) {
    auto started = std::chrono::steady_clock::now();
    Request request;
    request.method = std::string(req.method_string());
    std::string_view target = req.target();
    auto q = target.find('?');
    request.path = PercentDecode(target.substr(0, q));
    if (q != std::string_view::npos) request.query = ParseQuery(target.substr(q + 1));
    for (const auto& field : req) {
      std::string name(field.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      request.headers[name] = std::string(field.value());
    }
    request.body = std::move(req.body());
    beast::error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    request.peer_address = ec ? "" : endpoint.address().to_string();
    auto origin = ResolveClient(request.peer_address, request.Header("x-forwarded-for"),
                                request.Header("x-forwarded-proto"), options_.trusted_proxies);
    request.remote_address = origin.address;
    request.secure = origin.secure;

    Response response;
    std::string route = "(unmatched)";
    InFlight in_flight(registry_.in_flight);
    try {
      if (in_flight.count() > options_.max_in_flight) {
        route = "(overloaded)";
        response = ErrorResponse(503, "overloaded", "the server is handling too many requests; try again shortly");
        response.headers.emplace_back("Retry-After", "1");
      } else if (request.path.find("..") != std::string::npos || request.path.empty() || request.path[0] != '/') {
        response = ErrorResponse(400, "bad_request", "illegal request path");
      } else {
        auto match = router_.Find(request);
        if (match.handler) {
          route = match.pattern;
          router_.Barrier(request);
          response = (*match.handler)(request);
          router_.After(request, response);
        } else if (!match.allow.empty()) {
          route = match.pattern;
          response = ErrorResponse(
              405, "method_not_allowed",
              fmt::format("{} is not allowed on {}; allowed: {}", request.method, request.path, match.allow));
          response.headers.emplace_back("Allow", match.allow);
        } else if (request.path.starts_with("/api/") || options_.web_dir.empty()) {
          response = ErrorResponse(404, "not_found", "no route for " + request.path);
        } else if (request.method == "GET" || request.method == "HEAD") {
          route = "(static)";
          response = ServeStatic(options_.web_dir, request.path,
                                 request.Header("accept-encoding").find("gzip") != std::string::npos);
        } else {
          response = ErrorResponse(405, "method_not_allowed", "only GET is allowed on static files");
        }
      }
    } catch (const std::exception& e) {
      spdlog::error("handler for {} {} threw: {}", request.method, request.path, e.what());
      response = ErrorResponse(500, "internal", "internal error");
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    metrics_.Observe(route, request.method, response.status, seconds);

    auto res = std::make_shared<bhttp::response<bhttp::string_body>>(static_cast<bhttp::status>(response.status),
                                                                     req.version());
    res->set(bhttp::field::server, "kiln");
    res->set(bhttp::field::content_type, response.content_type);
    AddSecurityHeaders(response, request.secure);
    for (const auto& [name, value] : response.headers) res->insert(name, value);
    bool head = request.method == "HEAD";
    res->body() = head ? std::string() : std::move(response.body);
    res->prepare_payload();
    ++served_;
    res->keep_alive(req.keep_alive() && !stopping_ && served_ < options_.max_requests_per_connection);
    Write(res);
  }

  void SendError(int status, const std::string& code, const std::string& message) {
    auto response = ErrorResponse(status, code, message);
    AddSecurityHeaders(response, false);
    metrics_.Observe("(rejected)", "", status, 0);
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>(static_cast<bhttp::status>(status), 11);
    res->set(bhttp::field::server, "kiln");
    res->set(bhttp::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) res->insert(name, value);
    res->body() = std::move(response.body);
    res->prepare_payload();
    res->keep_alive(false);  // the rest of the stream cannot be trusted
    Write(res);
  }

 public:
  // Refuses a connection over the cap: one 503 answer, then close.
  void RefuseOverCapacity() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      self->metrics_.Observe("(refused)", "", 503, 0);
      self->SendError(503, "overloaded", "too many connections; try again shortly");
    });
  }

 private:
  void Write(const std::shared_ptr<bhttp::response<bhttp::string_body>>& res) {
    stream_.expires_after(std::chrono::seconds(options_.read_timeout_s));
    bhttp::async_write(stream_, *res, [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
      if (ec || !res->keep_alive()) return self->Close();
      self->Read();
    });
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  const ServerOptions& options_;
  const Router& router_;
  Metrics& metrics_;
  std::atomic<bool>& stopping_;
  SessionRegistry& registry_;
  bool idle_ = true;  // only touched on the session's strand
  int served_ = 0;
};

}  // namespace

void AddSecurityHeaders(Response& response, bool secure) {
  // The console needs inline styles (Element Plus) and data: images; nothing else from anywhere but here.
  response.headers.emplace_back("Content-Security-Policy",
                                "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                                "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
                                "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'");
  response.headers.emplace_back("X-Frame-Options", "DENY");
  response.headers.emplace_back("Referrer-Policy", "same-origin");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (secure) response.headers.emplace_back("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
}

struct Server::Impl {
  Impl(ServerOptions o, const Router& r, Metrics& m)
      : options(std::move(o)), router(r), metrics(m), ioc(options.threads), acceptor(asio::make_strand(ioc)) {}

  void Accept() {
    acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (stopping) return;
        spdlog::warn("accept failed: {}", ec.message());
      } else {
        socket.set_option(tcp::no_delay(true), ec);
        std::size_t open = 0;
        {
          std::lock_guard lock(sessions.mutex);
          open = sessions.sessions.size();
        }
        auto session = std::make_shared<Session>(std::move(socket), options, router, metrics, stopping, sessions);
        if (open >= options.max_connections)
          session->RefuseOverCapacity();
        else
          session->Start();
      }
      if (!stopping) Accept();
    });
  }

  ServerOptions options;
  const Router& router;
  Metrics& metrics;
  asio::io_context ioc;
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;
  std::atomic<bool> stopping{false};
  SessionRegistry sessions;
  std::once_flag stopped;
};

Server::Server(ServerOptions options, const Router& router, Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), router, metrics)) {}

Server::~Server() {
  try {
    Stop();
  } catch (const std::exception& e) {  // a destructor must not throw; the process is ending the server anyway
    spdlog::error("stopping the server: {}", e.what());
  }
}

core::Result<int> Server::Start() {
  const auto& listen = impl_->options.listen;
  auto colon = listen.rfind(':');
  if (colon == std::string::npos)
    return core::Status::InvalidArgument("listen address must be HOST:PORT, got " + listen);
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port_number = std::atoi(listen.substr(colon + 1).c_str());
  beast::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec) return core::Status::InvalidArgument(fmt::format("listen host {} is not an IP address", host));
  tcp::endpoint endpoint(address, static_cast<unsigned short>(port_number));
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return core::Status::Unavailable(fmt::format("cannot listen on {}: {}", listen, ec.message()));
  port_ = acceptor.local_endpoint().port();
  impl_->Accept();
  for (int i = 0; i < std::max(1, impl_->options.threads); ++i) {
    impl_->threads.emplace_back([this] { impl_->ioc.run(); });
  }
  return port_;
}

void Server::Stop() {
  if (impl_->threads.empty()) return;
  std::call_once(impl_->stopped, [this] {
    impl_->stopping = true;
    asio::post(impl_->acceptor.get_executor(), [this] {
      beast::error_code ec;
      impl_->acceptor.close(ec);
    });
    // In-flight requests complete and answer with Connection: close; idle
    // keep-alive connections are closed now.
    // Collected first: dropping the last reference runs ~Session, which takes the registry lock.
    std::vector<std::shared_ptr<Session>> live;
    {
      std::lock_guard lock(impl_->sessions.mutex);
      for (const auto& weak : impl_->sessions.sessions) {
        if (auto s = weak.lock()) live.push_back(std::move(s));
      }
    }
    for (auto& s : live) s->CloseIfIdle();
    live.clear();
    for (auto& t : impl_->threads) t.join();
    impl_->threads.clear();
  });
}

}  // namespace kiln::http
