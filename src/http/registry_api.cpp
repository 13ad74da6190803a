// Enterprises, projects and metering points: lists with filters, files,
// history, creation and edits, and the enterprise list's export.

#include <fmt/format.h>

#include <limits>

#include "http/apis.hpp"
#include "http/reference_names.hpp"
#include "http/spreadsheet.hpp"

namespace kiln::http {
namespace {

using nlohmann::json;
using registry::Kind;

class RegistryApi final : public Api {
 public:
  RegistryApi(Gate& gate, const ApiContext& c) : d_(c), names_(c.store) {
    // Before /api/v1/enterprises/{id}, which would otherwise take "export" for an id.
    gate.Session("GET", "/api/v1/enterprises/export", [this](Request& req, const auto& s) { return Export(req, s); });
    AddRecordRoutes(gate, "/api/v1/enterprises", Kind::kEnterprise);
    AddRecordRoutes(gate, "/api/v1/projects", Kind::kProject);
    AddRecordRoutes(gate, "/api/v1/points", Kind::kPoint, /*with_collection=*/false);
    gate.Session("GET", "/api/v1/enterprises/{id}/points",
                 [this](Request& req, const auto& s) { return ChildList(req, s, Kind::kPoint); });
    gate.Session("POST", "/api/v1/enterprises/{id}/points", [this](Request& req, const auto& s) {
      auto id = PathId(req);
      if (!id.ok()) return ErrorResponse(id.status());
      auto body = ParseJsonObject(req);
      if (!body.ok()) return ErrorResponse(body.status());
      auto created = d_.registry.Create(Caller(req, s), Kind::kPoint, *body, *id);
      if (!created.ok()) return ErrorResponse(created.status());
      return JsonResponse(201, core::RecordToJson(core::MeteringPointSchema(), *created));
    });
    gate.Session("GET", "/api/v1/enterprises/{id}/projects",
                 [this](Request& req, const auto& s) { return ChildList(req, s, Kind::kProject); });
    AddRecordRoutes(gate, "/api/v1/equipment", Kind::kEquipment, /*with_collection=*/false);
    gate.Session("GET", "/api/v1/projects/{id}/equipment", [this](Request& req, const auto& s) {
      auto id = PathId(req);
      if (!id.ok()) return ErrorResponse(id.status());
      auto project = d_.registry.Get(Caller(req, s), Kind::kProject, *id);  // 404 outside scope
      if (!project.ok()) return ErrorResponse(project.status());
      auto lr = ParseList(req);
      if (!lr.ok()) return ErrorResponse(lr.status());
      lr->enterprise_id = storage::AsInt(project->at("enterprise_id"));
      lr->project_id = *id;
      auto page = d_.registry.List(Caller(req, s), Kind::kEquipment, *lr);
      if (!page.ok()) return ErrorResponse(page.status());
      json items = json::array();
      for (const auto& record : page->items) items.push_back(core::RecordToJson(core::EquipmentSchema(), record));
      return JsonResponse(200,
                          {{"items", items}, {"total", page->total}, {"page", lr->page}, {"page_size", lr->page_size}});
    });
    gate.Session("POST", "/api/v1/projects/{id}/equipment", [this](Request& req, const auto& s) {
      auto id = PathId(req);
      if (!id.ok()) return ErrorResponse(id.status());
      auto body = ParseJsonObject(req);
      if (!body.ok()) return ErrorResponse(body.status());
      auto created = d_.registry.Create(Caller(req, s), Kind::kEquipment, *body, std::nullopt, *id);
      if (!created.ok()) return ErrorResponse(created.status());
      return JsonResponse(201, core::RecordToJson(core::EquipmentSchema(), *created));
    });
  }

 private:
  static registry::Caller Caller(const Request& req, const security::AuthenticatedSession& s) {
    return {s.principal, req.remote_address};
  }

