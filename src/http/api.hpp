#pragma once
// The JSON API under /api/v1 plus /healthz, /metrics and the OpenAPI
// document. Handlers are thin: parse the request, call a service, serialise
// the answer. Authentication (session cookie + CSRF header) is checked here;
// authorization is decided by security::Authorize inside the services.

#include <string>

#include "http/metrics.hpp"
#include "http/router.hpp"
#include "registry/registry.hpp"
#include "security/identity.hpp"
#include "storage/store.hpp"

namespace kiln::http {

struct ApiOptions {
  std::string site_name = "「两高」行业电子监管平台";
  bool secure_cookies = false;  // add the Secure flag (behind HTTPS)
};

struct ApiDeps {
  storage::Store& store;
  security::Identity& identity;
  security::AuditLog& audit;
  registry::Registry& registry;
  Metrics& metrics;
  const core::Clock& clock;
};

// Adds every route to `router`. The returned object owns the handlers' state
// and must outlive the router; `deps` must too.
std::shared_ptr<void> RegisterApi(Router& router, const ApiDeps& deps, const ApiOptions& options);

// The OpenAPI 3 document (docs/openapi.json, embedded at build time).
const std::string& OpenApiDocument();

}  // namespace kiln::http
