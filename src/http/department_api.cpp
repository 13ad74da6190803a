#include "http/department_api.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "core/regions.hpp"
#include "http/session_guard.hpp"
#include "http/spreadsheet.hpp"
#include "security/crypto.hpp"

namespace kiln::http {
namespace {

using nlohmann::json;

// RFC 5987 filename*: the Chinese name survives in every browser.
std::string PercentEncode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '.' || c == '-' || c == '_') out.push_back(static_cast<char>(c));
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

Response FileDownload(std::string bytes, const std::string& content_type, const std::string& ascii_name,
                      const std::string& name) {
  Response res;
  res.body = std::move(bytes);
  res.content_type = content_type;
  res.headers.emplace_back("Content-Disposition", fmt::format("attachment; filename=\"{}\"; filename*=UTF-8''{}",
                                                              ascii_name, PercentEncode(name)));
  res.headers.emplace_back("Cache-Control", "no-store");
  return res;
}

constexpr const char* kXlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

class DepartmentApi {
 public:
  explicit DepartmentApi(const DepartmentApiDeps& d) : d_(d) {}

  void Register(Router& r) {
    auto authed = [this](auto method) {
      return RequireSession(d_.identity, [this, method](Request& req, const auto& s) { return (this->*method)(req, s); });
    };
    r.Add("GET", "/api/v1/collection-tasks", authed(&DepartmentApi::Tasks));
    r.Add("POST", "/api/v1/collection-tasks", authed(&DepartmentApi::CreateTask));
    r.Add("GET", "/api/v1/collection-tasks/{code}", authed(&DepartmentApi::Task));
    r.Add("PUT", "/api/v1/collection-tasks/{code}", authed(&DepartmentApi::UpdateTask));
    r.Add("GET", "/api/v1/collection-tasks/{code}/template", authed(&DepartmentApi::Template));
    r.Add("POST", "/api/v1/collection-tasks/{code}/uploads", authed(&DepartmentApi::Upload));
    // Signed by a department key, not a session.
    r.Add("POST", "/api/v1/collection-tasks/{code}/records", [this](Request& req) { return Push(req); });
    r.Add("GET", "/api/v1/department-uploads", authed(&DepartmentApi::Uploads));
    r.Add("GET", "/api/v1/department-uploads/{id}", authed(&DepartmentApi::UploadById));
    r.Add("GET", "/api/v1/department-uploads/{id}/original", authed(&DepartmentApi::Original));
    r.Add("POST", "/api/v1/department-uploads/{id}/rows/{row}/resolve", authed(&DepartmentApi::Resolve));
    r.Add("POST", "/api/v1/department-uploads/{id}/commit", authed(&DepartmentApi::Commit));
    r.Add("POST", "/api/v1/department-uploads/{id}/discard", authed(&DepartmentApi::Discard));
    r.Add("GET", "/api/v1/department-keys", authed(&DepartmentApi::Keys));
    r.Add("POST", "/api/v1/department-keys", authed(&DepartmentApi::IssueKey));
    r.Add("POST", "/api/v1/department-keys/{key_id}/revoke", authed(&DepartmentApi::RevokeKey));
    r.Add("GET", "/api/v1/enterprises/{id}/department-records", authed(&DepartmentApi::EnterpriseRecords));
  }

 private:
  // Department users act for their department; officials may read everything in their region.
  static bool IsDepartmentUser(const security::Principal& p) { return !p.department.empty(); }

  core::Result<ingest::Deliverer> DelivererOf(const security::AuthenticatedSession& s) {
    const auto& p = s.principal;
    if (!p.permissions.contains(std::string(security::kDepartmentUpload)) || !IsDepartmentUser(p) || p.region.empty()) {
      return core::Status::PermissionDenied(fmt::format("{} lacks permission {}", p.username, security::kDepartmentUpload));
    }
    return ingest::Deliverer{p.username, p.department, p.region};
  }

