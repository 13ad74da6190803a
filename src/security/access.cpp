#include "security/access.hpp"

#include <fmt/format.h>

#include "core/regions.hpp"

namespace kiln::security {
namespace {

// How an action places its target in the caller's jurisdiction.
enum class Scope {
  kRegional,  // the record's county inside the caller's region; an enterprise user's own enterprise
  kDepartmental,  // department staff: own department (and region); officials: region
  kOwnDepartment,  // only department staff, for their own department inside their region
  kGlobal,  // not divided by region (reference data, the audit log, metrics)
};

struct Rule {
  std::string_view permission;
  Scope scope;
};

Rule RuleOf(Action action) {
  switch (action) {
    case Action::kEnterpriseRead: return {kEnterpriseRead, Scope::kRegional};
    case Action::kEnterpriseCreate: return {kEnterpriseCreate, Scope::kRegional};
    case Action::kEnterpriseWrite: return {kEnterpriseWrite, Scope::kRegional};
    case Action::kRegistrySupervise: return {kRegistrySupervise, Scope::kRegional};
    case Action::kProjectRead: return {kProjectRead, Scope::kRegional};
    case Action::kProjectWrite: return {kProjectWrite, Scope::kRegional};
    case Action::kPointRead: return {kPointRead, Scope::kRegional};
    case Action::kPointWrite: return {kPointWrite, Scope::kRegional};
    case Action::kAccessKeyManage: return {kEnterpriseWrite, Scope::kRegional};
    case Action::kReportRead: return {kEnterpriseRead, Scope::kRegional};
    case Action::kReportFill: return {kReportFill, Scope::kRegional};
    case Action::kReportReview: return {kReportReview, Scope::kRegional};
    case Action::kAccountingRead: return {kEnterpriseRead, Scope::kRegional};
    case Action::kDepartmentRecordRead: return {kEnterpriseRead, Scope::kRegional};
    case Action::kTaskRead: return {kTaskRead, Scope::kDepartmental};
    case Action::kTaskEdit: return {kDepartmentTasks, Scope::kDepartmental};
    case Action::kUploadRead: return {kUploadRead, Scope::kDepartmental};
    case Action::kUploadDeliver: return {kDepartmentUpload, Scope::kOwnDepartment};
    case Action::kDepartmentKeyManage: return {kDepartmentKeys, Scope::kDepartmental};
    case Action::kUserManage: return {kUserManage, Scope::kGlobal};
    case Action::kAuditRead: return {kAuditRead, Scope::kGlobal};
    case Action::kReferenceEdit: return {kReferenceWrite, Scope::kGlobal};
    case Action::kSystemRead: return {kSystemRead, Scope::kGlobal};
    case Action::kWarningRead: return {kWarningRead, Scope::kRegional};
    case Action::kWarningHandle: return {kWarningHandle, Scope::kRegional};
    case Action::kReviewRead: return {kEnterpriseRead, Scope::kRegional};
    case Action::kReviewDecide: return {kReviewDecide, Scope::kRegional};
    case Action::kListPropose: return {kListPropose, Scope::kRegional};
    case Action::kAttachmentUpload: return {kAttachmentUpload, Scope::kGlobal};
    case Action::kViolationRead: return {kProjectRead, Scope::kRegional};
    case Action::kViolationMark: return {kViolationMark, Scope::kRegional};
    case Action::kViolationReport: return {kViolationReport, Scope::kRegional};
    case Action::kViolationEscalate: return {kViolationEscalate, Scope::kRegional};
    case Action::kViolationClose: return {kViolationClose, Scope::kRegional};
    case Action::kUpgradeRead: return {kProjectRead, Scope::kRegional};
    case Action::kUpgradePlan: return {kUpgradePlan, Scope::kRegional};
    case Action::kUpgradeAccept: return {kUpgradeAccept, Scope::kRegional};
    case Action::kInspectionRead: return {kEnterpriseRead, Scope::kRegional};
    case Action::kInspectionManage: return {kInspectionManage, Scope::kRegional};
    case Action::kInspectionRecord: return {kInspectionRecord, Scope::kRegional};
    case Action::kInspectionRectify: return {kInspectionRectify, Scope::kRegional};
    case Action::kIndicatorDeduct: return {kIndicatorDeduct, Scope::kRegional};
    case Action::kSupervisorAppoint: return {kSupervisorAppoint, Scope::kRegional};
  }
  return {"", Scope::kGlobal};
}

bool InRegion(const Principal& who, const std::string& region) {
  if (region.empty()) return true;
  return !who.region.empty() && core::RegionWithin(region, who.region);
}

bool InScope(const Principal& who, Scope scope, const Target& target) {
  switch (scope) {
    case Scope::kGlobal: return true;
    case Scope::kRegional:
      if (who.enterprise_id) return target.enterprise_id == who.enterprise_id;
      if (who.region.empty()) return false;
      // A record of an enterprise always has a county; what cannot be placed is refused.
      if (target.region.empty()) return !target.enterprise_id;
      return core::RegionWithin(target.region, who.region);
    case Scope::kDepartmental:
      if (who.enterprise_id) return false;
      if (ActsForDepartment(who) && target.department != who.department) return false;
      return InRegion(who, target.region);
    case Scope::kOwnDepartment:
      return ActsForDepartment(who) && target.department == who.department && InRegion(who, target.region);
  }
  return false;
}

core::Status Lacks(const Principal& who, std::string_view permission) {
  return core::Status::PermissionDenied(fmt::format("{} lacks permission {}", who.username, permission));
}

}  // namespace

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
    return set({kEnterpriseRead, kEnterpriseWrite,   kEnterpriseCreate, kRegistrySupervise, kProjectRead,
                kProjectWrite,   kPointRead,         kPointWrite,       kUserManage,        kAuditRead,
                kReportReview,   kReferenceWrite,    kDepartmentTasks,  kDepartmentKeys,    kTaskRead,
                kUploadRead,     kWarningRead,       kWarningHandle,    kReviewDecide,      kAttachmentUpload,
                kViolationMark,  kViolationEscalate, kInspectionManage, kInspectionRecord,  kIndicatorDeduct});
  }
  if (role == "city") {
    return set({kEnterpriseRead,   kEnterpriseWrite, kEnterpriseCreate,  kRegistrySupervise, kProjectRead,
                kProjectWrite,     kPointRead,       kPointWrite,        kUserManage,        kReportReview,
                kTaskRead,         kUploadRead,      kWarningRead,       kWarningHandle,     kReviewDecide,
                kAttachmentUpload, kViolationMark,   kViolationEscalate, kInspectionManage,  kInspectionRecord,
                kSupervisorAppoint});
  }
  // Seed 000: list entries and exits, like other supervision filings (a violation's closure), start at the
  // county; raising an overdue case's disposal is for the levels above it.
  if (role == "county") {
    return set({kEnterpriseRead, kEnterpriseWrite,  kEnterpriseCreate,  kRegistrySupervise, kProjectRead,
                kProjectWrite,   kPointRead,        kPointWrite,        kUserManage,        kReportReview,
                kTaskRead,       kUploadRead,       kWarningRead,       kWarningHandle,     kReviewDecide,
                kListPropose,    kAttachmentUpload, kViolationMark,     kViolationReport,   kViolationClose,
                kUpgradeAccept,  kInspectionRecord, kInspectionRectify, kSupervisorAppoint});
  }
  if (role == "dept_admin") {
    return set({kEnterpriseRead, kProjectRead, kPointRead, kUserManage, kDepartmentUpload, kDepartmentTasks,
                kDepartmentKeys, kTaskRead, kUploadRead});
  }
  if (role == "dept_user") return set({kTaskRead, kUploadRead});  // the rest is granted
  if (role == "enterprise") {
    return set({kEnterpriseRead, kEnterpriseWrite, kProjectRead, kProjectWrite, kPointRead, kPointWrite, kReportFill,
                kWarningRead, kAttachmentUpload, kViolationReport, kUpgradePlan, kInspectionRectify});
  }
  if (role == "operator") return set({kSystemRead, kAuditRead});
  return {};
}

