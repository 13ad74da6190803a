#include "core/conversion.hpp"

#include <algorithm>
#include <cmath>

#include "core/china_time.hpp"
#include "core/energy_types.hpp"

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

std::vector<FieldError> ValidateConversionFactor(const ConversionFactor& f) {
  auto type = FindEnergyType(f.energy_type);
  if (!type) return {{"energy_type", "unknown energy type '" + f.energy_type + "'"}};
  std::vector<FieldError> errors;
  if (f.unit != type->unit) {
    errors.push_back(
        {"unit", std::string(f.energy_type) + " is measured in " + std::string(type->unit) + ", not '" + f.unit + "'"});
  }
  if (f.energy_type == "electricity" ? !ParseElectricityConvention(f.variant) : !f.variant.empty()) {
    errors.push_back({"variant", "electricity needs 'equivalent' or 'equal'; other types none"});
  }
  if (!(f.kgce_per_unit > 0) || !std::isfinite(f.kgce_per_unit))
    errors.push_back({"kgce_per_unit", "must be a positive number"});
  ValidateReferenceMeta(f.valid_from, f.valid_to, f.status, f.source, errors);
  return errors;
}

void ValidateReferenceMeta(const std::string& valid_from, const std::string& valid_to, const std::string& status,
                           const std::string& source, std::vector<FieldError>& errors) {
  if (!ParseDate(valid_from)) errors.push_back({"valid_from", "must be a date YYYY-MM-DD"});
  if (!valid_to.empty() && (!ParseDate(valid_to) || valid_to <= valid_from)) {
    errors.push_back({"valid_to", "must be empty or a date after valid_from"});
  }
  if (status != "verified" && status != "to_be_confirmed")
    errors.push_back({"status", "must be verified or to_be_confirmed"});
  if (source.empty()) errors.push_back({"source", "is required: every factor names where it comes from"});
}

std::vector<std::string> EnergyTypesWithCoefficients(const std::vector<ConversionFactor>& factors) {
  std::vector<std::string> out;
  for (const auto& f : factors) {
    if (std::find(out.begin(), out.end(), f.energy_type) == out.end()) out.push_back(f.energy_type);
  }
  return out;
}

nlohmann::json FactorJson(const ConversionFactor& f) {
  return {{"energy_type", f.energy_type},
          {"variant", f.variant},
          {"version", f.version},
          {"kgce_per_unit", f.kgce_per_unit},
          {"unit", "kgce/" + f.unit},
          {"valid_from", f.valid_from},
          {"valid_to", f.valid_to.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.valid_to)},
          {"status", f.status},
          {"source", f.source}};
}

std::optional<ConversionFactor> FactorFromJson(const nlohmann::json& j) {
  // contains() first: operator[] on a const object with a missing key is undefined behaviour.
  auto has = [&](const char* key) { return j.is_object() && j.contains(key); };
  if (!has("energy_type") || !j.at("energy_type").is_string() || !has("kgce_per_unit") ||
      !j.at("kgce_per_unit").is_number() || !has("version") || !j.at("version").is_number_integer()) {
    return std::nullopt;
  }
  ConversionFactor f;
  f.energy_type = j.at("energy_type");
  f.variant = j.value("variant", "");
  f.version = j.at("version");
  f.kgce_per_unit = j.at("kgce_per_unit");
  auto unit = j.value("unit", "");
  f.unit = unit.rfind("kgce/", 0) == 0 ? unit.substr(5) : unit;
  f.valid_from = j.value("valid_from", "");
  f.valid_to = has("valid_to") && j.at("valid_to").is_string() ? j.at("valid_to").get<std::string>() : "";
  f.status = j.value("status", "");
  f.source = j.value("source", "");
  return f;
}

std::vector<ConversionFactor> FactorsFromJsonText(const std::string& text) {
  std::vector<ConversionFactor> out;
  auto list = nlohmann::json::parse(text, nullptr, false);
  if (!list.is_array()) return out;
  for (const auto& f : list) {
    if (auto factor = FactorFromJson(f)) out.push_back(*factor);
  }
  return out;
}

ComprehensiveEnergy ToStandardCoal(const std::map<std::string, double>& amounts,
                                   const std::vector<ConversionFactor>& factors, ElectricityConvention convention,
                                   const std::string& date) {
  ComprehensiveEnergy out;
  for (const auto& [type, amount] : amounts) {
    ConversionLine line{
        .energy_type = type, .amount = amount, .factor = FactorInForce(factors, type, convention, date)};
    if (line.factor) line.tce = amount * line.factor->kgce_per_unit / 1000.0;
    out.tce += line.tce;
    out.lines.push_back(std::move(line));
  }
  return out;
}

}  // namespace kiln::core
