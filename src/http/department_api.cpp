// Department data (R-IN3): collection tasks and their versions, templates,
// file uploads with preview, resolution and all-or-nothing commit, the
// original file, pushes signed with a department key, department keys, and an
// enterprise's department records.

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "http/apis.hpp"
#include "http/spreadsheet.hpp"
#include "security/crypto.hpp"

namespace kiln::http {
namespace {

using nlohmann::json;
using security::Action;

constexpr const char* kXlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

class DepartmentApi final : public Api {
 public:
  DepartmentApi(Gate& gate, const ApiContext& c) : d_(c) {
    gate.Session("GET", "/api/v1/collection-tasks", this, &DepartmentApi::Tasks);
    gate.Session("POST", "/api/v1/collection-tasks", this, &DepartmentApi::CreateTask);
    gate.Session("GET", "/api/v1/collection-tasks/{code}", this, &DepartmentApi::Task);
    gate.Session("PUT", "/api/v1/collection-tasks/{code}", this, &DepartmentApi::UpdateTask);
    gate.Session("GET", "/api/v1/collection-tasks/{code}/template", this, &DepartmentApi::Template);
    gate.Session("POST", "/api/v1/collection-tasks/{code}/uploads", this, &DepartmentApi::Upload, BodyKind::kFile);
    gate.Signed("POST", "/api/v1/collection-tasks/{code}/records", [this](Request& req) { return Push(req); });
    gate.Session("GET", "/api/v1/department-uploads", this, &DepartmentApi::Uploads);
    gate.Session("GET", "/api/v1/department-uploads/{id}", this, &DepartmentApi::UploadById);
    gate.Session("GET", "/api/v1/department-uploads/{id}/original", this, &DepartmentApi::Original);
    gate.Session("POST", "/api/v1/department-uploads/{id}/rows/{row}/resolve", this, &DepartmentApi::Resolve);
    gate.Session("POST", "/api/v1/department-uploads/{id}/commit", this, &DepartmentApi::Commit);
    gate.Session("POST", "/api/v1/department-uploads/{id}/discard", this, &DepartmentApi::Discard);
    gate.Session("GET", "/api/v1/department-keys", this, &DepartmentApi::Keys);
    gate.Session("POST", "/api/v1/department-keys", this, &DepartmentApi::IssueKey);
    gate.Session("POST", "/api/v1/department-keys/{key_id}/revoke", this, &DepartmentApi::RevokeKey);
    gate.Session("GET", "/api/v1/enterprises/{id}/department-records", this, &DepartmentApi::EnterpriseRecords);
  }

 private:
  static registry::Caller CallerOf(const Request& req, const security::AuthenticatedSession& s) {
    return {s.principal, req.remote_address};
  }

  // A department user delivering for its department inside its region.
  static ingest::Deliverer DelivererOf(const security::Principal& p) {
    return ingest::Deliverer{p.username, p.department, p.region};
  }

