#include "analysis/accounting.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace kiln::analysis {

using core::Result;
using core::Status;

std::optional<AccountingPeriod> ParseAccountingPeriod(const std::string& text) {
  AccountingPeriod p{.text = text};
  auto month = [&](int year, int m) { return core::ParseReportPeriod(core::ReportKind::kMonthly, fmt::format("{}-{:02}", year, m)); };
  int year = 0, quarter = 0;
  if (auto m = core::ParseReportPeriod(core::ReportKind::kMonthly, text)) {
    p.kind = "month";
    p.months.push_back(*m);
  } else if (text.size() == 7 && text[4] == '-' && text[5] == 'Q' && std::sscanf(text.c_str(), "%4d-Q%1d", &year, &quarter) == 2 &&
             quarter >= 1 && quarter <= 4 && core::ParseReportPeriod(core::ReportKind::kYearly, text.substr(0, 4))) {
    p.kind = "quarter";
    for (int m = 3 * quarter - 2; m <= 3 * quarter; ++m) p.months.push_back(*month(year, m));
  } else if (core::ParseReportPeriod(core::ReportKind::kYearly, text)) {
    p.kind = "year";
    year = std::atoi(text.c_str());
    for (int m = 1; m <= 12; ++m) p.months.push_back(*month(year, m));
  } else {
    return std::nullopt;
  }
  return p;
}

Result<MonthSource> Accounting::Month(std::int64_t enterprise_id, const core::ReportPeriod& month) {
  MonthSource out{.month = month.text};
  auto report = store_.FindReport(enterprise_id, "monthly", month.text);
  if (!report.ok()) return report.status();
  if (*report && (*report)->status == "approved") {
    auto versions = store_.ReportVersions((*report)->id);
    if (!versions.ok()) return versions.status();
    if (!versions->empty()) {
      const auto& v = versions->back();
      auto content = nlohmann::json::parse(v.content, nullptr, false);
      out.source = "report";
      out.report_id = (*report)->id;
      out.version = v.version;
      if (content.is_object() && content["energy"].is_object()) {
        for (const auto& [key, value] : content["energy"].items()) {
          if (key != "comprehensive" && value.is_number()) out.amounts[key] = value.get<double>();
        }
      }
      if (content.is_object() && content["business"].is_object() && content["business"]["value_added"].is_number()) {
        out.value_added = content["business"]["value_added"].get<double>();
      }
      out.published_factors = core::FactorsFromJsonText(v.factors);
      return out;
    }
  }
  out.source = "metered";
  storage::EnergyQuery q{.group_by = "energy_type", .region_prefix = "", .enterprise_id = enterprise_id,
                         .energy_type = "", .step = "month", .from = month.start, .to = month.end};
  auto rows = store_.EnergyTotals(q);
  if (!rows.ok()) return rows.status();
  for (const auto& r : *rows) out.amounts[r.group] += r.amount;
  return out;
}

Result<EnterpriseAccount> Accounting::Enterprise(const registry::Caller& caller, std::int64_t enterprise_id,
                                                 const std::string& period) {
  auto p = ParseAccountingPeriod(period);
  if (!p) {
    return Status::InvalidArgument("invalid accounting period", {{"period", "must be YYYY-MM, YYYY-Qn or YYYY"}});
  }
  auto enterprise = registry_.Get(caller, registry::Kind::kEnterprise, enterprise_id);
  if (!enterprise.ok()) return enterprise.status();
  auto factors = store_.ListConversionFactors();
  if (!factors.ok()) return factors.status();
  auto co2 = store_.ListCo2Factors();
  if (!co2.ok()) return co2.status();

  EnterpriseAccount account{.period = *p, .dual_control = convention_, .grid = grid_};
  std::map<std::string, AccountLine> lines;
  bool value_added_every_month = true;
  double value_added = 0;
  auto remember = [](auto& list, const auto& factor, auto same) {
    if (std::none_of(list.begin(), list.end(), [&](const auto& f) { return same(f, factor); })) list.push_back(factor);
  };
  for (const auto& month : p->months) {
    auto source = Month(enterprise_id, month);
    if (!source.ok()) return source.status();
    auto date = core::FormatDate(core::ChinaDateOf(month.start));
    for (const auto& [type, amount] : source->amounts) {
      auto& line = lines[type];
      line.energy_type = type;
      line.amount += amount;
      if (type == "other") {  // reported directly in tce, no CO2 factor
        line.tce_equivalent += amount;
        line.tce_equal += amount;
        line.converted = true;
        continue;
      }
      // A published report keeps the factor versions it was checked with; a later version does not rewrite it.
      auto eq = core::FactorInForce(source->published_factors, type, core::ElectricityConvention::kEquivalent, date);
      if (!eq) eq = core::FactorInForce(*factors, type, core::ElectricityConvention::kEquivalent, date);
      auto eql = core::FactorInForce(source->published_factors, type, core::ElectricityConvention::kEqual, date);
      if (!eql) eql = core::FactorInForce(*factors, type, core::ElectricityConvention::kEqual, date);
      if (eq && eql) {
        line.tce_equivalent += amount * eq->kgce_per_unit / 1000;
        line.tce_equal += amount * eql->kgce_per_unit / 1000;
        line.converted = true;
        auto same = [](const core::ConversionFactor& a, const core::ConversionFactor& b) {
          return a.energy_type == b.energy_type && a.variant == b.variant && a.version == b.version;
        };
        remember(account.factors, *eq, same);
        remember(account.factors, *eql, same);
      }
      if (auto f = core::Co2FactorFor(*co2, type, grid_, date)) {
        line.co2_kg += amount * f->kg_per_unit;
        line.emits = true;
        remember(account.co2_factors, *f, [](const core::Co2Factor& a, const core::Co2Factor& b) {
          return a.energy_type == b.energy_type && a.grid_region == b.grid_region && a.year == b.year &&
                 a.version == b.version;
        });
      }
    }
    if (source->value_added) value_added += *source->value_added;
    else value_added_every_month = false;
    account.months.push_back(std::move(source).value());
  }
  for (auto& [type, line] : lines) {
    account.tce_equivalent += line.tce_equivalent;
    account.tce_equal += line.tce_equal;
    account.co2_t += line.co2_kg / 1000;
    account.lines.push_back(line);
  }
  if (value_added_every_month && !p->months.empty()) account.value_added = value_added;
  return account;
}

}  // namespace kiln::analysis
