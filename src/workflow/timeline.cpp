#include "workflow/timeline.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/registry_schema.hpp"
#include "security/access.hpp"

namespace kiln::workflow {
namespace {

using core::Result;
using core::Status;

std::string ChangedFields(const std::vector<storage::FieldChange>& changes) {
  std::string out;
  for (const auto& c : changes) out += (out.empty() ? "" : ", ") + c.field;
  return out;
}

}  // namespace

Status Timeline::AddRecordHistory(const core::RecordSchema& schema, std::int64_t id, const std::string& name,
                                  std::optional<std::int64_t> project_id, std::vector<TimelineEvent>& out) {
  auto history = store_.History(schema, id);
  if (!history.ok()) return history.status();
  for (const auto& h : *history) {
    out.push_back({.at = h.at,
                   .kind = "record",
                   .action = h.action,
                   .actor = h.actor,
                   .subject = name,
                   .detail = ChangedFields(h.changes),
                   .project_id = project_id});
  }
  return {};
}

Result<std::vector<TimelineEvent>> Timeline::Of(const registry::Caller& caller, registry::Kind kind, std::int64_t id,
                                                int limit) {
  auto record = registry_.Get(caller, kind, id);
  if (!record.ok()) return record.status();
  const bool is_project = kind == registry::Kind::kProject;
  const std::int64_t enterprise_id = is_project ? storage::AsInt(record->at("enterprise_id")) : id;
  std::vector<TimelineEvent> out;
  KILN_RETURN_IF_ERROR(AddRecordHistory(registry::SchemaOf(kind), id, storage::AsText(record->at("name")),
                                        is_project ? std::optional(id) : std::nullopt, out));
  if (is_project) {
    // Its process units: added, reclassified, dismantled.
    auto units = store_.ListRecords(core::EquipmentSchema(), {.equals = {{"project_id", id}}, .page_size = 500});
    if (!units.ok()) return units.status();
    for (const auto& unit : units->items) {
      KILN_RETURN_IF_ERROR(AddRecordHistory(core::EquipmentSchema(), storage::AsInt(unit.at("id")),
                                            storage::AsText(unit.at("name")), id, out));
    }
  } else {
    for (int page = 1;; ++page) {
      auto projects = registry_.List(caller, registry::Kind::kProject,
                                     {.page = page, .page_size = 500, .enterprise_id = enterprise_id});
      if (!projects.ok()) break;  // a caller who may read the enterprise but not its projects
      for (const auto& p : projects->items) {
        auto pid = storage::AsInt(p.at("id"));
        KILN_RETURN_IF_ERROR(AddRecordHistory(core::ProjectSchema(), pid, storage::AsText(p.at("name")), pid, out));
      }
      if (projects->items.size() < 500) break;
    }
  }

  // Review items: about the enterprise (and its reports and projects), or about the project.
  for (int page = 1;; ++page) {
    auto items = reviews_.List(caller, {.enterprise_id = enterprise_id, .page = page, .page_size = 500});
    if (!items.ok()) return items.status();
    for (const auto& item : items->first) {
      if (is_project && !(item.subject_kind == "project" && item.subject_id == id)) continue;
      auto detail = reviews_.Get(caller, item.id);
      if (!detail.ok()) continue;
      for (const auto& step : detail->steps) {
        out.push_back({.at = step.at,
                       .kind = "review",
                       .action = step.action,
                       .actor = step.actor,
                       .subject = item.subject_label,
                       .detail = step.reason,
                       .review_id = item.id,
                       .project_id = item.subject_kind == "project" ? std::optional(item.subject_id) : std::nullopt,
                       .flow = item.flow,
                       .level = step.level});
      }
    }
    if (items->first.size() < 500) break;
  }

  // Violations of the project (or of the enterprise's projects): marking, progress, escalation, closure.
  if (security::Authorize(caller.principal, security::Action::kViolationRead,
                          {.region = storage::AsText(record->at("region")), .enterprise_id = enterprise_id})
          .ok()) {
    storage::ViolationQuery q{.enterprise_id = enterprise_id, .page_size = 500};
    if (is_project) q.project_id = id;
    auto violations = store_.violations().ListViolations(q);
    if (!violations.ok()) return violations.status();
    for (const auto& v : violations->first) {
      auto events = store_.violations().ViolationEvents(v.id);
      if (!events.ok()) return events.status();
      for (const auto& e : *events) {
        out.push_back({.at = e.at,
                       .kind = "violation",
                       .action = e.kind,
                       .actor = e.actor,
                       .subject = v.project_name,
                       .detail = e.note,
                       .project_id = v.project_id,
                       .level = e.level,
                       .violation_id = v.id,
                       .state = e.state});
      }
    }
  }

  // Upgrade plans of the enterprise (or covering the project): filing, approval, progress, completion,
  // acceptance.
  if (security::Authorize(caller.principal, security::Action::kUpgradeRead,
                          {.region = storage::AsText(record->at("region")), .enterprise_id = enterprise_id})
          .ok()) {
    auto plans = store_.upgrades().ListUpgradePlans({.enterprise_id = enterprise_id, .page_size = 500});
    if (!plans.ok()) return plans.status();
    for (const auto& plan : plans->first) {
      if (is_project && std::find(plan.project_ids.begin(), plan.project_ids.end(), id) == plan.project_ids.end()) {
        continue;
      }
      auto events = store_.upgrades().UpgradePlanEvents(plan.id);
      if (!events.ok()) return events.status();
      for (const auto& e : *events) {
        out.push_back({.at = e.at,
                       .kind = "upgrade",
                       .action = e.kind,
                       .actor = e.actor,
                       .subject = plan.enterprise_name,
                       .detail = e.note,
                       .project_id = is_project ? std::optional(id) : std::nullopt,
                       .level = e.level,
                       .upgrade_plan_id = plan.id,
                       .state = e.status});
      }
    }
  }

  // Inspections of the enterprise: assignment, the visit, each finding's rectification.
  if (!is_project &&
      security::Authorize(caller.principal, security::Action::kInspectionRead,
                          {.region = storage::AsText(record->at("region")), .enterprise_id = enterprise_id})
          .ok()) {
    auto tasks = store_.inspections().ListInspectionTasks({.enterprise_id = enterprise_id, .page_size = 500});
    if (!tasks.ok()) return tasks.status();
    for (const auto& t : tasks->first) {
      out.push_back({.at = t.created_at,
                     .kind = "inspection",
                     .action = "assigned",
                     .actor = t.created_by,
                     .subject = t.plan_title,
                     .detail = t.reason,
                     .inspection_task_id = t.id,
                     .state = t.status});
      if (t.status != "visited") continue;
      out.push_back({.at = t.updated_at,
                     .kind = "inspection",
                     .action = "visited",
                     .actor = t.visited_by,
                     .subject = t.plan_title,
                     .detail = t.summary,
                     .inspection_task_id = t.id,
                     .state = t.status});
      auto findings = store_.inspections().ListFindings(t.id, std::nullopt);
      if (!findings.ok()) return findings.status();
      for (const auto& f : *findings) {
        auto events = store_.inspections().FindingEvents(f.id);
        if (!events.ok()) return events.status();
        for (const auto& e : *events) {
          out.push_back({.at = e.at,
                         .kind = "inspection",
                         .action = e.kind,
                         .actor = e.actor,
                         .subject = t.plan_title,
                         .detail = e.note,
                         .level = e.level,
                         .inspection_task_id = t.id,
                         .state = e.state});
        }
      }
    }
  }

  // Warnings: for officials who read them (an enterprise user reads its meters' on the warnings page).
  if (!caller.principal.enterprise_id &&
      security::Authorize(caller.principal, security::Action::kWarningRead,
                          {.region = storage::AsText(record->at("region")), .enterprise_id = enterprise_id})
          .ok() &&
      !is_project) {
    storage::WarningFilter filter{.enterprise_id = enterprise_id, .page_size = 500};
    auto warnings = store_.warnings().ListWarnings(filter);
    if (!warnings.ok()) return warnings.status();
    for (const auto& w : warnings->first) {
      auto add = [&](core::UnixMillis at, const char* action, const std::string& actor, const std::string& detail) {
        out.push_back({.at = at,
                       .kind = "warning",
                       .action = action,
                       .actor = actor,
                       .subject = w.point_code.empty() ? storage::AsText(record->at("name")) : w.point_code,
                       .detail = detail,
                       .warning_id = w.id,
                       .rule = w.rule});
      };
      add(w.opened_at, "opened", "system", w.message);
      if (w.acknowledged_at) add(*w.acknowledged_at, "acknowledged", w.acknowledged_by, w.note);
      if (w.closed_at)
        add(*w.closed_at, w.closed_reason.empty() ? "closed" : w.closed_reason.c_str(), w.closed_by, w.note);
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.at > b.at; });
  if (static_cast<int>(out.size()) > limit) out.resize(limit);
  return out;
}

}  // namespace kiln::workflow
