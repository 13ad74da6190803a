// Meter data through the Ingestor on both store backends: idempotency,
// revisions, register intervals under late and out-of-order data, rollups in
// China time, and a rebuild that reproduces live maintenance exactly.

#include <gtest/gtest.h>

#include <cmath>

#include <fmt/format.h>

#include "core/credit_code.hpp"
#include "core/registry_schema.hpp"
#include "ingest/ingestor.hpp"
#include "ingest/write_pipeline.hpp"
#include "storage/migrations.hpp"
#include "registry/registry.hpp"
#include "security/crypto.hpp"
#include "security/machine_auth.hpp"
#include "store_test_support.hpp"

namespace kiln::testing {
namespace {

using core::Record;
using storage::RollupPeriod;

constexpr std::int64_t kFiveMinutes = 300'000;

class IngestStore : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres && !std::getenv("KILN_TEST_PG_URL"))
      GTEST_SKIP() << "KILN_TEST_PG_URL not set";
    test_store_ = TestStore::Open(GetParam());
    ASSERT_TRUE(test_store_);
    LoadReferenceData(store());
    Record e = {{"uscc", core::MakeCreditCode("91", "370102", "MA000001")},
                {"name", std::string("测试钢铁有限公司")},
                {"region", std::string("370102")},
                {"industry", std::string("C31")},
                {"status", std::string("running")},
                {"key_energy_unit", true}};
    auto created = store().CreateRecord(core::EnterpriseSchema(), e, {"t", ""}, 1);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    enterprise_ = storage::AsInt(created->at("id"));
    AddPoint("E-01", "register", 300, 99999.0);
    AddPoint("P-01", "interval", 3600, std::nullopt);
    source_ = {"AKtest", enterprise_};
  }

  void AddPoint(const char* code, const char* kind, std::int64_t interval, std::optional<double> rollover) {
    Record p = {{"enterprise_id", enterprise_}, {"code", std::string(code)},
                {"name", std::string(code)},    {"measures", std::string("electricity")},
                {"unit", std::string("kWh")},   {"kind", std::string(kind)},
                {"interval_s", interval}};
    if (rollover) p["rollover"] = *rollover;
    auto created = store().CreateRecord(core::MeteringPointSchema(), p, {"t", ""}, 1);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    point_ids_[code] = storage::AsInt(created->at("id"));
  }

  storage::Store& store() { return test_store_->store(); }

  ingest::DecodedBatch Batch(const std::string& point, core::UnixMillis start, std::vector<double> values,
                             std::int64_t step = kFiveMinutes) {
    ingest::DecodedBatch b;
    for (size_t i = 0; i < values.size(); ++i) {
      b.readings.push_back({i, std::nullopt, point, start + static_cast<std::int64_t>(i) * step, values[i], "N"});
    }
    return b;
  }

  // Writes a batch and materialises it, as the pipeline does before a reader looks.
  core::Result<ingest::IngestSummary> WriteNow(ingest::Ingestor& ingestor, ingest::DecodedBatch batch) {
    auto summary = ingestor.Write(source_, std::move(batch));
    if (!summary.ok()) return summary;
    if (auto written = ingestor.Materialise(); !written.ok()) return written;
    return summary;
  }

  std::vector<std::string> Snapshot(const std::string& point, RollupPeriod period) {
    auto r = store().Rollups(point_ids_[point], period, 0, std::numeric_limits<std::int64_t>::max());
    EXPECT_TRUE(r.ok());
    std::vector<std::string> out;
    for (const auto& x : *r) {
      out.push_back(fmt::format("{} {:.9f} {} {} {} {} {} {} {}", x.start, x.sum, x.count, x.expected, x.min, x.max,
                                x.first, x.last, x.flagged));
    }
    return out;
  }

  double DaySum(const std::string& point, core::CivilDate day) {
    auto from = core::ChinaMidnight(day);
    auto rollups = store().Rollups(point_ids_[point], RollupPeriod::kDay, from, from + 86'400'000);
    EXPECT_TRUE(rollups.ok());
    return rollups->empty() ? 0 : rollups->front().sum;
  }

  std::unique_ptr<TestStore> test_store_;
  std::int64_t enterprise_ = 0;
  std::map<std::string, std::int64_t> point_ids_;
  ingest::BatchSource source_;
  core::FakeClock clock_{core::ChinaMidnight({2026, 11, 23})};
};

