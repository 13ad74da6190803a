#pragma once
// The outbound webhook a province plugs its SMS gateway or office system into. Each warning that
// opens, reopens or clears becomes one JSON message naming the warning and the users who see it
// and chose to hear of it (their categories and severity, webhook on). Messages go through the
// store's outbox first, so a restart or an unreachable receiver loses none: they are posted in
// order, signed with KILN-HMAC-SM3 like every machine request (README "Webhook"), and retried with
// a growing pause until the receiver answers 2xx. Thread-safe.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/china_time.hpp"
#include "security/identity.hpp"
#include "storage/store.hpp"

namespace kiln::notify {

struct WebhookOptions {
  std::string url;  // http://host[:port]/path; empty: no webhook
  std::string key_id = "kiln-webhook";  // the Credential the receiver looks its secret up by
  std::string secret;
  std::chrono::milliseconds poll{1000};  // how often the outbox is looked at
  std::chrono::milliseconds retry{10'000};  // the first pause after a failure; doubles up to an hour
  std::chrono::seconds timeout{10};
};

struct WebhookCounters {
  std::int64_t queued = 0, delivered = 0, failed_attempts = 0;
};

class WebhookNotifier {
 public:
  WebhookNotifier(storage::Store& store, security::Identity& identity, const core::Clock& clock,
                  WebhookOptions options);
  ~WebhookNotifier();

  bool enabled() const { return !options_.url.empty(); }
  // Whether this node sends (one node of several sharing a database).
  void SetLeader(std::function<bool()> is_leader) { is_leader_ = std::move(is_leader); }
  void Start();
  void Stop();

  // Queues a message for each change worth one (opened, reopened, cleared).
  core::Status Changed(const std::vector<storage::WarningChange>& changes);
  // Posts the messages due now, oldest first; the number delivered.
  core::Result<int> DeliverDue();
  WebhookCounters counters() const;

 private:
  void Loop();

  storage::Store& store_;
  security::Identity& identity_;
  const core::Clock& clock_;
  const WebhookOptions options_;
  std::function<bool()> is_leader_;
  mutable std::mutex mutex_;
  WebhookCounters counters_;  // GUARDED_BY(mutex_)
  std::condition_variable wake_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace kiln::notify
