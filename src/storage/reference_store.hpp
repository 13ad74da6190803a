#pragma once
// Reference data: regions (GB/T 2260), industries, departments, the
// configurable lists, standard-coal and CO2 factors and efficiency levels,
// each kept with its versions. Thread-safe like every store interface.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/carbon.hpp"
#include "core/china_time.hpp"
#include "core/conversion.hpp"
#include "core/efficiency.hpp"
#include "core/status.hpp"

namespace kiln::storage {

struct Region {
  std::string code, name, level, parent;
  double lng = 0, lat = 0;
};

struct Industry {
  std::string code, name, classification, source, status;
  int sort_order = 0;
};

struct Department {
  std::string code, name;
};

// A row of a configurable reference list ("industries", "disposal_types"), one version of it.
struct ReferenceItem {
  std::string list, code;
  int version = 1;
  std::string name, description;
  int sort_order = 0;
  bool active = true;
  std::string status, source, changed_by;
  core::UnixMillis changed_at = 0;
};

// The version in force of each code of a list (the newest), by code.
std::map<std::string, ReferenceItem> CurrentReferenceItems(const std::vector<ReferenceItem>& versions);

class ReferenceStore {
 public:
  virtual ~ReferenceStore() = default;

  virtual core::Status UpsertRegions(const std::vector<Region>& regions) = 0;
  virtual core::Result<std::vector<Region>> ListRegions() = 0;
  virtual core::Result<std::optional<Region>> GetRegion(const std::string& code) = 0;
  // Adds industries not stored yet; a stored one keeps its administrator's edits.
  virtual core::Status AddIndustriesIfAbsent(const std::vector<Industry>& industries) = 0;
  virtual core::Result<std::vector<Industry>> ListIndustries() = 0;
  virtual core::Status UpsertDepartments(const std::vector<Department>& departments) = 0;
  // Reference lists: shipped codes are added when absent (version 1); an edit is the code's next
  // version. An edit of the "industries" list also updates the industries table the registry uses.
  virtual core::Status AddReferenceItemsIfAbsent(const std::vector<ReferenceItem>& items) = 0;
  virtual core::Result<ReferenceItem> AddReferenceItemVersion(ReferenceItem item) = 0;
  // Every version of every code of `list`, by sort order, code, version.
  virtual core::Result<std::vector<ReferenceItem>> ListReferenceItems(const std::string& list) = 0;
  virtual core::Result<std::vector<Department>> ListDepartments() = 0;
  // Shipped factors are added when absent and never overwrite a stored version, so an
  // administrator's edits survive restarts; a changed coefficient is a new version.
  virtual core::Status AddConversionFactorsIfAbsent(const std::vector<core::ConversionFactor>& factors) = 0;
  virtual core::Result<std::vector<core::ConversionFactor>> ListConversionFactors() = 0;
  // Adds `factor` as the next version of its energy type and variant (an administrator's edit).
  virtual core::Result<core::ConversionFactor> AddConversionFactorVersion(core::ConversionFactor factor) = 0;
  // The same rule for CO2 factors: shipped versions are added, stored ones never overwritten.
  virtual core::Status AddCo2FactorsIfAbsent(const std::vector<core::Co2Factor>& factors) = 0;
  virtual core::Result<std::vector<core::Co2Factor>> ListCo2Factors() = 0;
  virtual core::Result<core::Co2Factor> AddCo2FactorVersion(core::Co2Factor factor) = 0;
  // Efficiency levels: shipped products are added when absent; an edit is the product's next version.
  virtual core::Status AddEfficiencyLevelsIfAbsent(const std::vector<core::EfficiencyLevel>& levels) = 0;
  virtual core::Result<core::EfficiencyLevel> AddEfficiencyLevelVersion(core::EfficiencyLevel level) = 0;
  // Every version of every product, oldest first (core::CurrentLevels picks those in force).
  virtual core::Result<std::vector<core::EfficiencyLevel>> ListEfficiencyLevels() = 0;
};

}  // namespace kiln::storage
