#pragma once
// Standard-coal conversion (GB/T 2589-2020): comprehensive energy consumption
// is the sum over energy types of physical amount x coefficient. The
// coefficients are versioned reference data (data/factors.csv, editable); this
// picks the one in force on a date and keeps, for every figure, which version
// of which coefficient made it, so the figure can be re-checked by hand.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/status.hpp"

namespace kiln::core {

// Electricity counts either at its heat content (当量值, 0.1229 kgce/kWh) or at
// the coal burnt to generate it (等价值); which one dual control uses is a setting.
enum class ElectricityConvention { kEquivalent, kEqual };

// What energy dual control leaves out of the totals (DOMAIN.md section 11): energy used as raw
// material (原料用能) and new renewable energy. Both default on; the accounting shows the figure
// with and without them.
struct DualControlExclusions {
  bool feedstock = true;
  bool renewable = true;
};

std::optional<ElectricityConvention> ParseElectricityConvention(std::string_view text);
const char* ElectricityConventionName(ElectricityConvention c);

struct ConversionFactor {
  std::string energy_type;  // a metering point's `measures`, e.g. "raw_coal"
  std::string variant;  // "" or, for electricity, "equivalent" / "equal"
  int version = 1;
  double kgce_per_unit = 0;  // kilograms of standard coal per unit of the energy type (kWh, t, m3, GJ)
  std::string unit;  // the energy type's unit the coefficient applies to
  std::string valid_from;  // YYYY-MM-DD, China time, inclusive
  std::string valid_to;  // YYYY-MM-DD exclusive, "" = open
  std::string status;  // "verified" or "to_be_confirmed"
  std::string source;
};

// The factor for a type (and, for electricity, the convention) in force on `date` (YYYY-MM-DD):
// the highest version whose validity covers the date.
std::optional<ConversionFactor> FactorInForce(const std::vector<ConversionFactor>& factors,
                                              const std::string& energy_type, ElectricityConvention convention,
                                              const std::string& date);

struct ConversionLine {
  std::string energy_type;
  double amount = 0;  // physical, in the type's unit
  std::optional<ConversionFactor> factor;  // nullopt: no coefficient, not counted (e.g. product output)
  double tce = 0;
};

struct ComprehensiveEnergy {
  double tce = 0;
  std::vector<ConversionLine> lines;
};

// What is wrong with a factor (energy type, its unit, variant, value, validity, status, source), if anything.
std::vector<FieldError> ValidateConversionFactor(const ConversionFactor& f);

// The part every reference row shares: a validity period (YYYY-MM-DD, end exclusive or open),
// a status (verified / to_be_confirmed) and a source.
void ValidateReferenceMeta(const std::string& valid_from, const std::string& valid_to, const std::string& status,
                           const std::string& source, std::vector<FieldError>& errors);

// The energy types that have any coefficient, in order.
std::vector<std::string> EnergyTypesWithCoefficients(const std::vector<ConversionFactor>& factors);

// The wire form of a factor, as the API and every figure's inputs show it, and back.
nlohmann::json FactorJson(const ConversionFactor& f);
std::optional<ConversionFactor> FactorFromJson(const nlohmann::json& j);
// The factors of a stored JSON array (as a report version keeps them); malformed entries are skipped.
std::vector<ConversionFactor> FactorsFromJsonText(const std::string& text);

// Converts physical amounts per energy type to tonnes of standard coal with the factors in force on `date`.
ComprehensiveEnergy ToStandardCoal(const std::map<std::string, double>& amounts,
                                   const std::vector<ConversionFactor>& factors, ElectricityConvention convention,
                                   const std::string& date);

}  // namespace kiln::core
