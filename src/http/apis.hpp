#pragma once
// The JSON API under /api/v1 plus /healthz, /metrics and the OpenAPI
// document. Handlers are thin: parse the request, call a service (which asks
// security's access policy), render the answer. Every route is added through
// the Gate, which declares and checks who may call it.

#include <memory>
#include <string>
#include <vector>

#include "analysis/accounting.hpp"
#include "analysis/dual_control.hpp"
#include "analysis/overview.hpp"
#include "core/carbon.hpp"
#include "core/conversion.hpp"
#include "http/gate.hpp"
#include "http/metrics.hpp"
#include "ingest/department_intake.hpp"
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
#include "workflow/review_engine.hpp"
#include "workflow/timeline.hpp"
#include "workflow/inspection_service.hpp"
#include "workflow/upgrade_service.hpp"
#include "workflow/violation_service.hpp"

namespace kiln::http {

struct ApiOptions {
  std::string site_name = "「两高」行业电子监管平台";
  bool secure_cookies = false;  // always mark the session cookie Secure (also set when a trusted proxy says HTTPS)
  std::size_t max_inflated_bytes = 64 * 1024 * 1024;  // a gzip meter batch may inflate to at most this
  std::int64_t max_raw_days = 31;  // longest span of a raw series query
};

// The services the handlers call. All must outlive the router.
struct ApiContext {
  storage::Store& store;
  security::Identity& identity;
  security::AuditLog& audit;
  security::UserAdministration& users;
  security::MachineAuth& machine_auth;
  registry::Registry& registry;
  registry::ReferenceEditor& reference;
  ingest::WritePipeline& pipeline;
  ingest::DepartmentIntake& intake;
  workflow::ReportService& reports;
  workflow::ReviewEngine& reviews;
  workflow::ViolationService& violations;
  workflow::UpgradeService& upgrades;
  workflow::InspectionService& inspections;
  workflow::Timeline& timeline;
  analysis::Accounting& accounting;
  analysis::Overview& overview;
  analysis::DualControl& dual_control;
  warnings::WarningService& warnings;
  warnings::Evaluator& evaluator;
  Metrics& metrics;
  const core::Clock& clock;
  ApiOptions options;
};

// One group of routes and the state its handlers keep.
class Api {
 public:
  virtual ~Api() = default;
};

// Adds every route, in an order where literal paths come before the
// patterns that would take them ("/enterprises/export" before "/enterprises/{id}").
std::vector<std::unique_ptr<Api>> RegisterApis(Gate& gate, const ApiContext& context);

// The OpenAPI 3 document (docs/openapi.json, embedded at build time).
const std::string& OpenApiDocument();

// An attachment as every answer lists it (without its bytes); `preview`: PDFs and images open in the
// browser, office documents download.
bool PreviewedInBrowser(const std::string& media_type);
nlohmann::json AttachmentJson(const storage::Attachment& a);

// Each group; RegisterApis adds them all.
std::unique_ptr<Api> RegisterSystemApi(Gate& gate, const ApiContext& c);
std::unique_ptr<Api> RegisterAuthApi(Gate& gate, const ApiContext& c);
std::unique_ptr<Api> RegisterRegistryApi(Gate& gate, const ApiContext& c);
std::unique_ptr<Api> RegisterUserApi(Gate& gate, const ApiContext& c);
std::unique_ptr<Api> RegisterAuditApi(Gate& gate, const ApiContext& c);
std::unique_ptr<Api> RegisterMeterApi(Gate& gate, const ApiContext& c);
std::unique_ptr<Api> RegisterOverviewApi(Gate& gate, const ApiContext& c);
std::unique_ptr<Api> RegisterReportApi(Gate& gate, const ApiContext& c);
std::unique_ptr<Api> RegisterAccountingApi(Gate& gate, const ApiContext& c);
std::unique_ptr<Api> RegisterReferenceApi(Gate& gate, const ApiContext& c);
std::unique_ptr<Api> RegisterDepartmentApi(Gate& gate, const ApiContext& c);
std::unique_ptr<Api> RegisterWarningApi(Gate& gate, const ApiContext& c);
std::unique_ptr<Api> RegisterDualControlApi(Gate& gate, const ApiContext& c);
std::unique_ptr<Api> RegisterReviewApi(Gate& gate, const ApiContext& c);
std::unique_ptr<Api> RegisterViolationApi(Gate& gate, const ApiContext& c);
std::unique_ptr<Api> RegisterUpgradeApi(Gate& gate, const ApiContext& c);
std::unique_ptr<Api> RegisterInspectionApi(Gate& gate, const ApiContext& c);

}  // namespace kiln::http
