#pragma once
// CO2 from energy use (DOMAIN.md section 3): fuel combustion at each fuel's
// emission factor plus purchased electricity at the grid factor of a region
// and year (both settings). Factors are versioned reference data
// (data/co2_factors.csv); every figure keeps the factor that made it.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.hpp"

namespace kiln::core {

struct Co2Factor {
  std::string energy_type;
  std::string grid_region;  // electricity only: "national", "north_china", …
  int year = 0;  // electricity only: the announcement year
  int version = 1;
  double kg_per_unit = 0;  // kg CO2 per unit of the energy type
  std::string unit;
  std::string valid_from, valid_to;  // YYYY-MM-DD China time; valid_to exclusive, "" = open
  std::string status, source;
};

// The grid factor setting: which region and announcement year electricity is counted with.
struct GridChoice {
  std::string region = "north_china";
  int year = 2023;
};

// Fuels: the highest version valid on `date`. Electricity: the factor of the chosen grid region and year.
std::optional<Co2Factor> Co2FactorFor(const std::vector<Co2Factor>& factors, const std::string& energy_type,
                                      const GridChoice& grid, const std::string& date);

struct CarbonLine {
  std::string energy_type;
  double amount = 0;
  std::optional<Co2Factor> factor;  // nullopt: no factor (not counted; e.g. water, heat)
  double kg = 0;
};

struct Carbon {
  double tonnes = 0;
  std::vector<CarbonLine> lines;
};

Carbon CarbonOf(const std::map<std::string, double>& amounts, const std::vector<Co2Factor>& factors,
                const GridChoice& grid, const std::string& date);

nlohmann::json Co2FactorJson(const Co2Factor& f);

// What is wrong with a CO2 factor, if anything (grid region and year for electricity only).
std::vector<FieldError> ValidateCo2Factor(const Co2Factor& f);

}  // namespace kiln::core
