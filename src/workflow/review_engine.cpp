#include "workflow/review_engine.hpp"

#include <fmt/format.h>

#include "security/access.hpp"
#include "security/crypto.hpp"

namespace kiln::workflow {
namespace {

using core::Result;
using core::Status;

constexpr std::size_t kMaxReason = 2000;

bool IsReportFlow(const std::string& flow) { return flow == "monthly_report" || flow == "yearly_report"; }

const core::RecordSchema& SchemaOfSubject(const std::string& subject_kind) {
  return subject_kind == "project" ? core::ProjectSchema() : core::EnterpriseSchema();
}

std::vector<FlowSpec> DefaultFlows() {
  const auto& reports = core::ReportReviewChain();
  core::ReviewChain county_filed{.filer = "county", .levels = {"city", "province"}};
  return {{"monthly_report", "report", reports},
          {"yearly_report", "report", reports},
          {"list_entry", "enterprise", county_filed},
          {"list_exit", "enterprise", county_filed},
          {"info_change", "record", reports},
          {"violation_closure", "project", county_filed},
          {"project_declaration", "project", reports},
          {"upgrade_plan", "enterprise", reports},
          {"upgrade_acceptance", "enterprise", county_filed}};
}

// The permission to file (and resubmit) a county-filed flow.
security::Action FilingAction(const std::string& flow) {
  if (flow == "project_declaration") return security::Action::kProjectWrite;
  if (flow == "upgrade_plan") return security::Action::kUpgradePlan;
  if (flow == "upgrade_acceptance") return security::Action::kUpgradeAccept;
  return flow == "violation_closure" ? security::Action::kViolationClose : security::Action::kListPropose;
}

int LevelRank(const std::string& level) {
  if (level == "enterprise") return 0;
  if (level == "county") return 1;
  if (level == "city") return 2;
  if (level == "province") return 3;
  return -1;
}

std::vector<std::string> AttachmentsOf(const nlohmann::json& content) {
  std::vector<std::string> out;
  if (content.contains("attachments")) {
    for (const auto& a : content["attachments"]) out.push_back(a.get<std::string>());
  }
  return out;
}

// What a filing of `flow` says the reason must explain.
std::string ReasonNeeded(const std::string& flow) {
  return flow == "violation_closure" ? "is required: how the violation was rectified"
                                     : "is required: why the enterprise should join or leave the list";
}

// The content of a county's filing (a list proposal, a closure): a reason, an optional effective
// date, attachments by hash, and the keys `fixed` sets (which the body may repeat, not change).
Result<nlohmann::json> FilingContent(const nlohmann::json& body, const std::string& flow, const nlohmann::json& fixed) {
  if (!body.is_object()) return Status::InvalidArgument("request body must be a JSON object");
  std::vector<core::FieldError> errors;
  nlohmann::json content = fixed;
  const std::string what = flow == "violation_closure" ? "closure" : "list proposal";
  for (const auto& [key, value] : body.items()) {
    if (key == "reason") {
      if (!value.is_string() || value.get<std::string>().empty()) {
        errors.push_back({"reason", ReasonNeeded(flow)});
      } else if (value.get<std::string>().size() > kMaxReason) {
        errors.push_back({"reason", fmt::format("must be at most {} bytes", kMaxReason)});
      } else {
        content["reason"] = value;
      }
    } else if (key == "effective_on" && flow != "violation_closure") {
      if (!value.is_null() && (!value.is_string() || !core::ParseDate(value.get<std::string>()))) {
        errors.push_back({"effective_on", "must be a date YYYY-MM-DD"});
      } else if (!value.is_null()) {
        content["effective_on"] = value;
      }
    } else if (key == "attachments") {
      if (core::AttachmentIds(value, errors)) content["attachments"] = value;
    } else if (!fixed.contains(key)) {
      errors.push_back({key, "unknown field"});
    }
  }
  if (!content.contains("reason") && !body.contains("reason")) errors.push_back({"reason", ReasonNeeded(flow)});
  if (!errors.empty()) return Status::InvalidArgument("invalid " + what, std::move(errors));
  return content;
}

// The record change an approved info_change item carries: {"changes": {field: {"old", "new"}}}.
Result<storage::ReviewEffect> ApprovedPatch(const storage::ReviewItem& item) {
  const auto& schema = SchemaOfSubject(item.subject_kind);
  auto content = nlohmann::json::parse(item.content, nullptr, false);
  if (!content.is_object() || !content.contains("changes") || !content["changes"].is_object()) {
    return Status::Internal(fmt::format("review item {} carries no changes", item.id));
  }
  nlohmann::json news = nlohmann::json::object();
  for (const auto& [field, change] : content["changes"].items()) news[field] = change.value("new", nlohmann::json());
  auto patch = core::RecordFromJson(schema, news);
  if (!patch.ok()) return patch.status().WithContext(fmt::format("the changes of review item {}", item.id));
  storage::ReviewEffect effect{.kind = storage::ReviewEffect::Kind::kRecordPatch,
                               .enterprise_id = item.enterprise_id.value_or(0),
                               .table = schema.table,
                               .record_id = item.subject_id};
  for (auto& [field, value] : *patch) effect.fields.emplace_back(field, value);
  return effect;
}

}  // namespace

Result<std::vector<FlowSpec>> ConfiguredFlows(const ReviewOptions& options) {
  auto flows = DefaultFlows();
  for (const auto& entry : options.levels) {
    const std::string& name = entry.first;
    const auto& levels = entry.second;
    auto it = std::find_if(flows.begin(), flows.end(), [&](const FlowSpec& f) { return f.name == name; });
    if (it == flows.end()) return Status::InvalidArgument(fmt::format("review levels for unknown flow '{}'", name));
    auto checked = core::ParseReviewLevels(core::JoinReviewLevels(levels));
    if (!checked.ok()) return checked.status().WithContext("review levels of " + name);
    if (LevelRank(checked->front()) <= LevelRank(it->chain.filer)) {
      return Status::InvalidArgument(
          fmt::format("flow {} is filed by the {}; its reviews must start above it, not at {}", name, it->chain.filer,
                      checked->front()));
    }
    it->chain.levels = *checked;
  }
  return flows;
}

ReviewEngine::ReviewEngine(storage::Store& store, registry::Registry& registry, security::AuditLog& audit,
                           const core::Clock& clock, ReportService& reports, std::vector<FlowSpec> flows,
                           int decision_days)
    : store_(store),
      registry_(registry),
      audit_(audit),
      clock_(clock),
      reports_(reports),
      flows_(std::move(flows)),
      decision_days_(decision_days) {}

std::string ReviewEngine::ActingLevel(const security::Principal& who) {
  if (who.enterprise_id) return "enterprise";
  if (!who.Has(security::kReviewDecide)) return "";
  if (who.role == "county" || who.role == "city" || who.role == "province") return who.role;
  return "";
}

const FlowSpec* ReviewEngine::Flow(const std::string& name) const {
  for (const auto& f : flows_) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

void ReviewEngine::Audit(const registry::Caller& caller, const std::string& action, std::int64_t id, const Status& s,
                         const std::string& detail) {
  (void)audit_.Record(caller.principal.username, caller.address, "review." + action,
                      id ? fmt::format("reviews:{}", id) : "reviews",
                      s.ok()               ? "ok"
                      : s.reason().empty() ? core::StatusCodeName(s.code())
                                           : s.reason(),
                      detail);
}

Result<storage::ReviewItem> ReviewEngine::Visible(const registry::Caller& caller, std::int64_t id) {
  const auto hidden = Status::NotFound(fmt::format("review item {} not found", id));
  auto item = store_.reviews().GetReview(id);
  if (!item.ok()) return item.status();
  if (!*item) return hidden;
  Status allowed;
  if ((*item)->enterprise_id) {
    allowed =
        registry_
            .Authorized(caller, registry::Kind::kEnterprise, *(*item)->enterprise_id, security::Action::kReviewRead)
            .status();
  } else {
    allowed = security::Authorize(caller.principal, security::Action::kReviewRead, {.region = (*item)->region});
  }
  if (allowed.code() == core::StatusCode::kNotFound) return hidden;
  if (!allowed.ok()) return allowed;
  return **item;
}

Result<std::pair<std::vector<storage::ReviewItem>, std::int64_t>> ReviewEngine::List(const registry::Caller& caller,
                                                                                     const ReviewListRequest& request) {
  auto scope = security::ScopeFor(caller.principal, security::Action::kReviewRead);
  if (!scope.ok()) return scope.status();
  const std::pair<std::vector<storage::ReviewItem>, std::int64_t> none{{}, 0};
  if (!request.region.empty()) {
    auto narrowed = security::NarrowToRegion(*scope, request.region);
    if (!narrowed) return none;
    scope = *narrowed;
  }
  storage::ReviewQuery q{.region_prefix = scope->region_prefix,
                         .enterprise_id = scope->enterprise_id,
                         .flow = request.flow,
                         .status = request.status,
                         .open_only = request.open_only,
                         .page = request.page,
                         .page_size = request.page_size};
  if (request.enterprise_id) {
    if (q.enterprise_id && *q.enterprise_id != *request.enterprise_id) return none;
    q.enterprise_id = request.enterprise_id;
  }
  if (request.awaiting_me) {
    q.awaiting = ActingLevel(caller.principal);
    if (q.awaiting.empty()) return none;
  }
  return store_.reviews().ListReviews(q);
}

Status ReviewEngine::MayDecide(const registry::Caller& caller, const storage::ReviewItem& item, const FlowSpec& flow) {
  security::Target target{.region = item.region, .enterprise_id = item.enterprise_id};
  KILN_RETURN_IF_ERROR(security::Authorize(caller.principal, security::Action::kReviewDecide, target));
  if (item.status == "returned" || item.awaiting.empty()) {
    return Status::Conflict(fmt::format("the item is {}; there is nothing to decide", item.status),
                            {{"status", "is " + item.status}});
  }
  auto level = ActingLevel(caller.principal);
  if (level != flow.chain.Awaiting(item.status)) {
    return Status::PermissionDenied(fmt::format("the item awaits the {} review", item.awaiting));
  }
  return {};
}

Status ReviewEngine::MayResubmit(const registry::Caller& caller, const storage::ReviewItem& item,
                                 const FlowSpec& flow) {
  if (IsReportFlow(flow.name)) {
    return Status::Conflict("a report is sent again through its own submission",
                            {{"flow", "resubmit the report with POST /api/v1/enterprises/{id}/reports/…/submit"}});
  }
  if (flow.name == "info_change") {
    return Status::Conflict("a change of a file is sent again by editing the enterprise or project",
                            {{"flow", "edit the record again: PATCH /api/v1/enterprises/{id} or /projects/{id}"}});
  }
  security::Target target{.region = item.region, .enterprise_id = item.enterprise_id};
  KILN_RETURN_IF_ERROR(security::Authorize(caller.principal, FilingAction(flow.name), target));
  if (item.status != "returned") {
    return Status::Conflict(fmt::format("the item is {}; only a returned item is resubmitted", item.status),
                            {{"status", "is " + item.status}});
  }
  if (ActingLevel(caller.principal) != flow.chain.filer) {
    return Status::PermissionDenied(fmt::format("the {} that filed the item resubmits it", flow.chain.filer));
  }
  return {};
}

Result<ReviewDetail> ReviewEngine::Get(const registry::Caller& caller, std::int64_t id) {
  auto item = Visible(caller, id);
  if (!item.ok()) return item.status();
  const auto* flow = Flow(item->flow);
  if (!flow) return Status::Internal(fmt::format("review item {} has unknown flow {}", id, item->flow));
  ReviewDetail detail{.item = *item};
  if (IsReportFlow(item->flow)) {
    auto versions = store_.ReportVersions(item->subject_id);
    if (!versions.ok()) return versions.status();
    for (const auto& v : *versions) detail.versions.push_back({v.version, v.content, v.submitted_by, v.submitted_at});
    auto actions = store_.ReportActions(item->subject_id);
    if (!actions.ok()) return actions.status();
    for (const auto& a : *actions) {
      if (a.action == "save") continue;  // drafts are the enterprise's own business
      detail.steps.push_back({a.id, a.version, a.action == "submit" ? (a.version == 1 ? "file" : "resubmit") : a.action,
                              a.level, a.actor, a.reason, a.at});
    }
    detail.may_decide = reports_.AbilitiesOf(caller, item->enterprise_id.value_or(0), item->status).review &&
                        item->awaiting != "enterprise";
  } else {
    auto versions = store_.reviews().ReviewVersions(id);
    if (!versions.ok()) return versions.status();
    detail.versions = std::move(*versions);
    auto steps = store_.reviews().ReviewSteps(id);
    if (!steps.ok()) return steps.status();
    detail.steps = std::move(*steps);
    auto attachments = store_.reviews().ItemAttachments(id);
    if (!attachments.ok()) return attachments.status();
    detail.attachments = std::move(*attachments);
    detail.may_decide = MayDecide(caller, *item, *flow).ok();
    detail.may_resubmit = MayResubmit(caller, *item, *flow).ok();
  }
  return detail;
}

Result<storage::ReviewItem> ReviewEngine::Decide(const registry::Caller& caller, std::int64_t id,
                                                 const std::string& action, const std::string& reason) {
  auto item = Visible(caller, id);
  if (!item.ok()) return item.status();
  const auto* flow = Flow(item->flow);
  if (!flow) return Status::Internal(fmt::format("review item {} has unknown flow {}", id, item->flow));
  if (IsReportFlow(item->flow)) {
    auto reviewed = reports_.Review(caller, item->subject_id, action, reason);
    if (!reviewed.ok()) return reviewed.status();
    auto after = store_.reviews().GetReview(id);
    if (!after.ok()) return after.status();
    if (!*after) return Status::Internal(fmt::format("review item {} vanished", id));
    return **after;
  }
  if (auto may = MayDecide(caller, *item, *flow); !may.ok()) {
    if (may.code() != core::StatusCode::kNotFound) Audit(caller, "decide", id, may, may.message());
    return may;
  }
  if (action != "approve" && action != "return") {
    return Status::InvalidArgument("invalid decision", {{"action", "must be approve or return"}});
  }
  if (action == "return" && reason.empty()) {
    return Status::InvalidArgument("invalid decision", {{"reason", "is required to return an item"}});
  }
  if (reason.size() > kMaxReason) {
    return Status::InvalidArgument("invalid decision",
                                   {{"reason", fmt::format("must be at most {} bytes", kMaxReason)}});
  }
  auto steps = store_.reviews().ReviewSteps(id);
  if (!steps.ok()) return steps.status();
  for (const auto& s : *steps) {
    if ((s.action == "file" || s.action == "resubmit") && s.actor == caller.principal.username) {
      auto refused = Status::PermissionDenied("you filed this item; another official decides on it")
                         .WithReason("separation_of_duties");
      Audit(caller, action, id, refused, refused.message());
      return refused;
    }
  }
  const std::string level = ActingLevel(caller.principal);
  std::string to = action == "approve" ? *flow->chain.AfterApproval(item->status, level) : "returned";
  std::optional<storage::ReviewEffect> effect;
  if (to == "approved" && (flow->name == "list_entry" || flow->name == "list_exit")) {
    auto content = nlohmann::json::parse(item->content, nullptr, false);
    std::string date = content.is_object() && content.contains("effective_on")
                           ? content["effective_on"].get<std::string>()
                           : core::FormatDate(core::ChinaDateOf(clock_.Now()));
    effect = storage::ReviewEffect{.kind = flow->name == "list_entry" ? storage::ReviewEffect::Kind::kListEntry
                                                                      : storage::ReviewEffect::Kind::kListExit,
                                   .enterprise_id = item->enterprise_id.value_or(0),
                                   .date = date,
                                   .actor = caller.principal.username};
  }
  if (to == "approved" && flow->name == "project_declaration") {
    auto declared = DeclarationEffect(*item);
    if (!declared.ok()) return declared.status();
    effect = std::move(declared).value();
    effect->actor = caller.principal.username;
  }
  if (to == "approved" && flow->name == "violation_closure") {
    auto content = nlohmann::json::parse(item->content, nullptr, false);
    if (!content.is_object() || !content.contains("violation_id") || !content["violation_id"].is_number_integer()) {
      return Status::Internal(fmt::format("review item {} names no violation", id));
    }
    effect = storage::ReviewEffect{.kind = storage::ReviewEffect::Kind::kViolationClosed,
                                   .enterprise_id = item->enterprise_id.value_or(0),
                                   .actor = caller.principal.username,
                                   .record_id = content["violation_id"].get<std::int64_t>()};
  }
  if (auto hooks = hooks_.find(flow->name); to == "approved" && hooks != hooks_.end()) {
    auto owned = hooks->second.effect(*item);
    if (!owned.ok()) return owned.status();
    effect = std::move(owned).value();
    effect->actor = caller.principal.username;
  }
  if (to == "approved" && flow->name == "info_change") {
    auto patch = ApprovedPatch(*item);
    if (!patch.ok()) return patch.status();
    effect = std::move(patch).value();
    effect->actor = caller.principal.username;
  }
  KILN_RETURN_IF_ERROR(audit_.Intend(caller.principal.username, caller.address, "review." + action,
                                     fmt::format("reviews:{}", id), reason));
  storage::ReviewStep step{.version = item->version,
                           .action = action,
                           .level = level,
                           .actor = caller.principal.username,
                           .reason = reason,
                           .at = clock_.Now()};
  // Whoever acts next (the next level, or the filer after a return) has its own decision_days.
  if (to != "approved") step.next_due = DueFrom(step.at);
  auto moved = store_.reviews().MoveReview(id, item->status, to, flow->chain.Awaiting(to), step, std::nullopt, effect);
  Audit(caller, action, id, moved.status(), reason);
  return moved;
}

Result<storage::ReviewItem> ReviewEngine::ProposeListChange(const registry::Caller& caller, std::int64_t enterprise_id,
                                                            const std::string& change, const nlohmann::json& body) {
  auto enterprise =
      registry_.Authorized(caller, registry::Kind::kEnterprise, enterprise_id, security::Action::kListPropose);
  if (enterprise.status().code() == core::StatusCode::kPermissionDenied) {
    return Status::PermissionDenied("a county official proposes list entries and exits");
  }
  if (!enterprise.ok()) return enterprise.status();
  if (change != "entry" && change != "exit") {
    return Status::InvalidArgument("invalid list proposal", {{"change", "must be entry or exit"}});
  }
  const FlowSpec* flow = Flow(change == "entry" ? "list_entry" : "list_exit");
  const std::string listed = storage::AsText(enterprise->at("list_status"));
  if ((change == "entry") == (listed == "listed")) {
    return Status::Conflict(fmt::format("the enterprise is already {}", listed), {{"change", "is already " + listed}});
  }
  return File(caller, flow->name,
              {.kind = "enterprise",
               .id = enterprise_id,
               .enterprise_id = enterprise_id,
               .region = storage::AsText(enterprise->at("region")),
               .label = storage::AsText(enterprise->at("name"))},
              body, {{"change", change}});
}

Result<storage::ReviewItem> ReviewEngine::File(const registry::Caller& caller, const std::string& flow_name,
                                               const FilingSubject& subject, const nlohmann::json& body,
                                               const nlohmann::json& fixed) {
  const FlowSpec* flow = Flow(flow_name);
  if (!flow) return Status::Internal(fmt::format("no review flow {}", flow_name));
  if (ActingLevel(caller.principal) != flow->chain.filer) {
    return Status::PermissionDenied(
        fmt::format("{} is filed by the {}", core::ReviewFlowTitle(flow->name), flow->chain.filer));
  }
  auto content = FilingContent(body, flow->name, fixed);
  if (!content.ok()) return content.status();
  return FileContent(caller, *flow, subject, *content, true);
}

std::pair<storage::ReviewItem, storage::ReviewStep> ReviewEngine::NewFiling(const registry::Caller& caller,
                                                                            const FlowSpec& spec,
                                                                            const FilingSubject& subject,
                                                                            const nlohmann::json& content) const {
  const FlowSpec* flow = &spec;
  auto now = clock_.Now();
  storage::ReviewItem item{.flow = flow->name,
                           .subject_kind = subject.kind,
                           .subject_id = subject.id,
                           .enterprise_id = subject.enterprise_id,
                           .region = subject.region,
                           .subject_label = subject.label,
                           .status = "submitted",
                           .awaiting = flow->chain.Awaiting("submitted"),
                           .filer = flow->chain.filer,
                           .levels = core::JoinReviewLevels(flow->chain.levels),
                           .content = content.dump(),
                           .due_at = DueFrom(now)};
  storage::ReviewStep step{.action = "file",
                           .level = flow->chain.filer,
                           .actor = caller.principal.username,
                           .reason = content["reason"].get<std::string>(),
                           .at = now,
                           .attachments = AttachmentsOf(content)};
  return {std::move(item), std::move(step)};
}

Result<storage::ReviewItem> ReviewEngine::FileContent(const registry::Caller& caller, const FlowSpec& flow,
                                                      const FilingSubject& subject, const nlohmann::json& content,
                                                      bool exclusive) {
  auto [item, step] = NewFiling(caller, flow, subject, content);
  auto filed = store_.reviews().FileReview(item, step, exclusive);
  Audit(caller, "file", filed.ok() ? filed->id : 0, filed.status(),
        fmt::format("{} {} {}", flow.name, subject.kind, subject.id));
  return filed;
}

Result<storage::ReviewItem> ReviewEngine::Resubmit(const registry::Caller& caller, std::int64_t id,
                                                   const nlohmann::json& body) {
  auto item = Visible(caller, id);
  if (!item.ok()) return item.status();
  const auto* flow = Flow(item->flow);
  if (!flow) return Status::Internal(fmt::format("review item {} has unknown flow {}", id, item->flow));
  KILN_RETURN_IF_ERROR(MayResubmit(caller, *item, *flow));
  auto old = nlohmann::json::parse(item->content, nullptr, false);
  nlohmann::json fixed = nlohmann::json::object();
  for (const char* key : {"change", "violation_id"}) {
    if (old.is_object() && old.contains(key)) fixed[key] = old[key];
  }
  auto hooks = hooks_.find(item->flow);
  auto content = hooks != hooks_.end() ? hooks->second.content(caller, *item, body)
                 : item->flow == "project_declaration"
                     ? DeclarationContent(item->enterprise_id.value_or(0), old.value("kind", std::string()),
                                          old.value("project_id", std::int64_t{0}), body)
                     : FilingContent(body, item->flow, fixed);
  if (!content.ok()) return content.status();
  if (item->flow == "violation_closure") {
    auto violation = store_.violations().GetViolation(fixed.value("violation_id", std::int64_t{0}));
    if (!violation.ok()) return violation.status();
    if (!*violation || (*violation)->state != "done") {
      std::string state = *violation ? (*violation)->state : "gone";
      return Status::Conflict(fmt::format("the violation is {}; a rectified (done) case is filed for closure", state),
                              {{"state", "is " + state}});
    }
  }
  storage::ReviewStep step{.version = item->version + 1,
                           .action = "resubmit",
                           .level = flow->chain.filer,
                           .actor = caller.principal.username,
                           .reason = (*content)["reason"].get<std::string>(),
                           .at = clock_.Now(),
                           .attachments = AttachmentsOf(*content)};
  step.next_due = DueFrom(step.at);
  auto moved = store_.reviews().MoveReview(id, "returned", "submitted", flow->chain.Awaiting("submitted"), step,
                                           content->dump(), std::nullopt);
  Audit(caller, "resubmit", id, moved.status(), fmt::format("v{}", step.version));
  return moved;
}

Result<storage::Attachment> ReviewEngine::UploadAttachment(const registry::Caller& caller, const std::string& filename,
                                                           const std::string& bytes) {
  KILN_RETURN_IF_ERROR(security::Authorize(caller.principal, security::Action::kAttachmentUpload, {}));
  if (bytes.empty()) return Status::InvalidArgument("invalid attachment", {{"file", "is empty"}});
  if (bytes.size() > kMaxAttachmentBytes) {
    return Status::InvalidArgument(
        "invalid attachment",
        {{"file", fmt::format("is {} bytes; at most {} bytes are accepted", bytes.size(), kMaxAttachmentBytes)}});
  }
  if (filename.empty() || filename.size() > 200) {
    return Status::InvalidArgument("invalid attachment", {{"filename", "must be 1 to 200 bytes"}});
  }
  auto type = core::SniffAttachment(bytes, filename);
  if (!type) {
    return Status::InvalidArgument(
        "invalid attachment",
        {{"file", fmt::format("is not an accepted kind of file ({})", core::AcceptedAttachmentKinds())}});
  }
  storage::Attachment a{.id = security::Sm3Hex(bytes),
                        .name = filename,
                        .media_type = type->media_type,
                        .size = static_cast<std::int64_t>(bytes.size()),
                        .content = bytes,
                        .created_by = caller.principal.username,
                        .created_at = clock_.Now()};
  auto stored = store_.reviews().PutAttachment(a);
  (void)audit_.Record(caller.principal.username, caller.address, "attachment.upload", "attachments:" + a.id,
                      stored.ok() ? "ok" : core::StatusCodeName(stored.status().code()),
                      fmt::format("{} ({} bytes)", filename, bytes.size()));
  return stored;
}

Result<storage::Attachment> ReviewEngine::DownloadAttachment(const registry::Caller& caller, const std::string& id) {
  const auto hidden = Status::NotFound(fmt::format("attachment {} not found", id));
  auto found = store_.reviews().GetAttachment(id, true);
  if (!found.ok()) return found.status();
  if (!*found) return hidden;
  bool visible = (*found)->created_by == caller.principal.username;
  if (!visible) {
    auto items = store_.reviews().AttachmentItems(id);
    if (!items.ok()) return items.status();
    for (auto item : *items) {
      if (Visible(caller, item).ok()) {
        visible = true;
        break;
      }
    }
  }
  if (!visible) {
    auto findings = store_.inspections().AttachmentFindings(id);
    if (!findings.ok()) return findings.status();
    for (auto finding_id : *findings) {
      auto finding = store_.inspections().GetFinding(finding_id);
      if (!finding.ok()) return finding.status();
      if (*finding && security::Authorize(caller.principal, security::Action::kInspectionRead,
                                          {.region = (*finding)->region, .enterprise_id = (*finding)->enterprise_id})
                          .ok()) {
        visible = true;
        break;
      }
    }
  }
  if (!visible) {
    auto plans = store_.upgrades().AttachmentUpgradePlans(id);
    if (!plans.ok()) return plans.status();
    for (auto plan_id : *plans) {
      auto plan = store_.upgrades().GetUpgradePlan(plan_id);
      if (!plan.ok()) return plan.status();
      if (*plan && security::Authorize(caller.principal, security::Action::kUpgradeRead,
                                       {.region = (*plan)->region, .enterprise_id = (*plan)->enterprise_id})
                       .ok()) {
        visible = true;
        break;
      }
    }
  }
  if (!visible) {
    auto violations = store_.violations().AttachmentViolations(id);
    if (!violations.ok()) return violations.status();
    for (auto violation_id : *violations) {
      auto v = store_.violations().GetViolation(violation_id);
      if (!v.ok()) return v.status();
      if (*v && security::Authorize(caller.principal, security::Action::kViolationRead,
                                    {.region = (*v)->region, .enterprise_id = (*v)->enterprise_id})
                    .ok()) {
        visible = true;
        break;
      }
    }
  }
  if (!visible) return hidden;
  // Stored by its hash: bytes that no longer hash to it were changed behind the platform's back.
  if (security::Sm3Hex((*found)->content) != id) {
    (void)audit_.Record(caller.principal.username, caller.address, "attachment.download", "attachments:" + id,
                        "corrupt", "the stored bytes do not match their SM3");
    return Status::Internal(fmt::format("attachment {} is damaged: its bytes do not match their SM3 hash", id));
  }
  return **found;
}

const std::vector<std::string>& ReviewEngine::SupervisedFields(registry::Kind kind) {
  static const std::vector<std::string> kEnterprise = {"status"};
  static const std::vector<std::string> kProject = {
      "state", "product", "capacity", "capacity_unit", "equipment_category", "efficiency_value", "efficiency_unit"};
  static const std::vector<std::string> kNone;
  return kind == registry::Kind::kEnterprise ? kEnterprise : kind == registry::Kind::kProject ? kProject : kNone;
}

Result<ReviewEngine::EditOutcome> ReviewEngine::Edit(const registry::Caller& caller, registry::Kind kind,
                                                     std::int64_t id, const nlohmann::json& body) {
  const auto& supervised = SupervisedFields(kind);
  auto direct_only = [&]() -> Result<EditOutcome> {
    auto updated = registry_.Update(caller, kind, id, body);
    if (!updated.ok()) return updated.status();
    return EditOutcome{*updated, std::nullopt};
  };
  if (supervised.empty() || ActingLevel(caller.principal) != "enterprise" || !body.is_object()) return direct_only();
  const auto write =
      kind == registry::Kind::kEnterprise ? security::Action::kEnterpriseWrite : security::Action::kProjectWrite;
  auto existing = registry_.Authorized(caller, kind, id, write);
  if (!existing.ok()) return existing.status();
  const auto& schema = registry::SchemaOf(kind);
  // The supervised fields whose value would change go to review; the rest applies now.
  nlohmann::json direct = nlohmann::json::object(), asked = nlohmann::json::object();
  for (const auto& [key, value] : body.items()) {
    bool reviewed = std::find(supervised.begin(), supervised.end(), key) != supervised.end();
    (reviewed ? asked : direct)[key] = value;
  }
  auto decoded = core::RecordFromJson(schema, asked);
  if (!decoded.ok()) return decoded.status();
  core::Record changed;
  for (auto& [field, value] : *decoded) {
    auto old = existing->find(field);
    if (old == existing->end() || !core::SameValue(old->second, value)) changed[field] = value;
  }
  if (changed.empty()) return direct_only();
  auto errors = core::ValidateRecord(schema, changed, false, *existing);
  if (kind == registry::Kind::kProject && changed.contains("equipment_category")) {
    auto units = store_.ListRecords(core::EquipmentSchema(), {.equals = {{"project_id", id}}, .page_size = 1});
    if (!units.ok()) return units.status();
    if (units->total > 0) {
      errors.push_back(
          {"equipment_category", "is derived from the project's process units (the most restrictive of them)"});
    }
  }
  if (!errors.empty()) return Status::InvalidArgument(fmt::format("invalid {}", schema.kind), std::move(errors));
  const FlowSpec* flow = Flow("info_change");
  const std::string subject_kind = kind == registry::Kind::kEnterprise ? "enterprise" : "project";
  auto open = store_.reviews().ListReviews(
      {.flow = flow->name, .subject_kind = subject_kind, .subject_id = id, .open_only = true, .page_size = 1});
  if (!open.ok()) return open.status();
  const storage::ReviewItem* returned = nullptr;
  if (!open->first.empty()) {
    if (open->first.front().status != "returned") {
      return Status::Conflict(
          fmt::format("a change of this {} is under review (item {}); it can be changed again once decided",
                      schema.kind, open->first.front().id),
          {{"review", fmt::format("item {} is {}", open->first.front().id, open->first.front().status)}});
    }
    returned = &open->first.front();
  }
  // What applies at once goes first: a refusal of it (an official-only field) leaves nothing filed.
  EditOutcome out{*existing, std::nullopt};
  if (!direct.empty()) {
    auto updated = registry_.Update(caller, kind, id, direct);
    if (!updated.ok()) return updated.status();
    out.record = *updated;
  }
  nlohmann::json changes = nlohmann::json::object();
  for (const auto& [field, value] : changed) {
    auto old = existing->find(field);
    changes[field] = {{"old", old == existing->end() ? nlohmann::json() : core::ValueToJson(old->second)},
                      {"new", core::ValueToJson(value)}};
  }
  const std::string name = storage::AsText(existing->at("name"));
  nlohmann::json content = {{"kind", subject_kind}, {"id", id}, {"name", name}, {"changes", changes}};
  const std::int64_t enterprise_id =
      kind == registry::Kind::kEnterprise ? id : storage::AsInt(existing->at("enterprise_id"));
  auto now = clock_.Now();
  storage::ReviewStep step{.level = flow->chain.filer, .actor = caller.principal.username, .at = now};
  Result<storage::ReviewItem> filed = Status::Internal("unset");
  if (returned) {
    step.action = "resubmit";
    step.version = returned->version + 1;
    step.next_due = DueFrom(now);
    filed = store_.reviews().MoveReview(returned->id, "returned", "submitted", flow->chain.Awaiting("submitted"), step,
                                        content.dump(), std::nullopt);
  } else {
    step.action = "file";
    storage::ReviewItem item{.flow = flow->name,
                             .subject_kind = subject_kind,
                             .subject_id = id,
                             .enterprise_id = enterprise_id,
                             .region = storage::AsText(existing->at("region")),
                             .subject_label = name,
                             .status = "submitted",
                             .awaiting = flow->chain.Awaiting("submitted"),
                             .filer = flow->chain.filer,
                             .levels = core::JoinReviewLevels(flow->chain.levels),
                             .content = content.dump(),
                             .due_at = DueFrom(now)};
    filed = store_.reviews().FileReview(item, step);
  }
  Audit(caller, step.action, filed.ok() ? filed->id : 0, filed.status(),
        fmt::format("info_change {} {}", subject_kind, id));
  if (!filed.ok()) return filed.status();
  out.review = *filed;
  return out;
}

Result<nlohmann::json> ReviewEngine::DeclarationContent(std::int64_t enterprise_id, const std::string& kind,
                                                        std::int64_t project_id, const nlohmann::json& body) {
  if (!body.is_object()) return Status::InvalidArgument("request body must be a JSON object");
  std::vector<core::FieldError> errors;
  nlohmann::json content = {{"kind", kind}};
  auto reason = body.value("reason", nlohmann::json());
  if (!reason.is_string() || reason.get<std::string>().empty()) {
    errors.push_back({"reason", "is required: what the project is and why it is declared"});
  } else if (reason.get<std::string>().size() > kMaxReason) {
    errors.push_back({"reason", fmt::format("must be at most {} bytes", kMaxReason)});
  } else {
    content["reason"] = reason;
  }
  if (body.contains("attachments") && core::AttachmentIds(body["attachments"], errors)) {
    content["attachments"] = body["attachments"];
  }
  auto enterprise = store_.GetRecord(core::EnterpriseSchema(), enterprise_id);
  if (!enterprise.ok()) return enterprise.status();
  const std::string today = core::FormatDate(core::ChinaDateOf(clock_.Now()));
  for (const auto& item : body.items()) {
    const std::string& key = item.key();
    bool known = key == "kind" || key == "reason" || key == "attachments" || (kind == "new" && key == "project") ||
                 (kind == "completion" && (key == "project_id" || key == "completed_on"));
    if (!known) errors.push_back({key, "unknown field"});
  }
  if (kind == "new") {
    const auto& schema = core::ProjectSchema();
    if (!body.contains("project") || !body["project"].is_object()) {
      errors.push_back({"project", "is required: the project's file (name, industry, state, capacity, …)"});
    } else {
      auto decoded = core::RecordFromJson(schema, body["project"]);
      if (!decoded.ok()) return decoded.status().WithContext("project");
      core::Record project = std::move(decoded).value();
      project["enterprise_id"] = enterprise_id;
      for (const char* f : {"region", "lng", "lat"}) {
        if (!project.contains(f) || core::IsNull(project[f])) project[f] = enterprise->at(f);
      }
      if (!project.contains("state") || core::IsNull(project["state"])) project["state"] = std::string("planned");
      for (auto& e : core::ValidateRecord(schema, project, true)) errors.push_back({"project." + e.field, e.reason});
      const std::string state = storage::AsText(project["state"]);
      if (state != "under_construction" && state != "planned") {
        errors.push_back({"project.state", "a new project is under_construction or planned"});
      }
      if (storage::AsText(project["region"]) != storage::AsText(enterprise->at("region"))) {
        errors.push_back({"project.region", "an enterprise declares projects in its own county"});
      }
      auto industries = store_.ListIndustries();
      if (!industries.ok()) return industries.status();
      const std::string industry = storage::AsText(project["industry"]);
      if (!industry.empty() &&
          std::none_of(industries->begin(), industries->end(), [&](const auto& i) { return i.code == industry; })) {
        errors.push_back({"project.industry", "no industry with code " + industry});
      }
      content["project"] = core::RecordToJson(schema, project);
      content["project"].erase("id");
      content["project"].erase("created_at");
      content["project"].erase("updated_at");
    }
  } else if (kind == "completion") {
    if (!project_id) {
      auto given = body.value("project_id", nlohmann::json());
      if (given.is_number_integer()) project_id = given.get<std::int64_t>();
    }
    auto project = project_id ? store_.GetRecord(core::ProjectSchema(), project_id)
                              : Result<core::Record>(Status::NotFound("no project"));
    if (!project.ok() && project.status().code() != core::StatusCode::kNotFound) return project.status();
    if (!project.ok() || storage::AsInt(project->at("enterprise_id")) != enterprise_id) {
      errors.push_back({"project_id", "is required: a project of this enterprise"});
    } else if (storage::AsText(project->at("state")) != "under_construction") {
      errors.push_back({"project_id", "is " + storage::AsText(project->at("state")) +
                                          "; a project under construction is declared complete"});
    } else {
      content["project_id"] = project_id;
      content["name"] = storage::AsText(project->at("name"));
    }
    auto completed = body.value("completed_on", nlohmann::json());
    if (!completed.is_string() || !core::ParseDate(completed.get<std::string>())) {
      errors.push_back({"completed_on", "is required: a date YYYY-MM-DD"});
    } else if (completed.get<std::string>() > today) {
      errors.push_back({"completed_on", "must not be in the future"});
    } else {
      content["completed_on"] = completed;
    }
  } else {
    errors.push_back({"kind", "must be new or completion"});
  }
  if (!errors.empty()) return Status::InvalidArgument("invalid project declaration", std::move(errors));
  return content;
}

Result<storage::ReviewItem> ReviewEngine::DeclareProject(const registry::Caller& caller, std::int64_t enterprise_id,
                                                         const nlohmann::json& body) {
  auto enterprise =
      registry_.Authorized(caller, registry::Kind::kEnterprise, enterprise_id, security::Action::kProjectWrite);
  if (!enterprise.ok()) return enterprise.status();
  const FlowSpec* flow = Flow("project_declaration");
  if (ActingLevel(caller.principal) != flow->chain.filer) {
    return Status::PermissionDenied("an enterprise declares its projects; officials edit the registry directly");
  }
  const std::string kind = body.is_object() ? body.value("kind", std::string()) : std::string();
  auto content = DeclarationContent(enterprise_id, kind, 0, body);
  if (!content.ok()) return content.status();
  const bool is_new = kind == "new";
  FilingSubject subject{
      .kind = is_new ? "enterprise" : "project",
      .id = is_new ? enterprise_id : (*content)["project_id"].get<std::int64_t>(),
      .enterprise_id = enterprise_id,
      .region = storage::AsText(enterprise->at("region")),
      .label = is_new ? (*content)["project"]["name"].get<std::string>() : (*content)["name"].get<std::string>()};
  // An enterprise may have several new projects under review; one completion per project.
  return FileContent(caller, *flow, subject, *content, !is_new);
}

Result<storage::ReviewEffect> ReviewEngine::DeclarationEffect(const storage::ReviewItem& item) {
  auto content = nlohmann::json::parse(item.content, nullptr, false);
  if (!content.is_object()) return Status::Internal(fmt::format("review item {} has no declaration", item.id));
  const auto& schema = core::ProjectSchema();
  storage::ReviewEffect effect{.enterprise_id = item.enterprise_id.value_or(0), .table = schema.table};
  if (content.value("kind", "") == "new") {
    auto project = content.value("project", nlohmann::json::object());
    const auto enterprise_id = project.value("enterprise_id", std::int64_t{0});
    project.erase("enterprise_id");
    auto decoded = core::RecordFromJson(schema, project);
    if (!decoded.ok()) return decoded.status().WithContext(fmt::format("the project of review item {}", item.id));
    effect.kind = storage::ReviewEffect::Kind::kRecordCreate;
    effect.fields.emplace_back("enterprise_id", enterprise_id);
    for (auto& [field, value] : *decoded) effect.fields.emplace_back(field, value);
    return effect;
  }
  effect.kind = storage::ReviewEffect::Kind::kRecordPatch;
  effect.record_id = content.value("project_id", std::int64_t{0});
  effect.fields = {{"state", std::string("existing")}, {"completed_on", content.value("completed_on", "")}};
  return effect;
}

}  // namespace kiln::workflow
