#include "workflow/inspection_service.hpp"

#include <algorithm>
#include <random>
#include <set>

#include <fmt/format.h>

#include "core/regions.hpp"
#include "core/registry_schema.hpp"
#include "security/access.hpp"
#include "workflow/body_fields.hpp"

namespace kiln::workflow {
namespace {

using core::Result;
using core::Status;
using nlohmann::json;

constexpr std::size_t kMaxText = 2000;
constexpr std::size_t kMaxName = 200;
constexpr std::size_t kMaxTeams = 20;
constexpr std::size_t kMaxFindings = 50;
constexpr int kMaxSample = 500;

template <std::size_t N>
bool OneOf(const std::string& value, const char* const (&options)[N]) {
  return std::any_of(std::begin(options), std::end(options), [&](const char* o) { return value == o; });
}

template <std::size_t N>
std::string Listed(const char* const (&options)[N]) {
  std::string out;
  for (const char* o : options) out += (out.empty() ? "" : ", ") + std::string(o);
  return out;
}

std::optional<std::int64_t> OptionalId(const json& body, const char* key, std::vector<core::FieldError>& errors) {
  if (!body.contains(key) || body[key].is_null()) return std::nullopt;
  if (!body[key].is_number_integer() || body[key].get<std::int64_t>() <= 0) {
    errors.push_back({key, "must be an id"});
    return std::nullopt;
  }
  return body[key].get<std::int64_t>();
}

// Seed 001: the steel and coking enterprises under output control get resident supervisors.
bool OutputControlled(const std::string& industry) { return industry.starts_with("C31") || industry == "C2521"; }

// The regions above a county or city (its city, its province): plans made there are its plans too.
std::vector<std::string> RegionsAbove(const std::string& region) {
  std::vector<std::string> out;
  for (auto r = core::ParentRegion(region); !r.empty(); r = core::ParentRegion(r)) out.push_back(r);
  return out;
}

}  // namespace

std::string InspectionService::Today() const { return core::FormatDate(core::ChinaDateOf(clock_.Now())); }

void InspectionService::Audit(const registry::Caller& caller, const std::string& action, const std::string& target,
                              const Status& s, const std::string& detail) {
  (void)audit_.Record(caller.principal.username, caller.address, "inspection." + action, target,
                      s.ok()               ? "ok"
                      : s.reason().empty() ? core::StatusCodeName(s.code())
                                           : s.reason(),
                      detail);
}

Status InspectionService::Check(const registry::Caller& caller, security::Action action, const std::string& region,
                                std::optional<std::int64_t> enterprise_id) {
  return security::Authorize(caller.principal, action, {.region = region, .enterprise_id = enterprise_id});
}

Result<storage::InspectionPlan> InspectionService::VisiblePlan(const registry::Caller& caller, std::int64_t id) {
  const auto hidden = Status::NotFound(fmt::format("inspection plan {} not found", id));
  auto plan = store_.inspections().GetInspectionPlan(id);
  if (!plan.ok()) return plan.status();
  if (!*plan) return hidden;
  // A plan is seen inside its region, and from the regions inside it (a province's plan is its counties').
  const std::string& own = caller.principal.region;
  const std::string target = !own.empty() && core::RegionWithin(own, (*plan)->region) ? own : (*plan)->region;
  auto allowed = Check(caller, security::Action::kInspectionRead, target, std::nullopt);
  if (allowed.code() == core::StatusCode::kNotFound || caller.principal.enterprise_id) return hidden;
  if (!allowed.ok()) return allowed;
  return **plan;
}

Result<storage::InspectionTask> InspectionService::VisibleTask(const registry::Caller& caller, std::int64_t id) {
  const auto hidden = Status::NotFound(fmt::format("inspection task {} not found", id));
  auto task = store_.inspections().GetInspectionTask(id);
  if (!task.ok()) return task.status();
  if (!*task) return hidden;
  auto allowed = Check(caller, security::Action::kInspectionRead, (*task)->region, (*task)->enterprise_id);
  if (allowed.code() == core::StatusCode::kNotFound) return hidden;
  if (!allowed.ok()) return allowed;
  return **task;
}

Result<InspectionPlanDetail> InspectionService::CreatePlan(const registry::Caller& caller, const json& body) {
  auto scope = security::ScopeFor(caller.principal, security::Action::kInspectionManage);
  if (!scope.ok() || scope->enterprise_id) return Status::PermissionDenied("the province or a city plans inspections");
  if (!body.is_object()) return Status::InvalidArgument("request body must be a JSON object");
  std::vector<core::FieldError> errors;
  UnknownFields(body, {"kind", "title", "region", "starts_on", "ends_on", "focus", "teams"}, errors);
  std::string kind = body.value("kind", json()).is_string() ? body["kind"].get<std::string>() : "";
  if (!OneOf(kind, kInspectionKinds)) errors.push_back({"kind", "must be one of " + Listed(kInspectionKinds)});
  auto title = Text(body, "title", kMaxName, "the inspection's name", errors);
  std::string region = caller.principal.region;
  if (body.contains("region")) {
    region = body["region"].is_string() ? body["region"].get<std::string>() : "";
    auto level = core::LevelOfRegionCode(region);
    if (level != core::RegionLevel::kProvince && level != core::RegionLevel::kCity) {
      errors.push_back({"region", "must be a province or city code"});
    } else if (!scope->region_prefix.empty() && !region.starts_with(scope->region_prefix)) {
      errors.push_back({"region", "must be within your jurisdiction"});
    }
  }
  auto starts = Date(body, "starts_on", "", errors);
  auto ends = Date(body, "ends_on", starts.value_or(""), errors);
  auto focus = Text(body, "focus", kMaxText, "what the inspection looks at", errors);
  std::vector<storage::InspectionTeam> teams;
  if (!body.contains("teams") || !body["teams"].is_array() || body["teams"].empty() ||
      body["teams"].size() > kMaxTeams) {
    errors.push_back({"teams", fmt::format("is required: 1 to {} teams", kMaxTeams)});
  } else {
    std::set<std::string> names;
    for (std::size_t k = 0; k < body["teams"].size(); ++k) {
      const auto& t = body["teams"][k];
      std::vector<core::FieldError> own;
      if (!t.is_object()) {
        errors.push_back({fmt::format("teams[{}]", k), "must be an object with name, leader and members"});
        continue;
      }
      UnknownFields(t, {"name", "leader", "members"}, own);
      auto name = Text(t, "name", kMaxName, "the team's name", own);
      auto leader = Text(t, "leader", kMaxName, "who leads it", own);
      auto members = Text(t, "members", kMaxText, "who is in it", own);
      if (name && !names.insert(*name).second) own.push_back({"name", "is used by another team"});
      for (auto& e : own) errors.push_back({fmt::format("teams[{}].{}", k, e.field), e.reason});
      if (own.empty()) teams.push_back({.name = *name, .leader = *leader, .members = *members});
    }
  }
  if (!errors.empty()) return Status::InvalidArgument("invalid inspection plan", std::move(errors));
  storage::InspectionPlan plan{.kind = kind,
                               .title = *title,
                               .region = region,
                               .starts_on = *starts,
                               .ends_on = *ends,
                               .focus = *focus,
                               .created_by = caller.principal.username,
                               .created_at = clock_.Now(),
                               .teams = std::move(teams)};
  KILN_RETURN_IF_ERROR(
      audit_.Intend(caller.principal.username, caller.address, "inspection.plan", "inspection_plans", plan.title));
  auto created = store_.inspections().CreateInspectionPlan(plan);
  Audit(caller, "plan", created.ok() ? fmt::format("inspection_plans:{}", created->id) : "inspection_plans",
        created.status(), plan.title);
  if (!created.ok()) return created.status();
  return GetPlan(caller, created->id);
}

Result<std::pair<std::vector<storage::InspectionPlan>, std::int64_t>> InspectionService::ListPlans(
    const registry::Caller& caller, int page, int page_size) {
  auto scope = security::ScopeFor(caller.principal, security::Action::kInspectionRead);
  if (!scope.ok()) return scope.status();
  if (scope->enterprise_id) return Status::PermissionDenied("inspection plans are for officials");
  auto page_of = store_.inspections().ListInspectionPlans(scope->region_prefix, RegionsAbove(caller.principal.region),
                                                          page, page_size);
  if (!page_of.ok()) return page_of.status();
  for (auto& p : page_of->first) {
    auto full = store_.inspections().GetInspectionPlan(p.id);
    if (full.ok() && *full) p.teams = (*full)->teams;
  }
  return page_of;
}

Result<InspectionPlanDetail> InspectionService::GetPlan(const registry::Caller& caller, std::int64_t id) {
  auto plan = VisiblePlan(caller, id);
  if (!plan.ok()) return plan.status();
  InspectionPlanDetail d{.plan = *plan};
  auto scope = security::ScopeFor(caller.principal, security::Action::kInspectionRead);
  auto deductions = store_.inspections().ListIndicatorDeductions(scope.ok() ? scope->region_prefix : "", 0, id);
  if (!deductions.ok()) return deductions.status();
  d.deductions = std::move(*deductions);
  d.may_manage = Check(caller, security::Action::kInspectionManage, plan->region, std::nullopt).ok();
  d.may_deduct = Check(caller, security::Action::kIndicatorDeduct, plan->region, std::nullopt).ok();
  return d;
}

Result<std::vector<storage::InspectionTask>> InspectionService::AddTasks(const registry::Caller& caller,
                                                                         std::int64_t plan_id, const json& body) {
  auto plan = VisiblePlan(caller, plan_id);
  if (!plan.ok()) return plan.status();
  if (auto allowed = Check(caller, security::Action::kInspectionManage, plan->region, std::nullopt); !allowed.ok()) {
    return allowed.code() == core::StatusCode::kNotFound
               ? Status::PermissionDenied("the plan's own level assigns its enterprises")
               : allowed;
  }
  if (!body.is_object()) return Status::InvalidArgument("request body must be a JSON object");
  std::vector<core::FieldError> errors;
  const bool sampling = body.contains("sample");
  UnknownFields(body,
                sampling ? std::initializer_list<const char*>{"sample", "industry", "region", "team_id"}
                         : std::initializer_list<const char*>{"enterprise_id", "team_id", "reason"},
                errors);
  auto team_id = OptionalId(body, "team_id", errors);
  if (team_id &&
      std::none_of(plan->teams.begin(), plan->teams.end(), [&](const auto& t) { return t.id == *team_id; })) {
    errors.push_back({"team_id", fmt::format("team {} is not one of the plan's", *team_id)});
  }
  const auto plan_prefix = core::RegionPrefix(plan->region);
  std::vector<storage::InspectionTask> tasks;
  const auto now = clock_.Now();
  if (!sampling) {
    auto enterprise_id = OptionalId(body, "enterprise_id", errors);
    if (!enterprise_id) errors.push_back({"enterprise_id", "is required: the enterprise to inspect"});
    auto reason = Text(body, "reason", kMaxText, "why this enterprise is inspected", errors);
    if (!errors.empty()) return Status::InvalidArgument("invalid inspection task", std::move(errors));
    auto enterprise = registry_.Get(caller, registry::Kind::kEnterprise, *enterprise_id);
    if (!enterprise.ok()) return enterprise.status();
    if (!storage::AsText(enterprise->at("region")).starts_with(plan_prefix)) {
      return Status::InvalidArgument("invalid inspection task",
                                     {{"enterprise_id", "the enterprise is outside the plan's region"}});
    }
    tasks.push_back(
        {.plan_id = plan_id,
         .team_id = team_id ? team_id : (plan->teams.empty() ? std::nullopt : std::optional(plan->teams.front().id)),
         .enterprise_id = *enterprise_id,
         .selection = "targeted",
         .reason = *reason,
         .created_by = caller.principal.username,
         .created_at = now});
  } else {
    int count = 0;
    if (!body["sample"].is_number_integer() || body["sample"].get<int>() < 1 ||
        body["sample"].get<int>() > kMaxSample) {
      errors.push_back({"sample", fmt::format("must be a number of enterprises 1–{}", kMaxSample)});
    } else {
      count = body["sample"].get<int>();
    }
    std::string prefix = plan_prefix;
    if (body.contains("region")) {
      std::string region = body["region"].is_string() ? body["region"].get<std::string>() : "";
      if (core::LevelOfRegionCode(region) == core::RegionLevel::kInvalid || !region.starts_with(plan_prefix)) {
        errors.push_back({"region", "must be a region within the plan's"});
      } else {
        prefix = core::RegionPrefix(region);
      }
    }
    std::string industry = body.value("industry", json()).is_string() ? body["industry"].get<std::string>() : "";
    if (body.contains("industry") && industry.empty()) errors.push_back({"industry", "must be an industry code"});
    if (!errors.empty()) return Status::InvalidArgument("invalid inspection sample", std::move(errors));
    auto taken = store_.inspections().ListInspectionTasks({.plan_id = plan_id, .page_size = 100'000});
    if (!taken.ok()) return taken.status();
    std::set<std::int64_t> has_task;
    for (const auto& t : taken->first) has_task.insert(t.enterprise_id);
    storage::ListQuery q{
        .region_prefix = prefix, .equals = {{"list_status", std::string("listed")}}, .page_size = 100'000};
    if (!industry.empty()) q.equals.emplace_back("industry", industry);
    auto pool = store_.ListRecords(core::EnterpriseSchema(), q);
    if (!pool.ok()) return pool.status();
    std::vector<std::int64_t> candidates;
    for (const auto& e : pool->items) {
      auto id = storage::AsInt(e.at("id"));
      if (!has_task.count(id)) candidates.push_back(id);
    }
    // Drawn at random (the draw is the audit entry's, not repeatable by seed: 随机抽查).
    std::mt19937_64 rng(std::random_device{}() ^ static_cast<std::uint64_t>(now));
    std::shuffle(candidates.begin(), candidates.end(), rng);
    if (static_cast<int>(candidates.size()) > count) candidates.resize(static_cast<std::size_t>(count));
    std::sort(candidates.begin(), candidates.end());
    for (std::size_t k = 0; k < candidates.size(); ++k) {
      std::optional<std::int64_t> team = team_id;
      if (!team && !plan->teams.empty()) team = plan->teams[k % plan->teams.size()].id;
      tasks.push_back({.plan_id = plan_id,
                       .team_id = team,
                       .enterprise_id = candidates[k],
                       .selection = "random",
                       .reason = "随机抽查",
                       .created_by = caller.principal.username,
                       .created_at = now});
    }
  }
  KILN_RETURN_IF_ERROR(audit_.Intend(caller.principal.username, caller.address, "inspection.assign",
                                     fmt::format("inspection_plans:{}", plan_id),
                                     fmt::format("{} enterprises", tasks.size())));
  auto added = store_.inspections().AddInspectionTasks(tasks);
  std::string ids;
  if (added.ok()) {
    for (const auto& t : *added) ids += fmt::format("{}{}", ids.empty() ? "" : ",", t.enterprise_id);
  }
  Audit(caller, "assign", fmt::format("inspection_plans:{}", plan_id), added.status(),
        fmt::format("{} enterprises {}", sampling ? "drawn" : "targeted", ids));
  return added;
}

Result<std::pair<std::vector<storage::InspectionTask>, std::int64_t>> InspectionService::ListTasks(
    const registry::Caller& caller, const InspectionTaskRequest& r) {
  auto scope = security::ScopeFor(caller.principal, security::Action::kInspectionRead);
  if (!scope.ok()) return scope.status();
  if (!r.status.empty() && r.status != "assigned" && r.status != "visited") {
    return Status::InvalidArgument("invalid inspection task query", {{"status", "must be assigned or visited"}});
  }
  std::pair<std::vector<storage::InspectionTask>, std::int64_t> none{{}, 0};
  if (scope->enterprise_id && r.enterprise_id && *r.enterprise_id != *scope->enterprise_id) return none;
  return store_.inspections().ListInspectionTasks(
      {.region_prefix = scope->region_prefix,
       .plan_id = r.plan_id,
       .enterprise_id = scope->enterprise_id ? scope->enterprise_id : r.enterprise_id,
       .status = r.status,
       .page = r.page,
       .page_size = r.page_size});
}

Result<InspectionTaskDetail> InspectionService::GetTask(const registry::Caller& caller, std::int64_t id) {
  auto task = VisibleTask(caller, id);
  if (!task.ok()) return task.status();
  InspectionTaskDetail d{.task = *task};
  auto findings = store_.inspections().ListFindings(id, std::nullopt);
  if (!findings.ok()) return findings.status();
  d.findings = std::move(*findings);
  for (const auto& f : d.findings) {
    auto events = store_.inspections().FindingEvents(f.id);
    if (!events.ok()) return events.status();
    for (const auto& e : *events) KILN_RETURN_IF_ERROR(AddAttachments(store_.reviews(), e.attachments, d.attachments));
    d.events.push_back(std::move(*events));
  }
  const bool official = !caller.principal.enterprise_id;
  d.may_visit = task->status == "assigned" && official &&
                Check(caller, security::Action::kInspectionRecord, task->region, task->enterprise_id).ok();
  d.may_rectify = Check(caller, security::Action::kInspectionRectify, task->region, task->enterprise_id).ok();
  d.may_verify = official && Check(caller, security::Action::kInspectionRecord, task->region, task->enterprise_id).ok();
  return d;
}

Result<InspectionTaskDetail> InspectionService::RecordVisit(const registry::Caller& caller, std::int64_t task_id,
                                                            const json& body) {
  auto task = VisibleTask(caller, task_id);
  if (!task.ok()) return task.status();
  if (caller.principal.enterprise_id ||
      !Check(caller, security::Action::kInspectionRecord, task->region, task->enterprise_id).ok()) {
    return Status::PermissionDenied("an inspecting official records the visit");
  }
  if (!body.is_object()) return Status::InvalidArgument("request body must be a JSON object");
  std::vector<core::FieldError> errors;
  UnknownFields(body, {"visited_on", "summary", "findings"}, errors);
  const std::string today = Today();
  auto visited_on = Date(body, "visited_on", "", errors);
  if (visited_on && *visited_on > today)
    errors.push_back({"visited_on", fmt::format("must not be after today ({})", today)});
  auto summary = Text(body, "summary", kMaxText, "what the visit found", errors);
  std::vector<storage::InspectionFinding> findings;
  std::vector<storage::FindingEvent> events;
  const auto now = clock_.Now();
  const std::string level = LevelOf(caller.principal);
  if (body.contains("findings")) {
    const auto& list = body["findings"];
    if (!list.is_array() || list.size() > kMaxFindings) {
      errors.push_back({"findings", fmt::format("must be a list of at most {} findings", kMaxFindings)});
    } else {
      for (std::size_t k = 0; k < list.size(); ++k) {
        const auto& f = list[k];
        std::vector<core::FieldError> own;
        if (!f.is_object()) {
          errors.push_back({fmt::format("findings[{}]", k), "must be an object"});
          continue;
        }
        UnknownFields(f, {"category", "description", "severity", "requirement", "deadline", "attachments"}, own);
        std::string category = f.value("category", json()).is_string() ? f["category"].get<std::string>() : "";
        if (!OneOf(category, kFindingCategories))
          own.push_back({"category", "must be one of " + Listed(kFindingCategories)});
        std::string severity =
            f.value("severity", json("minor")).is_string() ? f.value("severity", std::string("minor")) : "";
        if (severity != "minor" && severity != "major") own.push_back({"severity", "must be minor or major"});
        auto description = Text(f, "description", kMaxText, "what was found", own);
        auto requirement = Text(f, "requirement", kMaxText, "what is to be rectified", own);
        auto deadline = Date(f, "deadline", visited_on.value_or(today), own);
        auto attachments = Attachments(f, own);
        for (auto& e : own) errors.push_back({fmt::format("findings[{}].{}", k, e.field), e.reason});
        if (!own.empty()) continue;
        findings.push_back({.plan_id = task->plan_id,
                            .enterprise_id = task->enterprise_id,
                            .category = category,
                            .description = *description,
                            .severity = severity,
                            .requirement = *requirement,
                            .deadline = *deadline,
                            .recorded_by = caller.principal.username,
                            .recorded_at = now});
        events.push_back({.kind = "recorded",
                          .level = level,
                          .actor = caller.principal.username,
                          .note = *description,
                          .state = "open",
                          .at = now,
                          .attachments = attachments});
      }
    }
  }
  if (!errors.empty()) return Status::InvalidArgument("invalid inspection visit", std::move(errors));
  storage::InspectionTask visit{
      .visited_on = *visited_on, .summary = *summary, .visited_by = caller.principal.username, .updated_at = now};
  KILN_RETURN_IF_ERROR(audit_.Intend(caller.principal.username, caller.address, "inspection.visit",
                                     fmt::format("inspection_tasks:{}", task_id), *summary));
  auto saved = store_.inspections().RecordInspectionVisit(task_id, visit, findings, events);
  Audit(caller, "visit", fmt::format("inspection_tasks:{}", task_id), saved.status(),
        fmt::format("{} findings", findings.size()));
  if (!saved.ok()) return saved.status();
  return GetTask(caller, task_id);
}

Result<InspectionTaskDetail> InspectionService::MoveFinding(const registry::Caller& caller, std::int64_t finding_id,
                                                            const std::string& from,
                                                            const storage::FindingEvent& event) {
  KILN_RETURN_IF_ERROR(audit_.Intend(caller.principal.username, caller.address, "inspection." + event.kind,
                                     fmt::format("inspection_findings:{}", finding_id), event.note));
  auto moved = store_.inspections().AddFindingEvent(finding_id, from, event);
  Audit(caller, event.kind, fmt::format("inspection_findings:{}", finding_id), moved.status(), event.note);
  if (!moved.ok()) return moved.status();
  return GetTask(caller, moved->task_id);
}

Result<InspectionTaskDetail> InspectionService::ReportRectified(const registry::Caller& caller, std::int64_t finding_id,
                                                                const json& body) {
  const auto hidden = Status::NotFound(fmt::format("finding {} not found", finding_id));
  auto finding = store_.inspections().GetFinding(finding_id);
  if (!finding.ok()) return finding.status();
  if (!*finding) return hidden;
  auto allowed = Check(caller, security::Action::kInspectionRectify, (*finding)->region, (*finding)->enterprise_id);
  if (allowed.code() == core::StatusCode::kNotFound) return hidden;
  if (allowed.code() == core::StatusCode::kPermissionDenied) {
    return Status::PermissionDenied("the enterprise or its county reports a finding rectified");
  }
  if (!allowed.ok()) return allowed;
  if (!body.is_object()) return Status::InvalidArgument("request body must be a JSON object");
  std::vector<core::FieldError> errors;
  UnknownFields(body, {"note", "attachments"}, errors);
  auto note = Text(body, "note", kMaxText, "how it was rectified", errors);
  auto attachments = Attachments(body, errors);
  if (!errors.empty()) return Status::InvalidArgument("invalid rectification", std::move(errors));
  if ((*finding)->state != "open") {
    return Status::Conflict(fmt::format("the finding is {}; an open finding is reported rectified", (*finding)->state),
                            {{"state", "is " + (*finding)->state}});
  }
  return MoveFinding(caller, finding_id, "open",
                     {.kind = "rectified",
                      .level = LevelOf(caller.principal),
                      .actor = caller.principal.username,
                      .note = *note,
                      .state = "rectified",
                      .at = clock_.Now(),
                      .attachments = attachments});
}

Result<InspectionTaskDetail> InspectionService::Verify(const registry::Caller& caller, std::int64_t finding_id,
                                                       const json& body) {
  const auto hidden = Status::NotFound(fmt::format("finding {} not found", finding_id));
  auto finding = store_.inspections().GetFinding(finding_id);
  if (!finding.ok()) return finding.status();
  if (!*finding) return hidden;
  auto allowed = Check(caller, security::Action::kInspectionRecord, (*finding)->region, (*finding)->enterprise_id);
  if (allowed.code() == core::StatusCode::kNotFound) {
    if (Check(caller, security::Action::kInspectionRead, (*finding)->region, (*finding)->enterprise_id).ok()) {
      return Status::PermissionDenied("an inspecting official verifies a rectification");
    }
    return hidden;
  }
  if (allowed.code() == core::StatusCode::kPermissionDenied || caller.principal.enterprise_id) {
    return Status::PermissionDenied("an inspecting official verifies a rectification");
  }
  if (!allowed.ok()) return allowed;
  if (!body.is_object()) return Status::InvalidArgument("request body must be a JSON object");
  std::vector<core::FieldError> errors;
  UnknownFields(body, {"action", "note"}, errors);
  std::string action = body.value("action", json()).is_string() ? body["action"].get<std::string>() : "";
  if (action != "accept" && action != "reopen") errors.push_back({"action", "must be accept or reopen"});
  auto note = Text(body, "note", kMaxText, "what the check found", errors);
  if (!errors.empty()) return Status::InvalidArgument("invalid verification", std::move(errors));
  if ((*finding)->state != "rectified") {
    return Status::Conflict(fmt::format("the finding is {}; a rectified finding is verified", (*finding)->state),
                            {{"state", "is " + (*finding)->state}});
  }
  return MoveFinding(caller, finding_id, "rectified",
                     {.kind = action == "accept" ? "verified" : "reopened",
                      .level = LevelOf(caller.principal),
                      .actor = caller.principal.username,
                      .note = *note,
                      .state = action == "accept" ? "verified" : "open",
                      .at = clock_.Now()});
}

Result<storage::IndicatorDeduction> InspectionService::Deduct(const registry::Caller& caller, std::int64_t plan_id,
                                                              const json& body) {
  auto plan = VisiblePlan(caller, plan_id);
  if (!plan.ok()) return plan.status();
  if (!Check(caller, security::Action::kIndicatorDeduct, plan->region, std::nullopt).ok()) {
    return Status::PermissionDenied("the province decides indicator deductions");
  }
  if (!body.is_object()) return Status::InvalidArgument("request body must be a JSON object");
  std::vector<core::FieldError> errors;
  UnknownFields(body, {"indicator", "year", "amount", "reason", "enterprise_id", "region", "finding_id"}, errors);
  std::string indicator = body.value("indicator", json()).is_string() ? body["indicator"].get<std::string>() : "";
  if (!OneOf(indicator, kDeductionIndicators)) {
    errors.push_back({"indicator", "must be one of " + Listed(kDeductionIndicators)});
  }
  int year = 0;
  if (!body.contains("year") || !body["year"].is_number_integer() || body["year"].get<int>() < 2000 ||
      body["year"].get<int>() > 2100) {
    errors.push_back({"year", "is required: the year whose indicator is cut, 2000–2100"});
  } else {
    year = body["year"].get<int>();
  }
  double amount = 0;
  if (!body.contains("amount") || !body["amount"].is_number() || body["amount"].get<double>() <= 0) {
    errors.push_back({"amount", "is required: a quantity above 0 (t of output or coal, tce of energy)"});
  } else {
    amount = body["amount"].get<double>();
  }
  auto reason = Text(body, "reason", kMaxText, "why the indicator is cut", errors);
  auto enterprise_id = OptionalId(body, "enterprise_id", errors);
  auto finding_id = OptionalId(body, "finding_id", errors);
  std::string region = body.value("region", json()).is_string() ? body["region"].get<std::string>() : "";
  if (enterprise_id.has_value() == !region.empty()) {
    errors.push_back({"enterprise_id", "name either an enterprise or a region (a city or county) that is charged"});
  }
  if (!region.empty() && (core::LevelOfRegionCode(region) == core::RegionLevel::kInvalid ||
                          !region.starts_with(core::RegionPrefix(plan->region)))) {
    errors.push_back({"region", "must be a city or county within the plan's region"});
  }
  if (!errors.empty()) return Status::InvalidArgument("invalid indicator deduction", std::move(errors));
  storage::IndicatorDeduction d{.plan_id = plan_id,
                                .finding_id = finding_id,
                                .enterprise_id = enterprise_id,
                                .region = region,
                                .indicator = indicator,
                                .year = year,
                                .amount = amount,
                                .unit = indicator == "energy" ? "tce" : "t",
                                .reason = *reason,
                                .decided_by = caller.principal.username,
                                .decided_at = clock_.Now()};
  if (enterprise_id) {
    auto enterprise = registry_.Get(caller, registry::Kind::kEnterprise, *enterprise_id);
    if (!enterprise.ok()) return enterprise.status();
    d.region = storage::AsText(enterprise->at("region"));
  }
  if (finding_id) {
    auto finding = store_.inspections().GetFinding(*finding_id);
    if (!finding.ok()) return finding.status();
    if (!*finding || (*finding)->plan_id != plan_id || (enterprise_id && (*finding)->enterprise_id != *enterprise_id)) {
      return Status::InvalidArgument("invalid indicator deduction",
                                     {{"finding_id", "must be a finding of this plan (and of the enterprise named)"}});
    }
  }
  KILN_RETURN_IF_ERROR(audit_.Intend(caller.principal.username, caller.address, "inspection.deduct",
                                     fmt::format("inspection_plans:{}", plan_id),
                                     fmt::format("{} {} {} {}", d.region, indicator, year, amount)));
  auto saved = store_.inspections().AddIndicatorDeduction(d);
  Audit(caller, "deduct", fmt::format("inspection_plans:{}", plan_id), saved.status(),
        fmt::format("{} {} {} {}: {}", d.region, indicator, year, amount, d.reason));
  return saved;
}

Result<std::vector<storage::IndicatorDeduction>> InspectionService::ListDeductions(const registry::Caller& caller,
                                                                                   const std::string& region,
                                                                                   int year) {
  auto scope = security::ScopeFor(caller.principal, security::Action::kInspectionRead);
  if (!scope.ok()) return scope.status();
  if (scope->enterprise_id) return Status::PermissionDenied("indicator deductions are for officials");
  if (!region.empty()) {
    auto narrowed = security::NarrowToRegion(*scope, region);
    if (!narrowed) return std::vector<storage::IndicatorDeduction>{};
    scope = *narrowed;
  }
  return store_.inspections().ListIndicatorDeductions(scope->region_prefix, year, std::nullopt);
}

Result<storage::ResidentSupervisor> InspectionService::VisibleSupervisor(const registry::Caller& caller,
                                                                         std::int64_t id) {
  const auto hidden = Status::NotFound(fmt::format("resident supervisor {} not found", id));
  auto found = store_.inspections().GetSupervisor(id);
  if (!found.ok()) return found.status();
  if (!*found) return hidden;
  auto allowed = Check(caller, security::Action::kInspectionRead, (*found)->region, (*found)->enterprise_id);
  if (allowed.code() == core::StatusCode::kNotFound) return hidden;
  if (!allowed.ok()) return allowed;
  return **found;
}

Result<storage::ResidentSupervisor> InspectionService::AppointSupervisor(const registry::Caller& caller,
                                                                         std::int64_t enterprise_id, const json& body) {
  auto enterprise =
      registry_.Authorized(caller, registry::Kind::kEnterprise, enterprise_id, security::Action::kSupervisorAppoint);
  if (enterprise.status().code() == core::StatusCode::kPermissionDenied) {
    return Status::PermissionDenied("the city or county appoints resident supervisors");
  }
  if (!enterprise.ok()) return enterprise.status();
  if (!body.is_object()) return Status::InvalidArgument("request body must be a JSON object");
  std::vector<core::FieldError> errors;
  UnknownFields(body, {"name", "unit", "phone", "appointed_on"}, errors);
  auto name = Text(body, "name", kMaxName, "the supervisor's name", errors);
  auto unit = Text(body, "unit", kMaxName, "the supervisor's unit", errors);
  auto phone = Text(body, "phone", 64, "how to reach the supervisor", errors);
  auto appointed_on = Date(body, "appointed_on", "", errors);
  const std::string today = Today();
  if (appointed_on && *appointed_on > today) {
    errors.push_back({"appointed_on", fmt::format("must not be after today ({})", today)});
  }
  if (!OutputControlled(storage::AsText(enterprise->at("industry")))) {
    errors.push_back({"enterprise",
                      "resident supervisors are for output-controlled steel (C31) and coking (C2521) "
                      "enterprises"});
  }
  if (!errors.empty()) return Status::InvalidArgument("invalid resident supervisor", std::move(errors));
  KILN_RETURN_IF_ERROR(audit_.Intend(caller.principal.username, caller.address, "inspection.appoint",
                                     fmt::format("enterprises:{}", enterprise_id), *name));
  auto saved = store_.inspections().AppointSupervisor({.enterprise_id = enterprise_id,
                                                       .name = *name,
                                                       .unit = *unit,
                                                       .phone = *phone,
                                                       .appointed_on = *appointed_on,
                                                       .appointed_by = caller.principal.username,
                                                       .created_at = clock_.Now()});
  Audit(caller, "appoint", fmt::format("enterprises:{}", enterprise_id), saved.status(), *name);
  return saved;
}

Result<storage::ResidentSupervisor> InspectionService::EndSupervisor(const registry::Caller& caller, std::int64_t id,
                                                                     const json& body) {
  auto supervisor = VisibleSupervisor(caller, id);
  if (!supervisor.ok()) return supervisor.status();
  if (!Check(caller, security::Action::kSupervisorAppoint, supervisor->region, supervisor->enterprise_id).ok()) {
    return Status::PermissionDenied("the city or county ends a resident supervisor's appointment");
  }
  if (!body.is_object()) return Status::InvalidArgument("request body must be a JSON object");
  std::vector<core::FieldError> errors;
  UnknownFields(body, {"ended_on", "reason"}, errors);
  auto ended_on = Date(body, "ended_on", "", errors);
  auto reason = Text(body, "reason", kMaxText, "why the appointment ends", errors);
  const std::string today = Today();
  if (ended_on && (*ended_on > today || *ended_on < supervisor->appointed_on)) {
    errors.push_back({"ended_on", fmt::format("must be between the appointment ({}) and today ({})",
                                              supervisor->appointed_on, today)});
  }
  if (!errors.empty()) return Status::InvalidArgument("invalid end of appointment", std::move(errors));
  KILN_RETURN_IF_ERROR(audit_.Intend(caller.principal.username, caller.address, "inspection.end_appointment",
                                     fmt::format("resident_supervisors:{}", id), *reason));
  auto saved = store_.inspections().EndSupervisor(id, *ended_on, *reason);
  Audit(caller, "end_appointment", fmt::format("resident_supervisors:{}", id), saved.status(), *reason);
  return saved;
}

Result<std::vector<storage::ResidentSupervisor>> InspectionService::ListSupervisors(
    const registry::Caller& caller, std::optional<std::int64_t> enterprise_id, const std::string& region,
    bool active_only) {
  auto scope = security::ScopeFor(caller.principal, security::Action::kInspectionRead);
  if (!scope.ok()) return scope.status();
  if (!region.empty()) {
    auto narrowed = security::NarrowToRegion(*scope, region);
    if (!narrowed) return std::vector<storage::ResidentSupervisor>{};
    scope = *narrowed;
  }
  if (scope->enterprise_id) {
    if (enterprise_id && *enterprise_id != *scope->enterprise_id) return std::vector<storage::ResidentSupervisor>{};
    enterprise_id = scope->enterprise_id;
  }
  return store_.inspections().ListSupervisors(scope->region_prefix, enterprise_id, active_only);
}

Result<std::pair<storage::ResidentSupervisor, std::vector<storage::SupervisorVisit>>>
InspectionService::SupervisorVisits(const registry::Caller& caller, std::int64_t id) {
  auto supervisor = VisibleSupervisor(caller, id);
  if (!supervisor.ok()) return supervisor.status();
  auto visits = store_.inspections().SupervisorVisits(id);
  if (!visits.ok()) return visits.status();
  return std::pair{std::move(*supervisor), std::move(*visits)};
}

Result<storage::SupervisorVisit> InspectionService::RecordSupervisorVisit(const registry::Caller& caller,
                                                                          std::int64_t id, const json& body) {
  auto supervisor = VisibleSupervisor(caller, id);
  if (!supervisor.ok()) return supervisor.status();
  if (caller.principal.enterprise_id ||
      !Check(caller, security::Action::kInspectionRecord, supervisor->region, supervisor->enterprise_id).ok()) {
    return Status::PermissionDenied("an official records a resident supervisor's visit");
  }
  if (!body.is_object()) return Status::InvalidArgument("request body must be a JSON object");
  std::vector<core::FieldError> errors;
  UnknownFields(body, {"visited_on", "output_t", "meters_ok", "note"}, errors);
  auto visited_on = Date(body, "visited_on", "", errors);
  const std::string today = Today();
  if (visited_on && (*visited_on > today || *visited_on < supervisor->appointed_on)) {
    errors.push_back({"visited_on", fmt::format("must be between the appointment ({}) and today ({})",
                                                supervisor->appointed_on, today)});
  }
  std::optional<double> output;
  if (body.contains("output_t") && !body["output_t"].is_null()) {
    if (!body["output_t"].is_number() || body["output_t"].get<double>() < 0) {
      errors.push_back({"output_t", "must be a quantity in t, not below 0"});
    } else {
      output = body["output_t"].get<double>();
    }
  }
  if (!body.contains("meters_ok") || !body["meters_ok"].is_boolean()) {
    errors.push_back({"meters_ok", "is required: true when the meters ran and were sealed"});
  }
  auto note = Text(body, "note", kMaxText, "what the supervisor saw", errors);
  if (!errors.empty()) return Status::InvalidArgument("invalid supervisor visit", std::move(errors));
  if (!supervisor->ended_on.empty()) {
    return Status::Conflict("the appointment has ended", {{"ended_on", "is " + supervisor->ended_on}});
  }
  auto saved = store_.inspections().AddSupervisorVisit({.supervisor_id = id,
                                                        .enterprise_id = supervisor->enterprise_id,
                                                        .visited_on = *visited_on,
                                                        .output_t = output,
                                                        .meters_ok = body["meters_ok"].get<bool>(),
                                                        .note = *note,
                                                        .recorded_by = caller.principal.username,
                                                        .recorded_at = clock_.Now()});
  Audit(caller, "supervisor_visit", fmt::format("resident_supervisors:{}", id), saved.status(), *note);
  return saved;
}

}  // namespace kiln::workflow
