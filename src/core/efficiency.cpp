#include "core/efficiency.hpp"

#include <map>

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

std::vector<EfficiencyLevel> CurrentLevels(const std::vector<EfficiencyLevel>& all_versions) {
  std::map<std::string, EfficiencyLevel> newest;
  for (const auto& l : all_versions) {
    auto it = newest.find(l.product);
    if (it == newest.end() || it->second.version < l.version) newest[l.product] = l;
  }
  std::vector<EfficiencyLevel> out;
  out.reserve(newest.size());
  for (auto& [product, level] : newest) out.push_back(std::move(level));
  return out;
}

std::optional<EfficiencyLevel> CurrentLevel(const std::vector<EfficiencyLevel>& all_versions,
                                            const std::string& product) {
  std::optional<EfficiencyLevel> out;
  for (const auto& l : all_versions) {
    if (l.product == product && (!out || out->version < l.version)) out = l;
  }
  return out;
}

std::vector<FieldError> ValidateEfficiencyLevel(const EfficiencyLevel& l) {
  std::vector<FieldError> errors;
  if (l.product.empty()) errors.push_back({"product", "is required"});
  if (l.indicator_unit.empty()) errors.push_back({"indicator_unit", "is required"});
  if (!(l.advanced > 0)) errors.push_back({"advanced", "must be a positive number"});
  if (!(l.benchmark > 0))
    errors.push_back({"benchmark", "must be a positive number"});
  else if (l.advanced > 0 && l.benchmark < l.advanced) {
    errors.push_back({"benchmark", "must not be below the advanced level (lower is better)"});
  }
  if (l.status != "verified" && l.status != "to_be_confirmed") {
    errors.push_back({"status", "must be verified or to_be_confirmed"});
  }
  if (l.source.empty()) errors.push_back({"source", "is required"});
  return errors;
}

}  // namespace kiln::core
