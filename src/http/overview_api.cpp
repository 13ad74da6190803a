// The workbench, the energy ranking and the list of points short of data.

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "analysis/credit.hpp"
#include "http/apis.hpp"
#include "http/reference_names.hpp"

namespace kiln::http {
namespace {

using nlohmann::json;

class OverviewApi final : public Api {
 public:
  OverviewApi(Gate& gate, const ApiContext& c) : d_(c), names_(c.store) {
    gate.Session("GET", "/api/v1/workbench", this, &OverviewApi::Workbench);
    gate.Session("GET", "/api/v1/energy", this, &OverviewApi::Energy);
    gate.Session("GET", "/api/v1/completeness", this, &OverviewApi::Completeness);
    gate.Session("GET", "/api/v1/credit/summary", this, &OverviewApi::Credit);
  }

 private:
  // Penalties and credit records of a year per city/county or industry.
  Response Credit(Request& req, const security::AuthenticatedSession& s) {
    std::vector<core::FieldError> errors;
    const int this_year = core::ChinaDateOf(d_.clock.Now()).year;
    const auto year = static_cast<int>(IntQuery(req, "year", this_year, 2000, 2100, errors));
    if (!errors.empty()) return ErrorResponse(core::Status::InvalidArgument("invalid credit summary", errors));
    const std::string group_by = req.Query("group_by").value_or("region");
    auto groups = analysis::CreditSummary(d_.store, {s.principal, req.remote_address}, group_by,
                                          req.Query("region").value_or(""), year);
    if (!groups.ok()) return ErrorResponse(groups.status());
    auto one = [&](const analysis::CreditGroup& g) {
      json name = nullptr;
      if (!g.key.empty()) {
        name = group_by == "industry"
                   ? names_.Industry(g.key)
                   : names_.Region(g.key + std::string(6 - std::min<std::size_t>(6, g.key.size()), '0'));
      }
      return json{{"key", g.key},
                  {"name", name},
                  {"enterprises", g.enterprises},
                  {"penalties", g.penalties},
                  {"penalised_enterprises", g.penalised_enterprises},
                  {"fines_wan", std::round(g.fines_wan * 100) / 100},
                  {"falsification", g.falsification},
                  {"falsifying_enterprises", g.falsifying_enterprises},
                  {"dishonest_enterprises", g.dishonest_enterprises},
                  {"energy_penalties", g.energy_penalties}};
    };
    json items = json::array();
    for (std::size_t i = 0; i + 1 < groups->size(); ++i) items.push_back(one((*groups)[i]));
    return JsonResponse(200,
                        {{"group_by", group_by}, {"year", year}, {"items", items}, {"total", one(groups->back())}});
  }

  Response Workbench(Request& req, const security::AuthenticatedSession& s) {
    auto w = d_.overview.Workbench({s.principal, req.remote_address});
    if (!w.ok()) return ErrorResponse(w.status());
    json top = json::array();
    for (const auto& [code, amount] : w->top_industries) {
      top.push_back({{"code", code}, {"name", names_.Industry(code)}, {"amount", amount}});
    }
    json comprehensive = {{"dual_control", core::ElectricityConventionName(d_.overview.options().convention)},
                          {"today", w->comprehensive_today},
                          {"month", w->comprehensive_month}};
    return JsonResponse(
        200, {{"as_of", core::FormatInstantUtc(w->as_of)},
              {"region", s.principal.region.empty() ? json(nullptr) : json(s.principal.region)},
              {"enterprises", w->enterprises},
              {"projects", w->projects.empty() ? json::object() : json(w->projects)},
              {"electricity_kwh", {{"today", w->electricity_today_kwh}, {"month", w->electricity_month_kwh}}},
              {"comprehensive_tce", comprehensive},
              {"completeness_today",
               {{"received", w->received},
                {"expected", w->expected},
                {"ratio", w->expected > 0 ? std::min(1.0, w->received / w->expected) : 0.0}}},
              {"top_industries_month", top}});
  }

