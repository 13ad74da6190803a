#include "ingest/department_intake.hpp"

#include "core/json_input.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

#include "core/credit_code.hpp"
#include "core/regions.hpp"
#include "core/registry_schema.hpp"
#include "ingest/table_reader.hpp"

namespace kiln::ingest {
namespace {

using core::Result;
using core::Status;
using nlohmann::json;

// Header texts that name the three columns every task has.
const std::vector<std::string> kCreditCodeHeaders = {"统一社会信用代码", "信用代码", "credit_code", "uscc"};
const std::vector<std::string> kNameHeaders = {"企业名称", "单位名称", "name", "enterprise_name"};
const std::vector<std::string> kPeriodHeaders = {"期间", "统计期", "报告期", "period", "月份", "日期", "年份", "季度"};

// "用电量（kWh）" and " 用电量 (kWh) " both name the field "用电量".
std::string HeaderKey(std::string text) {
  for (const char* open : {"（", "("}) {
    auto at = text.find(open);
    if (at != std::string::npos && at > 0) text = text.substr(0, at);
  }
  std::string out;
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') out.push_back(c);
  }
  return out;
}

bool Names(const std::vector<std::string>& options, const std::string& key) {
  for (const auto& o : options) {
    if (o == key) return true;
  }
  return false;
}

struct Matcher {
  std::map<std::string, const storage::EnterpriseIdentity*> by_code, by_name;
  std::set<std::string> ambiguous_names;
  std::vector<storage::EnterpriseIdentity> all;

