// Enterprise reports: the enterprise's draft, submission and versions; the
// review queue and decisions of county, city and province; the late and
// missing list of a period.

#include <cmath>
#include <fmt/format.h>

#include "core/energy_types.hpp"
#include "http/apis.hpp"
#include "http/reference_names.hpp"

namespace kiln::http {
namespace {

using nlohmann::json;

json ParsedOrText(const std::string& text) {
  auto j = json::parse(text, nullptr, false);
  return j.is_discarded() ? json(text) : j;
}

class ReportApi final : public Api {
 public:
  ReportApi(Gate& gate, const ApiContext& c) : d_(c), names_(c.store) {
    // Before /api/v1/reports/{id}, which would otherwise take "late" for an id.
    gate.Session("GET", "/api/v1/reports/late", this, &ReportApi::Late);
    gate.Session("GET", "/api/v1/reports", this, &ReportApi::List);
    gate.Session("GET", "/api/v1/reports/{id}", this, &ReportApi::ById);
    gate.Session("POST", "/api/v1/reports/{id}/review", this, &ReportApi::Review);
    gate.Session("GET", "/api/v1/reports/{id}/recompute", this, &ReportApi::Recompute);
    gate.Session("GET", "/api/v1/enterprises/{id}/reports/{kind}/{period}", this, &ReportApi::Open);
    gate.Session("PUT", "/api/v1/enterprises/{id}/reports/{kind}/{period}", this, &ReportApi::Save);
    gate.Session("POST", "/api/v1/enterprises/{id}/reports/{kind}/{period}/submit", this, &ReportApi::Submit);
  }

 private:
  registry::Caller CallerOf(const Request& req, const security::AuthenticatedSession& s) {
    return {s.principal, req.remote_address};
  }

  json Summary(const storage::Report& r) {
    auto kind = core::ParseReportKind(r.kind);
    auto period = kind ? core::ParseReportPeriod(*kind, r.period) : std::nullopt;
    bool late = period && (r.first_submitted_at ? *r.first_submitted_at > period->due : d_.clock.Now() > period->due);
    return {
        {"id", r.id},
        {"enterprise_id", r.enterprise_id},
        {"enterprise_name", r.enterprise_name},
        {"region", r.region},
        {"region_name", names_.Region(r.region)},
        {"industry", r.industry},
        {"industry_name", names_.Industry(r.industry)},
        {"kind", r.kind},
        {"period", r.period},
        {"status", r.status},
        {"awaiting", workflow::AwaitedLevel(r.status).empty() ? json(nullptr) : json(workflow::AwaitedLevel(r.status))},
        {"version", r.version},
        {"due_at", core::FormatInstantUtc(r.due_at)},
        {"first_submitted_at", InstantOrNull(r.first_submitted_at)},
        {"submitted_at", InstantOrNull(r.submitted_at)},
        {"updated_at", core::FormatInstantUtc(r.updated_at)},
        {"late", late}};
  }

  Response FileResponse(const workflow::ReportFile& f, const Request& req, const security::AuthenticatedSession& s,
                        std::int64_t enterprise_id) {
    json versions = json::array();
    for (const auto& v : f.versions) {
      versions.push_back({{"version", v.version},
                          {"content", ParsedOrText(v.content)},
                          {"explanation", v.explanation},
                          {"comprehensive_tce", v.comprehensive_tce},
                          {"factors", ParsedOrText(v.factors)},
                          {"submitted_by", v.submitted_by},
                          {"submitted_at", core::FormatInstantUtc(v.submitted_at)}});
    }
    json actions = json::array();
    for (const auto& a : f.actions) {
      actions.push_back({{"version", a.version},
                         {"action", a.action},
                         {"level", a.level},
                         {"actor", a.actor},
                         {"reason", a.reason},
                         {"at", core::FormatInstantUtc(a.at)}});
    }
    json factors = json::array();
    for (const auto& factor : f.factors) factors.push_back(core::FactorJson(factor));
    json metered = json::object();
    for (const auto& [type, amount] : f.metered) metered[type] = std::round(amount * 1000) / 1000;
    auto can = d_.reports.AbilitiesOf(CallerOf(req, s), enterprise_id, f.report ? f.report->status : "");
    return JsonResponse(200, {{"report", f.report ? Summary(*f.report) : json(nullptr)},
                              {"enterprise_id", enterprise_id},
                              {"kind", core::ReportKindName(f.period.kind)},
                              {"period", f.period.text},
                              {"due_at", core::FormatInstantUtc(f.period.due)},
                              {"late", f.late},
                              {"content", f.content},
                              {"explanation", f.report ? f.report->explanation : ""},
                              {"metered", metered},
                              {"last_year", f.last_year ? *f.last_year : json(nullptr)},
                              {"versions", versions},
                              {"actions", actions},
                              {"convention", core::ElectricityConventionName(f.convention)},
                              {"factors", factors},
                              {"can", {{"fill", can.fill}, {"review", can.review}}}});
  }

