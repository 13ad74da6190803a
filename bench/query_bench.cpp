// Query latency at province scale. Loads POINTS interval-kind electricity
// meters (10 per enterprise, spread over the province's counties and
// industries) with DAYS of 5-minute data through kiln's own write path
// (Ingestor::WriteGroup: readings, hour/day/month rollups, enterprise and
// county x industry totals), then times, through the Store, the two questions
// officials ask most, next to the same answer computed in the same run from
// the raw readings (every reading block in scope selected by one SQL query,
// decoded and grouped by China month or day):
//   1. a year-to-date county x industry x month electricity total;
//   2. one enterprise's daily series over the loaded days.
// It checks that both ways give the same figures and prints p50/p95 (ms).
// Interval-kind meters make the raw answer a plain SUM of readings, so the
// comparison needs no register differencing.
//
//   kiln_query_bench sqlite DIR | postgres URL   [POINTS] [DAYS] [RUNS] [DATA_DIR]

#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "storage/reading_block.hpp"

#include "core/china_time.hpp"
#include "core/credit_code.hpp"
#include "core/registry_schema.hpp"
#include "ingest/ingestor.hpp"
#include "registry/reference_data.hpp"
#include "storage/store.hpp"

namespace {

using namespace kiln;
using Clock = std::chrono::steady_clock;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "query_bench: %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T Check(core::Result<T> r, const char* what) {
  if (!r.ok()) Die(fmt::format("{}: {}", what, r.status().ToString()));
  return std::move(r).value();
}

void Check(const core::Status& s, const char* what) {
  if (!s.ok()) Die(fmt::format("{}: {}", what, s.ToString()));
}

double Ms(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

struct Percentiles {
  double p50 = 0, p95 = 0;
};

Percentiles Of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  auto at = [&](double q) { return v[std::min(v.size() - 1, static_cast<size_t>(std::lround(q * (v.size() - 1))))]; };
  return {at(0.5), at(0.95)};
}

// Raw answers straight from the readings: (period key -> sum).
class RawQueries {
 public:
  virtual ~RawQueries() = default;
  virtual std::map<std::string, double> CountyIndustryMonths(const std::string& county, const std::string& industry,
                                                             core::UnixMillis from, core::UnixMillis to) = 0;
  virtual std::map<std::string, double> EnterpriseDays(std::int64_t enterprise, core::UnixMillis from,
                                                       core::UnixMillis to) = 0;
};

constexpr const char* kCountySql =
    "SELECT b.data FROM reading_blocks b JOIN metering_points p ON p.id = b.point_id "
    "JOIN enterprises e ON e.id = p.enterprise_id WHERE e.region = {p1} AND e.industry = {p2} "
    "AND p.measures = 'electricity' AND p.in_total = 1 AND b.start_ts >= {p3} AND b.start_ts < {p4}";
constexpr const char* kEnterpriseSql =
    "SELECT b.data FROM reading_blocks b JOIN metering_points p ON p.id = b.point_id "
    "WHERE p.enterprise_id = {p1} AND p.measures = 'electricity' AND p.in_total = 1 "
    "AND b.start_ts >= {p2} AND b.start_ts < {p3}";

// Sums the readings of blocks by China month ("2026-11") or day ("2026-11-24").
class RawSums {
 public:
  explicit RawSums(bool by_month) : by_month_(by_month) {}
  void Add(std::string_view block, core::UnixMillis from, core::UnixMillis to) {
    auto readings = storage::DecodeBlock(block);
    if (!readings.ok()) Die(readings.status().ToString());
    for (const auto& r : *readings) {
      if (r.ts < from || r.ts >= to) continue;
      auto d = core::ChinaDateOf(r.ts);
      auto key = by_month_ ? d.year * 100 + d.month : (d.year * 100 + d.month) * 100 + d.day;
      sums_[key] += r.value;
    }
  }
  std::map<std::string, double> Result() const {
    std::map<std::string, double> out;
    for (const auto& [k, v] : sums_) out[std::to_string(k)] = v;
    return out;
  }

 private:
  bool by_month_;
  std::map<int, double> sums_;
};

