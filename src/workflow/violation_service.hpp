#pragma once
// Violating projects and their disposal (违规项目整改, seed 000 §三): an
// official marks a project violating with the kind of violation (reference
// list violation_types), one of the province's four disposal types
// (disposal_types), the measures, a deadline and the unit responsible. The
// enterprise or its county reports progress with attachments (rectification
// state not_started → in_progress → partly_done → done); a case past its
// deadline and not rectified escalates (the city or province raises its
// disposal type and sets a new deadline, with a reason); a rectified case is
// filed for closure (销号) by the county and approved by the city and the
// province on the review engine (flow violation_closure), whose final
// approval closes it. Every step is audited and kept as an event.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "registry/registry.hpp"
#include "security/audit_log.hpp"
#include "storage/store.hpp"
#include "workflow/review_engine.hpp"

namespace kiln::workflow {

inline constexpr const char* kViolationStates[] = {"not_started", "in_progress", "partly_done", "done", "closed"};
bool IsViolationState(const std::string& state);
// Past its deadline (a date, China time) on `today` and not rectified.
bool ViolationOverdue(const storage::Violation& v, const std::string& today);

struct ViolationListRequest {
  std::string region, state, disposal_type, violation_type, industry;
  std::optional<std::int64_t> enterprise_id, project_id;
  bool open_only = false, overdue_only = false;
  int page = 1, page_size = 50;
};

struct ViolationDetail {
  storage::Violation violation;
  std::vector<storage::ViolationEvent> events;
  std::vector<storage::Attachment> attachments;  // of the events, without their bytes
  std::vector<storage::ReviewItem> closures;  // closure filings, oldest first
  bool overdue = false;
  struct {
    bool report = false, escalate = false, close = false;
  } may;
};

// Violations of one group (a city or county, an industry, a disposal type), counted.
struct ViolationGroup {
  std::string key;
  std::int64_t total = 0, closed = 0, overdue = 0;
  std::map<std::string, std::int64_t> by_state, by_disposal;
  double closure_rate() const { return total ? static_cast<double>(closed) / static_cast<double>(total) : 0.0; }
};

class ViolationService {
 public:
  ViolationService(storage::Store& store, registry::Registry& registry, ReviewEngine& reviews,
                   security::AuditLog& audit, const core::Clock& clock)
      : store_(store), registry_(registry), reviews_(reviews), audit_(audit), clock_(clock) {}

  // body: {"violation_type", "disposal_type", "measures", "deadline", "responsible_unit", "note"?, "attachments"?}
  core::Result<storage::Violation> Mark(const registry::Caller& caller, std::int64_t project_id,
                                        const nlohmann::json& body);
  core::Result<std::pair<std::vector<storage::Violation>, std::int64_t>> List(const registry::Caller& caller,
                                                                              const ViolationListRequest& request);
  // "not found" alike when outside the caller's scope.
  core::Result<ViolationDetail> Get(const registry::Caller& caller, std::int64_t id);
  // body: {"state": in_progress|partly_done|done, "progress"?: 0–100, "note", "attachments"?}
  core::Result<storage::Violation> ReportProgress(const registry::Caller& caller, std::int64_t id,
                                                  const nlohmann::json& body);
  // body: {"reason", "deadline", "disposal_type"?}; only past the deadline and not rectified.
  core::Result<storage::Violation> Escalate(const registry::Caller& caller, std::int64_t id,
                                            const nlohmann::json& body);
  // body: {"reason", "attachments"?}: files the closure (flow violation_closure) of a rectified case.
  core::Result<storage::ReviewItem> FileClosure(const registry::Caller& caller, std::int64_t id,
                                                const nlohmann::json& body);

  // Officials only: counts by state and disposal type per group under the caller's region (or
  // `region` inside it). group_by: region (the cities of a province, the counties of a city),
  // industry, disposal_type. The last group has key "" and counts them all.
  core::Result<std::vector<ViolationGroup>> Summary(const registry::Caller& caller, const std::string& group_by,
                                                    const std::string& region);

  std::string Today() const;

 private:
  core::Result<storage::Violation> Visible(const registry::Caller& caller, std::int64_t id);
  // The open (not yet approved) closure filing of a violation, if any.
  core::Result<std::optional<storage::ReviewItem>> OpenClosure(const storage::Violation& v);
  core::Result<std::vector<storage::ReviewItem>> Closures(const storage::Violation& v);
  core::Status Check(const registry::Caller& caller, security::Action action, const storage::Violation& v);
  void Audit(const registry::Caller& caller, const std::string& action, std::int64_t id, const core::Status& s,
             const std::string& detail);

  storage::Store& store_;
  registry::Registry& registry_;
  ReviewEngine& reviews_;
  security::AuditLog& audit_;
  const core::Clock& clock_;
};

}  // namespace kiln::workflow
