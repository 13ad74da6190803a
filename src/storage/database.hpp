#pragma once
// A small SQL layer under the Store: connections that run parameterised
// statements (written with '?' placeholders; the PostgreSQL backend rewrites
// them to $n) and pools that lend connections out. Two backends: SQLite (one
// writer connection, a pool of readers, WAL) and PostgreSQL (one pool).

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/record.hpp"
#include "core/status.hpp"

namespace kiln::storage {

using SqlRow = std::vector<core::Value>;

struct SqlResult {
  std::vector<std::string> columns;
  std::vector<SqlRow> rows;
  std::int64_t affected = 0;
};

enum class Dialect { kSqlite, kPostgres };

// One database connection. Not thread-safe: a connection is used by one
// thread at a time, which the pool guarantees.
class Connection {
 public:
  virtual ~Connection() = default;
  // Runs one statement, preparing it once per connection and caching it.
  // Booleans bind as 0/1. Constraint violations map to kConflict (unique)
  // or kInvalidArgument (foreign key); lost connections to kUnavailable.
  virtual core::Result<SqlResult> Query(std::string_view sql, const std::vector<core::Value>& params = {}) = 0;
  // Runs several statements without parameters (migrations).
  virtual core::Status ExecScript(std::string_view sql) = 0;
  // Whether the connection still works; used to replace broken ones.
  virtual bool Healthy() = 0;

  core::Status Exec(std::string_view sql, const std::vector<core::Value>& params = {}) {
    return Query(sql, params).status();
  }
};

struct PoolStats {
  int size = 0;  // connections open
  int in_use = 0;
  int capacity = 0;
  std::int64_t waits = 0;  // acquisitions that had to wait
  std::int64_t timeouts = 0;
};

class ConnectionPool;

// A connection on loan from a pool; returned when the lease is destroyed.
class Lease {
 public:
  Lease(ConnectionPool* pool, std::unique_ptr<Connection> conn) : pool_(pool), conn_(std::move(conn)) {}
  Lease(Lease&&) = default;
  Lease& operator=(Lease&&) = delete;
  ~Lease();
  Connection& operator*() { return *conn_; }
  Connection* operator->() { return conn_.get(); }

 private:
  ConnectionPool* pool_;
  std::unique_ptr<Connection> conn_;
};

// A bounded pool. Thread-safe.
class ConnectionPool {
 public:
  using Factory = std::function<core::Result<std::unique_ptr<Connection>>()>;
  ConnectionPool(std::string name, int capacity, Factory factory, std::chrono::milliseconds wait_limit);

  // Lends a connection, opening one if below capacity, else waiting up to the
  // wait limit; kUnavailable when none frees up in time.
  core::Result<Lease> Acquire();
  PoolStats Stats() const;
  const std::string& name() const { return name_; }

 private:
  friend class Lease;
  void Release(std::unique_ptr<Connection> conn);

  const std::string name_;
  const int capacity_;
  const Factory factory_;
  const std::chrono::milliseconds wait_limit_;
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Connection>> idle_;  // GUARDED_BY(mutex_)
  int open_ = 0;  // GUARDED_BY(mutex_)
  int in_use_ = 0;  // GUARDED_BY(mutex_)
  std::int64_t waits_ = 0, timeouts_ = 0;  // GUARDED_BY(mutex_)
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;
  // A connection for reads only.
  virtual core::Result<Lease> Reader() = 0;
  // The connection for writes (SQLite has exactly one writer).
  virtual core::Result<Lease> Writer() = 0;
  virtual std::vector<std::pair<std::string, PoolStats>> Stats() const = 0;

