// Inspections (督导检查): plans with their teams and deductions, tasks by
// enterprise (targeted or drawn at random), a visit's findings with photos,
// their rectification and verification, indicator deductions. The work is
// workflow::InspectionService's.

#include <fmt/format.h>

#include <limits>

#include "http/apis.hpp"
#include "http/reference_names.hpp"

namespace kiln::http {
namespace {

using nlohmann::json;

json IdOrNull(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); }
json TextOrNull(const std::string& v) { return v.empty() ? json(nullptr) : json(v); }

class InspectionApi final : public Api {
 public:
  InspectionApi(Gate& gate, const ApiContext& c) : c_(c), names_(c.store) {
    gate.Session("GET", "/api/v1/inspection-plans", this, &InspectionApi::Plans);
    gate.Session("POST", "/api/v1/inspection-plans", this, &InspectionApi::CreatePlan);
    gate.Session("GET", "/api/v1/inspection-plans/{id}", this, &InspectionApi::Plan);
    gate.Session("POST", "/api/v1/inspection-plans/{id}/tasks", this, &InspectionApi::AddTasks);
    gate.Session("POST", "/api/v1/inspection-plans/{id}/deductions", this, &InspectionApi::Deduct);
    gate.Session("GET", "/api/v1/inspection-tasks", this, &InspectionApi::Tasks);
    gate.Session("GET", "/api/v1/inspection-tasks/{id}", this, &InspectionApi::Task);
    gate.Session("POST", "/api/v1/inspection-tasks/{id}/visit", this, &InspectionApi::Visit);
    gate.Session("POST", "/api/v1/inspection-findings/{id}/rectification", this, &InspectionApi::Rectified);
    gate.Session("POST", "/api/v1/inspection-findings/{id}/verification", this, &InspectionApi::Verified);
    gate.Session("GET", "/api/v1/indicator-deductions", this, &InspectionApi::Deductions);
    gate.Session("GET", "/api/v1/resident-supervisors", this, &InspectionApi::Supervisors);
    gate.Session("POST", "/api/v1/enterprises/{id}/resident-supervisors", this, &InspectionApi::Appoint);
    gate.Session("POST", "/api/v1/resident-supervisors/{id}/end", this, &InspectionApi::EndAppointment);
    gate.Session("GET", "/api/v1/resident-supervisors/{id}/visits", this, &InspectionApi::Visits);
    gate.Session("POST", "/api/v1/resident-supervisors/{id}/visits", this, &InspectionApi::AddVisit);
  }

 private:
  static registry::Caller CallerOf(const Request& req, const security::AuthenticatedSession& s) {
    return {s.principal, req.remote_address};
  }

  json PlanJson(const storage::InspectionPlan& p) {
    json teams = json::array();
    for (const auto& t : p.teams) {
      teams.push_back({{"id", t.id}, {"name", t.name}, {"leader", t.leader}, {"members", t.members}});
    }
    return {{"id", p.id},
            {"kind", p.kind},
            {"title", p.title},
            {"region", p.region},
            {"region_name", names_.Region(p.region)},
            {"starts_on", p.starts_on},
            {"ends_on", p.ends_on},
            {"focus", p.focus},
            {"teams", teams},
            {"tasks", p.tasks},
            {"visited", p.visited},
            {"findings", p.findings},
            {"open_findings", p.open_findings},
            {"created_by", p.created_by},
            {"created_at", core::FormatInstantUtc(p.created_at)}};
  }

  json TaskJson(const storage::InspectionTask& t) {
    return {{"id", t.id},
            {"plan", {{"id", t.plan_id}, {"title", t.plan_title}, {"kind", t.plan_kind}}},
            {"team", t.team_id ? json{{"id", *t.team_id}, {"name", t.team_name}} : json(nullptr)},
            {"enterprise", {{"id", t.enterprise_id}, {"name", t.enterprise_name}}},
            {"region", t.region},
            {"region_name", names_.Region(t.region)},
            {"industry", t.industry},
            {"industry_name", names_.Industry(t.industry)},
            {"selection", t.selection},
            {"reason", t.reason},
            {"status", t.status},
            {"visited_on", TextOrNull(t.visited_on)},
            {"summary", TextOrNull(t.summary)},
            {"visited_by", TextOrNull(t.visited_by)},
            {"created_by", t.created_by},
            {"created_at", core::FormatInstantUtc(t.created_at)}};
  }

