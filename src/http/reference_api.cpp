#include "http/reference_api.hpp"

#include <fmt/format.h>

#include <map>
#include <regex>

#include "core/carbon.hpp"
#include "core/conversion.hpp"
#include "core/efficiency.hpp"
#include "core/energy_types.hpp"
#include "http/session_guard.hpp"

namespace kiln::http {
namespace {

using nlohmann::json;

json LevelJson(const core::EfficiencyLevel& l) {
  return {{"product", l.product},   {"version", l.version},     {"process", l.process},
          {"indicator_unit", l.indicator_unit}, {"advanced", l.advanced}, {"benchmark", l.benchmark},
          {"status", l.status},     {"source", l.source}};
}

// Reads the text and number fields of a reference row; every problem becomes a field error.
class RowReader {
 public:
  explicit RowReader(const json& body) : body_(body) {}
  void Text(const char* key, std::string& out, bool required) {
    const auto& v = body_.contains(key) ? body_[key] : json();
    if (v.is_string()) out = v.get<std::string>();
    else if (!v.is_null() || required) errors.push_back({key, "must be text"});
  }
  void Number(const char* key, double& out) {
    const auto& v = body_.contains(key) ? body_[key] : json();
    if (v.is_number()) out = v.get<double>();
    else errors.push_back({key, "must be a positive number"});
  }
  void Integer(const char* key, int& out) {
    const auto& v = body_.contains(key) ? body_[key] : json();
    if (v.is_number_integer()) out = v.get<int>();
    else if (!v.is_null()) errors.push_back({key, "must be an integer"});
  }
  std::vector<core::FieldError> errors;

 private:
  const json& body_;
};

class ReferenceApi {
 public:
  explicit ReferenceApi(const ReferenceApiDeps& d) : d_(d) {}

  void Register(Router& r) {
    auto authed = [this](auto method) {
      return RequireSession(d_.identity, [this, method](Request& req, const auto& s) { return (this->*method)(req, s); });
    };
    r.Add("GET", "/api/v1/reference/factors", [this](Request&) { return ConversionFactors(); });
    r.Add("POST", "/api/v1/reference/factors", authed(&ReferenceApi::AddFactor));
    r.Add("GET", "/api/v1/reference/co2-factors", [this](Request&) { return Co2Factors(); });
    r.Add("POST", "/api/v1/reference/co2-factors", authed(&ReferenceApi::AddCo2Factor));
    r.Add("GET", "/api/v1/reference/efficiency-levels", [this](Request& req) { return EfficiencyLevels(req); });
    r.Add("POST", "/api/v1/reference/efficiency-levels", authed(&ReferenceApi::AddEfficiencyLevel));
    r.Add("GET", "/api/v1/projects/{id}/efficiency", authed(&ReferenceApi::ProjectEfficiency));
    r.Add("GET", "/api/v1/reference/lists/{list}", [this](Request& req) { return ListItems(req); });
    r.Add("POST", "/api/v1/reference/lists/{list}", authed(&ReferenceApi::AddListItem));
  }

 private:
  // The body of an edit, once the caller may edit reference data.
  core::Result<json> EditBody(Request& req, const security::AuthenticatedSession& s) {
    if (!s.principal.permissions.contains(std::string(security::kReferenceWrite))) {
      return core::Status::PermissionDenied("editing reference data needs reference.write");
    }
    auto body = ParseJsonBody(req);
    if (!body.ok()) return body.status();
    if (!body->is_object()) return core::Status::InvalidArgument("a JSON object is required");
    return body;
  }

  template <typename Row>
  Response Added(Request& req, const security::AuthenticatedSession& s, const core::Result<Row>& added,
                 const std::string& action, const std::string& target, const std::string& detail, json body) {
    (void)d_.audit.Record(s.principal.username, req.remote_address, action, target,
                          added.ok() ? "ok" : core::StatusCodeName(added.status().code()), added.ok() ? detail : "");
    if (!added.ok()) return ErrorResponse(added.status());
    return JsonResponse(201, body);
  }

  Response ConversionFactors() {
    auto factors = d_.store.ListConversionFactors();
    if (!factors.ok()) return ErrorResponse(factors.status());
    json items = json::array();
    for (const auto& f : *factors) items.push_back(core::FactorJson(f));
    return JsonResponse(200, {{"items", items}});
  }