  // Group commit. With deferred sync, a commit on `conn` returns before it is
  // on disk; SyncCommitted makes every commit so far durable. SQLite: the WAL
  // is synced by one fdatasync, which may cover many commits and run on
  // another thread while the writer goes on. PostgreSQL commits durably
  // either way.
  virtual core::Status DeferSync(Connection& conn, bool defer) = 0;
  virtual core::Status SyncCommitted() = 0;
};

struct SqliteOptions {
  std::string path;  // the database file
  int readers = 4;  // pooled read-only connections
};
core::Result<std::unique_ptr<Database>> OpenSqlite(const SqliteOptions& options);

struct PostgresOptions {
  std::string url;  // postgresql://user@host:port/db
  int pool_size = 8;
};
core::Result<std::unique_ptr<Database>> OpenPostgres(const PostgresOptions& options);

// BEGIN on construction (IMMEDIATE on SQLite so the write lock is taken up
// front), ROLLBACK on destruction unless committed.
class Transaction {
 public:
  Transaction(Connection& conn, Dialect dialect);
  ~Transaction();
  core::Status begun() const { return begun_; }
  core::Status Commit();

 private:
  Connection& conn_;
  core::Status begun_;
  bool finished_ = false;
};

// Converts every row of a query's result, or passes its error on.
template <typename T, typename Fn>
core::Result<std::vector<T>> Collect(core::Result<SqlResult> r, Fn&& convert) {
  if (!r.ok()) return r.status();
  std::vector<T> out;
  out.reserve(r->rows.size());
  for (const auto& row : r->rows) out.push_back(convert(row));
  return out;
}

// Reads a column of a row as text / integer / real, tolerating the
// representation differences between the backends.
std::string AsText(const core::Value& v);
std::int64_t AsInt(const core::Value& v);
// The bytes of a BLOB/bytea (or of text).
std::string_view AsBytes(const core::Value& v);
double AsReal(const core::Value& v);

// NULL for an empty text, so that optional text columns stay NULL.
inline core::Value NullIfEmpty(const std::string& s) { return s.empty() ? core::Value() : core::Value(s); }

// A query on a reader, its rows converted.
template <typename T, typename Fn>
core::Result<std::vector<T>> ReadAll(Database& db, std::string_view sql, const std::vector<core::Value>& params,
                                     Fn&& convert) {
  auto conn = db.Reader();
  if (!conn.ok()) return conn.status();
  return Collect<T>((*conn)->Query(sql, params), std::forward<Fn>(convert));
}

// One statement on the writer, committed on its own.
inline core::Status WriteOne(Database& db, std::string_view sql, const std::vector<core::Value>& params) {
  auto conn = db.Writer();
  if (!conn.ok()) return conn.status();
  return (*conn)->Exec(sql, params);
}

// `write` for every item, in one transaction.
template <typename T, typename Fn>
core::Status WriteMany(Database& db, const std::vector<T>& items, Fn&& write) {
  auto conn = db.Writer();
  if (!conn.ok()) return conn.status();
  Transaction tx(**conn, db.dialect());
  KILN_RETURN_IF_ERROR(tx.begun());
  for (const auto& item : items) KILN_RETURN_IF_ERROR(write(**conn, item));
  return tx.Commit();
}

// Stores `row` as the next version of the rows of `table` matching `key`, in one transaction.
template <typename Row, typename Insert>
core::Result<Row> AddNextVersion(Database& db, Row row, const char* table, const char* key,
                                 const std::vector<core::Value>& params, Insert insert) {
  auto conn = db.Writer();
  if (!conn.ok()) return conn.status();
  Transaction tx(**conn, db.dialect());
  KILN_RETURN_IF_ERROR(tx.begun());
  auto last = (*conn)->Query(std::string("SELECT COALESCE(MAX(version), 0) FROM ") + table + " WHERE " + key, params);
  if (!last.ok()) return last.status();
  row.version = static_cast<int>(AsInt(last->rows.at(0).at(0))) + 1;
  KILN_RETURN_IF_ERROR(insert(**conn, row));
  KILN_RETURN_IF_ERROR(tx.Commit());
  return row;
}

// Escapes % _ and \ for a LIKE pattern written with ESCAPE '\'.
std::string EscapeLike(const std::string& text);

}  // namespace kiln::storage
