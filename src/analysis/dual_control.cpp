#include "analysis/dual_control.hpp"

#include <cmath>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/control_targets.hpp"
#include "core/regions.hpp"

namespace kiln::analysis {
namespace {

// The newest version of each target.
std::vector<storage::ControlTarget> InForce(const std::vector<storage::ControlTarget>& all) {
  std::map<std::tuple<std::string, int, std::string, std::string>, storage::ControlTarget> newest;
  for (const auto& t : all) {
    auto& slot = newest[{t.region, t.year, t.indicator, t.product}];
    if (t.version >= slot.version) slot = t;
  }
  std::vector<storage::ControlTarget> out;
  out.reserve(newest.size());
  for (auto& [key, t] : newest) out.push_back(std::move(t));
  return out;
}

bool IsIntensity(const std::string& indicator) {
  return indicator == "energy_intensity" || indicator == "co2_intensity";
}

void Add(std::optional<double>& slot, double v) { slot = slot.value_or(0) + v; }

double Sum(const MonthlySeries& s, int months) {
  double total = 0;
  for (int m = 0; m < months; ++m) total += s[m].value_or(0);
  return total;
}

}  // namespace

bool DualControl::KnownIndicator(const std::string& i) { return core::IsTargetIndicator(i); }

std::string DualControl::UnitOf(const std::string& i) { return core::TargetUnit(i); }

int DualControl::MonthsKnown(int year) const {
  auto today = core::ChinaDateOf(clock_.Now());
  if (year < today.year) return 12;
  if (year > today.year) return 0;
  return today.month - 1;
}

void DualControl::Invalidate() {
  std::lock_guard lock(mutex_);
  months_.clear();
}

void DualControl::Invalidate(int year, int month) {
  std::lock_guard lock(mutex_);
  months_.erase({year, month});
}

core::Result<std::shared_ptr<const std::vector<EnterpriseAccount>>> DualControl::Month(int year, int month) {
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    auto it = months_.find({year, month});
    if (it != months_.end() && it->second.accounts && now - it->second.at < cache_for_) return it->second.accounts;
  }
  auto accounts = accounting_.AllAccounts(fmt::format("{:04}-{:02}", year, month));
  if (!accounts.ok()) return accounts.status();
  auto shared = std::make_shared<const std::vector<EnterpriseAccount>>(std::move(accounts).value());
  std::lock_guard lock(mutex_);
  auto& slot = months_[{year, month}];
  slot.accounts = shared;
  slot.at = now;
  return std::shared_ptr<const std::vector<EnterpriseAccount>>(shared);
}

core::Result<std::shared_ptr<const DualControl::Emissions>> DualControl::MonthEmissions(int year, int month) {
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    auto it = months_.find({year, month});
    if (it != months_.end() && it->second.emissions && now - it->second.emissions_at < cache_for_) {
      return it->second.emissions;
    }
  }
  auto period = fmt::format("{:04}-{:02}", year, month);
  auto records = store_.DepartmentRecordsFor({"ecology_monthly"}, std::nullopt, period, period);
  if (!records.ok()) return records.status();
  auto emissions = std::make_shared<Emissions>();
  for (const auto& r : *records) {
    auto data = nlohmann::json::parse(r.data, nullptr, false);
    if (!data.is_object()) continue;
    auto& e = (*emissions)[r.enterprise_id];
    if (data["so2"].is_number()) e.first += data["so2"].get<double>();
    if (data["nox"].is_number()) e.second += data["nox"].get<double>();
  }
  std::lock_guard lock(mutex_);
  auto& slot = months_[{year, month}];
  slot.emissions = emissions;
  slot.emissions_at = now;
  return std::shared_ptr<const Emissions>(emissions);
}

