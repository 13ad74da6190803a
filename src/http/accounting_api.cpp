#include "http/accounting_api.hpp"

#include <cmath>

#include "http/session_guard.hpp"

namespace kiln::http {
namespace {

using nlohmann::json;

double Round(double v, double scale) { return std::round(v * scale) / scale; }

class AccountingApi {
 public:
  explicit AccountingApi(const AccountingApiDeps& d) : d_(d) {}

  void Register(Router& r) {
    r.Add("GET", "/api/v1/accounting/enterprises/{id}",
          RequireSession(d_.identity, [this](Request& req, const auto& s) { return Enterprise(req, s); }));
  }

 private:
  Response Enterprise(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto period = req.Query("period");
    if (!period) {
      return ErrorResponse(core::Status::InvalidArgument("period is required", {{"period", "is required"}}));
    }
    auto a = d_.accounting.Enterprise({s.principal, req.remote_address}, *id, *period);
    if (!a.ok()) return ErrorResponse(a.status());
    json months = json::array();
    for (const auto& m : a->months) {
      json amounts = json::object();
      for (const auto& [type, amount] : m.amounts) amounts[type] = Round(amount, 1e6);
      months.push_back({{"month", m.month}, {"source", m.source},
                        {"report_id", m.report_id ? json(*m.report_id) : json(nullptr)}, {"version", m.version},
                        {"amounts", amounts},
                        {"value_added", m.value_added ? json(*m.value_added) : json(nullptr)}});
    }
    json lines = json::array();
    for (const auto& l : a->lines) {
      lines.push_back({{"energy_type", l.energy_type}, {"amount", Round(l.amount, 1e6)},
                       {"tce_equivalent", l.converted ? json(Round(l.tce_equivalent, 1e6)) : json(nullptr)},
                       {"tce_equal", l.converted ? json(Round(l.tce_equal, 1e6)) : json(nullptr)},
                       {"co2_t", l.emits ? json(Round(l.co2_kg / 1000, 1e6)) : json(nullptr)}});
    }
    json factors = json::array(), co2 = json::array();
    for (const auto& f : a->factors) factors.push_back(core::FactorJson(f));
    for (const auto& f : a->co2_factors) co2.push_back(core::Co2FactorJson(f));
    double dual = a->dual_control == core::ElectricityConvention::kEquivalent ? a->tce_equivalent : a->tce_equal;
    json intensity = nullptr;
    if (a->value_added && *a->value_added > 0) {
      intensity = {{"tce_per_10k_yuan", Round(dual / *a->value_added, 1e8)},
                   {"co2_t_per_10k_yuan", Round(a->co2_t / *a->value_added, 1e8)}};
    }
    return JsonResponse(200, {{"enterprise_id", *id},
                              {"period", a->period.text},
                              {"kind", a->period.kind},
                              {"months", months},
                              {"lines", lines},
                              {"comprehensive_tce", {{"equivalent", Round(a->tce_equivalent, 1e6)},
                                                     {"equal", Round(a->tce_equal, 1e6)},
                                                     {"dual_control", core::ElectricityConventionName(a->dual_control)}}},
                              {"co2_t", Round(a->co2_t, 1e6)},
                              {"value_added", a->value_added ? json(*a->value_added) : json(nullptr)},
                              {"intensity", intensity},
                              {"grid", {{"region", a->grid.region}, {"year", a->grid.year}}},
                              {"factors", factors},
                              {"co2_factors", co2}});
  }

  AccountingApiDeps d_;
};

}  // namespace

std::shared_ptr<void> RegisterAccountingApi(Router& router, const AccountingApiDeps& deps) {
  auto api = std::make_shared<AccountingApi>(deps);
  api->Register(router);
  return api;
}

}  // namespace kiln::http
