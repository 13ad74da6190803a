#pragma once
// The registry service: enterprises, projects and metering points. It decodes
// and validates input against the schemas in core, checks references (county,
// industry, enterprise) against the store, asks security::Authorize about
// every record (refusals of existing records are audited), writes through the Store (which keeps per-record history)
// and records each write in the audit log. Thread-safe.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/registry_schema.hpp"
#include "security/identity.hpp"
#include "storage/store.hpp"

namespace kiln::registry {

// kEquipment: a project's process units (装置), read with the project and kept by officials.
enum class Kind { kEnterprise, kProject, kPoint, kEquipment };
const core::RecordSchema& SchemaOf(Kind kind);

// List parameters as they come from a query string; all optional.
struct ListRequest {
  int page = 1;
  int page_size = 20;
  std::string sort;  // "name" ascending, "-name" descending
  std::string region, industry, status, q;
  std::optional<bool> key_energy_unit;  // enterprises
  std::string list_status;  // enterprises: listed or delisted ("" = both)
  std::string equipment_category;  // projects
  std::optional<std::int64_t> enterprise_id;  // projects, points, equipment
  std::optional<std::int64_t> project_id;  // equipment
};

using Caller = security::Caller;

class Registry {
 public:
  Registry(storage::Store& store, const core::Clock& clock, security::AuditLog& audit);

  core::Result<storage::Page> List(const Caller& caller, Kind kind, const ListRequest& request);
  core::Result<core::Record> Get(const Caller& caller, Kind kind, std::int64_t id);
  // `enterprise_id` is the owner of a new metering point, `project_id` of a new unit (from the URL).
  core::Result<core::Record> Create(const Caller& caller, Kind kind, const nlohmann::json& body,
                                    std::optional<std::int64_t> enterprise_id = std::nullopt,
                                    std::optional<std::int64_t> project_id = std::nullopt);
  core::Result<core::Record> Update(const Caller& caller, Kind kind, std::int64_t id, const nlohmann::json& body);
  core::Result<std::vector<storage::HistoryEntry>> History(const Caller& caller, Kind kind, std::int64_t id);
  // Where a record sits for the access policy: its county and owning enterprise.
  core::Result<security::Target> TargetOf(Kind kind, const core::Record& record);
  // The record if `caller` may do `action` to it (404 for one outside the
  // caller's scope, with the same answer as for one that does not exist).
  core::Result<core::Record> Authorized(const Caller& caller, Kind kind, std::int64_t id, security::Action action);

 private:
  // Reference checks that need the store; appends to `errors`.
  // Region and industry codes exist; a point's project belongs to `point_enterprise`.
  core::Status CheckReferences(const core::Record& record, std::vector<core::FieldError>& errors,
                               std::optional<std::int64_t> point_enterprise = std::nullopt);
  void Audit(const Caller& caller, const std::string& action, const std::string& target, const core::Status& result);
  // A project with process units takes the most restrictive class of them (equipment_category),
  // with a history entry, after one of its units changed.
  core::Status DeriveEquipmentCategory(const Caller& caller, std::int64_t project_id);

  storage::Store& store_;
  const core::Clock& clock_;
  security::AuditLog& audit_;
};

}  // namespace kiln::registry
