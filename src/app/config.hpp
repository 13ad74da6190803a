#pragma once
// The configuration file (TOML) mapped to each module's options. Unknown
// sections or keys are errors, so a typo never silently falls back to a default.

#include <string>

#include "analysis/overview.hpp"
#include "core/carbon.hpp"
#include "core/status.hpp"
#include "http/apis.hpp"
#include "http/client_address.hpp"
#include "http/server.hpp"
#include "ingest/node_registry.hpp"
#include "ingest/write_pipeline.hpp"
#include "notify/webhook_notifier.hpp"
#include "security/identity.hpp"
#include "storage/store.hpp"
#include "warnings/evaluator.hpp"
#include "workflow/review_engine.hpp"

namespace kiln::app {

struct WarningsConfig {
  bool enabled = true;  // run the evaluator (the warnings API answers either way)
  warnings::EvaluatorOptions evaluator;
};

struct Config {
  http::ServerOptions server;
  // Who may read /metrics without an operator's session (addresses or CIDR networks).
  http::AddressList monitoring_allow;
  storage::StoreOptions storage;
  security::SecurityOptions security;
  http::ApiOptions site;
  ingest::PipelineOptions ingest;
  // Several nodes on one PostgreSQL database (ignored on SQLite). An empty node name is
  // replaced by "host:port".
  ingest::ClusterOptions cluster;
  analysis::OverviewOptions accounting;
  WarningsConfig warnings;
  notify::WebhookOptions webhook;
  workflow::ReviewOptions review;
  std::string reference_data;  // directory with regions/, industries.csv, departments.csv
};

// The defaults, with reference_data pointing into the source tree.
Config DefaultConfig();

// Applies a TOML file on top of `config`.
core::Status ApplyConfigFile(const std::string& path, Config& config);

// The commented default configuration (`kiln serve --print-config`).
std::string DefaultConfigText();

}  // namespace kiln::app