class SqliteRaw : public RawQueries {
 public:
  explicit SqliteRaw(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) Die("open " + path);
    county_ = Prepare(fmt::format(fmt::runtime(kCountySql), fmt::arg("p1", "?1"), fmt::arg("p2", "?2"),
                                  fmt::arg("p3", "?3"), fmt::arg("p4", "?4")));
    enterprise_ = Prepare(
        fmt::format(fmt::runtime(kEnterpriseSql), fmt::arg("p1", "?1"), fmt::arg("p2", "?2"), fmt::arg("p3", "?3")));
  }
  ~SqliteRaw() override {
    sqlite3_finalize(county_);
    sqlite3_finalize(enterprise_);
    sqlite3_close(db_);
  }
  std::map<std::string, double> CountyIndustryMonths(const std::string& county, const std::string& industry,
                                                     core::UnixMillis from, core::UnixMillis to) override {
    sqlite3_bind_text(county_, 1, county.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(county_, 2, industry.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(county_, 3, storage::BlockStart(from));
    sqlite3_bind_int64(county_, 4, to);
    return Run(county_, true, from, to);
  }
  std::map<std::string, double> EnterpriseDays(std::int64_t enterprise, core::UnixMillis from,
                                               core::UnixMillis to) override {
    sqlite3_bind_int64(enterprise_, 1, enterprise);
    sqlite3_bind_int64(enterprise_, 2, storage::BlockStart(from));
    sqlite3_bind_int64(enterprise_, 3, to);
    return Run(enterprise_, false, from, to);
  }

 private:
  sqlite3_stmt* Prepare(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) Die(sqlite3_errmsg(db_));
    return s;
  }
  std::map<std::string, double> Run(sqlite3_stmt* s, bool by_month, core::UnixMillis from, core::UnixMillis to) {
    RawSums sums(by_month);
    while (sqlite3_step(s) == SQLITE_ROW) {
      sums.Add({static_cast<const char*>(sqlite3_column_blob(s, 0)), static_cast<size_t>(sqlite3_column_bytes(s, 0))},
               from, to);
    }
    sqlite3_reset(s);
    return sums.Result();
  }
  sqlite3* db_ = nullptr;
  sqlite3_stmt* county_ = nullptr;
  sqlite3_stmt* enterprise_ = nullptr;
};

class PostgresRaw : public RawQueries {
 public:
  explicit PostgresRaw(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) Die(PQerrorMessage(conn_));
    county_sql_ = fmt::format(fmt::runtime(kCountySql), fmt::arg("p1", "$1"), fmt::arg("p2", "$2"),
                              fmt::arg("p3", "$3::bigint"), fmt::arg("p4", "$4::bigint"));
    enterprise_sql_ = fmt::format(fmt::runtime(kEnterpriseSql), fmt::arg("p1", "$1::bigint"),
                                  fmt::arg("p2", "$2::bigint"), fmt::arg("p3", "$3::bigint"));
  }
  ~PostgresRaw() override { PQfinish(conn_); }
  std::map<std::string, double> CountyIndustryMonths(const std::string& county, const std::string& industry,
                                                     core::UnixMillis from, core::UnixMillis to) override {
    return Run(county_sql_, {county, industry, std::to_string(storage::BlockStart(from)), std::to_string(to)}, true,
               from, to);
  }
  std::map<std::string, double> EnterpriseDays(std::int64_t enterprise, core::UnixMillis from,
                                               core::UnixMillis to) override {
    return Run(enterprise_sql_,
               {std::to_string(enterprise), std::to_string(storage::BlockStart(from)), std::to_string(to)}, false, from,
               to);
  }

 private:
  std::map<std::string, double> Run(const std::string& sql, const std::vector<std::string>& params, bool by_month,
                                    core::UnixMillis from, core::UnixMillis to) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p.c_str());
    PGresult* r = PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                               nullptr, 1);  // binary results: the blocks' bytes as they are
    if (PQresultStatus(r) != PGRES_TUPLES_OK) Die(PQerrorMessage(conn_));
    RawSums sums(by_month);
    for (int i = 0; i < PQntuples(r); ++i) {
      sums.Add({PQgetvalue(r, i, 0), static_cast<size_t>(PQgetlength(r, i, 0))}, from, to);
    }
    PQclear(r);
    return sums.Result();
  }
  PGconn* conn_;
  std::string county_sql_, enterprise_sql_;
};

double Total(const std::map<std::string, double>& m) {
  double t = 0;
  for (const auto& [k, v] : m) t += v;
  return t;
}

double Total(const std::vector<storage::EnergyRow>& rows) {
  double t = 0;
  for (const auto& r : rows) t += r.amount;
  return t;
}

}  // namespace

