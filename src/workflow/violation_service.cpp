#include "workflow/violation_service.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "core/attachment_type.hpp"
#include "security/access.hpp"
#include "workflow/body_fields.hpp"

namespace kiln::workflow {
namespace {

using core::Result;
using core::Status;
using nlohmann::json;

constexpr std::size_t kMaxText = 2000;
constexpr std::size_t kMaxUnit = 200;

struct Code {
  std::string name;
  int sort_order = 0;
  bool active = true;
};

// The codes of a reference list in force (each code's newest version).
Result<std::map<std::string, Code>> CurrentCodes(storage::ReferenceStore& store, const std::string& list) {
  auto items = store.ListReferenceItems(list);
  if (!items.ok()) return items.status();
  std::map<std::string, Code> out;
  for (const auto& [code, i] : storage::CurrentReferenceItems(*items)) out[code] = Code{i.name, i.sort_order, i.active};
  return out;
}

std::string ActiveCodes(const std::map<std::string, Code>& codes) {
  std::string out;
  for (const auto& [code, c] : codes) {
    if (c.active) out += (out.empty() ? "" : ", ") + code;
  }
  return out;
}

}  // namespace

bool IsViolationState(const std::string& state) {
  return std::any_of(std::begin(kViolationStates), std::end(kViolationStates),
                     [&](const char* s) { return state == s; });
}

bool ViolationOverdue(const storage::Violation& v, const std::string& today) {
  return v.deadline < today && v.state != "done" && v.state != "closed";
}

std::string ViolationService::Today() const { return core::FormatDate(core::ChinaDateOf(clock_.Now())); }

void ViolationService::Audit(const registry::Caller& caller, const std::string& action, std::int64_t id,
                             const Status& s, const std::string& detail) {
  (void)audit_.Record(caller.principal.username, caller.address, "violation." + action,
                      id ? fmt::format("violations:{}", id) : "violations",
                      s.ok()               ? "ok"
                      : s.reason().empty() ? core::StatusCodeName(s.code())
                                           : s.reason(),
                      detail);
}

Status ViolationService::Check(const registry::Caller& caller, security::Action action, const storage::Violation& v) {
  return security::Authorize(caller.principal, action, {.region = v.region, .enterprise_id = v.enterprise_id});
}

Result<storage::Violation> ViolationService::Visible(const registry::Caller& caller, std::int64_t id) {
  const auto hidden = Status::NotFound(fmt::format("violation {} not found", id));
  auto v = store_.violations().GetViolation(id);
  if (!v.ok()) return v.status();
  if (!*v) return hidden;
  auto allowed = Check(caller, security::Action::kViolationRead, **v);
  if (allowed.code() == core::StatusCode::kNotFound) return hidden;
  if (!allowed.ok()) return allowed;
  return **v;
}

Result<std::vector<storage::ReviewItem>> ViolationService::Closures(const storage::Violation& v) {
  auto items = store_.reviews().ListReviews(
      {.flow = "violation_closure", .subject_kind = "project", .subject_id = v.project_id, .page_size = 500});
  if (!items.ok()) return items.status();
  std::vector<storage::ReviewItem> out;
  for (auto& item : items->first) {
    auto content = json::parse(item.content, nullptr, false);
    if (content.is_object() && content.value("violation_id", std::int64_t{0}) == v.id) out.push_back(std::move(item));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

Result<std::optional<storage::ReviewItem>> ViolationService::OpenClosure(const storage::Violation& v) {
  auto closures = Closures(v);
  if (!closures.ok()) return closures.status();
  for (auto& c : *closures) {
    if (!c.awaiting.empty()) return std::optional(std::move(c));
  }
  return std::optional<storage::ReviewItem>();
}

Result<storage::Violation> ViolationService::Mark(const registry::Caller& caller, std::int64_t project_id,
                                                  const json& body) {
  auto project = registry_.Authorized(caller, registry::Kind::kProject, project_id, security::Action::kViolationMark);
  if (project.status().code() == core::StatusCode::kPermissionDenied) {
    return Status::PermissionDenied("officials of the county, city or province mark violating projects");
  }
  if (!project.ok()) return project.status();
  if (!body.is_object()) return Status::InvalidArgument("request body must be a JSON object");
  std::vector<core::FieldError> errors;
  UnknownFields(body,
                {"violation_type", "disposal_type", "measures", "deadline", "responsible_unit", "note", "attachments"},
                errors);
  auto violation_types = CurrentCodes(store_, "violation_types");
  if (!violation_types.ok()) return violation_types.status();
  auto disposal_types = CurrentCodes(store_, "disposal_types");
  if (!disposal_types.ok()) return disposal_types.status();
  auto code = [&](const char* key, const std::map<std::string, Code>& codes) -> std::string {
    auto v = body.value(key, json());
    auto it = v.is_string() ? codes.find(v.get<std::string>()) : codes.end();
    if (it == codes.end() || !it->second.active) {
      errors.push_back({key, fmt::format("must be one of {}", ActiveCodes(codes))});
      return "";
    }
    return it->first;
  };
  const std::string today = Today();
  storage::Violation v{
      .project_id = project_id,
      .enterprise_id = storage::AsInt(project->at("enterprise_id")),
      .region = storage::AsText(project->at("region")),
      .violation_type = code("violation_type", *violation_types),
      .disposal_type = code("disposal_type", *disposal_types),
      .measures = Text(body, "measures", kMaxText, "the rectification measures", errors).value_or(""),
      .deadline = Date(body, "deadline", today, errors).value_or(""),
      .responsible_unit = Text(body, "responsible_unit", kMaxUnit, "the unit responsible", errors).value_or(""),
      .state = "not_started",
      .marked_by = caller.principal.username};
  std::string note;
  if (body.contains("note")) note = Text(body, "note", kMaxText, "a note", errors).value_or("");
  auto attachments = Attachments(body, errors);
  if (!errors.empty()) return Status::InvalidArgument("invalid violation", std::move(errors));
  storage::ViolationEvent event{.kind = "mark",
                                .level = LevelOf(caller.principal),
                                .actor = caller.principal.username,
                                .note = note,
                                .state = v.state,
                                .disposal_type = v.disposal_type,
                                .deadline = v.deadline,
                                .at = clock_.Now(),
                                .attachments = attachments};
  KILN_RETURN_IF_ERROR(audit_.Intend(caller.principal.username, caller.address, "violation.mark",
                                     fmt::format("projects:{}", project_id),
                                     fmt::format("{} / {}", v.violation_type, v.disposal_type)));
  auto marked = store_.violations().MarkViolation(v, event);
  Audit(caller, "mark", marked.ok() ? marked->id : 0, marked.status(), fmt::format("project {}", project_id));
  return marked;
}

Result<std::vector<ViolationGroup>> ViolationService::Summary(const registry::Caller& caller,
                                                              const std::string& group_by, const std::string& region) {
  auto scope = security::ScopeFor(caller.principal, security::Action::kViolationRead);
  if (!scope.ok()) return scope.status();
  if (scope->enterprise_id) return Status::PermissionDenied("violation summaries are for officials");
  if (!region.empty()) {
    auto narrowed = security::NarrowToRegion(*scope, region);
    if (!narrowed) return std::vector<ViolationGroup>{ViolationGroup{}};
    scope = *narrowed;
  }
  // A province's prefix has 2 digits (its cities: 4), a city's 4 (its counties: 6).
  const int digits = std::min<int>(6, static_cast<int>(scope->region_prefix.size()) + 2);
  auto counts = store_.violations().CountViolations(scope->region_prefix, group_by == "region" ? digits : 0,
                                                    group_by == "industry", Today());
  if (!counts.ok()) return counts.status();
  std::map<std::string, ViolationGroup> groups;
  ViolationGroup all;
  for (const auto& c : *counts) {
    const std::string key = group_by == "disposal_type" ? c.disposal_type : c.key;
    for (ViolationGroup* g : {&groups[key], &all}) {
      g->total += c.count;
      g->overdue += c.overdue;
      if (c.state == "closed") g->closed += c.count;
      g->by_state[c.state] += c.count;
      g->by_disposal[c.disposal_type] += c.count;
    }
  }
  std::vector<ViolationGroup> out;
  for (auto& [key, g] : groups) {
    g.key = key;
    out.push_back(std::move(g));
  }
  out.push_back(std::move(all));
  return out;
}

Result<std::pair<std::vector<storage::Violation>, std::int64_t>> ViolationService::List(const registry::Caller& caller,
                                                                                        const ViolationListRequest& r) {
  auto scope = security::ScopeFor(caller.principal, security::Action::kViolationRead);
  if (!scope.ok()) return scope.status();
  const std::pair<std::vector<storage::Violation>, std::int64_t> none{{}, 0};
  if (!r.region.empty()) {
    auto narrowed = security::NarrowToRegion(*scope, r.region);
    if (!narrowed) return none;
    scope = *narrowed;
  }
  storage::ViolationQuery q{.region_prefix = scope->region_prefix,
                            .enterprise_id = scope->enterprise_id,
                            .project_id = r.project_id,
                            .state = r.state,
                            .disposal_type = r.disposal_type,
                            .violation_type = r.violation_type,
                            .industry = r.industry,
                            .open_only = r.open_only,
                            .overdue_on = r.overdue_only ? Today() : "",
                            .page = r.page,
                            .page_size = r.page_size};
  if (r.enterprise_id) {
    if (q.enterprise_id && *q.enterprise_id != *r.enterprise_id) return none;
    q.enterprise_id = r.enterprise_id;
  }
  return store_.violations().ListViolations(q);
}

Result<ViolationDetail> ViolationService::Get(const registry::Caller& caller, std::int64_t id) {
  auto v = Visible(caller, id);
  if (!v.ok()) return v.status();
  ViolationDetail d{.violation = *v, .overdue = ViolationOverdue(*v, Today())};
  auto events = store_.violations().ViolationEvents(id);
  if (!events.ok()) return events.status();
  d.events = std::move(*events);
  for (const auto& e : d.events) KILN_RETURN_IF_ERROR(AddAttachments(store_.reviews(), e.attachments, d.attachments));
  auto closures = Closures(*v);
  if (!closures.ok()) return closures.status();
  d.closures = std::move(*closures);
  const bool closure_open = std::any_of(d.closures.begin(), d.closures.end(),
                                        [](const auto& c) { return !c.awaiting.empty() && c.status != "returned"; });
  const bool closure_pending =
      std::any_of(d.closures.begin(), d.closures.end(), [](const auto& c) { return !c.awaiting.empty(); });
  d.may.report = v->state != "closed" && !closure_open && Check(caller, security::Action::kViolationReport, *v).ok();
  d.may.escalate = d.overdue && Check(caller, security::Action::kViolationEscalate, *v).ok();
  d.may.close = v->state == "done" && !closure_pending && Check(caller, security::Action::kViolationClose, *v).ok() &&
                ReviewEngine::ActingLevel(caller.principal) == "county";
  return d;
}

Result<storage::Violation> ViolationService::ReportProgress(const registry::Caller& caller, std::int64_t id,
                                                            const json& body) {
  auto v = Visible(caller, id);
  if (!v.ok()) return v.status();
  if (auto allowed = Check(caller, security::Action::kViolationReport, *v); !allowed.ok()) {
    if (allowed.code() == core::StatusCode::kPermissionDenied) {
      return Status::PermissionDenied("the enterprise or its county reports rectification progress");
    }
    return allowed;
  }
  if (!body.is_object()) return Status::InvalidArgument("request body must be a JSON object");
  std::vector<core::FieldError> errors;
  UnknownFields(body, {"state", "progress", "note", "attachments"}, errors);
  std::string state = body.value("state", json()).is_string() ? body["state"].get<std::string>() : "";
  if (state != "in_progress" && state != "partly_done" && state != "done") {
    errors.push_back({"state", "must be in_progress, partly_done or done"});
  }
  int progress = v->progress;
  if (body.contains("progress")) {
    if (!body["progress"].is_number_integer() || body["progress"].get<int>() < 0 || body["progress"].get<int>() > 100) {
      errors.push_back({"progress", "must be a whole percentage 0–100"});
    } else {
      progress = body["progress"].get<int>();
    }
  }
  if (state == "done") progress = 100;
  if (state == "partly_done" && (progress <= 0 || progress >= 100)) {
    errors.push_back({"progress", "a partly done rectification is between 1 and 99 percent done"});
  }
  if (state == "in_progress" && progress >= 100) progress = 99;
  auto note = Text(body, "note", kMaxText, "what was done", errors);
  auto attachments = Attachments(body, errors);
  if (!errors.empty()) return Status::InvalidArgument("invalid progress report", std::move(errors));
  if (v->state == "closed") {
    return Status::Conflict("the violation is closed", {{"state", "is closed"}});
  }
  auto open = OpenClosure(*v);
  if (!open.ok()) return open.status();
  if (*open && (*open)->status != "returned") {
    return Status::Conflict(fmt::format("the closure (review item {}) is under review", (*open)->id),
                            {{"state", fmt::format("closure item {} is {}", (*open)->id, (*open)->status)}});
  }
  storage::ViolationEvent event{.kind = "progress",
                                .level = LevelOf(caller.principal),
                                .actor = caller.principal.username,
                                .note = *note,
                                .state = state,
                                .disposal_type = v->disposal_type,
                                .deadline = v->deadline,
                                .progress = progress,
                                .at = clock_.Now(),
                                .attachments = attachments};
  auto moved = store_.violations().AddViolationEvent(id, v->state, v->updated_at, event, false);
  Audit(caller, "progress", id, moved.status(), fmt::format("{} {}%", state, progress));
  return moved;
}

Result<storage::Violation> ViolationService::Escalate(const registry::Caller& caller, std::int64_t id,
                                                      const json& body) {
  auto v = Visible(caller, id);
  if (!v.ok()) return v.status();
  if (auto allowed = Check(caller, security::Action::kViolationEscalate, *v); !allowed.ok()) {
    if (allowed.code() == core::StatusCode::kPermissionDenied) {
      return Status::PermissionDenied("the city or the province escalates an overdue case");
    }
    return allowed;
  }
  if (!body.is_object()) return Status::InvalidArgument("request body must be a JSON object");
  const std::string today = Today();
  std::vector<core::FieldError> errors;
  UnknownFields(body, {"reason", "deadline", "disposal_type"}, errors);
  auto reason = Text(body, "reason", kMaxText, "why the case escalates", errors);
  auto deadline = Date(body, "deadline", today, errors);
  std::string disposal = v->disposal_type;
  if (body.contains("disposal_type")) {
    auto codes = CurrentCodes(store_, "disposal_types");
    if (!codes.ok()) return codes.status();
    auto asked = body["disposal_type"].is_string() ? body["disposal_type"].get<std::string>() : "";
    auto it = codes->find(asked);
    auto current = codes->find(v->disposal_type);
    if (it == codes->end() || !it->second.active) {
      errors.push_back({"disposal_type", fmt::format("must be one of {}", ActiveCodes(*codes))});
    } else if (current != codes->end() && it->second.sort_order <= current->second.sort_order) {
      errors.push_back({"disposal_type", fmt::format("must be stricter than the current {} ({})", current->second.name,
                                                     v->disposal_type)});
    } else {
      disposal = asked;
    }
  }
  if (!errors.empty()) return Status::InvalidArgument("invalid escalation", std::move(errors));
  if (!ViolationOverdue(*v, today)) {
    return Status::Conflict(
        fmt::format("the violation is {} with deadline {}; only an overdue, unrectified case escalates", v->state,
                    v->deadline),
        {{"deadline", "has not passed, or the rectification is done"}});
  }
  storage::ViolationEvent event{.kind = "escalate",
                                .level = LevelOf(caller.principal),
                                .actor = caller.principal.username,
                                .note = *reason,
                                .state = v->state,
                                .disposal_type = disposal,
                                .deadline = *deadline,
                                .progress = v->progress,
                                .at = clock_.Now()};
  KILN_RETURN_IF_ERROR(audit_.Intend(caller.principal.username, caller.address, "violation.escalate",
                                     fmt::format("violations:{}", id), *reason));
  auto moved = store_.violations().AddViolationEvent(id, v->state, v->updated_at, event, true);
  Audit(caller, "escalate", id, moved.status(),
        fmt::format("{} → {}, deadline {}", v->disposal_type, disposal, *deadline));
  return moved;
}

Result<storage::ReviewItem> ViolationService::FileClosure(const registry::Caller& caller, std::int64_t id,
                                                          const json& body) {
  auto v = Visible(caller, id);
  if (!v.ok()) return v.status();
  if (auto allowed = Check(caller, security::Action::kViolationClose, *v); !allowed.ok()) {
    if (allowed.code() == core::StatusCode::kPermissionDenied) {
      return Status::PermissionDenied("the county files a rectified violation for closure");
    }
    return allowed;
  }
  if (v->state != "done") {
    return Status::Conflict(fmt::format("the violation is {}; a rectified (done) case is filed for closure", v->state),
                            {{"state", "is " + v->state}});
  }
  auto open = OpenClosure(*v);
  if (!open.ok()) return open.status();
  if (*open) {
    return Status::Conflict(
        fmt::format("closure item {} is {}; a returned closure is sent again with POST /api/v1/reviews/{}/resubmit",
                    (*open)->id, (*open)->status, (*open)->id),
        {{"closure", fmt::format("item {} is {}", (*open)->id, (*open)->status)}});
  }
  return reviews_.File(caller, "violation_closure",
                       {.kind = "project",
                        .id = v->project_id,
                        .enterprise_id = v->enterprise_id,
                        .region = v->region,
                        .label = v->project_name},
                       body, {{"violation_id", id}});
}

}  // namespace kiln::workflow
