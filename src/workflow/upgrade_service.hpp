#pragma once
// Energy-efficiency upgrade plans (一企一策, seed 001 §能效改造升级): an
// enterprise with projects below the benchmark level (基准) files one plan
// covering them — each project's target level and expected saving, the
// measures, investment, milestones and completion date — reviewed county →
// city → province (flow upgrade_plan); the approval puts it in force
// (in_progress). The enterprise reports progress and the completion of the
// works (completed). Once at least three full months have passed, the county
// files the acceptance (flow upgrade_acceptance, city → province) with the
// saving measured from metered data (analysis::UpgradeSaving); the province's
// approval accepts the plan and keeps the measurement. Every step is audited
// and kept as an event.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/upgrade_saving.hpp"
#include "registry/registry.hpp"
#include "security/audit_log.hpp"
#include "storage/store.hpp"
#include "workflow/review_engine.hpp"

namespace kiln::workflow {

inline constexpr const char* kUpgradeStatuses[] = {"filed", "in_progress", "completed", "accepted"};

struct UpgradeListRequest {
  std::string region, status, industry;
  std::optional<std::int64_t> enterprise_id;
  int page = 1, page_size = 50;
};

struct UpgradeDetail {
  storage::UpgradePlan plan;
  nlohmann::json content;  // the plan: while filed, the open filing's newest version
  std::vector<storage::UpgradePlanEvent> events;
  std::vector<storage::Attachment> attachments;  // of the events, without their bytes
  std::vector<storage::ReviewItem> reviews;  // the plan's filings and acceptance filings, oldest first
  // Accepted: the measurement the acceptance approved; otherwise measured now (baseline, and the
  // months since completion).
  nlohmann::json measurement;
  struct {
    bool report = false, complete = false, accept = false;
  } may;
};

// Projects and plans of a group (a city or county, an industry), for the statistics of seed 000
// (能效改造升级项目统计): existing projects by efficiency class, capacity, plans by status, savings.
struct UpgradeGroup {
  std::string key;
  std::int64_t projects = 0, advanced = 0, between = 0, below_benchmark = 0, unrated = 0;
  std::int64_t below_in_plan = 0, below_accepted = 0;  // below-benchmark projects in a plan / an accepted one
  double rated_capacity_t = 0, advanced_capacity_t = 0, below_capacity_t = 0;
  std::map<std::string, std::int64_t> plans;  // by status
  double expected_saving_tce = 0, measured_saving_tce = 0;  // of accepted plans
};

// An existing project of an enterprise below the benchmark level, and the plan that covers it.
struct UpgradeCandidate {
  std::int64_t project_id = 0;
  std::string name, product;
  double capacity = 0;
  std::string capacity_unit;
  double declared = 0;
  core::EfficiencyLevel level;
  std::optional<std::int64_t> plan_id;  // a plan not yet accepted wins over an accepted one
  std::string plan_status;
};

class UpgradeService {
 public:
  // Registers the flows' content checks and approvals with `reviews`.
  UpgradeService(storage::Store& store, registry::Registry& registry, ReviewEngine& reviews,
                 analysis::Accounting& accounting, security::AuditLog& audit, const core::Clock& clock);

  // The enterprise files its plan. body: {"projects": [{"project_id", "target_level": benchmark|advanced,
  // "expected_saving_tce"}], "measures", "investment" (万元), "adopted_on"? (a date not after today; the
  // baseline is the 12 months before its month; default today), "completion_due", "milestones"?:
  // [{"title", "due"}], "reason"?, "attachments"?}.
  core::Result<UpgradeDetail> File(const registry::Caller& caller, std::int64_t enterprise_id,
                                   const nlohmann::json& body);
  core::Result<std::pair<std::vector<storage::UpgradePlan>, std::int64_t>> List(const registry::Caller& caller,
                                                                                const UpgradeListRequest& request);
  // "not found" alike when outside the caller's scope.
  core::Result<UpgradeDetail> Get(const registry::Caller& caller, std::int64_t id);
  // body: {"progress": 0–100, "note", "attachments"?}; a plan in progress.
  core::Result<UpgradeDetail> ReportProgress(const registry::Caller& caller, std::int64_t id,
                                             const nlohmann::json& body);
  // body: {"completed_on", "note", "attachments"?}: the works are done.
  core::Result<UpgradeDetail> Complete(const registry::Caller& caller, std::int64_t id, const nlohmann::json& body);
  // body: {"reason", "attachments"?}: the county files a completed plan for acceptance with the
  // measured saving; kConflict naming what the measurement lacks.
  core::Result<storage::ReviewItem> FileAcceptance(const registry::Caller& caller, std::int64_t id,
                                                   const nlohmann::json& body);
  // The enterprise's existing projects below the benchmark level, for its plan.
  core::Result<std::vector<UpgradeCandidate>> Candidates(const registry::Caller& caller, std::int64_t enterprise_id);
  // Officials only: group_by region (the cities of a province, the counties of a city) or industry.
  // The last group has key "" and counts them all.
  core::Result<std::vector<UpgradeGroup>> Summary(const registry::Caller& caller, const std::string& group_by,
                                                  const std::string& region);

 private:
  // The plan body checked against the registry: its content and the plan row it makes.
  core::Result<std::pair<nlohmann::json, storage::UpgradePlan>> ParsePlan(std::int64_t enterprise_id,
                                                                          const nlohmann::json& body);
  // An acceptance's content: the body's reason and attachments, and the plan measured now;
  // kConflict naming what the measurement lacks.
  core::Result<nlohmann::json> AcceptanceContent(const registry::Caller& caller, const storage::UpgradePlan& plan,
                                                 const nlohmann::json& body);
  core::Result<storage::UpgradePlan> Visible(const registry::Caller& caller, std::int64_t id);
  core::Result<analysis::SavingMeasurement> Measure(const registry::Caller& caller, const storage::UpgradePlan& plan,
                                                    const nlohmann::json& content);
  core::Result<std::vector<storage::ReviewItem>> Reviews(const storage::UpgradePlan& plan);
  core::Status Check(const registry::Caller& caller, security::Action action, const storage::UpgradePlan& plan);
  // Records a progress or completion event; `completed_on` for the completion.
  core::Result<UpgradeDetail> Move(const registry::Caller& caller, std::int64_t id, const nlohmann::json& body,
                                   const std::optional<std::string>& completed_on);
  void Audit(const registry::Caller& caller, const std::string& action, std::int64_t id, const core::Status& s,
             const std::string& detail);
  std::string Today() const;

  storage::Store& store_;
  registry::Registry& registry_;
  ReviewEngine& reviews_;
  analysis::Accounting& accounting_;
  security::AuditLog& audit_;
  const core::Clock& clock_;
};

}  // namespace kiln::workflow
