#pragma once
// Department data intake (R-IN3): a department's file or API delivery for a
// collection task is read, every cell checked against the task's fields, and
// every row matched to an enterprise — by unified social credit code, then by
// exact name — within the department's jurisdiction. A file is kept as
// received and waits in preview until a person resolves what did not match
// and commits it; the commit takes every row or none. An API push is checked
// the same way and commits at once when every row is good.

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/china_time.hpp"
#include "core/collection_task.hpp"
#include "storage/store.hpp"

namespace kiln::ingest {

// Who delivers: a department user or a department's machine key.
struct Deliverer {
  std::string username;  // or the key id
  std::string department;
  std::string region;  // jurisdiction root (GB/T 2260 code)
};

struct DeliveredFile {
  std::string filename;
  std::string bytes;
  std::string sm3;  // hex digest of bytes, computed by the caller
};

// Limits on what one delivery may hold.
inline constexpr std::size_t kMaxDeliveryBytes = 8u << 20;
inline constexpr std::size_t kMaxDeliveryRows = 20000;

class DepartmentIntake {
 public:
  DepartmentIntake(storage::Store& store, const core::Clock& clock) : store_(store), clock_(clock) {}

  // The task as it stands now (latest version); kNotFound when unknown.
  core::Result<core::CollectionTask> CurrentTask(const std::string& code);

  // Reads, checks and matches a file and stores it in preview.
  core::Result<storage::DepartmentUpload> Preview(const Deliverer& who, const std::string& task_code,
                                                  const DeliveredFile& file);
  // Settles one row of a preview: match it to an enterprise in scope, or leave it out.
  core::Result<storage::DepartmentUpload> Resolve(const Deliverer& who, std::int64_t upload_id, int row,
                                                  std::optional<std::int64_t> enterprise_id, bool skip);
  // Commits a preview with no errors and nothing unmatched; kFailedPrecondition-like
  // kConflict listing the rows that stand in the way otherwise.
  core::Result<storage::DepartmentUpload> Commit(const Deliverer& who, std::int64_t upload_id);
  core::Status Discard(const Deliverer& who, std::int64_t upload_id);
  // {"sync":"incremental"|"full","rows":[{"credit_code","name","period","values":{…}}]}: checked
  // like a file and committed at once; kInvalidArgument with the rows' errors otherwise.
  core::Result<storage::DepartmentUpload> Push(const Deliverer& who, const std::string& task_code,
                                               const std::string& body, const std::string& sm3);

  // An upload the deliverer's department may act on (kNotFound otherwise).
  core::Result<storage::DepartmentUpload> OwnUpload(const Deliverer& who, std::int64_t upload_id, bool with_original);

 private:
  core::Result<storage::DepartmentUpload> Store(const Deliverer& who, const core::CollectionTask& task,
                                                const DeliveredFile& file, const std::string& format,
                                                const nlohmann::json& checked);
  core::Result<storage::DepartmentUpload> CommitChecked(const storage::DepartmentUpload& upload,
                                                        const nlohmann::json& checked, const storage::FullSync& sync);

  storage::Store& store_;
  const core::Clock& clock_;
};

// Counts of a checked delivery: rows, rows with errors, rows unmatched (neither matched nor skipped).
struct CheckedCounts {
  std::int64_t rows = 0, errors = 0, unmatched = 0;
};
CheckedCounts CountChecked(const nlohmann::json& checked);

}  // namespace kiln::ingest
