#pragma once
// Reference data as versioned data: standard-coal conversion factors, CO2
// factors and efficiency levels (标杆 / 基准) — listed with every version, and
// a new version added by the province (reference.write), validated like the
// shipped files and audited. Also the configurable lists (两高 industries,
// disposal types of violating projects) with every version, and a project's
// efficiency class.

#include <memory>

#include "http/router.hpp"
#include "registry/registry.hpp"
#include "security/identity.hpp"
#include "storage/store.hpp"

namespace kiln::http {

struct ReferenceApiDeps {
  storage::Store& store;
  security::Identity& identity;
  security::AuditLog& audit;
  registry::Registry& registry;
  const core::Clock& clock;
};

// Adds the routes; the returned object owns handler state and must outlive the router.
std::shared_ptr<void> RegisterReferenceApi(Router& router, const ReferenceApiDeps& deps);

}  // namespace kiln::http
