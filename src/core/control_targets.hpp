#pragma once
// The indicators a region's control targets may set (dual control of energy
// and carbon, output control of steel and coke, pollutant totals) and their units.

#include <string>
#include <string_view>

namespace kiln::core {

// energy_total, energy_intensity, coal_total, co2_total, co2_intensity, output_cap, so2_total, nox_total
bool IsTargetIndicator(std::string_view indicator);
// The unit targets of the indicator are set in: tce, tce/万元, t/万元 or t.
std::string TargetUnit(std::string_view indicator);
// Whether a higher value is worse for every indicator (all are caps): kept for readers of the targets.
inline bool TargetIsCap(std::string_view) { return true; }

}  // namespace kiln::core
