#pragma once
// Energy-efficiency upgrade plans (一企一策, seed 001): one plan per
// enterprise covering its projects below the benchmark level, with its
// status (filed → in_progress → completed → accepted), the plan itself as
// filed or approved (JSON: projects and their targets, measures, investment,
// milestones), progress and the completion date, and at acceptance the
// measured saving. The plan and its acceptance are review items (flows
// upgrade_plan, upgrade_acceptance); their final approvals move the plan in
// the decision's own transaction (ReviewEffect::Kind::kUpgradePlanApproved,
// kUpgradeAccepted).

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/china_time.hpp"
#include "core/status.hpp"
#include "storage/review_store.hpp"

namespace kiln::storage {

struct UpgradePlan {
  std::int64_t id = 0;
  std::int64_t enterprise_id = 0;
  std::string status;  // filed, in_progress, completed, accepted
  std::string content;  // the plan (JSON) as filed, then as approved
  std::string start_month;  // YYYY-MM: the baseline is the 12 months before
  std::string completion_due;  // YYYY-MM-DD
  double expected_saving_tce = 0;  // a year
  int progress = 0;  // percent, as last reported
  std::string completed_on;  // YYYY-MM-DD once the works are done
  std::string measured;  // the acceptance's measurement (JSON), once accepted
  std::optional<double> measured_saving_tce;
  std::vector<std::int64_t> project_ids;
  std::string filed_by;
  core::UnixMillis filed_at = 0, updated_at = 0;
  std::optional<core::UnixMillis> accepted_at;
  // Of the enterprise, for lists.
  std::string region, enterprise_name, industry;
};

struct UpgradePlanEvent {
  std::int64_t id = 0;
  std::int64_t plan_id = 0;
  std::string kind;  // filed, approved, progress, completed, accepted
  std::string level;  // who acted: enterprise, county, city, province
  std::string actor, note;
  std::string status;  // of the plan after the event
  int progress = 0;
  core::UnixMillis at = 0;
  std::vector<std::string> attachments;  // ids (SM3)
};

struct UpgradePlanQuery {
  std::string region_prefix;  // of the enterprise's county
  std::optional<std::int64_t> enterprise_id;
  std::string status, industry;  // "" = any
  int page = 1, page_size = 50;
};

class UpgradeStore {
 public:
  virtual ~UpgradeStore() = default;
  // Stores a new plan (status filed) with its "filed" event and files it for review (`item`, whose
  // JSON content gains the plan's "plan_id", with `step`), all in one transaction. kConflict when
  // the enterprise has a plan not yet accepted, or a project is in another plan not yet accepted.
  virtual core::Result<std::pair<UpgradePlan, ReviewItem>> FileUpgradePlan(const UpgradePlan& plan,
                                                                           const UpgradePlanEvent& event,
                                                                           const ReviewItem& item,
                                                                           const ReviewStep& step) = 0;
  // Records `event` and sets the plan's status and progress to the event's (and its completion
  // date when `completed_on` is given); kConflict when the plan is no longer in `from_status` or
  // was changed after `seen_updated_at`.
  virtual core::Result<UpgradePlan> AddUpgradePlanEvent(std::int64_t id, const std::string& from_status,
                                                        core::UnixMillis seen_updated_at, const UpgradePlanEvent& event,
                                                        const std::optional<std::string>& completed_on) = 0;
  virtual core::Result<std::optional<UpgradePlan>> GetUpgradePlan(std::int64_t id) = 0;
  virtual core::Result<std::pair<std::vector<UpgradePlan>, std::int64_t>> ListUpgradePlans(
      const UpgradePlanQuery& query) = 0;
  virtual core::Result<std::vector<UpgradePlanEvent>> UpgradePlanEvents(std::int64_t id) = 0;
  // The plans an event of which carries the attachment.
  virtual core::Result<std::vector<std::int64_t>> AttachmentUpgradePlans(const std::string& attachment_id) = 0;
};

}  // namespace kiln::storage
