#pragma once
// Wraps a handler so that it runs only for a logged-in user: resolves the
// kiln_session cookie and, for state-changing methods, checks X-CSRF-Token.

#include <functional>

#include "http/router.hpp"
#include "security/identity.hpp"

namespace kiln::http {

inline constexpr const char* kSessionCookie = "kiln_session";

using AuthedHandler = std::function<Response(Request&, const security::AuthenticatedSession&)>;

Handler RequireSession(security::Identity& identity, AuthedHandler handler);

// Parses the {id} path parameter as a positive integer.
core::Result<std::int64_t> PathId(const Request& request, const std::string& name = "id");

}  // namespace kiln::http
