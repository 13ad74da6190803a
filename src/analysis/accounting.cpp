#include "analysis/accounting.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <set>

#include "core/energy_types.hpp"
#include "core/regions.hpp"
#include "core/registry_schema.hpp"
#include "security/access.hpp"

namespace kiln::analysis {

using core::Result;
using core::Status;
using nlohmann::json;

namespace {

constexpr core::UnixMillis kDayMs = 86'400'000;
// A meter of the main product's output gives the denominator of unit consumption, not an energy amount.
constexpr const char* kOutputType = "product_output";

using SourceKey = std::pair<std::int64_t, std::string>;  // enterprise, month (or day)

// The approved report's lines, value added and main product.
MonthSource FromReport(const storage::Report& report, const storage::ReportVersion& v) {
  MonthSource out{.month = report.period, .source = "report", .report_id = report.id, .version = v.version};
  auto content = json::parse(v.content, nullptr, false);
  if (content.is_object() && content["energy"].is_object()) {
    for (const auto& [key, value] : content["energy"].items()) {
      if (!value.is_number()) continue;
      if (key == "feedstock") out.feedstock_tce = value.get<double>();
      if (key == "renewable_electricity") out.renewable_kwh = value.get<double>();
      if (!core::IsEnergyLine(key)) continue;
      out.amounts[key] = value.get<double>();
      out.by_type[key] = {.source = "report", .amount = value.get<double>()};
    }
  }
  if (content.is_object() && content["business"].is_object() && content["business"]["value_added"].is_number()) {
    out.value_added = content["business"]["value_added"].get<double>();
  }
  if (content.is_object() && content["production"].is_array() && !content["production"].empty()) {
    const auto& first = content["production"][0];
    if (first.is_object() && first["product"].is_string()) {
      out.product = first["product"].get<std::string>();
      double output = 0;
      bool any = false;
      for (const auto& p : content["production"]) {
        if (p.is_object() && p.value("product", "") == out.product && p["output"].is_number()) {
          output += p["output"].get<double>();
          any = true;
        }
      }
      if (any) out.output = output;
    }
  }
  out.published_factors = core::FactorsFromJsonText(v.factors);
  return out;
}

template <typename T, typename Same>
void Remember(std::vector<T>& list, const T& item, Same same) {
  if (std::none_of(list.begin(), list.end(), [&](const T& x) { return same(x, item); })) list.push_back(item);
}

bool SameFactor(const core::ConversionFactor& a, const core::ConversionFactor& b) {
  return a.energy_type == b.energy_type && a.variant == b.variant && a.version == b.version;
}

bool SameCo2(const core::Co2Factor& a, const core::Co2Factor& b) {
  return a.energy_type == b.energy_type && a.grid_region == b.grid_region && a.year == b.year && a.version == b.version;
}

}  // namespace

std::optional<AccountingPeriod> ParseAccountingPeriod(const std::string& text) {
  AccountingPeriod p{.text = text};
  auto month = [&](int year, int m) {
    return core::ParseReportPeriod(core::ReportKind::kMonthly, fmt::format("{}-{:02}", year, m));
  };
  int year = 0, quarter = 0;
  if (text.size() == 10 && core::ParseDate(text) && core::FormatDate(*core::ParseDate(text)) == text) {
    p.kind = "day";
    p.start = core::ChinaMidnight(*core::ParseDate(text));
    p.end = p.start + kDayMs;
    return p;
  }
  if (auto m = core::ParseReportPeriod(core::ReportKind::kMonthly, text)) {
    p.kind = "month";
    p.months.push_back(*m);
  } else if (text.size() == 7 && text[4] == '-' && text[5] == 'Q' &&
             std::sscanf(text.c_str(), "%4d-Q%1d", &year, &quarter) == 2 && quarter >= 1 && quarter <= 4 &&
             core::ParseReportPeriod(core::ReportKind::kYearly, text.substr(0, 4))) {
    p.kind = "quarter";
    for (int m = 3 * quarter - 2; m <= 3 * quarter; ++m) p.months.push_back(*month(year, m));
  } else if (core::ParseReportPeriod(core::ReportKind::kYearly, text)) {
    p.kind = "year";
    year = std::atoi(text.c_str());
    for (int m = 1; m <= 12; ++m) p.months.push_back(*month(year, m));
  } else {
    return std::nullopt;
  }
  p.start = p.months.front().start;
  p.end = p.months.back().end;
  return p;
}

Result<Accounting::RawSources> Accounting::LoadRaw(const std::vector<storage::EnterpriseIdentity>& enterprises,
                                                   const std::string& region_prefix, const AccountingPeriod& period,
                                                   const std::vector<std::string>& report_statuses) {
  RawSources raw;
  auto& reported = raw.reported;
  auto& department = raw.department;
  auto& metered = raw.metered;
  std::set<std::int64_t> ids;
  for (const auto& e : enterprises) ids.insert(e.id);
  std::optional<std::int64_t> single;
  if (enterprises.size() == 1) single = enterprises.front().id;

  // 1. Approved monthly reports.
  for (const auto& m : period.months) {
    storage::ReportListQuery q{.region_prefix = region_prefix,
                               .enterprise_id = single,
                               .kind = "monthly",
                               .period = m.text,
                               .statuses = report_statuses,
                               .page = 1,
                               .page_size = 1'000'000};
    auto reports = store_.ListReports(q);
    if (!reports.ok()) return reports.status();
    for (const auto& r : reports->first) {
      if (!ids.contains(r.enterprise_id)) continue;
      auto versions = store_.ReportVersions(r.id);
      if (!versions.ok()) return versions.status();
      if (versions->empty()) continue;
      reported[{r.enterprise_id, m.text}] = FromReport(r, versions->back());
    }
  }

  // 2. Department records of monthly tasks whose fields are energy amounts.
  if (!period.months.empty()) {
    auto tasks = store_.ListCollectionTasks();
    if (!tasks.ok()) return tasks.status();
    std::map<std::string, core::CollectionTask> current;
    for (const auto& t : *tasks) current[t.code] = t;
    std::vector<std::string> codes;
    for (const auto& [code, t] : current) {
      // Energy amounts, and the statistics of output and value added (fields "output", "product", "value_added").
      bool used = std::any_of(t.fields.begin(), t.fields.end(), [](const auto& f) {
        return !f.energy_type.empty() || f.key == "output" || f.key == "value_added" || f.key == "feedstock";
      });
      if (t.frequency == "monthly" && used) codes.push_back(code);
    }
    auto records = store_.DepartmentRecordsFor(codes, single, period.months.front().text, period.months.back().text);
    if (!records.ok()) return records.status();
    for (const auto& r : *records) {
      if (!ids.contains(r.enterprise_id)) continue;
      auto data = json::parse(r.data, nullptr, false);
      if (!data.is_object()) continue;
      auto& stats = raw.statistics[{r.enterprise_id, r.period}];
      if (data["output"].is_number() && !stats.output) {
        stats.output = data["output"].get<double>();
        if (data["product"].is_string()) stats.product = data["product"].get<std::string>();
      }
      if (data["value_added"].is_number() && !stats.value_added) stats.value_added = data["value_added"].get<double>();
      if (data["feedstock"].is_number() && !stats.feedstock_tce) stats.feedstock_tce = data["feedstock"].get<double>();
      if (data["renewable_electricity"].is_number() && !stats.renewable_kwh) {
        stats.renewable_kwh = data["renewable_electricity"].get<double>();
      }
      for (const auto& f : current[r.task_code].fields) {
        if (f.energy_type.empty() || !data[f.key].is_number()) continue;
        auto& slot = department[{r.enterprise_id, r.period}];
        if (slot.contains(f.energy_type)) continue;
        slot[f.energy_type] = {.source = "department",
                               .amount = data[f.key].get<double>(),
                               .task = r.task_code,
                               .record_id = r.id,
                               .upload_id = r.upload_id,
                               .row = r.row_number};
      }
    }
  }

  // 3. Metered use by enterprise and energy type.
  storage::EnergyQuery q{.group_by = "enterprise_energy_type",
                         .region_prefix = region_prefix,
                         .enterprise_id = single,
                         .energy_type = "",
                         .step = period.kind == "day" ? "day" : "month",
                         .from = period.start,
                         .to = period.end};
  auto rows = store_.EnergyTotals(q);
  if (!rows.ok()) return rows.status();
  for (const auto& r : *rows) {
    auto colon = r.group.find(':');
    if (colon == std::string::npos) continue;
    std::int64_t id = std::atoll(r.group.substr(0, colon).c_str());
    if (!ids.contains(id)) continue;
    std::string when = period.kind == "day" ? period.text : core::FormatDate(core::ChinaDateOf(r.start)).substr(0, 7);
    metered[{id, when}][r.group.substr(colon + 1)] += r.amount;
  }

  return raw;
}

Result<std::map<SourceKey, MonthSource>> Accounting::LoadSources(
    const std::vector<storage::EnterpriseIdentity>& enterprises, const std::string& region_prefix,
    const AccountingPeriod& period) {
  auto raw = LoadRaw(enterprises, region_prefix, period);
  if (!raw.ok()) return raw.status();
  auto& reported = raw->reported;
  auto& department = raw->department;
  auto& metered = raw->metered;
  std::set<std::int64_t> ids;
  for (const auto& e : enterprises) ids.insert(e.id);
  std::vector<std::string> slots;
  if (period.kind == "day") slots.push_back(period.text);
  for (const auto& m : period.months) slots.push_back(m.text);
  std::map<SourceKey, MonthSource> out;
  for (std::int64_t id : ids) {
    for (const auto& when : slots) {
      SourceKey key{id, when};
      if (auto it = reported.find(key); it != reported.end()) {
        out[key] = std::move(it->second);
        continue;
      }
      MonthSource ms{.month = when};
      const auto& dept = department[key];
      const auto& meter = metered[key];
      const auto& stats = raw->statistics[key];
      ms.value_added = stats.value_added;
      ms.output = stats.output;
      ms.product = stats.product;
      ms.feedstock_tce = stats.feedstock_tce;
      ms.renewable_kwh = stats.renewable_kwh;
      for (const auto& [type, input] : dept) ms.by_type[type] = input;
      for (const auto& [type, amount] : meter) {
        if (type == kOutputType) {
          if (!ms.output) ms.output = amount;  // the statistics office's figure first
          continue;
        }
        if (!ms.by_type.contains(type)) ms.by_type[type] = {.source = "metered", .amount = amount};
      }
      std::set<std::string> used;
      for (const auto& [type, input] : ms.by_type) {
        ms.amounts[type] = input.amount;
        used.insert(input.source);
      }
      ms.source = used.size() > 1 ? "mixed" : used.empty() ? "metered" : *used.begin();
      out[key] = std::move(ms);
    }
  }
  return out;
}

Result<Accounting::Reference> Accounting::LoadReference() {
  Reference ref;
  auto factors = store_.ListConversionFactors();
  if (!factors.ok()) return factors.status();
  ref.factors = std::move(factors).value();
  auto co2 = store_.ListCo2Factors();
  if (!co2.ok()) return co2.status();
  ref.co2 = std::move(co2).value();
  auto levels = store_.ListEfficiencyLevels();
  if (!levels.ok()) return levels.status();
  ref.levels = core::CurrentLevels(*levels);
  return ref;
}

void Accounting::Convert(EnterpriseAccount& account, std::vector<MonthSource> months, const Reference& ref,
                         const std::string& fallback_product) const {
  std::map<std::string, AccountLine> lines;
  bool value_added_every_month = true, output_every_month = true;
  double value_added = 0, output = 0;
  std::string product;
  for (auto& source : months) {
    const auto& when = source.month;
    // Factors in force on the period's first day.
    std::string date = when.size() == 10 ? when : when + "-01";
    for (const auto& [type, input] : source.by_type) {
      auto& line = lines[type];
      line.energy_type = type;
      line.amount += input.amount;
      Term term{.month = when, .energy_type = type, .input = input};
      if (type == "other") {  // reported directly in tce, no CO2 factor
        term.tce_equivalent = term.tce_equal = input.amount;
        line.converted = true;
      } else {
        // A published report keeps the factor versions it was checked with; a later version does not rewrite it.
        term.equivalent =
            core::FactorInForce(source.published_factors, type, core::ElectricityConvention::kEquivalent, date);
        if (!term.equivalent)
          term.equivalent = core::FactorInForce(ref.factors, type, core::ElectricityConvention::kEquivalent, date);
        term.equal = core::FactorInForce(source.published_factors, type, core::ElectricityConvention::kEqual, date);
        if (!term.equal) term.equal = core::FactorInForce(ref.factors, type, core::ElectricityConvention::kEqual, date);
        if (term.equivalent && term.equal) {
          term.tce_equivalent = input.amount * term.equivalent->kgce_per_unit / 1000;
          term.tce_equal = input.amount * term.equal->kgce_per_unit / 1000;
          line.converted = true;
          Remember(account.factors, *term.equivalent, SameFactor);
          Remember(account.factors, *term.equal, SameFactor);
        }
        term.co2 = core::Co2FactorFor(ref.co2, type, grid_, date);
        if (term.co2) {
          term.co2_kg = input.amount * term.co2->kg_per_unit;
          line.emits = true;
          Remember(account.co2_factors, *term.co2, SameCo2);
        }
      }
      line.tce_equivalent += term.tce_equivalent;
      line.tce_equal += term.tce_equal;
      line.co2_kg += term.co2_kg;
      account.terms.push_back(std::move(term));
    }
    account.feedstock_tce += source.feedstock_tce.value_or(0);
    if (source.renewable_kwh && *source.renewable_kwh > 0) {
      // Renewable electricity at the month's electricity factors, in both conventions.
      for (auto it = account.terms.rbegin(); it != account.terms.rend() && it->month == when; ++it) {
        if (it->energy_type != "electricity" || !it->equivalent || !it->equal) continue;
        account.renewable_tce_equivalent += *source.renewable_kwh * it->equivalent->kgce_per_unit / 1000;
        account.renewable_tce_equal += *source.renewable_kwh * it->equal->kgce_per_unit / 1000;
        break;
      }
    }
    if (source.value_added)
      value_added += *source.value_added;
    else
      value_added_every_month = false;
    if (source.output)
      output += *source.output;
    else
      output_every_month = false;
    if (product.empty()) product = source.product;
    account.months.push_back(std::move(source));
  }
  for (auto& [type, line] : lines) {
    account.tce_equivalent += line.tce_equivalent;
    account.tce_equal += line.tce_equal;
    account.co2_t += line.co2_kg / 1000;
    account.lines.push_back(line);
  }
  if (value_added_every_month && !account.months.empty()) account.value_added = value_added;
  if (output_every_month && !account.months.empty() && output > 0) account.output = output;
  if (product.empty()) product = fallback_product;
  if (account.output) {
    EfficiencyResult eff{.product = product, .kgce_per_t = account.DualControlTce() * 1000 / *account.output};
    if (auto level = core::CurrentLevel(ref.levels, product); level && !product.empty()) {
      eff.level = *level;
      eff.efficiency_class = core::ClassifyEfficiency(eff.kgce_per_t, "kgce/t", *level);
    }
    account.efficiency = eff;
  }
}

static std::vector<std::string> Slots(const AccountingPeriod& p) {
  std::vector<std::string> slots;
  if (p.kind == "day") slots.push_back(p.text);
  for (const auto& m : p.months) slots.push_back(m.text);
  return slots;
}

Result<std::vector<EnterpriseAccount>> Accounting::Compute(const std::vector<storage::EnterpriseIdentity>& enterprises,
                                                           const std::string& region_prefix, const AccountingPeriod& p,
                                                           const std::string& fallback_product) {
  auto ref = LoadReference();
  if (!ref.ok()) return ref.status();
  auto sources = LoadSources(enterprises, region_prefix, p);
  if (!sources.ok()) return sources.status();
  std::vector<EnterpriseAccount> out;
  out.reserve(enterprises.size());
  for (const auto& e : enterprises) {
    EnterpriseAccount account{.enterprise_id = e.id,
                              .name = e.name,
                              .region = e.region,
                              .industry = e.industry,
                              .period = p,
                              .dual_control = convention_,
                              .grid = grid_,
                              .exclusions = exclusions_};
    std::vector<MonthSource> months;
    for (const auto& when : Slots(p)) months.push_back(std::move((*sources)[{e.id, when}]));
    Convert(account, std::move(months), *ref, fallback_product);
    out.push_back(std::move(account));
  }
  return out;
}

Result<std::vector<EnterpriseAccount>> Accounting::AllAccounts(const std::string& period) {
  auto p = ParseAccountingPeriod(period);
  if (!p) return Status::InvalidArgument("invalid accounting period", {{"period", "must be YYYY-MM or YYYY"}});
  auto enterprises = store_.EnterpriseIdentities("");
  if (!enterprises.ok()) return enterprises.status();
  return Compute(*enterprises, "", *p);
}

Result<EnterpriseAccount> Accounting::Project(const registry::Caller& caller, std::int64_t project_id,
                                              const std::string& period) {
  auto p = ParseAccountingPeriod(period);
  if (!p) {
    return Status::InvalidArgument("invalid accounting period",
                                   {{"period", "must be YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY"}});
  }
  auto project = registry_.Get(caller, registry::Kind::kProject, project_id);
  if (!project.ok()) return project.status();
  auto ref = LoadReference();
  if (!ref.ok()) return ref.status();
  storage::ListQuery q{.equals = {{"project_id", project_id}}, .page_size = 1000};
  auto points = store_.ListRecords(core::MeteringPointSchema(), q);
  if (!points.ok()) return points.status();
  bool daily = p->kind == "day";
  std::vector<MonthSource> months;
  for (const auto& when : Slots(*p)) {
    MonthSource ms{.month = when, .source = "metered"};
    core::UnixMillis from = p->start, to = p->end;
    if (!daily) {
      auto month = core::ParseReportPeriod(core::ReportKind::kMonthly, when);
      from = month->start;
      to = month->end;
    }
    for (const auto& point : points->items) {
      if (!storage::AsInt(point.at("in_total"))) continue;
      std::string type = storage::AsText(point.at("measures"));
      if (!core::FindEnergyType(type)) continue;  // pollutants
      auto rollups = store_.Rollups(storage::AsInt(point.at("id")),
                                    daily ? storage::RollupPeriod::kDay : storage::RollupPeriod::kMonth, from, to);
      if (!rollups.ok()) return rollups.status();
      double sum = 0;
      for (const auto& r : *rollups) sum += r.sum;
      if (type == kOutputType) {
        ms.output = ms.output.value_or(0) + sum;
        continue;
      }
      auto& input = ms.by_type[type];
      input.source = "metered";
      input.amount += sum;
      ms.amounts[type] += sum;
    }
    months.push_back(std::move(ms));
  }
  EnterpriseAccount account{.enterprise_id = storage::AsInt(project->at("enterprise_id")),
                            .name = storage::AsText(project->at("name")),
                            .region = storage::AsText(project->at("region")),
                            .industry = storage::AsText(project->at("industry")),
                            .period = *p,
                            .dual_control = convention_,
                            .grid = grid_,
                            .exclusions = exclusions_};
  Convert(account, std::move(months), *ref, storage::AsText(project->at("product")));
  return account;
}

Result<std::vector<SourceComparison>> Accounting::Compare(const registry::Caller& caller, std::int64_t enterprise_id,
                                                          const std::string& period) {
  auto record = registry_.Get(caller, registry::Kind::kEnterprise, enterprise_id);
  if (!record.ok()) return record.status();
  storage::EnterpriseIdentity identity{enterprise_id, "", "", storage::AsText(record->at("region")), ""};
  auto all = CompareAll({identity}, period, {"approved"});
  if (!all.ok()) return all.status();
  return std::move((*all)[enterprise_id]);
}

Result<std::map<std::int64_t, std::vector<SourceComparison>>> Accounting::CompareAll(
    const std::vector<storage::EnterpriseIdentity>& enterprises, const std::string& period,
    const std::vector<std::string>& report_statuses) {
  auto p = ParseAccountingPeriod(period);
  if (!p || p->kind == "day") {
    return Status::InvalidArgument("invalid comparison period", {{"period", "must be YYYY-MM, YYYY-Qn or YYYY"}});
  }
  auto raw = LoadRaw(enterprises, "", *p, report_statuses);
  if (!raw.ok()) return raw.status();
  std::map<std::int64_t, std::vector<SourceComparison>> out;
  for (const auto& e : enterprises) {
    auto& months = out[e.id];
    for (const auto& m : p->months) {
      SourceComparison c{.month = m.text};
      SourceKey key{e.id, m.text};
      if (auto it = raw->reported.find(key); it != raw->reported.end()) {
        c.report_id = it->second.report_id;
        for (const auto& [type, amount] : it->second.amounts) c.types[type].reported = amount;
      }
      if (auto it = raw->department.find(key); it != raw->department.end()) {
        for (const auto& [type, input] : it->second) {
          c.types[type].department = input.amount;
          c.types[type].department_task = input.task;
        }
      }
      if (auto it = raw->metered.find(key); it != raw->metered.end()) {
        for (const auto& [type, amount] : it->second) {
          if (type != kOutputType) c.types[type].metered = amount;
        }
      }
      auto pct = [](const std::optional<double>& other, const std::optional<double>& metered) -> std::optional<double> {
        if (!other || !metered || *metered <= 0) return std::nullopt;
        return std::round((*other - *metered) / *metered * 100 * 100) / 100;
      };
      for (auto& [type, f] : c.types) {
        f.reported_vs_metered_pct = pct(f.reported, f.metered);
        f.department_vs_metered_pct = pct(f.department, f.metered);
      }
      months.push_back(std::move(c));
    }
  }
  return out;
}

Result<EnterpriseAccount> Accounting::Enterprise(const registry::Caller& caller, std::int64_t enterprise_id,
                                                 const std::string& period) {
  auto p = ParseAccountingPeriod(period);
  if (!p) {
    return Status::InvalidArgument("invalid accounting period",
                                   {{"period", "must be YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY"}});
  }
  auto record = registry_.Get(caller, registry::Kind::kEnterprise, enterprise_id);
  if (!record.ok()) return record.status();
  storage::EnterpriseIdentity identity{enterprise_id, storage::AsText(record->at("uscc")),
                                       storage::AsText(record->at("name")), storage::AsText(record->at("region")),
                                       storage::AsText(record->at("industry"))};
  // Metered output without a report names no product: the enterprise's first project's is taken.
  storage::ListQuery q{.enterprise_id = enterprise_id, .page_size = 50};
  auto projects = store_.ListRecords(core::ProjectSchema(), q);
  if (!projects.ok()) return projects.status();
  std::string product;
  for (const auto& project : projects->items) {
    product = storage::AsText(project.at("product"));
    if (!product.empty()) break;
  }
  auto accounts = Compute({identity}, "", *p, product);
  if (!accounts.ok()) return accounts.status();
  return std::move(accounts->front());
}

Result<GroupResult> Accounting::Groups(const registry::Caller& caller, const GroupRequest& request) {
  std::vector<core::FieldError> errors;
  auto p = ParseAccountingPeriod(request.period);
  if (!p) errors.push_back({"period", "must be YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY"});
  if (request.group_by != "region" && request.group_by != "industry" && request.group_by != "enterprise") {
    errors.push_back({"group_by", "must be region, industry or enterprise"});
  }
  if (!errors.empty()) return Status::InvalidArgument("invalid accounting query", std::move(errors));
  auto scope = security::ScopeFor(caller.principal, security::Action::kAccountingRead);
  if (!scope.ok()) return scope.status();
  if (scope->enterprise_id) {
    return Status::PermissionDenied("an enterprise sees its own accounting, not its region's");
  }
  std::string prefix = scope->region_prefix;
  if (!request.region.empty()) {
    auto narrowed = security::NarrowToRegion(*scope, request.region);
    if (!narrowed) return Status::NotFound("region " + request.region + " is outside your jurisdiction");
    prefix = narrowed->region_prefix;
  }
  auto all = store_.EnterpriseIdentities(prefix);
  if (!all.ok()) return all.status();
  std::vector<storage::EnterpriseIdentity> enterprises;
  for (auto& e : *all) {
    if (request.industry.empty() || e.industry == request.industry) enterprises.push_back(std::move(e));
  }
  auto accounts = Compute(enterprises, prefix, *p);
  if (!accounts.ok()) return accounts.status();

  GroupResult result{.period = *p, .dual_control = convention_, .grid = grid_, .exclusions = exclusions_};
  std::map<std::string, GroupAccount> groups;
  auto add = [](GroupAccount& g, const EnterpriseAccount& a) {
    ++g.enterprises;
    g.tce_equivalent += a.tce_equivalent;
    g.tce_equal += a.tce_equal;
    g.co2_t += a.co2_t;
    g.controlled_tce += a.ControlledTce();
    g.feedstock_tce += a.feedstock_tce;
    g.renewable_tce += a.RenewableTce();
    if (a.value_added) {
      g.value_added += *a.value_added;
      ++g.value_added_enterprises;
    }
    for (const auto& m : a.months) ++g.month_sources[m.source];
  };
  for (const auto& a : *accounts) {
    std::string key;
    if (request.group_by == "industry")
      key = a.industry;
    else if (request.group_by == "enterprise")
      key = std::to_string(a.enterprise_id);
    else if (prefix.size() <= 2)
      key = a.region.substr(0, 4) + "00";  // a province's cities
    else
      key = a.region;  // a city's counties
    auto& g = groups[key];
    g.key = key;
    if (request.group_by == "enterprise") g.name = a.name;
    add(g, a);
    add(result.total, a);
    for (const auto& f : a.factors) Remember(result.factors, f, SameFactor);
    for (const auto& f : a.co2_factors) Remember(result.co2_factors, f, SameCo2);
  }
  result.total.key = prefix;
  for (auto& [key, g] : groups) result.groups.push_back(std::move(g));
  bool equivalent = convention_ == core::ElectricityConvention::kEquivalent;
  std::sort(result.groups.begin(), result.groups.end(), [&](const GroupAccount& a, const GroupAccount& b) {
    double x = equivalent ? a.tce_equivalent : a.tce_equal, y = equivalent ? b.tce_equivalent : b.tce_equal;
    return x != y ? x > y : a.key < b.key;
  });
  return result;
}

Result<Drilldown> Accounting::Drill(const registry::Caller& caller, const EnterpriseAccount& account,
                                    std::optional<std::int64_t> project_id, const std::string& energy_type) {
  Drilldown out;
  auto place = security::Target{account.region, account.enterprise_id, ""};
  out.points_hidden = !security::Authorize(caller.principal, security::Action::kPointRead, place).ok();
  std::vector<storage::PointInfo> points;
  if (!out.points_hidden && project_id) {
    storage::ListQuery q{.equals = {{"project_id", *project_id}}, .page_size = 1000};
    auto listed = store_.ListRecords(core::MeteringPointSchema(), q);
    if (!listed.ok()) return listed.status();
    for (const auto& p : listed->items) {
      points.push_back({.id = storage::AsInt(p.at("id")),
                        .code = storage::AsText(p.at("code")),
                        .kind = storage::AsText(p.at("kind")),
                        .measures = storage::AsText(p.at("measures")),
                        .unit = storage::AsText(p.at("unit")),
                        .in_total = storage::AsInt(p.at("in_total")) != 0});
    }
  } else if (!out.points_hidden) {
    auto all = store_.PointsOfEnterprise(account.enterprise_id);
    if (!all.ok()) return all.status();
    points = std::move(all).value();
  }
  const bool daily = account.period.kind == "day";
  for (const auto& t : account.terms) {
    if (!energy_type.empty() && t.energy_type != energy_type) continue;
    DrillTerm d{.term = t};
    if (t.input.source == "report") {
      auto m =
          std::find_if(account.months.begin(), account.months.end(), [&](const auto& x) { return x.month == t.month; });
      if (m != account.months.end()) {
        d.report_id = m->report_id;
        d.version = m->version;
      }
    }
    if (t.input.source == "metered" && !out.points_hidden) {
      core::UnixMillis from = account.period.start, to = account.period.end;
      if (!daily) {
        auto month = core::ParseReportPeriod(core::ReportKind::kMonthly, t.month);
        from = month->start;
        to = month->end;
      }
      for (const auto& p : points) {
        if (p.measures != t.energy_type || !p.in_total) continue;
        auto rollups =
            store_.Rollups(p.id, daily ? storage::RollupPeriod::kDay : storage::RollupPeriod::kMonth, from, to);
        if (!rollups.ok()) return rollups.status();
        MeterContribution c{.point_id = p.id, .code = p.code, .kind = p.kind, .unit = p.unit};
        for (const auto& r : *rollups) {
          c.amount += r.sum;
          c.samples += r.count;
          c.expected += r.expected;
          c.flagged += r.flagged;
        }
        d.points.push_back(std::move(c));
      }
    }
    out.terms.push_back(std::move(d));
  }
  return out;
}

}  // namespace kiln::analysis
