#include "registry/reference_editor.hpp"

#include <cmath>
#include <fmt/format.h>

#include <regex>
#include <set>

#include "core/control_targets.hpp"
#include "core/energy_types.hpp"
#include "core/regions.hpp"
#include "core/text.hpp"

namespace kiln::registry {
namespace {

using nlohmann::json;

// Reads the fields of a reference row; every problem, an unknown field too, becomes a field error.
class RowReader {
 public:
  RowReader(const json& body, const std::set<std::string>& known) : body_(body) {
    for (const auto& [key, value] : body.items()) {
      if (!known.contains(key)) errors.push_back({key, "unknown field"});
    }
  }
  void Text(const char* key, std::string& out, bool required) {
    const auto& v = body_.contains(key) ? body_[key] : json();
    if (v.is_string() && v.get_ref<const std::string&>().size() <= 1000) {
      out = core::Trim(v.get_ref<const std::string&>());
      if (out.empty() && required) errors.push_back({key, "is required"});
    } else if (v.is_string()) {
      errors.push_back({key, "must be at most 1000 bytes"});
    } else if (v.is_null() && required) {
      errors.push_back({key, "is required"});
    } else if (!v.is_null()) {
      errors.push_back({key, "must be text"});
    }
  }
  // The reader's errors and then `more` on fields it has not named already.
  std::vector<core::FieldError> With(const std::vector<core::FieldError>& more) const {
    auto all = errors;
    for (const auto& e : more) {
      if (std::none_of(errors.begin(), errors.end(), [&](const auto& x) { return x.field == e.field; }))
        all.push_back(e);
    }
    return all;
  }
  void Number(const char* key, double& out) {
    const auto& v = body_.contains(key) ? body_[key] : json();
    if (v.is_number())
      out = v.get<double>();
    else
      errors.push_back({key, "must be a positive number"});
  }
  void Integer(const char* key, int& out) {
    const auto& v = body_.contains(key) ? body_[key] : json();
    if (v.is_number_integer() && v.get<std::int64_t>() >= -1'000'000 && v.get<std::int64_t>() <= 1'000'000) {
      out = v.get<int>();
    } else if (!v.is_null()) {
      errors.push_back({key, "must be an integer between -1000000 and 1000000"});
    }
  }
  void Boolean(const char* key, bool& out) {
    const auto& v = body_.contains(key) ? body_[key] : json();
    if (v.is_boolean())
      out = v.get<bool>();
    else if (!v.is_null())
      errors.push_back({key, "must be true or false"});
  }
  std::vector<core::FieldError> errors;

