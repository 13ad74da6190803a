#pragma once
// Accounting endpoints: an enterprise's energy, comprehensive energy, CO2,
// intensities and efficiency class for a day, month, quarter or year; the
// same added up by county, city, industry or enterprise; and the drill-down
// of any figure to its inputs (report lines, department records, metering
// points), factor versions and formula.

#include <memory>

#include "analysis/accounting.hpp"
#include "http/router.hpp"
#include "security/identity.hpp"
#include "storage/store.hpp"

namespace kiln::http {

struct AccountingApiDeps {
  security::Identity& identity;
  analysis::Accounting& accounting;
  storage::Store& store;
};

// Adds the routes; the returned object owns handler state and must outlive the router.
std::shared_ptr<void> RegisterAccountingApi(Router& router, const AccountingApiDeps& deps);

}  // namespace kiln::http
