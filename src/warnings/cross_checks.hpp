#pragma once
// Cross-quantity models (seed 000's 比对验证模型): quantities of one
// enterprise and month that must move together, each checked against the
// enterprise's own history and, when that is too short, its industry's range.
// A figure that breaks the relation points at a wrong figure somewhere: an
// output under-reported to the statistics office, emissions under-reported
// to the ecology department, revenue hidden from the tax office, production
// beyond the approved capacity. Each model and its tolerance (reference data,
// thresholds.hpp) is documented in src/warnings/README.md.
//
//   electricity_per_output  kWh of electricity per tonne of output
//   water_per_output        t of fresh water per tonne of output
//   so2_per_coal            kg of SO₂ per tonne of raw coal
//   nox_per_coal            kg of NOx per tonne of raw coal
//   revenue_per_output      main revenue against output × the product's price
//   output_over_capacity    the month's output, annualised, against the approved capacity

#include <optional>
#include <string>
#include <vector>

namespace kiln::warnings {

// One enterprise's figures of one month, from whatever source the accounting and the
// departments have; nullopt = not known.
struct MonthFigures {
  std::optional<double> electricity_kwh, water_t, coal_t, output_t;
  std::optional<double> so2_t, nox_t;  // the ecology department's monthly emissions
  std::optional<double> revenue_10k;  // the tax office's main revenue, 万元
  std::optional<double> price_yuan_per_t;  // the statistics office's price of the main product
  std::string product;
  std::string output_source;  // statistics (the office's record), or the accounting's source of the month
};

struct CrossParams {
  double unit_use_pct = 30;  // electricity and water per tonne off the own median by more than this
  double emission_pct = 40;  // SO₂ or NOx per tonne of coal off the own median by more than this
  double revenue_pct = 30;  // revenue ÷ (output × price) off the own median by more than this
  double capacity_over_pct = 10;  // annualised output above the capacity by more than this
  double industry_margin_pct = 50;  // outside the industry's 10th–90th percentile widened by this
  int min_history = 6;  // months of the enterprise's own history needed to use it
  int min_peers = 5;  // enterprises of the product needed for an industry range
  double critical_factor = 2;  // a deviation this many times the tolerance is critical
};

// The 10th and 90th percentiles of a model's ratio over the enterprises of one product in a month.
struct IndustryRange {
  double p10 = 0, p90 = 0;
  int enterprises = 0;
};

struct CrossResult {
  std::string model;
  double value = 0;  // the month's ratio (or annualised output)
  double expected = 0;  // the own median, the nearer end of the industry range, or the capacity
  double pct = 0;  // (value - expected) / expected, in percent
  std::string basis;  // own_history, industry, capacity
  int history_months = 0;  // months behind the own median
  std::optional<IndustryRange> industry;
  bool critical = false;
};

// The ratio a model watches, when the month has the figures for it (output_over_capacity has none).
std::optional<double> ModelRatio(const std::string& model, const MonthFigures& m);
// The ratio models, in the order they are checked.
const std::vector<std::string>& RatioModels();

// The month checked against the months before it (any order) and, per ratio model, the
// industry range of its product that month (nullopt: none). `capacity_t`: the enterprise's
// approved capacity of its product in tonnes a year (0: unknown); `days`: the month's length.
std::vector<CrossResult> CheckMonth(const MonthFigures& month, const std::vector<MonthFigures>& history,
                                    const std::vector<std::optional<IndustryRange>>& industry, double capacity_t,
                                    int days, const CrossParams& params);

// The range of a set of ratios (nullopt below min_peers).
std::optional<IndustryRange> RangeOf(std::vector<double> ratios, int min_peers);

}  // namespace kiln::warnings
