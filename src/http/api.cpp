#include "http/api.hpp"

#include "core/conversion.hpp"
#include "core/efficiency.hpp"
#include "core/energy_types.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <unistd.h>
#include <chrono>
#include <mutex>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/conversion.hpp"
#include "core/regions.hpp"
#include "http/reference_names.hpp"
#include "http/session_guard.hpp"
#include "http/spreadsheet.hpp"

namespace kiln::http {
namespace {

using nlohmann::json;
using registry::Kind;

class Api {
 public:
  Api(const ApiDeps& deps, const ApiOptions& options) : d_(deps), options_(options), names_(deps.store) {}

  void Register(Router& r) {
    r.Add("GET", "/healthz", [this](Request&) { return Health(); });
    r.Add("GET", "/metrics", [this](Request&) {
      Response res;
      res.content_type = "text/plain; version=0.0.4; charset=utf-8";
      res.body = d_.metrics.Render();
      return res;
    });
    r.Add("GET", "/api/v1/openapi.json", [](Request&) {
      Response res;
      res.body = OpenApiDocument();
      return res;
    });
    r.Add("GET", "/api/v1/site", [this](Request&) { return JsonResponse(200, {{"name", options_.site_name}}); });

    r.Add("POST", "/api/v1/auth/login", [this](Request& req) { return Login(req); });
    r.Add("POST", "/api/v1/auth/logout", Authed([this](Request& req, const auto& s) { return Logout(req, s); }));
    r.Add("GET", "/api/v1/me", Authed([this](Request&, const auto& s) { return Me(s); }));
    r.Add("POST", "/api/v1/me/password", Authed([this](Request& req, const auto& s) { return ChangePassword(req, s); }));

    r.Add("GET", "/api/v1/regions", [this](Request& req) { return Regions(req); });
    r.Add("GET", "/api/v1/industries", [this](Request&) { return Industries(); });
    r.Add("GET", "/api/v1/departments", [this](Request&) { return Departments(); });

    // Before /api/v1/enterprises/{id}, which would otherwise take "export" for an id.
    r.Add("GET", "/api/v1/enterprises/export", Authed([this](Request& req, const auto& s) { return Export(req, s); }));
    AddRecordRoutes(r, "/api/v1/enterprises", Kind::kEnterprise);
    AddRecordRoutes(r, "/api/v1/projects", Kind::kProject);
    AddRecordRoutes(r, "/api/v1/points", Kind::kPoint, /*with_collection=*/false);
    r.Add("GET", "/api/v1/enterprises/{id}/points", Authed([this](Request& req, const auto& s) {
            return ChildList(req, s, Kind::kPoint);
          }));
    r.Add("POST", "/api/v1/enterprises/{id}/points", Authed([this](Request& req, const auto& s) {
            auto id = PathId(req);
            if (!id.ok()) return ErrorResponse(id.status());
            auto body = ParseJsonBody(req);
            if (!body.ok()) return ErrorResponse(body.status());
            auto created = d_.registry.Create(Caller(req, s), Kind::kPoint, *body, *id);
            if (!created.ok()) return ErrorResponse(created.status());
            return JsonResponse(201, core::RecordToJson(core::MeteringPointSchema(), *created));
          }));
    r.Add("GET", "/api/v1/enterprises/{id}/projects", Authed([this](Request& req, const auto& s) {
            return ChildList(req, s, Kind::kProject);
          }));

    r.Add("GET", "/api/v1/users", Authed([this](Request& req, const auto& s) { return ListUsers(req, s); }));
    r.Add("POST", "/api/v1/users", Authed([this](Request& req, const auto& s) { return CreateUser(req, s); }));
    r.Add("PATCH", "/api/v1/users/{id}", Authed([this](Request& req, const auto& s) { return PatchUser(req, s); }));
    r.Add("POST", "/api/v1/users/{id}/password",
          Authed([this](Request& req, const auto& s) { return ResetPassword(req, s); }));
    r.Add("GET", "/api/v1/audit", Authed([this](Request& req, const auto& s) { return Audit(req, s); }));
  }

 private:
  Handler Authed(AuthedHandler fn) { return RequireSession(d_.identity, std::move(fn)); }