  json DeductionJson(const storage::IndicatorDeduction& d) {
    return {
        {"id", d.id},
        {"plan_id", IdOrNull(d.plan_id)},
        {"finding_id", IdOrNull(d.finding_id)},
        {"enterprise", d.enterprise_id ? json{{"id", *d.enterprise_id}, {"name", d.enterprise_name}} : json(nullptr)},
        {"region", d.region},
        {"region_name", names_.Region(d.region)},
        {"indicator", d.indicator},
        {"year", d.year},
        {"amount", d.amount},
        {"unit", d.unit},
        {"reason", d.reason},
        {"decided_by", d.decided_by},
        {"decided_at", core::FormatInstantUtc(d.decided_at)}};
  }

  json TaskDetailJson(const workflow::InspectionTaskDetail& d) {
    json out = TaskJson(d.task);
    json findings = json::array();
    for (std::size_t k = 0; k < d.findings.size(); ++k) {
      const auto& f = d.findings[k];
      json events = json::array();
      for (const auto& e : d.events[k]) {
        events.push_back({{"id", e.id},
                          {"kind", e.kind},
                          {"level", e.level},
                          {"actor", e.actor},
                          {"note", e.note},
                          {"state", e.state},
                          {"attachments", e.attachments},
                          {"at", core::FormatInstantUtc(e.at)}});
      }
      findings.push_back({{"id", f.id},
                          {"category", f.category},
                          {"description", f.description},
                          {"severity", f.severity},
                          {"requirement", f.requirement},
                          {"deadline", f.deadline},
                          {"state", f.state},
                          {"recorded_by", f.recorded_by},
                          {"recorded_at", core::FormatInstantUtc(f.recorded_at)},
                          {"events", events}});
    }
    json attachments = json::array();
    for (const auto& a : d.attachments) attachments.push_back(AttachmentJson(a));
    out["findings"] = findings;
    out["attachments"] = attachments;
    out["may"] = {{"visit", d.may_visit}, {"rectify", d.may_rectify}, {"verify", d.may_verify}};
    return out;
  }

  Response Plans(Request& req, const security::AuthenticatedSession& s) {
    std::vector<core::FieldError> errors;
    int page = static_cast<int>(IntQuery(req, "page", 1, 1, 1'000'000, errors));
    int page_size = static_cast<int>(IntQuery(req, "page_size", 50, 1, 500, errors));
    if (!errors.empty()) return ErrorResponse(core::Status::InvalidArgument("invalid inspection plan query", errors));
    auto got = c_.inspections.ListPlans(CallerOf(req, s), page, page_size);
    if (!got.ok()) return ErrorResponse(got.status());
    json items = json::array();
    for (const auto& p : got->first) items.push_back(PlanJson(p));
    return JsonResponse(200, {{"items", items}, {"total", got->second}, {"page", page}, {"page_size", page_size}});
  }

  json PlanDetailJson(const workflow::InspectionPlanDetail& d) {
    json out = PlanJson(d.plan);
    json deductions = json::array();
    for (const auto& x : d.deductions) deductions.push_back(DeductionJson(x));
    out["deductions"] = deductions;
    out["may"] = {{"manage", d.may_manage}, {"deduct", d.may_deduct}};
    return out;
  }

  Response CreatePlan(Request& req, const security::AuthenticatedSession& s) {
    auto body = ParseJsonObject(req);
    if (!body.ok()) return ErrorResponse(body.status());
    auto created = c_.inspections.CreatePlan(CallerOf(req, s), *body);
    if (!created.ok()) return ErrorResponse(created.status());
    return JsonResponse(201, PlanDetailJson(*created));
  }

  Response Plan(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto d = c_.inspections.GetPlan(CallerOf(req, s), *id);
    if (!d.ok()) return ErrorResponse(d.status());
    return JsonResponse(200, PlanDetailJson(*d));
  }

