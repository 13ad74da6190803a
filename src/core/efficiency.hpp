#pragma once
// Energy-efficiency levels (DOMAIN.md section 4): per product, an advanced
// (标杆) and a benchmark (基准) value of its unit energy indicator; lower is
// better. A plant at or under 标杆 is advanced; above 基准 it is below the
// benchmark and must upgrade or be eliminated.

#include <optional>
#include <string>
#include <vector>

#include "core/status.hpp"

namespace kiln::core {

struct EfficiencyLevel {
  std::string product;  // as projects name it, e.g. 水泥熟料
  int version = 1;  // an edit adds a version; the newest is in force
  std::string process;
  std::string indicator_unit;  // e.g. kgce/t
  double advanced = 0, benchmark = 0;
  std::string status, source;
};

enum class EfficiencyClass { kAdvanced, kBetween, kBelowBenchmark };
const char* EfficiencyClassName(EfficiencyClass c);  // advanced, between, below_benchmark

// The class of `value` against `level`; nullopt when the units differ (the value is not comparable).
std::optional<EfficiencyClass> ClassifyEfficiency(double value, const std::string& unit, const EfficiencyLevel& level);

// The newest version of each product's levels.
std::vector<EfficiencyLevel> CurrentLevels(const std::vector<EfficiencyLevel>& all_versions);
// The newest version for `product`, if any.
std::optional<EfficiencyLevel> CurrentLevel(const std::vector<EfficiencyLevel>& all_versions,
                                            const std::string& product);

// An approved capacity in tonnes a year; 0 for capacities not in tonnes (MW, 万条, 万平方米 …).
inline double CapacityTonnesPerYear(double capacity, const std::string& unit) {
  if (unit == "万吨/年") return capacity * 10'000;
  if (unit == "吨/年" || unit == "t/a") return capacity;
  return 0;
}

// Every problem with a level an administrator enters.
std::vector<FieldError> ValidateEfficiencyLevel(const EfficiencyLevel& level);

}  // namespace kiln::core
