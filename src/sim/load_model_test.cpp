#include "sim/load_model.hpp"

#include <gtest/gtest.h>

namespace kiln::sim {
namespace {

PointModel Electricity(bool continuous) {
  return {.point_id = 1,
          .code = "E-01",
          .kind = "register",
          .measures = "electricity",
          .unit = "kWh",
          .interval_s = 300,
          .mean_rate = 10'000,
          .continuous = continuous,
          .seed = 42};
}

TEST(LoadModel, DeterministicForPointAndTime) {
  auto p = Electricity(true);
  auto t = core::ChinaMidnight({2026, 11, 3}) + 3'600'000 * 10;
  EXPECT_EQ(StepAmount(p, t), StepAmount(p, t));
  EXPECT_NE(StepAmount(p, t), StepAmount(p, t + 300'000));
}

TEST(LoadModel, AnUpgradedPlantsEnergyMetersReadLessFromItsCompletionAndItsOutputTheSame) {
  auto p = Electricity(true);
  auto upgraded = p;
  const auto from = core::ChinaMidnight({2026, 8, 1});
  upgraded.improved_from = from;
  upgraded.improved_scale = 0.9;
  const auto before = from - 86'400'000 + 3'600'000 * 10, after = from + 86'400'000 * 3 + 3'600'000 * 10;
  EXPECT_EQ(StepAmount(upgraded, before), StepAmount(p, before));
  EXPECT_NEAR(StepAmount(upgraded, after), StepAmount(p, after) * 0.9, 0.011);
  auto output = upgraded;
  output.measures = "product_output";
  auto plain_output = p;
  plain_output.measures = "product_output";
  EXPECT_EQ(StepAmount(output, after), StepAmount(plain_output, after));
}

TEST(LoadModel, ShiftWorkIdlesAtNightAndWeekends) {
  auto p = Electricity(false);
  auto monday = core::ChinaMidnight({2026, 11, 2});
  double night = 0, day = 0, saturday_day = 0;
  for (int i = 0; i < 12; ++i) {
    night += StepAmount(p, monday + 3 * 3'600'000 + i * 300'000);
    day += StepAmount(p, monday + 10 * 3'600'000 + i * 300'000);
    saturday_day += StepAmount(p, monday + 5 * 86'400'000 + 10 * 3'600'000 + i * 300'000);
  }
  // A maintenance window could fall on these days for some seeds; this seed does not.
  EXPECT_LT(night, day * 0.5);
  EXPECT_LT(saturday_day, day * 0.7);
  EXPECT_NEAR(day / 12, 10'000.0 * 300 / 3600 * 0.95, 10'000.0 * 300 / 3600 * 0.1);
}

TEST(LoadModel, ContinuousProcessIsNearlyFlatButHasShutdowns) {
  auto p = Electricity(true);
  auto start = core::ChinaMidnight({2026, 1, 1});
  int shutdown_days = 0;
  for (int d = 0; d < 91; ++d) {
    if (LoadFactor(p, start + d * 86'400'000LL + 12 * 3'600'000) < 0.1) ++shutdown_days;
  }
  EXPECT_EQ(shutdown_days, 3);
}

TEST(LoadModel, ElectricityRatesScaleWithIndustry) {
  EXPECT_GT(MeanRate("C3216", "electricity", 1000), MeanRate("C2911", "electricity", 1000) * 5);
  EXPECT_TRUE(IsContinuousProcess("C31"));
  EXPECT_FALSE(IsContinuousProcess("C2911"));
}

}  // namespace
}  // namespace kiln::sim
