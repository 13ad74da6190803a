#pragma once
// Meter data endpoints: signed ingest (POST /api/v1/readings), series
// queries (GET /api/v1/points/{id}/series) and machine keys of an enterprise.

#include <memory>

#include "core/carbon.hpp"
#include "core/conversion.hpp"
#include "http/router.hpp"
#include "ingest/write_pipeline.hpp"
#include "registry/registry.hpp"
#include "security/identity.hpp"
#include "security/machine_auth.hpp"
#include "storage/store.hpp"

namespace kiln::http {

struct MeterApiDeps {
  storage::Store& store;
  security::Identity& identity;
  security::AuditLog& audit;
  security::MachineAuth& machine_auth;
  registry::Registry& registry;
  ingest::WritePipeline& pipeline;
  const core::Clock& clock;
};

struct MeterApiOptions {
  std::size_t max_inflated_bytes = 64 * 1024 * 1024;  // a gzip body may inflate to at most this
  std::int64_t max_raw_days = 31;  // longest span of a raw series query
  // Which electricity coefficient the comprehensive figure used for dual control takes.
  core::ElectricityConvention electricity_convention = core::ElectricityConvention::kEquivalent;
  // Which grid CO2 factor electricity is counted with (energy_type=co2).
  core::GridChoice grid;
};

// Adds the routes; the returned object owns handler state and must outlive the router.
std::shared_ptr<void> RegisterMeterApi(Router& router, const MeterApiDeps& deps, const MeterApiOptions& options);

}  // namespace kiln::http
