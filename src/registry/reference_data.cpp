#include "registry/reference_data.hpp"

#include "core/china_time.hpp"
#include "core/control_targets.hpp"
#include "core/regions.hpp"
#include "core/csv.hpp"
#include "core/energy_types.hpp"

#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <sstream>

namespace kiln::registry {
namespace {

// A whole CSV cell as a number, or nullopt.
std::optional<long> ParseInt(const std::string& text) {
  char* end = nullptr;
  long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0') return std::nullopt;
  return v;
}

std::optional<double> ParseReal(const std::string& text) {
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0') return std::nullopt;
  return v;
}

core::Result<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::Status::NotFound(fmt::format("cannot read {}", path.string()));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Rows of a CSV file as header-name -> value maps.
core::Result<std::vector<std::map<std::string, std::string>>> ReadTable(const std::filesystem::path& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  auto rows = core::ParseCsv(*text);
  if (!rows.ok()) return rows.status().WithContext(path.string());
  if (rows->empty()) return core::Status::InvalidArgument(fmt::format("{} has no header line", path.string()));
  const auto& header = rows->front();
  std::vector<std::map<std::string, std::string>> out;
  for (size_t i = 1; i < rows->size(); ++i) {
    const auto& row = (*rows)[i];
    if (row.size() == 1 && row[0].empty()) continue;
    if (row.size() != header.size()) {
      return core::Status::InvalidArgument(
          fmt::format("{} line {}: {} fields, header has {}", path.string(), i + 1, row.size(), header.size()));
    }
    std::map<std::string, std::string> m;
    for (size_t c = 0; c < header.size(); ++c) m[header[c]] = row[c];
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace

core::Status LoadReferenceData(storage::Store& store, const std::string& data_dir) {
  namespace fs = std::filesystem;
  std::vector<storage::Region> regions;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(fs::path(data_dir) / "regions", ec)) {
    if (entry.path().extension() != ".csv") continue;
    auto table = ReadTable(entry.path());
    if (!table.ok()) return table.status();
    for (auto& r : *table) {
      regions.push_back({r["code"], r["name"], r["level"], r["parent"], std::strtod(r["lng"].c_str(), nullptr),
                         std::strtod(r["lat"].c_str(), nullptr)});
    }
  }
  if (ec) return core::Status::NotFound(fmt::format("cannot list {}/regions: {}", data_dir, ec.message()));
  KILN_RETURN_IF_ERROR(store.UpsertRegions(regions));

  auto industries = ReadTable(fs::path(data_dir) / "industries.csv");
  if (!industries.ok()) return industries.status();
  std::vector<storage::Industry> rows;
  for (auto& r : *industries) {
    storage::Industry i;
    i.code = r["code"];
    i.name = r["name"];
    i.classification = r["gbt4754"];
    i.sort_order = std::atoi(r["sort"].c_str());
    i.source = r["source"];
    i.status = r["status"];
    rows.push_back(std::move(i));
  }
  KILN_RETURN_IF_ERROR(store.AddIndustriesIfAbsent(rows));
  std::vector<storage::ReferenceItem> items;
  items.reserve(rows.size());
  for (const auto& i : rows) {
    items.push_back({.list = "industries",
                     .code = i.code,
                     .name = i.name,
                     .description = i.classification,
                     .sort_order = i.sort_order,
                     .status = i.status,
                     .source = i.source,
                     .changed_by = "data/industries.csv"});
  }
  // The province's own lists of codes: the four disposal types, the kinds of violation.
  for (const char* list : {"disposal_types", "violation_types"}) {
    const std::string file = std::string(list) + ".csv";
    auto table = ReadTable(fs::path(data_dir) / file);
    if (!table.ok()) return table.status();
    for (auto& r : *table) {
      if (r["status"] != "verified" && r["status"] != "to_be_confirmed") {
        return core::Status::InvalidArgument(
            fmt::format("{}: {}: status must be verified or to_be_confirmed", file, r["code"]));
      }
      items.push_back({.list = list,
                       .code = r["code"],
                       .name = r["name"],
                       .description = r["description"],
                       .sort_order = std::atoi(r["sort"].c_str()),
                       .status = r["status"],
                       .source = r["source"],
                       .changed_by = "data/" + file});
    }
  }
  KILN_RETURN_IF_ERROR(store.AddReferenceItemsIfAbsent(items));

  auto departments = ReadTable(fs::path(data_dir) / "departments.csv");
  if (!departments.ok()) return departments.status();
  std::vector<storage::Department> deps;
  for (auto& r : *departments) deps.push_back({r["code"], r["name"]});
  KILN_RETURN_IF_ERROR(store.UpsertDepartments(deps));

  auto factors = ReadConversionFactors((fs::path(data_dir) / "factors.csv").string());
  if (!factors.ok()) return factors.status();
  KILN_RETURN_IF_ERROR(store.AddConversionFactorsIfAbsent(*factors));
  auto co2 = ReadCo2Factors((fs::path(data_dir) / "co2_factors.csv").string());
  if (!co2.ok()) return co2.status();
  KILN_RETURN_IF_ERROR(store.AddCo2FactorsIfAbsent(*co2));
  auto levels = ReadEfficiencyLevels((fs::path(data_dir) / "efficiency_levels.csv").string());
  if (!levels.ok()) return levels.status();
  KILN_RETURN_IF_ERROR(store.AddEfficiencyLevelsIfAbsent(*levels));
  KILN_RETURN_IF_ERROR(LoadWarningThresholds(store, data_dir));
  KILN_RETURN_IF_ERROR(LoadControlTargets(store, data_dir));
  auto tasks = ReadCollectionTasks((fs::path(data_dir) / "collection_tasks.json").string());
  if (!tasks.ok()) return tasks.status();
  return store.AddCollectionTasksIfAbsent(*tasks);
}

core::Status LoadControlTargets(storage::Store& store, const std::string& data_dir) {
  auto now = core::SystemClock().Now();
  auto targets = ReadControlTargets((std::filesystem::path(data_dir) / "control_targets.csv").string(),
                                    core::ChinaDateOf(now).year);
  if (!targets.ok()) return targets.status();
  for (auto& t : *targets) t.changed_at = now;  // kept only when first stored
  return store.targets().AddTargetsIfAbsent(*targets);
}

core::Result<std::vector<storage::ControlTarget>> ReadControlTargets(const std::string& path, int current_year) {
  auto table = ReadTable(path);
  if (!table.ok()) return table.status();
  std::vector<storage::ControlTarget> out;
  for (size_t i = 0; i < table->size(); ++i) {
    auto& r = (*table)[i];
    auto year = r["year"] == "current" ? std::optional<long>(current_year) : ParseInt(r["year"]);
    auto value = ParseReal(r["value"]);
    auto where = fmt::format("{} line {}", path, i + 2);
    if (core::LevelOfRegionCode(r["region"]) == core::RegionLevel::kInvalid) {
      return core::Status::InvalidArgument(where + ": region must be a GB/T 2260 code");
    }
    if (!year || !value || *value <= 0 || !core::IsTargetIndicator(r["indicator"]) || r["source"].empty()) {
      return core::Status::InvalidArgument(where +
                                           ": year, a known indicator, a positive value and a source are required");
    }
    if ((r["indicator"] == "output_cap") != !r["product"].empty()) {
      return core::Status::InvalidArgument(where + ": output_cap targets name their product, others none");
    }
    out.push_back({.region = r["region"],
                   .year = static_cast<int>(*year),
                   .indicator = r["indicator"],
                   .product = r["product"],
                   .version = 1,
                   .value = *value,
                   .unit = core::TargetUnit(r["indicator"]),
                   .source = r["source"],
                   .example = r["example"] == "true",
                   .changed_by = "data/control_targets.csv"});
  }
  return out;
}

core::Status LoadWarningThresholds(storage::Store& store, const std::string& data_dir) {
  auto thresholds = ReadWarningThresholds((std::filesystem::path(data_dir) / "warning_thresholds.csv").string());
  if (!thresholds.ok()) return thresholds.status();
  auto now = core::SystemClock().Now();
  for (auto& t : *thresholds) t.changed_at = now;  // kept only when first stored
  return store.warnings().AddThresholdsIfAbsent(*thresholds);
}

core::Result<std::vector<storage::Threshold>> ReadWarningThresholds(const std::string& path) {
  auto table = ReadTable(path);
  if (!table.ok()) return table.status();
  std::vector<storage::Threshold> out;
  for (size_t i = 0; i < table->size(); ++i) {
    auto& r = (*table)[i];
    auto value = ParseReal(r["value"]);
    if (r["rule"].empty() || r["name"].empty() || !value || r["source"].empty()) {
      return core::Status::InvalidArgument(
          fmt::format("{} line {}: rule, name, a numeric value and a source are required", path, i + 2));
    }
    out.push_back({.rule = r["rule"],
                   .name = r["name"],
                   .version = 1,
                   .value = *value,
                   .unit = r["unit"],
                   .source = r["source"],
                   .changed_by = "data/warning_thresholds.csv"});
  }
  return out;
}

core::Result<std::vector<core::CollectionTask>> ReadCollectionTasks(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  auto doc = nlohmann::json::parse(*text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc["tasks"].is_array()) {
    return core::Status::InvalidArgument(fmt::format("{}: must be a JSON object with a \"tasks\" array", path));
  }
  std::string source = doc.value("source", "");
  std::vector<core::CollectionTask> out;
  for (std::size_t i = 0; i < doc["tasks"].size(); ++i) {
    auto task = core::CollectionTaskFromJson(doc["tasks"][i]);
    if (task.ok()) {
      if (task->source.empty()) task->source = source;
      task->changed_by = "data/collection_tasks.json";
      task->version = 1;
      auto valid = core::ValidateCollectionTask(*task);
      if (!valid.ok()) task = valid;
    }
    if (!task.ok()) {
      const auto& s = task.status();
      std::string detail =
          s.details().empty() ? "" : fmt::format(" ({}: {})", s.details()[0].field, s.details()[0].reason);
      return core::Status::InvalidArgument(fmt::format("{}: tasks[{}]: {}{}", path, i, s.message(), detail));
    }
    out.push_back(std::move(task).value());
  }
  return out;
}

core::Result<std::vector<core::EfficiencyLevel>> ReadEfficiencyLevels(const std::string& path) {
  auto table = ReadTable(path);
  if (!table.ok()) return table.status();
  std::vector<core::EfficiencyLevel> out;
  int line = 1;
  for (auto& r : *table) {
    ++line;
    auto bad = [&](const std::string& column, const std::string& why) {
      return core::Status::InvalidArgument(fmt::format("{} line {} column {}: {}", path, line, column, why));
    };
    auto advanced = ParseReal(r["advanced"]), benchmark = ParseReal(r["benchmark"]);
    if (!advanced) return bad("advanced", "must be a number");
    if (!benchmark) return bad("benchmark", "must be a number");
    core::EfficiencyLevel level{r["product"], 1,          r["process"], r["indicator_unit"],
                                *advanced,    *benchmark, r["status"],  r["source"]};
    auto errors = core::ValidateEfficiencyLevel(level);
    if (!errors.empty()) return bad(errors.front().field, errors.front().reason);
    out.push_back(std::move(level));
  }
  return out;
}

core::Result<std::vector<core::Co2Factor>> ReadCo2Factors(const std::string& path) {
  auto table = ReadTable(path);
  if (!table.ok()) return table.status();
  std::vector<core::Co2Factor> out;
  int line = 1;
  for (auto& r : *table) {
    ++line;
    auto bad = [&](const std::string& column, const std::string& why) {
      return core::Status::InvalidArgument(fmt::format("{} line {} column {}: {}", path, line, column, why));
    };
    core::Co2Factor f{.energy_type = r["energy_type"],
                      .grid_region = r["grid_region"],
                      .unit = r["unit"],
                      .valid_from = r["valid_from"],
                      .valid_to = r["valid_to"],
                      .status = r["status"],
                      .source = r["source"]};
    auto year = ParseInt(r["year"]), version = ParseInt(r["version"]);
    if (!year) return bad("year", "must be a year, or 0 for fuels");
    if (!version || *version < 1) return bad("version", "must be a positive integer");
    auto value = ParseReal(r["kg_co2_per_unit"]);
    if (!value) return bad("kg_co2_per_unit", "must be a positive number");
    f.year = static_cast<int>(*year);
    f.version = static_cast<int>(*version);
    f.kg_per_unit = *value;
    auto errors = core::ValidateCo2Factor(f);
    if (!errors.empty()) return bad(errors.front().field, errors.front().reason);
    out.push_back(std::move(f));
  }
  return out;
}

core::Result<std::vector<core::ConversionFactor>> ReadConversionFactors(const std::string& path) {
  auto table = ReadTable(path);
  if (!table.ok()) return table.status();
  std::vector<core::ConversionFactor> out;
  int line = 1;
  for (auto& r : *table) {
    ++line;
    auto bad = [&](const std::string& column, const std::string& why) {
      return core::Status::InvalidArgument(fmt::format("{} line {} column {}: {}", path, line, column, why));
    };
    core::ConversionFactor f{.energy_type = r["energy_type"],
                             .variant = r["variant"],
                             .unit = r["unit"],
                             .valid_from = r["valid_from"],
                             .valid_to = r["valid_to"],
                             .status = r["status"],
                             .source = r["source"]};
    auto version = ParseInt(r["version"]);
    if (!version || *version < 1) return bad("version", "must be a positive integer");
    auto value = ParseReal(r["kgce_per_unit"]);
    if (!value) return bad("kgce_per_unit", "must be a positive number");
    f.version = static_cast<int>(*version);
    f.kgce_per_unit = *value;
    auto errors = core::ValidateConversionFactor(f);
    if (!errors.empty()) return bad(errors.front().field, errors.front().reason);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace kiln::registry
