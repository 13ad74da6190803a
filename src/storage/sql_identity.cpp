#include "storage/sql_identity.hpp"

#include <fmt/format.h>

namespace kiln::storage {
namespace {

using core::Result;
using core::Status;
using core::Value;

constexpr const char* kUserColumns =
    "id, username, display_name, role, region, enterprise_id, department, permissions, password_hash, "
    "password_salt, password_iterations, password_changed_at, failed_logins, locked_until, disabled, created_at, "
    "must_change_password";

User RowToUser(const SqlRow& r) {
  User u;
  u.id = AsInt(r[0]);
  u.username = AsText(r[1]);
  u.display_name = AsText(r[2]);
  u.role = AsText(r[3]);
  u.region = AsText(r[4]);
  if (!core::IsNull(r[5])) u.enterprise_id = AsInt(r[5]);
  u.department = AsText(r[6]);
  u.permissions = AsText(r[7]);
  u.password_hash = AsText(r[8]);
  u.password_salt = AsText(r[9]);
  u.password_iterations = AsInt(r[10]);
  u.password_changed_at = AsInt(r[11]);
  u.failed_logins = AsInt(r[12]);
  u.locked_until = AsInt(r[13]);
  u.disabled = AsInt(r[14]) != 0;
  u.created_at = AsInt(r[15]);
  u.must_change_password = AsInt(r[16]) != 0;
  return u;
}

template <typename T>
Result<std::optional<T>> First(Result<std::vector<T>> rows) {
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<T>();
  return std::optional<T>(std::move(rows->front()));
}

}  // namespace

Result<std::vector<User>> SqlIdentity::Users(const std::string& where, const std::vector<Value>& params) {
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  return Collect<User>((*conn)->Query(std::string("SELECT ") + kUserColumns + " FROM users " + where, params),
                       RowToUser);
}

Result<User> SqlIdentity::CreateUser(User u) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  auto r = (*conn)->Query(
      "INSERT INTO users (username, display_name, role, region, enterprise_id, department, permissions, "
      "password_hash, password_salt, password_iterations, password_changed_at, failed_logins, locked_until, "
      "disabled, created_at, must_change_password) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, ?) RETURNING "
      "id",
      {u.username, u.display_name, u.role, NullIfEmpty(u.region), u.enterprise_id ? Value(*u.enterprise_id) : Value(),
       NullIfEmpty(u.department), u.permissions, u.password_hash, u.password_salt, u.password_iterations,
       u.password_changed_at, u.created_at, static_cast<std::int64_t>(u.must_change_password)});
  if (!r.ok()) {
    if (r.status().code() == core::StatusCode::kConflict) {
      return Status::Conflict(fmt::format("user {} already exists", u.username), {{"username", "already exists"}});
    }
    if (r.status().code() == core::StatusCode::kInvalidArgument) {
      return Status::InvalidArgument("user refers to an enterprise or department that does not exist");
    }
    return r.status();
  }
  u.id = AsInt(r->rows[0][0]);
  return u;
}

Result<std::optional<User>> SqlIdentity::FindUser(const std::string& username) {
  return First(Users("WHERE username = ?", {username}));
}

Result<std::optional<User>> SqlIdentity::GetUser(std::int64_t id) { return First(Users("WHERE id = ?", {id})); }

Result<std::vector<User>> SqlIdentity::ListUsers(const UserFilter& f) {
  std::string where = "WHERE 1=1";
  std::vector<Value> params;
  if (!f.region_prefix.empty()) {
    where +=
        " AND (region LIKE ? OR enterprise_id IN (SELECT id FROM enterprises WHERE region LIKE ?) OR "
        "(region IS NULL AND department IS NOT NULL))";
    params.emplace_back(f.region_prefix + "%");
    params.emplace_back(f.region_prefix + "%");
  }
  if (!f.department.empty()) {
    where += " AND department = ?";
    params.emplace_back(f.department);
  }
  if (f.enterprise_id) {
    where += " AND enterprise_id = ?";
    params.emplace_back(*f.enterprise_id);
  }
  return Users(where + " ORDER BY id", params);
}

