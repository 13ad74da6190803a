#pragma once
// The demo province's violating projects (about 5 % of its projects), marked
// and worked through the violation service and the review engine as the
// officials and enterprises would: every disposal type and every
// rectification state, cases past their deadline and escalated, closures
// waiting at the city and the province or returned to their county, and
// closed cases. The demo accounts' county gets one of each kind of open work
// at a fixed age, whatever the seed.

#include <cstdint>
#include <vector>

#include "registry/registry.hpp"
#include "security/audit_log.hpp"
#include "storage/store.hpp"
#include "workflow/review_engine.hpp"

namespace kiln::demo {

struct DemoViolationSummary {
  int marked = 0, overdue = 0, escalated = 0, closures_waiting = 0, returned = 0, closed = 0;
};

core::Result<DemoViolationSummary> MarkDemoViolations(storage::Store& store, registry::Registry& registry,
                                                      security::AuditLog& audit, const core::Clock& clock,
                                                      const std::vector<workflow::FlowSpec>& flows,
                                                      core::ElectricityConvention convention, std::uint64_t seed);

}  // namespace kiln::demo