  Response AddTasks(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto body = ParseJsonObject(req);
    if (!body.ok()) return ErrorResponse(body.status());
    auto added = c_.inspections.AddTasks(CallerOf(req, s), *id, *body);
    if (!added.ok()) return ErrorResponse(added.status());
    json items = json::array();
    for (const auto& t : *added) items.push_back(TaskJson(t));
    return JsonResponse(201, {{"items", items}, {"total", items.size()}});
  }

  Response Deduct(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto body = ParseJsonObject(req);
    if (!body.ok()) return ErrorResponse(body.status());
    auto saved = c_.inspections.Deduct(CallerOf(req, s), *id, *body);
    if (!saved.ok()) return ErrorResponse(saved.status());
    return JsonResponse(201, DeductionJson(*saved));
  }

  Response Tasks(Request& req, const security::AuthenticatedSession& s) {
    std::vector<core::FieldError> errors;
    workflow::InspectionTaskRequest r;
    auto plan = IntQuery(req, "plan", 0, 1, std::numeric_limits<std::int64_t>::max(), errors);
    if (req.Query("plan")) r.plan_id = plan;
    auto enterprise = IntQuery(req, "enterprise", 0, 1, std::numeric_limits<std::int64_t>::max(), errors);
    if (req.Query("enterprise")) r.enterprise_id = enterprise;
    r.status = req.Query("status").value_or("");
    r.page = static_cast<int>(IntQuery(req, "page", 1, 1, 1'000'000, errors));
    r.page_size = static_cast<int>(IntQuery(req, "page_size", 50, 1, 500, errors));
    if (!errors.empty()) return ErrorResponse(core::Status::InvalidArgument("invalid inspection task query", errors));
    auto got = c_.inspections.ListTasks(CallerOf(req, s), r);
    if (!got.ok()) return ErrorResponse(got.status());
    json items = json::array();
    for (const auto& t : got->first) items.push_back(TaskJson(t));
    return JsonResponse(200, {{"items", items}, {"total", got->second}, {"page", r.page}, {"page_size", r.page_size}});
  }

  template <typename Fn>
  Response ActOnTask(Request& req, const security::AuthenticatedSession& s, Fn&& act) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto body = ParseJsonObject(req);
    if (!body.ok()) return ErrorResponse(body.status());
    auto done = act(CallerOf(req, s), *id, *body);
    if (!done.ok()) return ErrorResponse(done.status());
    return JsonResponse(200, TaskDetailJson(*done));
  }

  Response Task(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto d = c_.inspections.GetTask(CallerOf(req, s), *id);
    if (!d.ok()) return ErrorResponse(d.status());
    return JsonResponse(200, TaskDetailJson(*d));
  }
  Response Visit(Request& req, const security::AuthenticatedSession& s) {
    return ActOnTask(req, s, [this](const registry::Caller& caller, std::int64_t id, const json& body) {
      return c_.inspections.RecordVisit(caller, id, body);
    });
  }
  Response Rectified(Request& req, const security::AuthenticatedSession& s) {
    return ActOnTask(req, s, [this](const registry::Caller& caller, std::int64_t id, const json& body) {
      return c_.inspections.ReportRectified(caller, id, body);
    });
  }
  Response Verified(Request& req, const security::AuthenticatedSession& s) {
    return ActOnTask(req, s, [this](const registry::Caller& caller, std::int64_t id, const json& body) {
      return c_.inspections.Verify(caller, id, body);
    });
  }

  Response Deductions(Request& req, const security::AuthenticatedSession& s) {
    std::vector<core::FieldError> errors;
    const int year = static_cast<int>(IntQuery(req, "year", 0, 0, 2100, errors));
    if (!errors.empty()) return ErrorResponse(core::Status::InvalidArgument("invalid deduction query", errors));
    auto got = c_.inspections.ListDeductions(CallerOf(req, s), req.Query("region").value_or(""), year);
    if (!got.ok()) return ErrorResponse(got.status());
    json items = json::array();
    for (const auto& d : *got) items.push_back(DeductionJson(d));
    return JsonResponse(200, {{"items", items}, {"total", items.size()}});
  }

