// The Store over SQL, shared by the SQLite and PostgreSQL backends.

#include <atomic>
#include <filesystem>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <set>

#include "storage/migrations.hpp"
#include "storage/sql_meter.hpp"
#include "storage/sql_departments.hpp"
#include "storage/sql_identity.hpp"
#include "storage/sql_reference.hpp"
#include "storage/sql_reports.hpp"
#include "storage/sql_targets.hpp"
#include "storage/sql_reviews.hpp"
#include "storage/sql_inspections.hpp"
#include "storage/sql_upgrades.hpp"
#include "storage/sql_violations.hpp"
#include "storage/sql_warnings.hpp"
#include "storage/store.hpp"

namespace kiln::storage {
namespace {

using core::Record;
using core::RecordSchema;
using core::Result;
using core::Status;
using core::Value;

// Booleans are stored as 0/1 integers in both dialects.
Value ToSql(const Value& v) {
  if (auto* b = std::get_if<bool>(&v)) return static_cast<std::int64_t>(*b ? 1 : 0);
  return v;
}

std::string ColumnList(const RecordSchema& schema) {
  std::string out;
  for (const auto& f : schema.fields) out += (out.empty() ? "" : ", ") + f.name;
  return out;
}

Record RowToRecord(const SqlResult& result, const SqlRow& row) {
  Record r;
  for (size_t c = 0; c < result.columns.size(); ++c) r[result.columns[c]] = row[c];
  return r;
}

// The field a unique-key violation is about, for the error detail.
std::string UniqueFieldOf(const RecordSchema& schema) {
  if (schema.table == "enterprises") return "uscc";
  if (schema.table == "metering_points") return "code";
  return "id";
}

Status MapWriteError(const Status& status, const RecordSchema& schema, const Record& record) {
  if (status.code() == core::StatusCode::kConflict) {
    std::string field = UniqueFieldOf(schema);
    auto it = record.find(field);
    std::string value = it == record.end() ? "" : core::ValueToText(it->second);
    return Status::Conflict(fmt::format("a {} with {} {} already exists", schema.kind, field, value),
                            {{field, "already exists"}});
  }
  if (status.code() == core::StatusCode::kInvalidArgument) {
    return Status::InvalidArgument(fmt::format("{} refers to a record that does not exist", schema.kind));
  }
  return status;
}

nlohmann::json ChangesToJson(const std::vector<FieldChange>& changes) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : changes) {
    out.push_back(
        {{"field", c.field}, {"old", core::ValueToJson(c.old_value)}, {"new", core::ValueToJson(c.new_value)}});
  }
  return out;
}

std::vector<FieldChange> ChangesFromJson(const std::string& text) {
  std::vector<FieldChange> out;
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  auto to_value = [](const nlohmann::json& v) -> Value {
    if (v.is_null()) return std::monostate{};
    if (v.is_boolean()) return v.get<bool>();
    if (v.is_number_integer()) return v.get<std::int64_t>();
    if (v.is_number()) return v.get<double>();
    if (v.is_string()) return v.get<std::string>();
    return v.dump();
  };
  for (const auto& c : j) out.push_back({c.value("field", ""), to_value(c["old"]), to_value(c["new"])});
  return out;
}

class SqlStore final : public Store {
 public:
  explicit SqlStore(std::unique_ptr<Database> db)
      : db_(std::move(db)),
        meter_(*db_),
        reports_(*db_),
        departments_(*db_),
        identity_(*db_),
        reference_(*db_),
        warnings_(*db_),
        targets_(*db_),
        reviews_(*db_),
        violations_(*db_),
        upgrades_(*db_),
        inspections_(*db_) {}

