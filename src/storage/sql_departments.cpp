#include "storage/sql_departments.hpp"

#include <openssl/evp.h>

#include <fmt/format.h>

namespace kiln::storage {
namespace {

using core::Result;
using core::Status;
using core::Value;

// The original file is kept as base64 text so both dialects store it in a TEXT column.
std::string ToBase64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string FromBase64(const std::string& text) {
  if (text.empty()) return {};
  std::string out(3 * text.size() / 4 + 1, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) return {};
  std::size_t padding = text.ends_with("==") ? 2 : text.ends_with("=") ? 1 : 0;
  out.resize(static_cast<std::size_t>(n) - padding);
  return out;
}

core::CollectionTask RowToTask(const SqlRow& r) {
  core::CollectionTask t{.code = AsText(r[0]),
                         .version = static_cast<int>(AsInt(r[1])),
                         .department = AsText(r[2]),
                         .name = AsText(r[3]),
                         .frequency = AsText(r[4]),
                         .fields = {},
                         .active = AsInt(r[6]) != 0,
                         .source = AsText(r[7]),
                         .changed_by = AsText(r[8]),
                         .changed_at = AsInt(r[9])};
  auto fields = core::TaskFieldsFromJson(nlohmann::json::parse(AsText(r[5]), nullptr, false));
  if (fields.ok()) t.fields = std::move(fields).value();
  return t;
}

const char* kUploadColumns =
    "id, task_code, task_version, department, region, filename, format, size, sm3, rows_json, status, uploaded_by, "
    "uploaded_at, committed_at, row_count, error_count, unmatched_count";

DepartmentUpload RowToUpload(const SqlRow& r) {
  DepartmentUpload u;
  u.id = AsInt(r[0]);
  u.task_code = AsText(r[1]);
  u.task_version = static_cast<int>(AsInt(r[2]));
  u.department = AsText(r[3]);
  u.region = AsText(r[4]);
  u.filename = AsText(r[5]);
  u.format = AsText(r[6]);
  u.size = AsInt(r[7]);
  u.sm3 = AsText(r[8]);
  u.rows = AsText(r[9]);
  u.status = AsText(r[10]);
  u.uploaded_by = AsText(r[11]);
  u.uploaded_at = AsInt(r[12]);
  if (!core::IsNull(r[13])) u.committed_at = AsInt(r[13]);
  u.row_count = AsInt(r[14]);
  u.error_count = AsInt(r[15]);
  u.unmatched_count = AsInt(r[16]);
  if (r.size() > 17) u.original = FromBase64(AsText(r[17]));
  return u;
}

const char* kRecordColumns =
    "id, task_code, task_version, enterprise_id, period, upload_id, row_number, data, recorded_at, superseded";

DepartmentRecord RowToRecord(const SqlRow& r) {
  return DepartmentRecord{.id = AsInt(r[0]),
                          .task_code = AsText(r[1]),
                          .task_version = static_cast<int>(AsInt(r[2])),
                          .enterprise_id = AsInt(r[3]),
                          .period = AsText(r[4]),
                          .upload_id = AsInt(r[5]),
                          .row_number = static_cast<int>(AsInt(r[6])),
                          .data = AsText(r[7]),
                          .recorded_at = AsInt(r[8]),
                          .superseded = AsInt(r[9]) != 0};
}

DepartmentKey RowToKey(const SqlRow& r) {
  return DepartmentKey{AsText(r[0]), AsText(r[1]), AsText(r[2]),    AsText(r[3]),
                       AsInt(r[4]),  AsText(r[5]), AsInt(r[6]) != 0};
}

Status InsertTask(Connection& c, const core::CollectionTask& t, bool if_absent) {
  return c.Exec(
      fmt::format("INSERT INTO collection_tasks (code, version, department, name, frequency, fields, active, source, "
                  "changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?){}",
                  if_absent ? " ON CONFLICT (code, version) DO NOTHING" : ""),
      {t.code, std::int64_t{t.version}, t.department, t.name, t.frequency, core::TaskFieldsJson(t.fields).dump(),
       std::int64_t{t.active ? 1 : 0}, t.source, t.changed_by, t.changed_at});
}

}  // namespace

Result<SqlResult> SqlDepartments::Read(const std::string& sql, const std::vector<Value>& params) {
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  return (*conn)->Query(sql, params);
}

Status SqlDepartments::AddCollectionTasksIfAbsent(const std::vector<core::CollectionTask>& tasks) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  Transaction tx(**conn, db_.dialect());
  KILN_RETURN_IF_ERROR(tx.begun());
  for (const auto& t : tasks) {
    // Only a code never stored is added: an administrator's later versions must survive restarts.
    auto known = (*conn)->Query("SELECT 1 FROM collection_tasks WHERE code = ?", {t.code});
    if (!known.ok()) return known.status();
    if (!known->rows.empty()) continue;
    auto first = t;
    first.version = 1;
    KILN_RETURN_IF_ERROR(InsertTask(**conn, first, true));
  }
  return tx.Commit();
}