  core::Result<std::map<std::string, std::string>> DepartmentNames() {
    auto departments = d_.store.ListDepartments();
    if (!departments.ok()) return departments.status();
    std::map<std::string, std::string> out;
    for (const auto& d : *departments) out[d.code] = d.name;
    return out;
  }

  // Current version of every task, keyed by code, and every version.
  core::Result<std::pair<std::map<std::string, core::CollectionTask>, std::vector<core::CollectionTask>>> AllTasks() {
    auto tasks = d_.store.ListCollectionTasks();
    if (!tasks.ok()) return tasks.status();
    std::map<std::string, core::CollectionTask> current;
    for (const auto& t : *tasks) current[t.code] = t;
    return std::make_pair(std::move(current), std::move(tasks).value());
  }

  json TaskJson(const core::CollectionTask& t, const std::map<std::string, std::string>& names) {
    json j = core::CollectionTaskJson(t);
    auto it = names.find(t.department);
    j["department_name"] = it == names.end() ? t.department : it->second;
    return j;
  }

  bool MayReadTasks(const security::Principal& p) {
    return IsDepartmentUser(p) || p.permissions.contains(std::string(security::kEnterpriseRead));
  }

  // Province edits any task; a department administrator edits its own department's.
  core::Status MayEditTask(const security::Principal& p, const std::string& department) {
    if (!p.permissions.contains(std::string(security::kDepartmentTasks))) {
      return core::Status::PermissionDenied(fmt::format("{} lacks permission {}", p.username, security::kDepartmentTasks));
    }
    if (p.role != "province" && p.department != department) {
      return core::Status::PermissionDenied("a department edits only its own collection tasks");
    }
    return {};
  }

  Response Tasks(Request& req, const security::AuthenticatedSession& s) {
    if (!MayReadTasks(s.principal)) return ErrorResponse(core::Status::PermissionDenied("collection tasks are not visible to this role"));
    auto all = AllTasks();
    if (!all.ok()) return ErrorResponse(all.status());
    auto names = DepartmentNames();
    if (!names.ok()) return ErrorResponse(names.status());
    std::string department = IsDepartmentUser(s.principal) ? s.principal.department : req.Query("department").value_or("");
    json items = json::array();
    for (const auto& [code, t] : all->first) {
      if (!department.empty() && t.department != department) continue;
      items.push_back(TaskJson(t, *names));
    }
    return JsonResponse(200, {{"items", items}});
  }

  Response Task(Request& req, const security::AuthenticatedSession& s) {
    if (!MayReadTasks(s.principal)) return ErrorResponse(core::Status::PermissionDenied("collection tasks are not visible to this role"));
    auto all = AllTasks();
    if (!all.ok()) return ErrorResponse(all.status());
    const auto& code = req.path_params["code"];
    auto it = all->first.find(code);
    if (it == all->first.end() || (IsDepartmentUser(s.principal) && it->second.department != s.principal.department)) {
      return ErrorResponse(core::Status::NotFound("no collection task " + code));
    }
    auto names = DepartmentNames();
    if (!names.ok()) return ErrorResponse(names.status());
    json history = json::array();
    for (const auto& t : all->second) {
      if (t.code == code) history.push_back(TaskJson(t, *names));
    }
    json out = TaskJson(it->second, *names);
    out["history"] = history;
    out["can_edit"] = MayEditTask(s.principal, it->second.department).ok();
    out["can_upload"] = DelivererOf(s).ok() && it->second.department == s.principal.department;
    return JsonResponse(200, out);
  }

