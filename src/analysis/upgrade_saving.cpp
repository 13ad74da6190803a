#include "analysis/upgrade_saving.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

#include "core/energy_types.hpp"
#include "core/registry_schema.hpp"

namespace kiln::analysis {
namespace {

using core::Result;
using core::Status;

constexpr const char* kOutputType = "product_output";

// "YYYY-MM" of `month` shifted by `delta` months.
std::string ShiftMonth(int year, int month, int delta) {
  int index = year * 12 + (month - 1) + delta;
  return fmt::format("{:04}-{:02}", index / 12, index % 12 + 1);
}

std::optional<std::pair<int, int>> ParseMonth(const std::string& text) {
  auto p = core::ParseReportPeriod(core::ReportKind::kMonthly, text);
  if (!p) return std::nullopt;
  return std::pair{std::stoi(text.substr(0, 4)), std::stoi(text.substr(5, 2))};
}

void Total(SavingPeriod& period) {
  period.with_figures = 0;
  period.tce = period.output = 0;
  for (const auto& m : period.months) {
    if (m.source.empty()) continue;
    ++period.with_figures;
    period.tce += *m.tce;
    period.output += *m.output;
  }
  if (period.output > 0) period.kgce_per_t = period.tce * 1000 / period.output;
}

std::optional<std::string> ClassOf(const std::optional<double>& kgce_per_t,
                                   const std::optional<core::EfficiencyLevel>& level) {
  if (!kgce_per_t || !level) return std::nullopt;
  auto cls = core::ClassifyEfficiency(*kgce_per_t, "kgce/t", *level);
  if (!cls) return std::nullopt;
  return std::string(core::EfficiencyClassName(*cls));
}

nlohmann::json PeriodJson(const SavingPeriod& p) {
  nlohmann::json months = nlohmann::json::array();
  for (const auto& m : p.months) {
    months.push_back({{"month", m.month},
                      {"source", m.source.empty() ? nlohmann::json() : nlohmann::json(m.source)},
                      {"tce", m.tce ? nlohmann::json(*m.tce) : nlohmann::json()},
                      {"output", m.output ? nlohmann::json(*m.output) : nlohmann::json()}});
  }
  return {{"months", months},
          {"with_figures", p.with_figures},
          {"tce", p.tce},
          {"output", p.output},
          {"kgce_per_t", p.kgce_per_t ? nlohmann::json(*p.kgce_per_t) : nlohmann::json()}};
}

template <typename T>
nlohmann::json OrNull(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json();
}

}  // namespace

Result<std::vector<bool>> UpgradeSaving::MeteredMonths(std::int64_t project_id,
                                                       const std::vector<std::string>& months) {
  std::vector<bool> out(months.size(), false);
  if (months.empty()) return out;
  storage::ListQuery q{.equals = {{"project_id", project_id}}, .page_size = 1000};
  auto points = store_.ListRecords(core::MeteringPointSchema(), q);
  if (!points.ok()) return points.status();
  std::vector<std::int64_t> relevant;
  bool has_output = false, has_energy = false;
  for (const auto& point : points->items) {
    if (!storage::AsInt(point.at("in_total"))) continue;
    std::string type = storage::AsText(point.at("measures"));
    if (type == kOutputType) {
      has_output = true;
    } else if (core::FindEnergyType(type)) {
      has_energy = true;
    } else {
      continue;  // pollutants
    }
    relevant.push_back(storage::AsInt(point.at("id")));
  }
  if (!has_output || !has_energy) return out;
  auto first = core::ParseReportPeriod(core::ReportKind::kMonthly, months.front());
  auto last = core::ParseReportPeriod(core::ReportKind::kMonthly, months.back());
  std::map<std::string, int> index;
  for (std::size_t k = 0; k < months.size(); ++k) index[months[k]] = static_cast<int>(k);
  // Days with readings, per point and month.
  std::vector<std::map<int, int>> days(relevant.size());
  for (std::size_t k = 0; k < relevant.size(); ++k) {
    auto rollups = store_.Rollups(relevant[k], storage::RollupPeriod::kDay, first->start, last->end);
    if (!rollups.ok()) return rollups.status();
    for (const auto& r : *rollups) {
      if (r.count <= 0) continue;
      auto d = core::ChinaDateOf(r.start);
      auto it = index.find(fmt::format("{:04}-{:02}", d.year, d.month));
      if (it != index.end()) ++days[k][it->second];
    }
  }
  for (std::size_t m = 0; m < months.size(); ++m) {
    auto period = core::ParseReportPeriod(core::ReportKind::kMonthly, months[m]);
    double month_days = static_cast<double>(period->end - period->start) / 86'400'000.0;
    bool all = true;
    for (const auto& d : days) {
      auto it = d.find(static_cast<int>(m));
      if (it == d.end() || it->second < kMeteredDayShare * month_days) all = false;
    }
    out[m] = all;
  }
  return out;
}

Result<SavingMeasurement> UpgradeSaving::Measure(const registry::Caller& caller, const SavingRequest& request) {
  auto start = ParseMonth(request.start_month);
  if (!start) return Status::InvalidArgument("invalid upgrade plan", {{"start_month", "must be YYYY-MM"}});
  SavingMeasurement out;
  std::vector<std::string> baseline, after;
  for (int k = -kBaselineMonths; k < 0; ++k) baseline.push_back(ShiftMonth(start->first, start->second, k));
  out.baseline_from = baseline.front();
  out.baseline_to = baseline.back();
  if (!request.completed_on.empty()) {
    auto done = core::ParseDate(request.completed_on);
    if (!done) return Status::InvalidArgument("invalid upgrade plan", {{"completed_on", "must be YYYY-MM-DD"}});
    for (int k = 1; k <= kMaxAfterMonths; ++k) {
      std::string month = ShiftMonth(done->year, done->month, k);
      if (month >= fmt::format("{:04}-{:02}", request.today.year, request.today.month)) break;
      after.push_back(month);
    }
    if (!after.empty()) {
      out.after_from = after.front();
      out.after_to = after.back();
    }
  } else {
    out.problems.push_back({.kind = "not_completed"});
  }

  auto levels = store_.ListEfficiencyLevels();
  if (!levels.ok()) return levels.status();
  auto siblings =
      store_.ListRecords(core::ProjectSchema(), {.enterprise_id = request.enterprise_id, .page_size = 1000});
  if (!siblings.ok()) return siblings.status();
  // The enterprise's own figures of a month, computed once for every project that stands for it.
  std::map<std::string, SavingMonth> enterprise_months;
  auto enterprise_month = [&](const std::string& month) -> Result<SavingMonth> {
    if (auto it = enterprise_months.find(month); it != enterprise_months.end()) return it->second;
    auto account = accounting_.Enterprise(caller, request.enterprise_id, month);
    if (!account.ok()) return account.status();
    SavingMonth m{.month = month};
    if (account->output && *account->output > 0 && account->DualControlTce() > 0) {
      m.source = account->months.empty() ? "" : account->months.front().source;
      m.tce = account->DualControlTce();
      m.output = account->output;
    }
    enterprise_months[month] = m;
    return m;
  };

  std::vector<std::string> all = baseline;
  all.insert(all.end(), after.begin(), after.end());
  bool every_measured = !request.projects.empty();
  for (const auto& input : request.projects) {
    auto project = registry_.Get(caller, registry::Kind::kProject, input.id);
    if (!project.ok()) return project.status().WithContext(fmt::format("project {}", input.id));
    ProjectSaving ps{.project_id = input.id,
                     .name = storage::AsText(project->at("name")),
                     .product = storage::AsText(project->at("product")),
                     .expected_saving_tce = input.expected_saving_tce};
    ps.level = core::CurrentLevel(*levels, ps.product);
    if (!core::IsNull(project->at("efficiency_value"))) ps.declared = storage::AsReal(project->at("efficiency_value"));
    int same_product = 0;
    for (const auto& s : siblings->items) {
      if (storage::AsText(s.at("state")) == "existing" && storage::AsText(s.at("product")) == ps.product)
        ++same_product;
    }
    const bool stands_for_enterprise = same_product == 1 && storage::AsText(project->at("state")) == "existing";
    auto metered = MeteredMonths(input.id, all);
    if (!metered.ok()) return metered.status();
    for (std::size_t k = 0; k < all.size(); ++k) {
      SavingMonth m{.month = all[k]};
      if ((*metered)[k]) {
        auto account = accounting_.Project(caller, input.id, all[k]);
        if (!account.ok()) return account.status();
        if (account->output && *account->output > 0 && account->DualControlTce() > 0) {
          m.source = "metered";
          m.tce = account->DualControlTce();
          m.output = account->output;
        }
      } else if (stands_for_enterprise) {
        auto figures = enterprise_month(all[k]);
        if (!figures.ok()) return figures.status();
        m = *figures;
      }
      (k < baseline.size() ? ps.baseline : ps.after).months.push_back(std::move(m));
    }
    Total(ps.baseline);
    Total(ps.after);
    ps.class_before = ClassOf(ps.baseline.kgce_per_t, ps.level);
    ps.class_after = ClassOf(ps.after.kgce_per_t, ps.level);
    std::vector<std::string> missing;
    for (const auto& m : ps.baseline.months) {
      if (m.source.empty()) missing.push_back(m.month);
    }
    if (!missing.empty())
      out.problems.push_back({.project_id = input.id, .kind = "baseline_missing", .months = missing});
    if (!request.completed_on.empty() && ps.after.with_figures < kMinAfterMonths) {
      std::vector<std::string> without;
      for (const auto& m : ps.after.months) {
        if (m.source.empty()) without.push_back(m.month);
      }
      out.problems.push_back({.project_id = input.id, .kind = "after_short", .months = without});
    }
    if (ps.baseline.kgce_per_t && ps.after.kgce_per_t && ps.after.with_figures > 0) {
      double yearly_output = ps.after.output * 12.0 / ps.after.with_figures;
      ps.measured_saving_tce = (*ps.baseline.kgce_per_t - *ps.after.kgce_per_t) * yearly_output / 1000;
    } else {
      every_measured = false;
    }
    out.expected_saving_tce += ps.expected_saving_tce;
    out.projects.push_back(std::move(ps));
  }
  if (every_measured) {
    double sum = 0;
    for (const auto& p : out.projects) sum += *p.measured_saving_tce;
    out.measured_saving_tce = sum;
  }
  out.ready = out.problems.empty() && every_measured;
  return out;
}

nlohmann::json SavingMeasurementJson(const SavingMeasurement& m) {
  nlohmann::json projects = nlohmann::json::array();
  for (const auto& p : m.projects) {
    nlohmann::json level;
    if (p.level) {
      level = {{"benchmark", p.level->benchmark},
               {"advanced", p.level->advanced},
               {"unit", p.level->indicator_unit},
               {"version", p.level->version}};
    }
    projects.push_back({{"project_id", p.project_id},
                        {"name", p.name},
                        {"product", p.product},
                        {"level", level},
                        {"declared", OrNull(p.declared)},
                        {"baseline", PeriodJson(p.baseline)},
                        {"after", PeriodJson(p.after)},
                        {"class_before", OrNull(p.class_before)},
                        {"class_after", OrNull(p.class_after)},
                        {"expected_saving_tce", p.expected_saving_tce},
                        {"measured_saving_tce", OrNull(p.measured_saving_tce)}});
  }
  nlohmann::json problems = nlohmann::json::array();
  for (const auto& p : m.problems) {
    problems.push_back({{"project_id", p.project_id ? nlohmann::json(p.project_id) : nlohmann::json()},
                        {"kind", p.kind},
                        {"months", p.months}});
  }
  return {{"baseline_from", m.baseline_from},
          {"baseline_to", m.baseline_to},
          {"after_from", m.after_from.empty() ? nlohmann::json() : nlohmann::json(m.after_from)},
          {"after_to", m.after_to.empty() ? nlohmann::json() : nlohmann::json(m.after_to)},
          {"projects", projects},
          {"expected_saving_tce", m.expected_saving_tce},
          {"measured_saving_tce", OrNull(m.measured_saving_tce)},
          {"ready", m.ready},
          {"problems", problems}};
}

}  // namespace kiln::analysis
