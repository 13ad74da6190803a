#pragma once
// Keeps password guessing and login floods from costing more than they may:
// failed logins are counted per source address and for the whole server in a
// fixed window, and the password hashing (PBKDF2, deliberately slow) runs in
// a few slots only, so that a flood answers 429 or 503 instead of occupying
// every request thread. Thread-safe.

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/china_time.hpp"
#include "core/status.hpp"

namespace kiln::security {

struct ThrottleOptions {
  int failures_per_address = 20;  // failed logins from one address per window
  int failures_global = 1000;  // failed logins in all per window
  std::int64_t window_seconds = 300;
  int hashing_slots = 2;  // logins hashing a password at once
  int hashing_waiters = 1;  // logins that may wait for a slot; more answer 503 at once
  std::int64_t hashing_wait_ms = 1000;
};

class LoginThrottle {
 public:
  LoginThrottle(const core::Clock& clock, ThrottleOptions options) : clock_(clock), options_(options) {}

  // kResourceExhausted ("too_many_attempts") when the address or the server
  // had too many failed logins in the current window.
  core::Status Admit(const std::string& address);
  void CountFailure(const std::string& address);

  // A hashing slot, held while it lives.
  class Slot {
   public:
    explicit Slot(LoginThrottle* owner) : owner_(owner) {}
    Slot(Slot&& other) noexcept : owner_(other.owner_) { other.owner_ = nullptr; }
    Slot& operator=(Slot&&) = delete;
    ~Slot();

   private:
    LoginThrottle* owner_;
  };
  // kUnavailable ("login_busy") when every slot is taken and the waiters are full or the wait runs out.
  core::Result<Slot> AcquireHashingSlot();

  const ThrottleOptions& options() const { return options_; }

 private:
  struct Window {
    core::UnixMillis start = 0;
    int failures = 0;
  };
  void Roll(Window& w, core::UnixMillis now) const;

  const core::Clock& clock_;
  const ThrottleOptions options_;
  std::mutex mutex_;
  std::unordered_map<std::string, Window> by_address_;  // GUARDED_BY(mutex_)
  Window global_;  // GUARDED_BY(mutex_)
  std::condition_variable slot_freed_;
  int busy_ = 0, waiting_ = 0;  // GUARDED_BY(mutex_)
};

}  // namespace kiln::security