  Response SaveTask(Request& req, const security::AuthenticatedSession& s, const std::string& code, bool creating) {
    auto body = ParseJsonBody(req);
    if (!body.ok()) return ErrorResponse(body.status());
    auto task = core::CollectionTaskFromJson(*body);
    if (!task.ok()) return ErrorResponse(task.status());
    if (!creating) task->code = code;
    if (task->department.empty() && IsDepartmentUser(s.principal)) task->department = s.principal.department;
    auto allowed = MayEditTask(s.principal, task->department);
    if (!allowed.ok()) return ErrorResponse(allowed);
    auto all = AllTasks();
    if (!all.ok()) return ErrorResponse(all.status());
    auto existing = all->first.find(task->code);
    if (creating && existing != all->first.end()) {
      return ErrorResponse(core::Status::Conflict("collection task exists", {{"code", "already exists"}}));
    }
    if (!creating) {
      if (existing == all->first.end()) return ErrorResponse(core::Status::NotFound("no collection task " + code));
      auto own = MayEditTask(s.principal, existing->second.department);
      if (!own.ok()) return ErrorResponse(own);
      if (task->source.empty()) task->source = existing->second.source;
    }
    auto names = DepartmentNames();
    if (!names.ok()) return ErrorResponse(names.status());
    if (!names->contains(task->department)) {
      return ErrorResponse(core::Status::InvalidArgument("invalid collection task", {{"department", "is not a known department"}}));
    }
    if (task->source.empty()) task->source = "由 " + s.principal.username + " 建立";
    auto valid = core::ValidateCollectionTask(*task);
    if (!valid.ok()) return ErrorResponse(valid);
    task->changed_by = s.principal.username;
    task->changed_at = d_.clock.Now();
    auto saved = d_.store.AddCollectionTaskVersion(*task);
    (void)d_.audit.Record(s.principal.username, req.remote_address, creating ? "collection_task.create" : "collection_task.update",
                          "collection_tasks:" + task->code, saved.ok() ? "ok" : "error",
                          saved.ok() ? fmt::format("version {}", saved->version) : saved.status().message());
    if (!saved.ok()) return ErrorResponse(saved.status());
    return JsonResponse(creating ? 201 : 200, TaskJson(*saved, *names));
  }

  Response CreateTask(Request& req, const security::AuthenticatedSession& s) { return SaveTask(req, s, "", true); }
  Response UpdateTask(Request& req, const security::AuthenticatedSession& s) {
    return SaveTask(req, s, req.path_params["code"], false);
  }

  Response Template(Request& req, const security::AuthenticatedSession& s) {
    if (!MayReadTasks(s.principal)) return ErrorResponse(core::Status::PermissionDenied("collection tasks are not visible to this role"));
    auto task = d_.intake.CurrentTask(req.path_params["code"]);
    if (!task.ok()) return ErrorResponse(task.status());
    std::string format = req.Query("format").value_or("xlsx");
    if (format != "xlsx" && format != "csv") {
      return ErrorResponse(core::Status::InvalidArgument("invalid template", {{"format", "must be xlsx or csv"}}));
    }
    Sheet data{.name = "数据", .header = {"统一社会信用代码", "企业名称", "期间"}, .widths = {24, 32, 12},
               .text_columns = {true, false, true}};
    Sheet notes{.name = "填写说明", .header = {"列", "单位", "类型", "必填", "说明"}, .widths = {28, 10, 10, 8, 60}};
    notes.rows.push_back({"统一社会信用代码", nullptr, "文本", "二选一", "18 位，优先按此匹配企业"});
    notes.rows.push_back({"企业名称", nullptr, "文本", "二选一", "无信用代码时按登记名称精确匹配"});
    notes.rows.push_back({"期间", nullptr, "文本", "是", core::PeriodHint(task->frequency)});
    for (const auto& f : task->fields) {
      data.header.push_back(f.unit.empty() ? f.label : fmt::format("{}（{}）", f.label, f.unit));
      data.widths.push_back(std::max<double>(12, static_cast<double>(f.label.size()) / 2 + 6));
      data.text_columns.push_back(f.type == "text");
      std::string range;
      if (f.min && f.max) range = fmt::format("{} 至 {}", *f.min, *f.max);
      else if (f.min) range = fmt::format("不小于 {}", *f.min);
      else if (f.max) range = fmt::format("不大于 {}", *f.max);
      notes.rows.push_back({f.label, f.unit.empty() ? json(nullptr) : json(f.unit),
                            f.type == "text" ? "文本" : f.type == "integer" ? "整数" : "数值", f.required ? "是" : "否",
                            range});
    }
    std::string base = fmt::format("{}-v{}-template", task->code, task->version);
    std::string name = fmt::format("{}（第{}版）模板", task->name, task->version);
    if (format == "csv") return FileDownload(CsvBytes(data), "text/csv; charset=utf-8", base + ".csv", name + ".csv");
    auto bytes = XlsxBytes({data, notes});
    if (!bytes.ok()) return ErrorResponse(bytes.status());
    return FileDownload(std::move(bytes).value(), kXlsxType, base + ".xlsx", name + ".xlsx");
  }

