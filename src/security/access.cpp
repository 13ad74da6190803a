#include "security/access.hpp"

#include <fmt/format.h>

#include "core/regions.hpp"

namespace kiln::security {

bool IsKnownRole(std::string_view role) {
  for (const char* r : kRoles) {
    if (role == r) return true;
  }
  return false;
}

std::set<std::string> RolePermissions(std::string_view role) {
  auto set = [](std::initializer_list<std::string_view> names) {
    std::set<std::string> out;
    for (auto n : names) out.emplace(n);
    return out;
  };
  // The audit log is not divided by region, so only the province and operators read it.
  if (role == "province") {
    return set({kEnterpriseRead, kEnterpriseWrite, kProjectRead, kProjectWrite, kPointRead, kPointWrite, kUserManage,
                kAuditRead, kReportReview, kReferenceWrite, kDepartmentTasks});
  }
  if (role == "city" || role == "county") {
    return set({kEnterpriseRead, kEnterpriseWrite, kProjectRead, kProjectWrite, kPointRead, kPointWrite, kUserManage,
                kReportReview});
  }
  if (role == "dept_admin") {
    return set({kEnterpriseRead, kProjectRead, kPointRead, kUserManage, kDepartmentUpload, kDepartmentTasks});
  }
  if (role == "enterprise") {
    return set({kEnterpriseRead, kEnterpriseWrite, kProjectRead, kProjectWrite, kPointRead, kPointWrite, kReportFill});
  }
  if (role == "operator") return set({kSystemRead, kAuditRead});
  return {};  // dept_user: only what its administrator grants
}

const std::set<std::string>& GrantablePermissions() {
  static const std::set<std::string> kGrantable = {std::string(kEnterpriseRead), std::string(kProjectRead),
                                                   std::string(kDepartmentUpload),
                                                   std::string(kPointRead)};
  return kGrantable;
}

core::Status Authorize(const Principal& who, std::string_view permission, const Target& target) {
  if (!who.permissions.contains(std::string(permission))) {
    return core::Status::PermissionDenied(fmt::format("{} lacks permission {}", who.username, permission));
  }
  auto out_of_scope = [] { return core::Status::NotFound("not found"); };
  if (who.role == "enterprise") {
    if (!who.enterprise_id || !target.enterprise_id || *target.enterprise_id != *who.enterprise_id) {
      return out_of_scope();
    }
    return {};
  }
  if (!target.region.empty()) {
    if (who.region.empty() || !core::RegionWithin(target.region, who.region)) return out_of_scope();
  } else if (target.enterprise_id) {
    return out_of_scope();  // an enterprise record always has a county; refuse what cannot be placed
  }
  return {};
}

core::Result<ListScope> ScopeFor(const Principal& who, std::string_view permission) {
  if (!who.permissions.contains(std::string(permission))) {
    return core::Status::PermissionDenied(fmt::format("{} lacks permission {}", who.username, permission));
  }
  if (who.role == "enterprise") {
    if (!who.enterprise_id) return core::Status::PermissionDenied("enterprise user without an enterprise");
    return ListScope{"", who.enterprise_id};
  }
  std::string prefix = core::RegionPrefix(who.region);
  if (prefix.empty()) return core::Status::PermissionDenied(fmt::format("{} has no jurisdiction", who.username));
  return ListScope{prefix, std::nullopt};
}

std::optional<ListScope> NarrowToRegion(const ListScope& scope, const std::string& region) {
  std::string requested = core::RegionPrefix(region);
  if (requested.empty()) return std::nullopt;
  ListScope out = scope;
  if (scope.region_prefix.empty() || requested.starts_with(scope.region_prefix)) {
    out.region_prefix = requested;
    return out;
  }
  if (scope.region_prefix.starts_with(requested)) return out;  // the request is wider than the scope
  return std::nullopt;
}

}  // namespace kiln::security
