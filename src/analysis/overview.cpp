#include "analysis/overview.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "core/energy_types.hpp"
#include "core/regions.hpp"
#include "core/registry_schema.hpp"

namespace kiln::analysis {
namespace {

using core::Result;
using core::Status;

double Round3(double x) { return std::round(x * 1000) / 1000; }

}  // namespace

Result<WorkbenchFigures> Overview::Workbench(const registry::Caller& caller) {
  auto scope = security::ScopeFor(caller.principal, security::Action::kEnterpriseRead);
  if (!scope.ok()) return scope.status();
  auto count = [&](registry::Kind kind, const std::string& status, std::optional<bool> key_unit = std::nullopt,
                   const std::string& list_status = "listed") -> Result<std::int64_t> {
    registry::ListRequest lr;
    lr.page_size = 1;
    lr.status = status;
    lr.key_energy_unit = key_unit;
    // The workbench counts the enterprises on the 两高 list, not those taken off it.
    if (kind == registry::Kind::kEnterprise) lr.list_status = list_status;
    auto page = registry_.List(caller, kind, lr);
    if (!page.ok()) return page.status();
    return page->total;
  };
  WorkbenchFigures out;
  for (const char* status : core::kEnterpriseStatuses) {
    auto n = count(registry::Kind::kEnterprise, status);
    if (!n.ok()) return n.status();
    out.enterprises[status] = *n;
  }
  auto key_units = count(registry::Kind::kEnterprise, "", true);
  if (!key_units.ok()) return key_units.status();
  out.enterprises["key_energy_units"] = *key_units;
  auto delisted = count(registry::Kind::kEnterprise, "", std::nullopt, "delisted");
  if (!delisted.ok()) return delisted.status();
  out.enterprises["delisted"] = *delisted;
  if (security::ScopeFor(caller.principal, security::Action::kProjectRead).ok()) {
    for (const char* state : core::kProjectStates) {
      auto n = count(registry::Kind::kProject, state);
      if (!n.ok()) return n.status();
      out.projects[state] = *n;
    }
  }
  auto now = clock_.Now();
  out.as_of = now;
  auto today = core::ChinaDateOf(now);
  auto day_start = core::ChinaMidnight(today);
  auto month_start = core::ChinaMidnight({today.year, today.month, 1});
  auto total = [&](const char* step, core::UnixMillis from, const char* group_by,
                   const char* energy_type = "electricity") {
    storage::EnergyQuery q{.group_by = group_by,
                           .region_prefix = scope->region_prefix,
                           .enterprise_id = scope->enterprise_id,
                           .energy_type = energy_type,
                           .step = step,
                           .from = from,
                           .to = now + 1,
                           .group_key_length = 2};
    return store_.EnergyTotals(q);
  };
  auto sum = [](const std::vector<storage::EnergyRow>& rows) {
    double x = 0;
    for (const auto& r : rows) x += r.amount;
    return Round3(x);
  };
  // Comprehensive energy (tce) today and this month, at both electricity conventions.
  auto factors = store_.ListConversionFactors();
  if (!factors.ok()) return factors.status();
  for (auto [figure, step, from] : {std::tuple{&out.comprehensive_today, "day", day_start},
                                    std::tuple{&out.comprehensive_month, "month", month_start}}) {
    auto by_type = total(step, from, "energy_type", "");
    if (!by_type.ok()) return by_type.status();
    std::map<std::string, double> amounts;
    for (const auto& r : *by_type) amounts[r.group] += r.amount;
    auto date = core::FormatDate(core::ChinaDateOf(from));
    for (auto c : {core::ElectricityConvention::kEquivalent, core::ElectricityConvention::kEqual}) {
      (*figure)[core::ElectricityConventionName(c)] = Round3(core::ToStandardCoal(amounts, *factors, c, date).tce);
    }
  }
  auto today_rows = total("day", day_start, "region");
  if (!today_rows.ok()) return today_rows.status();
  auto month_rows = total("month", month_start, "region");
  if (!month_rows.ok()) return month_rows.status();
  auto industry_rows = total("month", month_start, "industry");
  if (!industry_rows.ok()) return industry_rows.status();
  out.electricity_today_kwh = sum(*today_rows);
  out.electricity_month_kwh = sum(*month_rows);
  std::sort(industry_rows->begin(), industry_rows->end(),
            [](const auto& a, const auto& b) { return a.amount > b.amount; });
  for (const auto& r : *industry_rows) {
    if (out.top_industries.size() == 5) break;
    out.top_industries.emplace_back(r.group, Round3(r.amount));
  }
  auto completeness =
      store_.DayCompleteness(scope->region_prefix, scope->enterprise_id, day_start, (now - day_start) / 1000);
  if (!completeness.ok()) return completeness.status();
  std::tie(out.received, out.expected) = *completeness;
  return out;
}

Result<std::vector<storage::EnergyRow>> Overview::ComprehensiveTotals(storage::EnergyQuery q,
                                                                      core::ElectricityConvention convention,
                                                                      Ranking& ranking) {
  // Each type's totals at the coefficient in force on the period's first day.
  auto all = store_.ListConversionFactors();
  if (!all.ok()) return all.status();
  std::map<std::pair<std::string, core::UnixMillis>, double> tonnes;
  std::set<std::string> listed;
  for (const auto& type : core::EnergyTypesWithCoefficients(*all)) {
    q.energy_type = type;
    auto totals = store_.EnergyTotals(q);
    if (!totals.ok()) return totals.status();
    for (const auto& r : *totals) {
      auto f = core::FactorInForce(*all, type, convention, core::FormatDate(core::ChinaDateOf(r.start)));
      if (!f) continue;
      tonnes[{r.group, r.start}] += r.amount * f->kgce_per_unit / 1000.0;
      if (listed.insert(fmt::format("{}/{}/{}", f->energy_type, f->variant, f->version)).second) {
        ranking.factors.push_back(*f);
      }
    }
  }
  std::vector<storage::EnergyRow> rows;
  rows.reserve(tonnes.size());
  for (const auto& [key, amount] : tonnes) rows.push_back({key.first, key.second, amount});
  return rows;
}

Result<std::vector<storage::EnergyRow>> Overview::Co2Totals(storage::EnergyQuery q, Ranking& ranking) {
  // Fuels at their factor, electricity at the grid factor of the configured region and year.
  auto all = store_.ListCo2Factors();
  if (!all.ok()) return all.status();
  std::set<std::string> types;
  for (const auto& f : *all) types.insert(f.energy_type);
  std::map<std::pair<std::string, core::UnixMillis>, double> tonnes;
  std::set<std::string> listed;
  for (const auto& type : types) {
    q.energy_type = type;
    auto totals = store_.EnergyTotals(q);
    if (!totals.ok()) return totals.status();
    for (const auto& r : *totals) {
      auto f = core::Co2FactorFor(*all, type, options_.grid, core::FormatDate(core::ChinaDateOf(r.start)));
      if (!f) continue;
      tonnes[{r.group, r.start}] += r.amount * f->kg_per_unit / 1000.0;
      if (listed.insert(fmt::format("{}/{}/{}/{}", f->energy_type, f->grid_region, f->year, f->version)).second) {
        ranking.co2_factors.push_back(*f);
      }
    }
  }
  std::vector<storage::EnergyRow> rows;
  rows.reserve(tonnes.size());
  for (const auto& [key, amount] : tonnes) rows.push_back({key.first, key.second, amount});
  return rows;
}

Result<Ranking> Overview::Rank(const registry::Caller& caller, RankingRequest request) {
  auto scope = security::ScopeFor(caller.principal, security::Action::kEnterpriseRead);
  if (!scope.ok()) return scope.status();
  std::vector<core::FieldError> errors;
  if (request.group_by != "region" && request.group_by != "industry" && request.group_by != "enterprise") {
    errors.push_back({"group_by", "must be region, industry or enterprise"});
  }
  const bool comprehensive = request.energy_type == kComprehensive;
  const bool co2 = request.energy_type == kCo2;
  auto type = core::FindEnergyType(request.energy_type);
  if (!type && !comprehensive && !co2) errors.push_back({"energy_type", "unknown energy type " + request.energy_type});
  if (request.step != "day" && request.step != "month") errors.push_back({"step", "must be day or month"});
  security::ListScope effective = *scope;
  bool nothing = false;
  if (!request.region.empty()) {
    if (core::LevelOfRegionCode(request.region) == core::RegionLevel::kInvalid) {
      errors.push_back({"region", "must be a GB/T 2260 region code"});
    } else if (auto narrowed = security::NarrowToRegion(*scope, request.region)) {
      effective = *narrowed;
    } else {
      nothing = true;  // filtered, not refused
    }
  }
  if (!errors.empty()) return Status::InvalidArgument("invalid energy query", std::move(errors));
  if (request.enterprise) {
    // Out of scope answers 404 like every other record, not an empty list that hides the refusal.
    auto e = registry_.Get(caller, registry::Kind::kEnterprise, *request.enterprise);
    if (!e.ok()) return e.status();
    effective.enterprise_id = *request.enterprise;
  }
  Ranking ranking;
  ranking.convention = request.convention.value_or(options_.convention);
  ranking.unit = comprehensive ? "tce" : co2 ? "t" : std::string(type->unit);
  storage::EnergyQuery q{.group_by = request.group_by,
                         .region_prefix = effective.region_prefix,
                         .enterprise_id = effective.enterprise_id,
                         .industry = request.industry,
                         .energy_type = request.energy_type,
                         .step = request.step,
                         .from = request.from,
                         .to = request.to};
  // Regions group one level below the requested one: province -> cities -> counties.
  q.group_key_length = effective.region_prefix.size() <= 2 ? 4 : 6;
  std::vector<storage::EnergyRow> rows;
  if (!nothing) {
    auto totals = comprehensive ? ComprehensiveTotals(q, ranking.convention, ranking)
                  : co2         ? Co2Totals(q, ranking)
                                : store_.EnergyTotals(q);
    if (!totals.ok()) return totals.status();
    rows = std::move(totals).value();
  }
  std::map<std::string, RankedGroup> groups;
  for (const auto& r : rows) {
    auto& g = groups[r.group];
    g.key = r.group;
    g.total += r.amount;
    g.series.emplace_back(r.start, Round3(r.amount));
  }
  for (auto& [key, g] : groups) {
    g.total = Round3(g.total);
    ranking.groups.push_back(std::move(g));
  }
  std::sort(ranking.groups.begin(), ranking.groups.end(),
            [](const auto& a, const auto& b) { return a.total > b.total; });
  if (ranking.groups.size() > static_cast<size_t>(request.limit)) ranking.groups.resize(request.limit);
  for (auto& g : ranking.groups) {
    if (request.group_by == "region") {
      g.key += std::string(6 - std::min<size_t>(6, g.key.size()), '0');
    } else if (request.group_by == "enterprise") {
      auto e = store_.GetRecord(core::EnterpriseSchema(), std::atoll(g.key.c_str()));
      if (e.ok()) g.name = storage::AsText(e->at("name"));
    }
  }
  return ranking;
}

Result<CompletenessPage> Overview::Incomplete(const registry::Caller& caller, core::CivilDate date, double below,
                                              int page, int page_size) {
  // Point codes and sample counts: metering data, so point.read.
  auto scope = security::ScopeFor(caller.principal, security::Action::kPointRead);
  if (!scope.ok()) return scope.status();
  auto now = clock_.Now();
  CompletenessPage out;
  out.day_start = core::ChinaMidnight(date);
  if (out.day_start > now)
    return Status::InvalidArgument("invalid completeness query", {{"date", "must not be in the future"}});
  out.elapsed_s = std::min<std::int64_t>(86'400, (now - out.day_start) / 1000);
  auto rows = store_.IncompletePoints(scope->region_prefix, scope->enterprise_id, out.day_start, out.elapsed_s, below);
  if (!rows.ok()) return rows.status();
  out.total = static_cast<std::int64_t>(rows->size());
  for (size_t i = static_cast<size_t>(page - 1) * page_size;
       i < rows->size() && out.items.size() < static_cast<size_t>(page_size); ++i) {
    out.items.push_back((*rows)[i]);
  }
  return out;
}

}  // namespace kiln::analysis