  json UploadJson(const storage::DepartmentUpload& u, bool with_rows) {
    json j = {{"id", u.id},
              {"task_code", u.task_code},
              {"task_version", u.task_version},
              {"department", u.department},
              {"region", u.region},
              {"filename", u.filename},
              {"format", u.format},
              {"size", u.size},
              {"sm3", u.sm3},
              {"status", u.status},
              {"uploaded_by", u.uploaded_by},
              {"uploaded_at", core::FormatInstantUtc(u.uploaded_at)},
              {"committed_at", InstantOrNull(u.committed_at)},
              {"row_count", u.row_count},
              {"error_count", u.error_count},
              {"unmatched_count", u.unmatched_count}};
    if (with_rows && !u.rows.empty()) {
      json checked = json::parse(u.rows, nullptr, false);
      if (!checked.is_discarded()) {
        j["columns"] = checked["columns"];
        j["ignored_columns"] = checked["ignored_columns"];
        j["rows"] = checked["rows"];
      }
    }
    return j;
  }

  Response Upload(Request& req, const security::AuthenticatedSession& s) {
    auto who = DelivererOf(s);
    if (!who.ok()) return ErrorResponse(who.status());
    if (req.body.size() > ingest::kMaxDeliveryBytes) {
      return ErrorResponse(413, "payload_too_large", fmt::format("files are limited to {} bytes", ingest::kMaxDeliveryBytes));
    }
    std::string filename = req.Query("filename").value_or("upload");
    if (filename.size() > 200) filename.resize(200);
    const auto& code = req.path_params["code"];
    auto upload = d_.intake.Preview(*who, code, {filename, req.body, security::Sm3Hex(req.body)});
    (void)d_.audit.Record(s.principal.username, req.remote_address, "department_upload.preview",
                          upload.ok() ? fmt::format("department_uploads:{}", upload->id) : "collection_tasks:" + code,
                          upload.ok() ? "ok" : "error",
                          upload.ok() ? fmt::format("{} ({} bytes): {} rows, {} with errors, {} unmatched", filename,
                                                    req.body.size(), upload->row_count, upload->error_count,
                                                    upload->unmatched_count)
                                      : upload.status().message());
    if (!upload.ok()) return ErrorResponse(upload.status());
    return JsonResponse(201, UploadJson(*upload, true));
  }

  // Department users see their department's uploads; officials every upload in their region.
  core::Result<storage::DepartmentUpload> VisibleUpload(const security::AuthenticatedSession& s, std::int64_t id,
                                                        bool with_original) {
    const auto& p = s.principal;
    if (IsDepartmentUser(p)) {
      auto who = DelivererOf(s);
      ingest::Deliverer reader = who.ok() ? *who : ingest::Deliverer{p.username, p.department, p.region};
      return d_.intake.OwnUpload(reader, id, with_original);
    }
    auto scope = security::ScopeFor(p, security::kEnterpriseRead);
    if (!scope.ok()) return scope.status();
    auto upload = d_.store.GetDepartmentUpload(id, with_original);
    if (!upload.ok()) return upload.status();
    if (!*upload || scope->enterprise_id || !(*upload)->region.starts_with(scope->region_prefix)) {
      return core::Status::NotFound(fmt::format("no upload {}", id));
    }
    return **upload;
  }

