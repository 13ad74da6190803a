#pragma once
// Enterprise reports (monthly and yearly) and their review trail: the working
// draft, every submitted version, and every action (save, submit, approve,
// return) with who, when and why.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/china_time.hpp"
#include "core/status.hpp"

namespace kiln::storage {

struct Report {
  std::int64_t id = 0, enterprise_id = 0;
  std::string kind, period;  // "monthly" + "2026-10", or "yearly" + "2026"
  std::string status;  // draft, submitted, county_approved, city_approved, approved, returned
  int version = 0;  // submitted versions so far
  std::string draft;  // the working content (JSON text)
  std::string explanation;  // why figures differ from metered use, if they do
  core::UnixMillis due_at = 0, created_at = 0, updated_at = 0;
  std::optional<core::UnixMillis> first_submitted_at, submitted_at;
  // Of the enterprise, for lists.
  std::string enterprise_name, region, industry;
};

struct ReportVersion {
  int version = 0;
  std::string content, explanation;
  double comprehensive_tce = 0;
  std::string factors;  // JSON array of the conversion factors (and versions) the check used
  std::string submitted_by;
  core::UnixMillis submitted_at = 0;
};

struct ReportAction {
  std::int64_t id = 0;
  int version = 0;
  std::string action;  // save, submit, approve, return
  std::string level;  // enterprise, county, city, province
  std::string actor, reason;
  core::UnixMillis at = 0;
};

struct ReportListQuery {
  std::string region_prefix;
  std::optional<std::int64_t> enterprise_id;
  std::string kind, period;  // "" = any
  std::vector<std::string> statuses;  // empty = any
  int page = 1, page_size = 50;
};

// An enterprise in scope and where its report for a period stands (status "" = none started).
struct ReportStanding {
  std::int64_t enterprise_id = 0;
  std::string enterprise_name, region, status;
  std::optional<std::int64_t> report_id;
  std::optional<core::UnixMillis> first_submitted_at;
};

class ReportStore {
 public:
  virtual ~ReportStore() = default;
  virtual core::Result<std::optional<Report>> FindReport(std::int64_t enterprise_id, const std::string& kind,
                                                         const std::string& period) = 0;
  virtual core::Result<std::optional<Report>> GetReport(std::int64_t id) = 0;
  // Creates the report as a draft, or replaces the draft of one that is a draft or
  // returned (kConflict otherwise: it is under review), recording `action` if given.
  virtual core::Result<Report> SaveReportDraft(const Report& report, const std::optional<ReportAction>& action) = 0;
  // Moves a report from `from` to `to`, recording `action` and, for a submission, `version`;
  // kConflict when the report is no longer in `from` (someone acted first).
  virtual core::Result<Report> TransitionReport(std::int64_t id, const std::string& from, const std::string& to,
                                                const ReportAction& action,
                                                const std::optional<ReportVersion>& version) = 0;
  virtual core::Result<std::vector<ReportVersion>> ReportVersions(std::int64_t id) = 0;
  virtual core::Result<std::vector<ReportAction>> ReportActions(std::int64_t id) = 0;
  virtual core::Result<std::pair<std::vector<Report>, std::int64_t>> ListReports(const ReportListQuery& query) = 0;
  // Every enterprise in scope with its report for the period, for the late and missing lists.
  virtual core::Result<std::vector<ReportStanding>> ReportStandings(const std::string& region_prefix,
                                                                    std::optional<std::int64_t> enterprise_id,
                                                                    const std::string& kind,
                                                                    const std::string& period) = 0;
};

}  // namespace kiln::storage
