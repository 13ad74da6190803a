#include <libpq-fe.h>

#include <fmt/format.h>
#include <unordered_map>

#include "storage/database.hpp"

namespace kiln::storage {
namespace {

// PostgreSQL type OIDs (pg_type.h) the results decode by.
constexpr Oid kBoolOid = 16, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23, kFloat4Oid = 700, kFloat8Oid = 701,
              kNumericOid = 1700, kByteaOid = 17;

// bytea in text output: "\\x" then two hex digits per byte.
std::string DecodeByteaHex(const char* text, size_t length) {
  std::string out;
  if (length < 2 || text[0] != '\\' || text[1] != 'x') return out;
  auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  out.reserve((length - 2) / 2);
  for (size_t i = 2; i + 1 < length; i += 2)
    out.push_back(static_cast<char>(nibble(text[i]) << 4 | nibble(text[i + 1])));
  return out;
}

std::string RewritePlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  bool in_string = false;
  for (char c : sql) {
    if (c == '\'') in_string = !in_string;
    if (c == '?' && !in_string) {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

core::Status PgError(PGconn* conn, PGresult* res, std::string_view sql) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string message =
      fmt::format("postgres: {} (in: {:.120})", res ? PQresultErrorMessage(res) : PQerrorMessage(conn), sql);
  while (!message.empty() && (message.back() == '\n')) message.pop_back();
  std::string_view code = state ? state : "";
  if (code == "23505") return core::Status::Conflict(message);
  if (code == "23503" || code == "23502" || code == "23514" || code.starts_with("22")) {
    return core::Status::InvalidArgument(message);
  }
  if (code.starts_with("08") || code == "57P01" || PQstatus(conn) != CONNECTION_OK) {
    return core::Status::Unavailable(message);
  }
  if (code.starts_with("53")) return core::Status::ResourceExhausted(message);
  return core::Status::Internal(message);
}

class PgConnection final : public Connection {
 public:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  ~PgConnection() override { PQfinish(conn_); }

  core::Result<SqlResult> Query(std::string_view sql, const std::vector<core::Value>& params) override {
    auto name = Prepare(sql, static_cast<int>(params.size()));
    if (!name.ok()) return name.status();
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    std::vector<int> lengths(params.size(), 0), formats(params.size(), 0);  // bytes go in binary format
    for (size_t i = 0; i < params.size(); ++i) {
      const auto& p = params[i];
      if (std::holds_alternative<std::monostate>(p)) continue;
      if (auto* blob = std::get_if<core::Blob>(&p)) {
        values[i] = blob->bytes.data();
        lengths[i] = static_cast<int>(blob->bytes.size());
        formats[i] = 1;
        continue;
      }
      if (auto* d = std::get_if<double>(&p))
        texts[i] = fmt::format("{:.17g}", *d);
      else if (auto* b = std::get_if<bool>(&p))
        texts[i] = *b ? "1" : "0";
      else
        texts[i] = core::ValueToText(p);
      values[i] = texts[i].c_str();
    }
    PGresult* res = PQexecPrepared(conn_, name->c_str(), static_cast<int>(params.size()), values.data(), lengths.data(),
                                   formats.data(), 0);
    struct Clear {
      PGresult* r;
      ~Clear() { PQclear(r); }
    } clear{res};
    auto status = PQresultStatus(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return PgError(conn_, res, sql);
    SqlResult result;
    int rows = PQntuples(res), cols = PQnfields(res);
    for (int c = 0; c < cols; ++c) result.columns.emplace_back(PQfname(res, c));
    result.rows.reserve(rows);
    for (int r = 0; r < rows; ++r) {
      SqlRow row;
      row.reserve(cols);
      for (int c = 0; c < cols; ++c) {
        if (PQgetisnull(res, r, c)) {
          row.emplace_back(std::monostate{});
          continue;
        }
        const char* v = PQgetvalue(res, r, c);
        switch (PQftype(res, c)) {
          case kInt8Oid:
          case kInt2Oid:
          case kInt4Oid: row.emplace_back(static_cast<std::int64_t>(std::strtoll(v, nullptr, 10))); break;
          case kFloat4Oid:
          case kFloat8Oid:
          case kNumericOid: row.emplace_back(std::strtod(v, nullptr)); break;
          case kBoolOid: row.emplace_back(static_cast<std::int64_t>(v[0] == 't' ? 1 : 0)); break;
          case kByteaOid:
            row.emplace_back(core::Blob{DecodeByteaHex(v, static_cast<size_t>(PQgetlength(res, r, c)))});
            break;
          default: row.emplace_back(std::string(v, static_cast<size_t>(PQgetlength(res, r, c))));
        }
      }
      result.rows.push_back(std::move(row));
    }
    const char* affected = PQcmdTuples(res);
    result.affected = affected && *affected ? std::strtoll(affected, nullptr, 10) : 0;
    return result;
  }

  core::Status ExecScript(std::string_view sql) override {
    std::string text(sql);
    PGresult* res = PQexec(conn_, text.c_str());
    auto status = PQresultStatus(res);
    core::Status out;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) out = PgError(conn_, res, sql);
    PQclear(res);
    return out;
  }

  bool Healthy() override { return PQstatus(conn_) == CONNECTION_OK; }

 private:
  core::Result<std::string> Prepare(std::string_view sql, int nparams) {
    std::string key(sql);
    auto it = statements_.find(key);
    if (it != statements_.end()) return it->second;
    std::string name = "s" + std::to_string(statements_.size() + 1);
    std::string rewritten = RewritePlaceholders(sql);
    PGresult* res = PQprepare(conn_, name.c_str(), rewritten.c_str(), nparams, nullptr);
    bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    core::Status error = ok ? core::Status() : PgError(conn_, res, sql);
    PQclear(res);
    if (!ok) return error;
    statements_.emplace(std::move(key), name);
    return name;
  }

  PGconn* conn_;
  std::unordered_map<std::string, std::string> statements_;
};

core::Result<std::unique_ptr<Connection>> Connect(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    PQfinish(conn);
    return core::Status::Unavailable("postgres: cannot connect: " + message);
  }
  auto c = std::make_unique<PgConnection>(conn);
  // Tables grow from empty; a generic plan cached while they were tiny would scan
  // them whole forever after, so every execution is planned with its parameters.
  KILN_RETURN_IF_ERROR(
      c->ExecScript("SET client_min_messages=warning; SET TIME ZONE 'UTC'; SET plan_cache_mode = force_custom_plan"));
  return std::unique_ptr<Connection>(std::move(c));
}

class PgDatabase final : public Database {
 public:
  explicit PgDatabase(const PostgresOptions& options)
      : pool_(
            "postgres", options.pool_size, [u = options.url] { return Connect(u); },
            std::chrono::milliseconds(10'000)) {}
  core::Status DeferSync(Connection&, bool) override { return {}; }
  core::Status SyncCommitted() override { return {}; }

  Dialect dialect() const override { return Dialect::kPostgres; }
  core::Result<Lease> Reader() override { return pool_.Acquire(); }
  core::Result<Lease> Writer() override { return pool_.Acquire(); }
  std::vector<std::pair<std::string, PoolStats>> Stats() const override { return {{pool_.name(), pool_.Stats()}}; }

 private:
  ConnectionPool pool_;
};

}  // namespace

core::Result<std::unique_ptr<Database>> OpenPostgres(const PostgresOptions& options) {
  auto db = std::make_unique<PgDatabase>(options);
  auto probe = db->Reader();  // fail fast with a clear message when the server is unreachable
  if (!probe.ok()) return probe.status();
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace kiln::storage
