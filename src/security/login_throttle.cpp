#include "security/login_throttle.hpp"

#include <chrono>

namespace kiln::security {

void LoginThrottle::Roll(Window& w, core::UnixMillis now) const {
  if (now - w.start >= options_.window_seconds * 1000) w = {now, 0};
}

core::Status LoginThrottle::Admit(const std::string& address) {
  auto now = clock_.Now();
  std::lock_guard lock(mutex_);
  Roll(global_, now);
  if (global_.failures >= options_.failures_global) {
    return core::Status::ResourceExhausted("too many failed logins on this server; try again later")
        .WithReason("too_many_attempts");
  }
  auto it = by_address_.find(address);
  if (it != by_address_.end()) {
    Roll(it->second, now);
    if (it->second.failures >= options_.failures_per_address) {
      return core::Status::ResourceExhausted("too many failed logins from this address; try again later")
          .WithReason("too_many_attempts");
    }
  }
  return {};
}

void LoginThrottle::CountFailure(const std::string& address) {
  auto now = clock_.Now();
  std::lock_guard lock(mutex_);
  Roll(global_, now);
  ++global_.failures;
  // Forget addresses whose window has passed before the table grows without bound.
  if (by_address_.size() > 100'000) {
    std::erase_if(by_address_,
                  [&](const auto& entry) { return now - entry.second.start >= options_.window_seconds * 1000; });
  }
  auto& w = by_address_[address];
  Roll(w, now);
  ++w.failures;
}

LoginThrottle::Slot::~Slot() {
  if (!owner_) return;
  {
    std::lock_guard lock(owner_->mutex_);
    --owner_->busy_;
  }
  owner_->slot_freed_.notify_one();
}

core::Result<LoginThrottle::Slot> LoginThrottle::AcquireHashingSlot() {
  const auto busy =
      core::Status::Unavailable("too many logins at once; try again in a moment").WithReason("login_busy");
  std::unique_lock lock(mutex_);
  if (busy_ < options_.hashing_slots) {
    ++busy_;
    return Slot(this);
  }
  if (waiting_ >= options_.hashing_waiters) return busy;
  ++waiting_;
  bool got = slot_freed_.wait_for(lock, std::chrono::milliseconds(options_.hashing_wait_ms),
                                  [&] { return busy_ < options_.hashing_slots; });
  --waiting_;
  if (!got) return busy;
  ++busy_;
  return Slot(this);
}

}  // namespace kiln::security
