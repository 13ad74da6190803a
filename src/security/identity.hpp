#pragma once
// Users, passwords and sessions. Passwords are PBKDF2-HMAC-SM3 with a random
// per-user salt; sessions are random 256-bit tokens of which only the SM3
// hash is stored. Thread-safe (state lives in the Store).

#include <cstdint>
#include <optional>
#include <string>

#include "core/china_time.hpp"
#include "security/access.hpp"
#include "storage/store.hpp"

namespace kiln::security {

struct SecurityOptions {
  // PBKDF2 iterations for new hashes. Higher slows guessing from a stolen
  // database and slows every login by the same factor (~0.5 µs each).
  std::int64_t pbkdf2_iterations = 120'000;
  int lockout_threshold = 5;  // consecutive wrong passwords that lock an account
  std::int64_t lockout_minutes = 15;
  std::int64_t session_idle_minutes = 30;  // a session unused this long expires
  std::int64_t session_absolute_hours = 12;  // and any session after this long
};

// Why a password does not meet the policy (length >= 8, three of: lower
// case, upper case, digits, symbols), or nullopt.
std::optional<std::string> PasswordPolicyError(std::string_view password);

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
  Identity(storage::Store& store, const core::Clock& clock, SecurityOptions options);

  core::Result<storage::User> CreateUser(const NewUser& user);
  // kUnauthenticated for a wrong name or password (same message for both),
  // kPermissionDenied for a locked or disabled account, naming when it unlocks.
  core::Result<LoginResult> Login(const std::string& username, const std::string& password,
                                  const std::string& address);
  // Resolves a session token; kUnauthenticated when unknown, revoked or expired.
  core::Result<AuthenticatedSession> Authenticate(const std::string& token);
  core::Status Logout(const std::string& token);
  // Also ends the user's other sessions; `current_token_hash` stays valid.
  core::Status ChangePassword(const Principal& who, const std::string& old_password, const std::string& new_password,
                              const std::string& current_token_hash);
  // Administrative reset: sets the password, unlocks, revokes sessions.
  core::Status ResetPassword(const std::string& username, const std::string& new_password);

  core::Result<Principal> PrincipalOf(const storage::User& user);
  const SecurityOptions& options() const { return options_; }

 private:
  bool PasswordMatches(const storage::User& user, const std::string& password) const;

  storage::Store& store_;
  const core::Clock& clock_;
  const SecurityOptions options_;
};

// The hash-chained audit log: each entry's hash covers the previous hash and
// its own fields, so a changed or deleted entry breaks the chain.
class AuditLog {
 public:
  AuditLog(storage::Store& store, const core::Clock& clock) : store_(store), clock_(clock) {}
  core::Status Record(const std::string& username, const std::string& address, const std::string& action,
                      const std::string& target, const std::string& result, const std::string& detail = {});
  // Walks the whole log; returns the id of the first entry whose hash does not verify, or 0.
  core::Result<std::int64_t> Verify();
  static std::string EntryHash(const std::string& prev_hash, const storage::AuditEntry& e);

 private:
  storage::Store& store_;
  const core::Clock& clock_;
};

}  // namespace kiln::security
