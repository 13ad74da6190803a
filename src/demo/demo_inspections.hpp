#pragma once
// The demo province's inspections: the first half-year's comprehensive
// inspection by five joint groups (closed: every enterprise drawn was visited,
// findings rectified and verified or still open, indicator deductions decided
// for the worst), and this month's 四进 supervision by the demo city (part of
// its enterprises visited, the rest waiting), through the inspection service
// as the officials would.

#include <cstdint>

#include "registry/registry.hpp"
#include "security/audit_log.hpp"
#include "storage/store.hpp"

namespace kiln::demo {

struct DemoInspectionSummary {
  int plans = 0, tasks = 0, visited = 0, findings = 0, verified = 0, deductions = 0;
};

core::Result<DemoInspectionSummary> FileDemoInspections(storage::Store& store, registry::Registry& registry,
                                                        security::AuditLog& audit, const core::Clock& clock,
                                                        std::uint64_t seed);

}  // namespace kiln::demo
