// Reference data as versioned data: conversion factors, CO2 factors,
// efficiency levels and the configurable lists, each with every version; new
// versions through registry::ReferenceEditor; a project's efficiency class.

#include <fmt/format.h>

#include <map>

#include "core/carbon.hpp"
#include "core/conversion.hpp"
#include "core/efficiency.hpp"
#include "http/apis.hpp"

namespace kiln::http {
namespace {

using nlohmann::json;

json LevelJson(const core::EfficiencyLevel& l) {
  return {{"product", l.product},   {"version", l.version},
          {"process", l.process},   {"indicator_unit", l.indicator_unit},
          {"advanced", l.advanced}, {"benchmark", l.benchmark},
          {"status", l.status},     {"source", l.source}};
}

json ItemJson(const storage::ReferenceItem& i) {
  return {{"code", i.code},
          {"version", i.version},
          {"name", i.name},
          {"description", i.description},
          {"sort_order", i.sort_order},
          {"active", i.active},
          {"status", i.status},
          {"source", i.source},
          {"changed_by", i.changed_by},
          {"changed_at", i.changed_at ? json(core::FormatInstantUtc(i.changed_at)) : json(nullptr)}};
}

class ReferenceApi final : public Api {
 public:
  ReferenceApi(Gate& gate, const ApiContext& c) : d_(c) {
    gate.Public("GET", "/api/v1/reference/factors", [this](Request&) { return ConversionFactors(); });
    gate.Session("POST", "/api/v1/reference/factors", [this](Request& req, const auto& s) {
      return Edit<core::ConversionFactor>(
          req, s, [&](const registry::Caller& c, const json& b) { return d_.reference.AddFactor(c, b); },
          core::FactorJson);
    });
    gate.Public("GET", "/api/v1/reference/co2-factors", [this](Request&) { return Co2Factors(); });
    gate.Session("POST", "/api/v1/reference/co2-factors", [this](Request& req, const auto& s) {
      return Edit<core::Co2Factor>(
          req, s, [&](const registry::Caller& c, const json& b) { return d_.reference.AddCo2Factor(c, b); },
          core::Co2FactorJson);
    });
    gate.Public("GET", "/api/v1/reference/efficiency-levels", [this](Request& req) { return EfficiencyLevels(req); });
    gate.Session("POST", "/api/v1/reference/efficiency-levels", [this](Request& req, const auto& s) {
      return Edit<core::EfficiencyLevel>(
          req, s, [&](const registry::Caller& c, const json& b) { return d_.reference.AddEfficiencyLevel(c, b); },
          LevelJson);
    });
    gate.Session("GET", "/api/v1/projects/{id}/efficiency", this, &ReferenceApi::ProjectEfficiency);
    gate.Public("GET", "/api/v1/reference/lists/{list}", [this](Request& req) { return ListItems(req); });
    gate.Session("POST", "/api/v1/reference/lists/{list}", [this](Request& req, const auto& s) {
      const auto& list = req.path_params["list"];
      return Edit<storage::ReferenceItem>(
          req, s, [&](const registry::Caller& c, const json& b) { return d_.reference.AddListItem(c, list, b); },
          ItemJson);
    });
  }

 private:
  // Parses the body, lets the editor decide and store, answers 201 with the new version.
  template <typename Row, typename Add, typename ToJson>
  Response Edit(Request& req, const security::AuthenticatedSession& s, Add add, ToJson to_json) {
    // The policy first: a caller who may not edit learns nothing from the body's errors.
    if (auto allowed = security::Authorize(s.principal, security::Action::kReferenceEdit, {}); !allowed.ok()) {
      return ErrorResponse(allowed);
    }
    auto body = ParseJsonObject(req);
    if (!body.ok()) return ErrorResponse(body.status());
    core::Result<Row> added = add(registry::Caller{s.principal, req.remote_address}, *body);
    if (!added.ok()) return ErrorResponse(added.status());
    return JsonResponse(201, to_json(*added));
  }

  Response ConversionFactors() {
    auto factors = d_.store.ListConversionFactors();
    if (!factors.ok()) return ErrorResponse(factors.status());
    json items = json::array();
    for (const auto& f : *factors) items.push_back(core::FactorJson(f));
    return JsonResponse(200, {{"items", items}});
  }

  Response Co2Factors() {
    auto factors = d_.store.ListCo2Factors();
    if (!factors.ok()) return ErrorResponse(factors.status());
    json items = json::array();
    for (const auto& f : *factors) items.push_back(core::Co2FactorJson(f));
    return JsonResponse(200, {{"items", items}});
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
    json out = {{"project_id", *id},      {"product", product},
                {"unit", unit},           {"value", core::IsNull(v) ? json(nullptr) : json(storage::AsReal(v))},
                {"level", nullptr},       {"class", nullptr},
                {"unclassified", nullptr}};
    auto level = core::CurrentLevel(*levels, product);
    if (!level)
      out["unclassified"] = "no_level";
    else if (core::IsNull(v))
      out["unclassified"] = "no_value";
    if (level) {
      out["level"] = LevelJson(*level);
      if (!core::IsNull(v)) {
        if (auto c = core::ClassifyEfficiency(storage::AsReal(v), unit, *level))
          out["class"] = core::EfficiencyClassName(*c);
        else
          out["unclassified"] = "unit_mismatch";
      }
    }
    return JsonResponse(200, out);
  }

  // The version in force of each code, each with its earlier versions.
  Response ListItems(Request& req) {
    const auto& list = req.path_params["list"];
    if (!registry::ReferenceEditor::KnownList(list))
      return ErrorResponse(core::Status::NotFound("no reference list " + list));
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
    std::stable_sort(out.begin(), out.end(),
                     [](const json& a, const json& b) { return a["sort_order"] < b["sort_order"]; });
    return JsonResponse(200, {{"list", list}, {"items", out}});
  }

  const ApiContext d_;
};

}  // namespace

std::unique_ptr<Api> RegisterReferenceApi(Gate& gate, const ApiContext& c) {
  return std::make_unique<ReferenceApi>(gate, c);
}

}  // namespace kiln::http