  // Whether the caller may deliver data for `department` (its own, with department.upload).
  static bool MayDeliver(const security::Principal& p, const std::string& department) {
    return security::Authorize(p, Action::kUploadDeliver, {p.region, std::nullopt, department}).ok();
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

  static const core::Status& TaskHidden() {
    static const core::Status kHidden = core::Status::NotFound("collection task not found");
    return kHidden;
  }

  // The current version of a task the caller may read; "not found" alike when it does not exist.
  core::Result<core::CollectionTask> ReadableTask(const Request& req, const security::AuthenticatedSession& s,
                                                  const std::string& code) {
    KILN_RETURN_IF_ERROR(security::ScopeFor(s.principal, Action::kTaskRead).status());
    auto task = d_.intake.CurrentTask(code);
    if (!task.ok()) return task.status().code() == core::StatusCode::kNotFound ? TaskHidden() : task.status();
    auto allowed = security::AuthorizeAndAudit(d_.audit, CallerOf(req, s), Action::kTaskRead,
                                               {"", std::nullopt, task->department}, "collection_tasks:" + code);
    if (allowed.code() == core::StatusCode::kNotFound) return TaskHidden();
    KILN_RETURN_IF_ERROR(allowed);
    return task;
  }

  Response Tasks(Request& req, const security::AuthenticatedSession& s) {
    auto scope = security::ScopeFor(s.principal, Action::kTaskRead);
    if (!scope.ok()) return ErrorResponse(scope.status());
    auto all = AllTasks();
    if (!all.ok()) return ErrorResponse(all.status());
    auto names = DepartmentNames();
    if (!names.ok()) return ErrorResponse(names.status());
    std::string department = !scope->department.empty() ? scope->department : req.Query("department").value_or("");
    json items = json::array();
    for (const auto& [code, t] : all->first) {
      if (!department.empty() && t.department != department) continue;
      items.push_back(TaskJson(t, *names));
    }
    return JsonResponse(200, {{"items", items}});
  }

  Response Task(Request& req, const security::AuthenticatedSession& s) {
    const auto& code = req.path_params["code"];
    auto readable = ReadableTask(req, s, code);
    if (!readable.ok()) return ErrorResponse(readable.status());
    auto all = AllTasks();
    if (!all.ok()) return ErrorResponse(all.status());
    auto it = all->first.find(code);
    if (it == all->first.end()) return ErrorResponse(TaskHidden());
    auto names = DepartmentNames();
    if (!names.ok()) return ErrorResponse(names.status());
    json history = json::array();
    for (const auto& t : all->second) {
      if (t.code == code) history.push_back(TaskJson(t, *names));
    }
    json out = TaskJson(it->second, *names);
    out["history"] = history;
    out["can_edit"] =
        security::Authorize(s.principal, Action::kTaskEdit, {"", std::nullopt, it->second.department}).ok();
    out["can_upload"] = MayDeliver(s.principal, it->second.department);
    return JsonResponse(200, out);
  }

  Response SaveTask(Request& req, const security::AuthenticatedSession& s, const std::string& code, bool creating) {
    // Refused before the body is read when the caller edits no task at all.
    if (auto scope = security::ScopeFor(s.principal, Action::kTaskEdit); !scope.ok())
      return ErrorResponse(scope.status());
    std::optional<core::CollectionTask> existing;
    if (!creating) {
      auto readable = ReadableTask(req, s, code);
      if (!readable.ok()) return ErrorResponse(readable.status());
      existing = std::move(readable).value();
    }
    auto body = ParseJsonObject(req);
    if (!body.ok()) return ErrorResponse(body.status());
    auto task = core::CollectionTaskFromJson(*body);
    if (!task.ok()) return ErrorResponse(task.status());
    if (!creating) task->code = code;
    if (task->department.empty() && security::ActsForDepartment(s.principal)) task->department = s.principal.department;
    if (existing && task->department != existing->department) {
      return ErrorResponse(core::Status::InvalidArgument("invalid collection task",
                                                         {{"department", "a task stays with its department"}}));
    }
    if (!security::Authorize(s.principal, Action::kTaskEdit, {"", std::nullopt, task->department}).ok()) {
      return ErrorResponse(core::Status::PermissionDenied("a department edits only its own collection tasks",
                                                          {{"department", "must be your own department"}}));
    }
    if (creating) {
      auto all = AllTasks();
      if (!all.ok()) return ErrorResponse(all.status());
      if (all->first.contains(task->code)) {
        return ErrorResponse(core::Status::Conflict("collection task exists", {{"code", "already exists"}}));
      }
    } else if (task->source.empty()) {
      task->source = existing->source;
    }
    auto names = DepartmentNames();
    if (!names.ok()) return ErrorResponse(names.status());
    if (!names->contains(task->department)) {
      return ErrorResponse(
          core::Status::InvalidArgument("invalid collection task", {{"department", "is not a known department"}}));
    }
    if (task->source.empty()) task->source = "由 " + s.principal.username + " 建立";
    auto valid = core::ValidateCollectionTask(*task);
    if (!valid.ok()) return ErrorResponse(valid);
    task->changed_by = s.principal.username;
    task->changed_at = d_.clock.Now();
    const char* action = creating ? "collection_task.create" : "collection_task.update";
    auto intended = d_.audit.Intend(s.principal.username, req.remote_address, action, "collection_tasks:" + task->code);
    if (!intended.ok()) return ErrorResponse(intended);
    auto saved = d_.store.AddCollectionTaskVersion(*task);
    (void)d_.audit.Record(s.principal.username, req.remote_address, action, "collection_tasks:" + task->code,
                          saved.ok() ? "ok" : "error",
                          saved.ok() ? fmt::format("version {}", saved->version) : saved.status().message());
    if (!saved.ok()) return ErrorResponse(saved.status());
    return JsonResponse(creating ? 201 : 200, TaskJson(*saved, *names));
  }

  Response CreateTask(Request& req, const security::AuthenticatedSession& s) { return SaveTask(req, s, "", true); }
  Response UpdateTask(Request& req, const security::AuthenticatedSession& s) {
    return SaveTask(req, s, req.path_params["code"], false);
  }

  Response Template(Request& req, const security::AuthenticatedSession& s) {
    auto task = ReadableTask(req, s, req.path_params["code"]);
    if (!task.ok()) return ErrorResponse(task.status());
    std::string format = req.Query("format").value_or("xlsx");
    if (format != "xlsx" && format != "csv") {
      return ErrorResponse(core::Status::InvalidArgument("invalid template", {{"format", "must be xlsx or csv"}}));
    }
    Sheet data{.name = "数据",
               .header = {"统一社会信用代码", "企业名称", "期间"},
               .widths = {24, 32, 12},
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
      if (f.min && f.max)
        range = fmt::format("{} 至 {}", *f.min, *f.max);
      else if (f.min)
        range = fmt::format("不小于 {}", *f.min);
      else if (f.max)
        range = fmt::format("不大于 {}", *f.max);
      notes.rows.push_back({f.label, f.unit.empty() ? json(nullptr) : json(f.unit),
                            f.type == "text"      ? "文本"
                            : f.type == "integer" ? "整数"
                                                  : "数值",
                            f.required ? "是" : "否", range});
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
    if (auto scope = security::ScopeFor(s.principal, Action::kUploadDeliver); !scope.ok()) {
      return ErrorResponse(scope.status());
    }
    auto task = ReadableTask(req, s, req.path_params["code"]);
    if (!task.ok()) return ErrorResponse(task.status());
    if (!MayDeliver(s.principal, task->department)) {
      return ErrorResponse(core::Status::PermissionDenied("a department delivers data for its own tasks only"));
    }
    auto who = DelivererOf(s.principal);
    if (req.body.size() > ingest::kMaxDeliveryBytes) {
      return ErrorResponse(413, "payload_too_large",
                           fmt::format("files are limited to {} bytes", ingest::kMaxDeliveryBytes));
    }
    std::string filename = req.Query("filename").value_or("upload");
    if (filename.size() > 200) filename.resize(200);
    const auto& code = req.path_params["code"];
    auto upload = d_.intake.Preview(who, code, {filename, req.body, security::Sm3Hex(req.body)});
    (void)d_.audit.Record(
        s.principal.username, req.remote_address, "department_upload.preview",
        upload.ok() ? fmt::format("department_uploads:{}", upload->id) : "collection_tasks:" + code,
        upload.ok() ? "ok" : "error",
        upload.ok() ? fmt::format("{} ({} bytes): {} rows, {} with errors, {} unmatched", filename, req.body.size(),
                                  upload->row_count, upload->error_count, upload->unmatched_count)
                    : upload.status().message());
    if (!upload.ok()) return ErrorResponse(upload.status());
    return JsonResponse(201, UploadJson(*upload, true));
  }

  // An upload the caller may read: department staff their department's, officials those of their region.
  core::Result<storage::DepartmentUpload> VisibleUpload(const Request& req, const security::AuthenticatedSession& s,
                                                        std::int64_t id, bool with_original) {
    const auto hidden = core::Status::NotFound(fmt::format("upload {} not found", id));
    KILN_RETURN_IF_ERROR(security::ScopeFor(s.principal, Action::kUploadRead).status());
    auto upload = d_.store.GetDepartmentUpload(id, with_original);
    if (!upload.ok()) return upload.status();
    if (!*upload) return hidden;
    auto allowed = security::AuthorizeAndAudit(d_.audit, CallerOf(req, s), Action::kUploadRead,
                                               {(*upload)->region, std::nullopt, (*upload)->department},
                                               fmt::format("department_uploads:{}", id));
    if (allowed.code() == core::StatusCode::kNotFound) return hidden;
    KILN_RETURN_IF_ERROR(allowed);
    return **upload;
  }

  // An upload the caller may act on (resolve, commit, discard).
  core::Result<storage::DepartmentUpload> ActionableUpload(const Request& req, const security::AuthenticatedSession& s,
                                                           std::int64_t id) {
    auto upload = VisibleUpload(req, s, id, false);
    if (!upload.ok()) return upload.status();
    if (!security::Authorize(s.principal, Action::kUploadDeliver, {upload->region, std::nullopt, upload->department})
             .ok()) {
      return core::Status::PermissionDenied(
          fmt::format("{} lacks permission {}", s.principal.username, security::kDepartmentUpload));
    }
    return upload;
  }

  Response Uploads(Request& req, const security::AuthenticatedSession& s) {
    auto scope = security::ScopeFor(s.principal, Action::kUploadRead);
    if (!scope.ok()) return ErrorResponse(scope.status());
    std::string department = !scope->department.empty() ? scope->department : req.Query("department").value_or("");
    std::vector<core::FieldError> errors;
    int limit = static_cast<int>(IntQuery(req, "limit", 100, 1, 500, errors));
    if (!errors.empty()) return ErrorResponse(core::Status::InvalidArgument("invalid upload query", errors));
    auto uploads =
        d_.store.ListDepartmentUploads(department, scope->region_prefix, req.Query("task").value_or(""), limit);
    if (!uploads.ok()) return ErrorResponse(uploads.status());
    json items = json::array();
    for (const auto& u : *uploads) items.push_back(UploadJson(u, false));
    return JsonResponse(200, {{"items", items}});
  }

  Response UploadById(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto upload = VisibleUpload(req, s, *id, false);
    if (!upload.ok()) return ErrorResponse(upload.status());
    json out = UploadJson(*upload, true);
    out["can_act"] =
        upload->status == "preview" &&
        security::Authorize(s.principal, Action::kUploadDeliver, {upload->region, std::nullopt, upload->department})
            .ok();
    return JsonResponse(200, out);
  }

  Response Original(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto upload = VisibleUpload(req, s, *id, true);
    if (!upload.ok()) return ErrorResponse(upload.status());
    auto intended = d_.audit.Intend(s.principal.username, req.remote_address, "department_upload.download",
                                    fmt::format("department_uploads:{}", *id));
    if (!intended.ok()) return ErrorResponse(intended);
    std::string type = upload->format == "xlsx" ? kXlsxType : upload->format == "csv" ? "text/csv" : "application/json";
    std::string ext = upload->format == "api" ? "json" : upload->format;
    (void)d_.audit.Record(s.principal.username, req.remote_address, "department_upload.download",
                          fmt::format("department_uploads:{}", *id), "ok");
    return FileDownload(std::move(upload->original), type, fmt::format("upload-{}.{}", *id, ext), upload->filename);
  }

  Response Resolve(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto row = PathId(req, "row");
    if (!row.ok()) return ErrorResponse(row.status());
    if (*row > static_cast<std::int64_t>(ingest::kMaxDeliveryRows) + 1) {
      return ErrorResponse(core::Status::InvalidArgument("invalid row", {{"row", "no such row"}}));
    }
    auto upload = ActionableUpload(req, s, *id);
    if (!upload.ok()) return ErrorResponse(upload.status());
    auto body = ParseJsonObject(req);
    if (!body.ok()) return ErrorResponse(body.status());
    std::vector<core::FieldError> errors;
    bool skip = false;
    std::optional<std::int64_t> enterprise;
    for (const auto& [key, value] : body->items()) {
      if (key == "skip") {
        if (value.is_boolean())
          skip = value.get<bool>();
        else
          errors.push_back({key, "must be true or false"});
      } else if (key == "enterprise_id") {
        if (value.is_number_integer())
          enterprise = value.get<std::int64_t>();
        else if (!value.is_null())
          errors.push_back({key, "must be an integer"});
      } else {
        errors.push_back({key, "unknown field"});
      }
    }
    if (!errors.empty()) return ErrorResponse(core::Status::InvalidArgument("invalid resolution", errors));
    auto resolved = d_.intake.Resolve(DelivererOf(s.principal), *id, static_cast<int>(*row), enterprise, skip);
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
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto upload = ActionableUpload(req, s, *id);
    if (!upload.ok()) return ErrorResponse(upload.status());
    auto committed = d_.intake.Commit(DelivererOf(s.principal), *id);
    (void)d_.audit.Record(s.principal.username, req.remote_address, "department_upload.commit",
                          fmt::format("department_uploads:{}", *id), committed.ok() ? "ok" : "error",
                          committed.ok() ? fmt::format("{} rows", committed->row_count) : committed.status().message());
    if (!committed.ok()) return ErrorResponse(committed.status());
    return JsonResponse(200, UploadJson(*committed, true));
  }

  Response Discard(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto upload = ActionableUpload(req, s, *id);
    if (!upload.ok()) return ErrorResponse(upload.status());
    auto discarded = d_.intake.Discard(DelivererOf(s.principal), *id);
    (void)d_.audit.Record(s.principal.username, req.remote_address, "department_upload.discard",
                          fmt::format("department_uploads:{}", *id), discarded.ok() ? "ok" : "error");
    if (!discarded.ok()) return ErrorResponse(discarded);
    return JsonResponse(200, {{"id", *id}, {"status", "discarded"}});
  }

  Response Push(Request& req) {
    auto credential = d_.machine_auth.Verify(req.method, req.path, req.Header("authorization"), req.body);
    if (!credential.ok()) {
      (void)d_.audit.Record("", req.remote_address, "machine.auth_failed", req.path, credential.status().reason(),
                            credential.status().message());
      return ErrorResponse(credential.status());
    }
    if (!credential->IsDepartment()) {
      (void)d_.audit.Record(credential->key_id, req.remote_address, "access.denied", req.path, "permission_denied",
                            "only a department key may push department records");
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

  // The department whose keys the caller manages: its own, or (the province) the one it names.
  core::Result<std::string> KeyDepartment(const security::AuthenticatedSession& s, const std::string& requested) {
    auto scope = security::ScopeFor(s.principal, Action::kDepartmentKeyManage);
    if (!scope.ok()) return scope.status();
    std::string department = requested.empty() ? scope->department : requested;
    if (department.empty())
      return core::Status::InvalidArgument("department required", {{"department", "is required"}});
    if (!security::Authorize(s.principal, Action::kDepartmentKeyManage, {s.principal.region, std::nullopt, department})
             .ok()) {
      return core::Status::PermissionDenied("a department administrator manages its own department's keys only",
                                            {{"department", "must be your own department"}});
    }
    return department;
  }

  Response Keys(Request& req, const security::AuthenticatedSession& s) {
    auto department = KeyDepartment(s, req.Query("department").value_or(""));
    if (!department.ok()) return ErrorResponse(department.status());
    auto keys = d_.store.ListDepartmentKeys(*department);
    if (!keys.ok()) return ErrorResponse(keys.status());
    json items = json::array();
    for (const auto& k : *keys) {
      if (!security::Authorize(s.principal, Action::kDepartmentKeyManage, {k.region, std::nullopt, k.department})
               .ok()) {
        continue;
      }
      items.push_back({{"key_id", k.key_id},
                       {"department", k.department},
                       {"region", k.region},
                       {"created_at", core::FormatInstantUtc(k.created_at)},
                       {"created_by", k.created_by},
                       {"revoked", k.revoked}});
    }
    return JsonResponse(200, {{"items", items}});
  }

  Response IssueKey(Request& req, const security::AuthenticatedSession& s) {
    if (auto scope = security::ScopeFor(s.principal, Action::kDepartmentKeyManage); !scope.ok()) {
      return ErrorResponse(scope.status());
    }
    std::string requested;
    if (!req.body.empty()) {
      auto body = ParseJsonObject(req);
      if (!body.ok()) return ErrorResponse(body.status());
      std::vector<core::FieldError> errors;
      for (const auto& [key, value] : body->items()) {
        if (key != "department")
          errors.push_back({key, "unknown field"});
        else if (!value.is_string())
          errors.push_back({key, "must be a department code"});
        else
          requested = value.get<std::string>();
      }
      if (!errors.empty()) return ErrorResponse(core::Status::InvalidArgument("invalid key request", errors));
    }
    auto department = KeyDepartment(s, requested);
    if (!department.ok()) return ErrorResponse(department.status());
    auto names = DepartmentNames();
    if (!names.ok()) return ErrorResponse(names.status());
    if (!names->contains(*department)) {
      return ErrorResponse(
          core::Status::InvalidArgument("unknown department", {{"department", "is not a known department"}}));
    }
    auto intended =
        d_.audit.Intend(s.principal.username, req.remote_address, "department_key.issue", "departments:" + *department);
    if (!intended.ok()) return ErrorResponse(intended);
    auto key = d_.machine_auth.IssueForDepartment(*department, s.principal.region, s.principal.username);
    (void)d_.audit.Record(s.principal.username, req.remote_address, "department_key.issue",
                          key.ok() ? "department_keys:" + key->key_id : "", key.ok() ? "ok" : "error");
    if (!key.ok()) return ErrorResponse(key.status());
    auto res = JsonResponse(201, {{"key_id", key->key_id},
                                  {"secret", key->secret},
                                  {"department", *department},
                                  {"region", s.principal.region}});
    res.headers.emplace_back("Cache-Control", "no-store");
    return res;
  }

  Response RevokeKey(Request& req, const security::AuthenticatedSession& s) {
    const auto& key_id = req.path_params["key_id"];
    const auto hidden = core::Status::NotFound("department key not found");
    if (auto scope = security::ScopeFor(s.principal, Action::kDepartmentKeyManage); !scope.ok()) {
      return ErrorResponse(scope.status());
    }
    auto key = d_.store.FindDepartmentKey(key_id);
    if (!key.ok()) return ErrorResponse(key.status());
    if (!*key) return ErrorResponse(hidden);
    auto allowed =
        security::AuthorizeAndAudit(d_.audit, CallerOf(req, s), Action::kDepartmentKeyManage,
                                    {(*key)->region, std::nullopt, (*key)->department}, "department_keys:" + key_id);
    if (allowed.code() == core::StatusCode::kNotFound) return ErrorResponse(hidden);
    if (!allowed.ok()) return ErrorResponse(allowed);
    auto intended =
        d_.audit.Intend(s.principal.username, req.remote_address, "department_key.revoke", "department_keys:" + key_id);
    if (!intended.ok()) return ErrorResponse(intended);
    auto revoked = d_.store.RevokeDepartmentKey(key_id);
    (void)d_.audit.Record(s.principal.username, req.remote_address, "department_key.revoke",
                          "department_keys:" + key_id, revoked.ok() ? "ok" : "error");
    if (!revoked.ok()) return ErrorResponse(revoked);
    return JsonResponse(200, {{"key_id", key_id}, {"revoked", true}});
  }

  Response EnterpriseRecords(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto enterprise =
        d_.registry.Authorized(CallerOf(req, s), registry::Kind::kEnterprise, *id, Action::kDepartmentRecordRead);
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
        group = {{"task", t == all->first.end() ? json(nullptr) : TaskJson(t->second, *names)},
                 {"records", json::array()}};
      }
      group["records"].push_back({{"id", r.id},
                                  {"period", r.period},
                                  {"values", json::parse(r.data, nullptr, false)},
                                  {"task_version", r.task_version},
                                  {"upload_id", r.upload_id},
                                  {"row", r.row_number},
                                  {"recorded_at", core::FormatInstantUtc(r.recorded_at)}});
    }
    json items = json::array();
    for (auto& [code, group] : by_task) items.push_back(std::move(group));
    return JsonResponse(200, {{"enterprise_id", *id}, {"items", items}});
  }

  const ApiContext d_;
};

}  // namespace

std::unique_ptr<Api> RegisterDepartmentApi(Gate& gate, const ApiContext& c) {
  return std::make_unique<DepartmentApi>(gate, c);
}

}  // namespace kiln::http
