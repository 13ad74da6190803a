#include "core/carbon.hpp"

#include <cmath>

#include "core/conversion.hpp"
#include "core/energy_types.hpp"

namespace kiln::core {

std::optional<Co2Factor> Co2FactorFor(const std::vector<Co2Factor>& factors, const std::string& energy_type,
                                      const GridChoice& grid, const std::string& date) {
  const Co2Factor* best = nullptr;
  for (const auto& f : factors) {
    if (f.energy_type != energy_type) continue;
    if (energy_type == "electricity" && (f.grid_region != grid.region || f.year != grid.year)) continue;
    if (date < f.valid_from || (!f.valid_to.empty() && date >= f.valid_to)) continue;
    if (!best || f.version > best->version) best = &f;
  }
  if (!best) return std::nullopt;
  return *best;
}

Carbon CarbonOf(const std::map<std::string, double>& amounts, const std::vector<Co2Factor>& factors,
                const GridChoice& grid, const std::string& date) {
  Carbon out;
  for (const auto& [type, amount] : amounts) {
    CarbonLine line{.energy_type = type, .amount = amount, .factor = Co2FactorFor(factors, type, grid, date)};
    if (line.factor) line.kg = amount * line.factor->kg_per_unit;
    out.tonnes += line.kg / 1000.0;
    out.lines.push_back(std::move(line));
  }
  return out;
}

nlohmann::json Co2FactorJson(const Co2Factor& f) {
  nlohmann::json j = {{"energy_type", f.energy_type},
                      {"version", f.version},
                      {"kg_co2_per_unit", f.kg_per_unit},
                      {"unit", "kgCO2/" + f.unit},
                      {"valid_from", f.valid_from},
                      {"valid_to", f.valid_to.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.valid_to)},
                      {"status", f.status},
                      {"source", f.source}};
  if (f.energy_type == "electricity") {
    j["grid_region"] = f.grid_region;
    j["year"] = f.year;
  }
  return j;
}

std::vector<FieldError> ValidateCo2Factor(const Co2Factor& f) {
  auto type = FindEnergyType(f.energy_type);
  if (!type) return {{"energy_type", "unknown energy type '" + f.energy_type + "'"}};
  std::vector<FieldError> errors;
  if (f.unit != type->unit) {
    errors.push_back({"unit", f.energy_type + " is measured in " + std::string(type->unit) + ", not '" + f.unit + "'"});
  }
  bool electricity = f.energy_type == "electricity";
  if (electricity && (f.grid_region.empty() || f.year < 2000)) {
    errors.push_back({"grid_region", "electricity needs a grid region and year"});
  }
  if (!electricity && (!f.grid_region.empty() || f.year != 0)) {
    errors.push_back({"grid_region", "only electricity has a grid region and year"});
  }
  if (!(f.kg_per_unit > 0) || !std::isfinite(f.kg_per_unit))
    errors.push_back({"kg_co2_per_unit", "must be a positive number"});
  ValidateReferenceMeta(f.valid_from, f.valid_to, f.status, f.source, errors);
  return errors;
}

}  // namespace kiln::core
