// Energy-efficiency upgrade plans (一企一策): the list and one plan with its
// events, review filings and measured saving; filing a plan, progress,
// completion, filing the acceptance; an enterprise's projects below the
// benchmark; counts for charts. The figures come from workflow::UpgradeService.

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "core/review_chain.hpp"
#include "http/apis.hpp"
#include "http/reference_names.hpp"

namespace kiln::http {
namespace {

using nlohmann::json;

json Rounded(double v, int digits = 3) {
  double scale = std::pow(10.0, digits);
  return std::round(v * scale) / scale;
}

class UpgradeApi final : public Api {
 public:
  UpgradeApi(Gate& gate, const ApiContext& c) : c_(c), names_(c.store) {
    gate.Session("GET", "/api/v1/upgrade-plans", this, &UpgradeApi::List);
    gate.Session("GET", "/api/v1/upgrade-plans/summary", this, &UpgradeApi::Summary);
    gate.Session("GET", "/api/v1/upgrade-plans/{id}", this, &UpgradeApi::ById);
    gate.Session("GET", "/api/v1/enterprises/{id}/upgrade-candidates", this, &UpgradeApi::Candidates);
    gate.Session("POST", "/api/v1/enterprises/{id}/upgrade-plans", this, &UpgradeApi::File);
    gate.Session("POST", "/api/v1/upgrade-plans/{id}/progress", this, &UpgradeApi::Progress);
    gate.Session("POST", "/api/v1/upgrade-plans/{id}/completion", this, &UpgradeApi::Completion);
    gate.Session("POST", "/api/v1/upgrade-plans/{id}/acceptance", this, &UpgradeApi::Acceptance);
  }

 private:
  static registry::Caller CallerOf(const Request& req, const security::AuthenticatedSession& s) {
    return {s.principal, req.remote_address};
  }

  json PlanJson(const storage::UpgradePlan& p) {
    return {{"id", p.id},
            {"enterprise", {{"id", p.enterprise_id}, {"name", p.enterprise_name}}},
            {"region", p.region},
            {"region_name", names_.Region(p.region)},
            {"industry", p.industry},
            {"industry_name", names_.Industry(p.industry)},
            {"status", p.status},
            {"project_ids", p.project_ids},
            {"start_month", p.start_month},
            {"completion_due", p.completion_due},
            {"expected_saving_tce", Rounded(p.expected_saving_tce)},
            {"measured_saving_tce", p.measured_saving_tce ? Rounded(*p.measured_saving_tce) : json(nullptr)},
            {"progress", p.progress},
            {"completed_on", p.completed_on.empty() ? json(nullptr) : json(p.completed_on)},
            {"filed_by", p.filed_by},
            {"filed_at", core::FormatInstantUtc(p.filed_at)},
            {"updated_at", core::FormatInstantUtc(p.updated_at)},
            {"accepted_at", InstantOrNull(p.accepted_at)}};
  }

  static json ReviewJson(const storage::ReviewItem& r) {
    return {{"id", r.id},
            {"flow", r.flow},
            {"flow_name", std::string(core::ReviewFlowTitle(r.flow))},
            {"status", r.status},
            {"level", r.awaiting.empty() ? json(nullptr) : json(r.awaiting)},
            {"version", r.version},
            {"filed_by", r.filed_by},
            {"filed_at", core::FormatInstantUtc(r.filed_at)},
            {"due", InstantOrNull(r.due_at)}};
  }

  json DetailJson(const workflow::UpgradeDetail& d) {
    json out = PlanJson(d.plan);
    out["plan"] = d.content;
    json events = json::array();
    for (const auto& e : d.events) {
      events.push_back({{"id", e.id},
                        {"kind", e.kind},
                        {"level", e.level},
                        {"actor", e.actor},
                        {"note", e.note},
                        {"status", e.status},
                        {"progress", e.progress},
                        {"attachments", e.attachments},
                        {"at", core::FormatInstantUtc(e.at)}});
    }
    json attachments = json::array();
    for (const auto& a : d.attachments) attachments.push_back(AttachmentJson(a));
    json reviews = json::array();
    for (const auto& r : d.reviews) reviews.push_back(ReviewJson(r));
    out["events"] = events;
    out["attachments"] = attachments;
    out["reviews"] = reviews;
    out["measurement"] = d.measurement;
    out["may"] = {{"report", d.may.report}, {"complete", d.may.complete}, {"accept", d.may.accept}};
    return out;
  }

  Response List(Request& req, const security::AuthenticatedSession& s) {
    std::vector<core::FieldError> errors;
    workflow::UpgradeListRequest r;
    r.region = req.Query("region").value_or("");
    r.status = req.Query("status").value_or("");
    r.industry = req.Query("industry").value_or("");
    auto enterprise = IntQuery(req, "enterprise", 0, 1, std::numeric_limits<std::int64_t>::max(), errors);
    if (req.Query("enterprise")) r.enterprise_id = enterprise;
    r.page = static_cast<int>(IntQuery(req, "page", 1, 1, 1'000'000, errors));
    r.page_size = static_cast<int>(IntQuery(req, "page_size", 50, 1, 500, errors));
    if (!errors.empty()) return ErrorResponse(core::Status::InvalidArgument("invalid upgrade plan query", errors));
    auto page = c_.upgrades.List(CallerOf(req, s), r);
    if (!page.ok()) return ErrorResponse(page.status());
    json items = json::array();
    for (const auto& p : page->first) items.push_back(PlanJson(p));
    return JsonResponse(200, {{"items", items}, {"total", page->second}, {"page", r.page}, {"page_size", r.page_size}});
  }

