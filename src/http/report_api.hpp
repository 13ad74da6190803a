#pragma once
// Enterprise report endpoints: the enterprise's draft, submission and
// versions; the review queue and actions of county, city and province; the
// late and missing list of a period.

#include <memory>

#include "http/router.hpp"
#include "security/identity.hpp"
#include "storage/store.hpp"
#include "workflow/report_service.hpp"

namespace kiln::http {

struct ReportApiDeps {
  storage::Store& store;
  security::Identity& identity;
  workflow::ReportService& reports;
  const core::Clock& clock;
};

// Adds the routes; the returned object owns handler state and must outlive the router.
std::shared_ptr<void> RegisterReportApi(Router& router, const ReportApiDeps& deps);

}  // namespace kiln::http
