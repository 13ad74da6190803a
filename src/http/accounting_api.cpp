// Accounting: an enterprise's energy, comprehensive energy, CO2, intensities
// and efficiency class for a day, month, quarter or year; the same added up by
// county, city, industry or enterprise; the drill-down of any figure to its
// inputs, factor versions and formula; metered, reported and department
// figures side by side.

#include <cmath>
#include <fmt/format.h>

#include "core/efficiency.hpp"
#include "http/apis.hpp"
#include "http/reference_names.hpp"

namespace kiln::http {
namespace {

using nlohmann::json;

double Round(double v, double scale) { return std::round(v * scale) / scale; }

json SourceJson(const analysis::AmountSource& s) {
  json j = {{"source", s.source}, {"amount", Round(s.amount, 1e6)}};
  if (s.source == "department") {
    j["task"] = s.task;
    j["record_id"] = s.record_id ? json(*s.record_id) : json(nullptr);
    j["upload_id"] = s.upload_id ? json(*s.upload_id) : json(nullptr);
    j["row"] = s.row;
  }
  return j;
}

json Optional(const std::optional<double>& v, double scale = 1e6) { return v ? json(Round(*v, scale)) : json(nullptr); }

// What counts against the energy dual-control targets, and what the exclusions leave out.
json ControlledJson(const analysis::EnterpriseAccount& a) {
  return {{"tce", Round(a.ControlledTce(), 1e6)},         {"total_tce", Round(a.DualControlTce(), 1e6)},
          {"feedstock_tce", Round(a.feedstock_tce, 1e6)}, {"renewable_tce", Round(a.RenewableTce(), 1e6)},
          {"exclude_feedstock", a.exclusions.feedstock},  {"exclude_renewable", a.exclusions.renewable}};
}

class AccountingApi final : public Api {
 public:
  AccountingApi(Gate& gate, const ApiContext& c) : d_(c), names_(c.store) {
    gate.Session("GET", "/api/v1/accounting", this, &AccountingApi::Groups);
    gate.Session("GET", "/api/v1/accounting/enterprises/{id}", this, &AccountingApi::Enterprise);
    gate.Session("GET", "/api/v1/accounting/enterprises/{id}/drilldown", this, &AccountingApi::Drilldown);
    gate.Session("GET", "/api/v1/accounting/enterprises/{id}/sources", this, &AccountingApi::Sources);
    gate.Session("GET", "/api/v1/accounting/projects/{id}", this, &AccountingApi::ProjectAccount);
    gate.Session("GET", "/api/v1/accounting/projects/{id}/drilldown", this, &AccountingApi::ProjectDrilldown);
  }

 private:
  core::Result<analysis::EnterpriseAccount> Account(Request& req, const security::AuthenticatedSession& s,
                                                    bool project = false) {
    auto id = PathId(req);
    if (!id.ok()) return id.status();
    auto period = req.Query("period");
    if (!period) return core::Status::InvalidArgument("period is required", {{"period", "is required"}});
    if (project) return d_.accounting.Project({s.principal, req.remote_address}, *id, *period);
    return d_.accounting.Enterprise({s.principal, req.remote_address}, *id, *period);
  }

  // Metered, reported and department figures side by side, month by month, with how far each
  // other source is from the meters (DOMAIN.md section 1: 5 % is the tolerance).
  Response Sources(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto period = req.Query("period");
    if (!period) return ErrorResponse(core::Status::InvalidArgument("period is required", {{"period", "is required"}}));
    auto months = d_.accounting.Compare({s.principal, req.remote_address}, *id, *period);
    if (!months.ok()) return ErrorResponse(months.status());
    json items = json::array();
    for (const auto& m : *months) {
      json types = json::object();
      for (const auto& [type, f] : m.types) {
        types[type] = {{"metered", Optional(f.metered)},
                       {"reported", Optional(f.reported)},
                       {"department", Optional(f.department)},
                       {"department_task", f.department_task.empty() ? json(nullptr) : json(f.department_task)},
                       {"reported_vs_metered_pct", Optional(f.reported_vs_metered_pct, 100)},
                       {"department_vs_metered_pct", Optional(f.department_vs_metered_pct, 100)}};
      }
      items.push_back(
          {{"month", m.month}, {"report_id", m.report_id ? json(*m.report_id) : json(nullptr)}, {"types", types}});
    }
    return JsonResponse(200, {{"enterprise_id", *id},
                              {"period", *period},
                              {"tolerance_pct", analysis::kSourceTolerancePct},
                              {"months", items}});
  }

  Response ProjectAccount(Request& req, const security::AuthenticatedSession& s) {
    auto a = Account(req, s, true);
    if (!a.ok()) return ErrorResponse(a.status());
    auto out = AccountJson(*a);
    out["project_id"] = *PathId(req);
    out["project_name"] = a->name;
    out.erase("enterprise_name");
    return JsonResponse(200, out);
  }

  Response ProjectDrilldown(Request& req, const security::AuthenticatedSession& s) {
    auto a = Account(req, s, true);
    if (!a.ok()) return ErrorResponse(a.status());
    return DrilldownResponse(req, s, *a, *PathId(req));
  }

