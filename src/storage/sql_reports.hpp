#pragma once
// ReportStore over the SQL layer; SqlStore forwards to it.

#include "storage/database.hpp"
#include "storage/report_store.hpp"

namespace kiln::storage {

class SqlReports {
 public:
  explicit SqlReports(Database& db) : db_(db) {}

  core::Result<std::optional<Report>> FindReport(std::int64_t enterprise_id, const std::string& kind,
                                                 const std::string& period);
  core::Result<std::optional<Report>> GetReport(std::int64_t id);
  core::Result<Report> SaveReportDraft(const Report& report, const std::optional<ReportAction>& action);
  core::Result<Report> TransitionReport(std::int64_t id, const std::string& from, const std::string& to,
                                        const ReportAction& action, const std::optional<ReportVersion>& version);
  core::Result<std::vector<ReportVersion>> ReportVersions(std::int64_t id);
  core::Result<std::vector<ReportAction>> ReportActions(std::int64_t id);
  core::Result<std::pair<std::vector<Report>, std::int64_t>> ListReports(const ReportListQuery& query);
  core::Result<std::vector<ReportStanding>> ReportStandings(const std::string& region_prefix,
                                                            std::optional<std::int64_t> enterprise_id,
                                                            const std::string& kind, const std::string& period);

 private:
  core::Result<std::optional<Report>> One(Connection& conn, const std::string& where,
                                          const std::vector<core::Value>& params);
  Database& db_;
};

}  // namespace kiln::storage
