#include "warnings/cross_checks.hpp"

#include <gtest/gtest.h>

namespace kiln::warnings {
namespace {

MonthFigures Month(double electricity, double output) {
  return MonthFigures{.electricity_kwh = electricity, .output_t = output, .product = "水泥熟料"};
}

std::vector<MonthFigures> Steady(int months, double electricity, double output) {
  std::vector<MonthFigures> out;
  out.reserve(static_cast<std::size_t>(months));
  for (int i = 0; i < months; ++i) out.push_back(Month(electricity * (1 + 0.01 * (i % 3)), output));
  return out;
}

const CrossResult* Find(const std::vector<CrossResult>& results, const std::string& model) {
  for (const auto& r : results) {
    if (r.model == model) return &r;
  }
  return nullptr;
}

TEST(CrossChecks, OutputUnderReportedRaisesElectricityPerTonneAgainstTheOwnMedian) {
  // 12 months at 100, 101, 102 kWh/t (median 101); the month: 1,000,000 kWh over 6,000 t = 166.67 kWh/t,
  // 65.0 % above the median: beyond 30 %, and beyond 2 × 30 %: critical.
  auto results = CheckMonth(Month(1'000'000, 6'000), Steady(12, 1'000'000, 10'000), {}, 0, 31, CrossParams{});
  const auto* r = Find(results, "electricity_per_output");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->basis, "own_history");
  EXPECT_EQ(r->history_months, 12);
  EXPECT_NEAR(r->expected, 101, 1e-9);
  EXPECT_NEAR(r->value, 166.6667, 1e-3);
  EXPECT_NEAR(r->pct, 65.016, 1e-3);
  EXPECT_TRUE(r->critical);
}

TEST(CrossChecks, AMonthWithinTheToleranceIsNotFlagged) {
  // 125 kWh/t against a median of 101: 23.8 %, under 30 %.
  auto results = CheckMonth(Month(1'250'000, 10'000), Steady(12, 1'000'000, 10'000), {}, 0, 31, CrossParams{});
  EXPECT_EQ(Find(results, "electricity_per_output"), nullptr);
}

TEST(CrossChecks, ShortHistoryFallsBackToTheIndustryRangeWidenedByTheMargin) {
  // Peers' ratios 80..120: p10 = 84, p90 = 116; widened by 50 %: 56 .. 174. 200 kWh/t is 14.94 % above 174.
  std::vector<double> peers;
  for (int v = 80; v <= 120; v += 5) peers.push_back(v);
  auto range = RangeOf(peers, 5);
  ASSERT_TRUE(range);
  EXPECT_NEAR(range->p10, 84, 1e-9);
  EXPECT_NEAR(range->p90, 116, 1e-9);
  std::vector<std::optional<IndustryRange>> ranges = {range};
  auto results = CheckMonth(Month(2'000'000, 10'000), Steady(3, 1'000'000, 10'000), ranges, 0, 31, CrossParams{});
  const auto* r = Find(results, "electricity_per_output");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->basis, "industry");
  EXPECT_NEAR(r->expected, 174, 1e-9);
  EXPECT_NEAR(r->pct, (200.0 - 174) / 174 * 100, 1e-9);
  // Within the widened range: nothing.
  EXPECT_EQ(Find(CheckMonth(Month(1'600'000, 10'000), {}, ranges, 0, 31, CrossParams{}), "electricity_per_output"),
            nullptr);
  // Too few peers for a range, too little history: nothing to compare with.
  EXPECT_FALSE(RangeOf({100, 110, 120}, 5));
}

TEST(CrossChecks, EmissionsPerTonneOfCoalAndRevenueAgainstOutputTimesPrice) {
  // 1.5 kg SO₂ and 2.0 kg NOx per t of coal; revenue 1.0 × output × price, for 12 months.
  std::vector<MonthFigures> history(
      12,
      {.coal_t = 1'000, .output_t = 5'000, .so2_t = 1.5, .nox_t = 2.0, .revenue_10k = 150, .price_yuan_per_t = 300});
  // SO₂ halved (0.75 kg/t: -50 %, beyond 40 %), NOx 1.7 kg/t (-15 %), revenue 90 of 150 万元 (-40 %).
  MonthFigures month{
      .coal_t = 1'000, .output_t = 5'000, .so2_t = 0.75, .nox_t = 1.7, .revenue_10k = 90, .price_yuan_per_t = 300};
  auto results = CheckMonth(month, history, {}, 0, 30, CrossParams{});
  const auto* so2 = Find(results, "so2_per_coal");
  ASSERT_NE(so2, nullptr);
  EXPECT_NEAR(so2->value, 0.75, 1e-9);
  EXPECT_NEAR(so2->pct, -50, 1e-9);
  EXPECT_FALSE(so2->critical);  // critical beyond 80 %
  EXPECT_EQ(Find(results, "nox_per_coal"), nullptr);
  const auto* revenue = Find(results, "revenue_per_output");
  ASSERT_NE(revenue, nullptr);
  EXPECT_NEAR(revenue->value, 0.6, 1e-9);
  EXPECT_NEAR(revenue->pct, -40, 1e-9);
}

TEST(CrossChecks, OutputAboveCapacityAnnualisedOverTheMonthsDays) {
  // 10,000 t in 30 days = 121,666.7 t a year against 100,000 t of capacity: 21.7 % over (> 10 %).
  auto results = CheckMonth(Month(0, 10'000), {}, {}, 100'000, 30, CrossParams{});
  const auto* r = Find(results, "output_over_capacity");
  ASSERT_NE(r, nullptr);
  EXPECT_NEAR(r->value, 121'666.667, 1e-3);
  EXPECT_NEAR(r->pct, 21.6667, 1e-3);
  EXPECT_TRUE(r->critical);  // beyond 2 × 10 %
  // 8,500 t in 31 days = 100,080.6 t a year: 0.08 % over, within 10 %.
  EXPECT_EQ(Find(CheckMonth(Month(0, 8'500), {}, {}, 100'000, 31, CrossParams{}), "output_over_capacity"), nullptr);
  // No capacity known: no check.
  EXPECT_EQ(Find(CheckMonth(Month(0, 10'000), {}, {}, 0, 30, CrossParams{}), "output_over_capacity"), nullptr);
}

}  // namespace
}  // namespace kiln::warnings
