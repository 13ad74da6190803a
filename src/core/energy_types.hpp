#pragma once
// What metering points measure, as far as energy totals go: the code used in
// metering_points.measures, its unit, and its Chinese name. The conversion
// coefficients to standard coal (GB/T 2589) arrive with the accounting work
// as versioned reference data, not here.

#include <optional>
#include <string_view>

namespace kiln::core {

struct EnergyType {
  std::string_view code, unit, name_zh;
};

// nullopt for codes that are not energy or output totals (pollutants).
std::optional<EnergyType> FindEnergyType(std::string_view code);

}  // namespace kiln::core
