#pragma once
// Inspections (督导检查, seeds 000 and 001): a plan (the province's half-yearly
// comprehensive inspection by joint groups, the 四进 groups' monthly on-site
// supervision, a special inspection) with its teams; tasks, one per enterprise
// visited, chosen by random sampling or targeted with a reason; the visit's
// report with its findings (photos attached), each a rectification item the
// enterprise reports rectified and the officials verify; and the indicator
// deductions (指标扣减) decided against a region or an enterprise.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/china_time.hpp"
#include "core/status.hpp"

namespace kiln::storage {

struct InspectionTeam {
  std::int64_t id = 0;
  std::int64_t plan_id = 0;
  std::string name, leader, members;
};

struct InspectionPlan {
  std::int64_t id = 0;
  std::string kind;  // comprehensive, four_in, special
  std::string title;
  std::string region;  // the plan's scope: a province or a city (6 digits)
  std::string starts_on, ends_on;  // YYYY-MM-DD
  std::string focus;
  std::string created_by;
  core::UnixMillis created_at = 0;
  std::vector<InspectionTeam> teams;
  // Counted, for lists.
  std::int64_t tasks = 0, visited = 0, findings = 0, open_findings = 0;
};

struct InspectionTask {
  std::int64_t id = 0;
  std::int64_t plan_id = 0;
  std::optional<std::int64_t> team_id;
  std::int64_t enterprise_id = 0;
  std::string selection;  // random, targeted
  std::string reason;
  std::string status;  // assigned, visited
  std::string visited_on, summary, visited_by;
  std::string created_by;
  core::UnixMillis created_at = 0, updated_at = 0;
  // Of the enterprise, the plan and the team, for lists.
  std::string region, enterprise_name, industry, plan_title, plan_kind, team_name;
};

struct InspectionFinding {
  std::int64_t id = 0;
  std::int64_t task_id = 0, plan_id = 0, enterprise_id = 0;
  std::string category;  // metering, reporting, rectification, energy_data, capacity, other
  std::string description, severity;  // severity: minor, major
  std::string requirement, deadline;  // the rectification asked for, by when (YYYY-MM-DD)
  std::string state;  // open, rectified, verified
  std::string recorded_by;
  core::UnixMillis recorded_at = 0, updated_at = 0;
  std::string region, enterprise_name;  // of the enterprise
};

struct FindingEvent {
  std::int64_t id = 0;
  std::int64_t finding_id = 0;
  std::string kind;  // recorded, rectified, verified, reopened
  std::string level, actor, note, state;  // state: the finding's after the event
  core::UnixMillis at = 0;
  std::vector<std::string> attachments;
};

struct IndicatorDeduction {
  std::int64_t id = 0;
  std::optional<std::int64_t> plan_id, finding_id, enterprise_id;
  std::string region;  // the region charged (a city or county), or the enterprise's county
  std::string indicator;  // output, energy, coal
  int year = 0;
  double amount = 0;
  std::string unit;  // t, tce
  std::string reason, decided_by;
  core::UnixMillis decided_at = 0;
  std::string enterprise_name;
};

// A resident supervisor (驻企监管, seed 001): a person the city or county appoints to an output-controlled
// steel or coking enterprise, and the visits recorded in the enterprise.
struct ResidentSupervisor {
  std::int64_t id = 0;
  std::int64_t enterprise_id = 0;
  std::string name, unit, phone;
  std::string appointed_on, appointed_by;
  std::string ended_on, end_reason;  // "" while active
  core::UnixMillis created_at = 0;
  // Of the enterprise and the visits, for lists.
  std::string region, enterprise_name, industry;
  std::int64_t visits = 0;
  std::string last_visit;  // YYYY-MM-DD, "" before the first
};

struct SupervisorVisit {
  std::int64_t id = 0;
  std::int64_t supervisor_id = 0, enterprise_id = 0;
  std::string visited_on;
  std::optional<double> output_t;  // the day's output the supervisor saw
  bool meters_ok = true;  // the meters were running and sealed
  std::string note, recorded_by;
  core::UnixMillis recorded_at = 0;
};

struct InspectionTaskQuery {
  std::string region_prefix;  // of the enterprise's county
  std::optional<std::int64_t> plan_id, enterprise_id;
  std::string status;
  int page = 1, page_size = 50;
};

class InspectionStore {
 public:
  virtual ~InspectionStore() = default;
  virtual core::Result<InspectionPlan> CreateInspectionPlan(const InspectionPlan& plan) = 0;
  // Plans whose region is under `region_prefix` or one of `above` (the regions containing the caller's: a
  // province's plan is its cities' and counties' too), newest first.
  virtual core::Result<std::pair<std::vector<InspectionPlan>, std::int64_t>> ListInspectionPlans(
      const std::string& region_prefix, const std::vector<std::string>& above, int page, int page_size) = 0;
  virtual core::Result<std::optional<InspectionPlan>> GetInspectionPlan(std::int64_t id) = 0;
  // Adds tasks to a plan; kConflict naming an enterprise that already has one in the plan.
  virtual core::Result<std::vector<InspectionTask>> AddInspectionTasks(const std::vector<InspectionTask>& tasks) = 0;
  virtual core::Result<std::pair<std::vector<InspectionTask>, std::int64_t>> ListInspectionTasks(
      const InspectionTaskQuery& query) = 0;
  virtual core::Result<std::optional<InspectionTask>> GetInspectionTask(std::int64_t id) = 0;
  // The visit's report and its findings (each with its "recorded" event, `events[i]` for `findings[i]`),
  // in one transaction; kConflict when the task was visited already.
  virtual core::Result<InspectionTask> RecordInspectionVisit(std::int64_t task_id, const InspectionTask& visit,
                                                             const std::vector<InspectionFinding>& findings,
                                                             const std::vector<FindingEvent>& events) = 0;
  virtual core::Result<std::vector<InspectionFinding>> ListFindings(std::optional<std::int64_t> task_id,
                                                                    std::optional<std::int64_t> enterprise_id) = 0;
  virtual core::Result<std::optional<InspectionFinding>> GetFinding(std::int64_t id) = 0;
  virtual core::Result<std::vector<FindingEvent>> FindingEvents(std::int64_t finding_id) = 0;
  // Records the event and moves the finding to its state; kConflict unless it is in `from_state`.
  virtual core::Result<InspectionFinding> AddFindingEvent(std::int64_t id, const std::string& from_state,
                                                          const FindingEvent& event) = 0;
  virtual core::Result<std::vector<std::int64_t>> AttachmentFindings(const std::string& attachment_id) = 0;
  virtual core::Result<IndicatorDeduction> AddIndicatorDeduction(const IndicatorDeduction& deduction) = 0;
  // Deductions of a year (0: every year) charged under `region_prefix`, of a plan if given.
  virtual core::Result<std::vector<IndicatorDeduction>> ListIndicatorDeductions(
      const std::string& region_prefix, int year, std::optional<std::int64_t> plan_id) = 0;
  // kConflict when an active supervisor of the enterprise has the same name.
  virtual core::Result<ResidentSupervisor> AppointSupervisor(const ResidentSupervisor& supervisor) = 0;
  // Ends an active appointment; kConflict when it ended already.
  virtual core::Result<ResidentSupervisor> EndSupervisor(std::int64_t id, const std::string& ended_on,
                                                         const std::string& reason) = 0;
  virtual core::Result<std::optional<ResidentSupervisor>> GetSupervisor(std::int64_t id) = 0;
  // Of an enterprise, or every one under `region_prefix`; active ones first.
  virtual core::Result<std::vector<ResidentSupervisor>> ListSupervisors(const std::string& region_prefix,
                                                                        std::optional<std::int64_t> enterprise_id,
                                                                        bool active_only) = 0;
  virtual core::Result<SupervisorVisit> AddSupervisorVisit(const SupervisorVisit& visit) = 0;
  virtual core::Result<std::vector<SupervisorVisit>> SupervisorVisits(std::int64_t supervisor_id) = 0;
};

}  // namespace kiln::storage