TEST_P(IngestStore, IdenticalResendIsANoOpAndChangesAreRevisions) {
  ingest::Ingestor ingestor(store(), clock_);
  auto start = core::ChinaMidnight({2026, 11, 22});
  auto first = WriteNow(ingestor, Batch("E-01", start, {100, 110, 125}));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->accepted, 3);
  auto again = WriteNow(ingestor, Batch("E-01", start, {100, 110, 125}));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->accepted, 0);
  EXPECT_EQ(again->duplicates, 3);
  auto changed = WriteNow(ingestor, Batch("E-01", start, {100, 112, 125}));
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->revised, 1);
  EXPECT_EQ(changed->duplicates, 2);
  auto readings = store().Readings(point_ids_["E-01"], start, start + 3 * kFiveMinutes);
  ASSERT_TRUE(readings.ok());
  ASSERT_EQ(readings->size(), 3u);
  EXPECT_DOUBLE_EQ(readings->at(1).value, 112);
  EXPECT_DOUBLE_EQ(DaySum("E-01", {2026, 11, 22}), 25);
}

TEST_P(IngestStore, RejectsUnknownPointsFutureTimesAndNegativeRegisters) {
  ingest::Ingestor ingestor(store(), clock_);
  ingest::DecodedBatch b = Batch("E-01", core::ChinaMidnight({2026, 11, 22}), {1, 2});
  b.readings.push_back({2, std::nullopt, "NOPE", core::ChinaMidnight({2026, 11, 22}), 1, "N"});
  b.readings.push_back({3, std::nullopt, "E-01", clock_.Now() + 3'600'000, 5, "N"});
  b.readings.push_back({4, std::nullopt, "E-01", core::ChinaMidnight({2026, 11, 21}), -5, "N"});
  auto summary = WriteNow(ingestor, b);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->accepted, 2);
  ASSERT_EQ(summary->rejected.size(), 3u);
  EXPECT_EQ(summary->rejected[0].code, "unknown_point");
  EXPECT_EQ(summary->rejected[1].code, "future_timestamp");
  EXPECT_EQ(summary->rejected[2].code, "invalid_value");
}

TEST_P(IngestStore, LateAndOutOfOrderDataRecomputesIntervals) {
  ingest::Ingestor ingestor(store(), clock_);
  auto start = core::ChinaMidnight({2026, 11, 22});
  // Samples at 0, 5 and 20 minutes: 5 -> 20 is a gap.
  ingest::DecodedBatch b;
  b.readings = {{0, std::nullopt, "E-01", start, 1000, "N"},
                {1, std::nullopt, "E-01", start + kFiveMinutes, 1010, "N"},
                {2, std::nullopt, "E-01", start + 4 * kFiveMinutes, 1040, "N"}};
  ASSERT_TRUE(WriteNow(ingestor, b).ok());
  auto intervals = store().Intervals(point_ids_["E-01"], start, start + 86'400'000);
  ASSERT_TRUE(intervals.ok());
  ASSERT_EQ(intervals->size(), 2u);
  EXPECT_EQ(intervals->at(1).flags, core::kFlagGap);
  // The missing samples arrive late, in reverse order.
  ASSERT_TRUE(WriteNow(ingestor, Batch("E-01", start + 3 * kFiveMinutes, {1030})).ok());
  ASSERT_TRUE(WriteNow(ingestor, Batch("E-01", start + 2 * kFiveMinutes, {1020})).ok());
  intervals = store().Intervals(point_ids_["E-01"], start, start + 86'400'000);
  ASSERT_TRUE(intervals.ok());
  ASSERT_EQ(intervals->size(), 4u);
  for (const auto& iv : *intervals) {
    EXPECT_EQ(iv.flags, core::kFlagNone);
    EXPECT_DOUBLE_EQ(*iv.amount, 10);
  }
  EXPECT_DOUBLE_EQ(DaySum("E-01", {2026, 11, 22}), 40);
}

