#include "app/platform.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "registry/reference_data.hpp"

namespace kiln::app {
namespace {

std::string PoolGauges(const storage::Store& store) {
  std::string out =
      "# HELP kiln_store_pool_connections Store connections by pool and state.\n"
      "# TYPE kiln_store_pool_connections gauge\n";
  std::string counters;
  for (const auto& [name, s] : store.PoolStatistics()) {
    out += fmt::format("kiln_store_pool_connections{{pool=\"{}\",state=\"open\"}} {}\n", name, s.size);
    out += fmt::format("kiln_store_pool_connections{{pool=\"{}\",state=\"in_use\"}} {}\n", name, s.in_use);
    out += fmt::format("kiln_store_pool_connections{{pool=\"{}\",state=\"capacity\"}} {}\n", name, s.capacity);
    counters += fmt::format("kiln_store_pool_waits_total{{pool=\"{}\"}} {}\n", name, s.waits);
    counters += fmt::format("kiln_store_pool_timeouts_total{{pool=\"{}\"}} {}\n", name, s.timeouts);
  }
  return out + "# TYPE kiln_store_pool_waits_total counter\n# TYPE kiln_store_pool_timeouts_total counter\n" + counters;
}

}  // namespace

core::Result<std::unique_ptr<storage::Store>> OpenAndPrepareStore(const Config& c) {
  auto store = storage::OpenStore(c.storage);
  if (!store.ok()) return store.status();
  auto regions = (*store)->ListRegions();
  if (!regions.ok()) return regions.status();
  if (regions->empty()) {
    spdlog::info("loading reference data from {}", c.reference_data);
    KILN_RETURN_IF_ERROR(registry::LoadReferenceData(**store, c.reference_data));
  } else {
    KILN_RETURN_IF_ERROR(registry::LoadWarningThresholds(**store, c.reference_data));
    KILN_RETURN_IF_ERROR(registry::LoadControlTargets(**store, c.reference_data));
  }
  return store;
}

Housekeeper::Housekeeper(security::Identity& identity, storage::Store& store, const core::Clock& clock,
                         std::chrono::minutes every)
    : identity_(identity), store_(store), clock_(clock), every_(every), thread_([this] { Run(); }) {}

Housekeeper::~Housekeeper() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void Housekeeper::Run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    auto sessions = identity_.PurgeSessions();
    if (!sessions.ok())
      spdlog::warn("purging sessions: {}", sessions.status().ToString());
    else if (*sessions > 0)
      spdlog::info("purged {} expired or revoked sessions", *sessions);
    // A nonce only matters while its signature's timestamp could still be accepted.
    auto nonces = store_.ForgetNoncesBefore(clock_.Now() - 2 * security::MachineAuth::kMaxSkewSeconds * 1000);
    if (!nonces.ok()) spdlog::warn("purging nonces: {}", nonces.ToString());
    lock.lock();
    wake_.wait_for(lock, every_, [this] { return stopping_; });
  }
}

Platform::Platform(Config config, std::unique_ptr<storage::Store> store)
    : config_(std::move(config)),
      store_(std::move(store)),
      audit_(*store_, clock_),
      identity_(*store_, clock_, audit_, config_.security),
      users_(*store_, identity_, audit_),
      machine_auth_(*store_, clock_),
      registry_(*store_, clock_, audit_),
      reference_(*store_, store_->warnings(), store_->targets(), audit_, clock_),
      accounting_(*store_, registry_, config_.accounting.convention, config_.accounting.grid),
      dual_control_(accounting_, *store_, clock_),
      webhook_(*store_, identity_, clock_, config_.webhook),
      evaluator_(*store_, accounting_, dual_control_, clock_, config_.warnings.evaluator),
      warnings_(*store_, audit_, clock_),
      ingestor_(*store_, clock_),
      intake_(*store_, clock_),
      reports_(*store_, registry_, audit_, clock_, config_.accounting.convention),
      // The configuration was checked when it was read; a chain that does not fit falls back to the defaults.
      reviews_(
          *store_, registry_, audit_, clock_, reports_,
          [this] {
            auto flows = workflow::ConfiguredFlows(config_.review);
            return flows.ok() ? std::move(flows).value() : workflow::ConfiguredFlows({}).value();
          }(),
          config_.review.decision_days),
      violations_(*store_, registry_, reviews_, audit_, clock_),
      upgrades_(*store_, registry_, reviews_, accounting_, audit_, clock_),
      inspections_(*store_, registry_, audit_, clock_),
      timeline_(*store_, registry_, reviews_),
      overview_(*store_, registry_, clock_, config_.accounting),
      gate_(router_, identity_, config_.monitoring_allow),
      housekeeper_(identity_, *store_, clock_) {}

