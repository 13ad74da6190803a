#pragma once
// Adds routes with the checks their access needs, so that no route can be
// added without declaring who may call it:
//   - Public: anyone;
//   - Session: a logged-in user (kiln_session cookie); state-changing methods
//     also need X-CSRF-Token; an account that must change its password gets
//     403 "password_change_required" everywhere but SessionAnyState routes;
//   - Signed: an access-end or department key, verified by the handler;
//   - Monitoring: an operator (system.read) or an allow-listed address.
// A request body sent to a JSON route must say Content-Type: application/json
// (415 otherwise), which also keeps cross-site forms from posting JSON.
// What a logged-in caller may do is then asked of security's access policy.

#include <functional>

#include "http/client_address.hpp"
#include "http/router.hpp"
#include "security/identity.hpp"

namespace kiln::http {

inline constexpr const char* kSessionCookie = "kiln_session";

using AuthedHandler = std::function<Response(Request&, const security::AuthenticatedSession&)>;

class Gate {
 public:
  Gate(Router& router, security::Identity& identity, AddressList monitoring_allow)
      : router_(router), identity_(identity), monitoring_allow_(std::move(monitoring_allow)) {}

  void Public(const std::string& method, const std::string& pattern, Handler handler, BodyKind body = BodyKind::kJson);
  void Session(const std::string& method, const std::string& pattern, AuthedHandler handler,
               BodyKind body = BodyKind::kJson);
  void SessionAnyState(const std::string& method, const std::string& pattern, AuthedHandler handler);
  void Signed(const std::string& method, const std::string& pattern, Handler handler);
  void Monitoring(const std::string& method, const std::string& pattern, Handler handler);

  // Adds routes of one handler object: gate.Session("GET", "/x", api, &Api::Method).
  template <typename Api>
  void Session(const std::string& method, const std::string& pattern, Api* api,
               Response (Api::*fn)(Request&, const security::AuthenticatedSession&), BodyKind body = BodyKind::kJson) {
    Session(
        method, pattern,
        [api, fn](Request& req, const security::AuthenticatedSession& s) { return (api->*fn)(req, s); }, body);
  }

 private:
  // The session of a request, or the answer that refuses it.
  core::Result<security::AuthenticatedSession> SessionOf(const Request& request, bool any_state);

  Router& router_;
  security::Identity& identity_;
  const AddressList monitoring_allow_;
};

// Parses the {id} path parameter as a positive integer.
core::Result<std::int64_t> PathId(const Request& request, const std::string& name = "id");

}  // namespace kiln::http