  static registry::Caller Caller(const Request& req, const security::AuthenticatedSession& s) {
    return {s.principal, req.remote_address};
  }

  void AddRecordRoutes(Router& r, const std::string& base, Kind kind, bool with_collection = true) {
    const auto& schema = registry::SchemaOf(kind);
    if (with_collection) {
      r.Add("GET", base, Authed([this, kind](Request& req, const auto& s) { return List(req, s, kind, {}); }));
      r.Add("POST", base, Authed([this, kind, &schema](Request& req, const auto& s) {
              auto body = ParseJsonBody(req);
              if (!body.ok()) return ErrorResponse(body.status());
              auto created = d_.registry.Create(Caller(req, s), kind, *body);
              if (!created.ok()) return ErrorResponse(created.status());
              return JsonResponse(201, core::RecordToJson(schema, *created));
            }));
    }
    r.Add("GET", base + "/{id}", Authed([this, kind, &schema](Request& req, const auto& s) {
            auto id = PathId(req);
            if (!id.ok()) return ErrorResponse(id.status());
            auto record = d_.registry.Get(Caller(req, s), kind, *id);
            if (!record.ok()) return ErrorResponse(record.status());
            return JsonResponse(200, Decorate(kind, core::RecordToJson(schema, *record)));
          }));
    r.Add("PATCH", base + "/{id}", Authed([this, kind, &schema](Request& req, const auto& s) {
            auto id = PathId(req);
            if (!id.ok()) return ErrorResponse(id.status());
            auto body = ParseJsonBody(req);
            if (!body.ok()) return ErrorResponse(body.status());
            auto updated = d_.registry.Update(Caller(req, s), kind, *id, *body);
            if (!updated.ok()) return ErrorResponse(updated.status());
            return JsonResponse(200, Decorate(kind, core::RecordToJson(schema, *updated)));
          }));
    r.Add("GET", base + "/{id}/history", Authed([this, kind](Request& req, const auto& s) {
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
          }));
  }