  void AddRecordRoutes(Gate& gate, const std::string& base, Kind kind, bool with_collection = true) {
    const auto& schema = registry::SchemaOf(kind);
    if (with_collection) {
      gate.Session("GET", base, [this, kind](Request& req, const auto& s) { return List(req, s, kind, {}); });
      gate.Session("POST", base, [this, kind, &schema](Request& req, const auto& s) {
        auto body = ParseJsonObject(req);
        if (!body.ok()) return ErrorResponse(body.status());
        auto created = d_.registry.Create(Caller(req, s), kind, *body);
        if (!created.ok()) return ErrorResponse(created.status());
        return JsonResponse(201, core::RecordToJson(schema, *created));
      });
    }
    gate.Session("GET", base + "/{id}", [this, kind, &schema](Request& req, const auto& s) {
      auto id = PathId(req);
      if (!id.ok()) return ErrorResponse(id.status());
      auto record = d_.registry.Get(Caller(req, s), kind, *id);
      if (!record.ok()) return ErrorResponse(record.status());
      return JsonResponse(200, Decorate(kind, core::RecordToJson(schema, *record)));
    });
    gate.Session("PATCH", base + "/{id}", [this, kind, &schema](Request& req, const auto& s) {
      auto id = PathId(req);
      if (!id.ok()) return ErrorResponse(id.status());
      auto body = ParseJsonObject(req);
      if (!body.ok()) return ErrorResponse(body.status());
      auto edited = d_.reviews.Edit(Caller(req, s), kind, *id, *body);
      if (!edited.ok()) return ErrorResponse(edited.status());
      json out = Decorate(kind, core::RecordToJson(schema, edited->record));
      if (edited->review) {
        // Supervised fields an enterprise user changed wait for review; the record shows what applied now.
        out["pending_review"] = {{"id", edited->review->id},
                                 {"flow", edited->review->flow},
                                 {"status", edited->review->status},
                                 {"level", edited->review->awaiting},
                                 {"version", edited->review->version}};
      }
      return JsonResponse(200, out);
    });
    gate.Session("GET", base + "/{id}/history", [this, kind](Request& req, const auto& s) {
      auto id = PathId(req);
      if (!id.ok()) return ErrorResponse(id.status());
      auto history = d_.registry.History(Caller(req, s), kind, *id);
      if (!history.ok()) return ErrorResponse(history.status());
      json items = json::array();
      for (const auto& h : *history) {
        json changes = json::array();
        for (const auto& c : h.changes) {
          changes.push_back(
              {{"field", c.field}, {"old", core::ValueToJson(c.old_value)}, {"new", core::ValueToJson(c.new_value)}});
        }
        items.push_back({{"id", h.id},
                         {"at", core::FormatInstantUtc(h.at)},
                         {"actor", h.actor},
                         {"action", h.action},
                         {"changes", changes}});
      }
      return JsonResponse(200, {{"items", items}});
    });
  }

  // Adds display names of the county and industry, which every screen shows.
  json Decorate(Kind kind, json record) {
    if (kind == Kind::kPoint || kind == Kind::kEquipment) return record;
    auto add = [&](const char* field, const char* name_field, auto lookup) {
      if (!record.contains(field) || !record[field].is_string()) return;
      auto name = lookup(record[field].get<std::string>());
      if (!name.empty()) record[name_field] = name;
    };
    add("region", "region_name", [this](const std::string& c) { return names_.Region(c); });
    add("industry", "industry_name", [this](const std::string& c) { return names_.Industry(c); });
    return record;
  }

  core::Result<registry::ListRequest> ParseList(const Request& req) {
    registry::ListRequest lr;
    std::vector<core::FieldError> errors;
    lr.page = static_cast<int>(IntQuery(req, "page", 1, 1, 1'000'000, errors));
    lr.page_size = static_cast<int>(IntQuery(req, "page_size", 20, 1, 500, errors));
    lr.sort = req.Query("sort").value_or("");
    lr.region = req.Query("region").value_or("");
    lr.industry = req.Query("industry").value_or("");
    lr.status = req.Query("status").value_or(req.Query("state").value_or(""));
    lr.q = req.Query("q").value_or("");
    lr.equipment_category = req.Query("equipment_category").value_or("");
    lr.list_status = req.Query("list_status").value_or("");
    if (auto v = req.Query("key_energy_unit")) {
      if (*v == "true" || *v == "1")
        lr.key_energy_unit = true;
      else if (*v == "false" || *v == "0")
        lr.key_energy_unit = false;
      else
        errors.push_back({"key_energy_unit", "must be true or false"});
    }
    if (req.Query("enterprise_id")) {
      lr.enterprise_id = IntQuery(req, "enterprise_id", 0, 1, std::numeric_limits<std::int64_t>::max(), errors);
    }
    if (!errors.empty()) return core::Status::InvalidArgument("invalid list parameters", std::move(errors));
    return lr;
  }

