#pragma once
// Loads the reference tables shipped under data/ (regions, industries,
// departments) into the store. Upserts, so re-running is harmless.

#include <string>
#include <vector>

#include "core/carbon.hpp"
#include "core/collection_task.hpp"
#include "core/conversion.hpp"
#include "core/efficiency.hpp"
#include "core/status.hpp"
#include "storage/store.hpp"

namespace kiln::registry {

// Loads data_dir/regions/*.csv, data_dir/industries.csv, data_dir/departments.csv, and adds the
// conversion factors of data_dir/factors.csv that are not stored yet.
core::Status LoadReferenceData(storage::Store& store, const std::string& data_dir);

// Read and check a factors file; errors name the file, line and column.
core::Result<std::vector<core::ConversionFactor>> ReadConversionFactors(const std::string& path);
core::Result<std::vector<core::Co2Factor>> ReadCo2Factors(const std::string& path);
core::Result<std::vector<core::EfficiencyLevel>> ReadEfficiencyLevels(const std::string& path);
core::Result<std::vector<core::CollectionTask>> ReadCollectionTasks(const std::string& path);
core::Result<std::vector<storage::Threshold>> ReadWarningThresholds(const std::string& path);
// Adds the warning thresholds of data_dir/warning_thresholds.csv not stored yet (every start, so
// that rules added by an upgrade find theirs; the province's edits stay).
core::Status LoadWarningThresholds(storage::Store& store, const std::string& data_dir);
// The same for data_dir/control_targets.csv (example targets; the province's versions stay).
// A year of "current" is `current_year` (the shipped examples follow the calendar).
core::Result<std::vector<storage::ControlTarget>> ReadControlTargets(const std::string& path, int current_year);
core::Status LoadControlTargets(storage::Store& store, const std::string& data_dir);

}  // namespace kiln::registry