TEST_P(IngestStore, RolloverResetAndChinaDayBoundaries) {
  ingest::Ingestor ingestor(store(), clock_);
  // 23:50 and 23:55 CST on the 21st, then 00:00 .. on the 22nd; a rollover at 99999, then a reset.
  auto start = core::ChinaMidnight({2026, 11, 22}) - 2 * kFiveMinutes;
  ASSERT_TRUE(WriteNow(ingestor, Batch("E-01", start, {99980, 99990, 5, 15, 2, 12})).ok());
  EXPECT_DOUBLE_EQ(DaySum("E-01", {2026, 11, 21}), 10 + 14)
      << "23:50-23:55 and 23:55-00:00 (rollover) start on the 21st";
  EXPECT_DOUBLE_EQ(DaySum("E-01", {2026, 11, 22}), 10 + 10) << "the reset interval is kept out of the total";
  auto day = store().Rollups(point_ids_["E-01"], RollupPeriod::kDay, core::ChinaMidnight({2026, 11, 22}),
                             core::ChinaMidnight({2026, 11, 23}));
  ASSERT_TRUE(day.ok());
  ASSERT_EQ(day->size(), 1u);
  EXPECT_EQ(day->front().count, 4);
  EXPECT_EQ(day->front().expected, 288);
  EXPECT_EQ(day->front().flagged, 1);
}

TEST_P(IngestStore, IntervalPointsSumAndMonthRollups) {
  ingest::Ingestor ingestor(store(), clock_);
  auto start = core::ChinaMidnight({2026, 10, 31}) + 22 * 3'600'000;  // 22:00 CST on 31 October
  ASSERT_TRUE(WriteNow(ingestor, Batch("P-01", start, {5, 6, 7, 8}, 3'600'000)).ok());
  auto october = store().Rollups(point_ids_["P-01"], RollupPeriod::kMonth, core::ChinaMidnight({2026, 10, 1}),
                                 core::ChinaMidnight({2026, 12, 1}));
  ASSERT_TRUE(october.ok());
  ASSERT_EQ(october->size(), 2u);
  EXPECT_DOUBLE_EQ(october->at(0).sum, 11);  // 22:00 and 23:00 on the 31st
  EXPECT_DOUBLE_EQ(october->at(1).sum, 15);  // 00:00 and 01:00 on 1 November
  EXPECT_EQ(october->at(0).expected, 31 * 24);
}

TEST_P(IngestStore, RebuildGivesTheSameFiguresAsLiveMaintenance) {
  ingest::Ingestor ingestor(store(), clock_);
  auto start = core::ChinaMidnight({2026, 11, 20});
  std::vector<double> register_values;
  double v = 99000;
  for (int i = 0; i < 600; ++i) {
    v += 3 + (i % 7);
    if (v > 99999) v -= 99999;
    register_values.push_back(v);
  }
  // Delivered in shuffled chunks, some late, with a resend.
  for (int chunk : {3, 0, 5, 1, 4, 2, 3}) {
    std::vector<double> part(register_values.begin() + chunk * 100, register_values.begin() + chunk * 100 + 100);
    ASSERT_TRUE(WriteNow(ingestor, Batch("E-01", start + chunk * 100 * kFiveMinutes, part)).ok());
  }
  auto snapshot = [&](RollupPeriod period) {
    auto r = store().Rollups(point_ids_["E-01"], period, 0, std::numeric_limits<std::int64_t>::max());
    EXPECT_TRUE(r.ok());
    std::vector<std::string> out;
    for (const auto& x : *r) {
      out.push_back(
          fmt::format("{} {:.6f} {} {} {} {} {}", x.start, x.sum, x.count, x.expected, x.min, x.max, x.flagged));
    }
    return out;
  };
  auto hours = snapshot(RollupPeriod::kHour), days = snapshot(RollupPeriod::kDay),
       months = snapshot(RollupPeriod::kMonth);
  ASSERT_FALSE(hours.empty());
  ASSERT_TRUE(ingestor.RebuildAll(nullptr).ok());
  EXPECT_EQ(snapshot(RollupPeriod::kHour), hours);
  EXPECT_EQ(snapshot(RollupPeriod::kDay), days);
  EXPECT_EQ(snapshot(RollupPeriod::kMonth), months);
  double total = 0;
  for (const auto& d : store().Rollups(point_ids_["E-01"], RollupPeriod::kDay, 0, INT64_MAX).value()) total += d.sum;
  double expected = 0;
  for (int i = 1; i < 600; ++i) expected += 3 + (i % 7);
  EXPECT_NEAR(total, expected, 1e-6) << "every interval counted once, rollovers included";
}

