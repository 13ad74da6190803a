#include "core/consumption.hpp"

#include <gtest/gtest.h>

namespace kiln::core {
namespace {

constexpr std::int64_t kStep = 300'000;  // 5 minutes

std::vector<RegisterSample> Series(std::initializer_list<double> values, UnixMillis start = 0) {
  std::vector<RegisterSample> out;
  UnixMillis ts = start;
  for (double v : values) {
    out.push_back({ts, v});
    ts += kStep;
  }
  return out;
}

RegisterOptions FiveMinutes(std::optional<double> rollover = std::nullopt) {
  return {.interval_s = 300, .rollover = rollover};
}

double CountedTotal(const std::vector<ConsumptionInterval>& intervals) {
  double total = 0;
  for (const auto& iv : intervals) total += iv.counted() ? *iv.amount : 0;
  return total;
}

TEST(Consumption, DifferencesWithExplicitBoundaries) {
  auto out = DifferenceRegister(Series({100, 110, 125}), FiveMinutes());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].start, 0);
  EXPECT_EQ(out[0].end, kStep);
  EXPECT_DOUBLE_EQ(*out[0].amount, 10);
  EXPECT_DOUBLE_EQ(*out[1].amount, 15);
  EXPECT_EQ(out[1].flags, kFlagNone);
}

TEST(Consumption, RolloverAtDeclaredMaximum) {
  auto out = DifferenceRegister(Series({99990, 99998, 6}), FiveMinutes(99999));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].flags, kFlagRollover);
  EXPECT_DOUBLE_EQ(*out[1].amount, 7);  // 1 to the top, 6 from zero
  EXPECT_DOUBLE_EQ(CountedTotal(out), 15);
}

TEST(Consumption, ResetStartsANewBaselineAndIsNotGuessed) {
  auto out = DifferenceRegister(Series({5000, 5010, 3, 13}), FiveMinutes(99999));
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[1].flags, kFlagReset);
  EXPECT_FALSE(out[1].amount.has_value());
  EXPECT_DOUBLE_EQ(*out[2].amount, 10);  // counted from the new baseline
  EXPECT_DOUBLE_EQ(CountedTotal(out), 20);
}

TEST(Consumption, AWrapTheMeterCouldNotHaveRunIsANewMeter) {
  // Near the top (9 705 636 of 9 999 999) and then 20: a wrap would mean 294 383 in five minutes,
  // far beyond the declared 5 506 an hour; a meter replaced by a new one starting near zero.
  auto options = FiveMinutes(9999999);
  options.max_rate_per_hour = 5506;
  auto out = DifferenceRegister(Series({9705611, 9705636, 20}), options);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].flags, kFlagReset);
  EXPECT_FALSE(out[1].amount.has_value());
  // A wrap within the rate stays a wrap.
  auto wrapped = DifferenceRegister(Series({9999900, 9999990, 100}), options);
  EXPECT_EQ(wrapped[1].flags, kFlagRollover);
  EXPECT_DOUBLE_EQ(*wrapped[1].amount, 109);
}

TEST(Consumption, DropWithoutDeclaredRolloverIsAReset) {
  auto out = DifferenceRegister(Series({99990, 99998, 6}), FiveMinutes());
  EXPECT_EQ(out[1].flags, kFlagReset);
}

TEST(Consumption, SmallFallIsNegativeAndVisibleButNotCounted) {
  auto out = DifferenceRegister(Series({1000, 1010, 1008, 1020}), FiveMinutes());
  EXPECT_EQ(out[1].flags, kFlagNegative);
  EXPECT_DOUBLE_EQ(*out[1].amount, -2);
  EXPECT_FALSE(out[1].counted());
  EXPECT_DOUBLE_EQ(CountedTotal(out), 22);
}

TEST(Consumption, GapCarriesItsAmountAcrossTheWholeGap) {
  std::vector<RegisterSample> s = {{0, 100}, {kStep, 110}, {kStep * 5, 150}, {kStep * 6, 160}};
  auto out = DifferenceRegister(s, FiveMinutes());
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[1].flags, kFlagGap);
  EXPECT_EQ(out[1].start, kStep);
  EXPECT_EQ(out[1].end, kStep * 5);
  EXPECT_DOUBLE_EQ(*out[1].amount, 40);
  EXPECT_TRUE(out[1].counted()) << "a gap's amount is real consumption, attributed to the gap";
}

TEST(Consumption, SpikeIsFlaggedAgainstTheMedianRate) {
  auto out = DifferenceRegister(Series({0, 10, 20, 30, 40, 50, 60, 70, 80, 5000, 5010}), FiveMinutes());
  EXPECT_EQ(out[8].flags, kFlagSpike);
  EXPECT_FALSE(out[8].counted());
  EXPECT_EQ(out[9].flags, kFlagNone);
}

TEST(Consumption, FasterThanTheDeclaredMaximumIsImpossible) {
  RegisterOptions options = FiveMinutes();
  options.max_rate_per_hour = 1200;  // at most 100 per 5 minutes
  auto out = DifferenceRegister(Series({0, 90, 290, 380}), options);
  EXPECT_EQ(out[0].flags, kFlagNone);
  EXPECT_EQ(out[1].flags, kFlagImpossible);
  EXPECT_FALSE(out[1].counted());
  EXPECT_DOUBLE_EQ(*out[1].amount, 200) << "kept and visible, only not counted";
  EXPECT_EQ(IntervalFlagsText(out[1].flags), "impossible");
}

TEST(Consumption, FlagNames) {
  EXPECT_EQ(IntervalFlagsText(kFlagGap | kFlagRollover), "gap,rollover");
  EXPECT_EQ(IntervalFlagsText(kFlagNone), "");
}

}  // namespace
}  // namespace kiln::core
