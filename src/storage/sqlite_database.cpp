#include <sqlite3.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <fmt/format.h>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "storage/database.hpp"

namespace kiln::storage {
namespace {

core::Status SqliteError(sqlite3* db, int rc, std::string_view sql) {
  std::string message = fmt::format("sqlite: {} (in: {:.120})", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc), sql);
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY: return core::Status::Conflict(message);
    case SQLITE_CONSTRAINT_FOREIGNKEY:
    case SQLITE_CONSTRAINT_NOTNULL:
    case SQLITE_CONSTRAINT_CHECK: return core::Status::InvalidArgument(message);
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return core::Status::Unavailable(message);
    case SQLITE_FULL: return core::Status::ResourceExhausted(message);
    default: return core::Status::Internal(message);
  }
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  core::Result<SqlResult> Query(std::string_view sql, const std::vector<core::Value>& params) override {
    auto stmt = Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    sqlite3_stmt* s = *stmt;
    struct Resetter {
      sqlite3_stmt* s;
      ~Resetter() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } resetter{s};
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(s)) {
      return core::Status::Internal(fmt::format("sqlite: {} parameters for {} placeholders in: {:.120}", params.size(),
                                                sqlite3_bind_parameter_count(s), sql));
    }
    // Bound without copies (SQLITE_STATIC): `params` outlives the statement's
    // use, and the resetter clears the bindings before Query returns.
    for (size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i + 1);
      const auto& p = params[i];
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::monostate>(p))
        rc = sqlite3_bind_null(s, idx);
      else if (auto* n = std::get_if<std::int64_t>(&p))
        rc = sqlite3_bind_int64(s, idx, *n);
      else if (auto* d = std::get_if<double>(&p))
        rc = sqlite3_bind_double(s, idx, *d);
      else if (auto* b = std::get_if<bool>(&p))
        rc = sqlite3_bind_int64(s, idx, *b ? 1 : 0);
      else if (auto* blob = std::get_if<core::Blob>(&p)) {
        rc = sqlite3_bind_blob64(s, idx, blob->bytes.data(), blob->bytes.size(), SQLITE_STATIC);
      } else {
        const auto& t = std::get<std::string>(p);
        rc = sqlite3_bind_text(s, idx, t.data(), static_cast<int>(t.size()), SQLITE_STATIC);
      }
      if (rc != SQLITE_OK) return SqliteError(db_, rc, sql);
    }
    SqlResult result;
    int columns = sqlite3_column_count(s);
    for (int c = 0; c < columns; ++c) result.columns.emplace_back(sqlite3_column_name(s, c));
    for (;;) {
      int rc = sqlite3_step(s);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return SqliteError(db_, sqlite3_extended_errcode(db_), sql);
      SqlRow row;
      row.reserve(columns);
      for (int c = 0; c < columns; ++c) {
        switch (sqlite3_column_type(s, c)) {
          case SQLITE_INTEGER: row.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(s, c))); break;
          case SQLITE_FLOAT: row.emplace_back(sqlite3_column_double(s, c)); break;
          case SQLITE_NULL: row.emplace_back(std::monostate{}); break;
          case SQLITE_BLOB: {
            const void* bytes = sqlite3_column_blob(s, c);
            auto size = static_cast<size_t>(sqlite3_column_bytes(s, c));
            row.emplace_back(core::Blob{bytes ? std::string(static_cast<const char*>(bytes), size) : std::string()});
            break;
          }
          default:
            row.emplace_back(std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, c)),
                                         static_cast<size_t>(sqlite3_column_bytes(s, c))));
        }
      }
      result.rows.push_back(std::move(row));
    }
    result.affected = sqlite3_changes64(db_);
    return result;
  }

  core::Status ExecScript(std::string_view sql) override {
    char* error = nullptr;
    std::string text(sql);
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
      std::string message = error ? error : sqlite3_errstr(rc);
      sqlite3_free(error);
      return core::Status::Internal("sqlite: " + message);
    }
    return {};
  }

  bool Healthy() override { return true; }

 private:
  core::Result<sqlite3_stmt*> Prepare(std::string_view sql) {
    auto it = statements_.find(std::string(sql));
    if (it != statements_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    int rc =
        sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, sql);
    statements_.emplace(std::string(sql), stmt);
    return stmt;
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

core::Result<std::unique_ptr<Connection>> OpenConnection(const std::string& path, bool read_only) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX | (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = fmt::format("sqlite: cannot open {}: {}", path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close_v2(db);
    return core::Status::Unavailable(message);
  }
  auto conn = std::make_unique<SqliteConnection>(db);
  sqlite3_busy_timeout(db, 5000);
  // WAL lets readers run beside the single writer; synchronous=FULL makes a
  // commit durable before it is acknowledged. The writer's page cache holds a
  // materialisation's blocks and rollups (default 2 MB spills to the WAL in
  // mid-transaction). The writer does not checkpoint: the Checkpointer copies
  // the WAL into the database beside it.
  std::string pragmas = read_only ? "PRAGMA foreign_keys=ON; PRAGMA cache_size=-16384;"
                                  : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
                                    "PRAGMA cache_size=-131072; PRAGMA wal_autocheckpoint=0;";
  KILN_RETURN_IF_ERROR(conn->ExecScript(pragmas).WithContext(path));
  return std::unique_ptr<Connection>(std::move(conn));
}

// Copies committed WAL frames into the database file on its own connection
// and thread, so that the writer never stops to do it. PASSIVE checkpoints
// never wait for the writer; the WAL restarts from its beginning once it has
// all been copied. When it still grows past kRestartBytes (readers pinning old
// frames), a RESTART checkpoint waits its turn to bound it.
class Checkpointer {
 public:
  explicit Checkpointer(std::string path) : path_(std::move(path)), thread_([this] { Run(); }) {}
  ~Checkpointer() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  static constexpr std::int64_t kRestartBytes = 512LL * 1024 * 1024;

  void Run() {
    sqlite3* db = nullptr;
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      wake_.wait_for(lock, std::chrono::milliseconds(200), [&] { return stopping_; });
      lock.unlock();
      if (!db) {  // once the writer has created the file
        if (sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
          sqlite3_close_v2(db);
          db = nullptr;
          lock.lock();
          continue;
        }
        sqlite3_busy_timeout(db, 5000);
        // Reading the schema opens the WAL on this connection; until then it is not "in WAL mode".
        sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
      }
      int frames = 0, copied = 0;
      sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &frames, &copied);
      if (static_cast<std::int64_t>(frames) * 4096 > kRestartBytes) {
        sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_RESTART, &frames, &copied);
      }
      lock.lock();
    }
    lock.unlock();
    if (db) {
      sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      sqlite3_close_v2(db);
    }
  }

  const std::string path_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // GUARDED_BY(mutex_)
  std::thread thread_;
};

