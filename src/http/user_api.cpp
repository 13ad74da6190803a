// User administration (security/user_admin.hpp decides who may do what).

#include <fmt/format.h>

#include "http/apis.hpp"
#include "http/reference_names.hpp"

namespace kiln::http {
namespace {

using nlohmann::json;

class UserApi final : public Api {
 public:
  UserApi(Gate& gate, const ApiContext& c) : c_(c), names_(c.store) {
    gate.Session("GET", "/api/v1/users", this, &UserApi::List);
    gate.Session("POST", "/api/v1/users", this, &UserApi::Create);
    gate.Session("PATCH", "/api/v1/users/{id}", this, &UserApi::Patch);
    gate.Session("POST", "/api/v1/users/{id}/password", this, &UserApi::ResetPassword);
  }

 private:
  json UserJson(const storage::User& u) {
    return {{"id", u.id},
            {"username", u.username},
            {"display_name", u.display_name},
            {"role", u.role},
            {"region", u.region.empty() ? json(nullptr) : json(u.region)},
            {"region_name", u.region.empty() ? json(nullptr) : json(names_.Region(u.region))},
            {"enterprise_id", u.enterprise_id ? json(*u.enterprise_id) : json(nullptr)},
            {"department", u.department.empty() ? json(nullptr) : json(u.department)},
            {"permissions", u.permissions},
            {"disabled", u.disabled},
            {"locked", u.locked_until > c_.clock.Now()},
            {"must_change_password", u.must_change_password},
            {"created_at", core::FormatInstantUtc(u.created_at)}};
  }

  Response List(Request& req, const security::AuthenticatedSession& s) {
    security::UserQuery q{.role = req.Query("role").value_or(""), .q = req.Query("q").value_or("")};
    auto users = c_.users.List({s.principal, req.remote_address}, q);
    if (!users.ok()) return ErrorResponse(users.status());
    json items = json::array();
    for (const auto& u : *users) items.push_back(UserJson(u));
    return JsonResponse(200, {{"items", items}, {"total", items.size()}});
  }

  Response Create(Request& req, const security::AuthenticatedSession& s) {
    auto body = ParseJsonObject(req);
    if (!body.ok()) return ErrorResponse(body.status());
    security::NewUser n;
    std::vector<core::FieldError> errors;
    for (const auto& [key, value] : body->items()) {
      std::string* slot = key == "username"       ? &n.username
                          : key == "password"     ? &n.password
                          : key == "role"         ? &n.role
                          : key == "display_name" ? &n.display_name
                          : key == "region"       ? &n.region
                          : key == "enterprise"   ? &n.enterprise_uscc
                          : key == "department"   ? &n.department
                          : key == "permissions"  ? &n.permissions
                                                  : nullptr;
      if (!slot)
        errors.push_back({key, "unknown field"});
      else if (!value.is_string())
        errors.push_back({key, "must be a string"});
      else if (value.get_ref<const std::string&>().size() > 200)
        errors.push_back({key, "must be at most 200 bytes"});
      else
        *slot = value.get<std::string>();
    }
    if (!errors.empty()) return ErrorResponse(core::Status::InvalidArgument("invalid user", errors));
    auto created = c_.users.Create({s.principal, req.remote_address}, std::move(n));
    if (!created.ok()) return ErrorResponse(created.status());
    return JsonResponse(201, UserJson(*created));
  }

  Response Patch(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto body = ParseJsonObject(req);
    if (!body.ok()) return ErrorResponse(body.status());
    security::UserChange change;
    std::vector<core::FieldError> errors;
    for (const auto& [key, value] : body->items()) {
      if (key == "permissions") {
        if (value.is_string() && value.get_ref<const std::string&>().size() <= 500)
          change.permissions = value.get<std::string>();
        else
          errors.push_back({key, "must be a comma-separated string"});
      } else if (key == "disabled") {
        if (value.is_boolean())
          change.disabled = value.get<bool>();
        else
          errors.push_back({key, "must be true or false"});
      } else {
        errors.push_back({key, "unknown field"});
      }
    }
    if (!errors.empty()) return ErrorResponse(core::Status::InvalidArgument("invalid user change", errors));
    auto updated = c_.users.Update({s.principal, req.remote_address}, *id, change);
    if (!updated.ok()) return ErrorResponse(updated.status());
    return JsonResponse(200, UserJson(*updated));
  }

  // The administrator does not choose the password: the server issues a one-time one.
  Response ResetPassword(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    if (!req.body.empty()) {
      auto body = ParseJsonObject(req);
      if (!body.ok()) return ErrorResponse(body.status());
      std::vector<core::FieldError> errors;
      for (const auto& [key, value] : body->items()) {
        errors.push_back(
            {key, key == "password" ? "a reset issues a one-time password; it cannot be chosen" : "unknown field"});
      }
      if (!errors.empty()) return ErrorResponse(core::Status::InvalidArgument("invalid password reset", errors));
    }
    auto password = c_.users.ResetPassword({s.principal, req.remote_address}, *id);
    if (!password.ok()) return ErrorResponse(password.status());
    auto res = JsonResponse(200, {{"one_time_password", *password}, {"must_change_password", true}});
    res.headers.emplace_back("Cache-Control", "no-store");
    return res;
  }

  const ApiContext c_;
  ReferenceNames names_;
};

}  // namespace

std::unique_ptr<Api> RegisterUserApi(Gate& gate, const ApiContext& c) { return std::make_unique<UserApi>(gate, c); }

}  // namespace kiln::http
