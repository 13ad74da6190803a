#pragma once
// The demo enterprises' monthly reports for the complete months of metered
// history, filed and reviewed through the real report service, as each month
// would have gone: most enterprises report on time, close to their meters,
// and are approved county → city → province; some wait at the county or the
// city; a few never report (the late and missing list); the planted
// under-reporting enterprises report about 20 % below their meters with an
// explanation and wait for the county's review.

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <vector>
#include <string>

#include "core/status.hpp"
#include "storage/store.hpp"
#include "workflow/report_service.hpp"

namespace kiln::demo {

struct DemoReportOptions {
  std::uint64_t seed = 1;
  int history_days = 90;
  core::UnixMillis now = 0;
  std::set<std::int64_t> under_reporting;  // enterprises planted to report below their meters
};

struct DemoReportSummary {
  int approved = 0, pending = 0, missing = 0, under_reported = 0;
};

// The China months wholly inside the metered history that ends at `now`.
std::vector<core::CivilDate> CompleteMonthsOfHistory(core::UnixMillis now, int history_days);

// `make_service` builds a report service whose clock reads the given instant, so that each month's
// reports are filed and reviewed in the days after it ends rather than all today.
core::Result<DemoReportSummary> FileDemoReports(
    storage::Store& store,
    const std::function<std::unique_ptr<workflow::ReportService>(const core::Clock&)>& make_service,
    const DemoReportOptions& options);

}  // namespace kiln::demo
