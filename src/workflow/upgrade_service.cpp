#include "workflow/upgrade_service.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "core/registry_schema.hpp"
#include "security/access.hpp"
#include "workflow/body_fields.hpp"

namespace kiln::workflow {
namespace {

using core::Result;
using core::Status;
using nlohmann::json;

constexpr std::size_t kMaxMeasures = 4000;
constexpr std::size_t kMaxNote = 2000;
constexpr std::size_t kMaxProjects = 50;
constexpr std::size_t kMaxMilestones = 20;

bool IsPlanFlow(const std::string& flow) { return flow == "upgrade_plan" || flow == "upgrade_acceptance"; }

std::int64_t PlanIdOf(const std::string& content) {
  auto parsed = json::parse(content, nullptr, false);
  if (!parsed.is_object() || !parsed.contains("plan_id") || !parsed["plan_id"].is_number_integer()) return 0;
  return parsed["plan_id"].get<std::int64_t>();
}

std::optional<double> NonNegative(const json& body, const char* key, const std::string& field,
                                  std::vector<core::FieldError>& errors) {
  if (!body.contains(key) || !body[key].is_number() || body[key].get<double>() < 0) {
    errors.push_back({field, "is required: a number not below 0"});
    return std::nullopt;
  }
  return body[key].get<double>();
}

// A project's class by its declared efficiency against its product's level in force.
std::optional<core::EfficiencyClass> ClassOfProject(const core::Record& project,
                                                    const std::optional<core::EfficiencyLevel>& level) {
  if (!level || core::IsNull(project.at("efficiency_value"))) return std::nullopt;
  return core::ClassifyEfficiency(storage::AsReal(project.at("efficiency_value")),
                                  storage::AsText(project.at("efficiency_unit")), *level);
}

std::string ProblemText(const analysis::SavingProblem& p) {
  std::string months;
  for (const auto& m : p.months) months += (months.empty() ? "" : ", ") + m;
  if (p.kind == "not_completed") return "the works are not reported complete";
  if (p.kind == "baseline_missing") {
    return fmt::format("project {}: no metered or reported figures in baseline months {}", p.project_id, months);
  }
  return fmt::format("project {}: fewer than {} full months with figures after completion{}", p.project_id,
                     analysis::kMinAfterMonths, months.empty() ? "" : " (without figures: " + months + ")");
}

}  // namespace

UpgradeService::UpgradeService(storage::Store& store, registry::Registry& registry, ReviewEngine& reviews,
                               analysis::Accounting& accounting, security::AuditLog& audit, const core::Clock& clock)
    : store_(store), registry_(registry), reviews_(reviews), accounting_(accounting), audit_(audit), clock_(clock) {
  reviews_.SetFlowHooks(
      "upgrade_plan",
      {.content = [this](const registry::Caller&, const storage::ReviewItem& item, const json& body) -> Result<json> {
         auto parsed = ParsePlan(item.enterprise_id.value_or(0), body);
         if (!parsed.ok()) return parsed.status();
         parsed->first["plan_id"] = PlanIdOf(item.content);
         return parsed->first;
       },
       .effect = [](const storage::ReviewItem& item) -> Result<storage::ReviewEffect> {
         auto content = json::parse(item.content, nullptr, false);
         auto plan_id = PlanIdOf(item.content);
         if (!plan_id || !content.contains("projects")) {
           return Status::Internal(fmt::format("review item {} carries no upgrade plan", item.id));
         }
         std::string ids;
         double expected = 0;
         for (const auto& p : content["projects"]) {
           ids += fmt::format("{}{}", ids.empty() ? "" : ",", p["project_id"].get<std::int64_t>());
           expected += p["expected_saving_tce"].get<double>();
         }
         return storage::ReviewEffect{.kind = storage::ReviewEffect::Kind::kUpgradePlanApproved,
                                      .enterprise_id = item.enterprise_id.value_or(0),
                                      .record_id = plan_id,
                                      .fields = {{"content", item.content},
                                                 {"completion_due", content["completion_due"].get<std::string>()},
                                                 {"expected_saving_tce", expected},
                                                 {"project_ids", ids}}};
       }});
  reviews_.SetFlowHooks(
      "upgrade_acceptance",
      {.content = [this](const registry::Caller& caller, const storage::ReviewItem& item,
                         const json& body) -> Result<json> {
         // Sent again after a return: measured again, with the months that have come in since.
         auto plan = store_.upgrades().GetUpgradePlan(PlanIdOf(item.content));
         if (!plan.ok()) return plan.status();
         if (!*plan) return Status::NotFound("the upgrade plan is gone");
         return AcceptanceContent(caller, **plan, body);
       },
       .effect = [](const storage::ReviewItem& item) -> Result<storage::ReviewEffect> {
         auto content = json::parse(item.content, nullptr, false);
         auto plan_id = PlanIdOf(item.content);
         if (!plan_id || !content.contains("measurement")) {
           return Status::Internal(fmt::format("review item {} carries no measurement", item.id));
         }
         const auto& m = content["measurement"];
         return storage::ReviewEffect{
             .kind = storage::ReviewEffect::Kind::kUpgradeAccepted,
             .enterprise_id = item.enterprise_id.value_or(0),
             .record_id = plan_id,
             .fields = {{"measured", m.dump()}, {"measured_saving_tce", m.value("measured_saving_tce", 0.0)}}};
       }});
}

std::string UpgradeService::Today() const { return core::FormatDate(core::ChinaDateOf(clock_.Now())); }

void UpgradeService::Audit(const registry::Caller& caller, const std::string& action, std::int64_t id, const Status& s,
                           const std::string& detail) {
  (void)audit_.Record(caller.principal.username, caller.address, "upgrade." + action,
                      id ? fmt::format("upgrade_plans:{}", id) : "upgrade_plans",
                      s.ok()               ? "ok"
                      : s.reason().empty() ? core::StatusCodeName(s.code())
                                           : s.reason(),
                      detail);
}

Status UpgradeService::Check(const registry::Caller& caller, security::Action action,
                             const storage::UpgradePlan& plan) {
  return security::Authorize(caller.principal, action, {.region = plan.region, .enterprise_id = plan.enterprise_id});
}

Result<storage::UpgradePlan> UpgradeService::Visible(const registry::Caller& caller, std::int64_t id) {
  const auto hidden = Status::NotFound(fmt::format("upgrade plan {} not found", id));
  auto plan = store_.upgrades().GetUpgradePlan(id);
  if (!plan.ok()) return plan.status();
  if (!*plan) return hidden;
  auto allowed = Check(caller, security::Action::kUpgradeRead, **plan);
  if (allowed.code() == core::StatusCode::kNotFound) return hidden;
  if (!allowed.ok()) return allowed;
  return **plan;
}

Result<std::pair<json, storage::UpgradePlan>> UpgradeService::ParsePlan(std::int64_t enterprise_id, const json& body) {
  if (!body.is_object()) return Status::InvalidArgument("request body must be a JSON object");
  std::vector<core::FieldError> errors;
  UnknownFields(
      body,
      {"projects", "measures", "investment", "adopted_on", "completion_due", "milestones", "reason", "attachments"},
      errors);
  auto levels = store_.ListEfficiencyLevels();
  if (!levels.ok()) return levels.status();
  auto owned = store_.ListRecords(core::ProjectSchema(), {.enterprise_id = enterprise_id, .page_size = 1000});
  if (!owned.ok()) return owned.status();
  json projects = json::array();
  std::vector<std::int64_t> ids;
  double expected = 0;
  if (!body.contains("projects") || !body["projects"].is_array() || body["projects"].empty() ||
      body["projects"].size() > kMaxProjects) {
    errors.push_back(
        {"projects",
         fmt::format("is required: 1 to {} of the enterprise's projects below the benchmark level", kMaxProjects)});
  } else {
    for (std::size_t k = 0; k < body["projects"].size(); ++k) {
      const auto& p = body["projects"][k];
      const std::string field = fmt::format("projects[{}]", k);
      if (!p.is_object()) {
        errors.push_back({field, "must be an object"});
        continue;
      }
      UnknownFields(p, {"project_id", "target_level", "expected_saving_tce"}, errors);
      if (!p.contains("project_id") || !p["project_id"].is_number_integer()) {
        errors.push_back({field + ".project_id", "is required: a project id"});
        continue;
      }
      auto id = p["project_id"].get<std::int64_t>();
      if (std::find(ids.begin(), ids.end(), id) != ids.end()) {
        errors.push_back({field + ".project_id", fmt::format("project {} is named twice", id)});
        continue;
      }
      auto record = std::find_if(owned->items.begin(), owned->items.end(),
                                 [&](const core::Record& r) { return storage::AsInt(r.at("id")) == id; });
      if (record == owned->items.end()) {
        errors.push_back({field + ".project_id", fmt::format("project {} is not one of the enterprise's", id)});
        continue;
      }
      const std::string product = storage::AsText(record->at("product"));
      auto level = core::CurrentLevel(*levels, product);
      auto cls = ClassOfProject(*record, level);
      if (storage::AsText(record->at("state")) != "existing" || cls != core::EfficiencyClass::kBelowBenchmark) {
        errors.push_back({field + ".project_id",
                          fmt::format("project {} is not an existing project below the benchmark level", id)});
        continue;
      }
      std::string target = p.value("target_level", json()).is_string() ? p["target_level"].get<std::string>() : "";
      if (target != "benchmark" && target != "advanced") {
        errors.push_back({field + ".target_level", "must be benchmark (基准) or advanced (标杆)"});
      }
      auto saving = NonNegative(p, "expected_saving_tce", field + ".expected_saving_tce", errors);
      ids.push_back(id);
      expected += saving.value_or(0);
      projects.push_back({{"project_id", id},
                          {"name", storage::AsText(record->at("name"))},
                          {"product", product},
                          {"target_level", target},
                          {"expected_saving_tce", saving.value_or(0)},
                          {"declared", storage::AsReal(record->at("efficiency_value"))},
                          {"benchmark", level->benchmark},
                          {"advanced", level->advanced},
                          {"unit", level->indicator_unit}});
    }
  }
  auto measures = Text(body, "measures", kMaxMeasures, "the measures of the upgrade", errors);
  auto investment = NonNegative(body, "investment", "investment", errors);
  // A plan the enterprise adopted before it was registered here (seed 001: plans were due by September
  // 2022) keeps its own date: the baseline is the 12 months before it.
  const std::string today = Today();
  std::string adopted_on = today;
  if (body.contains("adopted_on")) {
    if (auto d = Date(body, "adopted_on", "", errors)) {
      if (*d > today) {
        errors.push_back({"adopted_on", fmt::format("must not be after today ({})", today)});
      } else {
        adopted_on = *d;
      }
    }
  }
  auto due = Date(body, "completion_due", adopted_on, errors);
  json milestones = json::array();
  if (body.contains("milestones")) {
    const auto& list = body["milestones"];
    if (!list.is_array() || list.size() > kMaxMilestones) {
      errors.push_back({"milestones", fmt::format("must be a list of at most {} milestones", kMaxMilestones)});
    } else {
      for (std::size_t k = 0; k < list.size(); ++k) {
        const auto& m = list[k];
        std::vector<core::FieldError> own;
        if (!m.is_object()) {
          errors.push_back({fmt::format("milestones[{}]", k), "must be an object with title and due"});
          continue;
        }
        UnknownFields(m, {"title", "due"}, own);
        auto title = Text(m, "title", 200, "what is to be done", own);
        auto when = Date(m, "due", "", own);
        for (auto& e : own) errors.push_back({fmt::format("milestones[{}].{}", k, e.field), e.reason});
        if (title && when) milestones.push_back({{"title", *title}, {"due", *when}});
      }
    }
  }
  std::string reason = "提交能效改造升级方案";
  if (body.contains("reason")) {
    if (auto r = Text(body, "reason", kMaxNote, "a note to the reviewers", errors)) reason = *r;
  }
  auto attachments = Attachments(body, errors);
  if (!errors.empty()) return Status::InvalidArgument("invalid upgrade plan", std::move(errors));
  json content = {{"projects", projects},     {"measures", *measures},     {"investment", *investment},
                  {"adopted_on", adopted_on}, {"completion_due", *due},    {"milestones", milestones},
                  {"reason", reason},         {"attachments", attachments}};
  auto adopted = *core::ParseDate(adopted_on);
  storage::UpgradePlan plan{.enterprise_id = enterprise_id,
                            .status = "filed",
                            .content = content.dump(),
                            .start_month = fmt::format("{:04}-{:02}", adopted.year, adopted.month),
                            .completion_due = *due,
                            .expected_saving_tce = expected,
                            .project_ids = ids};
  return std::pair{std::move(content), std::move(plan)};
}

Result<UpgradeDetail> UpgradeService::File(const registry::Caller& caller, std::int64_t enterprise_id,
                                           const json& body) {
  auto enterprise =
      registry_.Authorized(caller, registry::Kind::kEnterprise, enterprise_id, security::Action::kUpgradePlan);
  if (enterprise.status().code() == core::StatusCode::kPermissionDenied ||
      (enterprise.ok() && ReviewEngine::ActingLevel(caller.principal) != "enterprise")) {
    return Status::PermissionDenied("an enterprise files its own upgrade plan");
  }
  if (!enterprise.ok()) return enterprise.status();
  auto parsed = ParsePlan(enterprise_id, body);
  if (!parsed.ok()) return parsed.status();
  auto& [content, plan] = *parsed;
  plan.filed_by = caller.principal.username;
  const FlowSpec* flow = reviews_.Flow("upgrade_plan");
  if (!flow) return Status::Internal("no review flow upgrade_plan");
  auto [item, step] = reviews_.NewFiling(caller, *flow,
                                         {.kind = "enterprise",
                                          .id = enterprise_id,
                                          .enterprise_id = enterprise_id,
                                          .region = storage::AsText(enterprise->at("region")),
                                          .label = storage::AsText(enterprise->at("name"))},
                                         content);
  storage::UpgradePlanEvent event{.kind = "filed",
                                  .level = "enterprise",
                                  .actor = caller.principal.username,
                                  .note = content["reason"].get<std::string>(),
                                  .status = "filed",
                                  .at = step.at,
                                  .attachments = step.attachments};
  KILN_RETURN_IF_ERROR(audit_.Intend(caller.principal.username, caller.address, "upgrade.file",
                                     fmt::format("enterprises:{}", enterprise_id), ""));
  auto filed = store_.upgrades().FileUpgradePlan(plan, event, item, step);
  Audit(caller, "file", filed.ok() ? filed->first.id : 0, filed.status(),
        filed.ok() ? fmt::format("review item {}", filed->second.id) : "");
  if (!filed.ok()) return filed.status();
  return Get(caller, filed->first.id);
}

Result<std::pair<std::vector<storage::UpgradePlan>, std::int64_t>> UpgradeService::List(const registry::Caller& caller,
                                                                                        const UpgradeListRequest& r) {
  auto scope = security::ScopeFor(caller.principal, security::Action::kUpgradeRead);
  if (!scope.ok()) return scope.status();
  const std::pair<std::vector<storage::UpgradePlan>, std::int64_t> none{{}, 0};
  if (!r.region.empty()) {
    auto narrowed = security::NarrowToRegion(*scope, r.region);
    if (!narrowed) return none;
    scope = *narrowed;
  }
  if (!r.status.empty() && std::none_of(std::begin(kUpgradeStatuses), std::end(kUpgradeStatuses),
                                        [&](const char* s) { return r.status == s; })) {
    return Status::InvalidArgument("invalid upgrade plan query",
                                   {{"status", "must be filed, in_progress, completed or accepted"}});
  }
  storage::UpgradePlanQuery q{.region_prefix = scope->region_prefix,
                              .enterprise_id = scope->enterprise_id ? scope->enterprise_id : r.enterprise_id,
                              .status = r.status,
                              .industry = r.industry,
                              .page = r.page,
                              .page_size = r.page_size};
  if (scope->enterprise_id && r.enterprise_id && *r.enterprise_id != *scope->enterprise_id) return none;
  return store_.upgrades().ListUpgradePlans(q);
}

Result<std::vector<storage::ReviewItem>> UpgradeService::Reviews(const storage::UpgradePlan& plan) {
  std::vector<storage::ReviewItem> out;
  for (const char* flow : {"upgrade_plan", "upgrade_acceptance"}) {
    auto items = store_.reviews().ListReviews(
        {.flow = flow, .subject_kind = "enterprise", .subject_id = plan.enterprise_id, .page_size = 500});
    if (!items.ok()) return items.status();
    for (auto& item : items->first) {
      if (PlanIdOf(item.content) == plan.id) out.push_back(std::move(item));
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

Result<analysis::SavingMeasurement> UpgradeService::Measure(const registry::Caller& caller,
                                                            const storage::UpgradePlan& plan, const json& content) {
  analysis::SavingRequest request{.enterprise_id = plan.enterprise_id,
                                  .start_month = plan.start_month,
                                  .completed_on = plan.completed_on,
                                  .today = core::ChinaDateOf(clock_.Now())};
  if (content.is_object() && content.contains("projects")) {
    for (const auto& p : content["projects"]) {
      request.projects.push_back(
          {.id = p["project_id"].get<std::int64_t>(), .expected_saving_tce = p["expected_saving_tce"].get<double>()});
    }
  }
  analysis::UpgradeSaving saving(store_, registry_, accounting_);
  return saving.Measure(caller, request);
}

Result<UpgradeDetail> UpgradeService::Get(const registry::Caller& caller, std::int64_t id) {
  auto plan = Visible(caller, id);
  if (!plan.ok()) return plan.status();
  UpgradeDetail d{.plan = *plan, .content = json::parse(plan->content, nullptr, false)};
  auto reviews = Reviews(*plan);
  if (!reviews.ok()) return reviews.status();
  d.reviews = std::move(*reviews);
  if (plan->status == "filed") {
    for (const auto& item : d.reviews) {
      if (item.flow == "upgrade_plan" && !item.awaiting.empty()) d.content = json::parse(item.content, nullptr, false);
    }
  }
  auto events = store_.upgrades().UpgradePlanEvents(id);
  if (!events.ok()) return events.status();
  d.events = std::move(*events);
  for (const auto& e : d.events) KILN_RETURN_IF_ERROR(AddAttachments(store_.reviews(), e.attachments, d.attachments));
  // And the files of its filings: a resubmitted plan's, the acceptance's.
  for (const auto& item : d.reviews) {
    auto filed = store_.reviews().ItemAttachments(item.id);
    if (!filed.ok()) return filed.status();
    for (auto& entry : *filed) {
      auto& a = entry.second;  // lambdas may not capture bindings (clang 14)
      if (std::none_of(d.attachments.begin(), d.attachments.end(), [&](const auto& x) { return x.id == a.id; })) {
        d.attachments.push_back(std::move(a));
      }
    }
  }
  if (plan->status == "accepted") {
    d.measurement = json::parse(plan->measured, nullptr, false);
  } else {
    auto measured = Measure(caller, *plan, d.content);
    if (!measured.ok()) return measured.status();
    d.measurement = analysis::SavingMeasurementJson(*measured);
  }
  const std::string level = ReviewEngine::ActingLevel(caller.principal);
  const bool acceptance_open = std::any_of(d.reviews.begin(), d.reviews.end(), [](const auto& r) {
    return r.flow == "upgrade_acceptance" && !r.awaiting.empty();
  });
  const bool may_plan = level == "enterprise" && Check(caller, security::Action::kUpgradePlan, *plan).ok();
  d.may.report = may_plan && plan->status == "in_progress";
  d.may.complete = d.may.report;
  d.may.accept = level == "county" && plan->status == "completed" && !acceptance_open &&
                 Check(caller, security::Action::kUpgradeAccept, *plan).ok();
  return d;
}

Result<UpgradeDetail> UpgradeService::Move(const registry::Caller& caller, std::int64_t id, const json& body,
                                           const std::optional<std::string>& completed_on_field) {
  const bool completion = completed_on_field.has_value();
  const std::string action = completion ? "complete" : "progress";
  auto plan = Visible(caller, id);
  if (!plan.ok()) return plan.status();
  auto allowed = Check(caller, security::Action::kUpgradePlan, *plan);
  if (allowed.code() == core::StatusCode::kPermissionDenied ||
      (allowed.ok() && ReviewEngine::ActingLevel(caller.principal) != "enterprise")) {
    return Status::PermissionDenied("the enterprise reports its upgrade's progress");
  }
  if (!allowed.ok()) return allowed;
  if (!body.is_object()) return Status::InvalidArgument("request body must be a JSON object");
  std::vector<core::FieldError> errors;
  int progress = 100;
  std::optional<std::string> completed_on;
  if (completion) {
    UnknownFields(body, {"completed_on", "note", "attachments"}, errors);
    const std::string today = Today();
    completed_on = Date(body, "completed_on", "", errors);
    auto content = json::parse(plan->content, nullptr, false);
    const std::string adopted_on = content.is_object() ? content.value("adopted_on", std::string()) : "";
    if (completed_on && *completed_on > today) {
      errors.push_back({"completed_on", fmt::format("must not be after today ({})", today)});
    } else if (completed_on && *completed_on < adopted_on) {
      errors.push_back({"completed_on", fmt::format("must not be before the plan was adopted ({})", adopted_on)});
    }
  } else {
    UnknownFields(body, {"progress", "note", "attachments"}, errors);
    if (!body.contains("progress") || !body["progress"].is_number_integer() || body["progress"].get<int>() < 0 ||
        body["progress"].get<int>() > 99) {
      errors.push_back({"progress", "is required: a whole percentage 0–99 (completion is reported on its own)"});
    } else {
      progress = body["progress"].get<int>();
    }
  }
  auto note = Text(body, "note", kMaxNote, completion ? "what was done" : "what has been done", errors);
  auto attachments = Attachments(body, errors);
  if (!errors.empty()) {
    return Status::InvalidArgument(completion ? "invalid completion" : "invalid progress report", std::move(errors));
  }
  if (plan->status != "in_progress") {
    return Status::Conflict(
        fmt::format("the upgrade plan is {}; progress is reported on a plan in progress", plan->status),
        {{"status", "is " + plan->status}});
  }
  storage::UpgradePlanEvent event{.kind = completion ? "completed" : "progress",
                                  .level = LevelOf(caller.principal),
                                  .actor = caller.principal.username,
                                  .note = *note,
                                  .status = completion ? "completed" : "in_progress",
                                  .progress = progress,
                                  .at = clock_.Now(),
                                  .attachments = attachments};
  KILN_RETURN_IF_ERROR(audit_.Intend(caller.principal.username, caller.address, "upgrade." + action,
                                     fmt::format("upgrade_plans:{}", id), *note));
  auto moved = store_.upgrades().AddUpgradePlanEvent(id, "in_progress", plan->updated_at, event, completed_on);
  Audit(caller, action, id, moved.status(), *note);
  if (!moved.ok()) return moved.status();
  return Get(caller, id);
}

Result<UpgradeDetail> UpgradeService::ReportProgress(const registry::Caller& caller, std::int64_t id,
                                                     const json& body) {
  return Move(caller, id, body, std::nullopt);
}

Result<UpgradeDetail> UpgradeService::Complete(const registry::Caller& caller, std::int64_t id, const json& body) {
  return Move(caller, id, body, std::string("completed_on"));
}

namespace {

// An acceptance's own words: {"reason", "attachments"?}.
Result<json> AcceptanceBody(const json& body) {
  if (!body.is_object()) return Status::InvalidArgument("request body must be a JSON object");
  std::vector<core::FieldError> errors;
  UnknownFields(body, {"reason", "attachments"}, errors);
  auto reason = Text(body, "reason", kMaxNote, "the acceptance opinion", errors);
  auto attachments = Attachments(body, errors);
  if (!errors.empty()) return Status::InvalidArgument("invalid acceptance", std::move(errors));
  return json{{"reason", *reason}, {"attachments", attachments}};
}

}  // namespace

Result<json> UpgradeService::AcceptanceContent(const registry::Caller& caller, const storage::UpgradePlan& plan,
                                               const json& body) {
  auto words = AcceptanceBody(body);
  if (!words.ok()) return words.status();
  auto measured = Measure(caller, plan, json::parse(plan.content, nullptr, false));
  if (!measured.ok()) return measured.status();
  if (!measured->ready) {
    std::vector<core::FieldError> lacking;
    for (const auto& p : measured->problems) lacking.push_back({"measurement", ProblemText(p)});
    return Status::Conflict("the measured saving is not complete", std::move(lacking));
  }
  return json{{"plan_id", plan.id},
              {"reason", (*words)["reason"]},
              {"attachments", (*words)["attachments"]},
              {"measurement", analysis::SavingMeasurementJson(*measured)}};
}

Result<storage::ReviewItem> UpgradeService::FileAcceptance(const registry::Caller& caller, std::int64_t id,
                                                           const json& body) {
  auto plan = Visible(caller, id);
  if (!plan.ok()) return plan.status();
  auto allowed = Check(caller, security::Action::kUpgradeAccept, *plan);
  if (allowed.code() == core::StatusCode::kPermissionDenied ||
      (allowed.ok() && ReviewEngine::ActingLevel(caller.principal) != "county")) {
    return Status::PermissionDenied("the county files an upgrade's acceptance");
  }
  if (!allowed.ok()) return allowed;
  if (auto words = AcceptanceBody(body); !words.ok()) return words.status();
  if (plan->status != "completed") {
    return Status::Conflict(
        fmt::format("the upgrade plan is {}; a plan whose works are completed is filed for acceptance", plan->status),
        {{"status", "is " + plan->status}});
  }
  const FlowSpec* flow = reviews_.Flow("upgrade_acceptance");
  if (!flow) return Status::Internal("no review flow upgrade_acceptance");
  auto content = AcceptanceContent(caller, *plan, body);
  if (!content.ok()) {
    Audit(caller, "accept", id, content.status(), content.status().message());
    return content.status();
  }
  auto enterprise = registry_.Get(caller, registry::Kind::kEnterprise, plan->enterprise_id);
  if (!enterprise.ok()) return enterprise.status();
  return reviews_.FileContent(caller, *flow,
                              {.kind = "enterprise",
                               .id = plan->enterprise_id,
                               .enterprise_id = plan->enterprise_id,
                               .region = storage::AsText(enterprise->at("region")),
                               .label = storage::AsText(enterprise->at("name"))},
                              *content, true);
}

Result<std::vector<UpgradeCandidate>> UpgradeService::Candidates(const registry::Caller& caller,
                                                                 std::int64_t enterprise_id) {
  auto enterprise = registry_.Get(caller, registry::Kind::kEnterprise, enterprise_id);
  if (!enterprise.ok()) return enterprise.status();
  auto levels = store_.ListEfficiencyLevels();
  if (!levels.ok()) return levels.status();
  auto owned = store_.ListRecords(core::ProjectSchema(), {.enterprise_id = enterprise_id, .page_size = 1000});
  if (!owned.ok()) return owned.status();
  auto plans = store_.upgrades().ListUpgradePlans({.enterprise_id = enterprise_id, .page_size = 500});
  if (!plans.ok()) return plans.status();
  std::vector<UpgradeCandidate> out;
  for (const auto& p : owned->items) {
    auto level = core::CurrentLevel(*levels, storage::AsText(p.at("product")));
    if (storage::AsText(p.at("state")) != "existing" ||
        ClassOfProject(p, level) != core::EfficiencyClass::kBelowBenchmark) {
      continue;
    }
    UpgradeCandidate c{.project_id = storage::AsInt(p.at("id")),
                       .name = storage::AsText(p.at("name")),
                       .product = storage::AsText(p.at("product")),
                       .capacity = storage::AsReal(p.at("capacity")),
                       .capacity_unit = storage::AsText(p.at("capacity_unit")),
                       .declared = storage::AsReal(p.at("efficiency_value")),
                       .level = *level};
    for (const auto& plan : plans->first) {
      if (std::find(plan.project_ids.begin(), plan.project_ids.end(), c.project_id) == plan.project_ids.end()) continue;
      if (!c.plan_id || plan.status != "accepted") {
        c.plan_id = plan.id;
        c.plan_status = plan.status;
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<UpgradeGroup>> UpgradeService::Summary(const registry::Caller& caller, const std::string& group_by,
                                                          const std::string& region) {
  if (group_by != "region" && group_by != "industry") {
    return Status::InvalidArgument("invalid upgrade summary", {{"group_by", "must be region or industry"}});
  }
  auto scope = security::ScopeFor(caller.principal, security::Action::kUpgradeRead);
  if (!scope.ok()) return scope.status();
  if (scope->enterprise_id) return Status::PermissionDenied("upgrade statistics are for officials");
  if (!region.empty()) {
    auto narrowed = security::NarrowToRegion(*scope, region);
    if (!narrowed) return std::vector<UpgradeGroup>{UpgradeGroup{}};
    scope = *narrowed;
  }
  const std::size_t digits = std::min<std::size_t>(6, scope->region_prefix.size() + 2);
  auto levels = store_.ListEfficiencyLevels();
  if (!levels.ok()) return levels.status();
  std::map<std::string, core::EfficiencyLevel> current;
  for (const auto& l : core::CurrentLevels(*levels)) current[l.product] = l;
  // Every plan under the prefix, and the project each covers.
  std::vector<storage::UpgradePlan> plans;
  for (int page = 1;; ++page) {
    auto got =
        store_.upgrades().ListUpgradePlans({.region_prefix = scope->region_prefix, .page = page, .page_size = 500});
    if (!got.ok()) return got.status();
    for (auto& p : got->first) plans.push_back(std::move(p));
    if (got->first.size() < 500) break;
  }
  std::map<std::int64_t, std::string> plan_of_project;  // project → its plan's status (an accepted one wins)
  for (const auto& p : plans) {
    for (auto project : p.project_ids) {
      auto& status = plan_of_project[project];
      if (status != "accepted") status = p.status;
    }
  }
  std::map<std::string, UpgradeGroup> groups;
  UpgradeGroup all;
  auto key_of = [&](const std::string& county, const std::string& industry) {
    return group_by == "industry" ? industry : county.substr(0, std::min(digits, county.size()));
  };
  for (int page = 1;; ++page) {
    auto got = store_.ListRecords(core::ProjectSchema(), {.region_prefix = scope->region_prefix,
                                                          .equals = {{"state", std::string("existing")}},
                                                          .page = page,
                                                          .page_size = 1000});
    if (!got.ok()) return got.status();
    for (const auto& p : got->items) {
      const std::string product = storage::AsText(p.at("product"));
      double tonnes =
          core::CapacityTonnesPerYear(storage::AsReal(p.at("capacity")), storage::AsText(p.at("capacity_unit")));
      auto level = current.find(product);
      auto cls = ClassOfProject(p, level == current.end() ? std::nullopt : std::optional(level->second));
      auto plan = plan_of_project.find(storage::AsInt(p.at("id")));
      for (UpgradeGroup* g :
           {&groups[key_of(storage::AsText(p.at("region")), storage::AsText(p.at("industry")))], &all}) {
        ++g->projects;
        if (!cls) {
          ++g->unrated;
          continue;
        }
        g->rated_capacity_t += tonnes;
        if (*cls == core::EfficiencyClass::kAdvanced) {
          ++g->advanced;
          g->advanced_capacity_t += tonnes;
        } else if (*cls == core::EfficiencyClass::kBetween) {
          ++g->between;
        } else {
          ++g->below_benchmark;
          g->below_capacity_t += tonnes;
          if (plan != plan_of_project.end()) ++g->below_in_plan;
          if (plan != plan_of_project.end() && plan->second == "accepted") ++g->below_accepted;
        }
      }
    }
    if (got->items.size() < 1000) break;
  }
  for (const auto& p : plans) {
    for (UpgradeGroup* g : {&groups[key_of(p.region, p.industry)], &all}) {
      ++g->plans[p.status];
      if (p.status == "accepted") {
        g->expected_saving_tce += p.expected_saving_tce;
        g->measured_saving_tce += p.measured_saving_tce.value_or(0);
      }
    }
  }
  std::vector<UpgradeGroup> out;
  for (auto& [key, g] : groups) {
    g.key = key;
    out.push_back(std::move(g));
  }
  out.push_back(std::move(all));
  return out;
}

}  // namespace kiln::workflow
