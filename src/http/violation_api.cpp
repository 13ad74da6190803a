// Violating projects: the list and one case with its events and closure
// filings, marking a project, progress reports, escalation, filing closure,
// and counts for charts. The figures come from workflow::ViolationService.

#include <fmt/format.h>

#include "core/review_chain.hpp"
#include "http/apis.hpp"
#include "http/reference_names.hpp"

namespace kiln::http {
namespace {

using nlohmann::json;

class ViolationApi final : public Api {
 public:
  ViolationApi(Gate& gate, const ApiContext& c) : c_(c), names_(c.store) {
    gate.Session("GET", "/api/v1/violations", this, &ViolationApi::List);
    gate.Session("GET", "/api/v1/violations/summary", this, &ViolationApi::Summary);
    gate.Session("GET", "/api/v1/violations/{id}", this, &ViolationApi::ById);
    gate.Session("POST", "/api/v1/projects/{id}/violations", this, &ViolationApi::Mark);
    gate.Session("POST", "/api/v1/violations/{id}/progress", this, &ViolationApi::Progress);
    gate.Session("POST", "/api/v1/violations/{id}/escalate", this, &ViolationApi::Escalate);
    gate.Session("POST", "/api/v1/violations/{id}/closure", this, &ViolationApi::Closure);
  }

 private:
  static registry::Caller CallerOf(const Request& req, const security::AuthenticatedSession& s) {
    return {s.principal, req.remote_address};
  }

  // Names of the codes of a reference list in force.
  std::map<std::string, std::string> CodeNames(const std::string& list) {
    std::map<std::string, std::string> out;
    if (auto items = c_.store.ListReferenceItems(list); items.ok()) {
      for (const auto& [code, i] : storage::CurrentReferenceItems(*items)) out[code] = i.name;
    }
    return out;
  }

  struct Names {
    std::map<std::string, std::string> violation, disposal;
  };
  Names LoadNames() { return {CodeNames("violation_types"), CodeNames("disposal_types")}; }

  static std::string NameIn(const std::map<std::string, std::string>& names, const std::string& code) {
    auto it = names.find(code);
    return it == names.end() ? code : it->second;
  }

  json ViolationJson(const storage::Violation& v, const Names& n, const std::string& today) {
    return {{"id", v.id},
            {"project", {{"id", v.project_id}, {"name", v.project_name}, {"state", v.project_state}}},
            {"enterprise", {{"id", v.enterprise_id}, {"name", v.enterprise_name}}},
            {"region", v.region},
            {"region_name", names_.Region(v.region)},
            {"industry", v.industry},
            {"industry_name", names_.Industry(v.industry)},
            {"violation_type", v.violation_type},
            {"violation_type_name", NameIn(n.violation, v.violation_type)},
            {"disposal_type", v.disposal_type},
            {"disposal_type_name", NameIn(n.disposal, v.disposal_type)},
            {"measures", v.measures},
            {"deadline", v.deadline},
            {"responsible_unit", v.responsible_unit},
            {"state", v.state},
            {"progress", v.progress},
            {"overdue", workflow::ViolationOverdue(v, today)},
            {"escalations", v.escalations},
            {"marked_by", v.marked_by},
            {"marked_at", core::FormatInstantUtc(v.marked_at)},
            {"updated_at", core::FormatInstantUtc(v.updated_at)},
            {"closed_at", InstantOrNull(v.closed_at)}};
  }

  Response List(Request& req, const security::AuthenticatedSession& s) {
    std::vector<core::FieldError> errors;
    workflow::ViolationListRequest r;
    r.region = req.Query("region").value_or("");
    r.state = req.Query("state").value_or("");
    if (!r.state.empty() && !workflow::IsViolationState(r.state)) {
      errors.push_back({"state", "must be one of not_started, in_progress, partly_done, done, closed"});
    }
    r.disposal_type = req.Query("disposal_type").value_or("");
    r.violation_type = req.Query("violation_type").value_or("");
    r.industry = req.Query("industry").value_or("");
    auto enterprise = IntQuery(req, "enterprise", 0, 1, std::numeric_limits<std::int64_t>::max(), errors);
    if (req.Query("enterprise")) r.enterprise_id = enterprise;
    auto project = IntQuery(req, "project", 0, 1, std::numeric_limits<std::int64_t>::max(), errors);
    if (req.Query("project")) r.project_id = project;
    for (auto [name, flag] : {std::pair{"open", &r.open_only}, std::pair{"overdue", &r.overdue_only}}) {
      auto value = req.Query(name).value_or("");
      if (!value.empty() && value != "true" && value != "false") errors.push_back({name, "must be true or false"});
      *flag = value == "true";
    }
    r.page = static_cast<int>(IntQuery(req, "page", 1, 1, 1'000'000, errors));
    r.page_size = static_cast<int>(IntQuery(req, "page_size", 50, 1, 500, errors));
    if (!errors.empty()) return ErrorResponse(core::Status::InvalidArgument("invalid violation query", errors));
    auto page = c_.violations.List(CallerOf(req, s), r);
    if (!page.ok()) return ErrorResponse(page.status());
    auto names = LoadNames();
    auto today = c_.violations.Today();
    json items = json::array();
    for (const auto& v : page->first) items.push_back(ViolationJson(v, names, today));
    return JsonResponse(200, {{"items", items}, {"total", page->second}, {"page", r.page}, {"page_size", r.page_size}});
  }