  Response Summary(Request& req, const security::AuthenticatedSession& s) {
    std::string group_by = req.Query("group_by").value_or("region");
    auto groups = c_.upgrades.Summary(CallerOf(req, s), group_by, req.Query("region").value_or(""));
    if (!groups.ok()) return ErrorResponse(groups.status());
    auto group_json = [&](const workflow::UpgradeGroup& g) {
      std::string name = group_by == "industry"
                             ? names_.Industry(g.key)
                             : names_.Region(g.key + std::string(6 - std::min<std::size_t>(6, g.key.size()), '0'));
      return json{{"key", g.key},
                  {"name", g.key.empty() ? json(nullptr) : json(name)},
                  {"projects", g.projects},
                  {"advanced", g.advanced},
                  {"between", g.between},
                  {"below_benchmark", g.below_benchmark},
                  {"unrated", g.unrated},
                  {"below_in_plan", g.below_in_plan},
                  {"below_accepted", g.below_accepted},
                  {"rated_capacity_t", Rounded(g.rated_capacity_t, 1)},
                  {"advanced_capacity_t", Rounded(g.advanced_capacity_t, 1)},
                  {"below_capacity_t", Rounded(g.below_capacity_t, 1)},
                  {"advanced_share",
                   g.rated_capacity_t > 0 ? Rounded(g.advanced_capacity_t / g.rated_capacity_t, 4) : json(nullptr)},
                  {"plans", g.plans},
                  {"expected_saving_tce", Rounded(g.expected_saving_tce)},
                  {"measured_saving_tce", Rounded(g.measured_saving_tce)}};
    };
    json items = json::array();
    for (size_t i = 0; i + 1 < groups->size(); ++i) items.push_back(group_json((*groups)[i]));
    // Seed 001's goal for the share of capacity at the advanced level, as the warning rule keeps it.
    json goal = nullptr;
    if (auto thresholds = c_.store.warnings().ListThresholds(); thresholds.ok()) {
      for (const auto& t : *thresholds) {
        if (t.rule == "advanced_share_low" && t.name == "goal_pct") goal = t.value / 100;  // newest version last
      }
    }
    return JsonResponse(200, {{"group_by", group_by},
                              {"items", items},
                              {"total", group_json(groups->back())},
                              {"advanced_share_goal", goal}});
  }

  Response ById(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto d = c_.upgrades.Get(CallerOf(req, s), *id);
    if (!d.ok()) return ErrorResponse(d.status());
    return JsonResponse(200, DetailJson(*d));
  }

  Response Candidates(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto found = c_.upgrades.Candidates(CallerOf(req, s), *id);
    if (!found.ok()) return ErrorResponse(found.status());
    json items = json::array();
    for (const auto& c : *found) {
      items.push_back({{"project_id", c.project_id},
                       {"name", c.name},
                       {"product", c.product},
                       {"capacity", c.capacity},
                       {"capacity_unit", c.capacity_unit},
                       {"declared", c.declared},
                       {"benchmark", c.level.benchmark},
                       {"advanced", c.level.advanced},
                       {"unit", c.level.indicator_unit},
                       {"plan_id", c.plan_id ? json(*c.plan_id) : json(nullptr)},
                       {"plan_status", c.plan_id ? json(c.plan_status) : json(nullptr)}});
    }
    return JsonResponse(200, {{"items", items}});
  }

  template <typename Fn>
  Response Act(Request& req, const security::AuthenticatedSession& s, int status, Fn&& act) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto body = ParseJsonObject(req);
    if (!body.ok()) return ErrorResponse(body.status());
    auto done = act(CallerOf(req, s), *id, *body);
    if (!done.ok()) return ErrorResponse(done.status());
    return JsonResponse(status, DetailJson(*done));
  }

  Response File(Request& req, const security::AuthenticatedSession& s) {
    return Act(req, s, 201, [this](const registry::Caller& caller, std::int64_t id, const json& body) {
      return c_.upgrades.File(caller, id, body);
    });
  }
  Response Progress(Request& req, const security::AuthenticatedSession& s) {
    return Act(req, s, 200, [this](const registry::Caller& caller, std::int64_t id, const json& body) {
      return c_.upgrades.ReportProgress(caller, id, body);
    });
  }
  Response Completion(Request& req, const security::AuthenticatedSession& s) {
    return Act(req, s, 200, [this](const registry::Caller& caller, std::int64_t id, const json& body) {
      return c_.upgrades.Complete(caller, id, body);
    });
  }

  Response Acceptance(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto body = ParseJsonObject(req);
    if (!body.ok()) return ErrorResponse(body.status());
    auto filed = c_.upgrades.FileAcceptance(CallerOf(req, s), *id, *body);
    if (!filed.ok()) return ErrorResponse(filed.status());
    return JsonResponse(201, ReviewJson(*filed));
  }

  const ApiContext c_;
  ReferenceNames names_;
};

}  // namespace

std::unique_ptr<Api> RegisterUpgradeApi(Gate& gate, const ApiContext& c) {
  return std::make_unique<UpgradeApi>(gate, c);
}

}  // namespace kiln::http
