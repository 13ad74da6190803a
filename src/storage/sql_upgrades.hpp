#pragma once
// UpgradeStore over the SQL layer, and what the final approvals of an upgrade plan and of its
// acceptance apply in the decision's transaction.

#include "storage/database.hpp"
#include "storage/upgrade_store.hpp"

namespace kiln::storage {

class SqlUpgrades final : public UpgradeStore {
 public:
  explicit SqlUpgrades(Database& db) : db_(db) {}
  core::Result<std::pair<UpgradePlan, ReviewItem>> FileUpgradePlan(const UpgradePlan& plan,
                                                                   const UpgradePlanEvent& event,
                                                                   const ReviewItem& item,
                                                                   const ReviewStep& step) override;
  core::Result<UpgradePlan> AddUpgradePlanEvent(std::int64_t id, const std::string& from_status,
                                                core::UnixMillis seen_updated_at, const UpgradePlanEvent& event,
                                                const std::optional<std::string>& completed_on) override;
  core::Result<std::optional<UpgradePlan>> GetUpgradePlan(std::int64_t id) override;
  core::Result<std::pair<std::vector<UpgradePlan>, std::int64_t>> ListUpgradePlans(
      const UpgradePlanQuery& query) override;
  core::Result<std::vector<UpgradePlanEvent>> UpgradePlanEvents(std::int64_t id) override;
  core::Result<std::vector<std::int64_t>> AttachmentUpgradePlans(const std::string& attachment_id) override;

 private:
  Database& db_;
};

// Within a review decision's transaction: the approved version of a filed plan (`approved`: its
// content, completion date, expected saving and projects) is in force and the plan in progress.
// kConflict unless the plan is filed.
core::Status ApproveUpgradePlan(Connection& conn, std::int64_t plan_id, const UpgradePlan& approved,
                                const std::string& actor, const std::string& level, const std::string& note,
                                core::UnixMillis at);
// The plan is accepted with its measurement (JSON) and measured saving. kConflict unless completed.
core::Status AcceptUpgradePlan(Connection& conn, std::int64_t plan_id, const std::string& measured,
                               double measured_saving_tce, const std::string& actor, const std::string& level,
                               const std::string& note, core::UnixMillis at);

}  // namespace kiln::storage
