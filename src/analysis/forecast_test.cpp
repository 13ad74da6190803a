#include "analysis/forecast.hpp"

#include <gtest/gtest.h>

namespace kiln::analysis {
namespace {

MonthlySeries Series(std::initializer_list<double> values) {
  MonthlySeries s;
  int m = 0;
  for (double v : values) s[m++] = v;
  return s;
}

const MonthlySeries kLastYear = Series({9, 10, 10, 11, 12, 14, 15, 15, 12, 11, 10, 11});  // 140

TEST(Forecast, LastYearsProfileScaledByTheYearToDate) {
  // Hand computation: year to date 10 + 12 + 11 = 33 against 9 + 10 + 10 = 29 last year, ratio 33/29;
  // the rest of last year (140 - 29 = 111) scaled: 111 x 33/29 = 126.3103; the year 159.3103.
  auto f = ForecastYearEnd(Series({10, 12, 11}), kLastYear, 3, 0.05, 100);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->method, "seasonal");
  EXPECT_DOUBLE_EQ(f->year_to_date, 33);
  EXPECT_NEAR(f->ratio, 1.137931, 1e-6);
  EXPECT_NEAR(f->forecast, 159.3103, 1e-4);
  EXPECT_NEAR(f->low, 159.3103 * 0.95, 1e-3);
  EXPECT_NEAR(f->high, 159.3103 * 1.05, 1e-3);
  EXPECT_NEAR(f->projected[3], 11 * 33.0 / 29, 1e-9);
  // Running totals: 33, 45.52, 59.17, 75.10, 92.17, 109.24 (August) passes 100.
  EXPECT_EQ(f->crossing_month, 8);
}

TEST(Forecast, WithoutLastYearTheMonthsSoFarContinueAtTheirAverage) {
  MonthlySeries none;
  auto f = ForecastYearEnd(Series({10, 12, 11}), none, 3, 0.1, 200);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->method, "run_rate");
  EXPECT_DOUBLE_EQ(f->forecast, 132);
  EXPECT_FALSE(f->crossing_month);
  EXPECT_FALSE(ForecastYearEnd(none, kLastYear, 0, 0.1));
}

TEST(Forecast, AKnownMonthWithoutFiguresIsEstimatedNotCountedAsZero) {
  // February is missing: the ratio is over January and March, (10 + 11) / (9 + 10) = 21/19; February is
  // estimated as 10 x 21/19 and so is the rest of the year: 21 + (140 - 19) x 21/19 = 154.7368.
  MonthlySeries partial = Series({10, 12, 11});
  partial[1].reset();
  auto f = ForecastYearEnd(partial, kLastYear, 3, 0.05);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->months_missing, 1);
  EXPECT_DOUBLE_EQ(f->year_to_date, 21);
  EXPECT_NEAR(f->projected[1], 10 * 21.0 / 19, 1e-9);
  EXPECT_NEAR(f->forecast, 154.7368, 1e-4);
  MonthlySeries none;
  EXPECT_FALSE(ForecastYearEnd(none, kLastYear, 3, 0.05));  // known months, none with figures
  auto run = ForecastYearEnd(partial, none, 3, 0.05);
  ASSERT_TRUE(run);
  EXPECT_DOUBLE_EQ(run->forecast, 10.5 * 12);
}

TEST(Forecast, AYearThatGrewEvenlyIsForecastExactlyAndTheBandComesFromTheBackTest) {
  MonthlySeries grown;
  for (int m = 0; m < 12; ++m) grown[m] = *kLastYear[m] * 1.1;
  auto errors = BackTestErrors(grown, kLastYear);
  for (int k = 1; k <= 11; ++k) {
    ASSERT_TRUE(errors[k]);
    EXPECT_NEAR(*errors[k], 0, 1e-12);
  }
  EXPECT_DOUBLE_EQ(ForecastBand({errors}, 6), 0.02);  // the floor
  // Errors of 1 %, 3 %, ..., 19 % over ten regions: the band is the 90th percentile, 17 %.
  std::vector<std::array<std::optional<double>, 12>> spread(10);
  for (int i = 0; i < 10; ++i) spread[i][4] = (i % 2 ? -1 : 1) * (0.01 + 0.02 * i);
  EXPECT_NEAR(ForecastBand(spread, 4), 0.17, 1e-12);
  MonthlySeries partial = kLastYear;
  partial[11].reset();
  EXPECT_FALSE(BackTestErrors(partial, kLastYear)[5]);  // an incomplete year says nothing
}

}  // namespace
}  // namespace kiln::analysis
