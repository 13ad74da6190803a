#include "warnings/cross_checks.hpp"

#include <algorithm>
#include <cmath>

namespace kiln::warnings {
namespace {

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  auto n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double Quantile(const std::vector<double>& sorted, double q) {
  double pos = q * static_cast<double>(sorted.size() - 1);
  auto lo = static_cast<std::size_t>(std::floor(pos));
  auto hi = std::min(sorted.size() - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - static_cast<double>(lo));
}

double ToleranceOf(const std::string& model, const CrossParams& p) {
  if (model == "electricity_per_output" || model == "water_per_output") return p.unit_use_pct;
  if (model == "so2_per_coal" || model == "nox_per_coal") return p.emission_pct;
  return p.revenue_pct;
}

std::optional<double> Ratio(const std::optional<double>& a, const std::optional<double>& b, double scale) {
  if (!a || !b || *b <= 0 || *a < 0) return std::nullopt;
  return *a / *b * scale;
}

}  // namespace

const std::vector<std::string>& RatioModels() {
  static const std::vector<std::string> kModels = {"electricity_per_output", "water_per_output", "so2_per_coal",
                                                   "nox_per_coal", "revenue_per_output"};
  return kModels;
}

std::optional<double> ModelRatio(const std::string& model, const MonthFigures& m) {
  if (model == "electricity_per_output") return Ratio(m.electricity_kwh, m.output_t, 1);
  if (model == "water_per_output") return Ratio(m.water_t, m.output_t, 1);
  if (model == "so2_per_coal") return Ratio(m.so2_t, m.coal_t, 1000);  // kg per t
  if (model == "nox_per_coal") return Ratio(m.nox_t, m.coal_t, 1000);
  if (model == "revenue_per_output") {
    if (!m.output_t || !m.price_yuan_per_t) return std::nullopt;
    // Revenue (万元) per 万元 of output at the product's price.
    return Ratio(m.revenue_10k, *m.output_t * *m.price_yuan_per_t / 10'000, 1);
  }
  return std::nullopt;
}

std::optional<IndustryRange> RangeOf(std::vector<double> ratios, int min_peers) {
  if (static_cast<int>(ratios.size()) < min_peers) return std::nullopt;
  std::sort(ratios.begin(), ratios.end());
  return IndustryRange{
      .p10 = Quantile(ratios, 0.1), .p90 = Quantile(ratios, 0.9), .enterprises = static_cast<int>(ratios.size())};
}

std::vector<CrossResult> CheckMonth(const MonthFigures& month, const std::vector<MonthFigures>& history,
                                    const std::vector<std::optional<IndustryRange>>& industry, double capacity_t,
                                    int days, const CrossParams& params) {
  std::vector<CrossResult> out;
  const auto& models = RatioModels();
  for (std::size_t i = 0; i < models.size(); ++i) {
    const auto& model = models[i];
    auto value = ModelRatio(model, month);
    if (!value) continue;
    const double tolerance = ToleranceOf(model, params);
    std::vector<double> own;
    for (const auto& h : history) {
      if (auto r = ModelRatio(model, h)) own.push_back(*r);
    }
    CrossResult r{.model = model, .value = *value};
    if (i < industry.size()) r.industry = industry[i];
    if (static_cast<int>(own.size()) >= params.min_history) {
      r.basis = "own_history";
      r.history_months = static_cast<int>(own.size());
      r.expected = Median(own);
      if (r.expected <= 0) continue;
      r.pct = (*value - r.expected) / r.expected * 100;
      if (std::fabs(r.pct) <= tolerance) continue;
      r.critical = std::fabs(r.pct) > tolerance * params.critical_factor;
    } else if (r.industry) {
      // Too little history of its own: the industry's range, widened by the margin.
      r.basis = "industry";
      double low = r.industry->p10 / (1 + params.industry_margin_pct / 100);
      double high = r.industry->p90 * (1 + params.industry_margin_pct / 100);
      if (*value >= low && *value <= high) continue;
      r.expected = *value < low ? low : high;
      if (r.expected <= 0) continue;
      r.pct = (*value - r.expected) / r.expected * 100;
    } else {
      continue;
    }
    out.push_back(std::move(r));
  }
  if (capacity_t > 0 && month.output_t && days > 0) {
    double annualised = *month.output_t * 365.0 / days;
    double pct = (annualised - capacity_t) / capacity_t * 100;
    if (pct > params.capacity_over_pct) {
      out.push_back(CrossResult{.model = "output_over_capacity",
                                .value = annualised,
                                .expected = capacity_t,
                                .pct = pct,
                                .basis = "capacity",
                                .critical = pct > params.capacity_over_pct * params.critical_factor});
    }
  }
  return out;
}

}  // namespace kiln::warnings