  core::Status AddCollectionTasksIfAbsent(const std::vector<core::CollectionTask>& tasks) override {
    return departments_.AddCollectionTasksIfAbsent(tasks);
  }
  core::Result<std::vector<core::CollectionTask>> ListCollectionTasks() override {
    return departments_.ListCollectionTasks();
  }
  core::Result<core::CollectionTask> AddCollectionTaskVersion(core::CollectionTask task) override {
    return departments_.AddCollectionTaskVersion(task);
  }
  core::Result<std::int64_t> CreateDepartmentUpload(const DepartmentUpload& upload) override {
    return departments_.CreateDepartmentUpload(upload);
  }
  core::Result<std::optional<DepartmentUpload>> GetDepartmentUpload(std::int64_t id, bool with_original) override {
    return departments_.GetDepartmentUpload(id, with_original);
  }
  core::Result<std::vector<DepartmentUpload>> ListDepartmentUploads(const std::string& department,
                                                                    const std::string& region_prefix,
                                                                    const std::string& task_code, int limit) override {
    return departments_.ListDepartmentUploads(department, region_prefix, task_code, limit);
  }
  core::Status UpdateDepartmentUploadRows(std::int64_t id, const std::string& rows, std::int64_t error_count,
                                          std::int64_t unmatched_count) override {
    return departments_.UpdateDepartmentUploadRows(id, rows, error_count, unmatched_count);
  }
  core::Status CommitDepartmentUpload(std::int64_t id, const std::vector<DepartmentRecord>& records,
                                      core::UnixMillis at, const FullSync& full_sync) override {
    return departments_.CommitDepartmentUpload(id, records, at, full_sync);
  }
  core::Status DiscardDepartmentUpload(std::int64_t id) override { return departments_.DiscardDepartmentUpload(id); }
  core::Result<std::vector<DepartmentRecord>> ListDepartmentRecords(std::int64_t enterprise_id,
                                                                    const std::string& task_code,
                                                                    bool with_superseded) override {
    return departments_.ListDepartmentRecords(enterprise_id, task_code, with_superseded);
  }
  core::Result<std::vector<DepartmentRecord>> DepartmentRecordsFor(const std::vector<std::string>& task_codes,
                                                                   std::optional<std::int64_t> enterprise_id,
                                                                   const std::string& period_from,
                                                                   const std::string& period_to) override {
    return departments_.DepartmentRecordsFor(task_codes, enterprise_id, period_from, period_to);
  }
  core::Result<std::vector<EnterpriseIdentity>> EnterpriseIdentities(const std::string& region_prefix) override {
    return departments_.EnterpriseIdentities(region_prefix);
  }
  core::Status CreateDepartmentKey(const DepartmentKey& key) override { return departments_.CreateDepartmentKey(key); }
  core::Result<std::optional<DepartmentKey>> FindDepartmentKey(const std::string& key_id) override {
    return departments_.FindDepartmentKey(key_id);
  }
  core::Result<std::vector<DepartmentKey>> ListDepartmentKeys(const std::string& department) override {
    return departments_.ListDepartmentKeys(department);
  }
  core::Status RevokeDepartmentKey(const std::string& key_id) override {
    return departments_.RevokeDepartmentKey(key_id);
  }

  // Meter data: see sql_meter.cpp.
  // Reports.
  Result<std::optional<Report>> FindReport(std::int64_t enterprise_id, const std::string& kind,
                                           const std::string& period) override {
    return reports_.FindReport(enterprise_id, kind, period);
  }
  Result<std::optional<Report>> GetReport(std::int64_t id) override { return reports_.GetReport(id); }
  Result<Report> SaveReportDraft(const Report& report, const std::optional<ReportAction>& action) override {
    return reports_.SaveReportDraft(report, action);
  }
  Result<Report> TransitionReport(std::int64_t id, const std::string& from, const std::string& to,
                                  const ReportAction& action, const std::optional<ReportVersion>& version) override {
    return reports_.TransitionReport(id, from, to, action, version);
  }
  Result<std::vector<ReportVersion>> ReportVersions(std::int64_t id) override { return reports_.ReportVersions(id); }
  Result<std::vector<ReportAction>> ReportActions(std::int64_t id) override { return reports_.ReportActions(id); }
  Result<std::pair<std::vector<Report>, std::int64_t>> ListReports(const ReportListQuery& query) override {
    return reports_.ListReports(query);
  }
  Result<std::vector<ReportStanding>> ReportStandings(const std::string& region_prefix,
                                                      std::optional<std::int64_t> enterprise_id,
                                                      const std::string& kind, const std::string& period) override {
    return reports_.ReportStandings(region_prefix, enterprise_id, kind, period);
  }