  Response Uploads(Request& req, const security::AuthenticatedSession& s) {
    const auto& p = s.principal;
    std::string department, prefix;
    if (IsDepartmentUser(p)) {
      department = p.department;
      prefix = core::RegionPrefix(p.region);
    } else {
      auto scope = security::ScopeFor(p, security::kEnterpriseRead);
      if (!scope.ok()) return ErrorResponse(scope.status());
      if (scope->enterprise_id) return ErrorResponse(core::Status::PermissionDenied("uploads are not visible to enterprises"));
      prefix = scope->region_prefix;
      department = req.Query("department").value_or("");
    }
    int limit = std::clamp(std::atoi(req.Query("limit").value_or("100").c_str()), 1, 500);
    auto uploads = d_.store.ListDepartmentUploads(department, prefix, req.Query("task").value_or(""), limit);
    if (!uploads.ok()) return ErrorResponse(uploads.status());
    json items = json::array();
    for (const auto& u : *uploads) items.push_back(UploadJson(u, false));
    return JsonResponse(200, {{"items", items}});
  }

  Response UploadById(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto upload = VisibleUpload(s, *id, false);
    if (!upload.ok()) return ErrorResponse(upload.status());
    json out = UploadJson(*upload, true);
    out["can_act"] = upload->status == "preview" && DelivererOf(s).ok() && upload->department == s.principal.department;
    return JsonResponse(200, out);
  }

  Response Original(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto upload = VisibleUpload(s, *id, true);
    if (!upload.ok()) return ErrorResponse(upload.status());
    std::string type = upload->format == "xlsx" ? kXlsxType : upload->format == "csv" ? "text/csv" : "application/json";
    std::string ext = upload->format == "api" ? "json" : upload->format;
    (void)d_.audit.Record(s.principal.username, req.remote_address, "department_upload.download",
                          fmt::format("department_uploads:{}", *id), "ok");
    return FileDownload(std::move(upload->original), type, fmt::format("upload-{}.{}", *id, ext), upload->filename);
  }

  Response Resolve(Request& req, const security::AuthenticatedSession& s) {
    auto who = DelivererOf(s);
    if (!who.ok()) return ErrorResponse(who.status());
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto row = PathId(req, "row");
    if (!row.ok()) return ErrorResponse(row.status());
    auto body = ParseJsonBody(req);
    if (!body.ok()) return ErrorResponse(body.status());
    if (!body->is_object()) return ErrorResponse(core::Status::InvalidArgument("invalid resolution", {{"", "must be a JSON object"}}));
    bool skip = body->value("skip", false);
    std::optional<std::int64_t> enterprise;
    if (body->contains("enterprise_id") && !(*body)["enterprise_id"].is_null()) {
      if (!(*body)["enterprise_id"].is_number_integer()) {
        return ErrorResponse(core::Status::InvalidArgument("invalid resolution", {{"enterprise_id", "must be an integer"}}));
      }
      enterprise = (*body)["enterprise_id"].get<std::int64_t>();
    }
    auto resolved = d_.intake.Resolve(*who, *id, static_cast<int>(*row), enterprise, skip);
    (void)d_.audit.Record(s.principal.username, req.remote_address, "department_upload.resolve",
                          fmt::format("department_uploads:{}", *id), resolved.ok() ? "ok" : "error",
                          skip ? fmt::format("row {} left out", *row)
                               : fmt::format("row {} → enterprise {}", *row, enterprise.value_or(0)));
    if (!resolved.ok()) return ErrorResponse(resolved.status());
    json out = UploadJson(*resolved, true);
    out["can_act"] = true;
    return JsonResponse(200, out);
  }

