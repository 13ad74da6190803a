#pragma once
// Warnings as stored: one row per condition (a rule on a subject and, for
// events, a time), so that one condition can never have two open warnings;
// the row's lifecycle (open → acknowledged → closed, reopened when the
// condition returns) with an event per transition; the rules' thresholds as
// versioned reference data; what each user wants to be notified of; the
// outbox of webhook deliveries. The rules and the lifecycle decisions live in
// the warnings module; this interface stores what it decided.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/china_time.hpp"
#include "core/status.hpp"

namespace kiln::storage {

struct StoredWarning {
  std::int64_t id = 0;
  std::string condition_key;  // e.g. "gap:p812:1764633600000"
  std::string category, rule, severity;  // category: policy, data, workflow; severity: info, warning, critical
  std::string status;  // open, acknowledged, closed
  std::string closed_reason;  // resolved, dismissed, cleared; "" unless closed
  std::optional<std::int64_t> enterprise_id, point_id;
  std::string region, industry;
  core::UnixMillis from = 0;
  std::optional<core::UnixMillis> to;  // none: still going on
  std::string message, evidence;  // evidence is a JSON object (text)
  core::UnixMillis opened_at = 0, updated_at = 0;
  std::optional<core::UnixMillis> acknowledged_at, closed_at;
  std::string acknowledged_by, closed_by, note;
  int reopened = 0;
  std::string enterprise_name, point_code;  // joined for lists
};

struct WarningEvent {
  std::int64_t id = 0, warning_id = 0;
  core::UnixMillis at = 0;
  std::string actor;  // a username, or "system" for the evaluator
  std::string action;  // opened, reopened, acknowledged, resolved, dismissed, cleared
  std::string note;
};

struct WarningFilter {
  std::string region_prefix;  // the warning's region starts with this
  std::optional<std::int64_t> enterprise_id, point_id;
  std::vector<std::string> categories, rules, statuses;  // empty = any
  std::vector<std::string> severities;
  std::string industry;  // "" = any
  std::optional<core::UnixMillis> from, to;  // warnings whose span overlaps [from, to)
  bool enterprises_only = false;  // only warnings about an enterprise (not a region as a whole)
  std::optional<core::UnixMillis> opened_after;  // opened or reopened after this
  int page = 1, page_size = 50;
};

struct WarningCount {
  std::string group;  // the region code (padded), industry code or rule
  std::string category, severity, status;
  std::int64_t count = 0;
};

// The rows one evaluation is responsible for: its rules, optionally only some
// points or enterprises, and optionally only the occurrences that reach a time
// (end at or after it, or have not ended).
struct EvaluationScope {
  std::vector<std::string> rules;
  std::optional<std::vector<std::int64_t>> point_ids;
  std::optional<std::vector<std::int64_t>> enterprise_ids;
  std::optional<core::UnixMillis> reaching;
};

// What an evaluation decided about one condition.
struct WarningChange {
  enum class Kind { kOpen, kUpdate, kReopen, kClear };
  Kind kind = Kind::kOpen;
  StoredWarning warning;  // kOpen: the new row; otherwise its id, the status it was seen in, and the new figures
  std::string note;  // kClear: why it cleared
};

// A rule's parameter, one version of it.
struct Threshold {
  std::string rule, name;
  int version = 1;
  double value = 0;
  std::string unit, source, changed_by;
  core::UnixMillis changed_at = 0;
};

struct NotificationPrefs {
  std::int64_t user_id = 0;
  std::vector<std::string> categories;  // notify of these (all three by default)
  std::string min_severity = "warning";  // and of at least this severity
  bool webhook = true;  // also send to the province's webhook (when configured)
  core::UnixMillis seen_until = 0;  // notifications up to here are read
};

// A warning event waiting to be posted to the webhook.
struct WebhookDelivery {
  std::int64_t id = 0, warning_id = 0;
  std::string event;  // opened, reopened, cleared, ...
  std::string payload;  // JSON
  int attempts = 0;
  core::UnixMillis next_at = 0;
  std::string last_error;
};

class WarningStore {
 public:
  virtual ~WarningStore() = default;

  virtual core::Result<std::pair<std::vector<StoredWarning>, std::int64_t>> ListWarnings(
      const WarningFilter& filter) = 0;
  virtual core::Result<std::optional<StoredWarning>> GetWarning(std::int64_t id) = 0;
  virtual core::Result<std::vector<WarningEvent>> WarningEvents(std::int64_t warning_id) = 0;
  // Counts by group ("region" with `region_key_length` digits, "industry" or "rule"), category, severity, status.
  virtual core::Result<std::vector<WarningCount>> CountWarnings(const WarningFilter& filter,
                                                                const std::string& group_by,
                                                                std::size_t region_key_length) = 0;

  // Every row in the scope, whatever its status.
  virtual core::Result<std::vector<StoredWarning>> WarningsInScope(const EvaluationScope& scope) = 0;
  // Applies an evaluation's decisions in one transaction, each with its event.
  // A row a user changed meanwhile (its status no longer the one seen) is left
  // alone; a condition opened meanwhile by another evaluation is not opened
  // twice. Returns the changes applied, opened rows with their ids.
  virtual core::Result<std::vector<WarningChange>> ApplyWarningChanges(const std::vector<WarningChange>& changes,
                                                                       core::UnixMillis at) = 0;
  // A user's transition: from one of `from_statuses` to `to_status` (with
  // `closed_reason` when closing), recording the event. kConflict when the
  // warning is no longer in one of `from_statuses`.
  virtual core::Result<StoredWarning> TransitionWarning(std::int64_t id, const std::vector<std::string>& from_statuses,
                                                        const std::string& to_status, const std::string& closed_reason,
                                                        const WarningEvent& event) = 0;

  // Thresholds: shipped versions are added when absent; an edit is the next version.
  virtual core::Status AddThresholdsIfAbsent(const std::vector<Threshold>& thresholds) = 0;
  virtual core::Result<std::vector<Threshold>> ListThresholds() = 0;  // every version, oldest first
  virtual core::Result<Threshold> AddThresholdVersion(Threshold threshold) = 0;

  virtual core::Result<std::optional<NotificationPrefs>> GetNotificationPrefs(std::int64_t user_id) = 0;
  virtual core::Status PutNotificationPrefs(const NotificationPrefs& prefs) = 0;

  virtual core::Status EnqueueWebhook(const WebhookDelivery& delivery) = 0;
  // Deliveries due at `now`, oldest first.
  virtual core::Result<std::vector<WebhookDelivery>> DueWebhooks(core::UnixMillis now, int limit) = 0;
  virtual core::Status FinishWebhook(std::int64_t id, core::UnixMillis delivered_at) = 0;
  virtual core::Status RetryWebhook(std::int64_t id, core::UnixMillis next_at, const std::string& error) = 0;
};

}  // namespace kiln::storage