const std::set<std::string>& GrantablePermissions() {
  static const std::set<std::string> kGrantable = {std::string(kEnterpriseRead), std::string(kProjectRead),
                                                   std::string(kDepartmentUpload), std::string(kPointRead)};
  return kGrantable;
}

std::string_view ActionName(Action action) {
  switch (action) {
    case Action::kEnterpriseRead: return "enterprise.read";
    case Action::kEnterpriseCreate: return "enterprise.create";
    case Action::kEnterpriseWrite: return "enterprise.write";
    case Action::kRegistrySupervise: return "registry.supervise";
    case Action::kProjectRead: return "project.read";
    case Action::kProjectWrite: return "project.write";
    case Action::kPointRead: return "point.read";
    case Action::kPointWrite: return "point.write";
    case Action::kAccessKeyManage: return "access_key.manage";
    case Action::kReportRead: return "report.read";
    case Action::kReportFill: return "report.fill";
    case Action::kReportReview: return "report.review";
    case Action::kAccountingRead: return "accounting.read";
    case Action::kDepartmentRecordRead: return "department_record.read";
    case Action::kTaskRead: return "task.read";
    case Action::kTaskEdit: return "task.edit";
    case Action::kUploadRead: return "upload.read";
    case Action::kUploadDeliver: return "upload.deliver";
    case Action::kDepartmentKeyManage: return "department_key.manage";
    case Action::kUserManage: return "user.manage";
    case Action::kAuditRead: return "audit.read";
    case Action::kReferenceEdit: return "reference.edit";
    case Action::kSystemRead: return "system.read";
    case Action::kWarningRead: return "warning.read";
    case Action::kWarningHandle: return "warning.handle";
    case Action::kReviewRead: return "review.read";
    case Action::kReviewDecide: return "review.decide";
    case Action::kListPropose: return "list.propose";
    case Action::kAttachmentUpload: return "attachment.upload";
    case Action::kViolationRead: return "violation.read";
    case Action::kViolationMark: return "violation.mark";
    case Action::kViolationReport: return "violation.report";
    case Action::kViolationEscalate: return "violation.escalate";
    case Action::kViolationClose: return "violation.close";
    case Action::kUpgradeRead: return "upgrade.read";
    case Action::kUpgradePlan: return "upgrade.plan";
    case Action::kUpgradeAccept: return "upgrade.accept";
    case Action::kInspectionRead: return "inspection.read";
    case Action::kInspectionManage: return "inspection.manage";
    case Action::kInspectionRecord: return "inspection.record";
    case Action::kInspectionRectify: return "inspection.rectify";
    case Action::kIndicatorDeduct: return "indicator.deduct";
    case Action::kSupervisorAppoint: return "supervisor.appoint";
  }
  return "unknown";
}

