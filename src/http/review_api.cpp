// Review items across flows: the caller's to-do (awaiting=me), one item with
// its versions and steps, decisions (approve / return), resubmission of a
// returned item, and list entry and exit proposals for an enterprise.

#include <fmt/format.h>

#include "core/attachment_type.hpp"
#include "core/review_chain.hpp"
#include "http/apis.hpp"
#include "http/reference_names.hpp"

namespace kiln::http {

bool PreviewedInBrowser(const std::string& media_type) {
  return media_type == "application/pdf" || media_type.starts_with("image/");
}

nlohmann::json AttachmentJson(const storage::Attachment& a) {
  return {{"id", a.id},
          {"name", a.name},
          {"media_type", a.media_type},
          {"size", a.size},
          {"preview", PreviewedInBrowser(a.media_type)},
          {"created_at", core::FormatInstantUtc(a.created_at)}};
}

namespace {

using nlohmann::json;

json Parsed(const std::string& text) {
  if (text.empty()) return json::object();
  auto j = json::parse(text, nullptr, false);
  return j.is_discarded() ? json(text) : j;
}

class ReviewApi final : public Api {
 public:
  ReviewApi(Gate& gate, const ApiContext& c) : c_(c), names_(c.store) {
    gate.Session("GET", "/api/v1/reviews", this, &ReviewApi::List);
    gate.Session("GET", "/api/v1/reviews/{id}", this, &ReviewApi::ById);
    gate.Session("POST", "/api/v1/reviews/{id}/decision", this, &ReviewApi::Decision);
    gate.Session("POST", "/api/v1/reviews/{id}/resubmit", this, &ReviewApi::Resubmit);
    gate.Session("POST", "/api/v1/enterprises/{id}/list-proposals", this, &ReviewApi::Propose);
    gate.Session("POST", "/api/v1/enterprises/{id}/project-declarations", this, &ReviewApi::Declare);
    gate.Session("GET", "/api/v1/enterprises/{id}/timeline", this, &ReviewApi::EnterpriseTimeline);
    gate.Session("GET", "/api/v1/projects/{id}/timeline", this, &ReviewApi::ProjectTimeline);
    gate.Session("POST", "/api/v1/attachments", this, &ReviewApi::Upload, BodyKind::kFile);
    gate.Session("GET", "/api/v1/attachments/{id}", this, &ReviewApi::Download);
  }

 private:
  static registry::Caller CallerOf(const Request& req, const security::AuthenticatedSession& s) {
    return {s.principal, req.remote_address};
  }

  json ItemJson(const storage::ReviewItem& i) {
    json subject = {{"kind", i.subject_kind},
                    {"id", i.subject_id},
                    {"label", i.subject_label},
                    {"enterprise_id", i.enterprise_id ? json(*i.enterprise_id) : json(nullptr)},
                    {"enterprise_name", i.enterprise_id ? json(i.enterprise_name) : json(nullptr)}};
    bool open = !i.awaiting.empty();
    return {{"id", i.id},
            {"flow", i.flow},
            {"flow_name", std::string(core::ReviewFlowTitle(i.flow))},
            {"subject", subject},
            {"region", i.region},
            {"region_name", names_.Region(i.region)},
            {"status", i.status},
            {"level", open ? json(i.awaiting) : json(nullptr)},
            {"levels", i.levels},
            {"filer", i.filer},
            {"version", i.version},
            {"filed_by", i.filed_by},
            {"filed_at", core::FormatInstantUtc(i.filed_at)},
            {"due", InstantOrNull(i.due_at)},
            {"overdue", open && i.due_at && c_.clock.Now() > *i.due_at},
            {"updated_at", core::FormatInstantUtc(i.updated_at)},
            {"content", i.subject_kind == "report" ? json(nullptr) : Parsed(i.content)}};
  }