  Response Commit(Request& req, const security::AuthenticatedSession& s) {
    auto who = DelivererOf(s);
    if (!who.ok()) return ErrorResponse(who.status());
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto committed = d_.intake.Commit(*who, *id);
    (void)d_.audit.Record(s.principal.username, req.remote_address, "department_upload.commit",
                          fmt::format("department_uploads:{}", *id), committed.ok() ? "ok" : "error",
                          committed.ok() ? fmt::format("{} rows", committed->row_count) : committed.status().message());
    if (!committed.ok()) return ErrorResponse(committed.status());
    return JsonResponse(200, UploadJson(*committed, true));
  }

  Response Discard(Request& req, const security::AuthenticatedSession& s) {
    auto who = DelivererOf(s);
    if (!who.ok()) return ErrorResponse(who.status());
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto discarded = d_.intake.Discard(*who, *id);
    (void)d_.audit.Record(s.principal.username, req.remote_address, "department_upload.discard",
                          fmt::format("department_uploads:{}", *id), discarded.ok() ? "ok" : "error");
    if (!discarded.ok()) return ErrorResponse(discarded);
    return JsonResponse(200, {{"id", *id}, {"status", "discarded"}});
  }

  Response Push(Request& req) {
    auto credential = d_.machine_auth.Verify(req.method, req.path, req.Header("authorization"), req.body);
    if (!credential.ok()) return ErrorResponse(credential.status());
    if (!credential->IsDepartment()) {
      return ErrorResponse(core::Status::PermissionDenied("only a department key may push department records"));
    }
    const auto& code = req.path_params["code"];
    ingest::Deliverer who{credential->key_id, credential->department, credential->region};
    auto pushed = d_.intake.Push(who, code, req.body, security::Sm3Hex(req.body));
    (void)d_.audit.Record(credential->key_id, req.remote_address, "department_records.push",
                          pushed.ok() ? fmt::format("department_uploads:{}", pushed->id) : "collection_tasks:" + code,
                          pushed.ok() ? "ok" : "error",
                          pushed.ok() ? fmt::format("{} rows", pushed->row_count) : pushed.status().message());
    if (!pushed.ok()) return ErrorResponse(pushed.status());
    return JsonResponse(200, {{"upload_id", pushed->id}, {"accepted", pushed->row_count}, {"status", pushed->status}});
  }

  // Keys: a department administrator for its own department; the province for any.
  core::Result<std::pair<std::string, std::string>> KeyScope(const security::AuthenticatedSession& s,
                                                             const std::string& requested_department) {
    const auto& p = s.principal;
    if (!p.permissions.contains(std::string(security::kUserManage))) {
      return core::Status::PermissionDenied(fmt::format("{} lacks permission {}", p.username, security::kUserManage));
    }
    if (p.role == "dept_admin") return std::make_pair(p.department, p.region);
    if (p.role == "province" && !requested_department.empty()) return std::make_pair(requested_department, p.region);
    if (p.role == "province") {
      return core::Status::InvalidArgument("department required", {{"department", "is required"}});
    }
    return core::Status::PermissionDenied("only a department administrator or the province manages department keys");
  }

  Response Keys(Request& req, const security::AuthenticatedSession& s) {
    auto scope = KeyScope(s, req.Query("department").value_or(""));
    if (!scope.ok()) return ErrorResponse(scope.status());
    auto keys = d_.store.ListDepartmentKeys(scope->first);
    if (!keys.ok()) return ErrorResponse(keys.status());
    json items = json::array();
    for (const auto& k : *keys) {
      items.push_back({{"key_id", k.key_id}, {"department", k.department}, {"region", k.region},
                       {"created_at", core::FormatInstantUtc(k.created_at)}, {"created_by", k.created_by},
                       {"revoked", k.revoked}});
    }
    return JsonResponse(200, {{"items", items}});
  }