  Response Open(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto file = d_.reports.Open(CallerOf(req, s), *id, req.path_params["kind"], req.path_params["period"]);
    if (!file.ok()) return ErrorResponse(file.status());
    return FileResponse(*file, req, s, *id);
  }

  Response ById(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto report = d_.reports.Visible(CallerOf(req, s), *id);
    if (!report.ok()) return ErrorResponse(report.status());
    auto file = d_.reports.Open(CallerOf(req, s), report->enterprise_id, report->kind, report->period);
    if (!file.ok()) return ErrorResponse(file.status());
    return FileResponse(*file, req, s, report->enterprise_id);
  }

  // The body: {"content": {...}, "explanation": "..."}.
  core::Result<std::pair<json, std::string>> Body(const Request& req) {
    auto body = ParseJsonObject(req);
    if (!body.ok()) return body.status();
    std::vector<core::FieldError> unknown;
    for (const auto& [key, value] : body->items()) {
      if (key != "content" && key != "explanation") unknown.push_back({key, "unknown field"});
    }
    if (!unknown.empty()) return core::Status::InvalidArgument("invalid report body", std::move(unknown));
    if (!body->contains("content")) {
      return core::Status::InvalidArgument("content is required", {{"content", "is required"}});
    }
    std::string explanation;
    if (body->contains("explanation") && !(*body)["explanation"].is_null()) {
      if (!(*body)["explanation"].is_string()) {
        return core::Status::InvalidArgument("invalid explanation", {{"explanation", "must be text"}});
      }
      explanation = (*body)["explanation"];
      if (explanation.size() > 2000) {
        return core::Status::InvalidArgument("invalid explanation", {{"explanation", "must be at most 2000 bytes"}});
      }
    }
    return std::make_pair((*body)["content"], explanation);
  }

  Response Save(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto body = Body(req);
    if (!body.ok()) return ErrorResponse(body.status());
    auto saved = d_.reports.SaveDraft(CallerOf(req, s), *id, req.path_params["kind"], req.path_params["period"],
                                      body->first, body->second);
    if (!saved.ok()) return ErrorResponse(saved.status());
    return JsonResponse(200, Summary(*saved));
  }

  Response Submit(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto body = Body(req);
    if (!body.ok()) return ErrorResponse(body.status());
    auto submitted = d_.reports.Submit(CallerOf(req, s), *id, req.path_params["kind"], req.path_params["period"],
                                       body->first, body->second);
    if (!submitted.ok()) return ErrorResponse(submitted.status());
    return JsonResponse(200, Summary(*submitted));
  }

  Response Review(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto body = ParseDecisionBody(req, "invalid review");
    if (!body.ok()) return ErrorResponse(body.status());
    auto reviewed = d_.reports.Review(CallerOf(req, s), *id, body->action, body->reason);
    if (!reviewed.ok()) return ErrorResponse(reviewed.status());
    return JsonResponse(200, Summary(*reviewed));
  }

