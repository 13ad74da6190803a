#pragma once
// Generates a realistic demo province into an empty store: enterprises with
// valid credit codes placed in their counties, projects in all three states,
// metering points, and one account per role. Deterministic for a seed.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/china_time.hpp"
#include "security/identity.hpp"
#include "storage/store.hpp"

namespace kiln::demo {

// Plants in tonnes are sized at 65–85 % utilisation of their modelled output; the plants of this
// product at about 40 %, a deliberate condition the capacity-utilisation warning finds.
inline constexpr std::string_view kUnderusedProduct = "硅铁";

struct DemoOptions {
  std::uint64_t seed = 1;
  int enterprises = 1200;
  double projects_per_enterprise = 2.2;  // on average
  std::string password = "Kiln@2026demo";  // shared by the demo accounts
};

struct DemoAccount {
  std::string username, role, scope;  // scope: what the account sees, in Chinese
};

struct DemoSummary {
  int enterprises = 0, projects = 0, points = 0;
  std::vector<DemoAccount> accounts;
};

// Fills the store when it holds no enterprise yet; otherwise only lists the
// accounts. `progress` receives short lines to show.
core::Result<DemoSummary> GenerateDemoRegistry(storage::Store& store, security::Identity& identity,
                                               const core::Clock& clock, const DemoOptions& options,
                                               const std::function<void(const std::string&)>& progress);

}  // namespace kiln::demo
