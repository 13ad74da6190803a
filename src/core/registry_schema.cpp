#include "core/registry_schema.hpp"

#include <regex>

#include "core/china_time.hpp"
#include "core/credit_code.hpp"
#include "core/regions.hpp"

namespace kiln::core {
namespace {

FieldSpec Id() { return {.name = "id", .type = FieldType::kInt, .read_only = true, .sortable = true}; }
FieldSpec Stamp(const char* name) {
  return {.name = name, .type = FieldType::kInstant, .read_only = true, .sortable = true};
}
FieldSpec Text(const char* name, bool required = false, std::size_t max_length = 200) {
  return {.name = name, .type = FieldType::kText, .required = required, .max_length = max_length};
}
FieldSpec Real(const char* name, std::optional<double> min = std::nullopt, std::optional<double> max = std::nullopt) {
  return {.name = name, .type = FieldType::kReal, .sortable = true, .min = min, .max = max};
}
template <std::size_t N>
FieldSpec Enum(const char* name, const char* const (&choices)[N], const char* default_value) {
  FieldSpec f{.name = name, .type = FieldType::kEnum, .required = true, .sortable = true};
  for (const char* c : choices) f.choices.emplace_back(c);
  f.default_value = Value(std::string(default_value));
  return f;
}
FieldSpec Date(const char* name) { return {.name = name, .type = FieldType::kDate, .sortable = true}; }
// An enum that may be left empty.
template <std::size_t N>
FieldSpec OptionalEnum(const char* name, const char* const (&choices)[N]) {
  FieldSpec f{.name = name, .type = FieldType::kEnum, .required = false, .sortable = true};
  for (const char* c : choices) f.choices.emplace_back(c);
  return f;
}

FieldSpec ReadOnly(FieldSpec f) {
  f.read_only = true;
  return f;
}
FieldSpec ListStatus() {
  FieldSpec f = Enum("list_status", kListStatuses, "listed");
  f.read_only = true;
  return f;
}
FieldSpec CountyCode(const char* name) {
  FieldSpec f = Text(name, true, 6);
  f.sortable = true;
  f.check = [](const Value& v) -> std::optional<std::string> {
    if (LevelOfRegionCode(std::get<std::string>(v)) != RegionLevel::kCounty) {
      return "must be a 6-digit county-level GB/T 2260 code";
    }
    return std::nullopt;
  };
  return f;
}

FieldSpec Longitude() {
  FieldSpec f = Real("lng", 73.4, 135.1);
  f.sortable = false;
  return f;
}
FieldSpec Latitude() {
  FieldSpec f = Real("lat", 3.8, 53.6);
  f.sortable = false;
  return f;
}

std::vector<FieldError> CheckCoordinatesTogether(const Record& r) {
  bool has_lng = r.contains("lng") && !IsNull(r.at("lng"));
  bool has_lat = r.contains("lat") && !IsNull(r.at("lat"));
  if (has_lng != has_lat) return {{has_lng ? "lat" : "lng", "lng and lat must be given together"}};
  return {};
}

std::optional<std::string> PhoneRule(const Value& v) {
  static const std::regex kPhone(R"(^\+?[0-9][0-9\- ]{4,19}$)");
  if (!std::regex_match(std::get<std::string>(v), kPhone)) return "must be a phone number (digits, '-', optional '+')";
  return std::nullopt;
}

}  // namespace

const RecordSchema& EnterpriseSchema() {
  static const RecordSchema schema = [] {
    RecordSchema s{.kind = "enterprise", .table = "enterprises"};
    FieldSpec uscc = Text("uscc", true, 18);
    uscc.sortable = true;
    uscc.check = [](const Value& v) { return CreditCodeError(std::get<std::string>(v)); };
    FieldSpec name = Text("name", true, 200);
    name.sortable = true;
    FieldSpec industry = Text("industry", true, 16);
    industry.sortable = true;
    FieldSpec phone = Text("phone", false, 24);
    phone.check = PhoneRule;
    FieldSpec legal_phone = Text("legal_representative_phone", false, 24);
    legal_phone.check = PhoneRule;
    FieldSpec staff{.name = "staff", .type = FieldType::kInt, .sortable = true, .min = 0, .max = 10'000'000};
    FieldSpec key_unit{.name = "key_energy_unit",
                       .type = FieldType::kBool,
                       .required = true,
                       .sortable = true,
                       .default_value = Value(false)};
    s.fields = {Id(),
                uscc,
                name,
                CountyCode("region"),
                industry,
                Text("address", false, 300),
                Longitude(),
                Latitude(),
                Text("legal_representative", false, 64),
                legal_phone,
                Text("contact", false, 64),
                phone,
                Text("enterprise_type", false, 64),  // 市场主体类型, e.g. 有限责任公司
                Text("business_scope", false, 2000),
                Text("remarks", false, 2000),
                Enum("status", kEnterpriseStatuses, "running"),
                Date("registered_on"),
                Real("registered_capital", 0.0),  // 万元
                staff,
                Real("land_area", 0.0),  // m²
                key_unit,
                ListStatus(),
                ReadOnly(Date("listed_on")),
                ReadOnly(Date("delisted_on")),
                ReadOnly({.name = "list_decision", .type = FieldType::kInt}),
                Stamp("created_at"),
                Stamp("updated_at")};
    s.cross_check = CheckCoordinatesTogether;
    return s;
  }();
  return schema;
}

const RecordSchema& ProjectSchema() {
  static const RecordSchema schema = [] {
    RecordSchema s{.kind = "project", .table = "projects"};
    FieldSpec enterprise{.name = "enterprise_id",
                         .type = FieldType::kInt,
                         .required = true,
                         .immutable = true,
                         .sortable = true,
                         .min = 1};
    FieldSpec name = Text("name", true, 200);
    name.sortable = true;
    FieldSpec industry = Text("industry", true, 16);
    industry.sortable = true;
    FieldSpec region = CountyCode("region");
    region.required = false;  // defaults to the enterprise's county
    s.fields = {Id(), enterprise, name, industry, region, Enum("state", kProjectStates, "existing"),
                Text("product", false, 100), Real("capacity", 0.0), Text("capacity_unit", false, 32),
                Enum("equipment_category", kEquipmentCategories, "allowed"), Real("efficiency_value"),
                Text("efficiency_unit", false, 64),
                // The documents that let it go ahead (seed 000 项目清单): 核准/备案, 节能审查, 环评.
                OptionalEnum("approval_kind", kApprovalKinds), Text("approval_no", false, 100), Date("approved_on"),
                Text("energy_review_no", false, 100), Date("energy_review_on"), Text("eia_no", false, 100),
                Date("eia_on"),
                Date("completed_on"),  // 竣工: an approved completion declaration turns the project existing
                // As designed: capacity (in capacity_unit), comprehensive energy (tce/yr), coal (t/yr).
                Real("design_capacity", 0.0), Real("design_energy_tce", 0.0), Real("design_coal_t", 0.0),
                Real("investment", 0.0),  // 万元
                Longitude(), Latitude(), Stamp("created_at"), Stamp("updated_at")};
    s.cross_check = [](const Record& r) {
      auto errors = CheckCoordinatesTogether(r);
      bool has_capacity = r.contains("capacity") && !IsNull(r.at("capacity"));
      bool has_unit = r.contains("capacity_unit") && !IsNull(r.at("capacity_unit")) &&
                      !std::get<std::string>(r.at("capacity_unit")).empty();
      if (has_capacity && !has_unit) errors.push_back({"capacity_unit", "is required when capacity is given"});
      bool has_eff = r.contains("efficiency_value") && !IsNull(r.at("efficiency_value"));
      bool has_eff_unit = r.contains("efficiency_unit") && !IsNull(r.at("efficiency_unit")) &&
                          !std::get<std::string>(r.at("efficiency_unit")).empty();
      if (has_eff && !has_eff_unit) {
        errors.push_back({"efficiency_unit", "is required when efficiency_value is given"});
      }
      return errors;
    };
    return s;
  }();
  return schema;
}

const RecordSchema& MeteringPointSchema() {
  static const RecordSchema schema = [] {
    RecordSchema s{.kind = "metering point", .table = "metering_points"};
    FieldSpec enterprise{.name = "enterprise_id", .type = FieldType::kInt, .read_only = true, .sortable = true};
    FieldSpec code = Text("code", true, 64);
    code.sortable = true;
    code.immutable = true;
    code.check = [](const Value& v) -> std::optional<std::string> {
      static const std::regex kCode(R"(^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$)");
      if (!std::regex_match(std::get<std::string>(v), kCode)) {
        return "must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit";
      }
      return std::nullopt;
    };
    FieldSpec name = Text("name", true, 100);
    name.sortable = true;
    FieldSpec measures = Text("measures", true, 32);
    measures.sortable = true;
    FieldSpec interval{.name = "interval_s",
                       .type = FieldType::kInt,
                       .required = true,
                       .sortable = true,
                       .min = 1,
                       .max = 86400,
                       .default_value = Value(std::int64_t{900})};
    FieldSpec rollover = Real("rollover", 1.0);
    rollover.sortable = false;
    // Sub-meters behind a main meter measure part of what it measures; only
    // points with in_total count toward the enterprise's energy totals.
    // The largest plausible amount per hour (a connection's capacity in kW, a
    // pipe's flow); a register interval faster than this is flagged impossible.
    FieldSpec max_rate = Real("max_rate", 0.0);
    max_rate.sortable = false;
    FieldSpec in_total{.name = "in_total", .type = FieldType::kBool, .required = true, .default_value = Value(true)};
    // The project (production line) the point meters, for per-project accounting; it must be the
    // same enterprise's (checked by the registry, which can look it up).
    FieldSpec project{.name = "project_id", .type = FieldType::kInt, .sortable = true, .min = 1};
    s.fields = {Id(),
                enterprise,
                project,
                code,
                name,
                measures,
                Text("unit", true, 16),
                Enum("kind", kPointKinds, "register"),
                interval,
                rollover,
                max_rate,
                in_total,
                Text("serial_no", false, 64),
                Date("calibrated_on"),
                Date("calibration_due"),
                Stamp("created_at"),
                Stamp("updated_at")};
    s.cross_check = [](const Record& r) {
      std::vector<FieldError> errors;
      auto text = [&](const char* k) -> std::string {
        auto it = r.find(k);
        return it == r.end() || IsNull(it->second) ? "" : std::get<std::string>(it->second);
      };
      bool has_rollover = r.contains("rollover") && !IsNull(r.at("rollover"));
      if (has_rollover && text("kind") != "register") {
        errors.push_back({"rollover", "only a register (kind=register) has a rollover maximum"});
      }
      auto calibrated = text("calibrated_on"), due = text("calibration_due");
      if (!calibrated.empty() && !due.empty() && due < calibrated) {
        errors.push_back({"calibration_due", "must not be before calibrated_on"});
      }
      return errors;
    };
    return s;
  }();
  return schema;
}

const RecordSchema& EquipmentSchema() {
  static const RecordSchema schema = [] {
    RecordSchema s{.kind = "equipment", .table = "project_equipment"};
    FieldSpec enterprise{.name = "enterprise_id", .type = FieldType::kInt, .read_only = true, .sortable = true};
    FieldSpec project{.name = "project_id", .type = FieldType::kInt, .read_only = true, .sortable = true};
    FieldSpec name = Text("name", true, 100);
    name.sortable = true;
    s.fields = {Id(),
                enterprise,
                project,
                name,
                Text("process", false, 100),  // 工序: sintering, blast furnace, coke oven, …
                Text("model", false, 100),  // 规格型号
                Real("capacity", 0.0),
                Text("capacity_unit", false, 32),
                Enum("category", kEquipmentCategories, "allowed"),
                Date("elimination_deadline"),
                Enum("status", kEquipmentStatuses, "running"),
                Date("commissioned_on"),
                Stamp("created_at"),
                Stamp("updated_at")};
    s.cross_check = [](const Record& r) {
      std::vector<FieldError> errors;
      auto text = [&](const char* f) {
        return r.contains(f) && !IsNull(r.at(f)) ? std::get<std::string>(r.at(f)) : std::string();
      };
      if (text("category") == "eliminated" && text("elimination_deadline").empty()) {
        errors.push_back({"elimination_deadline", "is required for a unit to be eliminated"});
      }
      if (r.contains("capacity") && !IsNull(r.at("capacity")) && text("capacity_unit").empty()) {
        errors.push_back({"capacity_unit", "is required when capacity is given"});
      }
      return errors;
    };
    return s;
  }();
  return schema;
}

std::string MostRestrictiveCategory(const std::vector<Record>& equipment) {
  int worst = -1;
  for (const auto& unit : equipment) {
    if (unit.contains("status") && !IsNull(unit.at("status")) &&
        std::get<std::string>(unit.at("status")) == "dismantled") {
      continue;
    }
    const auto& category = std::get<std::string>(unit.at("category"));
    for (int i = 0; i < static_cast<int>(std::size(kEquipmentCategories)); ++i) {
      if (category == kEquipmentCategories[i]) worst = std::max(worst, i);
    }
  }
  return worst < 0 ? "" : kEquipmentCategories[worst];
}

}  // namespace kiln::core
