#pragma once
// Inspections (督导检查, seed 001: five joint groups inspect every half year;
// the 四进 groups supervise on site every month; special inspections follow
// what the platform and complaints bring up; seed 000: regular inspection
// and random sampling combined). The province or a city plans an inspection
// with its teams and assigns enterprises, targeted with a reason or drawn at
// random; an official records the visit with its findings and photos, each
// finding a rectification item with a requirement and a deadline; the
// enterprise (or its county) reports it rectified, an official verifies it or
// reopens it; the province decides indicator deductions (指标扣减: output,
// energy or coal) against a region or an enterprise, with the reason. Every
// step is audited; findings keep their events.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "registry/registry.hpp"
#include "security/audit_log.hpp"
#include "storage/store.hpp"

namespace kiln::workflow {

inline constexpr const char* kInspectionKinds[] = {"comprehensive", "four_in", "special"};
inline constexpr const char* kFindingCategories[] = {"metering", "reporting", "rectification", "energy_data",
                                                     "capacity", "upgrade",   "other"};
inline constexpr const char* kDeductionIndicators[] = {"output", "energy", "coal"};

struct InspectionPlanDetail {
  storage::InspectionPlan plan;
  std::vector<storage::IndicatorDeduction> deductions;
  bool may_manage = false, may_deduct = false;
};

struct InspectionTaskDetail {
  storage::InspectionTask task;
  std::vector<storage::InspectionFinding> findings;
  std::vector<std::vector<storage::FindingEvent>> events;  // of each finding
  std::vector<storage::Attachment> attachments;  // of the events, without their bytes
  bool may_visit = false, may_rectify = false, may_verify = false;
};

struct InspectionTaskRequest {
  std::optional<std::int64_t> plan_id, enterprise_id;
  std::string status;
  int page = 1, page_size = 50;
};

class InspectionService {
 public:
  InspectionService(storage::Store& store, registry::Registry& registry, security::AuditLog& audit,
                    const core::Clock& clock)
      : store_(store), registry_(registry), audit_(audit), clock_(clock) {}

  // body: {"kind", "title", "region"? (a province or city in the caller's jurisdiction; default its own),
  // "starts_on", "ends_on", "focus", "teams": [{"name", "leader", "members"}]}.
  core::Result<InspectionPlanDetail> CreatePlan(const registry::Caller& caller, const nlohmann::json& body);
  // Officials only: the plans of their region and those above it.
  core::Result<std::pair<std::vector<storage::InspectionPlan>, std::int64_t>> ListPlans(const registry::Caller& caller,
                                                                                        int page, int page_size);
  core::Result<InspectionPlanDetail> GetPlan(const registry::Caller& caller, std::int64_t id);
  // Targeted: {"enterprise_id", "team_id"?, "reason"}; random sampling: {"sample": n, "industry"?,
  // "region"?, "team_id"?} draws n listed enterprises of the plan's region without a task in it (teams
  // in turn when none is named).
  core::Result<std::vector<storage::InspectionTask>> AddTasks(const registry::Caller& caller, std::int64_t plan_id,
                                                              const nlohmann::json& body);
  core::Result<std::pair<std::vector<storage::InspectionTask>, std::int64_t>> ListTasks(
      const registry::Caller& caller, const InspectionTaskRequest& request);
  core::Result<InspectionTaskDetail> GetTask(const registry::Caller& caller, std::int64_t id);
  // body: {"visited_on", "summary", "findings": [{"category", "description", "severity"?, "requirement",
  // "deadline", "attachments"?}]}.
  core::Result<InspectionTaskDetail> RecordVisit(const registry::Caller& caller, std::int64_t task_id,
                                                 const nlohmann::json& body);
  // body: {"note", "attachments"?}: open → rectified.
  core::Result<InspectionTaskDetail> ReportRectified(const registry::Caller& caller, std::int64_t finding_id,
                                                     const nlohmann::json& body);
  // body: {"action": accept|reopen, "note"}: rectified → verified, or back to open.
  core::Result<InspectionTaskDetail> Verify(const registry::Caller& caller, std::int64_t finding_id,
                                            const nlohmann::json& body);
  // body: {"indicator", "year", "amount", "reason", "enterprise_id"? | "region"?, "finding_id"?}.
  core::Result<storage::IndicatorDeduction> Deduct(const registry::Caller& caller, std::int64_t plan_id,
                                                   const nlohmann::json& body);
  // Resident supervisors (驻企监管, seed 001) of output-controlled steel (C31) and coking (C2521) enterprises,
  // appointed by the city or county. body: {"name", "unit", "phone", "appointed_on"}.
  core::Result<storage::ResidentSupervisor> AppointSupervisor(const registry::Caller& caller,
                                                              std::int64_t enterprise_id, const nlohmann::json& body);
  // body: {"ended_on", "reason"}.
  core::Result<storage::ResidentSupervisor> EndSupervisor(const registry::Caller& caller, std::int64_t id,
                                                          const nlohmann::json& body);
  core::Result<std::vector<storage::ResidentSupervisor>> ListSupervisors(const registry::Caller& caller,
                                                                         std::optional<std::int64_t> enterprise_id,
                                                                         const std::string& region, bool active_only);
  core::Result<std::pair<storage::ResidentSupervisor, std::vector<storage::SupervisorVisit>>> SupervisorVisits(
      const registry::Caller& caller, std::int64_t id);
  // An official records a visit of the supervisor: {"visited_on", "output_t"?, "meters_ok", "note"}.
  core::Result<storage::SupervisorVisit> RecordSupervisorVisit(const registry::Caller& caller, std::int64_t id,
                                                               const nlohmann::json& body);
  // Officials only: deductions charged in their jurisdiction (or `region` inside it), of a year (0: all).
  core::Result<std::vector<storage::IndicatorDeduction>> ListDeductions(const registry::Caller& caller,
                                                                        const std::string& region, int year);

 private:
  core::Result<storage::ResidentSupervisor> VisibleSupervisor(const registry::Caller& caller, std::int64_t id);
  core::Result<storage::InspectionPlan> VisiblePlan(const registry::Caller& caller, std::int64_t id);
  core::Result<storage::InspectionTask> VisibleTask(const registry::Caller& caller, std::int64_t id);
  core::Status Check(const registry::Caller& caller, security::Action action, const std::string& region,
                     std::optional<std::int64_t> enterprise_id);
  core::Result<InspectionTaskDetail> MoveFinding(const registry::Caller& caller, std::int64_t finding_id,
                                                 const std::string& from, const storage::FindingEvent& event);
  void Audit(const registry::Caller& caller, const std::string& action, const std::string& target,
             const core::Status& s, const std::string& detail);
  std::string Today() const;

  storage::Store& store_;
  registry::Registry& registry_;
  security::AuditLog& audit_;
  const core::Clock& clock_;
};

}  // namespace kiln::workflow