TEST_P(IngestStore, AcknowledgedReadingsSurviveACrashBeforeTheyAreWritten) {
  // Across a China month boundary, with a rollover, in batches that arrive in time order.
  auto start = core::ChinaMidnight({2026, 10, 31}) + 22 * 3'600'000;
  std::vector<double> values;
  values.reserve(60);
  for (int i = 0; i < 60; ++i) values.push_back(std::fmod(99'000 + i * 37.5, 99'999.0));
  {
    ingest::Ingestor ingestor(store(), clock_);
    for (int b = 0; b < 6; ++b) {
      std::vector<double> part(values.begin() + b * 10, values.begin() + b * 10 + 10);
      auto summary = ingestor.Write(source_, Batch("E-01", start + b * 10 * kFiveMinutes, part));
      ASSERT_TRUE(summary.ok()) << summary.status().ToString();
      EXPECT_EQ(summary->accepted, 10);
    }
    ASSERT_TRUE(ingestor.Write(source_, Batch("P-01", start, {5, 6, 7, 8}, 3'600'000)).ok());
    EXPECT_EQ(ingestor.pending(), 64u);
    EXPECT_EQ(store().CountReadings().value(), 0) << "acknowledged, journaled, not yet in blocks";
  }  // the process ends without materialising
  ingest::Ingestor restarted(store(), clock_);
  ASSERT_TRUE(restarted.Recover().ok());
  EXPECT_EQ(store().CountReadings().value(), 64);
  auto hours = Snapshot("E-01", RollupPeriod::kHour), days = Snapshot("E-01", RollupPeriod::kDay),
       months = Snapshot("E-01", RollupPeriod::kMonth), interval_hours = Snapshot("P-01", RollupPeriod::kHour);
  EXPECT_EQ(months.size(), 2u) << "October and November (CST)";
  EXPECT_EQ(days.size(), 2u);
  // Recovering again finds nothing more to do; an identical resend is a duplicate.
  ASSERT_TRUE(restarted.Recover().ok());
  EXPECT_EQ(store().CountReadings().value(), 64);
  auto again = WriteNow(restarted, Batch("E-01", start, std::vector<double>(values.begin(), values.begin() + 10)));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->duplicates, 10);
  ASSERT_TRUE(restarted.RebuildAll(nullptr).ok());
  EXPECT_EQ(Snapshot("E-01", RollupPeriod::kHour), hours);
  EXPECT_EQ(Snapshot("E-01", RollupPeriod::kDay), days);
  EXPECT_EQ(Snapshot("E-01", RollupPeriod::kMonth), months);
  EXPECT_EQ(Snapshot("P-01", RollupPeriod::kHour), interval_hours);
  auto intervals = store().Intervals(point_ids_["E-01"], 0, INT64_MAX);
  ASSERT_TRUE(intervals.ok());
  ASSERT_EQ(intervals->size(), 59u);
  int rollovers = 0;
  for (const auto& iv : *intervals) rollovers += (iv.flags & core::kFlagRollover) ? 1 : 0;
  EXPECT_EQ(rollovers, 1);
}