 private:
  const json& body_;
};

core::Status MayEdit(const Caller& caller) {
  return security::Authorize(caller.principal, security::Action::kReferenceEdit, {});
}

}  // namespace

bool ReferenceEditor::KnownList(const std::string& list) {
  return list == "industries" || list == "disposal_types" || list == "violation_types";
}

template <typename Row, typename Store>
core::Result<Row> ReferenceEditor::Add(const Caller& caller, const std::string& action, const std::string& target,
                                       const Row& row, Store store,
                                       const std::function<std::string(const Row&)>& describe) {
  KILN_RETURN_IF_ERROR(audit_.Intend(caller.principal.username, caller.address, action, target));
  core::Result<Row> added = store(row);
  (void)audit_.Record(caller.principal.username, caller.address, action, target,
                      added.ok() ? "ok" : core::StatusCodeName(added.status().code()),
                      added.ok() ? describe(*added) : added.status().message());
  return added;
}

core::Result<core::ConversionFactor> ReferenceEditor::AddFactor(const Caller& caller, const json& body) {
  KILN_RETURN_IF_ERROR(MayEdit(caller));
  core::ConversionFactor f;
  RowReader row(body, {"energy_type", "variant", "valid_from", "valid_to", "status", "source", "kgce_per_unit"});
  row.Text("energy_type", f.energy_type, true);
  row.Text("variant", f.variant, false);
  row.Text("valid_from", f.valid_from, true);
  row.Text("valid_to", f.valid_to, false);
  row.Text("status", f.status, true);
  row.Text("source", f.source, true);
  row.Number("kgce_per_unit", f.kgce_per_unit);
  if (auto type = core::FindEnergyType(f.energy_type)) f.unit = std::string(type->unit);
  auto errors = row.With(core::ValidateConversionFactor(f));
  if (!errors.empty()) return core::Status::InvalidArgument("invalid conversion factor", errors);
  return Add<core::ConversionFactor>(
      caller, "reference.factor.add", fmt::format("factors:{}:{}", f.energy_type, f.variant), f,
      [this](const core::ConversionFactor& x) { return store_.AddConversionFactorVersion(x); },
      [](const core::ConversionFactor& a) {
        return fmt::format("v{} {} kgce/{} from {}", a.version, a.kgce_per_unit, a.unit, a.valid_from);
      });
}

core::Result<core::Co2Factor> ReferenceEditor::AddCo2Factor(const Caller& caller, const json& body) {
  KILN_RETURN_IF_ERROR(MayEdit(caller));
  core::Co2Factor f;
  RowReader row(
      body, {"energy_type", "grid_region", "year", "valid_from", "valid_to", "status", "source", "kg_co2_per_unit"});
  row.Text("energy_type", f.energy_type, true);
  row.Text("grid_region", f.grid_region, false);
  row.Integer("year", f.year);
  row.Text("valid_from", f.valid_from, true);
  row.Text("valid_to", f.valid_to, false);
  row.Text("status", f.status, true);
  row.Text("source", f.source, true);
  row.Number("kg_co2_per_unit", f.kg_per_unit);
  if (auto type = core::FindEnergyType(f.energy_type)) f.unit = std::string(type->unit);
  auto errors = row.With(core::ValidateCo2Factor(f));
  if (!errors.empty()) return core::Status::InvalidArgument("invalid CO2 factor", errors);
  return Add<core::Co2Factor>(
      caller, "reference.co2.add", fmt::format("co2_factors:{}:{}:{}", f.energy_type, f.grid_region, f.year), f,
      [this](const core::Co2Factor& x) { return store_.AddCo2FactorVersion(x); },
      [](const core::Co2Factor& a) { return fmt::format("v{} {} {}", a.version, a.kg_per_unit, a.unit); });
}

core::Result<storage::Threshold> ReferenceEditor::AddThreshold(const Caller& caller, const json& body) {
  KILN_RETURN_IF_ERROR(MayEdit(caller));
  storage::Threshold t;
  RowReader row(body, {"rule", "name", "value", "source"});
  row.Text("rule", t.rule, true);
  row.Text("name", t.name, true);
  row.Text("source", t.source, true);
  const auto& value = body.contains("value") ? body["value"] : json();
  if (value.is_number() && std::isfinite(value.get<double>()) && value.get<double>() >= 0) {
    t.value = value.get<double>();
  } else {
    row.errors.push_back({"value", "must be a number, 0 or more"});
  }
  if (t.source.empty() && body.contains("source")) row.errors.push_back({"source", "is required"});
  if (!row.errors.empty()) return core::Status::InvalidArgument("invalid threshold", row.errors);
  auto stored = warnings_.ListThresholds();
  if (!stored.ok()) return stored.status();
  const storage::Threshold* current = nullptr;
  for (const auto& s : *stored) {
    if (s.rule == t.rule && s.name == t.name && (!current || s.version > current->version)) current = &s;
  }
  if (!current) return core::Status::NotFound(fmt::format("no warning threshold {}.{}", t.rule, t.name));
  t.unit = current->unit;
  t.changed_by = caller.principal.username;
  t.changed_at = clock_.Now();
  return Add<storage::Threshold>(
      caller, "reference.threshold.add", fmt::format("warning_thresholds:{}:{}", t.rule, t.name), t,
      [this](const storage::Threshold& x) { return warnings_.AddThresholdVersion(x); },
      [](const storage::Threshold& a) { return fmt::format("v{} {} {}", a.version, a.value, a.unit); });
}

core::Result<storage::ControlTarget> ReferenceEditor::AddTarget(const Caller& caller, const json& body) {
  KILN_RETURN_IF_ERROR(MayEdit(caller));
  storage::ControlTarget t;
  RowReader row(body, {"region", "year", "indicator", "product", "value", "source"});
  row.Text("region", t.region, true);
  row.Integer("year", t.year);
  row.Text("indicator", t.indicator, true);
  row.Text("product", t.product, false);
  row.Text("source", t.source, true);
  const auto& value = body.contains("value") ? body["value"] : json();
  if (value.is_number() && std::isfinite(value.get<double>()) && value.get<double>() > 0) {
    t.value = value.get<double>();
  } else {
    row.errors.push_back({"value", "must be a positive number"});
  }
  if (!t.region.empty() && core::LevelOfRegionCode(t.region) == core::RegionLevel::kInvalid) {
    row.errors.push_back({"region", "must be a GB/T 2260 region code"});
  } else if (!t.region.empty()) {
    auto regions = store_.ListRegions();
    if (!regions.ok()) return regions.status();
    if (std::none_of(regions->begin(), regions->end(), [&](const auto& r) { return r.code == t.region; })) {
      row.errors.push_back({"region", "is not a region of the registry (data/regions)"});
    }
  }
  if (t.year < 2000 || t.year > 2100) row.errors.push_back({"year", "must be a year between 2000 and 2100"});
  if (!t.indicator.empty() && !core::IsTargetIndicator(t.indicator)) {
    row.errors.push_back({"indicator",
                          "must be energy_total, energy_intensity, coal_total, co2_total, "
                          "co2_intensity, output_cap, so2_total or nox_total"});
  }
  if ((t.indicator == "output_cap") != !t.product.empty()) {
    row.errors.push_back({"product", t.indicator == "output_cap" ? "is required for output_cap"
                                                                 : "only output_cap targets name a product"});
  }
  if (t.source.empty() && body.contains("source")) row.errors.push_back({"source", "is required"});
  if (!row.errors.empty()) return core::Status::InvalidArgument("invalid control target", row.errors);
  t.unit = core::TargetUnit(t.indicator);
  t.changed_by = caller.principal.username;
  t.changed_at = clock_.Now();
  return Add<storage::ControlTarget>(
      caller, "reference.target.add",
      fmt::format("control_targets:{}:{}:{}{}", t.region, t.year, t.indicator,
                  t.product.empty() ? "" : ":" + t.product),
      t, [this](const storage::ControlTarget& x) { return targets_.AddTargetVersion(x); },
      [](const storage::ControlTarget& a) { return fmt::format("v{} {} {}", a.version, a.value, a.unit); });
}

core::Result<core::EfficiencyLevel> ReferenceEditor::AddEfficiencyLevel(const Caller& caller, const json& body) {
  KILN_RETURN_IF_ERROR(MayEdit(caller));
  core::EfficiencyLevel l;
  RowReader row(body, {"product", "process", "indicator_unit", "status", "source", "advanced", "benchmark"});
  row.Text("product", l.product, true);
  row.Text("process", l.process, false);
  row.Text("indicator_unit", l.indicator_unit, true);
  row.Text("status", l.status, true);
  row.Text("source", l.source, true);
  row.Number("advanced", l.advanced);
  row.Number("benchmark", l.benchmark);
  auto errors = row.With(core::ValidateEfficiencyLevel(l));
  if (!errors.empty()) return core::Status::InvalidArgument("invalid efficiency level", errors);
  return Add<core::EfficiencyLevel>(
      caller, "reference.level.add", "efficiency_levels:" + l.product, l,
      [this](const core::EfficiencyLevel& x) { return store_.AddEfficiencyLevelVersion(x); },
      [](const core::EfficiencyLevel& a) {
        return fmt::format("v{} 标杆 {} 基准 {} {}", a.version, a.advanced, a.benchmark, a.indicator_unit);
      });
}

core::Result<storage::ReferenceItem> ReferenceEditor::AddListItem(const Caller& caller, const std::string& list,
                                                                  const json& body) {
  if (!KnownList(list)) return core::Status::NotFound("no reference list " + list);
  KILN_RETURN_IF_ERROR(MayEdit(caller));
  storage::ReferenceItem item{.list = list};
  RowReader row(body, {"code", "name", "description", "status", "source", "sort_order", "active"});
  row.Text("code", item.code, true);
  row.Text("name", item.name, true);
  row.Text("description", item.description, false);
  row.Text("status", item.status, true);
  row.Text("source", item.source, true);
  row.Integer("sort_order", item.sort_order);
  row.Boolean("active", item.active);
  auto& errors = row.errors;
  static const std::regex kCode(R"(^[A-Za-z][A-Za-z0-9_]{0,31}$)");
  if (!item.code.empty() && !std::regex_match(item.code, kCode)) {
    errors.push_back({"code", "must be 1-32 letters, digits or _, starting with a letter"});
  }
  if (item.name.empty()) errors.push_back({"name", "is required"});
  if (item.status != "verified" && item.status != "to_be_confirmed") {
    errors.push_back({"status", "must be verified or to_be_confirmed"});
  }
  if (item.source.empty()) errors.push_back({"source", "is required: say where the entry comes from"});
  if (!errors.empty()) return core::Status::InvalidArgument("invalid reference entry", errors);
  item.changed_by = caller.principal.username;
  item.changed_at = clock_.Now();
  return Add<storage::ReferenceItem>(
      caller, "reference.list.add", fmt::format("{}:{}", list, item.code), item,
      [this](const storage::ReferenceItem& x) { return store_.AddReferenceItemVersion(x); },
      [](const storage::ReferenceItem& a) { return fmt::format("v{} {}", a.version, a.name); });
}

}  // namespace kiln::registry