  static json Factors(const std::vector<core::ConversionFactor>& factors, const std::vector<core::Co2Factor>& co2) {
    json f = json::array(), c = json::array();
    for (const auto& x : factors) f.push_back(core::FactorJson(x));
    for (const auto& x : co2) c.push_back(core::Co2FactorJson(x));
    return {{"factors", f}, {"co2_factors", c}};
  }

  Response Enterprise(Request& req, const security::AuthenticatedSession& s) {
    auto a = Account(req, s);
    if (!a.ok()) return ErrorResponse(a.status());
    return JsonResponse(200, AccountJson(*a));
  }

  json AccountJson(const analysis::EnterpriseAccount& account) {
    const auto* a = &account;
    json months = json::array();
    for (const auto& m : a->months) {
      json amounts = json::object(), by_type = json::object();
      for (const auto& [type, amount] : m.amounts) amounts[type] = Round(amount, 1e6);
      for (const auto& [type, input] : m.by_type) by_type[type] = SourceJson(input);
      months.push_back({{"month", m.month},
                        {"source", m.source},
                        {"report_id", m.report_id ? json(*m.report_id) : json(nullptr)},
                        {"version", m.version},
                        {"amounts", amounts},
                        {"sources", by_type},
                        {"value_added", Optional(m.value_added)},
                        {"output", Optional(m.output)}});
    }
    json lines = json::array();
    for (const auto& l : a->lines) {
      lines.push_back({{"energy_type", l.energy_type},
                       {"amount", Round(l.amount, 1e6)},
                       {"tce_equivalent", l.converted ? json(Round(l.tce_equivalent, 1e6)) : json(nullptr)},
                       {"tce_equal", l.converted ? json(Round(l.tce_equal, 1e6)) : json(nullptr)},
                       {"co2_t", l.emits ? json(Round(l.co2_kg / 1000, 1e6)) : json(nullptr)}});
    }
    double dual = a->DualControlTce();
    json intensity = nullptr;
    if (a->value_added && *a->value_added > 0) {
      intensity = {{"tce_per_10k_yuan", Round(dual / *a->value_added, 1e8)},
                   {"controlled_tce_per_10k_yuan", Round(a->ControlledTce() / *a->value_added, 1e8)},
                   {"co2_t_per_10k_yuan", Round(a->co2_t / *a->value_added, 1e8)}};
    }
    json efficiency = nullptr;
    if (a->efficiency) {
      const auto& e = *a->efficiency;
      efficiency = {
          {"product", e.product.empty() ? json(nullptr) : json(e.product)},
          {"kgce_per_t", Round(e.kgce_per_t, 1e4)},
          {"advanced", e.level ? json(e.level->advanced) : json(nullptr)},
          {"benchmark", e.level ? json(e.level->benchmark) : json(nullptr)},
          {"indicator_unit", e.level ? json(e.level->indicator_unit) : json(nullptr)},
          {"class", e.efficiency_class ? json(core::EfficiencyClassName(*e.efficiency_class)) : json(nullptr)}};
    }
    json out = {{"enterprise_id", a->enterprise_id},
                {"enterprise_name", a->name},
                {"period", a->period.text},
                {"kind", a->period.kind},
                {"months", months},
                {"lines", lines},
                {"comprehensive_tce",
                 {{"equivalent", Round(a->tce_equivalent, 1e6)},
                  {"equal", Round(a->tce_equal, 1e6)},
                  {"dual_control", core::ElectricityConventionName(a->dual_control)}}},
                {"controlled", ControlledJson(*a)},
                {"co2_t", Round(a->co2_t, 1e6)},
                {"value_added", Optional(a->value_added)},
                {"output", Optional(a->output)},
                {"intensity", intensity},
                {"efficiency", efficiency},
                {"grid", {{"region", a->grid.region}, {"year", a->grid.year}}}};
    out.update(Factors(a->factors, a->co2_factors));
    return out;
  }

  // Every input of one energy type (or all) in the period: where each amount comes from, the factor
  // versions applied, the products; for metered amounts the metering points and their rollups.
  Response Drilldown(Request& req, const security::AuthenticatedSession& s) {
    auto a = Account(req, s);
    if (!a.ok()) return ErrorResponse(a.status());
    return DrilldownResponse(req, s, *a, std::nullopt);
  }