Result<std::vector<core::CollectionTask>> SqlDepartments::ListCollectionTasks() {
  return Collect<core::CollectionTask>(
      Read("SELECT code, version, department, name, frequency, fields, active, source, changed_by, changed_at "
           "FROM collection_tasks ORDER BY code, version",
           {}),
      RowToTask);
}

Result<core::CollectionTask> SqlDepartments::AddCollectionTaskVersion(core::CollectionTask task) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  Transaction tx(**conn, db_.dialect());
  KILN_RETURN_IF_ERROR(tx.begun());
  auto last = (*conn)->Query("SELECT COALESCE(MAX(version), 0) FROM collection_tasks WHERE code = ?", {task.code});
  if (!last.ok()) return last.status();
  task.version = static_cast<int>(AsInt(last->rows.at(0).at(0))) + 1;
  auto inserted = InsertTask(**conn, task, false);
  if (inserted.code() == core::StatusCode::kInvalidArgument) {
    return Status::InvalidArgument("invalid collection task", {{"department", "is not a known department"}});
  }
  KILN_RETURN_IF_ERROR(inserted);
  KILN_RETURN_IF_ERROR(tx.Commit());
  return task;
}

Result<std::int64_t> SqlDepartments::CreateDepartmentUpload(const DepartmentUpload& u) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  auto r = (*conn)->Query(
      "INSERT INTO department_uploads (task_code, task_version, department, region, filename, format, size, sm3, "
      "original, rows_json, status, uploaded_by, uploaded_at, row_count, error_count, unmatched_count) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {u.task_code, std::int64_t{u.task_version}, u.department, u.region, u.filename, u.format, u.size, u.sm3,
       ToBase64(u.original), u.rows, u.status, u.uploaded_by, u.uploaded_at, u.row_count, u.error_count,
       u.unmatched_count});
  if (!r.ok()) return r.status();
  return AsInt(r->rows.at(0).at(0));
}

Result<std::optional<DepartmentUpload>> SqlDepartments::GetDepartmentUpload(std::int64_t id, bool with_original) {
  auto rows = Collect<DepartmentUpload>(Read(fmt::format("SELECT {}{} FROM department_uploads WHERE id = ?",
                                                         kUploadColumns, with_original ? ", original" : ""),
                                             {id}),
                                        RowToUpload);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<DepartmentUpload>();
  return std::optional<DepartmentUpload>(std::move(rows->front()));
}

Result<std::vector<DepartmentUpload>> SqlDepartments::ListDepartmentUploads(const std::string& department,
                                                                            const std::string& region_prefix,
                                                                            const std::string& task_code, int limit) {
  std::string where = "region LIKE ?";
  std::vector<Value> params = {region_prefix + "%"};
  if (!department.empty()) {
    where += " AND department = ?";
    params.emplace_back(department);
  }
  if (!task_code.empty()) {
    where += " AND task_code = ?";
    params.emplace_back(task_code);
  }
  params.emplace_back(std::int64_t{limit});
  // rows_json stays out of lists: it can be large and lists show only counts.
  auto cols = std::string(kUploadColumns);
  cols.replace(cols.find("rows_json"), 9, "'' AS rows_json");
  return Collect<DepartmentUpload>(
      Read(fmt::format("SELECT {} FROM department_uploads WHERE {} ORDER BY id DESC LIMIT ?", cols, where), params),
      RowToUpload);
}

Status SqlDepartments::UpdateDepartmentUploadRows(std::int64_t id, const std::string& rows, std::int64_t error_count,
                                                  std::int64_t unmatched_count) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  auto r = (*conn)->Query(
      "UPDATE department_uploads SET rows_json = ?, error_count = ?, unmatched_count = ? WHERE id = ? AND status = "
      "'preview'",
      {rows, error_count, unmatched_count, id});
  if (!r.ok()) return r.status();
  if (r->affected == 0) return Status::Conflict("the upload is no longer in preview", {{"status", "is not preview"}});
  return {};
}

Status SqlDepartments::CommitDepartmentUpload(std::int64_t id, const std::vector<DepartmentRecord>& records,
                                              core::UnixMillis at, const FullSync& full_sync) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  Transaction tx(**conn, db_.dialect());
  KILN_RETURN_IF_ERROR(tx.begun());
  auto moved = (*conn)->Query(
      "UPDATE department_uploads SET status = 'committed', committed_at = ? WHERE id = ? AND status = 'preview'",
      {at, id});
  if (!moved.ok()) return moved.status();
  if (moved->affected == 0)
    return Status::Conflict("the upload is no longer in preview", {{"status", "is not preview"}});
  if (!records.empty()) {
    for (const auto& period : full_sync.periods) {
      KILN_RETURN_IF_ERROR((*conn)->Exec(
          "UPDATE department_records SET superseded = 1 WHERE task_code = ? AND period = ? AND superseded = 0 "
          "AND enterprise_id IN (SELECT id FROM enterprises WHERE region LIKE ?)",
          {records.front().task_code, period, full_sync.region_prefix + "%"}));
    }
  }
  for (const auto& r : records) {
    KILN_RETURN_IF_ERROR((*conn)->Exec(
        "UPDATE department_records SET superseded = 1 WHERE enterprise_id = ? AND task_code = ? AND period = ? "
        "AND superseded = 0",
        {r.enterprise_id, r.task_code, r.period}));
    KILN_RETURN_IF_ERROR((*conn)->Exec(
        "INSERT INTO department_records (task_code, task_version, enterprise_id, period, upload_id, row_number, data, "
        "recorded_at, superseded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
        {r.task_code, std::int64_t{r.task_version}, r.enterprise_id, r.period, id, std::int64_t{r.row_number}, r.data,
         at}));
  }
  return tx.Commit();
}