core::Result<YearFigures> DualControl::Year(int year, const std::string& region_prefix, const std::string& industry) {
  YearFigures y;
  int known = MonthsKnown(year);
  for (int m = 1; m <= known; ++m) {
    auto accounts = Month(year, m);
    if (!accounts.ok()) return accounts.status();
    auto emissions = MonthEmissions(year, m);
    if (!emissions.ok()) return emissions.status();
    bool any = false, any_emissions = false;
    for (const auto& a : **accounts) {
      if (!a.region.starts_with(region_prefix) || !a.industry.starts_with(industry)) continue;
      if (auto e = (*emissions)->find(a.enterprise_id); e != (*emissions)->end()) {
        Add(y.so2_t[m - 1], e->second.first);
        Add(y.nox_t[m - 1], e->second.second);
        any_emissions = true;
      }
      double tce = a.ControlledTce();  // less feedstock and renewables, as the settings say
      if (tce <= 0 && a.co2_t <= 0) continue;  // nothing known of this enterprise this month
      any = true;
      Add(y.energy_tce[m - 1], tce);
      Add(y.co2_t[m - 1], a.co2_t);
      for (const auto& line : a.lines) {
        if (line.energy_type == "raw_coal") Add(y.coal_t[m - 1], line.amount);
      }
      if (a.value_added && *a.value_added > 0) {
        Add(y.value_added[m - 1], *a.value_added);
        Add(y.energy_with_value_added[m - 1], tce);
        Add(y.co2_with_value_added[m - 1], a.co2_t);
      }
      if (a.output && !a.months.empty() && !a.months.front().product.empty()) {
        Add(y.output[a.months.front().product][m - 1], *a.output);
      }
    }
    if (any_emissions) {  // the ecology department delivered the month: an enterprise without a figure emitted none
      y.so2_t[m - 1] = y.so2_t[m - 1].value_or(0);
      y.nox_t[m - 1] = y.nox_t[m - 1].value_or(0);
    }
    if (any) {
      // A known month without coal or output in it is a zero, not an unknown.
      y.coal_t[m - 1] = y.coal_t[m - 1].value_or(0);
      for (auto& [product, series] : y.output) series[m - 1] = series[m - 1].value_or(0);
    }
  }
  return y;
}

MonthlySeries DualControl::Indicator(const YearFigures& y, const std::string& indicator, const std::string& product) {
  if (indicator == "energy_total") return y.energy_tce;
  if (indicator == "coal_total") return y.coal_t;
  if (indicator == "co2_total") return y.co2_t;
  if (indicator == "so2_total") return y.so2_t;
  if (indicator == "nox_total") return y.nox_t;
  if (indicator == "output_cap") {
    auto it = y.output.find(product);
    return it == y.output.end() ? MonthlySeries{} : it->second;
  }
  MonthlySeries out;
  const auto& numerator = indicator == "energy_intensity" ? y.energy_with_value_added : y.co2_with_value_added;
  for (int m = 0; m < 12; ++m) {
    if (numerator[m] && y.value_added[m] && *y.value_added[m] > 0) out[m] = *numerator[m] / *y.value_added[m];
  }
  return out;
}

core::Result<double> DualControl::Band(int year, const std::string& indicator, const std::string& product,
                                       int months_known) {
  auto regions = store_.ListRegions();
  if (!regions.ok()) return regions.status();
  std::vector<std::array<std::optional<double>, 12>> errors;
  for (const auto& r : *regions) {
    if (r.level != "province" && r.level != "city") continue;
    auto prefix = core::RegionPrefix(r.code);
    auto last = Year(year - 1, prefix);
    if (!last.ok()) return last.status();
    auto before = Year(year - 2, prefix);
    if (!before.ok()) return before.status();
    auto series = Indicator(*last, IsIntensity(indicator) ? "energy_total" : indicator, product);
    auto base = Indicator(*before, IsIntensity(indicator) ? "energy_total" : indicator, product);
    errors.push_back(BackTestErrors(series, base));
  }
  return ForecastBand(errors, months_known);
}

