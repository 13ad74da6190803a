#pragma once
// Accounting endpoints: an enterprise's energy, comprehensive energy, CO2 and
// intensity for a month, quarter or year, with every input shown.

#include <memory>

#include "analysis/accounting.hpp"
#include "http/router.hpp"
#include "security/identity.hpp"

namespace kiln::http {

struct AccountingApiDeps {
  security::Identity& identity;
  analysis::Accounting& accounting;
};

// Adds the routes; the returned object owns handler state and must outlive the router.
std::shared_ptr<void> RegisterAccountingApi(Router& router, const AccountingApiDeps& deps);

}  // namespace kiln::http