TEST_P(IngestStore, InOrderBatchesGiveTheFiguresOfARebuildWhenWrittenAtAnyPoint) {
  auto start = core::ChinaMidnight({2026, 11, 20}) - 2 * 3'600'000;
  ingest::Ingestor ingestor(store(), clock_);
  for (int b = 0; b < 40; ++b) {
    std::vector<double> part;
    part.reserve(7);
    for (int i = 0; i < 7; ++i) part.push_back(1000 + (b * 7 + i) * 12.5 + ((b * 7 + i) % 5));
    ASSERT_TRUE(ingestor.Write(source_, Batch("E-01", start + b * 7 * kFiveMinutes, part)).ok());
    if (b % 3 == 0) ASSERT_TRUE(ingestor.Materialise().ok());  // written mid-hour, mid-day
  }
  ASSERT_TRUE(ingestor.Materialise().ok());
  auto hours = Snapshot("E-01", RollupPeriod::kHour), days = Snapshot("E-01", RollupPeriod::kDay),
       months = Snapshot("E-01", RollupPeriod::kMonth);
  EXPECT_EQ(store().CountReadings().value(), 280);
  EXPECT_EQ(days.size(), 2u);
  ASSERT_TRUE(ingestor.RebuildAll(nullptr).ok());
  EXPECT_EQ(Snapshot("E-01", RollupPeriod::kHour), hours);
  EXPECT_EQ(Snapshot("E-01", RollupPeriod::kDay), days);
  EXPECT_EQ(Snapshot("E-01", RollupPeriod::kMonth), months);
}

TEST_P(IngestStore, Migration13MovesPerReadingRowsIntoBlocks) {
  // Puts the store back in its shape before migration 13, with readings and
  // intervals one row each and an hour rollup among the others, as earlier
  // versions stored them.
  auto opened = GetParam() == Backend::kSqlite
                    ? storage::OpenSqlite({.path = test_store_->options().data_dir + "/kiln.db"})
                    : storage::OpenPostgres({.url = test_store_->options().db_url, .pool_size = 1});
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  auto dialect = (*opened)->dialect();
  {
    auto conn = (*opened)->Writer();
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE((*conn)
                    ->ExecScript(storage::RenderMigration(R"SQL(
DROP TABLE reading_blocks;
DROP TABLE ingest_journal;
DELETE FROM schema_migrations WHERE version = 13;
CREATE TABLE readings (point_id {{INT}} NOT NULL, ts {{INT}} NOT NULL, value {{REAL}} NOT NULL, quality TEXT NOT NULL,
  batch_id {{INT}} NOT NULL, PRIMARY KEY (point_id, ts)){{WITHOUT_ROWID}};
CREATE TABLE point_intervals (point_id {{INT}} NOT NULL, end_ts {{INT}} NOT NULL, start_ts {{INT}} NOT NULL,
  amount {{REAL}}, flags {{INT}} NOT NULL, PRIMARY KEY (point_id, end_ts)){{WITHOUT_ROWID}};
)SQL",
                                                          dialect))
                    .ok());
    auto point = point_ids_["E-01"];
    auto t0 = core::ChinaMidnight({2026, 11, 22});
    for (auto [ts, v] : std::vector<std::pair<core::UnixMillis, double>>{
             {t0, 100}, {t0 + kFiveMinutes, 110}, {t0 + 2 * kFiveMinutes, 5}}) {
      ASSERT_TRUE((*conn)
                      ->Exec("INSERT INTO readings (point_id, ts, value, quality, batch_id) VALUES (?, ?, ?, 'N', 1)",
                             {point, ts, v})
                      .ok());
    }
    ASSERT_TRUE((*conn)
                    ->Exec("INSERT INTO point_intervals (point_id, end_ts, start_ts, amount, flags) VALUES "
                           "(?, ?, ?, 10.0, 0), (?, ?, ?, NULL, ?)",
                           {point, t0 + kFiveMinutes, t0, point, t0 + 2 * kFiveMinutes, t0 + kFiveMinutes,
                            std::int64_t{core::kFlagReset}})
                    .ok());
    ASSERT_TRUE((*conn)
                    ->Exec("INSERT INTO point_rollups (point_id, period, start_ts, sum, count, expected, min, max, "
                           "first, last, flagged) VALUES (?, 'hour', ?, 10.0, 3, 12, 5.0, 110.0, 100.0, 5.0, 1)",
                           {point, t0})
                    .ok());
  }
  auto reopened = storage::OpenStore(test_store_->options());  // migrates
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  auto& store = **reopened;
  auto t0 = core::ChinaMidnight({2026, 11, 22});
  auto readings = store.Readings(point_ids_["E-01"], t0, t0 + 3'600'000);
  ASSERT_TRUE(readings.ok()) << readings.status().ToString();
  ASSERT_EQ(readings->size(), 3u);
  EXPECT_EQ(readings->at(1).value, 110);
  auto intervals = store.Intervals(point_ids_["E-01"], t0, t0 + 3'600'000);
  ASSERT_TRUE(intervals.ok());
  ASSERT_EQ(intervals->size(), 2u);
  EXPECT_EQ(*intervals->at(0).amount, 10);
  EXPECT_FALSE(intervals->at(1).amount);
  EXPECT_EQ(intervals->at(1).flags, core::kFlagReset);
  auto hours = store.Rollups(point_ids_["E-01"], RollupPeriod::kHour, t0, t0 + 3'600'000);
  ASSERT_TRUE(hours.ok());
  ASSERT_EQ(hours->size(), 1u) << "the hour rollup moved into the block's row";
  EXPECT_EQ(hours->front().sum, 10);
  EXPECT_EQ(hours->front().count, 3);
  EXPECT_EQ(store.CountReadings().value(), 3);
}