  Status CreateMachineKey(const MachineKey& key) override { return meter_.CreateMachineKey(key); }
  Result<std::optional<MachineKey>> FindMachineKey(const std::string& key_id) override {
    return meter_.FindMachineKey(key_id);
  }
  Result<std::vector<MachineKey>> ListMachineKeys(std::int64_t enterprise_id) override {
    return meter_.ListMachineKeys(enterprise_id);
  }
  Status RevokeMachineKey(const std::string& key_id) override { return meter_.RevokeMachineKey(key_id); }
  Status RememberNonce(const std::string& key_id, const std::string& nonce, core::UnixMillis at) override {
    return meter_.RememberNonce(key_id, nonce, at);
  }
  Status ForgetNoncesBefore(core::UnixMillis before) override { return meter_.ForgetNoncesBefore(before); }
  Result<bool> NonceSeen(const std::string& key_id, const std::string& nonce) override {
    return meter_.NonceSeen(key_id, nonce);
  }
  Result<std::vector<PointInfo>> PointsOfEnterprise(std::int64_t enterprise_id) override {
    return meter_.PointsOfEnterprise(enterprise_id);
  }
  Result<std::vector<PointInfo>> AllPoints() override { return meter_.AllPoints(); }
  Status SyncCommitted() override { return meter_.SyncCommitted(); }
  Status WriteTransaction(const std::function<Status(MeterWriteTx&)>& work, bool defer_sync) override {
    return meter_.WriteTransaction(work, defer_sync);
  }
  Result<std::vector<StoredReading>> Readings(std::int64_t point_id, core::UnixMillis from,
                                              core::UnixMillis to) override {
    return meter_.Readings(point_id, from, to);
  }
  Result<std::vector<core::ConsumptionInterval>> Intervals(std::int64_t point_id, core::UnixMillis from,
                                                           core::UnixMillis to) override {
    return meter_.Intervals(point_id, from, to);
  }
  Result<std::vector<Rollup>> Rollups(std::int64_t point_id, RollupPeriod period, core::UnixMillis from,
                                      core::UnixMillis to) override {
    return meter_.Rollups(point_id, period, from, to);
  }
  Result<std::int64_t> CountReadings() override { return meter_.CountReadings(); }
  Result<std::map<std::int64_t, StoredReading>> LatestReadings() override { return meter_.LatestReadings(); }
  Result<std::map<std::int64_t, core::UnixMillis>> LastSampleTimes() override { return meter_.LastSampleTimes(); }
  Result<std::vector<EnterpriseDayCompleteness>> DayCompletenessByEnterprise(core::UnixMillis day_start) override {
    return meter_.DayCompletenessByEnterprise(day_start);
  }
  Result<std::vector<HourSummary>> HourSummaries(std::int64_t point_id, core::UnixMillis from,
                                                 core::UnixMillis to) override {
    return meter_.HourSummaries(point_id, from, to);
  }
  Result<std::vector<EnergyRow>> EnergyTotals(const EnergyQuery& query) override { return meter_.EnergyTotals(query); }
  Result<std::vector<PointCompleteness>> IncompletePoints(const std::string& region_prefix,
                                                          std::optional<std::int64_t> enterprise_id,
                                                          core::UnixMillis day_start, std::int64_t elapsed_s,
                                                          double below) override {
    return meter_.IncompletePoints(region_prefix, enterprise_id, day_start, elapsed_s, below);
  }
  Result<std::pair<double, double>> DayCompleteness(const std::string& region_prefix,
                                                    std::optional<std::int64_t> enterprise_id,
                                                    core::UnixMillis day_start, std::int64_t elapsed_s) override {
    return meter_.DayCompleteness(region_prefix, enterprise_id, day_start, elapsed_s);
  }

  Dialect dialect() const override { return db_->dialect(); }

  WarningStore& warnings() override { return warnings_; }
  TargetStore& targets() override { return targets_; }
  ReviewStore& reviews() override { return reviews_; }
  ViolationStore& violations() override { return violations_; }
  UpgradeStore& upgrades() override { return upgrades_; }
  InspectionStore& inspections() override { return inspections_; }

