#pragma once
// The composition root: builds every module of a running platform in
// dependency order and owns it. Members are declared in build order, so
// destruction runs in reverse by itself: the server stops before the
// services it calls, the write pipeline drains before the store closes.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "analysis/accounting.hpp"
#include "analysis/overview.hpp"
#include "app/config.hpp"
#include "http/apis.hpp"
#include "http/gate.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "ingest/department_intake.hpp"
#include "ingest/ingestor.hpp"
#include "ingest/node_registry.hpp"
#include "ingest/write_pipeline.hpp"
#include "registry/reference_editor.hpp"
#include "registry/registry.hpp"
#include "security/audit_log.hpp"
#include "security/identity.hpp"
#include "security/machine_auth.hpp"
#include "security/user_admin.hpp"
#include "storage/store.hpp"
#include "warnings/evaluator.hpp"
#include "warnings/warning_service.hpp"
#include "workflow/report_service.hpp"
#include "workflow/inspection_service.hpp"
#include "workflow/upgrade_service.hpp"
#include "workflow/violation_service.hpp"

namespace kiln::app {

// Opens (creating and migrating) the store and loads the reference data on first start.
core::Result<std::unique_ptr<storage::Store>> OpenAndPrepareStore(const Config& config);

// Periodic clean-up: expired sessions and nonces older than any valid signature.
class Housekeeper {
 public:
  Housekeeper(security::Identity& identity, storage::Store& store, const core::Clock& clock,
              std::chrono::minutes every = std::chrono::minutes(10));
  ~Housekeeper();

 private:
  void Run();
  security::Identity& identity_;
  storage::Store& store_;
  const core::Clock& clock_;
  const std::chrono::minutes every_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // GUARDED_BY(mutex_)
  std::thread thread_;
};

class Platform {
 public:
  // Builds everything up to the routes; replays the ingest journal. Listens only after Start().
  static core::Result<std::unique_ptr<Platform>> Build(Config config, std::unique_ptr<storage::Store> store);
  ~Platform();

  core::Result<int> Start();  // listens; returns the port
  void Stop();  // stops the server (then destruction finishes the rest)

  const Config& config() const { return config_; }
  storage::Store& store() { return *store_; }
  const core::Clock& clock() const { return clock_; }
  security::AuditLog& audit() { return audit_; }
  workflow::ReviewEngine& reviews() { return reviews_; }
  security::Identity& identity() { return identity_; }
  security::MachineAuth& machine_auth() { return machine_auth_; }
  registry::Registry& registry() { return registry_; }
  analysis::Accounting& accounting() { return accounting_; }
  ingest::WritePipeline& pipeline() { return *pipeline_; }
  warnings::Evaluator& evaluator() { return evaluator_; }
  const http::Router& router() const { return router_; }

 private:
  Platform(Config config, std::unique_ptr<storage::Store> store);

  Config config_;
  std::unique_ptr<storage::Store> store_;
  core::SystemClock clock_;
  security::AuditLog audit_;
  security::Identity identity_;
  security::UserAdministration users_;
  security::MachineAuth machine_auth_;
  std::unique_ptr<ingest::NodeRegistry> nodes_;  // PostgreSQL: other nodes may share the store
  registry::Registry registry_;
  registry::ReferenceEditor reference_;
  analysis::Accounting accounting_;
  analysis::DualControl dual_control_;
  notify::WebhookNotifier webhook_;  // before the evaluator, which tells it of changes until it stops
  warnings::Evaluator evaluator_;  // before ingest, which tells it what it wrote until it stops
  warnings::WarningService warnings_;
  ingest::Ingestor ingestor_;
  std::unique_ptr<ingest::WritePipeline> pipeline_;  // after the journal is replayed
  ingest::DepartmentIntake intake_;
  workflow::ReportService reports_;
  workflow::ReviewEngine reviews_;
  workflow::ViolationService violations_;
  workflow::UpgradeService upgrades_;  // registers its flows with reviews_
  workflow::InspectionService inspections_;
  workflow::Timeline timeline_;
  analysis::Overview overview_;
  http::Metrics metrics_;
  http::Router router_;
  http::Gate gate_;
  std::vector<std::unique_ptr<http::Api>> apis_;
  Housekeeper housekeeper_;
  std::unique_ptr<http::Server> server_;
};

}  // namespace kiln::app
