#include "workflow/report_service.hpp"

#include <fmt/format.h>

#include "security/access.hpp"

namespace kiln::workflow {
namespace {

using core::Result;
using core::Status;

// The next state after an approval at each level.
std::string ApprovedAt(const std::string& level) {
  if (level == "county") return "county_approved";
  if (level == "city") return "city_approved";
  return "approved";
}

// "2026-10" -> "2025-10", "2026" -> "2025".
std::string YearBefore(const std::string& period) {
  return std::to_string(std::atoi(period.substr(0, 4).c_str()) - 1) + period.substr(4);
}

}  // namespace

std::string AwaitedLevel(const std::string& status) {
  if (status == "submitted") return "county";
  if (status == "county_approved") return "city";
  if (status == "city_approved") return "province";
  return "";
}

Result<core::ReportPeriod> ReportService::Period(const std::string& kind, const std::string& period) {
  auto k = core::ParseReportKind(kind);
  if (!k) return Status::InvalidArgument("invalid report kind", {{"kind", "must be monthly or yearly"}});
  auto p = core::ParseReportPeriod(*k, period);
  if (!p) {
    return Status::InvalidArgument("invalid report period",
                                   {{"period", *k == core::ReportKind::kMonthly ? "must be YYYY-MM" : "must be YYYY"}});
  }
  return *p;
}

Result<std::map<std::string, double>> ReportService::Metered(std::int64_t enterprise_id,
                                                             const core::ReportPeriod& period) {
  storage::EnergyQuery q{.group_by = "energy_type", .region_prefix = "", .enterprise_id = enterprise_id,
                         .energy_type = "", .step = "month", .from = period.start, .to = period.end};
  auto rows = store_.EnergyTotals(q);
  if (!rows.ok()) return rows.status();
  std::map<std::string, double> out;
  for (const auto& r : *rows) out[r.group] += r.amount;
  return out;
}

Status ReportService::MayFill(const registry::Caller& caller, std::int64_t enterprise_id) {
  auto enterprise = registry_.Get(caller, registry::Kind::kEnterprise, enterprise_id);
  if (!enterprise.ok()) return enterprise.status();
  const auto& who = caller.principal;
  if (!who.permissions.contains(std::string(security::kReportFill)) || who.enterprise_id != enterprise_id) {
    return Status::PermissionDenied("only the enterprise itself fills and submits its reports");
  }
  return {};
}

void ReportService::Audit(const registry::Caller& caller, const std::string& action, std::int64_t report_id,
                          const Status& s, const std::string& detail) {
  (void)audit_.Record(caller.principal.username, caller.address, "report." + action,
                      report_id ? fmt::format("reports:{}", report_id) : "reports",
                      s.ok() ? "ok" : core::StatusCodeName(s.code()), detail);
}

Result<ReportFile> ReportService::Open(const registry::Caller& caller, std::int64_t enterprise_id,
                                       const std::string& kind, const std::string& period) {
  auto p = Period(kind, period);
  if (!p.ok()) return p.status();
  auto enterprise = registry_.Get(caller, registry::Kind::kEnterprise, enterprise_id);
  if (!enterprise.ok()) return enterprise.status();
  ReportFile file;
  file.period = *p;
  auto report = store_.FindReport(enterprise_id, kind, period);
  if (!report.ok()) return report.status();
  file.report = *report;
  auto metered = Metered(enterprise_id, *p);
  if (!metered.ok()) return metered.status();
  file.metered = std::move(metered).value();
  if (file.report) {
    file.content = nlohmann::json::parse(file.report->draft, nullptr, false);
    auto versions = store_.ReportVersions(file.report->id);
    if (!versions.ok()) return versions.status();
    file.versions = std::move(versions).value();
    auto actions = store_.ReportActions(file.report->id);
    if (!actions.ok()) return actions.status();
    file.actions = std::move(actions).value();
    file.late = file.report->first_submitted_at ? *file.report->first_submitted_at > p->due : clock_.Now() > p->due;
  } else {
    file.content = core::PrefilledReport(file.metered);
    file.late = clock_.Now() > p->due;
  }
  auto factors = store_.ListConversionFactors();
  if (!factors.ok()) return factors.status();
  file.convention = convention_;
  for (const auto& type : core::EnergyTypesWithCoefficients(*factors)) {
    auto f = core::FactorInForce(*factors, type, convention_, core::FormatDate(core::ChinaDateOf(p->start)));
    if (f) file.factors.push_back(*f);
  }
  auto before = store_.FindReport(enterprise_id, kind, YearBefore(period));
  if (!before.ok()) return before.status();
  if (*before && (*before)->status == "approved") {
    auto approved = ApprovedVersion((*before)->id);
    if (!approved.ok()) return approved.status();
    if (*approved) file.last_year = nlohmann::json::parse((*approved)->content, nullptr, false);
  }
  return file;
}

Result<storage::Report> ReportService::Saved(const registry::Caller& caller, std::int64_t enterprise_id,
                                             const core::ReportPeriod& period, const nlohmann::json& content,
                                             const std::string& explanation, bool record) {
  auto existing = store_.FindReport(enterprise_id, core::ReportKindName(period.kind), period.text);
  if (!existing.ok()) return existing.status();
  storage::Report draft{.enterprise_id = enterprise_id, .kind = core::ReportKindName(period.kind),
                        .period = period.text, .draft = content.dump(), .explanation = explanation,
                        .due_at = period.due, .updated_at = clock_.Now()};
  storage::ReportAction action{.version = *existing ? (*existing)->version : 0, .action = "save",
                               .level = "enterprise", .actor = caller.principal.username, .at = draft.updated_at};
  return store_.SaveReportDraft(draft, record ? std::optional(action) : std::nullopt);
}

Result<storage::Report> ReportService::SaveDraft(const registry::Caller& caller, std::int64_t enterprise_id,
                                                 const std::string& kind, const std::string& period,
                                                 const nlohmann::json& content, const std::string& explanation) {
  auto p = Period(kind, period);
  if (!p.ok()) return p.status();
  KILN_RETURN_IF_ERROR(MayFill(caller, enterprise_id));
  auto check = core::CheckReport(content, false, *p, {}, convention_, {}, explanation);
  if (!check.errors.empty()) return Status::InvalidArgument("invalid report", check.errors);
  auto saved = Saved(caller, enterprise_id, *p, content, explanation, true);
  Audit(caller, "save", saved.ok() ? saved->id : 0, saved.status(), fmt::format("{} {}", kind, period));
  return saved;
}

Result<storage::Report> ReportService::Submit(const registry::Caller& caller, std::int64_t enterprise_id,
                                              const std::string& kind, const std::string& period,
                                              const nlohmann::json& content, const std::string& explanation) {
  auto p = Period(kind, period);
  if (!p.ok()) return p.status();
  KILN_RETURN_IF_ERROR(MayFill(caller, enterprise_id));
  if (p->end > clock_.Now()) {
    return Status::InvalidArgument("the period has not ended", {{"period", "has not ended yet"}});
  }
  auto metered = Metered(enterprise_id, *p);
  if (!metered.ok()) return metered.status();
  auto factors = store_.ListConversionFactors();
  if (!factors.ok()) return factors.status();
  auto check = core::CheckReport(content, true, *p, *factors, convention_, *metered, explanation);
  if (!check.errors.empty()) return Status::InvalidArgument("the report does not pass its checks", check.errors);
  auto draft = Saved(caller, enterprise_id, *p, content, explanation, false);
  if (!draft.ok()) return draft.status();
  nlohmann::json used = nlohmann::json::array();
  for (const auto& line : check.lines) {
    if (line.factor) used.push_back(core::FactorJson(*line.factor));
  }
  auto now = clock_.Now();
  storage::ReportVersion version{.version = draft->version + 1, .content = content.dump(),
                                 .explanation = explanation, .comprehensive_tce = check.comprehensive_tce,
                                 .factors = used.dump(), .submitted_by = caller.principal.username,
                                 .submitted_at = now};
  storage::ReportAction action{.version = version.version, .action = "submit", .level = "enterprise",
                               .actor = caller.principal.username, .at = now};
  auto submitted = store_.TransitionReport(draft->id, draft->status, "submitted", action, version);
  Audit(caller, "submit", draft->id, submitted.status(), fmt::format("{} {} v{}", kind, period, version.version));
  return submitted;
}

Result<storage::Report> ReportService::Review(const registry::Caller& caller, std::int64_t report_id,
                                              const std::string& action, const std::string& reason) {
  auto report = store_.GetReport(report_id);
  if (!report.ok()) return report.status();
  if (!*report) return Status::NotFound(fmt::format("no report {}", report_id));
  auto enterprise = registry_.Get(caller, registry::Kind::kEnterprise, (*report)->enterprise_id);
  if (!enterprise.ok()) return enterprise.status();
  const auto& who = caller.principal;
  if (!who.permissions.contains(std::string(security::kReportReview))) {
    return Status::PermissionDenied("reviewing reports needs report.review");
  }
  if (action != "approve" && action != "return") {
    return Status::InvalidArgument("invalid review", {{"action", "must be approve or return"}});
  }
  if (action == "return" && reason.empty()) {
    return Status::InvalidArgument("invalid review", {{"reason", "is required to return a report"}});
  }
  auto level = AwaitedLevel((*report)->status);
  if (level.empty()) {
    return Status::Conflict(fmt::format("the report is {}; there is nothing to review", (*report)->status),
                            {{"status", "is " + (*report)->status}});
  }
  if (who.role != level) {
    return Status::PermissionDenied(fmt::format("the report awaits the {} review", level));
  }
  storage::ReportAction entry{.version = (*report)->version, .action = action, .level = level,
                              .actor = who.username, .reason = reason, .at = clock_.Now()};
  auto moved = store_.TransitionReport(report_id, (*report)->status, action == "approve" ? ApprovedAt(level) : "returned",
                                       entry, std::nullopt);
  Audit(caller, action, report_id, moved.status(), reason);
  return moved;
}

Result<std::pair<std::vector<storage::Report>, std::int64_t>> ReportService::List(const registry::Caller& caller,
                                                                                  const ReportListRequest& request) {
  auto scope = security::ScopeFor(caller.principal, security::kEnterpriseRead);
  if (!scope.ok()) return scope.status();
  storage::ReportListQuery q{.region_prefix = scope->region_prefix, .enterprise_id = scope->enterprise_id,
                             .kind = request.kind, .period = request.period, .page = request.page,
                             .page_size = request.page_size};
  if (!request.status.empty()) q.statuses.push_back(request.status);
  if (request.awaiting_me) {
    const auto& role = caller.principal.role;
    std::string awaited = role == "county" ? "submitted" : role == "city" ? "county_approved"
                          : role == "province" ? "city_approved" : "";
    if (awaited.empty() || (!request.status.empty() && request.status != awaited)) {
      return std::make_pair(std::vector<storage::Report>{}, std::int64_t{0});
    }
    q.statuses = {awaited};
  }
  return store_.ListReports(q);
}

Result<std::vector<LateReport>> ReportService::LateAndMissing(const registry::Caller& caller, const std::string& kind,
                                                              const std::string& period) {
  auto scope = security::ScopeFor(caller.principal, security::kEnterpriseRead);
  if (!scope.ok()) return scope.status();
  auto p = Period(kind, period);
  if (!p.ok()) return p.status();
  auto standings = store_.ReportStandings(scope->region_prefix, scope->enterprise_id, kind, period);
  if (!standings.ok()) return standings.status();
  auto now = clock_.Now();
  std::vector<LateReport> out;
  for (auto& s : *standings) {
    LateReport r{.standing = s, .missing = !s.first_submitted_at};
    r.late = s.first_submitted_at ? *s.first_submitted_at > p->due : now > p->due;
    if (r.missing || r.late) out.push_back(std::move(r));
  }
  return out;
}

Result<ReportService::Recomputed> ReportService::Recompute(const registry::Caller& caller, std::int64_t report_id) {
  auto report = store_.GetReport(report_id);
  if (!report.ok()) return report.status();
  if (!*report) return Status::NotFound(fmt::format("no report {}", report_id));
  auto enterprise = registry_.Get(caller, registry::Kind::kEnterprise, (*report)->enterprise_id);
  if (!enterprise.ok()) return enterprise.status();
  auto versions = store_.ReportVersions(report_id);
  if (!versions.ok()) return versions.status();
  if (versions->empty()) return Status::Conflict("the report has not been submitted; nothing was published");
  auto p = Period((*report)->kind, (*report)->period);
  if (!p.ok()) return p.status();
  const auto& v = versions->back();
  auto content = nlohmann::json::parse(v.content, nullptr, false);
  auto factors = store_.ListConversionFactors();
  if (!factors.ok()) return factors.status();
  Recomputed out{.version = v.version, .published_tce = v.comprehensive_tce};
  out.published_factors = core::FactorsFromJsonText(v.factors);
  auto check = core::CheckReport(content, false, *p, *factors, convention_, {}, "");
  out.current_tce = check.comprehensive_tce;
  for (const auto& line : check.lines) {
    if (line.factor) out.current_factors.push_back(*line.factor);
  }
  return out;
}

Result<std::optional<storage::ReportVersion>> ReportService::ApprovedVersion(std::int64_t report_id) {
  auto report = store_.GetReport(report_id);
  if (!report.ok()) return report.status();
  if (!*report || (*report)->status != "approved") return std::optional<storage::ReportVersion>();
  auto versions = store_.ReportVersions(report_id);
  if (!versions.ok()) return versions.status();
  if (versions->empty()) return std::optional<storage::ReportVersion>();
  return std::optional<storage::ReportVersion>(versions->back());
}

}  // namespace kiln::workflow