  Result<std::vector<int>> Migrate() override {
    auto conn = db_->Writer();
    if (!conn.ok()) return conn.status();
    bool pg = dialect() == Dialect::kPostgres;
    // Several nodes may start at once against one PostgreSQL; one migrates.
    if (pg) KILN_RETURN_IF_ERROR((*conn)->Exec("SELECT pg_advisory_lock(727274)"));
    auto applied = MigrateLocked(**conn);
    if (pg) (void)(*conn)->Exec("SELECT pg_advisory_unlock(727274)");
    return applied;
  }

  Result<int> SchemaVersion() override {
    auto conn = db_->Reader();
    if (!conn.ok()) return conn.status();
    auto r = (*conn)->Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (!r.ok()) return r.status();
    return static_cast<int>(AsInt(r->rows[0][0]));
  }

  Status Ping() override {
    auto conn = db_->Reader();
    if (!conn.ok()) return conn.status();
    return (*conn)->Exec("SELECT 1");
  }

  std::vector<std::pair<std::string, PoolStats>> PoolStatistics() const override { return db_->Stats(); }

  // Reference data (sql_reference.cpp).
  Status UpsertRegions(const std::vector<Region>& regions) override { return reference_.UpsertRegions(regions); }
  Result<std::vector<Region>> ListRegions() override { return reference_.ListRegions(); }
  Result<std::optional<Region>> GetRegion(const std::string& code) override { return reference_.GetRegion(code); }
  Status AddIndustriesIfAbsent(const std::vector<Industry>& industries) override {
    return reference_.AddIndustriesIfAbsent(industries);
  }
  Result<std::vector<Industry>> ListIndustries() override { return reference_.ListIndustries(); }
  Status UpsertDepartments(const std::vector<Department>& departments) override {
    return reference_.UpsertDepartments(departments);
  }
  Status AddReferenceItemsIfAbsent(const std::vector<ReferenceItem>& items) override {
    return reference_.AddReferenceItemsIfAbsent(items);
  }
  Result<ReferenceItem> AddReferenceItemVersion(ReferenceItem item) override {
    return reference_.AddReferenceItemVersion(std::move(item));
  }
  Result<std::vector<ReferenceItem>> ListReferenceItems(const std::string& list) override {
    return reference_.ListReferenceItems(list);
  }
  Result<std::vector<Department>> ListDepartments() override { return reference_.ListDepartments(); }
  Status AddConversionFactorsIfAbsent(const std::vector<core::ConversionFactor>& factors) override {
    return reference_.AddConversionFactorsIfAbsent(factors);
  }
  Result<std::vector<core::ConversionFactor>> ListConversionFactors() override {
    return reference_.ListConversionFactors();
  }
  Result<core::ConversionFactor> AddConversionFactorVersion(core::ConversionFactor factor) override {
    return reference_.AddConversionFactorVersion(std::move(factor));
  }
  Status AddCo2FactorsIfAbsent(const std::vector<core::Co2Factor>& factors) override {
    return reference_.AddCo2FactorsIfAbsent(factors);
  }
  Result<std::vector<core::Co2Factor>> ListCo2Factors() override { return reference_.ListCo2Factors(); }
  Result<core::Co2Factor> AddCo2FactorVersion(core::Co2Factor factor) override {
    return reference_.AddCo2FactorVersion(std::move(factor));
  }
  Status AddEfficiencyLevelsIfAbsent(const std::vector<core::EfficiencyLevel>& levels) override {
    return reference_.AddEfficiencyLevelsIfAbsent(levels);
  }
  Result<core::EfficiencyLevel> AddEfficiencyLevelVersion(core::EfficiencyLevel level) override {
    return reference_.AddEfficiencyLevelVersion(std::move(level));
  }
  Result<std::vector<core::EfficiencyLevel>> ListEfficiencyLevels() override {
    return reference_.ListEfficiencyLevels();
  }