TEST_P(IngestStore, PipelineCommitsGroupsAndRefusesWhenFull) {
  ingest::Ingestor ingestor(store(), clock_);
  ingest::WritePipeline pipeline(ingestor, {.queue_capacity = 64, .max_group = 8});
  std::vector<std::thread> threads;
  threads.reserve(8);
  std::atomic<int> accepted{0};
  auto start = core::ChinaMidnight({2026, 11, 22});
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      auto r =
          pipeline.Submit(source_, Batch("E-01", start + t * 10 * kFiveMinutes, std::vector<double>(10, 100.0 + t)));
      if (r.ok()) accepted += r->accepted;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(accepted.load(), 80);
  ASSERT_TRUE(pipeline.Sync().ok());
  auto count = store().CountReadings();
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 80);
}

TEST_P(IngestStore, SignedRequestsVerifyAndRefuseReplays) {
  core::FakeClock clock(1'790'000'000'000);
  security::MachineAuth auth(store(), clock);
  auto key = auth.Issue(enterprise_, "tester");
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  std::string body = R"({"readings":[]})";
  auto header = security::SignRequest(key->key_id, key->secret, "POST", "/api/v1/readings", 1'790'000'000,
                                      "0123456789abcdef", body);
  auto ok = auth.Verify("POST", "/api/v1/readings", header, body);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->enterprise_id, enterprise_);
  EXPECT_EQ(auth.Verify("POST", "/api/v1/readings", header, body).status().reason(), "nonce_reused");
  auto other_body = security::SignRequest(key->key_id, key->secret, "POST", "/api/v1/readings", 1'790'000'000,
                                          "0123456789abcdee", body);
  EXPECT_EQ(auth.Verify("POST", "/api/v1/readings", other_body, body + " ").status().reason(), "bad_signature");
  auto stale = security::SignRequest(key->key_id, key->secret, "POST", "/api/v1/readings", 1'790'000'000 - 301,
                                     "0123456789abcded", body);
  EXPECT_EQ(auth.Verify("POST", "/api/v1/readings", stale, body).status().reason(), "stale_timestamp");
  ASSERT_TRUE(store().RevokeMachineKey(key->key_id).ok());
  auto revoked = security::SignRequest(key->key_id, key->secret, "POST", "/api/v1/readings", 1'790'000'000,
                                       "0123456789abcdec", body);
  EXPECT_EQ(auth.Verify("POST", "/api/v1/readings", revoked, body).status().reason(), "unknown_key");
}