class SqliteDatabase final : public Database {
 public:
  explicit SqliteDatabase(const SqliteOptions& options)
      : path_(options.path),
        checkpointer_(options.path),
        writer_(
            "sqlite-writer", 1, [p = options.path] { return OpenConnection(p, false); },
            std::chrono::milliseconds(10'000)),
        readers_(
            "sqlite-reader", options.readers, [p = options.path] { return OpenConnection(p, true); },
            std::chrono::milliseconds(5'000)) {}

  ~SqliteDatabase() override {
    if (wal_fd_ >= 0) ::close(wal_fd_);
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

  core::Status DeferSync(Connection& conn, bool defer) override {
    return conn.Exec(defer ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL");
  }

  // In WAL mode a commit is the WAL's frames up to its commit frame; syncing
  // the WAL file (any descriptor of it: Linux syncs the inode) makes every
  // commit written so far durable.
  core::Status SyncCommitted() override {
    std::lock_guard lock(sync_mutex_);
    if (wal_fd_ < 0) {
      wal_fd_ = ::open((path_ + "-wal").c_str(), O_RDONLY | O_CLOEXEC);
      if (wal_fd_ < 0)
        return core::Status::Unavailable(fmt::format("cannot open {}-wal to sync it: {}", path_, std::strerror(errno)));
    }
    if (::fdatasync(wal_fd_) != 0) {
      return core::Status::Unavailable(fmt::format("cannot sync {}-wal: {}", path_, std::strerror(errno)));
    }
    return {};
  }
  core::Result<Lease> Reader() override { return readers_.Acquire(); }
  core::Result<Lease> Writer() override { return writer_.Acquire(); }
  std::vector<std::pair<std::string, PoolStats>> Stats() const override {
    return {{writer_.name(), writer_.Stats()}, {readers_.name(), readers_.Stats()}};
  }

 private:
  const std::string path_;
  std::mutex sync_mutex_;
  int wal_fd_ = -1;  // GUARDED_BY(sync_mutex_)
  Checkpointer checkpointer_;  // destroyed after the pools' connections close
  ConnectionPool writer_;
  ConnectionPool readers_;
};

}  // namespace

core::Result<std::unique_ptr<Database>> OpenSqlite(const SqliteOptions& options) {
  auto db = std::make_unique<SqliteDatabase>(options);
  // Open the writer first so the file exists and is in WAL mode before any reader opens it.
  auto writer = db->Writer();
  if (!writer.ok()) return writer.status();
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace kiln::storage