  Response Energy(Request& req, const security::AuthenticatedSession& s) {
    std::vector<core::FieldError> errors;
    analysis::RankingRequest q;
    q.group_by = req.Query("group_by").value_or("region");
    q.energy_type = req.Query("energy_type").value_or("electricity");
    if (auto v = req.Query("convention")) {
      if (auto c = core::ParseElectricityConvention(*v))
        q.convention = *c;
      else
        errors.push_back({"convention", "must be equivalent or equal"});
    }
    q.step = req.Query("step").value_or("month");
    q.industry = req.Query("industry").value_or("");
    q.region = req.Query("region").value_or("");
    auto now = d_.clock.Now();
    auto today = core::ChinaDateOf(now);
    q.from = core::ChinaMidnight({today.year, 1, 1});
    q.to = now + 1;
    for (auto [name, slot] : {std::pair{"from", &q.from}, std::pair{"to", &q.to}}) {
      if (auto v = req.Query(name)) {
        if (auto t = ParseTimeParam(*v))
          *slot = *t;
        else
          errors.push_back({name, "must be ISO 8601 with an offset or a date YYYY-MM-DD"});
      }
    }
    q.limit = static_cast<int>(IntQuery(req, "limit", 50, 1, 1000, errors));
    if (req.Query("enterprise")) {
      q.enterprise = IntQuery(req, "enterprise", 0, 1, std::numeric_limits<std::int64_t>::max(), errors);
    }
    if (!errors.empty()) return ErrorResponse(core::Status::InvalidArgument("invalid energy query", errors));
    auto r = d_.overview.Rank({s.principal, req.remote_address}, q);
    if (!r.ok()) return ErrorResponse(r.status());
    json items = json::array();
    for (const auto& g : r->groups) {
      json series = json::array();
      for (const auto& [start, amount] : g.series)
        series.push_back({{"start", core::FormatInstantUtc(start)}, {"amount", amount}});
      std::string name = q.group_by == "region"     ? names_.Region(g.key)
                         : q.group_by == "industry" ? names_.Industry(g.key)
                                                    : g.name;
      items.push_back({{"key", g.key}, {"name", name}, {"total", g.total}, {"series", std::move(series)}});
    }
    json body = {
        {"group_by", q.group_by}, {"energy_type", q.energy_type},           {"unit", r->unit},
        {"step", q.step},         {"from", core::FormatInstantUtc(q.from)}, {"to", core::FormatInstantUtc(q.to)},
        {"items", items}};
    if (q.energy_type == analysis::kComprehensive) {
      json factors = json::array();
      for (const auto& f : r->factors) factors.push_back(core::FactorJson(f));
      body["convention"] = core::ElectricityConventionName(r->convention);
      body["factors"] = std::move(factors);
    }
    if (q.energy_type == analysis::kCo2) {
      json factors = json::array();
      for (const auto& f : r->co2_factors) factors.push_back(core::Co2FactorJson(f));
      body["grid"] = {{"region", d_.overview.options().grid.region}, {"year", d_.overview.options().grid.year}};
      body["factors"] = std::move(factors);
    }
    return JsonResponse(200, body);
  }

  Response Completeness(Request& req, const security::AuthenticatedSession& s) {
    std::vector<core::FieldError> errors;
    auto date = core::ChinaDateOf(d_.clock.Now());
    if (auto v = req.Query("date")) {
      if (auto d = core::ParseDate(*v))
        date = *d;
      else
        errors.push_back({"date", "must be a date YYYY-MM-DD"});
    }
    double below = 0.9;
    if (auto v = req.Query("below")) {
      char* end = nullptr;
      below = std::strtod(v->c_str(), &end);
      if (v->empty() || *end != '\0' || !(below > 0 && below <= 1))
        errors.push_back({"below", "must be a ratio in (0, 1]"});
    }
    int page = static_cast<int>(IntQuery(req, "page", 1, 1, 1'000'000, errors));
    int page_size = static_cast<int>(IntQuery(req, "page_size", 50, 1, 500, errors));
    if (!errors.empty()) return ErrorResponse(core::Status::InvalidArgument("invalid completeness query", errors));
    auto result = d_.overview.Incomplete({s.principal, req.remote_address}, date, below, page, page_size);
    if (!result.ok()) return ErrorResponse(result.status());
    json items = json::array();
    for (const auto& r : result->items) {
      items.push_back({{"point_id", r.point_id},
                       {"point_code", r.code},
                       {"point_name", r.name},
                       {"measures", r.measures},
                       {"interval_s", r.interval_s},
                       {"enterprise_id", r.enterprise_id},
                       {"enterprise_name", r.enterprise_name},
                       {"region", r.region},
                       {"region_name", names_.Region(r.region)},
                       {"received", r.received},
                       {"expected", r.expected},
                       {"ratio", r.expected > 0 ? static_cast<double>(r.received) / r.expected : 0.0}});
    }
    return JsonResponse(200, {{"date", core::FormatDate(date)},
                              {"below", below},
                              {"elapsed_s", result->elapsed_s},
                              {"total", result->total},
                              {"page", page},
                              {"page_size", page_size},
                              {"items", items}});
  }

  const ApiContext d_;
  ReferenceNames names_;
};

}  // namespace

std::unique_ptr<Api> RegisterOverviewApi(Gate& gate, const ApiContext& c) {
  return std::make_unique<OverviewApi>(gate, c);
}

}  // namespace kiln::http
