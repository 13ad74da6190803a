#include "http/session_guard.hpp"

#include <charconv>

#include "security/crypto.hpp"

namespace kiln::http {

Handler RequireSession(security::Identity& identity, AuthedHandler handler) {
  return [&identity, handler = std::move(handler)](Request& req) -> Response {
    auto token = req.Cookie(kSessionCookie);
    if (token.empty()) return ErrorResponse(core::Status::Unauthenticated("not logged in"));
    auto session = identity.Authenticate(token);
    if (!session.ok()) return ErrorResponse(session.status());
    if (req.method != "GET" && req.method != "HEAD" &&
        !security::ConstantTimeEquals(req.Header("x-csrf-token"), session->csrf_token)) {
      return ErrorResponse(403, "permission_denied", "missing or wrong X-CSRF-Token header",
                           {{"X-CSRF-Token", "must equal the csrf_token returned at login"}});
    }
    return handler(req, *session);
  };
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