core::Status Authorize(const Principal& who, Action action, const Target& target) {
  auto rule = RuleOf(action);
  if (!InScope(who, rule.scope, target)) return core::Status::NotFound("not found");
  if (!who.Has(rule.permission)) return Lacks(who, rule.permission);
  return {};
}

core::Result<ListScope> ScopeFor(const Principal& who, Action action) {
  auto rule = RuleOf(action);
  if (!who.Has(rule.permission)) return Lacks(who, rule.permission);
  switch (rule.scope) {
    case Scope::kGlobal: return ListScope{};
    case Scope::kRegional:
      if (who.enterprise_id) return ListScope{"", who.enterprise_id, ""};
      break;
    case Scope::kDepartmental:
    case Scope::kOwnDepartment:
      if (who.enterprise_id) return Lacks(who, rule.permission);
      if (rule.scope == Scope::kOwnDepartment && !ActsForDepartment(who)) return Lacks(who, rule.permission);
      break;
  }
  std::string prefix = core::RegionPrefix(who.region);
  if (prefix.empty()) return core::Status::PermissionDenied(fmt::format("{} has no jurisdiction", who.username));
  return ListScope{prefix, std::nullopt, ActsForDepartment(who) ? who.department : ""};
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

std::string ReviewLevel(const Principal& who) {
  if (!who.Has(kReportReview)) return "";
  if (who.role == "county" || who.role == "city" || who.role == "province") return who.role;
  return "";
}

bool ActsForDepartment(const Principal& who) { return !who.department.empty(); }

}  // namespace kiln::security