  Result<Record> GetRecord(const RecordSchema& schema, std::int64_t id) override {
    auto conn = db_->Reader();
    if (!conn.ok()) return conn.status();
    return GetRecordOn(**conn, schema, id, false);
  }

  Result<Page> ListRecords(const RecordSchema& schema, const ListQuery& q) override {
    Page page;
    if (q.match_nothing) return page;
    std::string where = " WHERE 1=1";
    std::vector<Value> params;
    if (!q.region_prefix.empty()) {
      if (schema.Find("region")) {
        where += " AND region LIKE ?";
      } else {
        where += " AND enterprise_id IN (SELECT id FROM enterprises WHERE region LIKE ?)";
      }
      params.emplace_back(q.region_prefix + "%");
    }
    if (q.enterprise_id) {
      where += schema.table == "enterprises" ? " AND id = ?" : " AND enterprise_id = ?";
      params.emplace_back(*q.enterprise_id);
    }
    for (const auto& [field, value] : q.equals) {
      if (!schema.Find(field))
        return Status::InvalidArgument(fmt::format("cannot filter {} by {}", schema.kind, field));
      where += " AND " + field + " = ?";
      params.push_back(ToSql(value));
    }
    if (!q.text.empty() && !q.text_fields.empty()) {
      std::string any;
      for (const auto& f : q.text_fields) {
        any += (any.empty() ? "" : " OR ") + f + " LIKE ? ESCAPE '\\'";
        params.emplace_back("%" + EscapeLike(q.text) + "%");
      }
      where += " AND (" + any + ")";
    }
    const core::FieldSpec* sort = schema.Find(q.sort_field);
    if (!sort || !sort->sortable) {
      return Status::InvalidArgument(fmt::format("cannot sort {} by {}", schema.kind, q.sort_field),
                                     {{"sort", "not a sortable field"}});
    }
    auto conn = db_->Reader();
    if (!conn.ok()) return conn.status();
    auto count = (*conn)->Query("SELECT COUNT(*) FROM " + schema.table + where, params);
    if (!count.ok()) return count.status();
    page.total = AsInt(count->rows[0][0]);
    std::string sql = "SELECT " + ColumnList(schema) + " FROM " + schema.table + where + " ORDER BY " + sort->name +
                      (q.sort_descending ? " DESC" : " ASC") + ", id ASC LIMIT ? OFFSET ?";
    params.emplace_back(static_cast<std::int64_t>(q.page_size));
    params.emplace_back(static_cast<std::int64_t>(q.page - 1) * q.page_size);
    auto rows = (*conn)->Query(sql, params);
    if (!rows.ok()) return rows.status();
    page.items.reserve(rows->rows.size());
    for (const auto& row : rows->rows) page.items.push_back(RowToRecord(*rows, row));
    return page;
  }

  Result<Record> CreateRecord(const RecordSchema& schema, Record record, const Actor& actor,
                              core::UnixMillis now) override {
    auto conn = db_->Writer();
    if (!conn.ok()) return conn.status();
    Transaction tx(**conn, dialect());
    KILN_RETURN_IF_ERROR(tx.begun());
    auto id = InsertRecord(**conn, schema, record, actor, now);
    if (!id.ok()) return id.status();
    auto stored = GetRecordOn(**conn, schema, *id, false);
    if (!stored.ok()) return stored.status();
    KILN_RETURN_IF_ERROR(tx.Commit());
    ++record_writes_;
    return stored;
  }

  Result<std::vector<std::int64_t>> CreateRecords(const RecordSchema& schema, std::vector<Record> records,
                                                  const Actor& actor, core::UnixMillis now) override {
    auto conn = db_->Writer();
    if (!conn.ok()) return conn.status();
    Transaction tx(**conn, dialect());
    KILN_RETURN_IF_ERROR(tx.begun());
    std::vector<std::int64_t> ids;
    ids.reserve(records.size());
    for (size_t i = 0; i < records.size(); ++i) {
      auto id = InsertRecord(**conn, schema, records[i], actor, now);
      if (!id.ok()) return id.status().WithContext(fmt::format("{} #{}", schema.kind, i + 1));
      ids.push_back(*id);
    }
    KILN_RETURN_IF_ERROR(tx.Commit());
    ++record_writes_;
    return ids;
  }

