#pragma once
// Three years of monthly figures before the meter history, as departments
// deliver them through the signed API: the power company's electricity, the
// energy bureau's coal, gas and steam, the statistics office's output, price
// and value added, the water company's water, for every enterprise and month;
// and, through the last complete month (meters or not), the tax office's
// revenue, the ecology department's monthly emissions and the credit platform's
// administrative penalties, falsification findings and dishonest-list entries. The departments'
// planted faults (fault_plan.hpp) are in these figures. They follow the same load
// model as the simulated meters (so the months join the metered ones
// without a step), with each enterprise's own growth or decline over the
// years and a little month-to-month noise. The year-end forecast is
// back-tested on them.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/china_time.hpp"
#include "core/status.hpp"
#include "demo/fault_plan.hpp"
#include "security/machine_auth.hpp"
#include "sim/load_model.hpp"

namespace kiln::demo {

struct MonthlyEnterprise {
  std::int64_t id = 0;
  std::string uscc, product;  // product: the main product, as its first project names it
  std::int64_t staff = 0;
  const std::vector<sim::PointModel>* points = nullptr;
  double capacity_t = 0;  // of the product, tonnes a year (0: not in tonnes)
  bool emitter = false;  // reports its emissions to the ecology department
};

struct MonthlyHistoryOptions {
  std::uint64_t seed = 1;
  int months = 36;
  core::CivilDate first_metered_month;  // the months before this one are delivered
  core::CivilDate current_month;  // tax and emission figures go on up to this one (excluded)
  std::string province = "370000";  // the departments' region
};

// One enterprise's modelled month: amounts by task field.
// Energy used as raw material (原料用能): the part of the coal and gas a plant of this product turns
// into products (coke, ammonia, fuels, refined oil) rather than burns, in tce (coal 0.7143 kgce/kg,
// gas 1.2143 kgce/m³, GB/T 2589). 0 for products that burn all their fuel.
double FeedstockTce(const std::string& product, double raw_coal_t, double natural_gas_m3);
// The share of an enterprise's electricity that is renewable (bought green power or its own solar):
// about one enterprise in five has some.
double RenewableShare(std::uint64_t seed, std::int64_t enterprise_id);

struct ModelledMonth {
  double electricity = 0, raw_coal = 0, natural_gas = 0, steam = 0, water = 0, output = 0, value_added = 0;
  double feedstock_tce = 0, renewable_kwh = 0;  // of which
  double price = 0;  // yuan per tonne of the main product
  double revenue = 0, net_tax = 0;  // 万元
  double so2 = 0, nox = 0, dust = 0;  // t
};
ModelledMonth ModelMonth(const MonthlyEnterprise& e, std::uint64_t seed, core::CivilDate month,
                         core::CivilDate reference_month);

// Delivers the months through the API at host:port, with the departments' planted faults;
// `progress(done, total)` after each month.
core::Status DeliverMonthlyHistory(const std::vector<MonthlyEnterprise>& enterprises,
                                   const std::vector<PlantedFault>& faults, security::MachineAuth& auth,
                                   const std::string& host, int port, const MonthlyHistoryOptions& options,
                                   const std::function<bool()>& stopping,
                                   const std::function<void(int, int)>& progress);

}  // namespace kiln::demo