  // Adds display names of the county and industry, which every screen shows.
  json Decorate(Kind kind, json record) {
    if (kind == Kind::kPoint) return record;
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
    auto int_param = [&](const char* name, int& out) {
      if (auto v = req.Query(name)) {
        int n = 0;
        auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
        if (ec != std::errc() || ptr != v->data() + v->size()) errors.push_back({name, "must be an integer"});
        else out = n;
      }
    };
    int_param("page", lr.page);
    int_param("page_size", lr.page_size);
    lr.sort = req.Query("sort").value_or("");
    lr.region = req.Query("region").value_or("");
    lr.industry = req.Query("industry").value_or("");
    lr.status = req.Query("status").value_or(req.Query("state").value_or(""));
    lr.q = req.Query("q").value_or("");
    lr.equipment_category = req.Query("equipment_category").value_or("");
    if (auto v = req.Query("key_energy_unit")) {
      if (*v == "true" || *v == "1") lr.key_energy_unit = true;
      else if (*v == "false" || *v == "0") lr.key_energy_unit = false;
      else errors.push_back({"key_energy_unit", "must be true or false"});
    }
    if (auto v = req.Query("enterprise_id")) {
      std::int64_t n = 0;
      auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
      if (ec != std::errc() || ptr != v->data() + v->size()) errors.push_back({"enterprise_id", "must be an integer"});
      else lr.enterprise_id = n;
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
    return JsonResponse(200, {{"items", items}, {"total", page->total}, {"page", lr->page}, {"page_size", lr->page_size}});
  }

  // Every enterprise of the current filter as xlsx (default) or CSV.
  Response Export(Request& req, const security::AuthenticatedSession& s) {
    auto lr = ParseList(req);
    if (!lr.ok()) return ErrorResponse(lr.status());
    std::string format = req.Query("format").value_or("xlsx");
    if (format != "xlsx" && format != "csv") {
      return ErrorResponse(core::Status::InvalidArgument("invalid export", {{"format", "must be xlsx or csv"}}));
    }
    std::vector<json> rows;
    lr->page_size = 500;
    for (lr->page = 1;; ++lr->page) {
      auto page = d_.registry.List(Caller(req, s), Kind::kEnterprise, *lr);
      if (!page.ok()) return ErrorResponse(page.status());
      for (const auto& record : page->items) rows.push_back(Decorate(Kind::kEnterprise, core::RecordToJson(core::EnterpriseSchema(), record)));
      if (page->items.empty() || static_cast<std::int64_t>(rows.size()) >= page->total) break;
    }
    static const std::vector<std::pair<std::string, std::string>> kColumns = {
        {"name", "企业名称"}, {"uscc", "统一社会信用代码"}, {"region_name", "所在区县"}, {"region", "区划代码"},
        {"industry_name", "行业"}, {"status", "状态"}, {"key_energy_unit", "重点用能单位"}, {"staff", "职工人数"},
        {"registered_capital", "注册资本（万元）"}, {"address", "地址"}, {"lng", "经度"}, {"lat", "纬度"}};
    auto text = [](const json& row, const std::string& field) -> std::string {
      const json& v = row.contains(field) ? row.at(field) : json(nullptr);
      if (v.is_null()) return "";
      if (field == "status") return v == "running" ? "在产" : "停产";
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
    Response res;
    res.body = std::move(exported).value();
    res.content_type = format == "csv" ? "text/csv; charset=utf-8"
                                       : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    res.headers.emplace_back("Content-Disposition",
                             fmt::format("attachment; filename=\"enterprises.{0}\"; filename*=UTF-8''%E4%BC%81%E4%B8%9A%E5%90%8D%E5%BD%95.{0}", format));
    res.headers.emplace_back("Cache-Control", "no-store");
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

  Response Health() {
    auto ping = d_.store.Ping();
    if (!ping.ok()) {
      return JsonResponse(503, {{"status", "unavailable"}, {"store", ping.message()}});
    }
    auto version = d_.store.SchemaVersion();
    return JsonResponse(200, {{"status", "ok"},
                              {"store", d_.store.dialect() == storage::Dialect::kSqlite ? "sqlite" : "postgres"},
                              {"schema_version", version.ok() ? *version : 0}});
  }

  json PrincipalJson(const security::Principal& p) {
    json permissions = json::array();
    for (const auto& perm : p.permissions) permissions.push_back(perm);
    json me = {{"id", p.user_id},
               {"username", p.username},
               {"role", p.role},
               {"region", p.region.empty() ? json(nullptr) : json(p.region)},
               {"enterprise_id", p.enterprise_id ? json(*p.enterprise_id) : json(nullptr)},
               {"department", p.department.empty() ? json(nullptr) : json(p.department)},
               {"permissions", permissions}};
    if (auto name = names_.Region(p.region); !name.empty()) me["region_name"] = name;
    if (auto user = d_.store.GetUser(p.user_id); user.ok() && *user) me["display_name"] = (*user)->display_name;
    return me;
  }

  Response Login(Request& req) {
    auto body = ParseJsonBody(req);
    if (!body.ok()) return ErrorResponse(body.status());
    if (!body->is_object() || !(*body)["username"].is_string() || !(*body)["password"].is_string()) {
      return ErrorResponse(core::Status::InvalidArgument(
          "username and password are required", {{"username", "must be a string"}, {"password", "must be a string"}}));
    }
    auto username = (*body)["username"].get<std::string>();
    auto result = d_.identity.Login(username, (*body)["password"].get<std::string>(), req.remote_address);
    (void)d_.audit.Record(username, req.remote_address, result.ok() ? "auth.login" : "auth.login_failed", "",
                          result.ok() ? "ok" : core::StatusCodeName(result.status().code()),
                          result.ok() ? "" : result.status().message());
    if (!result.ok()) return ErrorResponse(result.status());
    auto res = JsonResponse(200, {{"csrf_token", result->csrf_token}, {"user", PrincipalJson(result->principal)}});
    auto max_age = (result->expires_at - d_.clock.Now()) / 1000;
    res.headers.emplace_back("Set-Cookie", fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
                                                       kSessionCookie, result->token, max_age,
                                                       options_.secure_cookies ? "; Secure" : ""));
    res.headers.emplace_back("Cache-Control", "no-store");
    return res;
  }

  Response Logout(Request& req, const security::AuthenticatedSession& s) {
    auto status = d_.identity.Logout(req.Cookie(kSessionCookie));
    (void)d_.audit.Record(s.principal.username, req.remote_address, "auth.logout", "",
                          status.ok() ? "ok" : core::StatusCodeName(status.code()));
    if (!status.ok()) return ErrorResponse(status);
    auto res = JsonResponse(200, {{"ok", true}});
    res.headers.emplace_back("Set-Cookie",
                             fmt::format("{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0", kSessionCookie));
    return res;
  }

  Response Me(const security::AuthenticatedSession& s) {
    auto me = PrincipalJson(s.principal);
    auto res = JsonResponse(200, {{"user", me}, {"csrf_token", s.csrf_token}});
    res.headers.emplace_back("Cache-Control", "no-store");
    return res;
  }

  Response ChangePassword(Request& req, const security::AuthenticatedSession& s) {
    auto body = ParseJsonBody(req);
    if (!body.ok()) return ErrorResponse(body.status());
    if (!body->is_object() || !(*body)["old_password"].is_string() || !(*body)["new_password"].is_string()) {
      return ErrorResponse(core::Status::InvalidArgument(
          "old_password and new_password are required",
          {{"old_password", "must be a string"}, {"new_password", "must be a string"}}));
    }
    auto status =
        d_.identity.ChangePassword(s.principal, (*body)["old_password"], (*body)["new_password"], s.token_hash);
    (void)d_.audit.Record(s.principal.username, req.remote_address, "user.change_password",
                          fmt::format("users:{}", s.principal.user_id),
                          status.ok() ? "ok" : core::StatusCodeName(status.code()));
    if (!status.ok()) return ErrorResponse(status);
    return JsonResponse(200, {{"ok", true}});
  }

  Response Regions(Request& req) {
    auto regions = d_.store.ListRegions();
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
    auto industries = d_.store.ListIndustries();
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
    auto departments = d_.store.ListDepartments();
    if (!departments.ok()) return ErrorResponse(departments.status());
    json items = json::array();
    for (const auto& dep : *departments) items.push_back({{"code", dep.code}, {"name", dep.name}});
    return JsonResponse(200, {{"items", items}});
  }

  json UserJson(const storage::User& u) const {
    return {{"id", u.id},
            {"username", u.username},
            {"display_name", u.display_name},
            {"role", u.role},
            {"region", u.region.empty() ? json(nullptr) : json(u.region)},
            {"enterprise_id", u.enterprise_id ? json(*u.enterprise_id) : json(nullptr)},
            {"department", u.department.empty() ? json(nullptr) : json(u.department)},
            {"permissions", u.permissions},
            {"disabled", u.disabled},
            {"locked", u.locked_until > d_.clock.Now()},
            {"created_at", core::FormatInstantUtc(u.created_at)}};
  }

  // Whether `manager` may administer `user` (or a user about to be created).
  core::Status MayManage(const security::Principal& manager, const storage::User& user) {
    if (!manager.permissions.contains(std::string(security::kUserManage))) {
      return core::Status::PermissionDenied("user.manage permission required");
    }
    if (manager.role == "dept_admin") {
      if (user.role != "dept_user" || user.department != manager.department) return core::Status::NotFound("user not found");
      return {};
    }
    std::string region = user.region;
    if (user.enterprise_id) {
      auto e = d_.store.GetRecord(core::EnterpriseSchema(), *user.enterprise_id);
      if (!e.ok()) return e.status();
      region = storage::AsText(e->at("region"));
    }
    if (user.role == "operator" || region.empty() || !core::RegionWithin(region, manager.region)) {
      return core::Status::NotFound("user not found");
    }
    return {};
  }

  Response ListUsers(Request& req, const security::AuthenticatedSession& s) {
    const auto& p = s.principal;
    if (!p.permissions.contains(std::string(security::kUserManage))) {
      return ErrorResponse(core::Status::PermissionDenied("user.manage permission required"));
    }
    storage::UserFilter filter;
    if (p.role == "dept_admin") filter.department = p.department;
    else filter.region_prefix = core::RegionPrefix(p.region);
    auto users = d_.store.ListUsers(filter);
    if (!users.ok()) return ErrorResponse(users.status());
    json items = json::array();
    for (const auto& u : *users) {
      if (MayManage(p, u).ok()) items.push_back(UserJson(u));
    }
    return JsonResponse(200, {{"items", items}, {"total", items.size()}});
  }

  Response CreateUser(Request& req, const security::AuthenticatedSession& s) {
    const auto& p = s.principal;
    if (!p.permissions.contains(std::string(security::kUserManage))) {
      return ErrorResponse(core::Status::PermissionDenied("user.manage permission required"));
    }
    auto body = ParseJsonBody(req);
    if (!body.ok()) return ErrorResponse(body.status());
    if (!body->is_object()) return ErrorResponse(core::Status::InvalidArgument("request body must be a JSON object"));
    security::NewUser n;
    std::vector<core::FieldError> errors;
    for (const auto& [key, value] : body->items()) {
      std::string* slot = key == "username"       ? &n.username
                          : key == "password"     ? &n.password
                          : key == "role"         ? &n.role
                          : key == "display_name" ? &n.display_name
                          : key == "region"       ? &n.region
                          : key == "enterprise"   ? &n.enterprise_uscc
                          : key == "department"   ? &n.department
                          : key == "permissions"  ? &n.permissions
                                                  : nullptr;
      if (!slot) errors.push_back({key, "unknown field"});
      else if (!value.is_string()) errors.push_back({key, "must be a string"});
      else *slot = value.get<std::string>();
    }
    if (!errors.empty()) return ErrorResponse(core::Status::InvalidArgument("invalid user", errors));
    if (n.role == "operator") {
      return ErrorResponse(core::Status::PermissionDenied("operators are created with kiln admin create-user",
                                                          {{"role", "cannot be created through the API"}}));
    }
    if (p.role == "dept_admin") {
      if (n.role != "dept_user") {
        return ErrorResponse(core::Status::PermissionDenied("a department administrator creates department users only",
                                                            {{"role", "must be dept_user"}}));
      }
      if (n.department.empty()) n.department = p.department;
      if (n.region.empty()) n.region = p.region;
    }
    if (auto invalid = security::ValidateNewUser(n); !invalid.empty()) {
      return ErrorResponse(core::Status::InvalidArgument("invalid user", std::move(invalid)));
    }
    // Check the scope before creating: build the user as it would be stored.
    storage::User probe;
    probe.role = n.role;
    probe.region = n.region;
    probe.department = n.department;
    if (n.role == "enterprise") {
      auto id = d_.store.EnterpriseIdByCreditCode(n.enterprise_uscc);
      if (!id.ok()) return ErrorResponse(id.status());
      if (*id) probe.enterprise_id = **id;
    }
    if ((n.role != "enterprise" || probe.enterprise_id) && !MayManage(p, probe).ok()) {
      return ErrorResponse(core::Status::PermissionDenied("the new user would be outside your jurisdiction",
                                                          {{n.role == "enterprise" ? "enterprise" : "region",
                                                            "outside your jurisdiction"}}));
    }
    auto created = d_.identity.CreateUser(n);
    (void)d_.audit.Record(p.username, req.remote_address, "user.create",
                          created.ok() ? fmt::format("users:{}", created->id) : n.username,
                          created.ok() ? "ok" : core::StatusCodeName(created.status().code()));
    if (!created.ok()) return ErrorResponse(created.status());
    return JsonResponse(201, UserJson(*created));
  }

  core::Result<storage::User> ManagedUser(const Request& req, const security::Principal& p) {
    auto id = PathId(req);
    if (!id.ok()) return id.status();
    auto user = d_.store.GetUser(*id);
    if (!user.ok()) return user.status();
    if (!*user) return core::Status::NotFound("user not found");
    KILN_RETURN_IF_ERROR(MayManage(p, **user));
    return **user;
  }

  Response PatchUser(Request& req, const security::AuthenticatedSession& s) {
    auto user = ManagedUser(req, s.principal);
    if (!user.ok()) return ErrorResponse(user.status());
    auto body = ParseJsonBody(req);
    if (!body.ok()) return ErrorResponse(body.status());
    if (!body->is_object()) return ErrorResponse(core::Status::InvalidArgument("request body must be a JSON object"));
    std::vector<core::FieldError> errors;
    for (const auto& [key, value] : body->items()) {
      if (key == "permissions") {
        if (!value.is_string()) {
          errors.push_back({key, "must be a comma-separated string"});
        } else if (user->role != "dept_user") {
          errors.push_back({key, "only department users are granted permissions individually"});
        } else {
          std::string text = value.get<std::string>();
          size_t start = 0;
          while (start < text.size()) {
            size_t end = std::min(text.find(',', start), text.size());
            auto perm = text.substr(start, end - start);
            if (!perm.empty() && !security::GrantablePermissions().contains(perm)) {
              errors.push_back({key, "cannot grant " + perm});
            }
            start = end + 1;
          }
        }
      } else if (key == "disabled") {
        if (!value.is_boolean()) errors.push_back({key, "must be true or false"});
        else if (user->id == s.principal.user_id) errors.push_back({key, "you cannot disable yourself"});
      } else {
        errors.push_back({key, "unknown field"});
      }
    }
    if (!errors.empty()) return ErrorResponse(core::Status::InvalidArgument("invalid user change", errors));
    if (body->contains("permissions")) {
      auto status = d_.store.SetUserPermissions(user->id, (*body)["permissions"]);
      if (!status.ok()) return ErrorResponse(status);
    }
    if (body->contains("disabled")) {
      bool disabled = (*body)["disabled"];
      auto status = d_.store.SetUserDisabled(user->id, disabled);
      if (status.ok() && disabled) status = d_.store.RevokeUserSessions(user->id);
      if (!status.ok()) return ErrorResponse(status);
    }
    (void)d_.audit.Record(s.principal.username, req.remote_address, "user.update", fmt::format("users:{}", user->id),
                          "ok", body->dump());
    auto updated = d_.store.GetUser(user->id);
    if (!updated.ok() || !*updated) return ErrorResponse(core::Status::Internal("user vanished"));
    return JsonResponse(200, UserJson(**updated));
  }

  Response ResetPassword(Request& req, const security::AuthenticatedSession& s) {
    auto user = ManagedUser(req, s.principal);
    if (!user.ok()) return ErrorResponse(user.status());
    auto body = ParseJsonBody(req);
    if (!body.ok()) return ErrorResponse(body.status());
    if (!body->is_object() || !(*body)["password"].is_string()) {
      return ErrorResponse(core::Status::InvalidArgument("password is required", {{"password", "must be a string"}}));
    }
    auto status = d_.identity.ResetPassword(user->username, (*body)["password"]);
    (void)d_.audit.Record(s.principal.username, req.remote_address, "user.reset_password",
                          fmt::format("users:{}", user->id), status.ok() ? "ok" : core::StatusCodeName(status.code()));
    if (!status.ok()) return ErrorResponse(status);
    return JsonResponse(200, {{"ok", true}});
  }

  Response Audit(Request& req, const security::AuthenticatedSession& s) {
    if (!s.principal.permissions.contains(std::string(security::kAuditRead))) {
      return ErrorResponse(core::Status::PermissionDenied("audit.read permission required"));
    }
    storage::AuditFilter filter;
    filter.username = req.Query("username").value_or("");
    filter.action_prefix = req.Query("action").value_or("");
    filter.limit = std::clamp(std::atoi(req.Query("limit").value_or("100").c_str()), 1, 1000);
    filter.before_id = std::atoll(req.Query("before_id").value_or("0").c_str());
    auto entries = d_.store.ListAudit(filter);
    if (!entries.ok()) return ErrorResponse(entries.status());
    json items = json::array();
    for (const auto& e : *entries) {
      items.push_back({{"id", e.id},
                       {"at", core::FormatInstantUtc(e.at)},
                       {"username", e.username},
                       {"address", e.address},
                       {"action", e.action},
                       {"target", e.target},
                       {"result", e.result},
                       {"detail", e.detail},
                       {"hash", e.hash}});
    }
    return JsonResponse(200, {{"items", items}});
  }

  ApiDeps d_;
  ApiOptions options_;
  ReferenceNames names_;
};

}  // namespace

std::shared_ptr<void> RegisterApi(Router& router, const ApiDeps& deps, const ApiOptions& options) {
  auto api = std::make_shared<Api>(deps, options);
  api->Register(router);
  return api;
}

}  // namespace kiln::http