  Result<Record> UpdateRecord(const RecordSchema& schema, std::int64_t id, const Record& patch, const Actor& actor,
                              core::UnixMillis now) override {
    auto conn = db_->Writer();
    if (!conn.ok()) return conn.status();
    Transaction tx(**conn, dialect());
    KILN_RETURN_IF_ERROR(tx.begun());
    auto existing = GetRecordOn(**conn, schema, id, true);
    if (!existing.ok()) return existing.status();
    std::vector<FieldChange> changes;
    std::string assignments;
    std::vector<Value> params;
    for (const auto& [field, value] : patch) {
      const auto* spec = schema.Find(field);
      if (!spec || spec->read_only) continue;
      auto old = existing->find(field);
      Value old_value = old == existing->end() ? Value() : old->second;
      if (core::SameValue(old_value, value)) continue;
      if (spec->type == core::FieldType::kBool && std::holds_alternative<std::int64_t>(old_value)) {
        old_value = std::get<std::int64_t>(old_value) != 0;
      }
      changes.push_back({field, old_value, value});
      assignments += field + " = ?, ";
      params.push_back(ToSql(value));
    }
    if (changes.empty()) return existing;
    assignments += "updated_at = ?";
    params.emplace_back(now);
    params.emplace_back(id);
    auto updated = (*conn)->Exec("UPDATE " + schema.table + " SET " + assignments + " WHERE id = ?", params);
    if (!updated.ok()) return MapWriteError(updated, schema, patch);
    KILN_RETURN_IF_ERROR(AppendHistory(**conn, schema, id, actor, "update", changes, now));
    auto stored = GetRecordOn(**conn, schema, id, false);
    if (!stored.ok()) return stored.status();
    KILN_RETURN_IF_ERROR(tx.Commit());
    ++record_writes_;
    return stored;
  }

  std::uint64_t RecordWrites() const override { return record_writes_.load(); }

  Result<std::vector<HistoryEntry>> History(const RecordSchema& schema, std::int64_t id) override {
    return ReadAll<HistoryEntry>(
        *db_,
        "SELECT id, at, actor, action, changes FROM record_history WHERE kind = ? AND record_id = ? ORDER BY id DESC",
        {schema.table, id}, [](const SqlRow& r) {
          return HistoryEntry{AsInt(r[0]), AsInt(r[1]), AsText(r[2]), AsText(r[3]), ChangesFromJson(AsText(r[4]))};
        });
  }

  Result<std::optional<std::int64_t>> EnterpriseIdByCreditCode(const std::string& uscc) override {
    auto ids = ReadAll<std::int64_t>(*db_, "SELECT id FROM enterprises WHERE uscc = ?", {uscc},
                                     [](const SqlRow& r) { return AsInt(r[0]); });
    if (!ids.ok()) return ids.status();
    if (ids->empty()) return std::optional<std::int64_t>();
    return std::optional<std::int64_t>(ids->front());
  }

  Result<std::int64_t> CountRecords(const RecordSchema& schema) override {
    auto n = ReadAll<std::int64_t>(*db_, "SELECT COUNT(*) FROM " + schema.table, {},
                                   [](const SqlRow& r) { return AsInt(r[0]); });
    if (!n.ok()) return n.status();
    return n->front();
  }

  // Nodes sharing the store (sql_meter.cpp).
  Status Heartbeat(const std::string& node, const std::string& instance, core::UnixMillis at) override {
    return meter_.Heartbeat(node, instance, at);
  }
  Result<std::vector<NodeBeat>> NodeBeats() override { return meter_.NodeBeats(); }
  Result<std::optional<std::string>> OwnerOf(std::int64_t enterprise_id) override {
    return meter_.OwnerOf(enterprise_id);
  }
  Result<std::set<std::int64_t>> OwnedBy(const std::string& node) override { return meter_.OwnedBy(node); }
  Status RequestHandover(std::int64_t enterprise_id, const std::string& to_node) override {
    return meter_.RequestHandover(enterprise_id, to_node);
  }
  Result<std::vector<std::pair<std::int64_t, std::string>>> HandoversFrom(const std::string& node) override {
    return meter_.HandoversFrom(node);
  }
  Result<std::vector<std::pair<std::string, std::int64_t>>> JournaledElsewhere(const std::string& node) override {
    return meter_.JournaledElsewhere(node);
  }

