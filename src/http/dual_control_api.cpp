// Control targets of regions (versioned reference data; the province edits
// them) and the dual-control view: each target's year so far, the year-end
// forecast with its band and the month it is expected to be passed, and the
// forecast method's back-test on the year before.

#include <fmt/format.h>

#include "core/regions.hpp"
#include "http/apis.hpp"
#include "http/reference_names.hpp"
#include "warnings/thresholds.hpp"

namespace kiln::http {
namespace {

using nlohmann::json;

json Series(const analysis::MonthlySeries& s) {
  json out = json::array();
  for (const auto& v : s) out.push_back(v ? json(std::round(*v * 1000) / 1000) : json(nullptr));
  return out;
}

json TargetJson(const storage::ControlTarget& t) {
  return {{"region", t.region},
          {"year", t.year},
          {"indicator", t.indicator},
          {"product", t.product.empty() ? json(nullptr) : json(t.product)},
          {"version", t.version},
          {"value", t.value},
          {"unit", t.unit},
          {"source", t.source},
          {"example", t.example},
          {"changed_by", t.changed_by},
          {"changed_at", core::FormatInstantUtc(t.changed_at)}};
}

class DualControlApi final : public Api {
 public:
  DualControlApi(Gate& gate, const ApiContext& c) : c_(c), names_(c.store) {
    gate.Session("GET", "/api/v1/targets", this, &DualControlApi::Targets);
    gate.Session("POST", "/api/v1/targets", this, &DualControlApi::AddTarget);
    gate.Session("GET", "/api/v1/dual-control", this, &DualControlApi::View);
  }

 private:
  // The region prefix a caller looks at: its jurisdiction, narrowed by ?region=; nullopt for nothing.
  core::Result<std::optional<std::string>> Scope(const Request& req, const security::AuthenticatedSession& s,
                                                 int& year) {
    std::vector<core::FieldError> errors;
    auto today = core::ChinaDateOf(c_.clock.Now());
    year = static_cast<int>(IntQuery(req, "year", today.year, 2000, 2100, errors));
    auto region = req.Query("region").value_or("");
    if (!region.empty() && core::LevelOfRegionCode(region) == core::RegionLevel::kInvalid) {
      errors.push_back({"region", "must be a GB/T 2260 region code"});
    }
    if (!errors.empty()) return core::Status::InvalidArgument("invalid query", std::move(errors));
    auto scope = security::ScopeFor(s.principal, security::Action::kWarningRead);
    if (!scope.ok()) return scope.status();
    if (scope->enterprise_id) return std::optional<std::string>();  // targets are of regions
    if (region.empty()) return std::optional<std::string>(scope->region_prefix);
    auto narrowed = security::NarrowToRegion(*scope, region);
    if (!narrowed) return std::optional<std::string>();
    return std::optional<std::string>(narrowed->region_prefix);
  }

  Response Targets(Request& req, const security::AuthenticatedSession& s) {
    int year = 0;
    auto prefix = Scope(req, s, year);
    if (!prefix.ok()) return ErrorResponse(prefix.status());
    json items = json::array();
    if (*prefix) {
      auto all = c_.store.targets().ListTargets();
      if (!all.ok()) return ErrorResponse(all.status());
      for (const auto& t : *all) {
        if (t.year != year || !t.region.starts_with(**prefix)) continue;
        auto j = TargetJson(t);
        j["region_name"] = names_.Region(t.region);
        items.push_back(std::move(j));
      }
    }
    return JsonResponse(200, {{"year", year}, {"items", items}});
  }

  Response AddTarget(Request& req, const security::AuthenticatedSession& s) {
    auto body = ParseJsonObject(req);
    if (!body.ok()) return ErrorResponse(body.status());
    auto added = c_.reference.AddTarget({s.principal, req.remote_address}, *body);
    if (!added.ok()) return ErrorResponse(added.status());
    c_.evaluator.ReevaluateAll();
    auto j = TargetJson(*added);
    j["region_name"] = names_.Region(added->region);
    return JsonResponse(201, j);
  }

  Response View(Request& req, const security::AuthenticatedSession& s) {
    int year = 0;
    auto prefix = Scope(req, s, year);
    if (!prefix.ok()) return ErrorResponse(prefix.status());
    json items = json::array();
    json backtest = json::array();
    auto thresholds = warnings::Thresholds::Load(c_.store.warnings());
    if (!thresholds.ok()) return ErrorResponse(thresholds.status());
    const double approach = thresholds->Value("target_forecast", "approach_pct");
    if (*prefix) {
      auto statuses = c_.dual_control.Targets(year, **prefix, approach);
      if (!statuses.ok()) return ErrorResponse(statuses.status());
      for (const auto& st : *statuses) {
        json f = nullptr;
        if (st.forecast) {
          json projected = json::array();
          for (double v : st.forecast->projected) projected.push_back(std::round(v * 1000) / 1000);
          f = {{"months_known", st.forecast->months_known},
               {"months_missing", st.forecast->months_missing},
               {"year_to_date", std::round(st.forecast->year_to_date * 1000) / 1000},
               {"forecast", std::round(st.forecast->forecast * 1000) / 1000},
               {"low", std::round(st.forecast->low * 1000) / 1000},
               {"high", std::round(st.forecast->high * 1000) / 1000},
               {"band_pct", std::round(st.band * 10000) / 100},
               {"method", st.forecast->method},
               {"ratio", std::round(st.forecast->ratio * 10000) / 10000},
               {"projected", projected},
               {"crossing_month", st.forecast->crossing_month ? json(*st.forecast->crossing_month) : json(nullptr)}};
        }
        auto target = TargetJson(st.target);
        target["region_name"] = st.region_name;
        items.push_back({{"target", target},
                         {"status", st.status},
                         {"share_of_target_pct", std::round(st.share_of_target_pct * 10) / 10},
                         {"actual", Series(st.actual)},
                         {"last_year", Series(st.last_year)},
                         {"forecast", f}});
      }
      auto tests = c_.dual_control.BackTests(year - 1);
      if (!tests.ok()) return ErrorResponse(tests.status());
      for (const auto& b : *tests) {
        json mape = json::array();
        for (const auto& v : b.mape) mape.push_back(v ? json(std::round(*v * 100) / 100) : json(nullptr));
        backtest.push_back({{"indicator", b.indicator}, {"year", b.year}, {"regions", b.regions}, {"mape_pct", mape}});
      }
    }
    return JsonResponse(200, {{"year", year},
                              {"months_known", c_.dual_control.MonthsKnown(year)},
                              {"approach_pct", approach},
                              {"items", items},
                              {"backtest", backtest}});
  }

  const ApiContext c_;
  ReferenceNames names_;
};

}  // namespace

std::unique_ptr<Api> RegisterDualControlApi(Gate& gate, const ApiContext& c) {
  return std::make_unique<DualControlApi>(gate, c);
}

}  // namespace kiln::http