  json SupervisorJson(const storage::ResidentSupervisor& s) {
    return {{"id", s.id},
            {"enterprise", {{"id", s.enterprise_id}, {"name", s.enterprise_name}}},
            {"region", s.region},
            {"region_name", names_.Region(s.region)},
            {"industry", s.industry},
            {"industry_name", names_.Industry(s.industry)},
            {"name", s.name},
            {"unit", s.unit},
            {"phone", s.phone},
            {"appointed_on", s.appointed_on},
            {"appointed_by", s.appointed_by},
            {"active", s.ended_on.empty()},
            {"ended_on", TextOrNull(s.ended_on)},
            {"end_reason", TextOrNull(s.end_reason)},
            {"visits", s.visits},
            {"last_visit", TextOrNull(s.last_visit)}};
  }

  static json VisitJson(const storage::SupervisorVisit& v) {
    return {{"id", v.id},
            {"supervisor_id", v.supervisor_id},
            {"visited_on", v.visited_on},
            {"output_t", v.output_t ? json(*v.output_t) : json(nullptr)},
            {"meters_ok", v.meters_ok},
            {"note", v.note},
            {"recorded_by", v.recorded_by},
            {"recorded_at", core::FormatInstantUtc(v.recorded_at)}};
  }

  Response Supervisors(Request& req, const security::AuthenticatedSession& s) {
    std::vector<core::FieldError> errors;
    auto enterprise = IntQuery(req, "enterprise", 0, 1, std::numeric_limits<std::int64_t>::max(), errors);
    auto active = req.Query("active").value_or("");
    if (!active.empty() && active != "true" && active != "false") errors.push_back({"active", "must be true or false"});
    if (!errors.empty()) return ErrorResponse(core::Status::InvalidArgument("invalid supervisor query", errors));
    auto got = c_.inspections.ListSupervisors(CallerOf(req, s),
                                              req.Query("enterprise") ? std::optional(enterprise) : std::nullopt,
                                              req.Query("region").value_or(""), active == "true");
    if (!got.ok()) return ErrorResponse(got.status());
    json items = json::array();
    for (const auto& x : *got) items.push_back(SupervisorJson(x));
    return JsonResponse(200, {{"items", items}, {"total", items.size()}});
  }

  template <typename Fn>
  Response ActOnSupervisor(Request& req, const security::AuthenticatedSession& s, int status, Fn&& act) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto body = ParseJsonObject(req);
    if (!body.ok()) return ErrorResponse(body.status());
    auto done = act(CallerOf(req, s), *id, *body);
    if (!done.ok()) return ErrorResponse(done.status());
    return JsonResponse(status, SupervisorJson(*done));
  }

  Response Appoint(Request& req, const security::AuthenticatedSession& s) {
    return ActOnSupervisor(req, s, 201, [this](const registry::Caller& caller, std::int64_t id, const json& body) {
      return c_.inspections.AppointSupervisor(caller, id, body);
    });
  }
  Response EndAppointment(Request& req, const security::AuthenticatedSession& s) {
    return ActOnSupervisor(req, s, 200, [this](const registry::Caller& caller, std::int64_t id, const json& body) {
      return c_.inspections.EndSupervisor(caller, id, body);
    });
  }

  Response Visits(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto got = c_.inspections.SupervisorVisits(CallerOf(req, s), *id);
    if (!got.ok()) return ErrorResponse(got.status());
    json items = json::array();
    for (const auto& v : got->second) items.push_back(VisitJson(v));
    return JsonResponse(200, {{"supervisor", SupervisorJson(got->first)}, {"items", items}, {"total", items.size()}});
  }

  Response AddVisit(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto body = ParseJsonObject(req);
    if (!body.ok()) return ErrorResponse(body.status());
    auto saved = c_.inspections.RecordSupervisorVisit(CallerOf(req, s), *id, *body);
    if (!saved.ok()) return ErrorResponse(saved.status());
    return JsonResponse(201, VisitJson(*saved));
  }

  const ApiContext c_;
  ReferenceNames names_;
};

}  // namespace

std::unique_ptr<Api> RegisterInspectionApi(Gate& gate, const ApiContext& c) {
  return std::make_unique<InspectionApi>(gate, c);
}

}  // namespace kiln::http
