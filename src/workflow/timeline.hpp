#pragma once
// Everything that happened to an enterprise or a project, newest first, in one
// list for its file: changes of its record (and, for an enterprise, of its
// projects), every step of every review item about it (reports, list entry and
// exit, information changes, closures, upgrade plans), every event of its violations and
// upgrade plans (一企一策), its inspections and their findings, and
// — for officials who read warnings — the warnings raised about it,
// acknowledged and closed.

#include <optional>
#include <string>
#include <vector>

#include "registry/registry.hpp"
#include "storage/store.hpp"
#include "workflow/review_engine.hpp"

namespace kiln::workflow {

struct TimelineEvent {
  core::UnixMillis at = 0;
  std::string kind;  // record, review, violation, upgrade, inspection, warning
  // record: create, update; review: file, resubmit, approve, return; violation: mark, progress, escalate,
  // closed; upgrade: filed, approved, progress, completed, accepted; inspection: assigned, visited, and a
  // finding's recorded, rectified, reopened, verified; warning: opened, …
  std::string action;
  std::string actor;  // a username; "system" for the warning evaluator
  std::string subject;  // what it is about: the enterprise's or project's name, a report's period
  std::string detail;  // fields changed, the reason given, the warning's message
  std::optional<std::int64_t> review_id, warning_id, project_id;
  std::string flow, level, rule;
  std::optional<std::int64_t> violation_id;
  std::optional<std::int64_t> upgrade_plan_id, inspection_task_id;
  std::string state;  // a violation's rectification state, an upgrade plan's status, after the event
};

class Timeline {
 public:
  Timeline(storage::Store& store, registry::Registry& registry, ReviewEngine& reviews)
      : store_(store), registry_(registry), reviews_(reviews) {}

  // "not found" alike when the record is outside the caller's scope. At most `limit` events.
  core::Result<std::vector<TimelineEvent>> Of(const registry::Caller& caller, registry::Kind kind, std::int64_t id,
                                              int limit);

 private:
  core::Status AddRecordHistory(const core::RecordSchema& schema, std::int64_t id, const std::string& name,
                                std::optional<std::int64_t> project_id, std::vector<TimelineEvent>& out);

  storage::Store& store_;
  registry::Registry& registry_;
  ReviewEngine& reviews_;
};

}  // namespace kiln::workflow
