#include "warnings/warning_service.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "core/regions.hpp"
#include "warnings/rules.hpp"

namespace kiln::warnings {
namespace {

constexpr std::size_t kMaxNote = 2000;

bool MeterHealthOnly(const security::Principal& who) { return who.enterprise_id.has_value(); }

std::vector<std::string> MeterHealthRules() {
  std::vector<std::string> out;
  for (const auto& r : Rules()) {
    if (r.meter_health) out.emplace_back(r.id);
  }
  return out;
}

core::Status CheckValues(const std::vector<std::string>& values, const char* field, bool (*valid)(std::string_view)) {
  for (const auto& v : values) {
    if (!valid(v))
      return core::Status::InvalidArgument(fmt::format("unknown {} {}", field, v), {{field, "unknown: " + v}});
  }
  return {};
}

bool IsStatus(std::string_view s) { return s == "open" || s == "acknowledged" || s == "closed"; }
bool IsRule(std::string_view s) { return FindRule(s) != nullptr; }

security::Target TargetOf(const storage::StoredWarning& w) {
  return {.region = w.region, .enterprise_id = w.enterprise_id};
}

core::Status CheckNote(const std::string& note) {
  if (note.size() > kMaxNote) {
    return core::Status::InvalidArgument("note too long", {{"note", fmt::format("at most {} bytes", kMaxNote)}});
  }
  return {};
}

}  // namespace

core::Result<std::optional<storage::WarningFilter>> WarningService::FilterFor(const registry::Caller& caller,
                                                                              const WarningQuery& q) {
  KILN_RETURN_IF_ERROR(CheckValues(q.categories, "category", &IsCategory));
  KILN_RETURN_IF_ERROR(CheckValues(q.rules, "rule", &IsRule));
  KILN_RETURN_IF_ERROR(CheckValues(q.statuses, "status", &IsStatus));
  KILN_RETURN_IF_ERROR(CheckValues(q.severities, "severity", &IsSeverity));
  auto scope = security::ScopeFor(caller.principal, security::Action::kWarningRead);
  if (!scope.ok()) return scope.status();
  storage::WarningFilter f;
  f.region_prefix = scope->region_prefix;
  f.enterprise_id = scope->enterprise_id;
  if (!q.region.empty()) {
    if (core::LevelOfRegionCode(q.region) == core::RegionLevel::kInvalid) {
      return core::Status::InvalidArgument("invalid region", {{"region", "must be a GB/T 2260 region code"}});
    }
    auto narrowed = security::NarrowToRegion(*scope, q.region);
    if (!narrowed) return std::optional<storage::WarningFilter>();
    f.region_prefix = narrowed->region_prefix;
  }
  if (q.enterprise_id) {
    if (f.enterprise_id && *f.enterprise_id != *q.enterprise_id) return std::optional<storage::WarningFilter>();
    f.enterprise_id = q.enterprise_id;
  }
  f.point_id = q.point_id;
  f.categories = q.categories;
  f.rules = q.rules;
  f.statuses = q.statuses;
  f.severities = q.severities;
  f.industry = q.industry;
  f.from = q.from;
  f.to = q.to;
  f.page = q.page;
  f.page_size = q.page_size;
  if (MeterHealthOnly(caller.principal)) {
    auto allowed = MeterHealthRules();
    if (f.rules.empty()) {
      f.rules = allowed;
    } else {
      std::erase_if(
          f.rules, [&](const std::string& r) { return std::find(allowed.begin(), allowed.end(), r) == allowed.end(); });
      if (f.rules.empty()) return std::optional<storage::WarningFilter>();
    }
  }
  return std::optional<storage::WarningFilter>(std::move(f));
}

bool WarningService::Sees(const security::Principal& who, const storage::StoredWarning& w) {
  auto scope = security::ScopeFor(who, security::Action::kWarningRead);
  if (!scope.ok()) return false;
  if (scope->enterprise_id && w.enterprise_id != scope->enterprise_id) return false;
  if (!w.region.starts_with(scope->region_prefix)) return false;
  if (MeterHealthOnly(who)) {
    auto allowed = MeterHealthRules();
    return std::find(allowed.begin(), allowed.end(), w.rule) != allowed.end();
  }
  return true;
}

core::Result<std::pair<std::vector<storage::StoredWarning>, std::int64_t>> WarningService::List(
    const registry::Caller& caller, const WarningQuery& query) {
  auto filter = FilterFor(caller, query);
  if (!filter.ok()) return filter.status();
  if (!*filter) return std::make_pair(std::vector<storage::StoredWarning>(), std::int64_t{0});
  return store_.warnings().ListWarnings(**filter);
}

core::Result<std::vector<storage::WarningCount>> WarningService::Summary(const registry::Caller& caller,
                                                                         const WarningQuery& query,
                                                                         const std::string& group_by,
                                                                         std::size_t region_key_length) {
  auto filter = FilterFor(caller, query);
  if (!filter.ok()) return filter.status();
  if (group_by != "region" && group_by != "industry" && group_by != "rule") {
    return core::Status::InvalidArgument("invalid group_by", {{"group_by", "must be region, industry or rule"}});
  }
  if (!*filter) return std::vector<storage::WarningCount>();
  return store_.warnings().CountWarnings(**filter, group_by, region_key_length);
}

core::Result<storage::StoredWarning> WarningService::Visible(const registry::Caller& caller, std::int64_t id) {
  auto stored = store_.warnings().GetWarning(id);
  if (!stored.ok()) return stored.status();
  if (!*stored) return core::Status::NotFound(fmt::format("warning {} not found", id));
  const auto& w = **stored;
  const auto* info = FindRule(w.rule);
  if (MeterHealthOnly(caller.principal) && (!info || !info->meter_health)) {
    return core::Status::NotFound(fmt::format("warning {} not found", id));
  }
  auto allowed = security::AuthorizeAndAudit(audit_, caller, security::Action::kWarningRead, TargetOf(w),
                                             fmt::format("warning {}", id));
  // Outside the jurisdiction answers exactly as a warning that does not exist.
  if (allowed.code() == core::StatusCode::kNotFound)
    return core::Status::NotFound(fmt::format("warning {} not found", id));
  KILN_RETURN_IF_ERROR(allowed);
  return w;
}

core::Result<WarningDetail> WarningService::Get(const registry::Caller& caller, std::int64_t id) {
  auto w = Visible(caller, id);
  if (!w.ok()) return w.status();
  auto events = store_.warnings().WarningEvents(id);
  if (!events.ok()) return events.status();
  bool can = security::Authorize(caller.principal, security::Action::kWarningHandle, TargetOf(*w)).ok();
  return WarningDetail{std::move(w).value(), std::move(events).value(), can};
}

core::Result<storage::StoredWarning> WarningService::Transition(const registry::Caller& caller, std::int64_t id,
                                                                const std::vector<std::string>& from,
                                                                const std::string& to, const std::string& reason,
                                                                const std::string& action, const std::string& note) {
  KILN_RETURN_IF_ERROR(CheckNote(note));
  auto w = Visible(caller, id);
  if (!w.ok()) return w.status();
  KILN_RETURN_IF_ERROR(security::AuthorizeAndAudit(audit_, caller, security::Action::kWarningHandle, TargetOf(*w),
                                                   fmt::format("warning {}", id)));
  if (std::find(from.begin(), from.end(), w->status) == from.end()) {
    return core::Status::Conflict(fmt::format("warning {} is {}", id, w->status), {{"status", w->status}});
  }
  storage::WarningEvent event{.at = clock_.Now(), .actor = caller.principal.username, .action = action, .note = note};
  auto done = store_.warnings().TransitionWarning(id, from, to, reason, event);
  (void)audit_.Record(caller.principal.username, caller.address, "warning." + action, fmt::format("warning {}", id),
                      done.ok() ? "ok" : core::StatusCodeName(done.status().code()), note);
  return done;
}

core::Result<storage::StoredWarning> WarningService::Acknowledge(const registry::Caller& caller, std::int64_t id,
                                                                 const std::string& note) {
  return Transition(caller, id, {"open"}, "acknowledged", "", "acknowledged", note);
}

core::Result<storage::StoredWarning> WarningService::Close(const registry::Caller& caller, std::int64_t id,
                                                           const std::string& resolution, const std::string& note) {
  if (resolution != "resolved" && resolution != "dismissed") {
    return core::Status::InvalidArgument("invalid resolution", {{"resolution", "must be resolved or dismissed"}});
  }
  if (resolution == "dismissed" && note.find_first_not_of(" \t\r\n") == std::string::npos) {
    return core::Status::InvalidArgument("a dismissed warning needs the reason it is false",
                                         {{"note", "is required to dismiss"}});
  }
  return Transition(caller, id, {"open", "acknowledged"}, "closed", resolution, resolution, note);
}

core::Result<storage::NotificationPrefs> WarningService::Prefs(const registry::Caller& caller) {
  auto scope = security::ScopeFor(caller.principal, security::Action::kWarningRead);
  if (!scope.ok()) return scope.status();
  auto stored = store_.warnings().GetNotificationPrefs(caller.principal.user_id);
  if (!stored.ok()) return stored.status();
  if (*stored) return **stored;
  return DefaultPrefs(caller.principal.user_id);
}

storage::NotificationPrefs WarningService::DefaultPrefs(std::int64_t user_id) {
  storage::NotificationPrefs defaults;
  defaults.user_id = user_id;
  defaults.categories = {"policy", "data", "workflow"};
  return defaults;
}

bool WarningService::Wants(const storage::NotificationPrefs& prefs, const storage::StoredWarning& w) {
  return std::find(prefs.categories.begin(), prefs.categories.end(), w.category) != prefs.categories.end() &&
         SeverityRank(w.severity) >= SeverityRank(prefs.min_severity);
}

core::Status WarningService::MayRead(const registry::Caller& caller) const {
  return security::ScopeFor(caller.principal, security::Action::kWarningRead).status();
}

core::Status WarningService::MayHandle(const registry::Caller& caller) const {
  return security::ScopeFor(caller.principal, security::Action::kWarningHandle).status();
}

core::Result<storage::NotificationPrefs> WarningService::SetPrefs(const registry::Caller& caller,
                                                                  const std::vector<std::string>& categories,
                                                                  const std::string& min_severity, bool webhook) {
  KILN_RETURN_IF_ERROR(CheckValues(categories, "categories", &IsCategory));
  if (!IsSeverity(min_severity)) {
    return core::Status::InvalidArgument("invalid min_severity",
                                         {{"min_severity", "must be info, warning or critical"}});
  }
  auto prefs = Prefs(caller);
  if (!prefs.ok()) return prefs.status();
  prefs->categories = categories;
  prefs->min_severity = min_severity;
  prefs->webhook = webhook;
  KILN_RETURN_IF_ERROR(store_.warnings().PutNotificationPrefs(*prefs));
  return prefs;
}

core::Status WarningService::MarkRead(const registry::Caller& caller) {
  auto prefs = Prefs(caller);
  if (!prefs.ok()) return prefs.status();
  prefs->seen_until = clock_.Now();
  return store_.warnings().PutNotificationPrefs(*prefs);
}

core::Result<Notifications> WarningService::NotificationsOf(const registry::Caller& caller, int limit) {
  auto prefs = Prefs(caller);
  if (!prefs.ok()) return prefs.status();
  Notifications out;
  out.prefs = *prefs;
  if (prefs->categories.empty()) return out;
  WarningQuery q;
  q.categories = prefs->categories;
  q.statuses = {"open"};
  for (const auto& s : {"info", "warning", "critical"}) {
    if (SeverityRank(s) >= SeverityRank(prefs->min_severity)) q.severities.emplace_back(s);
  }
  q.page_size = std::max(1, limit);
  auto filter = FilterFor(caller, q);
  if (!filter.ok()) return filter.status();
  if (!*filter) return out;
  auto listed = store_.warnings().ListWarnings(**filter);
  if (!listed.ok()) return listed.status();
  out.todo = listed->second;
  (*filter)->opened_after = prefs->seen_until;
  (*filter)->page_size = 1;
  auto unread = store_.warnings().ListWarnings(**filter);
  if (!unread.ok()) return unread.status();
  out.unread = unread->second;
  out.recent = std::move(listed->first);
  return out;
}

}  // namespace kiln::warnings
