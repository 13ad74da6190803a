#include "workflow/report_service.hpp"

#include <fmt/format.h>

#include <set>

#include "core/review_chain.hpp"
#include "security/access.hpp"

namespace kiln::workflow {
namespace {

using core::Result;
using core::Status;

// "2026-10" -> "2025-10", "2026" -> "2025".
std::string YearBefore(const std::string& period) {
  return std::to_string(std::atoi(period.substr(0, 4).c_str()) - 1) + period.substr(4);
}

}  // namespace

std::string AwaitedLevel(const std::string& status) {
  const auto& chain = core::ReportReviewChain();
  auto level = chain.Awaiting(status);
  return level == chain.filer ? "" : level;
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
  storage::EnergyQuery q{.group_by = "energy_type",
                         .region_prefix = "",
                         .enterprise_id = enterprise_id,
                         .energy_type = "",
                         .step = "month",
                         .from = period.start,
                         .to = period.end};
  auto rows = store_.EnergyTotals(q);
  if (!rows.ok()) return rows.status();
  std::map<std::string, double> out;
  for (const auto& r : *rows) out[r.group] += r.amount;
  return out;
}

Status ReportService::MayFill(const registry::Caller& caller, std::int64_t enterprise_id) {
  auto enterprise =
      registry_.Authorized(caller, registry::Kind::kEnterprise, enterprise_id, security::Action::kReportFill);
  if (enterprise.status().code() == core::StatusCode::kPermissionDenied) {
    return Status::PermissionDenied("only the enterprise itself fills and submits its reports");
  }
  return enterprise.status();
}

Status ReportService::MayReviewWorkOf(const registry::Caller& caller, std::int64_t report_id,
                                      const core::ReportPeriod& period) {
  auto grants = store_.PasswordGrantsBy(caller.principal.user_id, period.start);
  if (!grants.ok()) return grants.status();
  if (grants->empty()) return {};
  auto versions = store_.ReportVersions(report_id);
  if (!versions.ok()) return versions.status();
  std::set<std::string> submitters;
  for (const auto& v : *versions) submitters.insert(v.submitted_by);
  for (const auto& g : *grants) {
    auto user = store_.GetUser(g.user_id);
    if (!user.ok()) return user.status();
    if (*user && submitters.contains((*user)->username)) {
      return Status::PermissionDenied(fmt::format("you set the password of {}, who submitted this report, on {}; "
                                                  "another official must review it",
                                                  (*user)->username, core::FormatInstantUtc(g.at)))
          .WithReason("separation_of_duties");
    }
  }
  return {};
}

Result<storage::Report> ReportService::Visible(const registry::Caller& caller, std::int64_t report_id) {
  const auto hidden = Status::NotFound(fmt::format("report {} not found", report_id));
  auto report = store_.GetReport(report_id);
  if (!report.ok()) return report.status();
  if (!*report) return hidden;
  auto enterprise = registry_.Authorized(caller, registry::Kind::kEnterprise, (*report)->enterprise_id,
                                         security::Action::kReportRead);
  if (enterprise.status().code() == core::StatusCode::kNotFound) return hidden;
  if (!enterprise.ok()) return enterprise.status();
  return **report;
}

ReportService::Abilities ReportService::AbilitiesOf(const registry::Caller& caller, std::int64_t enterprise_id,
                                                    const std::string& status) {
  Abilities can;
  auto target = registry_.Authorized(caller, registry::Kind::kEnterprise, enterprise_id, security::Action::kReportRead);
  if (!target.ok()) return can;
  auto place = registry_.TargetOf(registry::Kind::kEnterprise, *target);
  if (!place.ok()) return can;
  can.fill = security::Authorize(caller.principal, security::Action::kReportFill, *place).ok() &&
             (status.empty() || status == "draft" || status == "returned");
  can.review = security::Authorize(caller.principal, security::Action::kReportReview, *place).ok() &&
               !AwaitedLevel(status).empty() && AwaitedLevel(status) == security::ReviewLevel(caller.principal);
  return can;
}

void ReportService::Audit(const registry::Caller& caller, const std::string& action, std::int64_t report_id,
                          const Status& s, const std::string& detail) {
  (void)audit_.Record(caller.principal.username, caller.address, "report." + action,
                      report_id ? fmt::format("reports:{}", report_id) : "reports",
                      s.ok()               ? "ok"
                      : s.reason().empty() ? core::StatusCodeName(s.code())
                                           : s.reason(),
                      detail);
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
  storage::Report draft{.enterprise_id = enterprise_id,
                        .kind = core::ReportKindName(period.kind),
                        .period = period.text,
                        .draft = content.dump(),
                        .explanation = explanation,
                        .due_at = period.due,
                        .updated_at = clock_.Now()};
  storage::ReportAction action{.version = *existing ? (*existing)->version : 0,
                               .action = "save",
                               .level = "enterprise",
                               .actor = caller.principal.username,
                               .at = draft.updated_at};
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
  storage::ReportVersion version{.version = draft->version + 1,
                                 .content = content.dump(),
                                 .explanation = explanation,
                                 .comprehensive_tce = check.comprehensive_tce,
                                 .factors = used.dump(),
                                 .submitted_by = caller.principal.username,
                                 .submitted_at = now};
  storage::ReportAction action{.version = version.version,
                               .action = "submit",
                               .level = "enterprise",
                               .actor = caller.principal.username,
                               .at = now};
  auto submitted = store_.TransitionReport(draft->id, draft->status, "submitted", action, version);
  Audit(caller, "submit", draft->id, submitted.status(), fmt::format("{} {} v{}", kind, period, version.version));
  return submitted;
}

Result<storage::Report> ReportService::Review(const registry::Caller& caller, std::int64_t report_id,
                                              const std::string& action, const std::string& reason) {
  auto report = Visible(caller, report_id);
  if (!report.ok()) return report.status();
  auto enterprise =
      registry_.Authorized(caller, registry::Kind::kEnterprise, report->enterprise_id, security::Action::kReportReview);
  if (!enterprise.ok()) return enterprise.status();
  const auto& who = caller.principal;
  if (action != "approve" && action != "return") {
    return Status::InvalidArgument("invalid review", {{"action", "must be approve or return"}});
  }
  if (action == "return" && reason.empty()) {
    return Status::InvalidArgument("invalid review", {{"reason", "is required to return a report"}});
  }
  if (reason.size() > 2000)
    return Status::InvalidArgument("invalid review", {{"reason", "must be at most 2000 bytes"}});
  auto level = AwaitedLevel(report->status);
  if (level.empty()) {
    return Status::Conflict(fmt::format("the report is {}; there is nothing to review", report->status),
                            {{"status", "is " + report->status}});
  }
  if (security::ReviewLevel(who) != level) {
    return Status::PermissionDenied(fmt::format("the report awaits the {} review", level));
  }
  auto period = Period(report->kind, report->period);
  if (!period.ok()) return period.status();
  if (auto separated = MayReviewWorkOf(caller, report_id, *period); !separated.ok()) {
    Audit(caller, action, report_id, separated, separated.message());
    return separated;
  }
  KILN_RETURN_IF_ERROR(
      audit_.Intend(who.username, caller.address, "report." + action, fmt::format("reports:{}", report_id), reason));
  std::optional<storage::Report> current = *report;
  storage::ReportAction entry{.version = current->version,
                              .action = action,
                              .level = level,
                              .actor = who.username,
                              .reason = reason,
                              .at = clock_.Now()};
  auto moved = store_.TransitionReport(
      report_id, current->status,
      action == "approve" ? *core::ReportReviewChain().AfterApproval(current->status, level) : "returned", entry,
      std::nullopt);
  Audit(caller, action, report_id, moved.status(), reason);
  return moved;
}

Result<std::pair<std::vector<storage::Report>, std::int64_t>> ReportService::List(const registry::Caller& caller,
                                                                                  const ReportListRequest& request) {
  auto scope = security::ScopeFor(caller.principal, security::Action::kReportRead);
  if (!scope.ok()) return scope.status();
  storage::ReportListQuery q{.region_prefix = scope->region_prefix,
                             .enterprise_id = scope->enterprise_id,
                             .kind = request.kind,
                             .period = request.period,
                             .page = request.page,
                             .page_size = request.page_size};
  if (!request.status.empty()) q.statuses.push_back(request.status);
  if (request.awaiting_me) {
    auto level = security::ReviewLevel(caller.principal);
    std::string awaited = level == "county"     ? "submitted"
                          : level == "city"     ? "county_approved"
                          : level == "province" ? "city_approved"
                                                : "";
    if (awaited.empty() || (!request.status.empty() && request.status != awaited)) {
      return std::make_pair(std::vector<storage::Report>{}, std::int64_t{0});
    }
    q.statuses = {awaited};
  }
  return store_.ListReports(q);
}

Result<std::vector<LateReport>> ReportService::LateAndMissing(const registry::Caller& caller, const std::string& kind,
                                                              const std::string& period) {
  auto scope = security::ScopeFor(caller.principal, security::Action::kReportRead);
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
  auto report = Visible(caller, report_id);
  if (!report.ok()) return report.status();
  auto versions = store_.ReportVersions(report_id);
  if (!versions.ok()) return versions.status();
  if (versions->empty()) return Status::Conflict("the report has not been submitted; nothing was published");
  auto p = Period(report->kind, report->period);
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
