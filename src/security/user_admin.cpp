#include "security/user_admin.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/regions.hpp"
#include "core/registry_schema.hpp"

namespace kiln::security {
namespace {

// The roles a manager's role administers (always a lower level, never its own).
std::vector<std::string_view> AdministeredRoles(const Principal& manager) {
  if (manager.role == "province") return {"city", "county", "enterprise", "dept_admin", "dept_user"};
  if (manager.role == "city") return {"county", "enterprise"};
  if (manager.role == "county") return {"enterprise"};
  if (manager.role == "dept_admin") return {"dept_user"};
  return {};
}

bool Administers(const Principal& manager, std::string_view role) {
  auto roles = AdministeredRoles(manager);
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

bool InManagersRegion(const Principal& manager, const UserFacts& user) {
  return !manager.region.empty() && !user.region.empty() && core::RegionWithin(user.region, manager.region);
}

bool InManagersDepartment(const Principal& manager, const UserFacts& user) {
  return !ActsForDepartment(manager) || user.department == manager.department;
}

const core::Status kUserNotFound = core::Status::NotFound("user not found");

}  // namespace

std::set<std::string> ParsePermissions(const std::string& text) {
  std::set<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string p = text.substr(start, end - start);
    if (!p.empty()) out.insert(p);
    start = end + 1;
  }
  return out;
}

core::Status AuthorizeUserAdmin(const Principal& manager, const UserFacts& user) {
  if (!manager.Has(kUserManage)) {
    return core::Status::PermissionDenied(fmt::format("{} lacks permission {}", manager.username, kUserManage));
  }
  if (user.id == manager.user_id || !Administers(manager, user.role) || !InManagersRegion(manager, user) ||
      !InManagersDepartment(manager, user)) {
    return kUserNotFound;
  }
  return {};
}

core::Status AuthorizeUserCreation(const Principal& manager, const UserFacts& user) {
  if (!manager.Has(kUserManage)) {
    return core::Status::PermissionDenied(fmt::format("{} lacks permission {}", manager.username, kUserManage));
  }
  if (user.role == "operator") {
    return core::Status::PermissionDenied("operators are created with kiln admin create-user",
                                          {{"role", "cannot be created through the API"}});
  }
  if (!Administers(manager, user.role)) {
    return core::Status::PermissionDenied(fmt::format("a {} user cannot create {} users", manager.role, user.role),
                                          {{"role", fmt::format("you cannot create a {} user", user.role)}});
  }
  if (!InManagersDepartment(manager, user)) {
    return core::Status::PermissionDenied("a department administrator creates users of its own department only",
                                          {{"department", "must be your own department"}});
  }
  if (!InManagersRegion(manager, user)) {
    return core::Status::PermissionDenied(
        "the new user would be outside your jurisdiction",
        {{user.role == "enterprise" ? "enterprise" : "region", "outside your jurisdiction"}});
  }
  return {};
}

core::Result<std::string> UserAdministration::ProvinceCode() {
  auto regions = store_.ListRegions();
  if (!regions.ok()) return regions.status();
  for (const auto& r : *regions) {
    if (r.level == "province") return r.code;
  }
  return core::Status::Internal("no province in the reference data");
}

core::Result<UserFacts> UserAdministration::FactsOf(const storage::User& u) {
  UserFacts facts{u.id, u.role, u.region, u.department};
  if (u.enterprise_id) {
    auto e = store_.GetRecord(core::EnterpriseSchema(), *u.enterprise_id);
    if (!e.ok()) return e.status();
    facts.region = storage::AsText(e->at("region"));
  } else if (facts.region.empty() && !u.department.empty()) {
    auto province = ProvinceCode();
    if (!province.ok()) return province.status();
    facts.region = *province;
  }
  return facts;
}

core::Result<std::vector<storage::User>> UserAdministration::List(const Caller& caller, const UserQuery& query) {
  const auto& manager = caller.principal;
  if (!manager.Has(kUserManage)) {
    return core::Status::PermissionDenied(fmt::format("{} lacks permission {}", manager.username, kUserManage));
  }
  storage::UserFilter filter;
  filter.region_prefix = ActsForDepartment(manager) ? "" : core::RegionPrefix(manager.region);
  if (ActsForDepartment(manager)) filter.department = manager.department;
  auto users = store_.ListUsers(filter);
  if (!users.ok()) return users.status();
  std::vector<storage::User> out;
  for (auto& u : *users) {
    if (!query.role.empty() && u.role != query.role) continue;
    if (!query.q.empty() && u.username.find(query.q) == std::string::npos &&
        u.display_name.find(query.q) == std::string::npos) {
      continue;
    }
    auto facts = FactsOf(u);
    if (!facts.ok()) return facts.status();
    if (AuthorizeUserAdmin(manager, *facts).ok()) out.push_back(std::move(u));
  }
  return out;
}

core::Result<storage::User> UserAdministration::Get(const Caller& caller, std::int64_t id) {
  if (!caller.principal.Has(kUserManage)) {
    return core::Status::PermissionDenied(
        fmt::format("{} lacks permission {}", caller.principal.username, kUserManage));
  }
  auto user = store_.GetUser(id);
  if (!user.ok()) return user.status();
  if (!*user) return kUserNotFound;
  auto facts = FactsOf(**user);
  if (!facts.ok()) return facts.status();
  KILN_RETURN_IF_ERROR(AuthorizeUserAdmin(caller.principal, *facts));
  return **user;
}

core::Result<storage::User> UserAdministration::Create(const Caller& caller, NewUser n) {
  const auto& manager = caller.principal;
  if (!manager.Has(kUserManage)) {
    return core::Status::PermissionDenied(fmt::format("{} lacks permission {}", manager.username, kUserManage));
  }
  if (ActsForDepartment(manager)) {
    // A department administrator's users belong to its department and, unless narrowed, its region.
    if (n.department.empty()) n.department = manager.department;
    if (n.region.empty()) n.region = manager.region;
  }
  if (auto invalid = ValidateNewUser(n); !invalid.empty()) {
    return core::Status::InvalidArgument("invalid user", std::move(invalid));
  }
  UserFacts facts{0, n.role, n.region, n.department};
  if (n.role == "enterprise") {
    auto id = store_.EnterpriseIdByCreditCode(n.enterprise_uscc);
    if (!id.ok()) return id.status();
    if (!*id) {
      return core::Status::InvalidArgument("invalid user",
                                           {{"enterprise", "no enterprise with credit code " + n.enterprise_uscc}});
    }
    auto e = store_.GetRecord(core::EnterpriseSchema(), **id);
    if (!e.ok()) return e.status();
    facts.region = storage::AsText(e->at("region"));
  } else if (facts.region.empty() && !n.department.empty()) {
    auto province = ProvinceCode();
    if (!province.ok()) return province.status();
    facts.region = *province;
  }
  if (auto allowed = AuthorizeUserCreation(manager, facts); !allowed.ok()) {
    (void)audit_.Record(manager.username, caller.address, "user.create", n.username,
                        core::StatusCodeName(allowed.code()), fmt::format("role {}: {}", n.role, allowed.message()));
    return allowed;
  }
  KILN_RETURN_IF_ERROR(
      audit_.Intend(manager.username, caller.address, "user.create", n.username, fmt::format("role {}", n.role)));
  auto created = identity_.CreateUser(n, PasswordSetter{manager.user_id, manager.username});
  (void)audit_.Record(
      manager.username, caller.address, "user.create", created.ok() ? fmt::format("users:{}", created->id) : n.username,
      created.ok() ? "ok" : core::StatusCodeName(created.status().code()),
      created.ok() ? fmt::format("{} ({})", created->username, created->role) : created.status().message());
  return created;
}

core::Result<storage::User> UserAdministration::Update(const Caller& caller, std::int64_t id,
                                                       const UserChange& change) {
  if (id == caller.principal.user_id && caller.principal.Has(kUserManage)) {
    return core::Status::InvalidArgument(
        "you cannot change your own account here",
        {{change.disabled ? "disabled" : "permissions",
          change.disabled ? "you cannot disable yourself" : "you cannot grant yourself permissions"}});
  }
  auto user = Get(caller, id);
  if (!user.ok()) return user.status();
  std::vector<core::FieldError> errors;
  if (change.permissions) {
    if (user->role != "dept_user") {
      errors.push_back({"permissions", "only department users are granted permissions individually"});
    }
    for (const auto& p : ParsePermissions(*change.permissions)) {
      if (!GrantablePermissions().contains(p)) errors.push_back({"permissions", "cannot grant " + p});
    }
  }
  if (!errors.empty()) return core::Status::InvalidArgument("invalid user change", std::move(errors));
  std::string detail;
  if (change.permissions) detail += "permissions=" + *change.permissions + " ";
  if (change.disabled) detail += *change.disabled ? "disabled" : "enabled";
  const auto& manager = caller.principal;
  KILN_RETURN_IF_ERROR(
      audit_.Intend(manager.username, caller.address, "user.update", fmt::format("users:{}", id), detail));
  core::Status status;
  if (change.permissions) {
    std::string normalised;
    for (const auto& p : ParsePermissions(*change.permissions)) normalised += (normalised.empty() ? "" : ",") + p;
    status = store_.SetUserPermissions(id, normalised);
  }
  if (status.ok() && change.disabled) {
    status = store_.SetUserDisabled(id, *change.disabled);
    if (status.ok() && *change.disabled) status = store_.RevokeUserSessions(id);
  }
  (void)audit_.Record(manager.username, caller.address, "user.update", fmt::format("users:{}", id),
                      status.ok() ? "ok" : core::StatusCodeName(status.code()), detail);
  KILN_RETURN_IF_ERROR(status);
  auto updated = store_.GetUser(id);
  if (!updated.ok()) return updated.status();
  if (!*updated) return kUserNotFound;
  return **updated;
}

core::Result<std::string> UserAdministration::ResetPassword(const Caller& caller, std::int64_t id) {
  if (id == caller.principal.user_id && caller.principal.Has(kUserManage)) {
    return core::Status::InvalidArgument("change your own password with POST /api/v1/me/password",
                                         {{"id", "is your own account"}});
  }
  auto user = Get(caller, id);
  if (!user.ok()) return user.status();
  const auto& manager = caller.principal;
  KILN_RETURN_IF_ERROR(audit_.Intend(manager.username, caller.address, "user.reset_password",
                                     fmt::format("users:{}", id), user->username));
  auto password = identity_.ResetPassword(id, {manager.user_id, manager.username});
  (void)audit_.Record(manager.username, caller.address, "user.reset_password", fmt::format("users:{}", id),
                      password.ok() ? "ok" : core::StatusCodeName(password.status().code()),
                      "one-time password issued; the user must change it at the next login");
  return password;
}

}  // namespace kiln::security
