#pragma once
// One review engine for every flow that is filed at one level and approved
// level by level (seed 000: 由县级填报，逐级审核 / 由企业填报，省市县三级逐级审核):
// a filed item with versions, the levels it must pass (configurable per flow),
// approve or return with a reason at each level, resubmission that keeps every
// version, a due date, and an audited step for everything. Monthly and yearly
// reports are items of this engine too: their decisions go through
// ReportService (which keeps the report's own rows and checks) and the store
// moves the report's item in the same transaction.
//
// Flows so far: monthly_report, yearly_report (filed by the enterprise;
// county → city → province); list_entry, list_exit (企业进出清单: a county
// proposes adding an enterprise to the 两高 list or taking it off; city →
// province approve; the approval lists or delists it); info_change (企业信息维护:
// an enterprise user's change of a supervised field of its file or projects —
// status, state, product, capacity, equipment category, efficiency — waits for
// county → city → province and applies with the province's approval; contact
// fields apply at once); violation_closure (违规项目销号: a county files a rectified
// violation for closure; city → province approve; the approval closes it);
// project_declaration (an enterprise declares a new project or a completion);
// upgrade_plan and upgrade_acceptance (一企一策: the enterprise's plan, county →
// city → province; its acceptance, filed by the county with the measured saving,
// city → province), whose content and effects upgrade_service owns (FlowHooks).

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/attachment_type.hpp"
#include "core/review_chain.hpp"
#include "registry/registry.hpp"
#include "security/audit_log.hpp"
#include "storage/store.hpp"
#include "workflow/report_service.hpp"

namespace kiln::workflow {

struct FlowSpec {
  std::string name;  // list_entry
  std::string subject_kind;  // report, enterprise
  core::ReviewChain chain;
};

struct ReviewOptions {
  // Review levels per flow, in order; flows not named keep their defaults.
  std::map<std::string, std::vector<std::string>> levels;
  int decision_days = 15;  // a filed or resubmitted item is due this many days later (reports: their deadline)
};

// Every flow with its chain under `options`; kInvalidArgument for an unknown flow or a chain that
// does not fit it (a county-filed flow cannot be reviewed by the county).
core::Result<std::vector<FlowSpec>> ConfiguredFlows(const ReviewOptions& options);

struct ReviewListRequest {
  bool awaiting_me = false;  // only what waits for the caller (decide, or resubmit what came back)
  std::string flow, status, region;
  std::optional<std::int64_t> enterprise_id;
  bool open_only = false;
  int page = 1, page_size = 50;
};

struct ReviewDetail {
  storage::ReviewItem item;
  std::vector<storage::ReviewVersion> versions;
  std::vector<storage::ReviewStep> steps;
  std::vector<std::pair<int, storage::Attachment>> attachments;  // with the version that added each
  bool may_decide = false, may_resubmit = false;
};

class ReviewEngine {
 public:
  ReviewEngine(storage::Store& store, registry::Registry& registry, security::AuditLog& audit, const core::Clock& clock,
               ReportService& reports, std::vector<FlowSpec> flows, int decision_days);

  // The level the caller acts at in flows: county, city, province, enterprise; "" for none.
  static std::string ActingLevel(const security::Principal& who);

  core::Result<std::pair<std::vector<storage::ReviewItem>, std::int64_t>> List(const registry::Caller& caller,
                                                                               const ReviewListRequest& request);
  // The item with its versions and steps; "not found" alike when it is outside the caller's scope.
  core::Result<ReviewDetail> Get(const registry::Caller& caller, std::int64_t id);
  // action: approve, or return with a reason. On a report's item this is ReportService::Review.
  core::Result<storage::ReviewItem> Decide(const registry::Caller& caller, std::int64_t id, const std::string& action,
                                           const std::string& reason);
  // A county proposes adding (`entry`) an enterprise to the list or removing it (`exit`).
  // content: {"reason": text, "effective_on"?: date, "attachments"?: [...]}.
  core::Result<storage::ReviewItem> ProposeListChange(const registry::Caller& caller, std::int64_t enterprise_id,
                                                      const std::string& change, const nlohmann::json& content);
  // What a filing is about, already authorized by the caller of File.
  struct FilingSubject {
    std::string kind;  // enterprise, project
    std::int64_t id = 0;
    std::optional<std::int64_t> enterprise_id;
    std::string region, label;
  };
  // Files an item of a county-filed flow (list_entry, list_exit, violation_closure): content
  // {"reason", "attachments"?, "effective_on"? (list flows)} plus the `fixed` keys the flow keeps.
  core::Result<storage::ReviewItem> File(const registry::Caller& caller, const std::string& flow,
                                         const FilingSubject& subject, const nlohmann::json& body,
                                         const nlohmann::json& fixed);
  // An enterprise declares a project (flow project_declaration; county → city → province): a new one
  // ({"kind":"new","project":{…its file…},"reason",…}: the province's approval adds it to the registry)
  // or the completion of one under construction ({"kind":"completion","project_id","completed_on",
  // "reason",…}: the approval makes it existing).
  core::Result<storage::ReviewItem> DeclareProject(const registry::Caller& caller, std::int64_t enterprise_id,
                                                   const nlohmann::json& body);
  // The filer sends a returned item again with new content (a new version).
  core::Result<storage::ReviewItem> Resubmit(const registry::Caller& caller, std::int64_t id,
                                             const nlohmann::json& content);
  // An edit of an enterprise or project record. Officials' edits, and an enterprise user's edits of
  // fields it keeps itself, apply at once; an enterprise user's changes to supervised fields are
  // filed as an info_change item (or resubmit the subject's returned one).
  struct EditOutcome {
    core::Record record;  // after the changes that applied at once
    std::optional<storage::ReviewItem> review;  // the filed change, if any
  };
  core::Result<EditOutcome> Edit(const registry::Caller& caller, registry::Kind kind, std::int64_t id,
                                 const nlohmann::json& body);
  // The fields an enterprise user's change of which is reviewed.
  static const std::vector<std::string>& SupervisedFields(registry::Kind kind);

