#include "demo/demo_reports.hpp"

#include "demo/monthly_history.hpp"

#include <cmath>
#include <fmt/format.h>
#include <map>
#include <spdlog/spdlog.h>

#include "core/conversion.hpp"
#include "core/registry_schema.hpp"
#include "core/report_rules.hpp"
#include "security/access.hpp"
#include "sim/load_model.hpp"

namespace kiln::demo {
namespace {

class FixedClock final : public core::Clock {
 public:
  explicit FixedClock(core::UnixMillis at) : at_(at) {}
  core::UnixMillis Now() const override { return at_; }

 private:
  core::UnixMillis at_;
};

security::Principal Acting(const std::string& username, const std::string& role, const std::string& region,
                           std::optional<std::int64_t> enterprise_id) {
  return {.username = username,
          .role = role,
          .region = region,
          .enterprise_id = enterprise_id,
          .permissions = security::RolePermissions(role)};
}

core::CivilDate NextMonth(core::CivilDate m) {
  return m.month == 12 ? core::CivilDate{m.year + 1, 1, 1} : core::CivilDate{m.year, m.month + 1, 1};
}

// Day `day` of the month after `m`, at `hour` China time.
core::UnixMillis DayAfter(core::CivilDate m, int day, int hour) {
  auto next = NextMonth(m);
  return core::ChinaMidnight({next.year, next.month, day}) + hour * 3'600'000LL;
}

double Round(double v, double scale) { return std::round(v * scale) / scale; }

}  // namespace

std::vector<core::CivilDate> CompleteMonthsOfHistory(core::UnixMillis now, int history_days) {
  constexpr core::UnixMillis kDayMs = 86'400'000;
  auto first_day = core::ChinaDateOf(now - (history_days - 1) * kDayMs);
  auto today = core::ChinaDateOf(now);
  core::CivilDate month{first_day.year, first_day.month, 1};
  if (first_day.day != 1) month = NextMonth(month);
  std::vector<core::CivilDate> out;
  for (auto m = month; m.year < today.year || (m.year == today.year && m.month < today.month); m = NextMonth(m)) {
    out.push_back(m);
  }
  return out;
}

core::Result<DemoReportSummary> FileDemoReports(
    storage::Store& store,
    const std::function<std::unique_ptr<workflow::ReportService>(const core::Clock&)>& make_service,
    const DemoReportOptions& options) {
  DemoReportSummary summary;
  storage::ListQuery all{.page_size = 1'000'000};
  auto enterprises = store.ListRecords(core::EnterpriseSchema(), all);
  if (!enterprises.ok()) return enterprises.status();
  auto projects = store.ListRecords(core::ProjectSchema(), all);
  if (!projects.ok()) return projects.status();
  std::map<std::int64_t, const core::Record*> main_project;  // the first, running plant
  for (const auto& p : projects->items) main_project.emplace(storage::AsInt(p.at("enterprise_id")), &p);

  for (const auto& m : CompleteMonthsOfHistory(options.now, options.history_days)) {
    std::string period = fmt::format("{:04}-{:02}", m.year, m.month);
    FixedClock filed(DayAfter(m, 3, 10)), county_day(DayAfter(m, 7, 15)), city_day(DayAfter(m, 12, 11)),
        province_day(DayAfter(m, 18, 16));
    auto filing = make_service(filed);
    auto county = make_service(county_day);
    auto city = make_service(city_day);
    auto province = make_service(province_day);
    for (const auto& record : enterprises->items) {
      std::int64_t id = storage::AsInt(record.at("id"));
      std::string region = storage::AsText(record.at("region"));
      bool under = options.under_reporting.contains(id);
      double fate =
          sim::Noise(options.seed, static_cast<std::uint64_t>(id) * 131 + static_cast<std::uint64_t>(m.month));
      if (!under && fate < 0.08) {
        ++summary.missing;
        continue;
      }
      registry::Caller filler{Acting(fmt::format("filler-{}", id), "enterprise", "", id), "demo"};
      auto file = filing->Open(filler, id, "monthly", period);
      if (!file.ok()) return file.status();
      if (file->report || !file->metered.contains("electricity")) continue;  // filed already, or no meters

      double scale = under ? 0.8 : 1 + (sim::Noise(options.seed, static_cast<std::uint64_t>(id) * 977) - 0.5) * 0.02;
      nlohmann::json energy = nlohmann::json::object();
      std::map<std::string, double> convertible;
      for (const auto& f : core::EnergyFields()) {
        std::string key = f.key;
        auto it = file->metered.find(key);
        if (!core::IsEnergyLine(key) || key == "other" || it == file->metered.end()) continue;
        double amount = Round(it->second * scale, 100);
        energy[key] = amount;
        if (key != "water") convertible[key] = amount;
      }
      auto tce =
          core::ToStandardCoal(convertible, file->factors, file->convention, core::FormatDate({m.year, m.month, 1}));
      energy["comprehensive"] = Round(tce.tce, 1e4);
      std::string product =
          main_project.contains(id) ? storage::AsText(main_project.at(id)->at("product")) : std::string();
      auto fuel = [&](const char* type) { return energy.contains(type) ? energy[type].get<double>() : 0.0; };
      if (double feedstock = FeedstockTce(product, fuel("raw_coal"), fuel("natural_gas")); feedstock > 0) {
        energy["feedstock"] = std::min(Round(feedstock, 1e4), energy["comprehensive"].get<double>());
      }
      if (double share = RenewableShare(options.seed, id); share > 0) {
        energy["renewable_electricity"] = Round(fuel("electricity") * share, 1);
      }

      std::int64_t staff = storage::AsInt(record.at("staff"));
      double size = 0.8 + 0.4 * sim::Noise(options.seed, static_cast<std::uint64_t>(id) * 389);
      double value_added = Round(staff * 1.6 * size, 10);
      double gross = Round(value_added * 3.6, 10);
      nlohmann::json business = {{"gross_output_value", gross},
                                 {"value_added", value_added},
                                 {"tax", Round(gross * 0.045, 10)},
                                 {"revenue", Round(gross * 0.97, 10)},
                                 {"staff", staff},
                                 {"total_assets", Round(gross * 14, 1)},
                                 {"rd_spend", Round(gross * 0.012, 10)}};
      nlohmann::json production = nlohmann::json::array();
      if (auto p = main_project.find(id); p != main_project.end()) {
        double output = file->metered.contains("product_output")
                            ? Round(file->metered.at("product_output"), 10)
                            : Round(storage::AsReal(p->second->at("capacity")) / 12, 10);
        production.push_back({{"product", storage::AsText(p->second->at("product"))},
                              {"unit", "t"},
                              {"output", output},
                              {"output_value", Round(gross * 0.9, 10)},
                              {"capacity", Round(storage::AsReal(p->second->at("capacity")) / 12, 10)},
                              {"price", output > 0 ? Round(gross * 0.9 * 10000 / output, 10) : 0.0}});
      }
      std::string explanation = under ? "部分生产用能由集团统一结算，未计入本企业报表" : "";
      auto submitted =
          filing->Submit(filler, id, "monthly", period,
                         {{"business", business}, {"production", production}, {"energy", energy}}, explanation);
      if (!submitted.ok()) {
        spdlog::warn("demo: report of enterprise {} for {} not filed: {}", id, period, submitted.status().ToString());
        ++summary.missing;
        continue;
      }
      if (under) {
        ++summary.under_reported;
        ++summary.pending;
        continue;
      }
      // Most reports go all the way; some still wait at the county or the city.
      double review =
          sim::Noise(options.seed, static_cast<std::uint64_t>(id) * 7 + static_cast<std::uint64_t>(m.month) * 3);
      int levels = review < 0.1 ? 0 : review < 0.16 ? 1 : 3;
      struct Step {
        workflow::ReportService* service;
        core::UnixMillis at;
        const char* role;
        std::string region;
      };
      const Step steps[] = {{county.get(), county_day.Now(), "county", region},
                            {city.get(), city_day.Now(), "city", region.substr(0, 4) + "00"},
                            {province.get(), province_day.Now(), "province", region.substr(0, 2) + "0000"}};
      int done = 0;
      for (int k = 0; k < levels && steps[k].at < options.now; ++k, ++done) {
        registry::Caller reviewer{
            Acting(fmt::format("{}-reviewer", steps[k].role), steps[k].role, steps[k].region, std::nullopt), "demo"};
        auto reviewed = steps[k].service->Review(reviewer, submitted->id, "approve", "");
        if (!reviewed.ok())
          return reviewed.status().WithContext(fmt::format("demo review of report {}", submitted->id));
      }
      if (done == 3)
        ++summary.approved;
      else
        ++summary.pending;
    }
  }
  return summary;
}

}  // namespace kiln::demo