  Response DrilldownResponse(Request& req, const security::AuthenticatedSession& s,
                             const analysis::EnterpriseAccount& account, std::optional<std::int64_t> project_id) {
    const auto* a = &account;
    std::string type = req.Query("energy_type").value_or("");
    auto drill = d_.accounting.Drill({s.principal, req.remote_address}, account, project_id, type);
    if (!drill.ok()) return ErrorResponse(drill.status());
    json terms = json::array();
    for (const auto& d : drill->terms) {
      const auto& t = d.term;
      json term = {{"month", t.month},
                   {"energy_type", t.energy_type},
                   {"input", SourceJson(t.input)},
                   {"equivalent", t.equivalent ? core::FactorJson(*t.equivalent) : json(nullptr)},
                   {"equal", t.equal ? core::FactorJson(*t.equal) : json(nullptr)},
                   {"co2_factor", t.co2 ? core::Co2FactorJson(*t.co2) : json(nullptr)},
                   {"tce_equivalent", Round(t.tce_equivalent, 1e6)},
                   {"tce_equal", Round(t.tce_equal, 1e6)},
                   {"co2_kg", Round(t.co2_kg, 1e3)}};
      if (t.input.source == "report") {
        term["input"]["report_id"] = d.report_id ? json(*d.report_id) : json(nullptr);
        term["input"]["version"] = d.version;
        term["input"]["field"] = "energy." + t.energy_type;
      }
      if (t.input.source == "metered" && !drill->points_hidden) {
        json meters = json::array();
        for (const auto& p : d.points) {
          meters.push_back({{"point_id", p.point_id},
                            {"code", p.code},
                            {"kind", p.kind},
                            {"unit", p.unit},
                            {"amount", Round(p.amount, 1e6)},
                            {"samples", p.samples},
                            {"expected", p.expected},
                            {"flagged", p.flagged}});
        }
        term["input"]["points"] = meters;
      }
      terms.push_back(std::move(term));
    }
    json out = {
        {"enterprise_id", a->enterprise_id},
        {"enterprise_name", a->name},
        {"project_id", project_id ? json(*project_id) : json(nullptr)},
        {"period", a->period.text},
        {"energy_type", type.empty() ? json(nullptr) : json(type)},
        {"terms", terms},
        {"points_hidden", drill->points_hidden},
        {"formula",
         {{"comprehensive", "综合能耗(tce) = Σ 各月各能源品种实物量 × 折标系数(kgce/单位) ÷ 1000"},
          {"co2", "CO₂(t) = Σ 各月各能源品种实物量 × 排放因子(kgCO₂/单位) ÷ 1000"},
          {"sources", "每月每个品种取最优来源：已审核通过的月报 > 部门报送数据 > 计量数据"}}},
        {"comprehensive_tce", {{"equivalent", Round(a->tce_equivalent, 1e6)}, {"equal", Round(a->tce_equal, 1e6)}}},
        {"co2_t", Round(a->co2_t, 1e6)}};
    out.update(Factors(a->factors, a->co2_factors));
    return JsonResponse(200, out);
  }

  Response Groups(Request& req, const security::AuthenticatedSession& s) {
    analysis::GroupRequest q{.group_by = req.Query("group_by").value_or("region"),
                             .region = req.Query("region").value_or(""),
                             .industry = req.Query("industry").value_or(""),
                             .period = req.Query("period").value_or("")};
    auto r = d_.accounting.Groups({s.principal, req.remote_address}, q);
    if (!r.ok()) return ErrorResponse(r.status());
    auto group_json = [&](const analysis::GroupAccount& g) {
      std::string name = q.group_by == "industry"     ? names_.Industry(g.key)
                         : q.group_by == "enterprise" ? g.name
                                                      : names_.Region(g.key);
      json sources = json::object();
      for (const auto& [source, n] : g.month_sources) sources[source] = n;
      double dual = r->dual_control == core::ElectricityConvention::kEquivalent ? g.tce_equivalent : g.tce_equal;
      return json{{"key", g.key},
                  {"name", name},
                  {"enterprises", g.enterprises},
                  {"tce_equivalent", Round(g.tce_equivalent, 1e6)},
                  {"tce_equal", Round(g.tce_equal, 1e6)},
                  {"controlled_tce", Round(g.controlled_tce, 1e6)},
                  {"feedstock_tce", Round(g.feedstock_tce, 1e6)},
                  {"renewable_tce", Round(g.renewable_tce, 1e6)},
                  {"co2_t", Round(g.co2_t, 1e6)},
                  {"value_added", g.value_added_enterprises ? json(Round(g.value_added, 1e4)) : json(nullptr)},
                  {"value_added_enterprises", g.value_added_enterprises},
                  {"month_sources", sources},
                  {"tce_per_10k_yuan", g.value_added_enterprises == g.enterprises && g.value_added > 0
                                           ? json(Round(dual / g.value_added, 1e8))
                                           : json(nullptr)}};
    };
    json items = json::array();
    for (const auto& g : r->groups) items.push_back(group_json(g));
    json total = group_json(r->total);
    total["name"] = q.region.empty() ? json("") : json(names_.Region(q.region));
    json out = {{"period", r->period.text},
                {"kind", r->period.kind},
                {"group_by", q.group_by},
                {"items", items},
                {"total", total},
                {"dual_control", core::ElectricityConventionName(r->dual_control)},
                {"exclusions", {{"feedstock", r->exclusions.feedstock}, {"renewable", r->exclusions.renewable}}},
                {"grid", {{"region", r->grid.region}, {"year", r->grid.year}}}};
    out.update(Factors(r->factors, r->co2_factors));
    return JsonResponse(200, out);
  }

  const ApiContext d_;
  ReferenceNames names_;
};

}  // namespace

std::unique_ptr<Api> RegisterAccountingApi(Gate& gate, const ApiContext& c) {
  return std::make_unique<AccountingApi>(gate, c);
}

}  // namespace kiln::http
