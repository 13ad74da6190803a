#pragma once
// The one access policy. Every decision about who may do what to which record
// is made here, from role x permission x scope x target:
//
//   - a role holds named permissions (department users hold only what their
//     administrator granted, plus reading their department's tasks);
//   - an action needs one permission and places its target by one scope rule
//     (region subtree, own enterprise, own department, or none);
//   - a target outside the caller's scope is "not found", whether or not it
//     exists and whether or not the caller holds the permission, so that
//     neither existence nor jurisdiction leaks; inside the scope a missing
//     permission is "permission denied".
//
// Handlers and services ask Authorize() or ScopeFor(); they never compare role
// names or look into permission sets themselves. User administration has its
// own rules in user_admin.hpp, built on the same principal.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace kiln::security {

// Permission names, as stored in grants and shown by /api/v1/me.
inline constexpr std::string_view kEnterpriseRead = "enterprise.read";
inline constexpr std::string_view kEnterpriseWrite = "enterprise.write";
inline constexpr std::string_view kEnterpriseCreate = "enterprise.create";  // registers enterprises
inline constexpr std::string_view kRegistrySupervise = "registry.supervise";  // credit code, county, industry, status
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
inline constexpr std::string_view kDepartmentTasks = "department.tasks";  // edits collection tasks
inline constexpr std::string_view kDepartmentKeys = "department.keys";  // issues and revokes department keys
inline constexpr std::string_view kTaskRead = "task.read";  // reads collection tasks and their templates
inline constexpr std::string_view kUploadRead = "upload.read";  // reads department uploads
inline constexpr std::string_view kWarningRead = "warning.read";  // sees warnings (enterprises: their meters' only)
inline constexpr std::string_view kWarningHandle = "warning.handle";  // acknowledges and closes warnings
inline constexpr std::string_view kReviewDecide = "review.decide";  // decides filed items at the official's level
inline constexpr std::string_view kListPropose = "list.propose";  // proposes enterprises for the list, or off it
inline constexpr std::string_view kAttachmentUpload = "attachment.upload";  // attaches files to what it files
inline constexpr std::string_view kViolationMark = "violation.mark";  // marks a project violating, sets its disposal
inline constexpr std::string_view kViolationReport =
    "violation.report";  // reports a violation's rectification progress
inline constexpr std::string_view kViolationEscalate = "violation.escalate";  // raises an overdue case's disposal
inline constexpr std::string_view kViolationClose =
    "violation.close";  // files a rectified violation for closure (销号)
inline constexpr std::string_view kUpgradePlan =
    "upgrade.plan";  // files its upgrade plan (一企一策), reports progress and completion
inline constexpr std::string_view kUpgradeAccept = "upgrade.accept";  // files a completed plan for acceptance
inline constexpr std::string_view kInspectionManage =
    "inspection.manage";  // plans inspections, forms teams, assigns enterprises
inline constexpr std::string_view kInspectionRecord =
    "inspection.record";  // records a visit and its findings, verifies rectification
inline constexpr std::string_view kInspectionRectify = "inspection.rectify";  // reports a finding rectified
inline constexpr std::string_view kIndicatorDeduct = "indicator.deduct";  // decides indicator deductions
inline constexpr std::string_view kSupervisorAppoint =
    "supervisor.appoint";  // appoints resident supervisors to steel and coking enterprises

// Role names as stored and as accepted by `kiln admin create-user --role`.
inline constexpr const char* kRoles[] = {"province",  "city",       "county",  "dept_admin",
                                         "dept_user", "enterprise", "operator"};
bool IsKnownRole(std::string_view role);
// The permissions a role has by itself (department users get the rest granted).
std::set<std::string> RolePermissions(std::string_view role);
// What may be granted to department users.
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
  bool must_change_password = false;  // a reset or new account: only the password change is open

  bool Has(std::string_view permission) const { return permissions.contains(std::string(permission)); }
};

// Who is calling and from where (for the audit log).
struct Caller {
  const Principal& principal;
  std::string address;
};

// What a caller wants to do.
enum class Action {
  kEnterpriseRead,
  kEnterpriseCreate,
  kEnterpriseWrite,
  kRegistrySupervise,  // change the fields that decide jurisdiction and supervision
  kProjectRead,
  kProjectWrite,
  kPointRead,  // point codes, readings, completeness, metered drill-down lines
  kPointWrite,
  kAccessKeyManage,  // an enterprise's access-end keys
  kReportRead,
  kReportFill,
  kReportReview,
  kAccountingRead,
  kDepartmentRecordRead,
  kTaskRead,
  kTaskEdit,
  kUploadRead,
  kUploadDeliver,  // upload, resolve, commit, discard
  kDepartmentKeyManage,
  kUserManage,  // the user rules in user_admin.hpp decide which users
  kAuditRead,
  kReferenceEdit,
  kSystemRead,  // metrics
  kWarningRead,
  kWarningHandle,  // acknowledge, close
  kReviewRead,  // items filed for review, and their versions and steps
  kReviewDecide,  // approve or return an item at the caller's level
  kListPropose,  // file (and resubmit) a list entry or exit
  kAttachmentUpload,  // store a file to attach to a filing or decision
  kViolationRead,  // violating projects, their disposal and progress
  kViolationMark,
  kViolationReport,
  kViolationEscalate,
  kViolationClose,
  kUpgradeRead,  // upgrade plans, their progress and measured saving
  kUpgradePlan,
  kUpgradeAccept,
  kInspectionRead,  // inspection tasks and findings (enterprises: their own)
  kInspectionManage,
  kInspectionRecord,
  kInspectionRectify,
  kIndicatorDeduct,
  kSupervisorAppoint,
};

// The action's name for messages and the audit log, e.g. "enterprise.read".
std::string_view ActionName(Action action);

// What a request acts on.
struct Target {
  std::string region;  // the record's county (or the department's region); empty when not regional
  std::optional<std::int64_t> enterprise_id;  // the owning enterprise
  std::string department;  // the owning department (uploads, tasks, keys)
};

// Ok, kNotFound ("not found": outside the caller's scope) or kPermissionDenied
// (inside it, without the permission).
core::Status Authorize(const Principal& who, Action action, const Target& target);

// The part of the data a caller may list under `action`.
struct ListScope {
  std::string region_prefix;  // "" = no region restriction
  std::optional<std::int64_t> enterprise_id;
  std::string department;  // "" = any department
};
// kPermissionDenied when the caller may list nothing of the kind.
core::Result<ListScope> ScopeFor(const Principal& who, Action action);

// Narrows a scope by a requested region filter; nullopt when they do not intersect.
std::optional<ListScope> NarrowToRegion(const ListScope& scope, const std::string& region);

// The review level the caller acts at ("county", "city", "province"), or "" for none.
std::string ReviewLevel(const Principal& who);

// Whether the caller acts for a department (department administrator or user).
bool ActsForDepartment(const Principal& who);

}  // namespace kiln::security