  // A new version of a conversion factor. Figures of periods it covers use it from now on, except
  // published reports, which keep the versions they were checked with.
  Response AddFactor(Request& req, const security::AuthenticatedSession& s) {
    auto body = EditBody(req, s);
    if (!body.ok()) return ErrorResponse(body.status());
    core::ConversionFactor f;
    RowReader row(*body);
    row.Text("energy_type", f.energy_type, true);
    row.Text("variant", f.variant, false);
    row.Text("valid_from", f.valid_from, true);
    row.Text("valid_to", f.valid_to, false);
    row.Text("status", f.status, true);
    row.Text("source", f.source, true);
    row.Number("kgce_per_unit", f.kgce_per_unit);
    if (auto type = core::FindEnergyType(f.energy_type)) f.unit = std::string(type->unit);
    auto errors = row.errors.empty() ? core::ValidateConversionFactor(f) : row.errors;
    if (!errors.empty()) return ErrorResponse(core::Status::InvalidArgument("invalid conversion factor", errors));
    auto added = d_.store.AddConversionFactorVersion(f);
    return Added(req, s, added, "reference.factor.add", fmt::format("factors:{}:{}", f.energy_type, f.variant),
                 added.ok() ? fmt::format("v{} {} kgce/{} from {}", added->version, added->kgce_per_unit, added->unit,
                                          added->valid_from)
                            : "",
                 added.ok() ? core::FactorJson(*added) : json());
  }

  Response Co2Factors() {
    auto factors = d_.store.ListCo2Factors();
    if (!factors.ok()) return ErrorResponse(factors.status());
    json items = json::array();
    for (const auto& f : *factors) items.push_back(core::Co2FactorJson(f));
    return JsonResponse(200, {{"items", items}});
  }

  Response AddCo2Factor(Request& req, const security::AuthenticatedSession& s) {
    auto body = EditBody(req, s);
    if (!body.ok()) return ErrorResponse(body.status());
    core::Co2Factor f;
    RowReader row(*body);
    row.Text("energy_type", f.energy_type, true);
    row.Text("grid_region", f.grid_region, false);
    row.Integer("year", f.year);
    row.Text("valid_from", f.valid_from, true);
    row.Text("valid_to", f.valid_to, false);
    row.Text("status", f.status, true);
    row.Text("source", f.source, true);
    row.Number("kg_co2_per_unit", f.kg_per_unit);
    if (auto type = core::FindEnergyType(f.energy_type)) f.unit = std::string(type->unit);
    auto errors = row.errors.empty() ? core::ValidateCo2Factor(f) : row.errors;
    if (!errors.empty()) return ErrorResponse(core::Status::InvalidArgument("invalid CO2 factor", errors));
    auto added = d_.store.AddCo2FactorVersion(f);
    return Added(req, s, added, "reference.co2.add",
                 fmt::format("co2_factors:{}:{}:{}", f.energy_type, f.grid_region, f.year),
                 added.ok() ? fmt::format("v{} {} {}", added->version, added->kg_per_unit, added->unit) : "",
                 added.ok() ? core::Co2FactorJson(*added) : json());
  }

  // Every version, or only those in force with ?current=true.
  Response EfficiencyLevels(Request& req) {
    auto levels = d_.store.ListEfficiencyLevels();
    if (!levels.ok()) return ErrorResponse(levels.status());
    auto rows = req.Query("current").value_or("") == "true" ? core::CurrentLevels(*levels) : *levels;
    json items = json::array();
    for (const auto& l : rows) items.push_back(LevelJson(l));
    return JsonResponse(200, {{"items", items}});
  }

  Response AddEfficiencyLevel(Request& req, const security::AuthenticatedSession& s) {
    auto body = EditBody(req, s);
    if (!body.ok()) return ErrorResponse(body.status());
    core::EfficiencyLevel l;
    RowReader row(*body);
    row.Text("product", l.product, true);
    row.Text("process", l.process, false);
    row.Text("indicator_unit", l.indicator_unit, true);
    row.Text("status", l.status, true);
    row.Text("source", l.source, true);
    row.Number("advanced", l.advanced);
    row.Number("benchmark", l.benchmark);
    auto errors = row.errors.empty() ? core::ValidateEfficiencyLevel(l) : row.errors;
    if (!errors.empty()) return ErrorResponse(core::Status::InvalidArgument("invalid efficiency level", errors));
    auto added = d_.store.AddEfficiencyLevelVersion(l);
    return Added(req, s, added, "reference.level.add", "efficiency_levels:" + l.product,
                 added.ok() ? fmt::format("v{} 标杆 {} 基准 {} {}", added->version, added->advanced, added->benchmark,
                                          added->indicator_unit)
                            : "",
                 added.ok() ? LevelJson(*added) : json());
  }

