#pragma once
// WarningStore over the SQL layer.

#include "storage/database.hpp"
#include "storage/warning_store.hpp"

namespace kiln::storage {

class SqlWarnings final : public WarningStore {
 public:
  explicit SqlWarnings(Database& db) : db_(db) {}

  core::Result<std::pair<std::vector<StoredWarning>, std::int64_t>> ListWarnings(const WarningFilter& filter) override;
  core::Result<std::optional<StoredWarning>> GetWarning(std::int64_t id) override;
  core::Result<std::vector<WarningEvent>> WarningEvents(std::int64_t warning_id) override;
  core::Result<std::vector<WarningCount>> CountWarnings(const WarningFilter& filter, const std::string& group_by,
                                                        std::size_t region_key_length) override;
  core::Result<std::vector<StoredWarning>> WarningsInScope(const EvaluationScope& scope) override;
  core::Result<std::vector<WarningChange>> ApplyWarningChanges(const std::vector<WarningChange>& changes,
                                                               core::UnixMillis at) override;
  core::Result<StoredWarning> TransitionWarning(std::int64_t id, const std::vector<std::string>& from_statuses,
                                                const std::string& to_status, const std::string& closed_reason,
                                                const WarningEvent& event) override;
  core::Status AddThresholdsIfAbsent(const std::vector<Threshold>& thresholds) override;
  core::Result<std::vector<Threshold>> ListThresholds() override;
  core::Result<Threshold> AddThresholdVersion(Threshold threshold) override;
  core::Result<std::optional<NotificationPrefs>> GetNotificationPrefs(std::int64_t user_id) override;
  core::Status PutNotificationPrefs(const NotificationPrefs& prefs) override;
  core::Status EnqueueWebhook(const WebhookDelivery& delivery) override;
  core::Result<std::vector<WebhookDelivery>> DueWebhooks(core::UnixMillis now, int limit) override;
  core::Status FinishWebhook(std::int64_t id, core::UnixMillis delivered_at) override;
  core::Status RetryWebhook(std::int64_t id, core::UnixMillis next_at, const std::string& error) override;

 private:
  Database& db_;
};

}  // namespace kiln::storage
