#pragma once
// Violating projects (违规项目) and their disposal: the violation a project was
// marked with, the disposal type (one of the province's four), measures,
// deadline and responsible unit, the rectification state, and every event
// that moved it (marking, progress reports with attachments, escalations,
// closure). Closure itself is a review item (flow violation_closure); its
// final approval closes the violation in the decision's transaction
// (ReviewEffect::Kind::kViolationClosed).

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/china_time.hpp"
#include "core/status.hpp"

namespace kiln::storage {

struct Violation {
  std::int64_t id = 0;
  std::int64_t project_id = 0;
  std::int64_t enterprise_id = 0;
  std::string region;  // the project's county
  std::string violation_type, disposal_type;  // codes of the reference lists violation_types, disposal_types
  std::string measures, deadline, responsible_unit;  // deadline: YYYY-MM-DD, China time
  std::string state;  // not_started, in_progress, partly_done, done, closed
  int progress = 0;  // percent, as last reported
  int escalations = 0;
  std::string marked_by;
  core::UnixMillis marked_at = 0, updated_at = 0;
  std::optional<core::UnixMillis> closed_at;
  // Of the project and its enterprise, for lists.
  std::string project_name, enterprise_name, industry, project_state;
};

struct ViolationEvent {
  std::int64_t id = 0;
  std::int64_t violation_id = 0;
  std::string kind;  // mark, progress, escalate, closed
  std::string level;  // who acted: enterprise, county, city, province
  std::string actor, note;
  // The violation after the event (what it set).
  std::string state, disposal_type, deadline;
  int progress = 0;
  core::UnixMillis at = 0;
  std::vector<std::string> attachments;  // ids (SM3) of the attachments the event carries
};

struct ViolationQuery {
  std::string region_prefix;  // of the project's county
  std::optional<std::int64_t> enterprise_id, project_id;
  std::string state, disposal_type, violation_type, industry;  // "" = any
  bool open_only = false;  // not closed
  // Only those past their deadline and not yet rectified (deadline before this date, YYYY-MM-DD).
  std::string overdue_on;
  int page = 1, page_size = 50;
};

// Counts per state and disposal type, for summaries.
struct ViolationCount {
  std::string key;  // what the counts are grouped by (a region prefix, an industry, a disposal type)
  std::string state, disposal_type;
  std::int64_t count = 0;
  std::int64_t overdue = 0;  // of them, past their deadline and not rectified
};

class ViolationStore {
 public:
  virtual ~ViolationStore() = default;
  // Stores a new violation (state not_started) with its "mark" event. kConflict when the project
  // has an open (not closed) violation.
  virtual core::Result<Violation> MarkViolation(const Violation& violation, const ViolationEvent& event) = 0;
  // Records `event` and sets the violation's state, disposal type, deadline and progress to the
  // event's; kConflict when the violation is no longer in `from_state` or was changed after
  // `seen_updated_at` (someone acted first).
  virtual core::Result<Violation> AddViolationEvent(std::int64_t id, const std::string& from_state,
                                                    core::UnixMillis seen_updated_at, const ViolationEvent& event,
                                                    bool escalation) = 0;
  virtual core::Result<std::optional<Violation>> GetViolation(std::int64_t id) = 0;
  virtual core::Result<std::pair<std::vector<Violation>, std::int64_t>> ListViolations(const ViolationQuery& query) = 0;
  virtual core::Result<std::vector<ViolationEvent>> ViolationEvents(std::int64_t id) = 0;
  // The violations an event of which carries the attachment.
  virtual core::Result<std::vector<std::int64_t>> AttachmentViolations(const std::string& attachment_id) = 0;
  // Violations under `region_prefix` counted by state and disposal type, grouped by the first
  // `region_digits` digits of the county (0: all together) or, when by_industry, by industry.
  // `today` (YYYY-MM-DD) decides what is overdue.
  virtual core::Result<std::vector<ViolationCount>> CountViolations(const std::string& region_prefix, int region_digits,
                                                                    bool by_industry, const std::string& today) = 0;
};

}  // namespace kiln::storage