  // A project's efficiency indicator against the 标杆 / 基准 levels of its product in force.
  Response ProjectEfficiency(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto project = d_.registry.Get({s.principal, req.remote_address}, registry::Kind::kProject, *id);
    if (!project.ok()) return ErrorResponse(project.status());
    auto levels = d_.store.ListEfficiencyLevels();
    if (!levels.ok()) return ErrorResponse(levels.status());
    std::string product = storage::AsText(project->at("product"));
    std::string unit = storage::AsText(project->at("efficiency_unit"));
    const auto& v = project->at("efficiency_value");
    json out = {{"project_id", *id}, {"product", product}, {"unit", unit},
                {"value", core::IsNull(v) ? json(nullptr) : json(storage::AsReal(v))},
                {"level", nullptr}, {"class", nullptr}, {"unclassified", nullptr}};
    auto level = core::CurrentLevel(*levels, product);
    if (!level) out["unclassified"] = "no_level";
    else if (core::IsNull(v)) out["unclassified"] = "no_value";
    if (level) {
      out["level"] = LevelJson(*level);
      if (!core::IsNull(v)) {
        if (auto c = core::ClassifyEfficiency(storage::AsReal(v), unit, *level)) out["class"] = core::EfficiencyClassName(*c);
        else out["unclassified"] = "unit_mismatch";
      }
    }
    return JsonResponse(200, out);
  }

  static bool KnownList(const std::string& list) { return list == "industries" || list == "disposal_types"; }

  static json ItemJson(const storage::ReferenceItem& i) {
    return {{"code", i.code},     {"version", i.version},   {"name", i.name},
            {"description", i.description}, {"sort_order", i.sort_order}, {"active", i.active},
            {"status", i.status}, {"source", i.source},     {"changed_by", i.changed_by},
            {"changed_at", i.changed_at ? json(core::FormatInstantUtc(i.changed_at)) : json(nullptr)}};
  }

  // The version in force of each code, each with its earlier versions.
  Response ListItems(Request& req) {
    const auto& list = req.path_params["list"];
    if (!KnownList(list)) return ErrorResponse(core::Status::NotFound("no reference list " + list));
    auto items = d_.store.ListReferenceItems(list);
    if (!items.ok()) return ErrorResponse(items.status());
    std::map<std::string, json> by_code;
    std::vector<std::string> order;
    for (const auto& i : *items) {
      auto& entry = by_code[i.code];
      if (entry.is_null()) {
        order.push_back(i.code);
        entry = {{"history", json::array()}};
      }
      entry["history"].push_back(ItemJson(i));
    }
    json out = json::array();
    for (const auto& code : order) {
      json current = by_code[code]["history"].back();
      current["history"] = by_code[code]["history"];
      out.push_back(std::move(current));
    }
    std::stable_sort(out.begin(), out.end(), [](const json& a, const json& b) { return a["sort_order"] < b["sort_order"]; });
    return JsonResponse(200, {{"list", list}, {"items", out}});
  }

  Response AddListItem(Request& req, const security::AuthenticatedSession& s) {
    const auto& list = req.path_params["list"];
    if (!KnownList(list)) return ErrorResponse(core::Status::NotFound("no reference list " + list));
    auto body = EditBody(req, s);
    if (!body.ok()) return ErrorResponse(body.status());
    storage::ReferenceItem item{.list = list};
    RowReader row(*body);
    row.Text("code", item.code, true);
    row.Text("name", item.name, true);
    row.Text("description", item.description, false);
    row.Text("status", item.status, true);
    row.Text("source", item.source, true);
    row.Integer("sort_order", item.sort_order);
    if (body->contains("active") && (*body)["active"].is_boolean()) item.active = (*body)["active"].get<bool>();
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
    if (!errors.empty()) return ErrorResponse(core::Status::InvalidArgument("invalid reference entry", errors));
    item.changed_by = s.principal.username;
    item.changed_at = d_.clock.Now();
    auto added = d_.store.AddReferenceItemVersion(item);
    return Added(req, s, added, "reference.list.add", fmt::format("{}:{}", list, item.code),
                 added.ok() ? fmt::format("v{} {}", added->version, added->name) : "",
                 added.ok() ? ItemJson(*added) : json());
  }

  ReferenceApiDeps d_;
};

}  // namespace

std::shared_ptr<void> RegisterReferenceApi(Router& router, const ReferenceApiDeps& deps) {
  auto api = std::make_shared<ReferenceApi>(deps);
  api->Register(router);
  return api;
}

}  // namespace kiln::http
