#pragma once
// ReferenceStore over the SQL layer; SqlStore forwards to it.

#include "storage/database.hpp"
#include "storage/reference_store.hpp"

namespace kiln::storage {

class SqlReference {
 public:
  explicit SqlReference(Database& db) : db_(db) {}

  core::Status UpsertRegions(const std::vector<Region>& regions);
  core::Result<std::vector<Region>> ListRegions();
  core::Result<std::optional<Region>> GetRegion(const std::string& code);
  core::Status AddIndustriesIfAbsent(const std::vector<Industry>& industries);
  core::Status AddReferenceItemsIfAbsent(const std::vector<ReferenceItem>& items);
  core::Result<ReferenceItem> AddReferenceItemVersion(ReferenceItem item);
  core::Result<std::vector<ReferenceItem>> ListReferenceItems(const std::string& list);
  core::Result<std::vector<Industry>> ListIndustries();
  core::Status UpsertDepartments(const std::vector<Department>& departments);
  core::Status AddConversionFactorsIfAbsent(const std::vector<core::ConversionFactor>& factors);
  core::Result<std::vector<core::ConversionFactor>> ListConversionFactors();
  core::Result<core::ConversionFactor> AddConversionFactorVersion(core::ConversionFactor f);
  core::Status AddEfficiencyLevelsIfAbsent(const std::vector<core::EfficiencyLevel>& levels);
  core::Result<core::EfficiencyLevel> AddEfficiencyLevelVersion(core::EfficiencyLevel l);
  core::Result<std::vector<core::EfficiencyLevel>> ListEfficiencyLevels();
  core::Result<core::Co2Factor> AddCo2FactorVersion(core::Co2Factor f);
  core::Status AddCo2FactorsIfAbsent(const std::vector<core::Co2Factor>& factors);
  core::Result<std::vector<core::Co2Factor>> ListCo2Factors();
  core::Result<std::vector<Department>> ListDepartments();

 private:
  Database& db_;
};

}  // namespace kiln::storage
