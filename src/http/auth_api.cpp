// Login, logout, the caller's own account and password.

#include <fmt/format.h>

#include "http/apis.hpp"
#include "http/reference_names.hpp"

namespace kiln::http {
namespace {

using nlohmann::json;

// The string fields of a small body, refusing unknown and non-string fields.
core::Result<std::map<std::string, std::string>> StringFields(const Request& req,
                                                              std::initializer_list<const char*> names,
                                                              std::size_t max_length) {
  auto body = ParseJsonObject(req);
  if (!body.ok()) return body.status();
  std::map<std::string, std::string> out;
  std::vector<core::FieldError> errors;
  for (const auto& [key, value] : body->items()) {
    if (std::find(names.begin(), names.end(), key) == names.end()) {
      errors.push_back({key, "unknown field"});
    } else if (!value.is_string()) {
      errors.push_back({key, "must be a string"});
    } else if (value.get_ref<const std::string&>().size() > max_length) {
      errors.push_back({key, fmt::format("must be at most {} bytes", max_length)});
    } else {
      out[key] = value.get<std::string>();
    }
  }
  for (const char* n : names) {
    if (!body->contains(n)) errors.push_back({n, "is required"});
  }
  if (!errors.empty()) return core::Status::InvalidArgument("invalid request body", std::move(errors));
  return out;
}

class AuthApi final : public Api {
 public:
  AuthApi(Gate& gate, const ApiContext& c) : c_(c), names_(c.store) {
    gate.Public("POST", "/api/v1/auth/login", [this](Request& req) { return Login(req); });
    gate.SessionAnyState("POST", "/api/v1/auth/logout", [this](Request& req, const auto& s) { return Logout(req, s); });
    gate.SessionAnyState("GET", "/api/v1/me", [this](Request&, const auto& s) { return Me(s); });
    gate.SessionAnyState("POST", "/api/v1/me/password",
                         [this](Request& req, const auto& s) { return ChangePassword(req, s); });
  }

 private:
  json PrincipalJson(const security::Principal& p) {
    json permissions = json::array();
    for (const auto& perm : p.permissions) permissions.push_back(perm);
    json me = {{"id", p.user_id},
               {"username", p.username},
               {"role", p.role},
               {"region", p.region.empty() ? json(nullptr) : json(p.region)},
               {"enterprise_id", p.enterprise_id ? json(*p.enterprise_id) : json(nullptr)},
               {"department", p.department.empty() ? json(nullptr) : json(p.department)},
               {"permissions", permissions},
               {"must_change_password", p.must_change_password}};
    if (auto name = names_.Region(p.region); !name.empty()) me["region_name"] = name;
    if (auto user = c_.store.GetUser(p.user_id); user.ok() && *user) me["display_name"] = (*user)->display_name;
    return me;
  }

  std::string CookieFlags(const Request& req) const {
    return c_.options.secure_cookies || req.secure ? "; Secure" : "";
  }

  Response Login(Request& req) {
    auto fields = StringFields(req, {"username", "password"}, 1024);
    if (!fields.ok()) return ErrorResponse(fields.status());
    auto result = c_.identity.Login((*fields)["username"], (*fields)["password"], req.remote_address);
    if (!result.ok()) return ErrorResponse(result.status());
    auto res = JsonResponse(200, {{"csrf_token", result->csrf_token}, {"user", PrincipalJson(result->principal)}});
    auto max_age = (result->expires_at - c_.clock.Now()) / 1000;
    res.headers.emplace_back("Set-Cookie", fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
                                                       kSessionCookie, result->token, max_age, CookieFlags(req)));
    res.headers.emplace_back("Cache-Control", "no-store");
    return res;
  }

  Response Logout(Request& req, const security::AuthenticatedSession& s) {
    auto status = c_.identity.Logout(req.Cookie(kSessionCookie));
    (void)c_.audit.Record(s.principal.username, req.remote_address, "auth.logout", "",
                          status.ok() ? "ok" : core::StatusCodeName(status.code()));
    if (!status.ok()) return ErrorResponse(status);
    auto res = JsonResponse(200, {{"ok", true}});
    res.headers.emplace_back("Set-Cookie", fmt::format("{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}",
                                                       kSessionCookie, CookieFlags(req)));
    return res;
  }

  Response Me(const security::AuthenticatedSession& s) {
    auto res = JsonResponse(200, {{"user", PrincipalJson(s.principal)}, {"csrf_token", s.csrf_token}});
    res.headers.emplace_back("Cache-Control", "no-store");
    return res;
  }

  Response ChangePassword(Request& req, const security::AuthenticatedSession& s) {
    auto fields = StringFields(req, {"old_password", "new_password"}, 1024);
    if (!fields.ok()) return ErrorResponse(fields.status());
    auto intended = c_.audit.Intend(s.principal.username, req.remote_address, "user.change_password",
                                    fmt::format("users:{}", s.principal.user_id));
    if (!intended.ok()) return ErrorResponse(intended);
    auto status =
        c_.identity.ChangePassword(s.principal, (*fields)["old_password"], (*fields)["new_password"], s.token_hash);
    (void)c_.audit.Record(s.principal.username, req.remote_address, "user.change_password",
                          fmt::format("users:{}", s.principal.user_id),
                          status.ok() ? "ok" : core::StatusCodeName(status.code()));
    if (!status.ok()) return ErrorResponse(status);
    return JsonResponse(200, {{"ok", true}});
  }

  const ApiContext c_;
  ReferenceNames names_;
};

}  // namespace

std::unique_ptr<Api> RegisterAuthApi(Gate& gate, const ApiContext& c) { return std::make_unique<AuthApi>(gate, c); }

}  // namespace kiln::http