  Response List(Request& req, const security::AuthenticatedSession& s, Kind kind,
                std::optional<std::int64_t> enterprise_id) {
    auto lr = ParseList(req);
    if (!lr.ok()) return ErrorResponse(lr.status());
    if (enterprise_id) lr->enterprise_id = enterprise_id;
    auto page = d_.registry.List(Caller(req, s), kind, *lr);
    if (!page.ok()) return ErrorResponse(page.status());
    const auto& schema = registry::SchemaOf(kind);
    json items = json::array();
    for (const auto& record : page->items) items.push_back(Decorate(kind, core::RecordToJson(schema, record)));
    return JsonResponse(200,
                        {{"items", items}, {"total", page->total}, {"page", lr->page}, {"page_size", lr->page_size}});
  }

  // Every enterprise of the current filter as xlsx (default) or CSV.
  Response Export(Request& req, const security::AuthenticatedSession& s) {
    auto lr = ParseList(req);
    if (!lr.ok()) return ErrorResponse(lr.status());
    std::string format = req.Query("format").value_or("xlsx");
    if (format != "xlsx" && format != "csv") {
      return ErrorResponse(core::Status::InvalidArgument("invalid export", {{"format", "must be xlsx or csv"}}));
    }
    if (auto scope = security::ScopeFor(s.principal, security::Action::kEnterpriseRead); !scope.ok()) {
      return ErrorResponse(scope.status());
    }
    // Exporting a jurisdiction's enterprises needs a trace, written before the file is.
    auto intended = d_.audit.Intend(s.principal.username, req.remote_address, "enterprises.export", format);
    if (!intended.ok()) return ErrorResponse(intended);
    std::vector<json> rows;
    lr->page_size = 500;
    for (lr->page = 1;; ++lr->page) {
      auto page = d_.registry.List(Caller(req, s), Kind::kEnterprise, *lr);
      if (!page.ok()) return ErrorResponse(page.status());
      for (const auto& record : page->items)
        rows.push_back(Decorate(Kind::kEnterprise, core::RecordToJson(core::EnterpriseSchema(), record)));
      if (page->items.empty() || static_cast<std::int64_t>(rows.size()) >= page->total) break;
    }
    static const std::vector<std::pair<std::string, std::string>> kColumns = {
        {"name", "企业名称"},
        {"uscc", "统一社会信用代码"},
        {"region_name", "所在区县"},
        {"region", "区划代码"},
        {"industry_name", "行业"},
        {"status", "状态"},
        {"key_energy_unit", "重点用能单位"},
        {"list_status", "清单状态"},
        {"staff", "职工人数"},
        {"registered_capital", "注册资本（万元）"},
        {"address", "地址"},
        {"lng", "经度"},
        {"lat", "纬度"}};
    auto text = [](const json& row, const std::string& field) -> std::string {
      const json& v = row.contains(field) ? row.at(field) : json(nullptr);
      if (v.is_null()) return "";
      if (field == "status") return v == "running" ? "在产" : "停产";
      if (field == "list_status") return v == "listed" ? "在清单" : "已移出";
      if (v.is_boolean()) return v.get<bool>() ? "是" : "否";
      if (v.is_string()) return v.get<std::string>();
      return v.dump();
    };
    Sheet sheet{.name = "企业名录"};
    for (const auto& [field, title] : kColumns) {
      sheet.header.push_back(title);
      sheet.widths.push_back(sheet.widths.empty() ? 36 : 16);
    }
    for (const auto& row : rows) {
      auto& cells = sheet.rows.emplace_back();
      for (const auto& [field, title] : kColumns) {
        const json& v = row.contains(field) ? row.at(field) : json(nullptr);
        cells.push_back(v.is_number() ? v : json(text(row, field)));
      }
    }
    auto exported = format == "csv" ? core::Result<std::string>(CsvBytes(sheet)) : XlsxBytes({sheet});
    if (!exported.ok()) return ErrorResponse(exported.status());
    auto res = FileDownload(std::move(exported).value(),
                            format == "csv" ? "text/csv; charset=utf-8"
                                            : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            "enterprises." + format, "企业名录." + format);
    (void)d_.audit.Record(s.principal.username, req.remote_address, "enterprises.export", format, "ok",
                          fmt::format("{} rows", rows.size()));
    return res;
  }

  Response ChildList(Request& req, const security::AuthenticatedSession& s, Kind kind) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto owner = d_.registry.Get(Caller(req, s), Kind::kEnterprise, *id);  // 404 outside scope
    if (!owner.ok()) return ErrorResponse(owner.status());
    return List(req, s, kind, *id);
  }

  const ApiContext d_;
  ReferenceNames names_;
};

}  // namespace

std::unique_ptr<Api> RegisterRegistryApi(Gate& gate, const ApiContext& c) {
  return std::make_unique<RegistryApi>(gate, c);
}

}  // namespace kiln::http