core::Result<std::unique_ptr<Platform>> Platform::Build(Config config, std::unique_ptr<storage::Store> store) {
  std::unique_ptr<Platform> p(new Platform(std::move(config), std::move(store)));
  if (p->store_->dialect() == storage::Dialect::kPostgres) {
    auto cluster = p->config_.cluster;
    if (cluster.node.empty()) {
      auto listen = p->config_.server.listen;
      cluster.node = ingest::DefaultNodeName(std::atoi(listen.substr(listen.rfind(':') + 1).c_str()));
    }
    p->nodes_ = std::make_unique<ingest::NodeRegistry>(*p->store_, p->clock_, cluster);
    KILN_RETURN_IF_ERROR(p->nodes_->Join());
    p->ingestor_.SetCluster(p->nodes_.get());
    auto* nodes = p->nodes_.get();
    p->evaluator_.SetLeader([nodes] { return nodes->Leads(); });
    p->webhook_.SetLeader([nodes] { return nodes->Leads(); });
  }
  if (p->config_.warnings.enabled) {
    auto* evaluator = &p->evaluator_;
    p->ingestor_.SetWrittenObserver([evaluator](const auto& touched) { evaluator->PointsWritten(touched); });
  }
  KILN_RETURN_IF_ERROR(p->ingestor_.Recover());
  p->pipeline_ = std::make_unique<ingest::WritePipeline>(p->ingestor_, p->config_.ingest);
  auto* raw = p.get();
  p->metrics_.SetExtraSource([raw] {
    return PoolGauges(*raw->store_) +
           fmt::format(
               "# HELP kiln_ingest_queued_batches Batches waiting for the ingest writer.\n"
               "# TYPE kiln_ingest_queued_batches gauge\nkiln_ingest_queued_batches {}\n"
               "# HELP kiln_ingest_pending_readings Acknowledged readings not yet written into blocks.\n"
               "# TYPE kiln_ingest_pending_readings gauge\nkiln_ingest_pending_readings {}\n"
               "# HELP kiln_audit_write_failures_total Audit log entries that could not be written.\n"
               "# TYPE kiln_audit_write_failures_total counter\nkiln_audit_write_failures_total {}\n"
               "# HELP kiln_warnings_backlog_points Points written and not yet checked by the warning rules.\n"
               "# TYPE kiln_warnings_backlog_points gauge\nkiln_warnings_backlog_points {}\n"
               "# HELP kiln_webhook_messages_total Webhook messages queued and delivered, and failed attempts.\n"
               "# TYPE kiln_webhook_messages_total counter\n"
               "kiln_webhook_messages_total{{state=\"queued\"}} {}\n"
               "kiln_webhook_messages_total{{state=\"delivered\"}} {}\n"
               "kiln_webhook_messages_total{{state=\"failed_attempt\"}} {}\n",
               raw->pipeline_->queued(), raw->ingestor_.pending(), raw->audit_.write_failures(),
               raw->evaluator_.backlog(), raw->webhook_.counters().queued, raw->webhook_.counters().delivered,
               raw->webhook_.counters().failed_attempts);
  });
  // Every API call but the uploads themselves sees the readings acknowledged before it.
  p->router_.SetBarrier([raw](const http::Request& request) {
    if (request.path == "/api/v1/readings" || request.path == "/healthz" || request.path == "/metrics") return;
    if (auto synced = raw->pipeline_->Sync(); !synced.ok()) {
      spdlog::warn("reading after a failed materialisation: {}", synced.ToString());
    }
  });
  http::ApiContext context{*p->store_,     p->identity_,   p->audit_,        p->users_,       p->machine_auth_,
                           p->registry_,   p->reference_,  *p->pipeline_,    p->intake_,      p->reports_,
                           p->reviews_,    p->violations_, p->upgrades_,     p->inspections_, p->timeline_,
                           p->accounting_, p->overview_,   p->dual_control_, p->warnings_,    p->evaluator_,
                           p->metrics_,    p->clock_,      p->config_.site};
  p->apis_ = http::RegisterApis(p->gate_, context);
  // Data other than readings changed (a report, an upload, the registry): the time-driven rules look again.
  p->router_.SetAfter([raw](const http::Request& request, const http::Response& response) {
    if (request.method != "GET" && response.status < 300 && request.path != "/api/v1/readings") {
      raw->evaluator_.Poke();
    }
  });
  if (p->webhook_.enabled()) {
    auto* webhook = &p->webhook_;
    p->evaluator_.SetListener([webhook](const std::vector<storage::WarningChange>& changes) {
      if (auto queued = webhook->Changed(changes); !queued.ok()) {
        spdlog::error("webhook: queueing {} warning changes: {}", changes.size(), queued.ToString());
      }
    });
    p->webhook_.Start();
  }
  if (p->config_.warnings.enabled) p->evaluator_.Start();
  return p;
}

Platform::~Platform() { Stop(); }

core::Result<int> Platform::Start() {
  server_ = std::make_unique<http::Server>(config_.server, router_, metrics_);
  return server_->Start();
}

void Platform::Stop() {
  if (server_) server_->Stop();
}

}  // namespace kiln::app
