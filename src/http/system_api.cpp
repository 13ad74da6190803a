// Health, metrics, the OpenAPI document, the site name and the public
// reference lists (regions, industries, departments).

#include "http/apis.hpp"

namespace kiln::http {
namespace {

using nlohmann::json;

class SystemApi final : public Api {
 public:
  SystemApi(Gate& gate, const ApiContext& c) : c_(c) {
    gate.Public("GET", "/healthz", [this](Request&) { return Health(); });
    gate.Monitoring("GET", "/metrics", [this](Request&) {
      Response res;
      res.content_type = "text/plain; version=0.0.4; charset=utf-8";
      res.body = c_.metrics.Render();
      return res;
    });
    gate.Public("GET", "/api/v1/openapi.json", [](Request&) {
      Response res;
      res.body = OpenApiDocument();
      return res;
    });
    gate.Public("GET", "/api/v1/site", [this](Request&) {
      return JsonResponse(200, {{"name", c_.options.site_name}});
    });
    gate.Public("GET", "/api/v1/regions", [this](Request& req) { return Regions(req); });
    gate.Public("GET", "/api/v1/industries", [this](Request&) { return Industries(); });
    gate.Public("GET", "/api/v1/departments", [this](Request&) { return Departments(); });
  }

 private:
  // No error text: a health probe is public, the reason goes to the log.
  Response Health() {
    auto ping = c_.store.Ping();
    if (!ping.ok()) return JsonResponse(503, {{"status", "unavailable"}});
    auto version = c_.store.SchemaVersion();
    return JsonResponse(200, {{"status", "ok"},
                              {"store", c_.store.dialect() == storage::Dialect::kSqlite ? "sqlite" : "postgres"},
                              {"schema_version", version.ok() ? *version : 0}});
  }

  Response Regions(Request& req) {
    auto regions = c_.store.ListRegions();
    if (!regions.ok()) return ErrorResponse(regions.status());
    auto parent = req.Query("parent");
    auto level = req.Query("level");
    json items = json::array();
    for (const auto& r : *regions) {
      if (parent && r.parent != *parent) continue;
      if (level && r.level != *level) continue;
      items.push_back({{"code", r.code},
                       {"name", r.name},
                       {"level", r.level},
                       {"parent", r.parent.empty() ? json(nullptr) : json(r.parent)},
                       {"lng", r.lng},
                       {"lat", r.lat}});
    }
    return JsonResponse(200, {{"items", items}});
  }

  Response Industries() {
    auto industries = c_.store.ListIndustries();
    if (!industries.ok()) return ErrorResponse(industries.status());
    json items = json::array();
    for (const auto& i : *industries) {
      items.push_back({{"code", i.code},
                       {"name", i.name},
                       {"classification", i.classification},
                       {"source", i.source},
                       {"status", i.status}});
    }
    return JsonResponse(200, {{"items", items}});
  }

  Response Departments() {
    auto departments = c_.store.ListDepartments();
    if (!departments.ok()) return ErrorResponse(departments.status());
    json items = json::array();
    for (const auto& dep : *departments) items.push_back({{"code", dep.code}, {"name", dep.name}});
    return JsonResponse(200, {{"items", items}});
  }

  const ApiContext c_;
};

}  // namespace

std::unique_ptr<Api> RegisterSystemApi(Gate& gate, const ApiContext& c) { return std::make_unique<SystemApi>(gate, c); }

}  // namespace kiln::http
