#include "storage/database.hpp"

#include <fmt/format.h>

namespace kiln::storage {

Lease::~Lease() {
  if (pool_ && conn_) pool_->Release(std::move(conn_));
}

ConnectionPool::ConnectionPool(std::string name, int capacity, Factory factory, std::chrono::milliseconds wait_limit)
    : name_(std::move(name)), capacity_(capacity), factory_(std::move(factory)), wait_limit_(wait_limit) {}

core::Result<Lease> ConnectionPool::Acquire() {
  std::unique_lock lock(mutex_);
  bool waited = false;
  while (idle_.empty() && open_ >= capacity_) {
    waited = true;
    if (!freed_.wait_for(lock, wait_limit_, [&] { return !idle_.empty() || open_ < capacity_; })) {
      ++timeouts_;
      return core::Status::Unavailable(
          fmt::format("no {} connection became free within {} ms", name_, wait_limit_.count()));
    }
  }
  if (waited) ++waits_;
  if (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    ++in_use_;
    return Lease(this, std::move(conn));
  }
  ++open_;
  ++in_use_;
  lock.unlock();
  auto conn = factory_();
  if (!conn.ok()) {
    std::lock_guard relock(mutex_);
    --open_;
    --in_use_;
    freed_.notify_one();
    return conn.status();
  }
  return Lease(this, std::move(conn).value());
}

void ConnectionPool::Release(std::unique_ptr<Connection> conn) {
  bool healthy = conn->Healthy();
  std::lock_guard lock(mutex_);
  --in_use_;
  if (healthy) {
    idle_.push_back(std::move(conn));
  } else {
    --open_;  // dropped; a fresh one is opened on demand
  }
  freed_.notify_one();
}

PoolStats ConnectionPool::Stats() const {
  std::lock_guard lock(mutex_);
  return {open_, in_use_, capacity_, waits_, timeouts_};
}

Transaction::Transaction(Connection& conn, Dialect dialect) : conn_(conn) {
  begun_ = conn_.Exec(dialect == Dialect::kSqlite ? "BEGIN IMMEDIATE" : "BEGIN");
  finished_ = !begun_.ok();
}

Transaction::~Transaction() {
  if (!finished_) (void)conn_.Exec("ROLLBACK");
}

core::Status Transaction::Commit() {
  finished_ = true;
  auto status = conn_.Exec("COMMIT");
  if (!status.ok()) (void)conn_.Exec("ROLLBACK");
  return status;
}

std::string AsText(const core::Value& v) { return core::ValueToText(v); }

std::string_view AsBytes(const core::Value& v) {
  if (auto* b = std::get_if<core::Blob>(&v)) return b->bytes;
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  return {};
}

std::int64_t AsInt(const core::Value& v) {
  if (auto* i = std::get_if<std::int64_t>(&v)) return *i;
  if (auto* d = std::get_if<double>(&v)) return static_cast<std::int64_t>(*d);
  if (auto* b = std::get_if<bool>(&v)) return *b ? 1 : 0;
  if (auto* s = std::get_if<std::string>(&v)) return std::strtoll(s->c_str(), nullptr, 10);
  return 0;
}

std::string EscapeLike(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

double AsReal(const core::Value& v) {
  if (auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* s = std::get_if<std::string>(&v)) return std::strtod(s->c_str(), nullptr);
  return 0;
}

}  // namespace kiln::storage