  // Identity: users, sessions, password grants, audit (sql_identity.cpp).
  Result<User> CreateUser(User u) override { return identity_.CreateUser(std::move(u)); }
  Result<std::optional<User>> FindUser(const std::string& username) override { return identity_.FindUser(username); }
  Result<std::optional<User>> GetUser(std::int64_t id) override { return identity_.GetUser(id); }
  Result<std::vector<User>> ListUsers(const UserFilter& f) override { return identity_.ListUsers(f); }
  Result<bool> CountLoginFailure(std::int64_t user_id, int threshold, core::UnixMillis lock_until) override {
    return identity_.CountLoginFailure(user_id, threshold, lock_until);
  }
  Status ClearLoginFailures(std::int64_t user_id) override { return identity_.ClearLoginFailures(user_id); }
  Status SetPassword(std::int64_t user_id, const std::string& hash, const std::string& salt, std::int64_t iterations,
                     core::UnixMillis changed_at, bool must_change) override {
    return identity_.SetPassword(user_id, hash, salt, iterations, changed_at, must_change);
  }
  Status SetUserPermissions(std::int64_t user_id, const std::string& permissions) override {
    return identity_.SetUserPermissions(user_id, permissions);
  }
  Status SetUserDisabled(std::int64_t user_id, bool disabled) override {
    return identity_.SetUserDisabled(user_id, disabled);
  }
  Status RecordPasswordGrant(const PasswordGrant& grant) override { return identity_.RecordPasswordGrant(grant); }
  Result<std::vector<PasswordGrant>> PasswordGrantsBy(std::int64_t granted_by_user_id,
                                                      core::UnixMillis since) override {
    return identity_.PasswordGrantsBy(granted_by_user_id, since);
  }
  Status CreateSession(const Session& s) override { return identity_.CreateSession(s); }
  Result<std::optional<Session>> FindSession(const std::string& token_hash) override {
    return identity_.FindSession(token_hash);
  }
  Status TouchSession(const std::string& token_hash, core::UnixMillis at) override {
    return identity_.TouchSession(token_hash, at);
  }
  Status RevokeSession(const std::string& token_hash) override { return identity_.RevokeSession(token_hash); }
  Status RevokeUserSessions(std::int64_t user_id, const std::string& keep_token_hash) override {
    return identity_.RevokeUserSessions(user_id, keep_token_hash);
  }
  Result<std::int64_t> PurgeSessions(core::UnixMillis now, core::UnixMillis idle_before) override {
    return identity_.PurgeSessions(now, idle_before);
  }
  Status AppendAudit(AuditEntry e,
                     const std::function<std::string(const std::string&, const AuditEntry&)>& compute_hash) override {
    return identity_.AppendAudit(std::move(e), compute_hash);
  }
  Result<std::vector<AuditEntry>> ListAudit(const AuditFilter& f) override { return identity_.ListAudit(f); }

