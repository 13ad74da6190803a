#pragma once
// The demo province's supervision work in progress, filed and decided through
// the review engine as the officials would: enterprises taken off the list
// months ago, list exits and entries waiting at the city and the province
// (some overdue), proposals returned to their county, and enterprise users'
// capacity changes waiting for review. The demo accounts' own county and city
// get some of each, so that their to-do is not empty.

#include <cstdint>
#include <vector>

#include "registry/registry.hpp"
#include "security/audit_log.hpp"
#include "storage/store.hpp"
#include "workflow/review_engine.hpp"

namespace kiln::demo {

// A demo official: the demo accounts (province, city, county) where the region is theirs, otherwise a
// synthesized one named <role>-<region>.
security::Principal DemoOfficial(const std::string& role, const std::string& region, const std::string& demo_county);

struct DemoReviewSummary {
  int delisted = 0, waiting_city = 0, waiting_province = 0, returned = 0, entries = 0, info_changes = 0;
};

core::Result<DemoReviewSummary> FileDemoReviews(storage::Store& store, registry::Registry& registry,
                                                security::AuditLog& audit, const core::Clock& clock,
                                                const std::vector<workflow::FlowSpec>& flows,
                                                core::ElectricityConvention convention, std::uint64_t seed);

}  // namespace kiln::demo
