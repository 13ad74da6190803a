#include "warnings/point_checks.hpp"

#include <gtest/gtest.h>

#include "core/china_time.hpp"

namespace kiln::warnings {
namespace {

constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kDay = 86'400'000;
constexpr std::int64_t kFiveMin = 300'000;

Thresholds Defaults() {
  std::vector<storage::Threshold> rows;
  auto add = [&](const char* rule, const char* name, double value) { rows.push_back({rule, name, 1, value}); };
  add("evaluation", "lookback_days", 31);
  add("gap", "min_minutes", 60);
  add("meter_stopped", "silent_hours", 4);
  add("access_end_silent", "silent_hours", 4);
  add("flatline", "min_hours", 6);
  add("flatline", "min_samples", 6);
  add("spike", "profile_days", 14);
  add("spike", "robust_k", 6);
  add("spike", "min_ratio", 1.5);
  add("spike", "interval_factor", 8);
  add("timestamp_drift", "max_offset_s", 60);
  add("timestamp_drift", "min_hours", 3);
  add("day_completeness", "min_pct", 90);
  add("calibration_overdue", "grace_days", 0);
  add("source_mismatch", "tolerance_pct", 5);
  add("source_mismatch", "critical_pct", 20);
  add("cross_quantity", "history_months", 12);
  add("cross_quantity", "min_history_months", 6);
  add("cross_quantity", "unit_use_pct", 30);
  add("cross_quantity", "emission_pct", 40);
  add("cross_quantity", "revenue_pct", 30);
  add("cross_quantity", "capacity_over_pct", 10);
  add("cross_quantity", "industry_margin_pct", 50);
  add("report_late", "grace_days", 0);
  add("daily_data_late", "due_minutes", 570);
  add("daily_data_late", "min_pct", 99);
  add("task_delivery_late", "grace_days", 0);
  add("review_overdue", "grace_days", 0);
  add("violation_due_soon", "warn_days", 15);
  add("violation_overdue", "grace_days", 0);
  add("upgrade_unaccepted", "grace_days", 120);
  add("target_forecast", "approach_pct", 95);
  add("capacity_utilisation_low", "min_pct", 60);
  add("advanced_share_low", "goal_pct", 30);
  auto t = Thresholds::From(rows);
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return *t;
}

storage::PointInfo Point(const char* kind, std::int64_t interval_s) {
  storage::PointInfo p;
  p.id = 7;
  p.enterprise_id = 3;
  p.code = "E-01";
  p.kind = kind;
  p.measures = "electricity";
  p.interval_s = interval_s;
  p.region = "371402";
  p.industry = "3011";
  return p;
}

const core::UnixMillis kStart = core::ChinaMidnight({2026, 10, 1});

// Full hours of 5-minute samples, each interval amount 1 (an hour sums to 12).
std::vector<storage::HourSummary> SteadyHours(int days) {
  std::vector<storage::HourSummary> out;
  for (std::int64_t h = 0; h < days * 24; ++h) {
    auto start = kStart + h * kHour;
    out.push_back({start, start, start + 11 * kFiveMin, 12, 12, 0, 12, 0, 0});
  }
  return out;
}

// Reads that serve one spiky or even hour of 5-minute intervals.
PointReads Intervals(core::UnixMillis hour, const std::vector<double>& amounts) {
  PointReads reads;
  reads.intervals = [hour, amounts](std::int64_t, core::UnixMillis from, core::UnixMillis) {
    std::vector<core::ConsumptionInterval> out;
    if (from != hour) return core::Result<std::vector<core::ConsumptionInterval>>(out);
    for (size_t i = 0; i < amounts.size(); ++i) {
      auto s = hour + static_cast<std::int64_t>(i) * kFiveMin;
      out.push_back({s, s + kFiveMin, amounts[i], core::kFlagNone});
    }
    return core::Result<std::vector<core::ConsumptionInterval>>(out);
  };
  reads.readings = [](std::int64_t, core::UnixMillis, core::UnixMillis) {
    return core::Result<std::vector<storage::StoredReading>>(std::vector<storage::StoredReading>{});
  };
  return reads;
}

std::vector<Finding> Of(const std::vector<Finding>& all, const std::string& rule) {
  std::vector<Finding> out;
  for (const auto& f : all) {
    if (f.rule == rule) out.push_back(f);
  }
  return out;
}

TEST(PointChecks, AHoleOfSixHoursIsOneGapWithItsBoundsAndMissingSamples) {
  auto hours = SteadyHours(3);
  auto hole_from = kStart + 30 * kHour;
  std::erase_if(hours, [&](const auto& h) { return h.start >= hole_from && h.start < hole_from + 6 * kHour; });
  auto found = CheckPoint(Point("register", 300), hours, kStart, Defaults(), Intervals(0, {}));
  ASSERT_TRUE(found.ok());
  auto gaps = Of(*found, "gap");
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_EQ(gaps[0].from, hole_from);
  EXPECT_EQ(gaps[0].to, hole_from + 6 * kHour);
  EXPECT_EQ(gaps[0].evidence["missing_samples"], 72);
  EXPECT_EQ(gaps[0].key, "gap:p7:" + std::to_string(hole_from));
  EXPECT_EQ(gaps[0].point_id, 7);
  EXPECT_EQ(gaps[0].enterprise_id, 3);
}

TEST(PointChecks, ShortHolesAreNotGapsAndOldGapsAreOutsideTheWindow) {
  auto hours = SteadyHours(3);
  hours[10].last_ts -= 2 * kFiveMin;  // two samples missing: completeness, not a gap
  std::erase_if(hours, [&](const auto& h) { return h.start == kStart + 20 * kHour; });  // one hour missing
  auto all = CheckPoint(Point("register", 300), hours, kStart, Defaults(), Intervals(0, {}));
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(Of(*all, "gap").size(), 1u);  // the missing hour (60 minutes and more than two intervals)
  auto later = CheckPoint(Point("register", 300), hours, kStart + 2 * kDay, Defaults(), Intervals(0, {}));
  ASSERT_TRUE(later.ok());
  EXPECT_TRUE(Of(*later, "gap").empty());
}

TEST(PointChecks, AnInstantValueStillForTenHoursIsAFlatLineButNotForFive) {
  auto p = Point("instant", 3600);
  std::vector<storage::HourSummary> hours;
  for (int h = 0; h < 48; ++h) {
    auto start = kStart + h * kHour;
    double v = 40 + (h % 7);
    if (h >= 10 && h < 20) v = 55;  // ten hours flat
    if (h >= 30 && h < 35) v = 61;  // five hours flat
    hours.push_back({start, start, start, 1, 1, 0, v, v, v});
  }
  auto found = CheckPoint(p, hours, kStart, Defaults(), Intervals(0, {}));
  ASSERT_TRUE(found.ok());
  auto flat = Of(*found, "flatline");
  ASSERT_EQ(flat.size(), 1u);
  EXPECT_EQ(flat[0].from, kStart + 10 * kHour);
  EXPECT_EQ(flat[0].to, kStart + 19 * kHour);
  EXPECT_EQ(flat[0].evidence["samples"], 10);
}

TEST(PointChecks, OneAbsurdIntervalIsASpikeButALoadThatRoseForTheHourIsNot) {
  auto hours = SteadyHours(20);
  auto spike_hour = kStart + (18 * 24 + 14) * kHour;
  for (auto& h : hours) {
    if (h.start == spike_hour) h.sum = 42;  // eleven intervals of 1 and one of 31
  }
  std::vector<double> amounts(12, 1.0);
  amounts[5] = 31;
  auto found =
      CheckPoint(Point("register", 300), hours, kStart + 15 * kDay, Defaults(), Intervals(spike_hour, amounts));
  ASSERT_TRUE(found.ok());
  auto spikes = Of(*found, "spike");
  ASSERT_EQ(spikes.size(), 1u);
  EXPECT_EQ(spikes[0].from, spike_hour + 5 * kFiveMin);
  EXPECT_DOUBLE_EQ(spikes[0].evidence["amount"].get<double>(), 31);

  // The same hour amount spread evenly: the load rose, no spike.
  auto even = CheckPoint(Point("register", 300), hours, kStart + 15 * kDay, Defaults(),
                         Intervals(spike_hour, std::vector<double>(12, 3.5)));
  ASSERT_TRUE(even.ok());
  EXPECT_TRUE(Of(*even, "spike").empty());

  // The newest hour is not judged before the next hour is in.
  std::erase_if(hours, [&](const auto& h) { return h.start > spike_hour; });
  auto newest =
      CheckPoint(Point("register", 300), hours, kStart + 15 * kDay, Defaults(), Intervals(spike_hour, amounts));
  ASSERT_TRUE(newest.ok());
  EXPECT_TRUE(Of(*newest, "spike").empty());
}

TEST(PointChecks, ARegisterThatFellIsAResetWithTheValuesAroundIt) {
  auto hours = SteadyHours(2);
  auto hour = kStart + 30 * kHour;
  hours[30].flagged = 1;
  PointReads reads;
  reads.intervals = [&](std::int64_t, core::UnixMillis from, core::UnixMillis) {
    std::vector<core::ConsumptionInterval> out;
    if (from == hour) out.push_back({hour + kFiveMin, hour + 2 * kFiveMin, std::nullopt, core::kFlagReset});
    return core::Result<std::vector<core::ConsumptionInterval>>(out);
  };
  reads.readings = [&](std::int64_t, core::UnixMillis, core::UnixMillis) {
    return core::Result<std::vector<storage::StoredReading>>(
        std::vector<storage::StoredReading>{{hour + kFiveMin, 98765.4, ""}, {hour + 2 * kFiveMin, 20, ""}});
  };
  auto found = CheckPoint(Point("register", 300), hours, kStart, Defaults(), reads);
  ASSERT_TRUE(found.ok());
  auto resets = Of(*found, "register_reset");
  ASSERT_EQ(resets.size(), 1u);
  EXPECT_EQ(resets[0].evidence["before"], 98765.4);
  EXPECT_EQ(resets[0].evidence["after"], 20);
  EXPECT_TRUE(resets[0].evidence["restarted_near_zero"].get<bool>());
}

TEST(PointChecks, AWrapOfManyIntervalsToNearZeroIsANewMeterButAWrapOfOneIsNot) {
  // A register without a declared maximum rate falls from 20,956 below its top to 20: read as a
  // wrap of 20,956, about 20,000 times its usual interval of 1. A new meter.
  auto hours = SteadyHours(2);
  auto hour = kStart + 30 * kHour;
  hours[30].flagged = 1;
  double amount = 20'956;
  PointReads reads;
  reads.intervals = [&](std::int64_t, core::UnixMillis from, core::UnixMillis) {
    std::vector<core::ConsumptionInterval> out;
    if (from == hour) out.push_back({hour + kFiveMin, hour + 2 * kFiveMin, amount, core::kFlagRollover});
    return core::Result<std::vector<core::ConsumptionInterval>>(out);
  };
  reads.readings = [&](std::int64_t, core::UnixMillis, core::UnixMillis) {
    return core::Result<std::vector<storage::StoredReading>>(
        std::vector<storage::StoredReading>{{hour + kFiveMin, 9'979'063.11, ""}, {hour + 2 * kFiveMin, 20, ""}});
  };
  auto found = CheckPoint(Point("register", 300), hours, kStart, Defaults(), reads);
  ASSERT_TRUE(found.ok());
  auto resets = Of(*found, "register_reset");
  ASSERT_EQ(resets.size(), 1u);
  EXPECT_EQ(resets[0].evidence["read_as_wrap_of"], 20'956);
  EXPECT_EQ(resets[0].evidence["typical_interval"], 1);
  EXPECT_TRUE(resets[0].evidence["restarted_near_zero"].get<bool>());
  // A wrap of about one interval (top to 0.5 past zero) is a rollover, nothing to warn of.
  amount = 1.5;
  found = CheckPoint(Point("register", 300), hours, kStart, Defaults(), reads);
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE(Of(*found, "register_reset").empty());
}

TEST(PointChecks, SamplesOffTheGridForHoursAreTimestampDrift) {
  auto hours = SteadyHours(1);
  for (size_t i = hours.size() - 4; i < hours.size(); ++i) {
    hours[i].first_ts += 150'000;  // the access-end's clock runs 150 s fast
    hours[i].last_ts += 150'000;
  }
  auto found = CheckPoint(Point("register", 300), hours, kStart, Defaults(), Intervals(0, {}));
  ASSERT_TRUE(found.ok());
  auto drift = Of(*found, "timestamp_drift");
  ASSERT_EQ(drift.size(), 1u);
  EXPECT_EQ(drift[0].evidence["hours"], 4);
  EXPECT_DOUBLE_EQ(drift[0].evidence["offset_s"].get<double>(), 150);

  for (auto& h : hours) {
    h.first_ts = h.start + 30'000;  // within the allowed minute
    h.last_ts = h.start + 11 * kFiveMin + 30'000;
  }
  auto within = CheckPoint(Point("register", 300), hours, kStart, Defaults(), Intervals(0, {}));
  ASSERT_TRUE(within.ok());
  EXPECT_TRUE(Of(*within, "timestamp_drift").empty());
}

TEST(PointChecks, AShortWindowAfterNewDataFindsWhatTheWholeWindowFindsThere) {
  auto hours = SteadyHours(20);
  auto hole = kStart + (17 * 24 + 3) * kHour;
  std::erase_if(hours, [&](const auto& h) { return h.start >= hole && h.start < hole + 26 * kHour; });
  auto whole = CheckPoint(Point("register", 300), hours, kStart, Defaults(), Intervals(0, {}));
  auto recent = CheckPoint(Point("register", 300), hours, kStart + 18 * kDay, Defaults(), Intervals(0, {}));
  ASSERT_TRUE(whole.ok() && recent.ok());
  ASSERT_EQ(Of(*whole, "gap").size(), 1u);
  ASSERT_EQ(Of(*recent, "gap").size(), 1u);  // it started before the window and ends in it
  EXPECT_EQ(Of(*whole, "gap")[0].key, Of(*recent, "gap")[0].key);
  EXPECT_EQ(Of(*whole, "gap")[0].evidence, Of(*recent, "gap")[0].evidence);
}

}  // namespace
}  // namespace kiln::warnings
