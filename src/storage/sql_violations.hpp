#pragma once
// ViolationStore over the SQL layer, and the closure a final approval of a violation_closure
// review item applies.

#include "storage/database.hpp"
#include "storage/violation_store.hpp"

namespace kiln::storage {

class SqlViolations final : public ViolationStore {
 public:
  explicit SqlViolations(Database& db) : db_(db) {}
  core::Result<Violation> MarkViolation(const Violation& violation, const ViolationEvent& event) override;
  core::Result<Violation> AddViolationEvent(std::int64_t id, const std::string& from_state,
                                            core::UnixMillis seen_updated_at, const ViolationEvent& event,
                                            bool escalation) override;
  core::Result<std::optional<Violation>> GetViolation(std::int64_t id) override;
  core::Result<std::pair<std::vector<Violation>, std::int64_t>> ListViolations(const ViolationQuery& query) override;
  core::Result<std::vector<ViolationEvent>> ViolationEvents(std::int64_t id) override;
  core::Result<std::vector<std::int64_t>> AttachmentViolations(const std::string& attachment_id) override;
  core::Result<std::vector<ViolationCount>> CountViolations(const std::string& region_prefix, int region_digits,
                                                            bool by_industry, const std::string& today) override;

 private:
  Database& db_;
};

// Within a review decision's transaction (on `conn`): the violation is closed, with a "closed"
// event by `actor` at `level`. kConflict unless it is rectified (done).
core::Status CloseViolation(Connection& conn, std::int64_t violation_id, const std::string& actor,
                            const std::string& level, const std::string& note, core::UnixMillis at);

}  // namespace kiln::storage
