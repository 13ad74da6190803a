#pragma once
// Control targets (dual control of energy and carbon, output caps, pollutant
// totals) per region and year, as versioned reference data: shipped example
// values are added when absent, an edit is the next version.

#include <string>
#include <vector>

#include "core/china_time.hpp"
#include "core/status.hpp"

namespace kiln::storage {

struct ControlTarget {
  std::string region;  // GB/T 2260
  int year = 0;
  // energy_total (tce), energy_intensity (tce per 10k yuan of value added), coal_total (t), co2_total (t),
  // co2_intensity (t per 10k yuan), output_cap (t of `product`), so2_total, nox_total (t)
  std::string indicator;
  std::string product;  // output caps only
  int version = 1;
  double value = 0;
  std::string unit, source;
  bool example = false;  // a shipped example the province is to replace
  std::string changed_by;
  core::UnixMillis changed_at = 0;
};

class TargetStore {
 public:
  virtual ~TargetStore() = default;
  virtual core::Status AddTargetsIfAbsent(const std::vector<ControlTarget>& targets) = 0;
  // Every version of every target, oldest first.
  virtual core::Result<std::vector<ControlTarget>> ListTargets() = 0;
  virtual core::Result<ControlTarget> AddTargetVersion(ControlTarget target) = 0;
};

}  // namespace kiln::storage
