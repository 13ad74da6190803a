#pragma once
// Year-end forecasts of a monthly total (energy, coal, CO2, output) from the
// months so far: last year's months as the seasonal profile, scaled by this
// year's year-to-date over last year's same months. With no last year to
// lean on, the months so far are extended at their average (run rate).
// The band around a forecast comes from a back-test of the same method on
// the previous year (forecasting last year from the year before at the same
// number of known months); ForecastBand turns back-test errors into it.

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace kiln::analysis {

using MonthlySeries = std::array<std::optional<double>, 12>;  // January .. December; nullopt: not known

struct YearEndForecast {
  int months_known = 0;
  int months_missing = 0;  // known months without figures, estimated like the months to come
  double year_to_date = 0;  // the figures of the known months
  double forecast = 0;  // the whole year
  double low = 0, high = 0;  // the band
  std::array<double, 12> projected{};  // actual for known months, projected for the rest
  std::string method;  // "seasonal" or "run_rate"
  double ratio = 0;  // seasonal: this year's year-to-date over last year's same months
  std::optional<int> crossing_month;  // 1..12: the month the running total passes the target
};

// `months_known` months of `this_year` (January on) are complete; `band` is the relative half-width
// (0.05 = ±5 %). nullopt when no known month has a figure.
std::optional<YearEndForecast> ForecastYearEnd(const MonthlySeries& this_year, const MonthlySeries& last_year,
                                               int months_known, double band,
                                               std::optional<double> target = std::nullopt);

// The relative error (forecast - actual) / actual of forecasting `year` from `year_before` with
// k = 1..11 months known; nullopt where a year is incomplete.
std::array<std::optional<double>, 12> BackTestErrors(const MonthlySeries& year, const MonthlySeries& year_before);

// The half-width of the band at `months_known`: the 90th percentile of the absolute back-test
// errors (of several regions) at that month, never under `floor`.
double ForecastBand(const std::vector<std::array<std::optional<double>, 12>>& errors, int months_known,
                    double floor = 0.02);

}  // namespace kiln::analysis
