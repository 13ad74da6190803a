#pragma once
// Users, sessions, password grants and the audit log: what the security
// module keeps. Thread-safe like every store interface.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/china_time.hpp"
#include "core/status.hpp"

namespace kiln::storage {

struct User {
  std::int64_t id = 0;
  std::string username, display_name, role, region, department;
  std::optional<std::int64_t> enterprise_id;
  std::string permissions;  // extra permissions granted, comma-separated (department users)
  std::string password_hash, password_salt;  // hex
  std::int64_t password_iterations = 0;
  core::UnixMillis password_changed_at = 0;
  std::int64_t failed_logins = 0;
  core::UnixMillis locked_until = 0;
  bool disabled = false;
  core::UnixMillis created_at = 0;
  bool must_change_password = false;  // set by an administrator: only a password change is open
};

struct UserFilter {
  // "" = any region; otherwise users of this region prefix, of its enterprises, and department
  // users without a region (they cover the whole province)
  std::string region_prefix;
  std::string department;  // "" = any department
  std::optional<std::int64_t> enterprise_id;
};

// Someone set a password another user did not choose (an account created or a
// password reset by an administrator). Separation of duties looks these up.
struct PasswordGrant {
  std::int64_t user_id = 0;  // whose password was set
  std::optional<std::int64_t> granted_by_user_id;  // none for kiln admin
  std::string granted_by;  // username, or "admin-cli"
  std::string kind;  // "create" or "reset"
  core::UnixMillis at = 0;
};

struct Session {
  std::string token_hash;  // hex SM3 of the token; the token itself is never stored
  std::int64_t user_id = 0;
  std::string csrf_token;
  core::UnixMillis created_at = 0, last_seen_at = 0, expires_at = 0;
  bool revoked = false;
  std::string address;
};

struct AuditEntry {
  std::int64_t id = 0;
  core::UnixMillis at = 0;
  std::string username, address, action, target, result, detail;
  std::string prev_hash, hash;  // hash chain: hash = SM3(prev_hash | fields), set by the audit writer
};

struct AuditFilter {
  std::string username;
  std::string action_prefix;
  std::string result;  // "" = any
  std::optional<core::UnixMillis> from, to;  // [from, to)
  int limit = 100;
  std::int64_t before_id = 0;  // 0 = newest
};

class IdentityStore {
 public:
  virtual ~IdentityStore() = default;

  // Users.
  virtual core::Result<User> CreateUser(User user) = 0;
  virtual core::Result<std::optional<User>> FindUser(const std::string& username) = 0;
  virtual core::Result<std::optional<User>> GetUser(std::int64_t id) = 0;
  virtual core::Result<std::vector<User>> ListUsers(const UserFilter& filter) = 0;
  // Counts one wrong password in a single statement, so parallel guesses lose
  // no increment; at `threshold` the account locks until `lock_until` and the
  // count starts again. Never shortens a lock. True when this failure reached the threshold.
  virtual core::Result<bool> CountLoginFailure(std::int64_t user_id, int threshold, core::UnixMillis lock_until) = 0;
  // After a correct password: forgets earlier failures and an expired lock.
  virtual core::Status ClearLoginFailures(std::int64_t user_id) = 0;
  virtual core::Status SetPassword(std::int64_t user_id, const std::string& hash, const std::string& salt,
                                   std::int64_t iterations, core::UnixMillis changed_at, bool must_change) = 0;
  virtual core::Status SetUserPermissions(std::int64_t user_id, const std::string& permissions) = 0;
  virtual core::Status SetUserDisabled(std::int64_t user_id, bool disabled) = 0;
  virtual core::Status RecordPasswordGrant(const PasswordGrant& grant) = 0;
  // Grants made by `granted_by_user_id` at or after `since`.
  virtual core::Result<std::vector<PasswordGrant>> PasswordGrantsBy(std::int64_t granted_by_user_id,
                                                                    core::UnixMillis since) = 0;

  // Sessions.
  virtual core::Status CreateSession(const Session& session) = 0;
  virtual core::Result<std::optional<Session>> FindSession(const std::string& token_hash) = 0;
  virtual core::Status TouchSession(const std::string& token_hash, core::UnixMillis at) = 0;
  virtual core::Status RevokeSession(const std::string& token_hash) = 0;
  // Ends every session of the user except the one with `keep_token_hash` (if given).
  virtual core::Status RevokeUserSessions(std::int64_t user_id, const std::string& keep_token_hash = {}) = 0;
  // Deletes sessions that expired before `now`, were idle since before `idle_before`, or were revoked.
  virtual core::Result<std::int64_t> PurgeSessions(core::UnixMillis now, core::UnixMillis idle_before) = 0;

  // Audit log, append-only. `compute_hash` receives the previous entry's hash
  // and returns the new entry's; it runs inside the write transaction so the
  // chain has no forks.
  virtual core::Status AppendAudit(
      AuditEntry entry,
      const std::function<std::string(const std::string& prev_hash, const AuditEntry&)>& compute_hash) = 0;
  virtual core::Result<std::vector<AuditEntry>> ListAudit(const AuditFilter& filter) = 0;
};

}  // namespace kiln::storage
