#pragma once
// The demo province's energy-efficiency upgrade plans (一企一策), filed and
// decided through the upgrade service and the review engine as the
// enterprises and officials would: plans waiting at each level, returned
// ones, plans in progress with their progress reports, plans whose works were
// completed four months ago and, once the meter history is in, their
// acceptance filed by the county with the saving measured from the data and
// approved by the city and the province. Some below-benchmark projects get
// no plan (the upgrade_unaccepted warning finds them).
//
// The simulated meters know of the completed upgrades: from the month after
// completion a plant's energy meters read less by the plan's realized gain
// (DemoUpgradeGain), so that the measured saving is there in the data.

#include <cstdint>
#include <map>
#include <vector>

#include "analysis/accounting.hpp"
#include "core/china_time.hpp"
#include "registry/registry.hpp"
#include "security/audit_log.hpp"
#include "storage/store.hpp"
#include "workflow/review_engine.hpp"

namespace kiln::demo {

// A project's upgrade in the demo: the share of its energy the plan expects to save, and the share it
// really saves (both functions of the seed and the project).
struct DemoUpgradeGain {
  double expected = 0, realized = 0;
};
DemoUpgradeGain UpgradeGain(std::uint64_t seed, std::int64_t project_id);

// From when each project's meters read less, and by how much (a share of 1): every project of a
// completed or accepted demo plan.
struct Improvement {
  core::UnixMillis from = 0;
  double scale = 1;
};
core::Result<std::map<std::int64_t, Improvement>> DemoUpgradeImprovements(storage::Store& store, std::uint64_t seed);

struct DemoUpgradeSummary {
  int plans = 0, waiting = 0, returned = 0, in_progress = 0, completed = 0, without_plan = 0;
};
core::Result<DemoUpgradeSummary> FileDemoUpgradePlans(storage::Store& store, registry::Registry& registry,
                                                      security::AuditLog& audit, const core::Clock& clock,
                                                      const std::vector<workflow::FlowSpec>& flows,
                                                      analysis::Accounting& accounting,
                                                      core::ElectricityConvention convention, std::uint64_t seed);

struct DemoAcceptanceSummary {
  int accepted = 0, waiting = 0, not_ready = 0;
};
// After the meter history: the county files the acceptance of completed plans whose measurement is
// complete; the city and the province approve most of them.
core::Result<DemoAcceptanceSummary> AcceptDemoUpgrades(storage::Store& store, registry::Registry& registry,
                                                       security::AuditLog& audit, const core::Clock& clock,
                                                       const std::vector<workflow::FlowSpec>& flows,
                                                       analysis::Accounting& accounting,
                                                       core::ElectricityConvention convention, std::uint64_t seed);

}  // namespace kiln::demo
