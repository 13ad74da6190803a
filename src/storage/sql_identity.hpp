#pragma once
// IdentityStore over the SQL layer; SqlStore forwards to it.

#include "storage/database.hpp"
#include "storage/identity_store.hpp"

namespace kiln::storage {

class SqlIdentity final : public IdentityStore {
 public:
  explicit SqlIdentity(Database& db) : db_(db) {}

  core::Result<User> CreateUser(User user) override;
  core::Result<std::optional<User>> FindUser(const std::string& username) override;
  core::Result<std::optional<User>> GetUser(std::int64_t id) override;
  core::Result<std::vector<User>> ListUsers(const UserFilter& filter) override;
  core::Result<bool> CountLoginFailure(std::int64_t user_id, int threshold, core::UnixMillis lock_until) override;
  core::Status ClearLoginFailures(std::int64_t user_id) override;
  core::Status SetPassword(std::int64_t user_id, const std::string& hash, const std::string& salt,
                           std::int64_t iterations, core::UnixMillis changed_at, bool must_change) override;
  core::Status SetUserPermissions(std::int64_t user_id, const std::string& permissions) override;
  core::Status SetUserDisabled(std::int64_t user_id, bool disabled) override;
  core::Status RecordPasswordGrant(const PasswordGrant& grant) override;
  core::Result<std::vector<PasswordGrant>> PasswordGrantsBy(std::int64_t granted_by_user_id,
                                                            core::UnixMillis since) override;

  core::Status CreateSession(const Session& session) override;
  core::Result<std::optional<Session>> FindSession(const std::string& token_hash) override;
  core::Status TouchSession(const std::string& token_hash, core::UnixMillis at) override;
  core::Status RevokeSession(const std::string& token_hash) override;
  core::Status RevokeUserSessions(std::int64_t user_id, const std::string& keep_token_hash) override;
  core::Result<std::int64_t> PurgeSessions(core::UnixMillis now, core::UnixMillis idle_before) override;

  core::Status AppendAudit(
      AuditEntry entry, const std::function<std::string(const std::string&, const AuditEntry&)>& compute_hash) override;
  core::Result<std::vector<AuditEntry>> ListAudit(const AuditFilter& filter) override;

 private:
  core::Result<std::vector<User>> Users(const std::string& where, const std::vector<core::Value>& params);

  Database& db_;
};

}  // namespace kiln::storage
