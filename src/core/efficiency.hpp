#pragma once
// Energy-efficiency levels (DOMAIN.md section 4): per product, an advanced
// (标杆) and a benchmark (基准) value of its unit energy indicator; lower is
// better. A plant at or under 标杆 is advanced; above 基准 it is below the
// benchmark and must upgrade or be eliminated.

#include <optional>
#include <string>

namespace kiln::core {

struct EfficiencyLevel {
  std::string product;  // as projects name it, e.g. 水泥熟料
  std::string process;
  std::string indicator_unit;  // e.g. kgce/t
  double advanced = 0, benchmark = 0;
  std::string status, source;
};

enum class EfficiencyClass { kAdvanced, kBetween, kBelowBenchmark };
const char* EfficiencyClassName(EfficiencyClass c);  // advanced, between, below_benchmark

// The class of `value` against `level`; nullopt when the units differ (the value is not comparable).
std::optional<EfficiencyClass> ClassifyEfficiency(double value, const std::string& unit, const EfficiencyLevel& level);

}  // namespace kiln::core
