#pragma once
// Edits of reference data by the province (reference.write): a new version of
// a conversion factor, CO2 factor, efficiency level, list entry or warning threshold, decoded
// strictly (unknown fields are refused), validated like the shipped files,
// and audited before it is stored. Thread-safe.

#include <nlohmann/json.hpp>
#include <string>

#include "core/carbon.hpp"
#include "core/conversion.hpp"
#include "core/efficiency.hpp"
#include "registry/registry.hpp"
#include "storage/store.hpp"

namespace kiln::registry {

class ReferenceEditor {
 public:
  ReferenceEditor(storage::ReferenceStore& store, storage::WarningStore& warnings, storage::TargetStore& targets,
                  security::AuditLog& audit, const core::Clock& clock)
      : store_(store), warnings_(warnings), targets_(targets), audit_(audit), clock_(clock) {}

  core::Result<core::ConversionFactor> AddFactor(const Caller& caller, const nlohmann::json& body);
  core::Result<core::Co2Factor> AddCo2Factor(const Caller& caller, const nlohmann::json& body);
  core::Result<core::EfficiencyLevel> AddEfficiencyLevel(const Caller& caller, const nlohmann::json& body);
  // A new value of a warning rule's threshold ({"rule", "name", "value", "source"}); kNotFound for
  // a threshold no rule has.
  core::Result<storage::Threshold> AddThreshold(const Caller& caller, const nlohmann::json& body);
  // A new version of a region's control target ({"region", "year", "indicator", "product", "value", "source"}).
  core::Result<storage::ControlTarget> AddTarget(const Caller& caller, const nlohmann::json& body);
  // kNotFound for a list that is not configurable.
  core::Result<storage::ReferenceItem> AddListItem(const Caller& caller, const std::string& list,
                                                   const nlohmann::json& body);

  // The configurable lists: "industries", "disposal_types", "violation_types".
  static bool KnownList(const std::string& list);

 private:
  // Stores a validated version, with the audit entry written first (the edit is refused without it).
  template <typename Row, typename Store>
  core::Result<Row> Add(const Caller& caller, const std::string& action, const std::string& target, const Row& row,
                        Store store, const std::function<std::string(const Row&)>& describe);

  storage::ReferenceStore& store_;
  storage::WarningStore& warnings_;
  storage::TargetStore& targets_;
  security::AuditLog& audit_;
  const core::Clock& clock_;
};

}  // namespace kiln::registry
