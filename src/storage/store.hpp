#pragma once
// The Store is Kiln's one door to persistent state. Both backends (SQLite
// under --data DIR, PostgreSQL under --db URL) implement it through the same
// SQL (sql_store.cpp) and pass the same contract tests
// (tests/store_contract_test.cpp). No SQL exists outside this module.
//
// Thread-safety: every method may be called from any thread concurrently.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/china_time.hpp"
#include "core/carbon.hpp"
#include "core/conversion.hpp"
#include "core/efficiency.hpp"
#include "core/record.hpp"
#include "core/status.hpp"
#include "storage/database.hpp"
#include "storage/department_store.hpp"
#include "storage/identity_store.hpp"
#include "storage/meter_store.hpp"
#include "storage/reference_store.hpp"
#include "storage/report_store.hpp"
#include "storage/review_store.hpp"
#include "storage/inspection_store.hpp"
#include "storage/upgrade_store.hpp"
#include "storage/violation_store.hpp"
#include "storage/target_store.hpp"
#include "storage/warning_store.hpp"

namespace kiln::storage {

// Who made a change and from where, for history and audit.
struct Actor {
  std::string username;
  std::string address;
};

struct FieldChange {
  std::string field;
  core::Value old_value, new_value;
};

struct HistoryEntry {
  std::int64_t id = 0;
  core::UnixMillis at = 0;
  std::string actor;
  std::string action;  // "create" or "update"
  std::vector<FieldChange> changes;
};

// Which records a list may return and how to order and page them.
struct ListQuery {
  std::string region_prefix;  // keep records whose county code starts with this ("" = all)
  std::optional<std::int64_t> enterprise_id;  // keep only this enterprise's records
  std::vector<std::pair<std::string, core::Value>> equals;  // field = value filters
  std::string text;  // substring of any text_fields
  std::vector<std::string> text_fields;
  std::string sort_field = "id";  // must be a sortable field of the schema
  bool sort_descending = false;
  int page = 1;  // 1-based
  int page_size = 20;
  bool match_nothing = false;  // the caller's scope and the filter do not intersect
};

struct Page {
  std::vector<core::Record> items;
  std::int64_t total = 0;
};

class Store : public MeterStore,
              public ReportStore,
              public DepartmentStore,
              public IdentityStore,
              public ReferenceStore {
 public:
  ~Store() override = default;

  virtual Dialect dialect() const = 0;
  // Applies pending schema migrations; returns the versions applied.
  virtual core::Result<std::vector<int>> Migrate() = 0;
  virtual core::Result<int> SchemaVersion() = 0;
  // Store reachable and answering.
  virtual core::Status Ping() = 0;
  virtual std::vector<std::pair<std::string, PoolStats>> PoolStatistics() const = 0;

  // Registry records (enterprises, projects, metering points) by schema.
  // Writes keep a history entry per record in the same transaction.
  virtual core::Result<core::Record> GetRecord(const core::RecordSchema& schema, std::int64_t id) = 0;
  virtual core::Result<Page> ListRecords(const core::RecordSchema& schema, const ListQuery& query) = 0;
  // Inserts; kConflict naming the field when a unique key is taken.
  virtual core::Result<core::Record> CreateRecord(const core::RecordSchema& schema, core::Record record,
                                                  const Actor& actor, core::UnixMillis now) = 0;
  // Inserts many in one transaction (imports, demo data); all or nothing.
  virtual core::Result<std::vector<std::int64_t>> CreateRecords(const core::RecordSchema& schema,
                                                                std::vector<core::Record> records, const Actor& actor,
                                                                core::UnixMillis now) = 0;
  // Applies `patch` and records the fields that changed (old -> new).
  virtual core::Result<core::Record> UpdateRecord(const core::RecordSchema& schema, std::int64_t id,
                                                  const core::Record& patch, const Actor& actor,
                                                  core::UnixMillis now) = 0;
  virtual core::Result<std::vector<HistoryEntry>> History(const core::RecordSchema& schema, std::int64_t id) = 0;
  // Counts registry record writes committed through this store object, so
  // that caches of records (ingest's metering points) know when to reload.
  virtual std::uint64_t RecordWrites() const = 0;
  // Finds an enterprise id by credit code.
  virtual core::Result<std::optional<std::int64_t>> EnterpriseIdByCreditCode(const std::string& uscc) = 0;
  virtual core::Result<std::int64_t> CountRecords(const core::RecordSchema& schema) = 0;

  // Warnings, their thresholds and notifications.
  virtual WarningStore& warnings() = 0;
  // Control targets of regions.
  virtual TargetStore& targets() = 0;
  // Items filed for review in every flow.
  virtual ReviewStore& reviews() = 0;
  // Violating projects, their disposal and rectification.
  virtual ViolationStore& violations() = 0;
  // Energy-efficiency upgrade plans (一企一策).
  virtual UpgradeStore& upgrades() = 0;
  // Inspections: plans, teams, tasks, findings, indicator deductions.
  virtual InspectionStore& inspections() = 0;
};

struct StoreOptions {
  std::string data_dir;  // SQLite under DIR/kiln.db, or
  std::string db_url;  // PostgreSQL
  int pool_size = 8;
};

// Opens (creating when needed) and migrates the store.
core::Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options);

}  // namespace kiln::storage