Result<bool> SqlIdentity::CountLoginFailure(std::int64_t user_id, int threshold, core::UnixMillis lock_until) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  // One statement: the increment and the lock decision see the same row, so
  // parallel failures never lose a count and a failure never clears a lock.
  auto r = (*conn)->Query(
      "UPDATE users SET "
      "locked_until = CASE WHEN failed_logins + 1 >= ? AND locked_until < ? THEN ? ELSE locked_until END, "
      "failed_logins = CASE WHEN failed_logins + 1 >= ? THEN 0 ELSE failed_logins + 1 END "
      "WHERE id = ? RETURNING failed_logins",
      {static_cast<std::int64_t>(threshold), lock_until, lock_until, static_cast<std::int64_t>(threshold), user_id});
  if (!r.ok()) return r.status();
  if (r->rows.empty()) return Status::NotFound(fmt::format("user {} not found", user_id));
  return AsInt(r->rows[0][0]) == 0;  // the count starts again only when this failure reached the threshold
}

Status SqlIdentity::ClearLoginFailures(std::int64_t user_id) {
  return WriteOne(db_, "UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = ?", {user_id});
}

Status SqlIdentity::SetPassword(std::int64_t user_id, const std::string& hash, const std::string& salt,
                                std::int64_t iterations, core::UnixMillis changed_at, bool must_change) {
  return WriteOne(
      db_,
      "UPDATE users SET password_hash = ?, password_salt = ?, password_iterations = ?, password_changed_at = ?, "
      "failed_logins = 0, locked_until = 0, must_change_password = ? WHERE id = ?",
      {hash, salt, iterations, changed_at, static_cast<std::int64_t>(must_change), user_id});
}

Status SqlIdentity::SetUserPermissions(std::int64_t user_id, const std::string& permissions) {
  return WriteOne(db_, "UPDATE users SET permissions = ? WHERE id = ?", {permissions, user_id});
}

Status SqlIdentity::SetUserDisabled(std::int64_t user_id, bool disabled) {
  return WriteOne(db_, "UPDATE users SET disabled = ? WHERE id = ?", {static_cast<std::int64_t>(disabled), user_id});
}

Status SqlIdentity::RecordPasswordGrant(const PasswordGrant& g) {
  return WriteOne(
      db_, "INSERT INTO password_grants (user_id, granted_by_user_id, granted_by, kind, at) VALUES (?, ?, ?, ?, ?)",
      {g.user_id, g.granted_by_user_id ? Value(*g.granted_by_user_id) : Value(), g.granted_by, g.kind, g.at});
}

Result<std::vector<PasswordGrant>> SqlIdentity::PasswordGrantsBy(std::int64_t granted_by_user_id,
                                                                 core::UnixMillis since) {
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  return Collect<PasswordGrant>(
      (*conn)->Query("SELECT user_id, granted_by_user_id, granted_by, kind, at FROM password_grants "
                     "WHERE granted_by_user_id = ? AND at >= ? ORDER BY id",
                     {granted_by_user_id, since}),
      [](const SqlRow& r) {
        return PasswordGrant{AsInt(r[0]), core::IsNull(r[1]) ? std::nullopt : std::optional(AsInt(r[1])), AsText(r[2]),
                             AsText(r[3]), AsInt(r[4])};
      });
}

Status SqlIdentity::CreateSession(const Session& s) {
  return WriteOne(
      db_,
      "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, revoked, "
      "address) VALUES (?, ?, ?, ?, ?, ?, 0, ?)",
      {s.token_hash, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, s.address});
}