TEST_P(IngestStore, EnergyTotalsCountMainMetersOnlyByCountyIndustryAndEnterprise) {
  AddPoint("E-02", "register", 300, 99999.0);
  Record sub_meter = {{"in_total", false}};
  ASSERT_TRUE(store().UpdateRecord(core::MeteringPointSchema(), point_ids_["E-02"], sub_meter, {"t", ""}, 2).ok());
  ingest::Ingestor ingestor(store(), clock_);
  auto start = core::ChinaMidnight({2026, 11, 22});
  ASSERT_TRUE(WriteNow(ingestor, Batch("E-01", start, {100, 110, 130, 160})).ok());
  ASSERT_TRUE(WriteNow(ingestor, Batch("E-02", start, {10, 15, 20, 25})).ok());
  storage::EnergyQuery q{.group_by = "region",
                         .region_prefix = "37",
                         .energy_type = "electricity",
                         .step = "month",
                         .from = core::ChinaMidnight({2026, 11, 1}),
                         .to = core::ChinaMidnight({2026, 12, 1}),
                         .group_key_length = 4};
  auto by_city = store().EnergyTotals(q);
  ASSERT_TRUE(by_city.ok()) << by_city.status().ToString();
  ASSERT_EQ(by_city->size(), 1u);
  EXPECT_EQ(by_city->front().group, "3701");
  EXPECT_DOUBLE_EQ(by_city->front().amount, 60) << "the sub-meter E-02 is not added to the main meter";
  q.step = "day";
  q.group_by = "enterprise";
  auto by_enterprise = store().EnergyTotals(q);
  ASSERT_TRUE(by_enterprise.ok()) << by_enterprise.status().ToString();
  ASSERT_EQ(by_enterprise->size(), 1u);
  EXPECT_EQ(by_enterprise->front().group, std::to_string(enterprise_));
  EXPECT_DOUBLE_EQ(by_enterprise->front().amount, 60);
  q.group_by = "industry";
  q.step = "month";
  q.region_prefix = "3702";
  auto elsewhere = store().EnergyTotals(q);
  ASSERT_TRUE(elsewhere.ok());
  EXPECT_TRUE(elsewhere->empty());
  // A late correction flows up to every total.
  ASSERT_TRUE(WriteNow(ingestor, Batch("E-01", start + 4 * kFiveMinutes, {200})).ok());
  q.region_prefix = "37";
  auto industry = store().EnergyTotals(q);
  ASSERT_TRUE(industry.ok());
  ASSERT_EQ(industry->size(), 1u);
  EXPECT_EQ(industry->front().group, "C31");
  EXPECT_DOUBLE_EQ(industry->front().amount, 100);
}

TEST_P(IngestStore, CountyTotalsFollowAnEnterpriseThatMoves) {
  ingest::Ingestor ingestor(store(), clock_);
  auto start = core::ChinaMidnight({2026, 11, 22});
  ASSERT_TRUE(WriteNow(ingestor, Batch("E-01", start, {100, 150})).ok());
  core::FakeClock clock(1);
  security::AuditLog audit(store(), clock);
  registry::Registry registry(store(), clock, audit);
  security::Principal province{.user_id = 1,
                               .username = "p",
                               .role = "province",
                               .region = "370000",
                               .permissions = security::RolePermissions("province")};
  auto moved =
      registry.Update({province, ""}, registry::Kind::kEnterprise, enterprise_, nlohmann::json{{"region", "370202"}});
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  storage::EnergyQuery q{.group_by = "region",
                         .region_prefix = "37",
                         .energy_type = "electricity",
                         .step = "month",
                         .from = core::ChinaMidnight({2026, 11, 1}),
                         .to = core::ChinaMidnight({2026, 12, 1}),
                         .group_key_length = 6};
  auto by_county = store().EnergyTotals(q);
  ASSERT_TRUE(by_county.ok());
  std::map<std::string, double> totals;
  for (const auto& r : *by_county) totals[r.group] += r.amount;
  EXPECT_DOUBLE_EQ(totals["370202"], 50);
  EXPECT_DOUBLE_EQ(totals["370102"], 0) << "nothing is left behind in the old county";
}

INSTANTIATE_TEST_SUITE_P(Backends, IngestStore, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& info) { return BackendName(info.param); });

}  // namespace
}  // namespace kiln::testing
