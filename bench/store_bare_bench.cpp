// The bare write limits of each store on the rows kiln ingest writes: SQLite
// prepared inserts in one transaction per batch (rows in key order), and
// PostgreSQL COPY. Prints JSON: {"store":…, "rows":…, "seconds":…, "rows_per_second":…}.
// A benchmark harness, so it talks SQL directly rather than through the Store.
//
//   kiln_store_bare_bench sqlite PATH ROWS BATCH
//   kiln_store_bare_bench postgres URL ROWS BATCH

#include <libpq-fe.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

constexpr long long kPoints = 2000;
constexpr long long kStartSeconds = 1'700'000'000;

void Die(const std::string& what) {
  std::fprintf(stderr, "store_bare_bench: %s\n", what.c_str());
  std::exit(1);
}

// Row i: the same shape as `kiln sim` (point, ts, value) in key order within each batch.
void RowOf(long long i, long long& point, long long& ts, double& value) {
  point = 1 + (i / 50) % kPoints;
  ts = kStartSeconds * 1000 + (i % 50 + (i / 50 / kPoints) * 50) * 300'000;
  value = static_cast<double>(i % 100'000);
}

double Sqlite(const std::string& path, long long rows, long long batch) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) Die("open sqlite");
  sqlite3_exec(db,
               "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE IF NOT EXISTS readings (point_id "
               "INTEGER NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL, quality TEXT NOT NULL, batch_id INTEGER "
               "NOT NULL, PRIMARY KEY (point_id, ts)) WITHOUT ROWID;",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO readings VALUES (?, ?, ?, 'N', 1)", -1, &insert, nullptr);
  auto t0 = std::chrono::steady_clock::now();
  for (long long done = 0; done < rows;) {
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    for (long long k = 0; k < batch && done < rows; ++k, ++done) {
      long long point, ts;
      double value;
      RowOf(done, point, ts, value);
      sqlite3_bind_int64(insert, 1, point);
      sqlite3_bind_int64(insert, 2, ts);
      sqlite3_bind_double(insert, 3, value);
      if (sqlite3_step(insert) != SQLITE_DONE) Die(sqlite3_errmsg(db));
      sqlite3_reset(insert);
    }
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  sqlite3_finalize(insert);
  sqlite3_close(db);
  return seconds;
}

double Postgres(const std::string& url, long long rows, long long batch) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) Die(PQerrorMessage(conn));
  PQclear(PQexec(conn,
                 "DROP TABLE IF EXISTS readings_bare; CREATE TABLE readings_bare (point_id BIGINT NOT NULL, ts BIGINT "
                 "NOT NULL, value DOUBLE PRECISION NOT NULL, quality TEXT NOT NULL, batch_id BIGINT NOT NULL, PRIMARY "
                 "KEY (point_id, ts))"));
  auto t0 = std::chrono::steady_clock::now();
  std::string buffer;
  for (long long done = 0; done < rows;) {
    PQclear(PQexec(conn, "BEGIN"));
    PGresult* r = PQexec(conn, "COPY readings_bare FROM STDIN");
    if (PQresultStatus(r) != PGRES_COPY_IN) Die(PQerrorMessage(conn));
    PQclear(r);
    buffer.clear();
    for (long long k = 0; k < batch && done < rows; ++k, ++done) {
      long long point, ts;
      double value;
      RowOf(done, point, ts, value);
      buffer += std::to_string(point) + '\t' + std::to_string(ts) + '\t' + std::to_string(value) + "\tN\t1\n";
    }
    if (PQputCopyData(conn, buffer.data(), static_cast<int>(buffer.size())) != 1) Die(PQerrorMessage(conn));
    if (PQputCopyEnd(conn, nullptr) != 1) Die(PQerrorMessage(conn));
    r = PQgetResult(conn);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) Die(PQerrorMessage(conn));
    PQclear(r);
    PQclear(PQexec(conn, "COMMIT"));
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  PQclear(PQexec(conn, "DROP TABLE readings_bare"));
  PQfinish(conn);
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) Die("usage: kiln_store_bare_bench sqlite|postgres PATH|URL ROWS BATCH");
  std::string store = argv[1];
  long long rows = std::atoll(argv[3]), batch = std::atoll(argv[4]);
  double seconds = store == "sqlite" ? Sqlite(argv[2], rows, batch) : Postgres(argv[2], rows, batch);
  std::printf("{\"store\":\"%s\",\"rows\":%lld,\"seconds\":%.3f,\"rows_per_second\":%.0f}\n", store.c_str(), rows,
              seconds, rows / seconds);
  return 0;
}
