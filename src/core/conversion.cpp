#include "core/conversion.hpp"

#include <algorithm>

namespace kiln::core {

std::optional<ElectricityConvention> ParseElectricityConvention(std::string_view text) {
  if (text == "equivalent") return ElectricityConvention::kEquivalent;
  if (text == "equal") return ElectricityConvention::kEqual;
  return std::nullopt;
}

const char* ElectricityConventionName(ElectricityConvention c) {
  return c == ElectricityConvention::kEquivalent ? "equivalent" : "equal";
}

std::optional<ConversionFactor> FactorInForce(const std::vector<ConversionFactor>& factors,
                                              const std::string& energy_type, ElectricityConvention convention,
                                              const std::string& date) {
  const std::string variant = energy_type == "electricity" ? ElectricityConventionName(convention) : "";
  const ConversionFactor* best = nullptr;
  for (const auto& f : factors) {
    if (f.energy_type != energy_type || f.variant != variant) continue;
    if (date < f.valid_from || (!f.valid_to.empty() && date >= f.valid_to)) continue;
    if (!best || f.version > best->version) best = &f;
  }
  if (!best) return std::nullopt;
  return *best;
}

std::vector<std::string> EnergyTypesWithCoefficients(const std::vector<ConversionFactor>& factors) {
  std::vector<std::string> out;
  for (const auto& f : factors) {
    if (std::find(out.begin(), out.end(), f.energy_type) == out.end()) out.push_back(f.energy_type);
  }
  return out;
}

nlohmann::json FactorJson(const ConversionFactor& f) {
  return {{"energy_type", f.energy_type}, {"variant", f.variant}, {"version", f.version},
          {"kgce_per_unit", f.kgce_per_unit}, {"unit", "kgce/" + f.unit}, {"valid_from", f.valid_from},
          {"valid_to", f.valid_to.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.valid_to)},
          {"status", f.status}, {"source", f.source}};
}

ComprehensiveEnergy ToStandardCoal(const std::map<std::string, double>& amounts,
                                   const std::vector<ConversionFactor>& factors, ElectricityConvention convention,
                                   const std::string& date) {
  ComprehensiveEnergy out;
  for (const auto& [type, amount] : amounts) {
    ConversionLine line{.energy_type = type, .amount = amount,
                        .factor = FactorInForce(factors, type, convention, date)};
    if (line.factor) line.tce = amount * line.factor->kgce_per_unit / 1000.0;
    out.tce += line.tce;
    out.lines.push_back(std::move(line));
  }
  return out;
}

}  // namespace kiln::core
