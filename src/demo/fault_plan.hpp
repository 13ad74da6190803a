#pragma once
// The faults the demo plants in its meter data and figures, so that the
// warnings have something true to find and their recall can be measured
// (<data>/demo-faults.json lists every one). Each kind is planted on about
// 4 % of the enterprises (at least 5, at least 40 in the 1,200-enterprise
// demo), each on a point or enterprise of its own, at times spread over the
// last four weeks of the history:
//   gap                 a point sends nothing for 2–6 hours
//   flatline            an instantaneous value stays the same for 8–24 hours
//   spike               one register interval of 30 intervals' worth
//   reset               a meter replaced: the register restarts near zero
//   stopped             a point stops sending, 1–3 days ago, and stays silent
//   access_end_silent   every point of an enterprise stops, 6–40 hours ago
//   timestamp_drift     an enterprise's access-end clock runs 90–240 s off from some day on
//   calibration_overdue a point's calibration due date is set in the past
//   under_reporting     an enterprise's monthly reports are 20 % below its meters
//   power_over_metered  the power company's monthly figure is 25 % above the meters
// The last two need a complete month of history (31 days or more). In the departments' figures of
// the last complete month (monthly_history.hpp), for the cross-quantity models:
//   output_under_reported     the statistics office's output is 40 % below the true output
//   emissions_under_reported  the ecology department's SO₂ and NOx are 55 % below (coal burners)
//   revenue_under_reported    the tax office's main revenue is 45 % below
//   over_capacity             the month's output runs at 130 % of the approved capacity
// And one condition of the registry: the plants of kUnderusedProduct are built at about 2.5 times
// their output (capacity_utilisation_low).

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/china_time.hpp"
#include "sim/load_model.hpp"

namespace kiln::demo {

struct PlantedFault {
  std::string kind;
  std::int64_t enterprise_id = 0;
  std::int64_t point_id = 0;  // 0 for enterprise-level faults
  std::string point_code;
  core::UnixMillis from = 0, to = std::numeric_limits<core::UnixMillis>::max();  // max: still going on
  std::string note;
  double old_register = 0;  // reset: the replaced meter's register at `from`, fixed when planted
  std::int64_t offset_ms = 0;  // timestamp_drift: how far the clock is off
  std::string calibration_due;  // calibration_overdue: the date set
  std::string month;  // the departments' figures: the month whose figure is off ("2026-10")
  double factor = 1;  // … and the true figure times this is what is delivered
  std::string product;  // capacity_utilisation_low
};

struct PlanEnterprise {
  std::int64_t id = 0;
  const std::vector<sim::PointModel>* points = nullptr;
  std::string product;  // the main product, when an output meter measures it
  double capacity_t = 0;  // approved capacity of the product in tonnes a year (0: not in tonnes)
  bool burns_coal = false, emitter = false;  // a coal meter; a flue-gas monitor
};

// The faults of a history of `history_days` ending at `now`, the same for the same seed.
std::vector<PlantedFault> PlanFaults(const std::vector<PlanEnterprise>& enterprises, std::uint64_t seed,
                                     core::UnixMillis now, int history_days);

}  // namespace kiln::demo