  // Stores a file to attach (PDF, images, office documents; at most kMaxAttachmentBytes), once by its SM3.
  core::Result<storage::Attachment> UploadAttachment(const registry::Caller& caller, const std::string& filename,
                                                     const std::string& bytes);
  // The file with its bytes, checked against its hash, for its uploader and whoever sees an item that carries it.
  core::Result<storage::Attachment> DownloadAttachment(const registry::Caller& caller, const std::string& id);
  static constexpr std::size_t kMaxAttachmentBytes = 6 * 1024 * 1024;  // under the server's 8 MiB body limit

  // A flow whose content and approval another service owns (upgrade plans and their acceptance):
  // how a resubmission's content is checked (from the returned item and the body) and what the
  // final approval applies. Set once, at composition.
  struct FlowHooks {
    std::function<core::Result<nlohmann::json>(const registry::Caller&, const storage::ReviewItem&,
                                               const nlohmann::json&)>
        content;
    std::function<core::Result<storage::ReviewEffect>(const storage::ReviewItem&)> effect;
  };
  void SetFlowHooks(const std::string& flow, FlowHooks hooks) { hooks_[flow] = std::move(hooks); }
  // The item and first step a filing of `content` (with "reason" and "attachments"?) makes, for a
  // service that stores it with its own rows in one transaction (an upgrade plan).
  std::pair<storage::ReviewItem, storage::ReviewStep> NewFiling(const registry::Caller& caller, const FlowSpec& flow,
                                                                const FilingSubject& subject,
                                                                const nlohmann::json& content) const;
  // Files `content` (with "reason" and "attachments"?) as a new item of `flow`; the caller has been
  // authorized and acts at the flow's filing level.
  core::Result<storage::ReviewItem> FileContent(const registry::Caller& caller, const FlowSpec& flow,
                                                const FilingSubject& subject, const nlohmann::json& content,
                                                bool exclusive);

  const FlowSpec* Flow(const std::string& name) const;
  const std::vector<FlowSpec>& flows() const { return flows_; }

 private:
  core::Result<storage::ReviewItem> Visible(const registry::Caller& caller, std::int64_t id);
  // A declaration's content, checked against the registry (kind and, for a completion being resubmitted,
  // the project are fixed by the first filing).
  core::Result<nlohmann::json> DeclarationContent(std::int64_t enterprise_id, const std::string& kind,
                                                  std::int64_t project_id, const nlohmann::json& body);
  core::Result<storage::ReviewEffect> DeclarationEffect(const storage::ReviewItem& item);
  core::UnixMillis DueFrom(core::UnixMillis at) const { return at + std::int64_t{decision_days_} * 86'400'000; }
  core::Status MayDecide(const registry::Caller& caller, const storage::ReviewItem& item, const FlowSpec& flow);
  core::Status MayResubmit(const registry::Caller& caller, const storage::ReviewItem& item, const FlowSpec& flow);
  void Audit(const registry::Caller& caller, const std::string& action, std::int64_t id, const core::Status& s,
             const std::string& detail = {});

  storage::Store& store_;
  registry::Registry& registry_;
  security::AuditLog& audit_;
  const core::Clock& clock_;
  ReportService& reports_;
  const std::vector<FlowSpec> flows_;
  const int decision_days_;
  std::map<std::string, FlowHooks> hooks_;
};

}  // namespace kiln::workflow