Status SqlDepartments::DiscardDepartmentUpload(std::int64_t id) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  auto r =
      (*conn)->Query("UPDATE department_uploads SET status = 'discarded' WHERE id = ? AND status = 'preview'", {id});
  if (!r.ok()) return r.status();
  if (r->affected == 0) return Status::Conflict("the upload is no longer in preview", {{"status", "is not preview"}});
  return {};
}

Result<std::vector<DepartmentRecord>> SqlDepartments::ListDepartmentRecords(std::int64_t enterprise_id,
                                                                            const std::string& task_code,
                                                                            bool with_superseded) {
  std::string where = "enterprise_id = ?";
  std::vector<Value> params = {enterprise_id};
  if (!task_code.empty()) {
    where += " AND task_code = ?";
    params.emplace_back(task_code);
  }
  if (!with_superseded) where += " AND superseded = 0";
  return Collect<DepartmentRecord>(
      Read(fmt::format("SELECT {} FROM department_records WHERE {} ORDER BY task_code, period DESC, id DESC",
                       kRecordColumns, where),
           params),
      RowToRecord);
}

Result<std::vector<DepartmentRecord>> SqlDepartments::DepartmentRecordsFor(const std::vector<std::string>& task_codes,
                                                                           std::optional<std::int64_t> enterprise_id,
                                                                           const std::string& period_from,
                                                                           const std::string& period_to) {
  if (task_codes.empty()) return std::vector<DepartmentRecord>();
  std::string marks;
  std::vector<Value> params;
  for (const auto& code : task_codes) {
    marks += marks.empty() ? "?" : ", ?";
    params.emplace_back(code);
  }
  std::string where = fmt::format("task_code IN ({}) AND superseded = 0 AND period >= ? AND period <= ?", marks);
  params.emplace_back(period_from);
  params.emplace_back(period_to);
  if (enterprise_id) {
    where += " AND enterprise_id = ?";
    params.emplace_back(*enterprise_id);
  }
  return Collect<DepartmentRecord>(
      Read(fmt::format("SELECT {} FROM department_records WHERE {} ORDER BY enterprise_id, period", kRecordColumns,
                       where),
           params),
      RowToRecord);
}

Result<std::vector<EnterpriseIdentity>> SqlDepartments::EnterpriseIdentities(const std::string& region_prefix) {
  return Collect<EnterpriseIdentity>(
      Read("SELECT id, uscc, name, region, industry FROM enterprises WHERE region LIKE ? ORDER BY id",
           {region_prefix + "%"}),
      [](const SqlRow& r) {
        return EnterpriseIdentity{AsInt(r[0]), AsText(r[1]), AsText(r[2]), AsText(r[3]), AsText(r[4])};
      });
}

Status SqlDepartments::CreateDepartmentKey(const DepartmentKey& k) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  return (*conn)->Exec(
      "INSERT INTO department_keys (key_id, department, region, secret, created_at, created_by, revoked) "
      "VALUES (?, ?, ?, ?, ?, ?, 0)",
      {k.key_id, k.department, k.region, k.secret, k.created_at, k.created_by});
}

Result<std::optional<DepartmentKey>> SqlDepartments::FindDepartmentKey(const std::string& key_id) {
  auto rows = Collect<DepartmentKey>(
      Read("SELECT key_id, department, region, secret, created_at, created_by, revoked FROM department_keys "
           "WHERE key_id = ?",
           {key_id}),
      RowToKey);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<DepartmentKey>();
  return std::optional<DepartmentKey>(rows->front());
}

Result<std::vector<DepartmentKey>> SqlDepartments::ListDepartmentKeys(const std::string& department) {
  return Collect<DepartmentKey>(
      Read("SELECT key_id, department, region, '' AS secret, created_at, created_by, revoked FROM department_keys "
           "WHERE department = ? ORDER BY created_at",
           {department}),
      RowToKey);
}

Status SqlDepartments::RevokeDepartmentKey(const std::string& key_id) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  auto r = (*conn)->Query("UPDATE department_keys SET revoked = 1 WHERE key_id = ?", {key_id});
  if (!r.ok()) return r.status();
  if (r->affected == 0) return Status::NotFound("no such department key " + key_id);
  return {};
}

}  // namespace kiln::storage
