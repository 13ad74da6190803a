#include "core/control_targets.hpp"

namespace kiln::core {

bool IsTargetIndicator(std::string_view i) {
  return i == "energy_total" || i == "energy_intensity" || i == "coal_total" || i == "co2_total" ||
         i == "co2_intensity" || i == "output_cap" || i == "so2_total" || i == "nox_total";
}

std::string TargetUnit(std::string_view i) {
  if (i == "energy_total") return "tce";
  if (i == "energy_intensity") return "tce/万元";
  if (i == "co2_intensity") return "t/万元";
  return "t";
}

}  // namespace kiln::core
