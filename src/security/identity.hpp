#pragma once
// Users, passwords and sessions. Passwords are PBKDF2-HMAC-SM3 with a random
// per-user salt; sessions are random 256-bit tokens of which only the SM3
// hash is stored. Thread-safe (state lives in the Store).
//
// Login answers one way for every wrong name or password, after the same
// hashing work; whether an account is locked or disabled is told only to
// someone who knows its password (and to the audit log).

#include <cstdint>
#include <optional>
#include <string>

#include "core/china_time.hpp"
#include "security/access.hpp"
#include "security/audit_log.hpp"
#include "security/login_throttle.hpp"
#include "storage/store.hpp"

namespace kiln::security {

struct SecurityOptions {
  // PBKDF2 iterations for new hashes. Higher slows guessing from a stolen
  // database and slows every login by the same factor (~0.5 µs each).
  std::int64_t pbkdf2_iterations = 120'000;
  int lockout_threshold = 5;  // wrong passwords in a row that lock an account
  std::int64_t lockout_minutes = 15;
  std::int64_t session_idle_minutes = 30;  // a session unused this long expires
  std::int64_t session_absolute_hours = 12;  // and any session after this long
  ThrottleOptions throttle;
};

// Why a password does not meet the policy (length >= 8, three of: lower
// case, upper case, digits, symbols), or nullopt.
std::optional<std::string> PasswordPolicyError(std::string_view password);

// A random password that meets the policy (one-time passwords of resets).
std::string OneTimePassword();

struct NewUser {
  std::string username, password, role, display_name;
  std::string region;  // province/city/county/department users
  std::string enterprise_uscc;  // enterprise users
  std::string department;  // department users
  std::string permissions;  // department users: comma-separated, from GrantablePermissions()
};

// Checks a new user's fields that need no store: name, password policy, role,
// the region level the role needs, department and permission grants.
std::vector<core::FieldError> ValidateNewUser(const NewUser& user);

// Who sets a password that is not the user's own choice. The user must
// change it at the next login, and the setter is remembered (separation of
// duties: see workflow's review rule).
struct PasswordSetter {
  std::optional<std::int64_t> user_id;  // none for kiln admin
  std::string username;  // or "admin-cli"
};

struct LoginResult {
  std::string token;  // the cookie value; never stored
  std::string csrf_token;
  Principal principal;
  core::UnixMillis expires_at = 0;
};

struct AuthenticatedSession {
  Principal principal;
  std::string csrf_token;
  std::string token_hash;
};

class Identity {
 public:
  Identity(storage::Store& store, const core::Clock& clock, AuditLog& audit, SecurityOptions options);

  // `setter` empty: the account's own initial password (demo accounts); otherwise it must be changed.
  core::Result<storage::User> CreateUser(const NewUser& user, const std::optional<PasswordSetter>& setter);
  // kUnauthenticated "wrong username or password" for every unknown name and
  // wrong password; kResourceExhausted "too_many_attempts" when throttled;
  // kUnavailable "login_busy" when too many logins hash at once; after a
  // correct password only, kPermissionDenied "account_locked" / "account_disabled".
  core::Result<LoginResult> Login(const std::string& username, const std::string& password, const std::string& address);
  // Resolves a session token; kUnauthenticated when unknown, revoked or expired.
  core::Result<AuthenticatedSession> Authenticate(const std::string& token);
  core::Status Logout(const std::string& token);
  // Also ends the user's other sessions; `current_token_hash` stays valid.
  core::Status ChangePassword(const Principal& who, const std::string& old_password, const std::string& new_password,
                              const std::string& current_token_hash);
  // An administrator's reset: a one-time password the user must change at the
  // next login; unlocks and ends the user's sessions. Returns the password.
  core::Result<std::string> ResetPassword(std::int64_t user_id, const PasswordSetter& setter);
  // kiln admin: sets a given password, which must also be changed at the next login.
  core::Status SetPassword(const std::string& username, const std::string& password, const PasswordSetter& setter);
  // Deletes expired, idle and revoked sessions; returns how many.
  core::Result<std::int64_t> PurgeSessions();

  core::Result<Principal> PrincipalOf(const storage::User& user);
  const SecurityOptions& options() const { return options_; }

 private:
  bool PasswordMatches(const storage::User& user, const std::string& password) const;
  core::Status StorePassword(std::int64_t user_id, const std::string& password, bool must_change);
  core::Result<LoginResult> LoginUnaudited(const std::string& username, const std::string& password,
                                           const std::string& address, std::string& detail);

  storage::Store& store_;
  const core::Clock& clock_;
  AuditLog& audit_;
  const SecurityOptions options_;
  LoginThrottle throttle_;
};

}  // namespace kiln::security