core::Result<std::vector<TargetStatus>> DualControl::Targets(int year, const std::string& region_prefix,
                                                             double approach_pct) {
  auto all = store_.targets().ListTargets();
  if (!all.ok()) return all.status();
  auto regions = store_.ListRegions();
  if (!regions.ok()) return regions.status();
  std::map<std::string, std::string> names;
  for (const auto& r : *regions) names[r.code] = r.name;
  int known = MonthsKnown(year);
  std::vector<TargetStatus> out;
  for (const auto& t : InForce(*all)) {
    if (t.year != year || !t.region.starts_with(region_prefix) || !KnownIndicator(t.indicator)) continue;
    TargetStatus s{.target = t, .region_name = names[t.region]};
    auto prefix = core::RegionPrefix(t.region);
    auto figures = Year(year, prefix);
    if (!figures.ok()) return figures.status();
    auto last = Year(year - 1, prefix);
    if (!last.ok()) return last.status();
    s.actual = Indicator(*figures, t.indicator, t.product);
    s.last_year = Indicator(*last, t.indicator, t.product);
    auto band = Band(year, t.indicator, t.product, known);
    if (!band.ok()) return band.status();
    s.band = *band;
    if (IsIntensity(t.indicator)) {
      // The year's intensity: the forecast numerator over the forecast value added.
      const auto& num =
          t.indicator == "energy_intensity" ? figures->energy_with_value_added : figures->co2_with_value_added;
      const auto& num_last =
          t.indicator == "energy_intensity" ? last->energy_with_value_added : last->co2_with_value_added;
      auto fn = ForecastYearEnd(num, num_last, known, 0);
      auto fd = ForecastYearEnd(figures->value_added, last->value_added, known, 0);
      if (fn && fd && fd->forecast > 0 && fd->year_to_date > 0) {
        YearEndForecast f = *fn;
        f.year_to_date = fn->year_to_date / fd->year_to_date;
        f.forecast = fn->forecast / fd->forecast;
        for (int m = 0; m < 12; ++m) f.projected[m] = fd->projected[m] > 0 ? fn->projected[m] / fd->projected[m] : 0;
        f.low = f.forecast * (1 - s.band);
        f.high = f.forecast * (1 + s.band);
        f.crossing_month.reset();
        s.forecast = f;
      }
    } else {
      s.forecast = ForecastYearEnd(s.actual, s.last_year, known, s.band, t.value);
    }
    if (!s.forecast || (s.forecast->year_to_date <= 0 && Sum(s.actual, known) <= 0)) {
      s.status = "no_data";
      s.forecast.reset();
    } else {
      s.year_to_date = s.forecast->year_to_date;
      s.share_of_target_pct = t.value > 0 ? s.forecast->forecast / t.value * 100 : 0;
      s.status = s.share_of_target_pct > 100             ? "exceeding"
                 : s.share_of_target_pct >= approach_pct ? "approaching"
                                                         : "on_track";
    }
    out.push_back(std::move(s));
  }
  return out;
}

core::Result<std::vector<BackTest>> DualControl::BackTests(int year) {
  auto regions = store_.ListRegions();
  if (!regions.ok()) return regions.status();
  std::vector<BackTest> out;
  for (const std::string indicator : {"energy_total", "coal_total", "co2_total"}) {
    BackTest b{.indicator = indicator, .year = year};
    std::array<double, 12> sum{};
    std::array<int, 12> n{};
    for (const auto& r : *regions) {
      if (r.level != "province" && r.level != "city") continue;
      auto prefix = core::RegionPrefix(r.code);
      auto y = Year(year, prefix);
      if (!y.ok()) return y.status();
      auto before = Year(year - 1, prefix);
      if (!before.ok()) return before.status();
      auto errors = BackTestErrors(Indicator(*y, indicator, ""), Indicator(*before, indicator, ""));
      bool any = false;
      for (int k = 1; k <= 11; ++k) {
        if (!errors[k]) continue;
        sum[k] += std::fabs(*errors[k]);
        ++n[k];
        any = true;
      }
      b.regions += any;
    }
    for (int k = 1; k <= 11; ++k) {
      if (n[k]) b.mape[k] = sum[k] / n[k] * 100;
    }
    out.push_back(b);
  }
  return out;
}

}  // namespace kiln::analysis
