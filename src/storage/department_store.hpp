#pragma once
// Department data (R-IN3): collection tasks and their versions, uploads kept
// with their original file and checked rows, the records committed from them,
// and departments' machine credentials.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/china_time.hpp"
#include "core/collection_task.hpp"
#include "core/status.hpp"

namespace kiln::storage {

struct DepartmentUpload {
  std::int64_t id = 0;
  std::string task_code;
  int task_version = 0;
  std::string department, region;  // the uploader's department and jurisdiction
  std::string filename, format;  // format: xlsx, csv, api
  std::int64_t size = 0;
  std::string sm3;  // hex digest of the original
  std::string original;  // the bytes as received (only when asked for)
  std::string rows;  // JSON: the checked rows, their errors and matches
  std::string status;  // preview, committed, discarded
  std::string uploaded_by;
  core::UnixMillis uploaded_at = 0;
  std::optional<core::UnixMillis> committed_at;
  std::int64_t row_count = 0, error_count = 0, unmatched_count = 0;
};

struct DepartmentRecord {
  std::int64_t id = 0;
  std::string task_code;
  int task_version = 0;
  std::int64_t enterprise_id = 0;
  std::string period;
  std::int64_t upload_id = 0;
  int row_number = 0;
  std::string data;  // JSON object: field key → value
  core::UnixMillis recorded_at = 0;
  bool superseded = false;
};

struct DepartmentKey {
  std::string key_id, department, region, secret;
  core::UnixMillis created_at = 0;
  std::string created_by;
  bool revoked = false;
};

// A full sync replaces, for each listed period, every current record of the
// task under the region, so enterprises missing from the delivery drop out.
struct FullSync {
  std::vector<std::string> periods;  // empty: an incremental delivery
  std::string region_prefix;
};

// An enterprise as matching needs it.
struct EnterpriseIdentity {
  std::int64_t id = 0;
  std::string uscc, name, region, industry;
};

class DepartmentStore {
 public:
  virtual ~DepartmentStore() = default;
  // Shipped tasks are added when absent; a stored task is never overwritten.
  virtual core::Status AddCollectionTasksIfAbsent(const std::vector<core::CollectionTask>& tasks) = 0;
  // Every version of every task, oldest first.
  virtual core::Result<std::vector<core::CollectionTask>> ListCollectionTasks() = 0;
  // Stores `task` as the next version of its code (version 1 for a new code).
  virtual core::Result<core::CollectionTask> AddCollectionTaskVersion(core::CollectionTask task) = 0;

  virtual core::Result<std::int64_t> CreateDepartmentUpload(const DepartmentUpload& upload) = 0;
  virtual core::Result<std::optional<DepartmentUpload>> GetDepartmentUpload(std::int64_t id, bool with_original) = 0;
  // Newest first; "" matches any department or task.
  virtual core::Result<std::vector<DepartmentUpload>> ListDepartmentUploads(const std::string& department,
                                                                            const std::string& region_prefix,
                                                                            const std::string& task_code,
                                                                            int limit) = 0;
  // Replaces the checked rows of an upload still in preview (kConflict otherwise).
  virtual core::Status UpdateDepartmentUploadRows(std::int64_t id, const std::string& rows, std::int64_t error_count,
                                                  std::int64_t unmatched_count) = 0;
  // All or nothing: marks the upload committed (kConflict unless in preview),
  // supersedes earlier records of the same task, enterprise and period (and,
  // for a full sync, every record of its periods under its region), and adds
  // `records`.
  virtual core::Status CommitDepartmentUpload(std::int64_t id, const std::vector<DepartmentRecord>& records,
                                              core::UnixMillis at, const FullSync& full_sync) = 0;
  virtual core::Status DiscardDepartmentUpload(std::int64_t id) = 0;
  // An enterprise's records, current ones only unless `with_superseded`; "" = every task.
  virtual core::Result<std::vector<DepartmentRecord>> ListDepartmentRecords(std::int64_t enterprise_id,
                                                                            const std::string& task_code,
                                                                            bool with_superseded) = 0;
  // Current records of the given tasks for every enterprise under a region, for periods in [from, to].
  virtual core::Result<std::vector<DepartmentRecord>> DepartmentRecordsFor(const std::vector<std::string>& task_codes,
                                                                           std::optional<std::int64_t> enterprise_id,
                                                                           const std::string& period_from,
                                                                           const std::string& period_to) = 0;
  virtual core::Result<std::vector<EnterpriseIdentity>> EnterpriseIdentities(const std::string& region_prefix) = 0;

  virtual core::Status CreateDepartmentKey(const DepartmentKey& key) = 0;
  virtual core::Result<std::optional<DepartmentKey>> FindDepartmentKey(const std::string& key_id) = 0;
  virtual core::Result<std::vector<DepartmentKey>> ListDepartmentKeys(const std::string& department) = 0;
  virtual core::Status RevokeDepartmentKey(const std::string& key_id) = 0;
};

}  // namespace kiln::storage