  Response List(Request& req, const security::AuthenticatedSession& s) {
    std::vector<core::FieldError> errors;
    workflow::ReviewListRequest r;
    auto awaiting = req.Query("awaiting").value_or("");
    if (!awaiting.empty() && awaiting != "me") errors.push_back({"awaiting", "must be me"});
    r.awaiting_me = awaiting == "me";
    r.flow = req.Query("flow").value_or("");
    if (!r.flow.empty() && !c_.reviews.Flow(r.flow)) {
      errors.push_back(
          {"flow",
           "must be one of monthly_report, yearly_report, list_entry, list_exit, info_change, violation_closure, "
           "project_declaration"});
    }
    r.status = req.Query("status").value_or("");
    r.region = req.Query("region").value_or("");
    auto enterprise = IntQuery(req, "enterprise", 0, 1, std::numeric_limits<std::int64_t>::max(), errors);
    if (req.Query("enterprise")) r.enterprise_id = enterprise;
    auto open = req.Query("open").value_or("");
    if (!open.empty() && open != "true" && open != "false") errors.push_back({"open", "must be true or false"});
    r.open_only = open == "true";
    r.page = static_cast<int>(IntQuery(req, "page", 1, 1, 1'000'000, errors));
    r.page_size = static_cast<int>(IntQuery(req, "page_size", 50, 1, 500, errors));
    if (!errors.empty()) return ErrorResponse(core::Status::InvalidArgument("invalid review query", errors));
    auto page = c_.reviews.List(CallerOf(req, s), r);
    if (!page.ok()) return ErrorResponse(page.status());
    json items = json::array();
    for (const auto& i : page->first) items.push_back(ItemJson(i));
    return JsonResponse(200, {{"items", items}, {"total", page->second}, {"page", r.page}, {"page_size", r.page_size}});
  }

  Response ById(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto d = c_.reviews.Get(CallerOf(req, s), *id);
    if (!d.ok()) return ErrorResponse(d.status());
    json out = ItemJson(d->item);
    json versions = json::array();
    for (const auto& v : d->versions) {
      versions.push_back({{"version", v.version},
                          {"content", Parsed(v.content)},
                          {"filed_by", v.filed_by},
                          {"filed_at", core::FormatInstantUtc(v.filed_at)}});
    }
    json history = json::array();
    for (const auto& st : d->steps) {
      history.push_back({{"version", st.version},
                         {"action", st.action},
                         {"level", st.level},
                         {"actor", st.actor},
                         {"reason", st.reason},
                         {"at", core::FormatInstantUtc(st.at)}});
    }
    out["versions"] = versions;
    out["history"] = history;
    json attachments = json::array();
    for (const auto& [version, a] : d->attachments) {
      json one = AttachmentJson(a);
      one["version"] = version;
      attachments.push_back(std::move(one));
    }
    out["attachments"] = attachments;
    out["may"] = {{"decide", d->may_decide}, {"resubmit", d->may_resubmit}};
    return JsonResponse(200, out);
  }

  Response Decision(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto body = ParseDecisionBody(req, "invalid decision");
    if (!body.ok()) return ErrorResponse(body.status());
    auto decided = c_.reviews.Decide(CallerOf(req, s), *id, body->action, body->reason);
    if (!decided.ok()) return ErrorResponse(decided.status());
    return JsonResponse(200, ItemJson(*decided));
  }

  Response Resubmit(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto body = ParseJsonObject(req);
    if (!body.ok()) return ErrorResponse(body.status());
    auto done = c_.reviews.Resubmit(CallerOf(req, s), *id, *body);
    if (!done.ok()) return ErrorResponse(done.status());
    return JsonResponse(200, ItemJson(*done));
  }

  Response Propose(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto body = ParseJsonObject(req);
    if (!body.ok()) return ErrorResponse(body.status());
    std::string change =
        body->contains("change") && (*body)["change"].is_string() ? (*body)["change"].get<std::string>() : "";
    auto filed = c_.reviews.ProposeListChange(CallerOf(req, s), *id, change, *body);
    if (!filed.ok()) return ErrorResponse(filed.status());
    return JsonResponse(201, ItemJson(*filed));
  }

