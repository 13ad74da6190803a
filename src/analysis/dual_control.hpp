#pragma once
// Dual control (能耗双控, moving to carbon dual control) and output control:
// each region's monthly totals of the controlled indicators, its targets for
// the year (versioned reference data), and the year-end forecast against
// them with its band and the month the running total is expected to pass
// the target. Totals come from the accounting of every enterprise month
// (report, department or metered figures, converted with the factors in
// force), cached per month because the months of past years rarely change.
//
// Indicators: energy_total (tce, the dual-control electricity convention, less energy used as
// raw material and renewable electricity when the accounting's exclusions say so),
// coal_total (t of raw coal), co2_total (t), so2_total and nox_total (t, the ecology department's
// monthly emission figures), energy_intensity and
// co2_intensity (per 10k yuan of value added, over the enterprise months that
// have value added), output_cap (t of a product).
//
// Thread-safety: every method may be called from any thread.

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "analysis/accounting.hpp"
#include "analysis/forecast.hpp"
#include "storage/store.hpp"

namespace kiln::analysis {

// A region's (and industry's) months of one year.
struct YearFigures {
  MonthlySeries energy_tce, coal_t, co2_t;
  MonthlySeries so2_t, nox_t;  // the ecology department's monthly emissions (task ecology_monthly)
  MonthlySeries value_added, energy_with_value_added, co2_with_value_added;  // for the intensities
  std::map<std::string, MonthlySeries> output;  // by product
};

struct TargetStatus {
  storage::ControlTarget target;
  std::string region_name;
  MonthlySeries actual, last_year;  // the indicator's months (intensities: monthly ratios)
  std::optional<YearEndForecast> forecast;  // nullopt: no month of the year known yet
  double band = 0;
  double year_to_date = 0;
  double share_of_target_pct = 0;  // forecast / target
  std::string status;  // on_track, approaching, exceeding, no_data
};

struct BackTest {
  std::string indicator;
  int year = 0;  // the year forecast
  std::array<std::optional<double>, 12> mape;  // by months known (1..11), over regions
  int regions = 0;
};

class DualControl {
 public:
  DualControl(Accounting& accounting, storage::Store& store, const core::Clock& clock,
              std::chrono::minutes cache_for = std::chrono::minutes(10))
      : accounting_(accounting), store_(store), clock_(clock), cache_for_(cache_for) {}

  // The year's figures of enterprises whose county starts with `region_prefix` (and of one industry).
  core::Result<YearFigures> Year(int year, const std::string& region_prefix, const std::string& industry = "");
  // The targets in force for `year` inside `region_prefix`, each with its forecast.
  // `approach_pct`: a forecast at or above this share of the target is "approaching".
  core::Result<std::vector<TargetStatus>> Targets(int year, const std::string& region_prefix, double approach_pct);
  // How well the method forecast `year` from the year before, over the province and its cities.
  core::Result<std::vector<BackTest>> BackTests(int year);
  // Complete months of `year` as of now (0..12).
  int MonthsKnown(int year) const;
  // Every enterprise's account of one month (cached like the year's figures).
  core::Result<std::shared_ptr<const std::vector<EnterpriseAccount>>> Month(int year, int month);
  // Forget the cached months (data other than readings changed), or one month.
  void Invalidate();
  void Invalidate(int year, int month);

  // The value of an indicator in a year's figures.
  static MonthlySeries Indicator(const YearFigures& y, const std::string& indicator, const std::string& product);
  static bool KnownIndicator(const std::string& indicator);
  static std::string UnitOf(const std::string& indicator);

 private:
  // The error band of the forecast at `months_known` for an indicator, from back-testing `year` - 1.
  core::Result<double> Band(int year, const std::string& indicator, const std::string& product, int months_known);

  Accounting& accounting_;
  storage::Store& store_;
  const core::Clock& clock_;
  const std::chrono::minutes cache_for_;
  std::mutex mutex_;
  // SO₂ and NOx (t) by enterprise, of one month.
  using Emissions = std::map<std::int64_t, std::pair<double, double>>;
  core::Result<std::shared_ptr<const Emissions>> MonthEmissions(int year, int month);
  struct Cached {
    std::shared_ptr<const std::vector<EnterpriseAccount>> accounts;
    std::shared_ptr<const Emissions> emissions;
    std::chrono::steady_clock::time_point at, emissions_at;
  };
  std::map<std::pair<int, int>, Cached> months_;  // GUARDED_BY(mutex_)
};

}  // namespace kiln::analysis
