#include "core/report_rules.hpp"

#include <algorithm>

#include <cmath>
#include <fmt/format.h>

#include "core/energy_types.hpp"

namespace kiln::core {

std::optional<ReportKind> ParseReportKind(std::string_view text) {
  if (text == "monthly") return ReportKind::kMonthly;
  if (text == "yearly") return ReportKind::kYearly;
  return std::nullopt;
}

const char* ReportKindName(ReportKind kind) { return kind == ReportKind::kMonthly ? "monthly" : "yearly"; }

// Money in 万元 (ten thousand yuan), as the statistical forms ask.
const std::vector<ReportField>& BusinessFields() {
  static const std::vector<ReportField> kFields = {
      {"gross_output_value", "万元", true},
      {"value_added", "万元", true},
      {"tax", "万元", true},
      {"revenue", "万元", true},
      {"staff", "人", true, true},
      {"total_assets", "万元", true},
      {"rd_spend", "万元", false},
  };
  return kFields;
}

const std::vector<ReportField>& EnergyFields() {
  static const std::vector<ReportField> kFields = {
      {"raw_coal", "t", false},
      {"coke", "t", false},
      {"electricity", "kWh", true},
      {"crude_oil", "t", false},
      {"diesel", "t", false},
      {"gasoline", "t", false},
      {"natural_gas", "m3", false},
      {"coal_gas", "m3", false},
      {"other", "tce", false},
      {"comprehensive", "tce", true},
      {"water", "t", false},
      // Of which (not lines of their own): energy used as raw material (原料用能), in tce, and
      // renewable electricity (绿电, own or bought), in kWh; both are outside energy dual control.
      {"feedstock", "tce", false},
      {"renewable_electricity", "kWh", false},
  };
  return kFields;
}

bool IsEnergyLine(std::string_view key) {
  return key != "comprehensive" && key != "feedstock" && key != "renewable_electricity";
}

const std::vector<ReportField>& ProductFields() {
  static const std::vector<ReportField> kFields = {
      {"output", "", true},
      {"output_value", "万元", false},
      {"capacity", "", false},
      {"price", "元", false},
  };
  return kFields;
}

std::optional<ReportPeriod> ParseReportPeriod(ReportKind kind, std::string_view text) {
  int year = 0, month = 0;
  if (kind == ReportKind::kMonthly) {
    if (text.size() != 7 || text[4] != '-' || std::sscanf(std::string(text).c_str(), "%4d-%2d", &year, &month) != 2) {
      return std::nullopt;
    }
    if (year < 2000 || year > 2100 || month < 1 || month > 12) return std::nullopt;
    int next_year = month == 12 ? year + 1 : year, next_month = month == 12 ? 1 : month + 1;
    return ReportPeriod{kind, std::string(text), ChinaMidnight({year, month, 1}),
                        ChinaMidnight({next_year, next_month, 1}), ChinaMidnight({next_year, next_month, 6})};
  }
  if (text.size() != 4 || std::sscanf(std::string(text).c_str(), "%4d", &year) != 1 || year < 2000 || year > 2100) {
    return std::nullopt;
  }
  return ReportPeriod{kind, std::string(text), ChinaMidnight({year, 1, 1}), ChinaMidnight({year + 1, 1, 1}),
                      ChinaMidnight({year + 1, 1, 16})};
}

namespace {

constexpr double kMaxAmount = 1e13;
constexpr std::size_t kMaxProducts = 100;

// A number field: absent is fine (nullopt); present must be a finite, non-negative number.
std::optional<double> Number(const nlohmann::json& section, const ReportField& f, const std::string& path,
                             std::vector<FieldError>& errors) {
  if (!section.is_object() || !section.contains(f.key) || section[f.key].is_null()) return std::nullopt;
  const auto& v = section[f.key];
  if (!v.is_number()) {
    errors.push_back({path, "must be a number"});
    return std::nullopt;
  }
  double d = v.get<double>();
  if (!std::isfinite(d) || d < 0)
    errors.push_back({path, "must be zero or more"});
  else if (d > kMaxAmount)
    errors.push_back({path, "is implausibly large"});
  else if (f.integer && d != std::floor(d))
    errors.push_back({path, "must be a whole number"});
  else
    return d;
  return std::nullopt;
}

}  // namespace

ReportCheck CheckReport(const nlohmann::json& content, bool for_submit, const ReportPeriod& period,
                        const std::vector<ConversionFactor>& factors, ElectricityConvention convention,
                        const std::map<std::string, double>& metered, const std::string& explanation) {
  ReportCheck out;
  auto& errors = out.errors;
  if (!content.is_object()) {
    errors.push_back({"content", "must be an object with business, production and energy"});
    return out;
  }
  for (const auto& [key, _] : content.items()) {
    if (key != "business" && key != "production" && key != "energy") errors.push_back({key, "unknown section"});
  }
  auto section = [&](const char* name) -> nlohmann::json {
    if (!content.contains(name) || content[name].is_null()) return nlohmann::json::object();
    if (!content[name].is_object()) errors.push_back({name, "must be an object"});
    return content[name];
  };
  auto check_fields = [&](const nlohmann::json& s, const char* name, const std::vector<ReportField>& fields) {
    std::map<std::string, double> values;
    if (s.is_object()) {
      for (const auto& [key, _] : s.items()) {
        bool known = false;
        for (const auto& f : fields) known = known || key == f.key;
        if (!known) errors.push_back({fmt::format("{}.{}", name, key), "unknown field"});
      }
    }
    for (const auto& f : fields) {
      auto path = fmt::format("{}.{}", name, f.key);
      if (auto v = Number(s, f, path, errors))
        values[f.key] = *v;
      else if (for_submit && f.required && !(s.is_object() && s.contains(f.key) && !s[f.key].is_null())) {
        errors.push_back({path, "is required"});
      }
    }
    return values;
  };
  check_fields(section("business"), "business", BusinessFields());
  auto energy = check_fields(section("energy"), "energy", EnergyFields());

  if (content.contains("production") && !content["production"].is_null()) {
    const auto& products = content["production"];
    if (!products.is_array()) {
      errors.push_back({"production", "must be a list of products"});
    } else if (products.size() > kMaxProducts) {
      errors.push_back({"production", fmt::format("may list at most {} products", kMaxProducts)});
    } else {
      for (size_t i = 0; i < products.size(); ++i) {
        const auto& p = products[i];
        auto base = fmt::format("production[{}]", i);
        if (!p.is_object()) {
          errors.push_back({base, "must be an object"});
          continue;
        }
        for (const auto& [key, _] : p.items()) {
          bool known = key == "product" || key == "unit" || key == "raw_material";
          for (const auto& f : ProductFields()) known = known || key == f.key;
          if (!known) errors.push_back({fmt::format("{}.{}", base, key), "unknown field"});
        }
        for (const char* text : {"product", "unit", "raw_material"}) {
          if (p.contains(text) && !p[text].is_null() && !p[text].is_string()) {
            errors.push_back({fmt::format("{}.{}", base, text), "must be text"});
          } else if (p.contains(text) && p[text].is_string() && p[text].get_ref<const std::string&>().size() > 200) {
            errors.push_back({fmt::format("{}.{}", base, text), "must be at most 200 bytes"});
          }
        }
        if (for_submit &&
            (!p.contains("product") || !p["product"].is_string() || p["product"].get<std::string>().empty())) {
          errors.push_back({base + ".product", "is required"});
        }
        if (for_submit && (!p.contains("unit") || !p["unit"].is_string() || p["unit"].get<std::string>().empty())) {
          errors.push_back({base + ".unit", "is required"});
        }
        for (const auto& f : ProductFields()) {
          auto path = fmt::format("{}.{}", base, f.key);
          bool present = p.contains(f.key) && !p[f.key].is_null();
          Number(p, f, path, errors);
          if (for_submit && f.required && !present) errors.push_back({path, "is required"});
        }
      }
    }
  }

  // The comprehensive figure must be the conversion of its lines, with the factors in force.
  std::map<std::string, double> convertible;
  for (const auto& [type, amount] : energy) {
    if (IsEnergyLine(type) && type != "other" && type != "water") convertible[type] = amount;
  }
  auto converted = ToStandardCoal(convertible, factors, convention, FormatDate(ChinaDateOf(period.start)));
  out.lines = converted.lines;
  out.comprehensive_tce = converted.tce + (energy.contains("other") ? energy["other"] : 0.0);
  // The "of which" figures are parts of the whole they belong to.
  if (auto it = energy.find("feedstock"); it != energy.end() && it->second > out.comprehensive_tce * 1.001 + 0.01) {
    errors.push_back({"energy.feedstock",
                      fmt::format("must not exceed the comprehensive energy ({:.4f} tce)", out.comprehensive_tce)});
  }
  if (auto it = energy.find("renewable_electricity"); it != energy.end()) {
    double electricity = energy.contains("electricity") ? energy["electricity"] : 0.0;
    if (it->second > electricity) {
      errors.push_back(
          {"energy.renewable_electricity", fmt::format("must not exceed the electricity ({:.2f} kWh)", electricity)});
    }
  }
  if (!for_submit) return out;
  for (const auto& line : converted.lines) {
    if (!line.factor) errors.push_back({"energy." + line.energy_type, "has no conversion factor in force"});
  }
  if (auto it = energy.find("comprehensive"); it != energy.end()) {
    double diff = std::abs(it->second - out.comprehensive_tce);
    if (diff > std::max(0.01, 0.001 * out.comprehensive_tce)) {
      errors.push_back({"energy.comprehensive",
                        fmt::format("must equal the conversion of the lines: {:.4f} tce", out.comprehensive_tce)});
    }
  }
  // Metered use: each line the report has must agree within 5 % or explain why not. Meters of
  // what the report has no line for (product output, steam, heat: those go into "other" in tce)
  // are not compared.
  if (explanation.empty()) {
    for (const auto& [metered_type, meter] : metered) {
      const std::string& type = metered_type;  // a plain name the lambda can capture
      bool has_line = std::any_of(EnergyFields().begin(), EnergyFields().end(), [&](const ReportField& f) {
        return type == f.key && IsEnergyLine(type) && type != "other";
      });
      if (meter <= 0 || !has_line) continue;
      auto it = energy.find(type);
      double reported = it == energy.end() ? 0.0 : it->second;
      double off = std::abs(reported - meter) / meter;
      if (off > 0.05) {
        errors.push_back(
            {"energy." + type,
             fmt::format("differs from the metered {:.2f} by {:.1f}%; give an explanation", meter, off * 100)});
      }
    }
  }
  return out;
}

nlohmann::json PrefilledReport(const std::map<std::string, double>& metered) {
  nlohmann::json energy = nlohmann::json::object();
  for (const auto& f : EnergyFields()) {
    if (auto it = metered.find(f.key); it != metered.end()) energy[f.key] = std::round(it->second * 100) / 100;
  }
  return {{"business", nlohmann::json::object()}, {"production", nlohmann::json::array()}, {"energy", energy}};
}

}  // namespace kiln::core
