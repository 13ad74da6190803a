#pragma once
// Department data endpoints (R-IN3): collection tasks and their versions,
// templates, file uploads with preview, resolution and all-or-nothing commit,
// the original file, machine pushes signed with a department key, department
// keys, and an enterprise's department records.

#include <memory>

#include "http/router.hpp"
#include "ingest/department_intake.hpp"
#include "registry/registry.hpp"
#include "security/identity.hpp"
#include "security/machine_auth.hpp"
#include "storage/store.hpp"

namespace kiln::http {

struct DepartmentApiDeps {
  storage::Store& store;
  security::Identity& identity;
  security::AuditLog& audit;
  security::MachineAuth& machine_auth;
  registry::Registry& registry;
  ingest::DepartmentIntake& intake;
  const core::Clock& clock;
};

// Adds the routes; the returned object owns handler state and must outlive the router.
std::shared_ptr<void> RegisterDepartmentApi(Router& router, const DepartmentApiDeps& deps);

}  // namespace kiln::http
