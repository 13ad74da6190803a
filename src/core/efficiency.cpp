#include "core/efficiency.hpp"

namespace kiln::core {

const char* EfficiencyClassName(EfficiencyClass c) {
  switch (c) {
    case EfficiencyClass::kAdvanced: return "advanced";
    case EfficiencyClass::kBetween: return "between";
    case EfficiencyClass::kBelowBenchmark: return "below_benchmark";
  }
  return "";
}

std::optional<EfficiencyClass> ClassifyEfficiency(double value, const std::string& unit, const EfficiencyLevel& level) {
  if (unit != level.indicator_unit) return std::nullopt;
  if (value <= level.advanced) return EfficiencyClass::kAdvanced;
  if (value <= level.benchmark) return EfficiencyClass::kBetween;
  return EfficiencyClass::kBelowBenchmark;
}

}  // namespace kiln::core