  Response Recompute(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto r = d_.reports.Recompute(CallerOf(req, s), *id);
    if (!r.ok()) return ErrorResponse(r.status());
    json published = json::array(), current = json::array();
    for (const auto& f : r->published_factors) published.push_back(core::FactorJson(f));
    for (const auto& f : r->current_factors) current.push_back(core::FactorJson(f));
    return JsonResponse(
        200, {{"report_id", *id},
              {"version", r->version},
              {"published", {{"comprehensive_tce", r->published_tce}, {"factors", published}}},
              {"current", {{"comprehensive_tce", std::round(r->current_tce * 1e6) / 1e6}, {"factors", current}}},
              {"difference_tce", std::round((r->current_tce - r->published_tce) * 1e6) / 1e6}});
  }

  Response List(Request& req, const security::AuthenticatedSession& s) {
    std::vector<core::FieldError> errors;
    workflow::ReportListRequest q{.kind = req.Query("kind").value_or(""),
                                  .period = req.Query("period").value_or(""),
                                  .status = req.Query("status").value_or(""),
                                  .awaiting_me = req.Query("awaiting").value_or("") == "me",
                                  .page = static_cast<int>(IntQuery(req, "page", 1, 1, 1'000'000, errors)),
                                  .page_size = static_cast<int>(IntQuery(req, "page_size", 50, 1, 500, errors))};
    if (!q.kind.empty() && !core::ParseReportKind(q.kind)) errors.push_back({"kind", "must be monthly or yearly"});
    if (!errors.empty()) return ErrorResponse(core::Status::InvalidArgument("invalid report query", errors));
    auto page = d_.reports.List(CallerOf(req, s), q);
    if (!page.ok()) return ErrorResponse(page.status());
    json items = json::array();
    for (const auto& r : page->first) items.push_back(Summary(r));
    return JsonResponse(200, {{"items", items}, {"total", page->second}, {"page", q.page}, {"page_size", q.page_size}});
  }

  Response Late(Request& req, const security::AuthenticatedSession& s) {
    std::string kind = req.Query("kind").value_or("monthly");
    if (!core::ParseReportKind(kind)) {
      return ErrorResponse(
          core::Status::InvalidArgument("invalid report query", {{"kind", "must be monthly or yearly"}}));
    }
    std::string period = req.Query("period").value_or("");
    if (period.empty()) {
      // The period whose deadline is nearest behind or ahead: last month, or last year.
      auto today = core::ChinaDateOf(d_.clock.Now());
      period = kind == "yearly"   ? std::to_string(today.year - 1)
               : today.month == 1 ? fmt::format("{}-12", today.year - 1)
                                  : fmt::format("{}-{:02}", today.year, today.month - 1);
    }
    auto rows = d_.reports.LateAndMissing(CallerOf(req, s), kind, period);
    if (!rows.ok()) return ErrorResponse(rows.status());
    json items = json::array();
    for (const auto& r : *rows) {
      items.push_back({{"enterprise_id", r.standing.enterprise_id},
                       {"enterprise_name", r.standing.enterprise_name},
                       {"region", r.standing.region},
                       {"region_name", names_.Region(r.standing.region)},
                       {"status", r.standing.status.empty() ? json(nullptr) : json(r.standing.status)},
                       {"report_id", r.standing.report_id ? json(*r.standing.report_id) : json(nullptr)},
                       {"first_submitted_at", InstantOrNull(r.standing.first_submitted_at)},
                       {"missing", r.missing},
                       {"late", r.late}});
    }
    auto p = core::ParseReportPeriod(*core::ParseReportKind(kind), period);
    return JsonResponse(200, {{"kind", kind},
                              {"period", period},
                              {"due_at", core::FormatInstantUtc(p->due)},
                              {"total", items.size()},
                              {"items", items}});
  }

  const ApiContext d_;
  ReferenceNames names_;
};

}  // namespace

std::unique_ptr<Api> RegisterReportApi(Gate& gate, const ApiContext& c) { return std::make_unique<ReportApi>(gate, c); }

}  // namespace kiln::http