  void Build() {
    for (const auto& e : all) {
      by_code[e.uscc] = &e;
      if (!by_name.emplace(e.name, &e).second) ambiguous_names.insert(e.name);
    }
  }
};

// Checks one row's cells and matches its enterprise, filling `row`.
void CheckRow(const core::CollectionTask& task, const Matcher& matcher, json& row) {
  json& errors = row["errors"];
  auto error = [&](const std::string& column, const std::string& field, const std::string& message) {
    errors.push_back({{"column", column}, {"field", field}, {"message", message}});
  };
  const json& cells = row["cells"];
  auto letter = [&](const char* field) -> std::string {
    return cells.contains(field) ? cells[field]["column"].get<std::string>() : "";
  };
  auto text = [&](const char* field) -> std::string {
    return cells.contains(field) ? core::Trim(cells[field]["text"].get<std::string>()) : "";
  };
  std::string code = text("credit_code"), name = text("name"), period_text = text("period");
  for (auto& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  row["credit_code"] = code;
  row["name"] = name;

  auto period = core::NormalisePeriod(task.frequency, period_text);
  if (period_text.empty()) {
    error(letter("period"), "period", "期间为必填项（" + core::PeriodHint(task.frequency) + "）");
  } else if (!period) {
    error(letter("period"), "period",
          fmt::format("期间“{}”无法识别，应为{}", period_text, core::PeriodHint(task.frequency)));
  }
  row["period"] = period ? json(*period) : json(nullptr);

  json values = json::object();
  for (const auto& field : task.fields) {
    std::string cell = cells.contains(field.key) ? cells[field.key]["text"].get<std::string>() : "";
    auto checked = core::CheckCell(field, cell);
    if (!checked.ok())
      error(letter(field.key.c_str()), field.key, checked.status().message());
    else
      values[field.key] = *checked;
  }
  row["values"] = values;

  row["enterprise_id"] = nullptr;
  row["enterprise_name"] = nullptr;
  row["matched_by"] = nullptr;
  if (code.empty() && name.empty()) {
    error(letter("credit_code").empty() ? letter("name") : letter("credit_code"), "credit_code",
          "统一社会信用代码和企业名称至少填写一项");
    return;
  }
  if (!code.empty()) {
    if (auto why = core::CreditCodeError(code)) {
      error(letter("credit_code"), "credit_code", fmt::format("统一社会信用代码“{}”无效：{}", code, *why));
      return;
    }
    if (auto it = matcher.by_code.find(code); it != matcher.by_code.end()) {
      row["enterprise_id"] = it->second->id;
      row["enterprise_name"] = it->second->name;
      row["matched_by"] = "credit_code";
      if (!name.empty() && name != it->second->name) row["note"] = "名称与登记名称不同：" + it->second->name;
      return;
    }
  }
  if (!name.empty() && !matcher.ambiguous_names.contains(name)) {
    if (auto it = matcher.by_name.find(name); it != matcher.by_name.end()) {
      row["enterprise_id"] = it->second->id;
      row["enterprise_name"] = it->second->name;
      row["matched_by"] = "name";
      if (!code.empty()) row["note"] = "信用代码与登记代码不同：" + it->second->uscc;
    }
  }
}

// Marks a later row for the same enterprise and period as an error.
void FlagDuplicates(json& rows) {
  std::map<std::pair<std::int64_t, std::string>, int> seen;
  for (auto& row : rows) {
    if (row["enterprise_id"].is_null() || row["period"].is_null() || row.value("skipped", false)) continue;
    auto key = std::pair{row["enterprise_id"].get<std::int64_t>(), row["period"].get<std::string>()};
    auto [it, fresh] = seen.emplace(key, row["row"].get<int>());
    if (!fresh) {
      row["errors"].push_back(
          {{"column", ""}, {"field", "period"}, {"message", fmt::format("与第 {} 行是同一企业同一期间", it->second)}});
    }
  }
}

Result<Matcher> MatcherFor(storage::Store& store, const std::string& region) {
  Matcher m;
  auto all = store.EnterpriseIdentities(core::RegionPrefix(region));
  if (!all.ok()) return all.status();
  m.all = std::move(all).value();
  return m;
}

// Turns a table (header row first) into checked rows against the task's columns.
Result<json> CheckTable(const core::CollectionTask& task, const Table& table, Matcher& matcher) {
  std::size_t header_at = 0;
  while (header_at < table.size() && std::all_of(table[header_at].begin(), table[header_at].end(),
                                                 [](const std::string& c) { return core::Trim(c).empty(); })) {
    ++header_at;
  }
  if (header_at == table.size()) return Status::InvalidArgument("empty file", {{"file", "has no header row"}});
  const auto& header = table[header_at];
  json columns = json::array(), ignored = json::array();
  std::map<std::string, std::size_t> column_of;
  for (std::size_t c = 0; c < header.size(); ++c) {
    std::string key = HeaderKey(header[c]);
    if (key.empty()) continue;
    std::string field;
    if (Names(kCreditCodeHeaders, key))
      field = "credit_code";
    else if (Names(kNameHeaders, key))
      field = "name";
    else if (Names(kPeriodHeaders, key))
      field = "period";
    for (const auto& f : task.fields) {
      if (field.empty() && (HeaderKey(f.label) == key || f.key == key)) field = f.key;
    }
    if (field.empty() || column_of.contains(field)) {
      ignored.push_back(core::ColumnLetters(c) + ": " + core::Trim(header[c]));
      continue;
    }
    column_of[field] = c;
    columns.push_back({{"column", core::ColumnLetters(c)}, {"header", core::Trim(header[c])}, {"field", field}});
  }
  std::vector<core::FieldError> missing;
  if (!column_of.contains("period")) missing.push_back({"period", "缺少“期间”列"});
  if (!column_of.contains("credit_code") && !column_of.contains("name")) {
    missing.push_back({"credit_code", "缺少“统一社会信用代码”或“企业名称”列"});
  }
  for (const auto& f : task.fields) {
    if (f.required && !column_of.contains(f.key)) missing.push_back({f.key, fmt::format("缺少必填列“{}”", f.label)});
  }
  if (!missing.empty()) {
    return Status::InvalidArgument(fmt::format("第 {} 行表头不符合任务“{}”的模板", header_at + 1, task.name),
                                   std::move(missing));
  }

  matcher.Build();
  json rows = json::array();
  for (std::size_t r = header_at + 1; r < table.size(); ++r) {
    const auto& cells = table[r];
    if (std::all_of(cells.begin(), cells.end(), [](const std::string& c) { return core::Trim(c).empty(); })) continue;
    if (rows.size() >= kMaxDeliveryRows) {
      return Status::InvalidArgument("file too long",
                                     {{"file", fmt::format("has more than {} data rows", kMaxDeliveryRows)}});
    }
    json row = {{"row", r + 1}, {"errors", json::array()}, {"skipped", false}, {"cells", json::object()}};
    for (const auto& [field, c] : column_of) {
      row["cells"][field] = {{"column", core::ColumnLetters(c)}, {"text", c < cells.size() ? cells[c] : ""}};
    }
    CheckRow(task, matcher, row);
    row.erase("cells");
    rows.push_back(std::move(row));
  }
  FlagDuplicates(rows);
  return json{{"columns", columns}, {"ignored_columns", ignored}, {"rows", rows}};
}

std::string CellText(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
  if (v.is_number()) return fmt::format("{}", v.get<double>());
  if (v.is_null()) return "";
  return v.dump();
}

}  // namespace

CheckedCounts CountChecked(const json& checked) {
  CheckedCounts n;
  for (const auto& row : checked["rows"]) {
    ++n.rows;
    if (row.value("skipped", false)) continue;
    if (!row["errors"].empty())
      ++n.errors;
    else if (row["enterprise_id"].is_null())
      ++n.unmatched;
  }
  return n;
}

Result<core::CollectionTask> DepartmentIntake::CurrentTask(const std::string& code) {
  auto tasks = store_.ListCollectionTasks();
  if (!tasks.ok()) return tasks.status();
  std::optional<core::CollectionTask> current;
  for (auto& t : *tasks) {
    if (t.code == code) current = t;
  }
  if (!current) return Status::NotFound("no collection task " + code);
  return *current;
}

Result<storage::DepartmentUpload> DepartmentIntake::Store(const Deliverer& who, const core::CollectionTask& task,
                                                          const DeliveredFile& file, const std::string& format,
                                                          const json& checked) {
  auto counts = CountChecked(checked);
  storage::DepartmentUpload u{.task_code = task.code,
                              .task_version = task.version,
                              .department = who.department,
                              .region = who.region,
                              .filename = file.filename,
                              .format = format,
                              .size = static_cast<std::int64_t>(file.bytes.size()),
                              .sm3 = file.sm3,
                              .original = file.bytes,
                              .rows = checked.dump(),
                              .status = "preview",
                              .uploaded_by = who.username,
                              .uploaded_at = clock_.Now(),
                              .row_count = counts.rows,
                              .error_count = counts.errors,
                              .unmatched_count = counts.unmatched};
  auto id = store_.CreateDepartmentUpload(u);
  if (!id.ok()) return id.status();
  u.id = *id;
  u.original.clear();
  return u;
}

Result<storage::DepartmentUpload> DepartmentIntake::Preview(const Deliverer& who, const std::string& task_code,
                                                            const DeliveredFile& file) {
  auto task = CurrentTask(task_code);
  if (!task.ok()) return task.status();
  if (task->department != who.department) return Status::NotFound("no collection task " + task_code);
  if (!task->active) return Status::Conflict(fmt::format("collection task {} is no longer active", task_code));
  if (file.bytes.empty()) return Status::InvalidArgument("empty file", {{"file", "is empty"}});
  bool xlsx = LooksLikeXlsx(file.bytes);
  auto table = xlsx ? ReadXlsx(file.bytes) : ReadCsv(file.bytes);
  if (!table.ok()) return table.status();
  auto matcher = MatcherFor(store_, who.region);
  if (!matcher.ok()) return matcher.status();
  auto checked = CheckTable(*task, *table, *matcher);
  if (!checked.ok()) return checked.status();
  return Store(who, *task, file, xlsx ? "xlsx" : "csv", std::move(checked).value());
}

Result<storage::DepartmentUpload> DepartmentIntake::OwnUpload(const Deliverer& who, std::int64_t upload_id,
                                                              bool with_original) {
  auto upload = store_.GetDepartmentUpload(upload_id, with_original);
  if (!upload.ok()) return upload.status();
  if (!*upload || (*upload)->department != who.department || !core::RegionWithin((*upload)->region, who.region)) {
    return Status::NotFound(fmt::format("no upload {}", upload_id));
  }
  return **upload;
}

Result<storage::DepartmentUpload> DepartmentIntake::Resolve(const Deliverer& who, std::int64_t upload_id,
                                                            int row_number, std::optional<std::int64_t> enterprise_id,
                                                            bool skip) {
  auto upload = OwnUpload(who, upload_id, false);
  if (!upload.ok()) return upload.status();
  if (upload->status != "preview")
    return Status::Conflict("the upload is no longer in preview", {{"status", "is " + upload->status}});
  json checked = json::parse(upload->rows);
  json* row = nullptr;
  for (auto& r : checked["rows"]) {
    if (r["row"].get<int>() == row_number) row = &r;
  }
  if (!row)
    return Status::InvalidArgument("no such row", {{"row", fmt::format("row {} is not in the file", row_number)}});
  if (skip) {
    (*row)["skipped"] = true;
  } else {
    if (!enterprise_id)
      return Status::InvalidArgument("nothing to resolve", {{"enterprise_id", "is required unless skip is true"}});
    auto enterprise = store_.GetRecord(core::EnterpriseSchema(), *enterprise_id);
    if (!enterprise.ok() && enterprise.status().code() != core::StatusCode::kNotFound) return enterprise.status();
    if (!enterprise.ok() || !core::RegionWithin(storage::AsText(enterprise->at("region")), who.region)) {
      return Status::InvalidArgument("unknown enterprise",
                                     {{"enterprise_id", "is not an enterprise in your jurisdiction"}});
    }
    (*row)["skipped"] = false;
    (*row)["enterprise_id"] = *enterprise_id;
    (*row)["enterprise_name"] = storage::AsText(enterprise->at("name"));
    (*row)["matched_by"] = "manual";
    // A manual match may create a duplicate; recheck them all.
    for (auto& r : checked["rows"]) {
      auto& errors = r["errors"];
      json kept = json::array();
      for (auto& e : errors) {
        if (!e["message"].get<std::string>().starts_with("与第 ")) kept.push_back(e);
      }
      errors = kept;
    }
    FlagDuplicates(checked["rows"]);
  }
  auto counts = CountChecked(checked);
  KILN_RETURN_IF_ERROR(store_.UpdateDepartmentUploadRows(upload_id, checked.dump(), counts.errors, counts.unmatched));
  upload->rows = checked.dump();
  upload->error_count = counts.errors;
  upload->unmatched_count = counts.unmatched;
  return *upload;
}

Result<storage::DepartmentUpload> DepartmentIntake::CommitChecked(const storage::DepartmentUpload& upload,
                                                                  const json& checked, const storage::FullSync& sync) {
  auto counts = CountChecked(checked);
  if (counts.errors > 0 || counts.unmatched > 0) {
    std::vector<core::FieldError> blocking;
    for (const auto& row : checked["rows"]) {
      if (row.value("skipped", false)) continue;
      std::string at = fmt::format("rows[{}]", row["row"].get<int>());
      for (const auto& e : row["errors"]) {
        std::string column = e["column"].get<std::string>();
        blocking.push_back({at, (column.empty() ? "" : "列 " + column + "：") + e["message"].get<std::string>()});
      }
      if (row["errors"].empty() && row["enterprise_id"].is_null()) blocking.push_back({at, "未匹配到企业"});
    }
    return Status::Conflict(
        fmt::format("{} 行有错误、{} 行未匹配企业；整份文件未入库", counts.errors, counts.unmatched),
        std::move(blocking));
  }
  std::vector<storage::DepartmentRecord> records;
  for (const auto& row : checked["rows"]) {
    if (row.value("skipped", false)) continue;
    records.push_back({.task_code = upload.task_code,
                       .task_version = upload.task_version,
                       .enterprise_id = row["enterprise_id"].get<std::int64_t>(),
                       .period = row["period"].get<std::string>(),
                       .row_number = row["row"].get<int>(),
                       .data = row["values"].dump()});
  }
  KILN_RETURN_IF_ERROR(store_.CommitDepartmentUpload(upload.id, records, clock_.Now(), sync));
  auto committed = store_.GetDepartmentUpload(upload.id, false);
  if (!committed.ok()) return committed.status();
  return **committed;
}

Result<storage::DepartmentUpload> DepartmentIntake::Commit(const Deliverer& who, std::int64_t upload_id) {
  auto upload = OwnUpload(who, upload_id, false);
  if (!upload.ok()) return upload.status();
  if (upload->status != "preview")
    return Status::Conflict("the upload is no longer in preview", {{"status", "is " + upload->status}});
  return CommitChecked(*upload, json::parse(upload->rows), {});
}

core::Status DepartmentIntake::Discard(const Deliverer& who, std::int64_t upload_id) {
  auto upload = OwnUpload(who, upload_id, false);
  if (!upload.ok()) return upload.status();
  return store_.DiscardDepartmentUpload(upload_id);
}

Result<storage::DepartmentUpload> DepartmentIntake::Push(const Deliverer& who, const std::string& task_code,
                                                         const std::string& body, const std::string& sm3) {
  auto task = CurrentTask(task_code);
  if (!task.ok()) return task.status();
  if (task->department != who.department) return Status::NotFound("no collection task " + task_code);
  if (!task->active) return Status::Conflict(fmt::format("collection task {} is no longer active", task_code));
  auto parsed = core::ParseJsonInput(body, {.max_bytes = kMaxDeliveryBytes, .max_depth = 8});
  if (!parsed.ok()) return parsed.status();
  json doc = std::move(parsed).value();
  if (!doc.is_object()) return Status::InvalidArgument("malformed JSON", {{"body", "must be a JSON object"}});
  for (const auto& [key, _] : doc.items()) {
    if (key != "sync" && key != "rows") return Status::InvalidArgument("invalid push", {{key, "unknown field"}});
  }
  if (doc.contains("sync") && !doc["sync"].is_string()) {
    return Status::InvalidArgument("invalid push", {{"sync", "must be incremental or full"}});
  }
  std::string sync = doc.value("sync", "incremental");
  if (sync != "incremental" && sync != "full") {
    return Status::InvalidArgument("invalid push", {{"sync", "must be incremental or full"}});
  }
  if (!doc.contains("rows") || !doc["rows"].is_array() || doc["rows"].empty()) {
    return Status::InvalidArgument("invalid push", {{"rows", "must be a non-empty array"}});
  }
  if (doc["rows"].size() > kMaxDeliveryRows) {
    return Status::InvalidArgument("invalid push",
                                   {{"rows", fmt::format("at most {} rows per request", kMaxDeliveryRows)}});
  }
  // The rows become a table with the task's own headers, so a push is checked exactly like a file.
  Table table;
  std::vector<std::string> header = {"统一社会信用代码", "企业名称", "期间"};
  for (const auto& f : task->fields) header.push_back(f.key);
  table.push_back(header);
  for (std::size_t i = 0; i < doc["rows"].size(); ++i) {
    const auto& r = doc["rows"][i];
    if (!r.is_object())
      return Status::InvalidArgument("invalid push", {{fmt::format("rows[{}]", i), "must be an object"}});
    std::vector<std::string> cells = {CellText(r.value("credit_code", json())), CellText(r.value("name", json())),
                                      CellText(r.value("period", json()))};
    json values = r.value("values", json::object());
    for (const auto& f : task->fields) cells.push_back(values.is_object() ? CellText(values.value(f.key, json())) : "");
    table.push_back(std::move(cells));
  }
  auto matcher = MatcherFor(store_, who.region);
  if (!matcher.ok()) return matcher.status();
  auto checked = CheckTable(*task, table, *matcher);
  if (!checked.ok()) return checked.status();
  // Rows are numbered from 0 as in the request, not as spreadsheet lines.
  for (auto& row : (*checked)["rows"]) row["row"] = row["row"].get<int>() - 2;
  auto counts = CountChecked(*checked);
  if (counts.errors > 0 || counts.unmatched > 0) {
    std::vector<core::FieldError> problems;
    for (const auto& row : (*checked)["rows"]) {
      std::string at = fmt::format("rows[{}]", row["row"].get<int>());
      for (const auto& e : row["errors"]) {
        problems.push_back({at + "." + e["field"].get<std::string>(), e["message"].get<std::string>()});
      }
      if (row["errors"].empty() && row["enterprise_id"].is_null()) {
        problems.push_back({at + ".credit_code", "未匹配到管辖范围内的企业"});
      }
    }
    return Status::InvalidArgument(
        fmt::format("{} rows with errors, {} unmatched; nothing was stored", counts.errors, counts.unmatched),
        std::move(problems));
  }
  auto stored = Store(who, *task, {"api-push.json", body, sm3}, "api", *checked);
  if (!stored.ok()) return stored.status();
  storage::FullSync full;
  if (sync == "full") {
    std::set<std::string> periods;
    for (const auto& row : (*checked)["rows"]) periods.insert(row["period"].get<std::string>());
    full = {{periods.begin(), periods.end()}, core::RegionPrefix(who.region)};
  }
  return CommitChecked(*stored, *checked, full);
}

}  // namespace kiln::ingest