  Response IssueKey(Request& req, const security::AuthenticatedSession& s) {
    std::string department;
    if (!req.body.empty()) {
      auto body = ParseJsonBody(req);
      if (!body.ok()) return ErrorResponse(body.status());
      if (body->is_object() && (*body)["department"].is_string()) department = (*body)["department"];
    }
    auto scope = KeyScope(s, department);
    if (!scope.ok()) return ErrorResponse(scope.status());
    auto names = DepartmentNames();
    if (!names.ok()) return ErrorResponse(names.status());
    if (!names->contains(scope->first)) {
      return ErrorResponse(core::Status::InvalidArgument("unknown department", {{"department", "is not a known department"}}));
    }
    auto key = d_.machine_auth.IssueForDepartment(scope->first, scope->second, s.principal.username);
    (void)d_.audit.Record(s.principal.username, req.remote_address, "department_key.issue",
                          key.ok() ? "department_keys:" + key->key_id : "", key.ok() ? "ok" : "error");
    if (!key.ok()) return ErrorResponse(key.status());
    auto res = JsonResponse(201, {{"key_id", key->key_id}, {"secret", key->secret}, {"department", scope->first},
                                  {"region", scope->second}});
    res.headers.emplace_back("Cache-Control", "no-store");
    return res;
  }

  Response RevokeKey(Request& req, const security::AuthenticatedSession& s) {
    const auto& key_id = req.path_params["key_id"];
    auto key = d_.store.FindDepartmentKey(key_id);
    if (!key.ok()) return ErrorResponse(key.status());
    if (!*key) return ErrorResponse(core::Status::NotFound("no department key " + key_id));
    auto scope = KeyScope(s, (*key)->department);
    if (!scope.ok()) return ErrorResponse(scope.status());
    if (scope->first != (*key)->department) return ErrorResponse(core::Status::NotFound("no department key " + key_id));
    auto revoked = d_.store.RevokeDepartmentKey(key_id);
    (void)d_.audit.Record(s.principal.username, req.remote_address, "department_key.revoke", "department_keys:" + key_id,
                          revoked.ok() ? "ok" : "error");
    if (!revoked.ok()) return ErrorResponse(revoked);
    return JsonResponse(200, {{"key_id", key_id}, {"revoked", true}});
  }

  Response EnterpriseRecords(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto enterprise = d_.registry.Get({s.principal, req.remote_address}, registry::Kind::kEnterprise, *id);
    if (!enterprise.ok()) return ErrorResponse(enterprise.status());
    auto records = d_.store.ListDepartmentRecords(*id, req.Query("task").value_or(""), false);
    if (!records.ok()) return ErrorResponse(records.status());
    auto all = AllTasks();
    if (!all.ok()) return ErrorResponse(all.status());
    auto names = DepartmentNames();
    if (!names.ok()) return ErrorResponse(names.status());
    std::map<std::string, json> by_task;
    for (const auto& r : *records) {
      auto& group = by_task[r.task_code];
      if (group.is_null()) {
        auto t = all->first.find(r.task_code);
        group = {{"task", t == all->first.end() ? json(nullptr) : TaskJson(t->second, *names)}, {"records", json::array()}};
      }
      group["records"].push_back({{"id", r.id}, {"period", r.period}, {"values", json::parse(r.data, nullptr, false)},
                                  {"task_version", r.task_version}, {"upload_id", r.upload_id},
                                  {"row", r.row_number}, {"recorded_at", core::FormatInstantUtc(r.recorded_at)}});
    }
    json items = json::array();
    for (auto& [code, group] : by_task) items.push_back(std::move(group));
    return JsonResponse(200, {{"enterprise_id", *id}, {"items", items}});
  }

  DepartmentApiDeps d_;
};

}  // namespace

std::shared_ptr<void> RegisterDepartmentApi(Router& router, const DepartmentApiDeps& deps) {
  auto api = std::make_shared<DepartmentApi>(deps);
  api->Register(router);
  return api;
}

}  // namespace kiln::http
