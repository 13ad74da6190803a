#pragma once
// DepartmentStore over the SQL layer; SqlStore forwards to it.

#include "storage/database.hpp"
#include "storage/department_store.hpp"

namespace kiln::storage {

class SqlDepartments {
 public:
  explicit SqlDepartments(Database& db) : db_(db) {}

  core::Status AddCollectionTasksIfAbsent(const std::vector<core::CollectionTask>& tasks);
  core::Result<std::vector<core::CollectionTask>> ListCollectionTasks();
  core::Result<core::CollectionTask> AddCollectionTaskVersion(core::CollectionTask task);
  core::Result<std::int64_t> CreateDepartmentUpload(const DepartmentUpload& upload);
  core::Result<std::optional<DepartmentUpload>> GetDepartmentUpload(std::int64_t id, bool with_original);
  core::Result<std::vector<DepartmentUpload>> ListDepartmentUploads(const std::string& department,
                                                                    const std::string& region_prefix,
                                                                    const std::string& task_code, int limit);
  core::Status UpdateDepartmentUploadRows(std::int64_t id, const std::string& rows, std::int64_t error_count,
                                          std::int64_t unmatched_count);
  core::Status CommitDepartmentUpload(std::int64_t id, const std::vector<DepartmentRecord>& records,
                                      core::UnixMillis at, const FullSync& full_sync);
  core::Status DiscardDepartmentUpload(std::int64_t id);
  core::Result<std::vector<DepartmentRecord>> ListDepartmentRecords(std::int64_t enterprise_id,
                                                                    const std::string& task_code, bool with_superseded);
  core::Result<std::vector<DepartmentRecord>> DepartmentRecordsFor(const std::vector<std::string>& task_codes,
                                                                   std::optional<std::int64_t> enterprise_id,
                                                                   const std::string& period_from,
                                                                   const std::string& period_to);
  core::Result<std::vector<EnterpriseIdentity>> EnterpriseIdentities(const std::string& region_prefix);
  core::Status CreateDepartmentKey(const DepartmentKey& key);
  core::Result<std::optional<DepartmentKey>> FindDepartmentKey(const std::string& key_id);
  core::Result<std::vector<DepartmentKey>> ListDepartmentKeys(const std::string& department);
  core::Status RevokeDepartmentKey(const std::string& key_id);

 private:
  core::Result<SqlResult> Read(const std::string& sql, const std::vector<core::Value>& params);
  Database& db_;
};

}  // namespace kiln::storage
