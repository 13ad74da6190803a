#include "analysis/forecast.hpp"

#include <algorithm>
#include <cmath>

namespace kiln::analysis {

std::optional<YearEndForecast> ForecastYearEnd(const MonthlySeries& this_year, const MonthlySeries& last_year,
                                               int months_known, double band, std::optional<double> target) {
  months_known = std::clamp(months_known, 0, 12);
  YearEndForecast f;
  f.months_known = months_known;
  bool last_complete = true;
  for (int m = 0; m < 12; ++m) {
    if (!last_year[m] || *last_year[m] < 0) last_complete = false;
  }
  // The known months that have figures; a known month without (a delivery still missing, a
  // back-fill under way) is estimated like the months to come, not counted as zero.
  double last_same = 0;
  int observed = 0;
  for (int m = 0; m < months_known; ++m) {
    if (!this_year[m]) continue;
    ++observed;
    f.year_to_date += *this_year[m];
    if (last_complete) last_same += *last_year[m];
  }
  if (observed == 0) return std::nullopt;
  f.months_missing = months_known - observed;
  if (last_complete && last_same > 0) {
    f.method = "seasonal";
    f.ratio = f.year_to_date / last_same;
    for (int m = 0; m < 12; ++m) {
      f.projected[m] = m < months_known && this_year[m] ? *this_year[m] : *last_year[m] * f.ratio;
    }
  } else {
    f.method = "run_rate";
    double average = f.year_to_date / observed;
    for (int m = 0; m < 12; ++m) f.projected[m] = m < months_known && this_year[m] ? *this_year[m] : average;
  }
  double running = 0;
  for (int m = 0; m < 12; ++m) {
    running += f.projected[m];
    if (target && !f.crossing_month && running > *target) f.crossing_month = m + 1;
  }
  f.forecast = running;
  // The known months are certain; the band applies to the forecast as the back-test measured it.
  f.low = f.forecast * (1 - band);
  f.high = f.forecast * (1 + band);
  if (months_known == 12 && f.months_missing == 0) f.low = f.high = f.forecast;
  return f;
}

std::array<std::optional<double>, 12> BackTestErrors(const MonthlySeries& year, const MonthlySeries& year_before) {
  std::array<std::optional<double>, 12> out;
  double actual = 0;
  for (const auto& m : year) {
    if (!m) return out;
    actual += *m;
  }
  if (actual <= 0) return out;
  for (int k = 1; k <= 11; ++k) {
    auto f = ForecastYearEnd(year, year_before, k, 0);
    if (f) out[k] = (f->forecast - actual) / actual;
  }
  return out;
}

double ForecastBand(const std::vector<std::array<std::optional<double>, 12>>& errors, int months_known, double floor) {
  if (months_known < 1 || months_known > 11) return months_known >= 12 ? 0 : floor;
  std::vector<double> absolute;
  for (const auto& e : errors) {
    if (e[months_known]) absolute.push_back(std::fabs(*e[months_known]));
  }
  if (absolute.empty()) return std::max(floor, 0.02 * (12 - months_known));  // no history: wider the earlier
  std::sort(absolute.begin(), absolute.end());
  auto at = static_cast<std::size_t>(std::ceil(0.9 * static_cast<double>(absolute.size()))) - 1;
  return std::max(floor, absolute[std::min(at, absolute.size() - 1)]);
}

}  // namespace kiln::analysis