 private:
  Result<std::vector<int>> MigrateLocked(Connection& conn) {
    KILN_RETURN_IF_ERROR(
        conn.Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                  "applied_at BIGINT NOT NULL)"));
    auto done = conn.Query("SELECT version FROM schema_migrations");
    if (!done.ok()) return done.status();
    std::set<int> applied_versions;
    for (const auto& r : done->rows) applied_versions.insert(static_cast<int>(AsInt(r[0])));
    std::vector<int> applied;
    for (const auto& m : Migrations()) {
      if (applied_versions.contains(m.version)) continue;
      Transaction tx(conn, dialect());
      KILN_RETURN_IF_ERROR(tx.begun());
      KILN_RETURN_IF_ERROR(
          conn.ExecScript(RenderMigration(m.sql, dialect())).WithContext(fmt::format("migration {}", m.version)));
      if (m.version == 13) KILN_RETURN_IF_ERROR(MoveReadingsIntoBlocks(conn).WithContext("migration 13"));
      KILN_RETURN_IF_ERROR(conn.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                                     {static_cast<std::int64_t>(m.version), m.name, core::SystemClock().Now()}));
      KILN_RETURN_IF_ERROR(tx.Commit());
      applied.push_back(m.version);
    }
    return applied;
  }

  Result<Record> GetRecordOn(Connection& conn, const RecordSchema& schema, std::int64_t id, bool for_update) {
    std::string sql = "SELECT " + ColumnList(schema) + " FROM " + schema.table + " WHERE id = ?";
    if (for_update && dialect() == Dialect::kPostgres) sql += " FOR UPDATE";
    auto r = conn.Query(sql, {id});
    if (!r.ok()) return r.status();
    if (r->rows.empty()) return Status::NotFound(fmt::format("{} {} not found", schema.kind, id));
    return RowToRecord(*r, r->rows[0]);
  }

  Result<std::int64_t> InsertRecord(Connection& conn, const RecordSchema& schema, Record& record, const Actor& actor,
                                    core::UnixMillis now) {
    record["created_at"] = now;
    record["updated_at"] = now;
    std::string columns, marks;
    std::vector<Value> params;
    std::vector<FieldChange> changes;
    for (const auto& f : schema.fields) {
      if (f.name == "id") continue;
      auto it = record.find(f.name);
      if (it == record.end()) continue;
      columns += (columns.empty() ? "" : ", ") + f.name;
      marks += marks.empty() ? "?" : ", ?";
      params.push_back(ToSql(it->second));
      if (!f.read_only && !core::IsNull(it->second)) changes.push_back({f.name, Value(), it->second});
    }
    auto r =
        conn.Query("INSERT INTO " + schema.table + " (" + columns + ") VALUES (" + marks + ") RETURNING id", params);
    if (!r.ok()) return MapWriteError(r.status(), schema, record);
    std::int64_t id = AsInt(r->rows[0][0]);
    KILN_RETURN_IF_ERROR(AppendHistory(conn, schema, id, actor, "create", changes, now));
    return id;
  }

  Status AppendHistory(Connection& conn, const RecordSchema& schema, std::int64_t id, const Actor& actor,
                       const char* action, const std::vector<FieldChange>& changes, core::UnixMillis now) {
    return conn.Exec(
        "INSERT INTO record_history (kind, record_id, at, actor, action, changes) VALUES (?, ?, ?, ?, ?, ?)",
        {schema.table, id, now, actor.username, action, ChangesToJson(changes).dump()});
  }

  std::unique_ptr<Database> db_;
  std::atomic<std::uint64_t> record_writes_{0};
  SqlMeter meter_;
  SqlReports reports_;
  SqlDepartments departments_;
  SqlIdentity identity_;
  SqlReference reference_;
  SqlWarnings warnings_;
  SqlTargets targets_;
  SqlReviews reviews_;
  SqlViolations violations_;
  SqlUpgrades upgrades_;
  SqlInspections inspections_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options) {
  std::unique_ptr<Database> db;
  if (!options.db_url.empty()) {
    auto opened = OpenPostgres({.url = options.db_url, .pool_size = options.pool_size});
    if (!opened.ok()) return opened.status();
    db = std::move(opened).value();
  } else {
    if (options.data_dir.empty()) return Status::InvalidArgument("either a data directory or a database URL is needed");
    std::error_code ec;
    std::filesystem::create_directories(options.data_dir, ec);
    if (ec)
      return Status::Unavailable(fmt::format("cannot create data directory {}: {}", options.data_dir, ec.message()));
    auto path = (std::filesystem::path(options.data_dir) / "kiln.db").string();
    auto opened = OpenSqlite({.path = path, .readers = std::max(2, options.pool_size)});
    if (!opened.ok()) return opened.status();
    db = std::move(opened).value();
  }
  auto store = std::make_unique<SqlStore>(std::move(db));
  auto migrated = store->Migrate();
  if (!migrated.ok()) return migrated.status().WithContext("migrating the store");
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace kiln::storage
