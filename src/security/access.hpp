#pragma once
// Roles, named permissions and jurisdiction. Authorize() is the one function
// that decides whether a caller may act on a target; every endpoint uses it.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace kiln::security {

// Permission names.
inline constexpr std::string_view kEnterpriseRead = "enterprise.read";
inline constexpr std::string_view kEnterpriseWrite = "enterprise.write";
inline constexpr std::string_view kProjectRead = "project.read";
inline constexpr std::string_view kProjectWrite = "project.write";
inline constexpr std::string_view kPointRead = "point.read";
inline constexpr std::string_view kPointWrite = "point.write";
inline constexpr std::string_view kUserManage = "user.manage";
inline constexpr std::string_view kAuditRead = "audit.read";
inline constexpr std::string_view kSystemRead = "system.read";
inline constexpr std::string_view kReportFill = "report.fill";  // an enterprise fills and submits its reports
inline constexpr std::string_view kReportReview = "report.review";  // an official reviews reports at its level
inline constexpr std::string_view kReferenceWrite = "reference.write";  // the province edits reference data
inline constexpr std::string_view kDepartmentUpload = "department.upload";  // a department delivers its data
inline constexpr std::string_view kDepartmentTasks = "department.tasks";  // edits collection tasks (own department unless province)

// Role names as stored and as accepted by `kiln admin create-user --role`.
inline constexpr const char* kRoles[] = {"province", "city", "county", "dept_admin", "dept_user", "enterprise",
                                         "operator"};
bool IsKnownRole(std::string_view role);
// The permissions a role has by itself (department users get theirs granted).
std::set<std::string> RolePermissions(std::string_view role);
// What a department administrator may grant its users.
const std::set<std::string>& GrantablePermissions();

// The caller, as resolved from a session.
struct Principal {
  std::int64_t user_id = 0;
  std::string username;
  std::string role;
  std::string region;  // jurisdiction root (GB/T 2260), empty for enterprise users and operators
  std::optional<std::int64_t> enterprise_id;  // enterprise users only
  std::string department;  // department users only
  std::set<std::string> permissions;  // effective: role's plus granted
};

// What a request acts on: a record's county and owning enterprise.
struct Target {
  std::string region;  // county code of the record, empty when not regional
  std::optional<std::int64_t> enterprise_id;
};

// Ok when `who` holds `permission` and `target` lies in its jurisdiction.
// kPermissionDenied when the permission is missing altogether; kNotFound when
// the target is outside the caller's scope, so that existence does not leak.
core::Status Authorize(const Principal& who, std::string_view permission, const Target& target);

// The part of the registry a caller may list under `permission`.
struct ListScope {
  std::string region_prefix;  // "" = no region restriction
  std::optional<std::int64_t> enterprise_id;
};
core::Result<ListScope> ScopeFor(const Principal& who, std::string_view permission);

// Narrows a scope by a requested region filter; nullopt when they do not intersect.
std::optional<ListScope> NarrowToRegion(const ListScope& scope, const std::string& region);

}  // namespace kiln::security