  Response Summary(Request& req, const security::AuthenticatedSession& s) {
    std::string group_by = req.Query("group_by").value_or("region");
    if (group_by != "region" && group_by != "industry" && group_by != "disposal_type") {
      return ErrorResponse(core::Status::InvalidArgument("invalid violation summary",
                                                         {{"group_by", "must be region, industry or disposal_type"}}));
    }
    auto groups = c_.violations.Summary(CallerOf(req, s), group_by, req.Query("region").value_or(""));
    if (!groups.ok()) return ErrorResponse(groups.status());
    auto names = LoadNames();
    auto group_json = [&](const workflow::ViolationGroup& g) {
      std::string name;
      if (group_by == "region")
        name = names_.Region(g.key + std::string(6 - std::min<std::size_t>(6, g.key.size()), '0'));
      if (group_by == "industry") name = names_.Industry(g.key);
      if (group_by == "disposal_type") name = NameIn(names.disposal, g.key);
      return json{{"key", g.key},           {"name", name},
                  {"total", g.total},       {"closed", g.closed},
                  {"overdue", g.overdue},   {"closure_rate", std::round(g.closure_rate() * 1000.0) / 1000.0},
                  {"by_state", g.by_state}, {"by_disposal", g.by_disposal}};
    };
    json items = json::array();
    for (size_t i = 0; i + 1 < groups->size(); ++i) items.push_back(group_json((*groups)[i]));
    return JsonResponse(200, {{"group_by", group_by},
                              {"items", items},
                              {"total", group_json(groups->back())},
                              {"as_of", c_.violations.Today()},
                              {"disposal_types", names.disposal}});
  }

  Response ById(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto d = c_.violations.Get(CallerOf(req, s), *id);
    if (!d.ok()) return ErrorResponse(d.status());
    auto names = LoadNames();
    json out = ViolationJson(d->violation, names, c_.violations.Today());
    json events = json::array();
    for (const auto& e : d->events) {
      events.push_back({{"id", e.id},
                        {"kind", e.kind},
                        {"level", e.level},
                        {"actor", e.actor},
                        {"note", e.note},
                        {"state", e.state},
                        {"disposal_type", e.disposal_type},
                        {"disposal_type_name", NameIn(names.disposal, e.disposal_type)},
                        {"deadline", e.deadline},
                        {"progress", e.progress},
                        {"attachments", e.attachments},
                        {"at", core::FormatInstantUtc(e.at)}});
    }
    json attachments = json::array();
    for (const auto& a : d->attachments) attachments.push_back(AttachmentJson(a));
    json closures = json::array();
    for (const auto& c : d->closures) {
      closures.push_back({{"review_id", c.id},
                          {"status", c.status},
                          {"level", c.awaiting.empty() ? json(nullptr) : json(c.awaiting)},
                          {"version", c.version},
                          {"filed_by", c.filed_by},
                          {"filed_at", core::FormatInstantUtc(c.filed_at)},
                          {"due", InstantOrNull(c.due_at)}});
    }
    out["events"] = events;
    out["attachments"] = attachments;
    out["closures"] = closures;
    out["may"] = {{"report", d->may.report}, {"escalate", d->may.escalate}, {"close", d->may.close}};
    return JsonResponse(200, out);
  }

  template <typename Fn>
  Response Act(Request& req, const security::AuthenticatedSession& s, int status, Fn&& act) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto body = ParseJsonObject(req);
    if (!body.ok()) return ErrorResponse(body.status());
    auto done = act(CallerOf(req, s), *id, *body);
    if (!done.ok()) return ErrorResponse(done.status());
    return JsonResponse(status, ViolationJson(*done, LoadNames(), c_.violations.Today()));
  }

  Response Mark(Request& req, const security::AuthenticatedSession& s) {
    return Act(req, s, 201, [this](const registry::Caller& caller, std::int64_t id, const json& body) {
      return c_.violations.Mark(caller, id, body);
    });
  }
  Response Progress(Request& req, const security::AuthenticatedSession& s) {
    return Act(req, s, 200, [this](const registry::Caller& caller, std::int64_t id, const json& body) {
      return c_.violations.ReportProgress(caller, id, body);
    });
  }
  Response Escalate(Request& req, const security::AuthenticatedSession& s) {
    return Act(req, s, 200, [this](const registry::Caller& caller, std::int64_t id, const json& body) {
      return c_.violations.Escalate(caller, id, body);
    });
  }

  Response Closure(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto body = ParseJsonObject(req);
    if (!body.ok()) return ErrorResponse(body.status());
    auto filed = c_.violations.FileClosure(CallerOf(req, s), *id, *body);
    if (!filed.ok()) return ErrorResponse(filed.status());
    return JsonResponse(201, {{"id", filed->id},
                              {"flow", filed->flow},
                              {"flow_name", std::string(core::ReviewFlowTitle(filed->flow))},
                              {"status", filed->status},
                              {"level", filed->awaiting},
                              {"filed_at", core::FormatInstantUtc(filed->filed_at)},
                              {"due", InstantOrNull(filed->due_at)}});
  }

  const ApiContext c_;
  ReferenceNames names_;
};

}  // namespace

std::unique_ptr<Api> RegisterViolationApi(Gate& gate, const ApiContext& c) {
  return std::make_unique<ViolationApi>(gate, c);
}

}  // namespace kiln::http