  Response Declare(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto body = ParseJsonObject(req);
    if (!body.ok()) return ErrorResponse(body.status());
    auto filed = c_.reviews.DeclareProject(CallerOf(req, s), *id, *body);
    if (!filed.ok()) return ErrorResponse(filed.status());
    return JsonResponse(201, ItemJson(*filed));
  }

  Response EnterpriseTimeline(Request& req, const security::AuthenticatedSession& s) {
    return TimelineOf(req, s, registry::Kind::kEnterprise);
  }
  Response ProjectTimeline(Request& req, const security::AuthenticatedSession& s) {
    return TimelineOf(req, s, registry::Kind::kProject);
  }

  Response TimelineOf(Request& req, const security::AuthenticatedSession& s, registry::Kind kind) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    std::vector<core::FieldError> errors;
    auto limit = IntQuery(req, "limit", 200, 1, 1000, errors);
    if (!errors.empty()) return ErrorResponse(core::Status::InvalidArgument("invalid timeline query", errors));
    auto events = c_.timeline.Of(CallerOf(req, s), kind, *id, static_cast<int>(limit));
    if (!events.ok()) return ErrorResponse(events.status());
    json items = json::array();
    for (const auto& e : *events) {
      json one = {{"at", core::FormatInstantUtc(e.at)},
                  {"kind", e.kind},
                  {"action", e.action},
                  {"actor", e.actor},
                  {"subject", e.subject},
                  {"detail", e.detail}};
      if (e.review_id) {
        one["review_id"] = *e.review_id;
        one["flow"] = e.flow;
        one["flow_name"] = std::string(core::ReviewFlowTitle(e.flow));
        one["level"] = e.level;
      }
      if (e.warning_id) {
        one["warning_id"] = *e.warning_id;
        one["rule"] = e.rule;
      }
      if (e.project_id) one["project_id"] = *e.project_id;
      if (e.violation_id) {
        one["violation_id"] = *e.violation_id;
        one["level"] = e.level;
        one["state"] = e.state;
      }
      if (e.inspection_task_id) {
        one["inspection_task_id"] = *e.inspection_task_id;
        one["state"] = e.state;
      }
      if (e.upgrade_plan_id) {
        one["upgrade_plan_id"] = *e.upgrade_plan_id;
        one["level"] = e.level;
        one["state"] = e.state;
      }
      items.push_back(std::move(one));
    }
    return JsonResponse(200, {{"items", items}, {"total", items.size()}});
  }

  Response Upload(Request& req, const security::AuthenticatedSession& s) {
    std::string filename = req.Query("filename").value_or("");
    auto stored = c_.reviews.UploadAttachment(CallerOf(req, s), filename, req.body);
    if (!stored.ok()) return ErrorResponse(stored.status());
    return JsonResponse(201, AttachmentJson(*stored));
  }

  Response Download(Request& req, const security::AuthenticatedSession& s) {
    std::string id = req.path_params.count("id") ? req.path_params.at("id") : "";
    if (!core::IsAttachmentId(id)) {
      return ErrorResponse(core::Status::InvalidArgument("invalid attachment id", {{"id", "must be 64 hex digits"}}));
    }
    auto a = c_.reviews.DownloadAttachment(CallerOf(req, s), id);
    if (!a.ok()) return ErrorResponse(a.status());
    bool inline_view = PreviewedInBrowser(a->media_type);
    auto type = core::SniffAttachment(a->content, a->name);
    auto res = FileDownload(std::move(a->content), a->media_type,
                            fmt::format("attachment-{}.{}", id.substr(0, 12), type ? type->extension : "bin"), a->name);
    if (inline_view) {
      for (auto& [name, value] : res.headers) {
        if (name == "Content-Disposition") value.replace(0, std::string("attachment").size(), "inline");
      }
    }
    return res;
  }

  const ApiContext c_;
  ReferenceNames names_;
};

}  // namespace

std::unique_ptr<Api> RegisterReviewApi(Gate& gate, const ApiContext& c) { return std::make_unique<ReviewApi>(gate, c); }

}  // namespace kiln::http