Result<std::optional<Session>> SqlIdentity::FindSession(const std::string& token_hash) {
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  return First(Collect<Session>(
      (*conn)->Query("SELECT token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, revoked, address "
                     "FROM sessions WHERE token_hash = ?",
                     {token_hash}),
      [](const SqlRow& r) {
        return Session{AsText(r[0]), AsInt(r[1]), AsText(r[2]),     AsInt(r[3]),
                       AsInt(r[4]),  AsInt(r[5]), AsInt(r[6]) != 0, AsText(r[7])};
      }));
}

Status SqlIdentity::TouchSession(const std::string& token_hash, core::UnixMillis at) {
  return WriteOne(db_, "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?", {at, token_hash});
}

Status SqlIdentity::RevokeSession(const std::string& token_hash) {
  return WriteOne(db_, "UPDATE sessions SET revoked = 1 WHERE token_hash = ?", {token_hash});
}

Status SqlIdentity::RevokeUserSessions(std::int64_t user_id, const std::string& keep_token_hash) {
  return WriteOne(db_, "UPDATE sessions SET revoked = 1 WHERE user_id = ? AND token_hash <> ?",
                  {user_id, keep_token_hash});
}

Result<std::int64_t> SqlIdentity::PurgeSessions(core::UnixMillis now, core::UnixMillis idle_before) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  auto r = (*conn)->Query("DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at < ? OR revoked = 1",
                          {now, idle_before});
  if (!r.ok()) return r.status();
  return r->affected;
}

Status SqlIdentity::AppendAudit(AuditEntry e,
                                const std::function<std::string(const std::string&, const AuditEntry&)>& compute_hash) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  Transaction tx(**conn, db_.dialect());
  KILN_RETURN_IF_ERROR(tx.begun());
  if (db_.dialect() == Dialect::kPostgres) {
    // Serialises appends across nodes so the hash chain never forks.
    KILN_RETURN_IF_ERROR((*conn)->Exec("SELECT pg_advisory_xact_lock(727275)"));
  }
  auto last = (*conn)->Query("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1");
  if (!last.ok()) return last.status();
  e.prev_hash = last->rows.empty() ? std::string(64, '0') : AsText(last->rows[0][0]);
  e.hash = compute_hash(e.prev_hash, e);
  KILN_RETURN_IF_ERROR(
      (*conn)->Exec("INSERT INTO audit_log (at, username, address, action, target, result, detail, prev_hash, hash) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    {e.at, e.username, e.address, e.action, e.target, e.result, e.detail, e.prev_hash, e.hash}));
  return tx.Commit();
}

Result<std::vector<AuditEntry>> SqlIdentity::ListAudit(const AuditFilter& f) {
  std::string sql =
      "SELECT id, at, username, address, action, target, result, detail, prev_hash, hash FROM audit_log WHERE 1=1";
  std::vector<Value> params;
  if (!f.username.empty()) {
    sql += " AND username = ?";
    params.emplace_back(f.username);
  }
  if (!f.action_prefix.empty()) {
    sql += " AND action LIKE ? ESCAPE '\\'";
    params.emplace_back(EscapeLike(f.action_prefix) + "%");
  }
  if (!f.result.empty()) {
    sql += " AND result = ?";
    params.emplace_back(f.result);
  }
  if (f.from) {
    sql += " AND at >= ?";
    params.emplace_back(*f.from);
  }
  if (f.to) {
    sql += " AND at < ?";
    params.emplace_back(*f.to);
  }
  if (f.before_id > 0) {
    sql += " AND id < ?";
    params.emplace_back(f.before_id);
  }
  sql += " ORDER BY id DESC LIMIT ?";
  params.emplace_back(static_cast<std::int64_t>(f.limit));
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  return Collect<AuditEntry>((*conn)->Query(sql, params), [](const SqlRow& r) {
    return AuditEntry{AsInt(r[0]),  AsInt(r[1]),  AsText(r[2]), AsText(r[3]), AsText(r[4]),
                      AsText(r[5]), AsText(r[6]), AsText(r[7]), AsText(r[8]), AsText(r[9])};
  });
}

}  // namespace kiln::storage
