#include "notify/webhook_notifier.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <optional>

#include "net/signed_client.hpp"
#include "warnings/warning_service.hpp"

namespace kiln::notify {
namespace {

using nlohmann::json;

constexpr int kBatch = 50;
constexpr std::chrono::hours kLongestPause{1};

std::optional<std::string> EventOf(storage::WarningChange::Kind kind) {
  switch (kind) {
    case storage::WarningChange::Kind::kOpen: return "opened";
    case storage::WarningChange::Kind::kReopen: return "reopened";
    case storage::WarningChange::Kind::kClear: return "cleared";
    case storage::WarningChange::Kind::kUpdate: return std::nullopt;  // new figures of a warning already told
  }
  return std::nullopt;
}

json Instant(std::optional<core::UnixMillis> t) { return t ? json(core::FormatInstantUtc(*t)) : json(nullptr); }

// The people who may be told: every enabled account with its principal and preferences.
struct Audience {
  storage::User user;
  security::Principal principal;
  storage::NotificationPrefs prefs;
};

core::Result<std::vector<Audience>> LoadAudience(storage::Store& store, security::Identity& identity) {
  auto users = store.ListUsers({});
  if (!users.ok()) return users.status();
  std::vector<Audience> out;
  for (auto& u : *users) {
    if (u.disabled) continue;
    auto principal = identity.PrincipalOf(u);
    if (!principal.ok()) return principal.status();
    if (!security::ScopeFor(*principal, security::Action::kWarningRead).ok()) continue;
    auto stored = store.warnings().GetNotificationPrefs(u.id);
    if (!stored.ok()) return stored.status();
    auto prefs = *stored ? **stored : warnings::WarningService::DefaultPrefs(u.id);
    if (!prefs.webhook) continue;
    out.push_back({std::move(u), std::move(principal).value(), std::move(prefs)});
  }
  return out;
}

}  // namespace

WebhookNotifier::WebhookNotifier(storage::Store& store, security::Identity& identity, const core::Clock& clock,
                                 WebhookOptions options)
    : store_(store), identity_(identity), clock_(clock), options_(std::move(options)) {}

WebhookNotifier::~WebhookNotifier() { Stop(); }

core::Status WebhookNotifier::Changed(const std::vector<storage::WarningChange>& changes) {
  if (!enabled()) return {};
  std::optional<std::vector<Audience>> audience;  // loaded once, when a change needs it
  int queued = 0;
  for (const auto& change : changes) {
    auto event = EventOf(change.kind);
    if (!event) continue;
    auto stored = store_.warnings().GetWarning(change.warning.id);
    if (!stored.ok()) return stored.status();
    if (!*stored) continue;
    const auto& w = **stored;
    if (!audience) {
      auto loaded = LoadAudience(store_, identity_);
      if (!loaded.ok()) return loaded.status();
      audience = std::move(loaded).value();
    }
    json recipients = json::array();
    for (const auto& a : *audience) {
      if (!warnings::WarningService::Sees(a.principal, w) || !warnings::WarningService::Wants(a.prefs, w)) continue;
      recipients.push_back({{"username", a.user.username},
                            {"display_name", a.user.display_name},
                            {"role", a.user.role},
                            {"region", a.user.region}});
    }
    json payload = {{"event", *event},
                    {"at", core::FormatInstantUtc(clock_.Now())},
                    {"warning",
                     {{"id", w.id},
                      {"category", w.category},
                      {"rule", w.rule},
                      {"severity", w.severity},
                      {"status", w.status},
                      {"closed_reason", w.closed_reason.empty() ? json(nullptr) : json(w.closed_reason)},
                      {"enterprise_id", w.enterprise_id ? json(*w.enterprise_id) : json(nullptr)},
                      {"enterprise_name", w.enterprise_name.empty() ? json(nullptr) : json(w.enterprise_name)},
                      {"point_id", w.point_id ? json(*w.point_id) : json(nullptr)},
                      {"region", w.region},
                      {"from", core::FormatInstantUtc(w.from)},
                      {"to", Instant(w.to)},
                      {"message", w.message},
                      {"note", change.note.empty() ? json(nullptr) : json(change.note)},
                      {"link", fmt::format("/warnings/{}", w.id)}}},
                    {"recipients", recipients}};
    storage::WebhookDelivery d;
    d.warning_id = w.id;
    d.event = *event;
    d.payload = payload.dump(-1, ' ', false, json::error_handler_t::replace);
    d.next_at = clock_.Now();
    KILN_RETURN_IF_ERROR(store_.warnings().EnqueueWebhook(d));
    ++queued;
  }
  if (queued > 0) {
    {
      std::lock_guard lock(mutex_);
      counters_.queued += queued;
    }
    wake_.notify_all();
  }
  return {};
}

core::Result<int> WebhookNotifier::DeliverDue() {
  if (!enabled()) return 0;
  auto url = net::ParseHttpUrl(options_.url);
  if (!url.ok()) return url.status();
  auto due = store_.warnings().DueWebhooks(clock_.Now(), kBatch);
  if (!due.ok()) return due.status();
  if (due->empty()) return 0;
  net::SignedClient client(url->host, url->port, options_.key_id, options_.secret, options_.timeout);
  int delivered = 0;
  for (const auto& d : *due) {
    auto posted = client.Post(url->path, d.payload);
    std::string error;
    if (!posted.ok()) {
      error = posted.status().message();
    } else if (posted->status < 200 || posted->status >= 300) {
      error = fmt::format("the receiver answered {}: {}", posted->status, posted->body.substr(0, 200));
    }
    if (error.empty()) {
      KILN_RETURN_IF_ERROR(store_.warnings().FinishWebhook(d.id, clock_.Now()));
      ++delivered;
      continue;
    }
    auto pause = options_.retry * (std::int64_t{1} << std::min(d.attempts, 20));
    auto capped = std::min<std::int64_t>(pause.count(), std::chrono::milliseconds(kLongestPause).count());
    KILN_RETURN_IF_ERROR(store_.warnings().RetryWebhook(d.id, clock_.Now() + capped, error));
    {
      std::lock_guard lock(mutex_);
      ++counters_.failed_attempts;
    }
    spdlog::warn("webhook: message {} ({} of warning {}) not delivered, attempt {}: {}", d.id, d.event, d.warning_id,
                 d.attempts + 1, error);
    break;  // in order: the rest waits for this one
  }
  std::lock_guard lock(mutex_);
  counters_.delivered += delivered;
  return delivered;
}

WebhookCounters WebhookNotifier::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

void WebhookNotifier::Start() {
  if (!enabled() || thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void WebhookNotifier::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void WebhookNotifier::Loop() {
  while (!stopping_) {
    if (!is_leader_ || is_leader_()) {
      auto delivered = DeliverDue();
      if (!delivered.ok()) spdlog::error("webhook: {}", delivered.status().ToString());
    }
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, options_.poll, [&] { return stopping_.load(); });
  }
}

}  // namespace kiln::notify