int main(int argc, char** argv) {  // NOLINT(bugprone-exception-escape): a failed benchmark may end with an exception
  if (argc < 3) Die("usage: kiln_query_bench sqlite DIR | postgres URL  [POINTS] [DAYS] [RUNS] [DATA_DIR]");
  const std::string backend = argv[1], where = argv[2];
  const int points = argc > 3 ? std::atoi(argv[3]) : 20000;
  const int days = argc > 4 ? std::atoi(argv[4]) : 30;
  const int runs = argc > 5 ? std::atoi(argv[5]) : 100;
  const std::string data_dir = argc > 6 ? argv[6] : "data";
  constexpr int kPointsPerEnterprise = 10;
  constexpr int kStepS = 300;

  storage::StoreOptions options;
  if (backend == "sqlite")
    options.data_dir = where;
  else if (backend == "postgres")
    options.db_url = where;
  else
    Die("backend must be sqlite or postgres");
  auto store = Check(storage::OpenStore(options), "open store");
  Check(registry::LoadReferenceData(*store, data_dir), "load reference data");

  // Enterprises round-robin over counties and industries, so every county x industry pair has a few.
  std::vector<storage::Region> counties;
  for (auto& r : Check(store->ListRegions(), "regions")) {
    if (r.level == "county") counties.push_back(r);
  }
  auto industries = Check(store->ListIndustries(), "industries");
  const int enterprise_count = points / kPointsPerEnterprise;
  core::SystemClock clock;
  const auto now = clock.Now();
  std::vector<core::Record> enterprises;
  std::mt19937_64 rng(2026);
  for (int i = 0; i < enterprise_count; ++i) {
    const auto& county = counties[(i / 3) % counties.size()];
    std::string body = fmt::format("MB{:06}", i);
    enterprises.push_back({{"uscc", core::MakeCreditCode("91", county.code, body)},
                           {"name", fmt::format("基准测试企业{:05}", i)},
                           {"region", county.code},
                           {"industry", industries[i % 3].code},
                           {"status", std::string("running")},
                           {"key_energy_unit", true}});
  }
  storage::Actor actor{"query_bench", "127.0.0.1"};
  auto t_registry = Clock::now();
  auto enterprise_ids = Check(store->CreateRecords(core::EnterpriseSchema(), enterprises, actor, now), "enterprises");
  std::vector<core::Record> meters;
  for (auto id : enterprise_ids) {
    for (int k = 0; k < kPointsPerEnterprise; ++k) {
      meters.push_back({{"enterprise_id", id},
                        {"code", fmt::format("E-{:02}", k + 1)},
                        {"name", fmt::format("{}号进线", k + 1)},
                        {"measures", std::string("electricity")},
                        {"unit", std::string("kWh")},
                        {"kind", std::string("interval")},
                        {"interval_s", static_cast<std::int64_t>(kStepS)}});
    }
  }
  Check(store->CreateRecords(core::MeteringPointSchema(), meters, actor, now), "points");
  std::fprintf(stderr, "registry: %d enterprises, %zu points in %.1f s\n", enterprise_count, meters.size(),
               Ms(t_registry) / 1000);

  // Whole China days ending yesterday, one enterprise-day per batch, eight batches per transaction.
  ingest::Ingestor ingestor(*store, clock);
  const auto today = core::ChinaMidnight(core::ChinaDateOf(now));
  const auto first_day = today - static_cast<core::UnixMillis>(days) * 86'400'000;
  std::uniform_real_distribution<double> noise(0.8, 1.2);
  auto t_load = Clock::now();
  long long loaded = 0;
  for (int d = 0; d < days; ++d) {
    const auto day = first_day + static_cast<core::UnixMillis>(d) * 86'400'000;
    std::vector<core::Result<ingest::PreparedBatch>> group;
    auto flush = [&] {
      for (auto& r : ingestor.WriteGroup(std::move(group))) {
        auto summary = Check(std::move(r), "write");
        if (!summary.rejected.empty()) Die("rejected: " + summary.rejected[0].message);
        loaded += summary.accepted;
      }
      Check(ingestor.SyncCommitted(), "sync");
      if (ingestor.pending() >= 1'000'000) Check(ingestor.Materialise(), "materialise");  // as the pipeline does
      group.clear();
    };
    for (size_t e = 0; e < enterprise_ids.size(); ++e) {
      ingest::DecodedBatch batch;
      for (int k = 0; k < kPointsPerEnterprise; ++k) {
        double base = 50.0 + 40.0 * static_cast<double>((e * 7 + k) % 11);
        for (int s = 0; s < 86400 / kStepS; ++s) {
          ingest::RawReading r;
          r.index = batch.readings.size();
          r.point = fmt::format("E-{:02}", k + 1);
          r.ts = day + static_cast<core::UnixMillis>(s) * kStepS * 1000;
          r.value = std::round(base * noise(rng) * 100) / 100;
          batch.readings.push_back(std::move(r));
        }
      }
      batch.rows = batch.readings.size();
      group.push_back(ingestor.Prepare(ingest::BatchSource{"query-bench", enterprise_ids[e]}, std::move(batch)));
      if (group.size() == 8) flush();
    }
    if (!group.empty()) flush();
    Check(ingestor.Materialise(), "materialise");
    std::fprintf(stderr, "loaded day %d/%d: %lld readings, %.0f readings/s\n", d + 1, days, loaded,
                 loaded / (Ms(t_load) / 1000));
  }
  const double load_s = Ms(t_load) / 1000;

  std::unique_ptr<RawQueries> raw;
  if (backend == "sqlite")
    raw = std::make_unique<SqliteRaw>(where + "/kiln.db");
  else
    raw = std::make_unique<PostgresRaw>(where);

  // Question 1: year to date, county x industry x month. Question 2: one enterprise, each day.
  const auto year_start = core::ChinaMidnight({core::ChinaDateOf(now).year, 1, 1});
  std::vector<double> kiln_county, raw_county, kiln_enterprise, raw_enterprise;
  int disagreements = 0;
  auto agree = [&](double a, double b) {
    if (std::abs(a - b) > 1e-6 * std::max(1.0, std::abs(b))) ++disagreements;
  };
  std::uniform_int_distribution<size_t> pick(0, enterprise_ids.size() - 1);
  const int raw_runs = std::max(5, runs / 5);  // the raw answers are slow; fewer runs give stable enough figures
  for (int i = 0; i < runs; ++i) {
    size_t e = pick(rng);
    const auto& county = std::get<std::string>(enterprises[e]["region"]);
    const auto& industry = std::get<std::string>(enterprises[e]["industry"]);
    storage::EnergyQuery q{.group_by = "region",
                           .region_prefix = county,
                           .industry = industry,
                           .energy_type = "electricity",
                           .step = "month",
                           .from = year_start,
                           .to = now,
                           .group_key_length = 6};
    auto t0 = Clock::now();
    auto months = Check(store->EnergyTotals(q), "county totals");
    kiln_county.push_back(Ms(t0));
    storage::EnergyQuery eq{.group_by = "enterprise",
                            .region_prefix = "",
                            .enterprise_id = enterprise_ids[e],
                            .energy_type = "electricity",
                            .step = "day",
                            .from = first_day,
                            .to = today};
    t0 = Clock::now();
    auto daily = Check(store->EnergyTotals(eq), "enterprise days");
    kiln_enterprise.push_back(Ms(t0));
    if (i < raw_runs) {
      t0 = Clock::now();
      auto raw_months = raw->CountyIndustryMonths(county, industry, year_start, now);
      raw_county.push_back(Ms(t0));
      t0 = Clock::now();
      auto raw_days = raw->EnterpriseDays(enterprise_ids[e], first_day, today);
      raw_enterprise.push_back(Ms(t0));
      agree(Total(months), Total(raw_months));
      agree(Total(daily), Total(raw_days));
      if (daily.size() != raw_days.size()) ++disagreements;
    }
  }
  auto kc = Of(kiln_county), rc = Of(raw_county), ke = Of(kiln_enterprise), re = Of(raw_enterprise);
  std::printf(
      "{\"store\":\"%s\",\"points\":%zu,\"days\":%d,\"readings\":%lld,\"load_seconds\":%.1f,"
      "\"load_readings_per_second\":%.0f,\"runs\":%d,\"raw_runs\":%d,\"answers_agree\":%s,"
      "\"county_industry_month_ytd_ms\":{\"kiln_p50\":%.2f,\"kiln_p95\":%.2f,\"raw_p50\":%.2f,\"raw_p95\":%.2f},"
      "\"enterprise_daily_ms\":{\"kiln_p50\":%.2f,\"kiln_p95\":%.2f,\"raw_p50\":%.2f,\"raw_p95\":%.2f}}\n",
      backend.c_str(), meters.size(), days, loaded, load_s, loaded / load_s, runs, raw_runs,
      disagreements == 0 ? "true" : "false", kc.p50, kc.p95, rc.p50, rc.p95, ke.p50, ke.p95, re.p50, re.p95);
  return disagreements == 0 ? 0 : 2;
}
