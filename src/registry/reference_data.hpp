#pragma once
// Loads the reference tables shipped under data/ (regions, industries,
// departments) into the store. Upserts, so re-running is harmless.

#include <string>
#include <vector>

#include "core/status.hpp"
#include "storage/store.hpp"

namespace kiln::registry {

// Parses RFC 4180 CSV text (quoted fields, doubled quotes) into rows.
core::Result<std::vector<std::vector<std::string>>> ParseCsv(const std::string& text);

// Loads data_dir/regions/*.csv, data_dir/industries.csv, data_dir/departments.csv.
core::Status LoadReferenceData(storage::Store& store, const std::string& data_dir);

}  // namespace kiln::registry
