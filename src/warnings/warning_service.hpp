#pragma once
// Warnings as users see and handle them, by the access policy: officials see
// the warnings of their jurisdiction and acknowledge and close them;
// enterprise users see the warnings about their own meters and access-end
// (not the supervision findings about their figures). Each user's
// notification preferences, and the to-do count and notifications that follow
// from them. Every user transition is recorded on the warning and in the
// audit log. Thread-safe.

#include <optional>
#include <string>
#include <vector>

#include "registry/registry.hpp"
#include "security/audit_log.hpp"
#include "storage/store.hpp"

namespace kiln::warnings {

struct WarningQuery {
  std::vector<std::string> categories, rules, statuses, severities;
  std::string region, industry;
  std::optional<std::int64_t> enterprise_id, point_id;
  std::optional<core::UnixMillis> from, to;
  int page = 1, page_size = 50;
};

struct WarningDetail {
  storage::StoredWarning warning;
  std::vector<storage::WarningEvent> events;
  bool can_handle = false;
};

struct Notifications {
  std::int64_t todo = 0;  // open warnings the user is notified of
  std::int64_t unread = 0;  // of those, opened since the user last looked
  std::vector<storage::StoredWarning> recent;
  storage::NotificationPrefs prefs;
};

class WarningService {
 public:
  WarningService(storage::Store& store, security::AuditLog& audit, const core::Clock& clock)
      : store_(store), audit_(audit), clock_(clock) {}

  core::Result<std::pair<std::vector<storage::StoredWarning>, std::int64_t>> List(const registry::Caller& caller,
                                                                                  const WarningQuery& query);
  // Counts by region (`region_key_length` digits), industry or rule.
  core::Result<std::vector<storage::WarningCount>> Summary(const registry::Caller& caller, const WarningQuery& query,
                                                           const std::string& group_by, std::size_t region_key_length);
  core::Result<WarningDetail> Get(const registry::Caller& caller, std::int64_t id);
  // open → acknowledged.
  core::Result<storage::StoredWarning> Acknowledge(const registry::Caller& caller, std::int64_t id,
                                                   const std::string& note);
  // open or acknowledged → closed as "resolved" or "dismissed" (a false warning: the note says why).
  core::Result<storage::StoredWarning> Close(const registry::Caller& caller, std::int64_t id,
                                             const std::string& resolution, const std::string& note);

  // kPermissionDenied when the caller may not read (or handle) warnings at all.
  core::Status MayRead(const registry::Caller& caller) const;
  core::Status MayHandle(const registry::Caller& caller) const;

  core::Result<Notifications> NotificationsOf(const registry::Caller& caller, int limit);
  core::Result<storage::NotificationPrefs> Prefs(const registry::Caller& caller);
  core::Result<storage::NotificationPrefs> SetPrefs(const registry::Caller& caller,
                                                    const std::vector<std::string>& categories,
                                                    const std::string& min_severity, bool webhook);
  // Everything opened up to now counts as read.
  core::Status MarkRead(const registry::Caller& caller);

  // Whether `who` sees `w` (its jurisdiction, and for enterprise users their meters' health only).
  static bool Sees(const security::Principal& who, const storage::StoredWarning& w);
  // The preferences of a user who never chose: every category, from warning severity, webhook on.
  static storage::NotificationPrefs DefaultPrefs(std::int64_t user_id);
  // Whether `prefs` ask to be told of `w` (its category, at least the chosen severity).
  static bool Wants(const storage::NotificationPrefs& prefs, const storage::StoredWarning& w);

 private:
  // The filter for what the caller may see of a query; nullopt when nothing.
  core::Result<std::optional<storage::WarningFilter>> FilterFor(const registry::Caller& caller,
                                                                const WarningQuery& query);
  core::Result<storage::StoredWarning> Visible(const registry::Caller& caller, std::int64_t id);
  core::Result<storage::StoredWarning> Transition(const registry::Caller& caller, std::int64_t id,
                                                  const std::vector<std::string>& from, const std::string& to,
                                                  const std::string& reason, const std::string& action,
                                                  const std::string& note);

  storage::Store& store_;
  security::AuditLog& audit_;
  const core::Clock& clock_;
};

}  // namespace kiln::warnings
