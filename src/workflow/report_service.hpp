#pragma once
// Enterprise reports from draft to province approval: the enterprise fills a
// draft (pre-filled from its metered use), checks and submits it; county, city
// and province each approve it or return it with a reason; a returned report
// goes back to the enterprise and every submission is kept as a version. Every
// action is audited. Who may do what is decided here, from the caller's role,
// jurisdiction and the report's state.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/conversion.hpp"
#include "core/report_rules.hpp"
#include "registry/registry.hpp"
#include "security/identity.hpp"
#include "storage/store.hpp"

namespace kiln::workflow {

// The review level a report in `status` waits for ("" when none: a draft, returned or approved report).
std::string AwaitedLevel(const std::string& status);

// Everything a page shows about one enterprise's report for a period.
struct ReportFile {  // NOLINT(bugprone-exception-escape): plain data; its implicit members throw only std::bad_alloc
  std::optional<storage::Report> report;  // nullopt: nothing saved yet
  core::ReportPeriod period;
  nlohmann::json content;  // the draft, or a pre-filled one
  std::map<std::string, double> metered;  // the enterprise's metered use in the period, by energy type
  std::optional<nlohmann::json> last_year;  // the approved report of the same period a year before
  std::vector<storage::ReportVersion> versions;
  std::vector<storage::ReportAction> actions;
  bool late = false;  // not submitted by the deadline (first submission counts)
  // The conversion factors a submission is checked with: per energy type, in force on the period's first day.
  core::ElectricityConvention convention = core::ElectricityConvention::kEquivalent;
  std::vector<core::ConversionFactor> factors;
};

struct ReportListRequest {
  std::string kind, period, status;
  bool awaiting_me = false;  // only reports waiting for the caller's review level
  int page = 1, page_size = 50;
};

// An enterprise whose report for a period is late or missing.
struct LateReport {
  storage::ReportStanding standing;
  bool missing = false;  // not submitted (yet)
  bool late = false;  // submitted after the deadline, or missing past it
};

class ReportService {
 public:
  ReportService(storage::Store& store, registry::Registry& registry, security::AuditLog& audit,
                const core::Clock& clock, core::ElectricityConvention convention)
      : store_(store), registry_(registry), audit_(audit), clock_(clock), convention_(convention) {}

  core::Result<ReportFile> Open(const registry::Caller& caller, std::int64_t enterprise_id, const std::string& kind,
                                const std::string& period);
  // The report with this id if the caller may read it; "report N not found" alike when it does not exist.
  core::Result<storage::Report> Visible(const registry::Caller& caller, std::int64_t report_id);
  // What the caller may do with a report in `status` of `enterprise_id` now.
  struct Abilities {
    bool fill = false, review = false;
  };
  Abilities AbilitiesOf(const registry::Caller& caller, std::int64_t enterprise_id, const std::string& status);
  core::Result<storage::Report> SaveDraft(const registry::Caller& caller, std::int64_t enterprise_id,
                                          const std::string& kind, const std::string& period,
                                          const nlohmann::json& content, const std::string& explanation);
  // Checks fully (field errors name what is wrong) and submits a new version.
  core::Result<storage::Report> Submit(const registry::Caller& caller, std::int64_t enterprise_id,
                                       const std::string& kind, const std::string& period,
                                       const nlohmann::json& content, const std::string& explanation);
  // action: "approve" or "return" (a reason is required to return).
  core::Result<storage::Report> Review(const registry::Caller& caller, std::int64_t report_id,
                                       const std::string& action, const std::string& reason);
  core::Result<std::pair<std::vector<storage::Report>, std::int64_t>> List(const registry::Caller& caller,
                                                                           const ReportListRequest& request);
  core::Result<std::vector<LateReport>> LateAndMissing(const registry::Caller& caller, const std::string& kind,
                                                       const std::string& period);
  // What a submitted report's comprehensive figure would be with the factors in force now, beside
  // the figure as published. Shows the difference; changes nothing.
  struct Recomputed {
    int version = 0;
    double published_tce = 0, current_tce = 0;
    std::vector<core::ConversionFactor> published_factors, current_factors;
  };
  core::Result<Recomputed> Recompute(const registry::Caller& caller, std::int64_t report_id);

  // The approved version accounting uses, if there is one.
  core::Result<std::optional<storage::ReportVersion>> ApprovedVersion(std::int64_t report_id);

 private:
  core::Result<core::ReportPeriod> Period(const std::string& kind, const std::string& period);
  core::Result<std::map<std::string, double>> Metered(std::int64_t enterprise_id, const core::ReportPeriod& period);
  core::Status MayFill(const registry::Caller& caller, std::int64_t enterprise_id);
  // Separation of duties: nobody reviews a report submitted by an account whose
  // password they set (created it or reset it) since the report's period began.
  core::Status MayReviewWorkOf(const registry::Caller& caller, std::int64_t report_id,
                               const core::ReportPeriod& period);
  // Stores the draft; `record` adds a "save" action to the trail (a submission records its own).
  core::Result<storage::Report> Saved(const registry::Caller& caller, std::int64_t enterprise_id,
                                      const core::ReportPeriod& period, const nlohmann::json& content,
                                      const std::string& explanation, bool record);
  void Audit(const registry::Caller& caller, const std::string& action, std::int64_t report_id, const core::Status& s,
             const std::string& detail = {});

  storage::Store& store_;
  registry::Registry& registry_;
  security::AuditLog& audit_;
  const core::Clock& clock_;
  core::ElectricityConvention convention_;
};

}  // namespace kiln::workflow
