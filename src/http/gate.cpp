#include "http/gate.hpp"

#include <algorithm>
#include <charconv>
#include <fmt/format.h>

#include "security/crypto.hpp"

namespace kiln::http {
namespace {

bool HasBody(const Request& req) { return !req.body.empty(); }

// The media type without parameters, in lower case: "application/json".
std::string MediaType(const Request& req) {
  std::string type = req.Header("content-type");
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
  return type;
}

core::Status CheckBodyType(const Request& req, BodyKind body, bool absent_type_allowed) {
  if (body != BodyKind::kJson || !HasBody(req)) return {};
  auto type = MediaType(req);
  if (type == "application/json" || (absent_type_allowed && type.empty())) return {};
  return core::Status::InvalidArgument(fmt::format("this endpoint takes JSON: send Content-Type: application/json{}",
                                                   type.empty() ? "" : " (got " + type + ")"),
                                       {{"Content-Type", "must be application/json"}})
      .WithReason("unsupported_media_type");
}

}  // namespace

core::Result<security::AuthenticatedSession> Gate::SessionOf(const Request& req, bool any_state) {
  auto token = req.Cookie(kSessionCookie);
  if (token.empty()) return core::Status::Unauthenticated("not logged in");
  auto session = identity_.Authenticate(token);
  if (!session.ok()) return session.status();
  if (req.method != "GET" && req.method != "HEAD" &&
      !security::ConstantTimeEquals(req.Header("x-csrf-token"), session->csrf_token)) {
    return core::Status::PermissionDenied("missing or wrong X-CSRF-Token header",
                                          {{"X-CSRF-Token", "must equal the csrf_token returned at login"}});
  }
  if (!any_state && session->principal.must_change_password) {
    return core::Status::PermissionDenied(
               "this account's password was set by an administrator; change it first (POST /api/v1/me/password)")
        .WithReason("password_change_required");
  }
  return session;
}

void Gate::Public(const std::string& method, const std::string& pattern, Handler handler, BodyKind body) {
  router_.Add(method, pattern, Access::kPublic, body, [handler = std::move(handler), body](Request& req) {
    if (auto typed = CheckBodyType(req, body, false); !typed.ok()) return ErrorResponse(typed);
    return handler(req);
  });
}

void Gate::Session(const std::string& method, const std::string& pattern, AuthedHandler handler, BodyKind body) {
  router_.Add(method, pattern, Access::kSession, body, [this, handler = std::move(handler), body](Request& req) {
    auto session = SessionOf(req, false);
    if (!session.ok()) return ErrorResponse(session.status());
    if (auto typed = CheckBodyType(req, body, false); !typed.ok()) return ErrorResponse(typed);
    return handler(req, *session);
  });
}

void Gate::SessionAnyState(const std::string& method, const std::string& pattern, AuthedHandler handler) {
  router_.Add(method, pattern, Access::kSessionAnyState, BodyKind::kJson,
              [this, handler = std::move(handler)](Request& req) {
                auto session = SessionOf(req, true);
                if (!session.ok()) return ErrorResponse(session.status());
                if (auto typed = CheckBodyType(req, BodyKind::kJson, false); !typed.ok()) return ErrorResponse(typed);
                return handler(req, *session);
              });
}

void Gate::Signed(const std::string& method, const std::string& pattern, Handler handler) {
  // Machine clients are not browsers: a missing Content-Type is accepted, another type is not.
  router_.Add(method, pattern, Access::kSigned, BodyKind::kJson, [handler = std::move(handler)](Request& req) {
    if (auto typed = CheckBodyType(req, BodyKind::kJson, true); !typed.ok()) return ErrorResponse(typed);
    return handler(req);
  });
}

void Gate::Monitoring(const std::string& method, const std::string& pattern, Handler handler) {
  router_.Add(method, pattern, Access::kMonitoring, BodyKind::kJson,
              [this, handler = std::move(handler)](Request& req) {
                if (!monitoring_allow_.Contains(req.remote_address)) {
                  auto session = SessionOf(req, false);
                  if (!session.ok()) return ErrorResponse(session.status());
                  auto allowed = security::Authorize(session->principal, security::Action::kSystemRead, {});
                  if (!allowed.ok()) return ErrorResponse(allowed);
                }
                return handler(req);
              });
}

core::Result<std::int64_t> PathId(const Request& req, const std::string& name) {
  const auto& text = req.path_params.at(name);
  std::int64_t id = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || ptr != text.data() + text.size() || id <= 0) {
    return core::Status::InvalidArgument("invalid " + name, {{name, "must be a positive integer"}});
  }
  return id;
}

}  // namespace kiln::http
