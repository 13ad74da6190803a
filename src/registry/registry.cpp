#include "registry/registry.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/regions.hpp"

namespace kiln::registry {
namespace {

using core::Record;
using core::Result;
using core::Status;

using security::Action;

Action ReadAction(Kind kind) {
  switch (kind) {
    case Kind::kEnterprise: return Action::kEnterpriseRead;
    case Kind::kProject: return Action::kProjectRead;
    case Kind::kPoint: return Action::kPointRead;
    case Kind::kEquipment: return Action::kProjectRead;
  }
  return Action::kEnterpriseRead;
}

Action WriteAction(Kind kind) {
  switch (kind) {
    case Kind::kEnterprise: return Action::kEnterpriseWrite;
    case Kind::kProject: return Action::kProjectWrite;
    case Kind::kPoint: return Action::kPointWrite;
    // A unit's class decides the project's (a supervised field): officials keep units.
    case Kind::kEquipment: return Action::kRegistrySupervise;
  }
  return Action::kEnterpriseWrite;
}

// The same answer for a record that does not exist and one outside the caller's scope.
Status Hidden(Kind kind, std::int64_t id) {
  return Status::NotFound(fmt::format("{} {} not found", SchemaOf(kind).kind, id));
}

std::string Text(const Record& r, const char* field) {
  auto it = r.find(field);
  return it == r.end() || core::IsNull(it->second) ? "" : core::ValueToText(it->second);
}

// Fields that decide jurisdiction and supervision: only a caller with
// registry.supervise (officials) changes them; an enterprise user may not on its own file.
constexpr const char* kOfficialOnlyEnterpriseFields[] = {"uscc", "region", "industry", "key_energy_unit", "status"};

}  // namespace

const core::RecordSchema& SchemaOf(Kind kind) {
  switch (kind) {
    case Kind::kEnterprise: return core::EnterpriseSchema();
    case Kind::kProject: return core::ProjectSchema();
    case Kind::kPoint: return core::MeteringPointSchema();
    case Kind::kEquipment: return core::EquipmentSchema();
  }
  return core::EnterpriseSchema();
}

Registry::Registry(storage::Store& store, const core::Clock& clock, security::AuditLog& audit)
    : store_(store), clock_(clock), audit_(audit) {}

Result<storage::Page> Registry::List(const Caller& caller, Kind kind, const ListRequest& request) {
  const auto& schema = SchemaOf(kind);
  auto scope = security::ScopeFor(caller.principal, ReadAction(kind));
  if (!scope.ok()) return scope.status();
  std::vector<core::FieldError> errors;
  if (request.page < 1) errors.push_back({"page", "must be at least 1"});
  if (request.page_size < 1 || request.page_size > 500) errors.push_back({"page_size", "must be between 1 and 500"});
  storage::ListQuery q;
  q.page = request.page;
  q.page_size = request.page_size;
  q.region_prefix = scope->region_prefix;
  q.enterprise_id = scope->enterprise_id;
  if (!request.region.empty()) {
    if (core::LevelOfRegionCode(request.region) == core::RegionLevel::kInvalid) {
      errors.push_back({"region", "must be a GB/T 2260 region code"});
    } else if (auto narrowed = security::NarrowToRegion(*scope, request.region)) {
      q.region_prefix = narrowed->region_prefix;
    } else {
      q.match_nothing = true;  // filtered, not refused
    }
  }
  if (request.enterprise_id) {
    if (q.enterprise_id && *q.enterprise_id != *request.enterprise_id) q.match_nothing = true;
    q.enterprise_id = request.enterprise_id;
  }
  if (!request.sort.empty()) {
    q.sort_descending = request.sort.front() == '-';
    q.sort_field = q.sort_descending ? request.sort.substr(1) : request.sort;
    const auto* spec = schema.Find(q.sort_field);
    if (!spec || !spec->sortable) errors.push_back({"sort", q.sort_field + " is not a sortable field"});
  }
  auto filter_enum = [&](const char* field, const std::string& value) {
    if (value.empty()) return;
    const auto* spec = schema.Find(field);
    if (!spec) {
      errors.push_back({field, fmt::format("a {} has no {}", schema.kind, field)});
      return;
    }
    if (spec->type == core::FieldType::kEnum &&
        std::find(spec->choices.begin(), spec->choices.end(), value) == spec->choices.end()) {
      std::string list;
      for (const auto& c : spec->choices) list += (list.empty() ? "" : ", ") + c;
      errors.push_back({field, "must be one of " + list});
      return;
    }
    q.equals.emplace_back(field, value);
  };
  if (request.project_id) q.equals.emplace_back("project_id", *request.project_id);
  filter_enum("industry", request.industry);
  if (!request.status.empty()) filter_enum(kind == Kind::kProject ? "state" : "status", request.status);
  filter_enum("equipment_category", request.equipment_category);
  filter_enum("list_status", request.list_status);
  if (request.key_energy_unit) {
    if (kind != Kind::kEnterprise)
      errors.push_back({"key_energy_unit", "applies to enterprises only"});
    else
      q.equals.emplace_back("key_energy_unit", *request.key_energy_unit);
  }
  if (!errors.empty()) return Status::InvalidArgument("invalid list parameters", std::move(errors));
  if (!request.q.empty()) {
    q.text = request.q;
    q.text_fields = kind == Kind::kEnterprise  ? std::vector<std::string>{"name", "uscc"}
                    : kind == Kind::kProject   ? std::vector<std::string>{"name", "product"}
                    : kind == Kind::kEquipment ? std::vector<std::string>{"name", "process", "model"}
                                               : std::vector<std::string>{"name", "code", "serial_no"};
  }
  return store_.ListRecords(schema, q);
}

Result<security::Target> Registry::TargetOf(Kind kind, const Record& record) {
  if (kind == Kind::kEnterprise) return security::Target{Text(record, "region"), storage::AsInt(record.at("id"))};
  std::int64_t enterprise_id = storage::AsInt(record.at("enterprise_id"));
  if (kind == Kind::kProject) return security::Target{Text(record, "region"), enterprise_id};
  if (kind == Kind::kEquipment) {
    auto project = store_.GetRecord(core::ProjectSchema(), storage::AsInt(record.at("project_id")));
    if (!project.ok()) return project.status();
    return security::Target{Text(*project, "region"), enterprise_id};
  }
  auto enterprise = store_.GetRecord(core::EnterpriseSchema(), enterprise_id);
  if (!enterprise.ok()) return enterprise.status();
  return security::Target{Text(*enterprise, "region"), enterprise_id};
}

Result<Record> Registry::Authorized(const Caller& caller, Kind kind, std::int64_t id, Action action) {
  auto record = store_.GetRecord(SchemaOf(kind), id);
  if (!record.ok()) return record.status().code() == core::StatusCode::kNotFound ? Hidden(kind, id) : record.status();
  auto target = TargetOf(kind, *record);
  if (!target.ok()) return target.status();
  auto allowed =
      security::AuthorizeAndAudit(audit_, caller, action, *target, fmt::format("{}:{}", SchemaOf(kind).table, id));
  if (allowed.code() == core::StatusCode::kNotFound) return Hidden(kind, id);
  KILN_RETURN_IF_ERROR(allowed);
  return record;
}

Result<Record> Registry::Get(const Caller& caller, Kind kind, std::int64_t id) {
  return Authorized(caller, kind, id, ReadAction(kind));
}

Status Registry::CheckReferences(const Record& record, std::vector<core::FieldError>& errors,
                                 std::optional<std::int64_t> point_enterprise) {
  if (point_enterprise && record.contains("project_id") && !core::IsNull(record.at("project_id"))) {
    auto project = store_.GetRecord(core::ProjectSchema(), storage::AsInt(record.at("project_id")));
    if (!project.ok() && project.status().code() != core::StatusCode::kNotFound) return project.status();
    if (!project.ok() || storage::AsInt(project->at("enterprise_id")) != *point_enterprise) {
      errors.push_back({"project_id", "is not a project of this enterprise"});
    }
  }
  auto region = Text(record, "region");
  if (!region.empty()) {
    auto found = store_.GetRegion(region);
    if (!found.ok()) return found.status();
    if (!*found) errors.push_back({"region", "no county with code " + region});
  }
  auto industry = Text(record, "industry");
  if (!industry.empty()) {
    auto industries = store_.ListIndustries();
    if (!industries.ok()) return industries.status();
    bool known = false;
    for (const auto& i : *industries) known = known || i.code == industry;
    if (!known) errors.push_back({"industry", "no industry with code " + industry});
  }
  return {};
}

Result<Record> Registry::Create(const Caller& caller, Kind kind, const nlohmann::json& body,
                                std::optional<std::int64_t> enterprise_id, std::optional<std::int64_t> project_id) {
  if (kind == Kind::kEquipment) {
    // A unit belongs to the project in the URL: out of the caller's scope it is not found, as on reading.
    auto project = Get(caller, Kind::kProject, project_id.value_or(0));
    if (!project.ok()) return project.status();
    const auto& schema = core::EquipmentSchema();
    security::Target target{Text(*project, "region"), storage::AsInt(project->at("enterprise_id"))};
    if (auto allowed = security::Authorize(caller.principal, Action::kRegistrySupervise, target); !allowed.ok()) {
      return allowed.code() == core::StatusCode::kPermissionDenied
                 ? Status::PermissionDenied("officials keep a project's process units")
                 : allowed;
    }
    auto decoded = core::RecordFromJson(schema, body);
    if (!decoded.ok()) return decoded.status();
    Record record = std::move(decoded).value();
    record["project_id"] = *project_id;
    record["enterprise_id"] = project->at("enterprise_id");
    auto errors = core::ValidateRecord(schema, record, true);
    if (!errors.empty()) return Status::InvalidArgument("invalid equipment", std::move(errors));
    auto created =
        store_.CreateRecord(schema, std::move(record), {caller.principal.username, caller.address}, clock_.Now());
    Audit(caller, "project_equipment.create",
          created.ok() ? fmt::format("project_equipment:{}", storage::AsInt(created->at("id"))) : "project_equipment",
          created.status());
    if (created.ok()) KILN_RETURN_IF_ERROR(DeriveEquipmentCategory(caller, *project_id));
    return created;
  }
  const auto& schema = SchemaOf(kind);
  const auto& who = caller.principal;
  const Action action = kind == Kind::kEnterprise ? Action::kEnterpriseCreate : WriteAction(kind);
  // A point's enterprise is named in the URL: out of the caller's scope it is not found, as on reading.
  if (kind == Kind::kPoint) {
    if (auto owner = Get(caller, Kind::kEnterprise, *enterprise_id); !owner.ok()) return owner.status();
  }
  // Refused before the body is read when the caller may create none of the kind.
  if (auto scope = security::ScopeFor(who, action); !scope.ok()) return scope.status();
  auto decoded = core::RecordFromJson(schema, body);
  if (!decoded.ok()) return decoded.status();
  Record record = std::move(decoded).value();
  if (kind == Kind::kPoint) record["enterprise_id"] = *enterprise_id;

  std::optional<Record> owner;
  if (kind != Kind::kEnterprise) {
    std::int64_t owner_id = kind == Kind::kPoint ? *enterprise_id
                            : record.contains("enterprise_id") && !core::IsNull(record["enterprise_id"])
                                ? storage::AsInt(record["enterprise_id"])
                                : 0;
    if (owner_id > 0) {
      auto found = Get(caller, Kind::kEnterprise, owner_id);
      if (found.ok()) {
        owner = std::move(found).value();
      } else if (found.status().code() == core::StatusCode::kNotFound && kind == Kind::kProject) {
        return Status::InvalidArgument("invalid project",
                                       {{"enterprise_id", "no such enterprise in your jurisdiction"}});
      } else {
        return found.status();
      }
    }
    // A project sits where its enterprise is unless told otherwise.
    if (owner && kind == Kind::kProject) {
      for (const char* f : {"region", "lng", "lat"}) {
        if (!record.contains(f) || core::IsNull(record[f])) record[f] = owner->at(f);
      }
    }
  }
  auto errors = core::ValidateRecord(schema, record, true);
  if (kind == Kind::kProject && owner && Text(record, "region") != Text(*owner, "region") &&
      !security::Authorize(who, Action::kRegistrySupervise, {Text(*owner, "region"), storage::AsInt(owner->at("id"))})
           .ok()) {
    errors.push_back({"region", "an enterprise places its projects in its own county; officials can change this"});
  }
  KILN_RETURN_IF_ERROR(CheckReferences(record, errors, kind == Kind::kPoint ? enterprise_id : std::nullopt));
  if (!errors.empty()) return Status::InvalidArgument(fmt::format("invalid {}", schema.kind), std::move(errors));

  security::Target target{Text(record, "region"), std::nullopt};
  if (owner) target = {Text(*owner, "region"), storage::AsInt(owner->at("id"))};
  if (kind == Kind::kProject) target.region = Text(record, "region");
  auto allowed = security::Authorize(who, action, target);
  if (allowed.code() == core::StatusCode::kNotFound) {
    return Status::PermissionDenied(fmt::format("{} is outside your jurisdiction", target.region),
                                    {{"region", "outside your jurisdiction"}});
  }
  KILN_RETURN_IF_ERROR(allowed);

  auto created = store_.CreateRecord(schema, std::move(record), {who.username, caller.address}, clock_.Now());
  std::string target_name =
      created.ok() ? fmt::format("{}:{}", schema.table, storage::AsInt(created->at("id"))) : schema.table;
  Audit(caller, schema.table + ".create", target_name, created.status());
  return created;
}

Result<Record> Registry::Update(const Caller& caller, Kind kind, std::int64_t id, const nlohmann::json& body) {
  const auto& schema = SchemaOf(kind);
  const auto& who = caller.principal;
  auto existing = Authorized(caller, kind, id, WriteAction(kind));
  if (!existing.ok()) return existing.status();
  auto target = TargetOf(kind, *existing);
  if (!target.ok()) return target.status();
  auto decoded = core::RecordFromJson(schema, body);
  if (!decoded.ok()) return decoded.status();
  Record patch = std::move(decoded).value();
  const bool supervises = security::Authorize(who, Action::kRegistrySupervise, *target).ok();
  if (kind == Kind::kEnterprise && !supervises) {
    std::vector<core::FieldError> denied;
    for (const char* f : kOfficialOnlyEnterpriseFields) {
      auto old = existing->find(f);
      if (patch.contains(f) && (old == existing->end() || !core::SameValue(patch[f], old->second))) {
        denied.push_back({f, "only officials can change this field"});
      }
    }
    if (!denied.empty()) return Status::PermissionDenied("enterprise users cannot change these fields", denied);
  }
  auto errors = core::ValidateRecord(schema, patch, false, *existing);
  if (kind == Kind::kProject && !supervises && patch.contains("region") &&
      !core::SameValue(patch["region"], existing->at("region"))) {
    return Status::PermissionDenied("only officials move a project to another county",
                                    {{"region", "only officials can change this field"}});
  }
  std::optional<std::int64_t> point_enterprise;
  if (kind == Kind::kPoint) point_enterprise = storage::AsInt(existing->at("enterprise_id"));
  KILN_RETURN_IF_ERROR(CheckReferences(patch, errors, point_enterprise));
  if (!errors.empty()) return Status::InvalidArgument(fmt::format("invalid {}", schema.kind), std::move(errors));
  if (patch.contains("region") && kind != Kind::kPoint) {
    auto moved = security::Authorize(who, WriteAction(kind), {Text(patch, "region"), target->enterprise_id});
    if (!moved.ok()) {
      return Status::PermissionDenied("cannot move a record outside your jurisdiction",
                                      {{"region", "outside your jurisdiction"}});
    }
  }
  if (kind == Kind::kProject && patch.contains("equipment_category") &&
      !core::SameValue(patch["equipment_category"], existing->at("equipment_category"))) {
    auto units = store_.ListRecords(core::EquipmentSchema(), {.equals = {{"project_id", id}}, .page_size = 1});
    if (!units.ok()) return units.status();
    if (units->total > 0) {
      return Status::InvalidArgument(
          "invalid project",
          {{"equipment_category", "is derived from the project's process units (the most restrictive of them)"}});
    }
  }
  auto updated = store_.UpdateRecord(schema, id, patch, {who.username, caller.address}, clock_.Now());
  Audit(caller, schema.table + ".update", fmt::format("{}:{}", schema.table, id), updated.status());
  if (updated.ok() && kind == Kind::kEquipment) {
    KILN_RETURN_IF_ERROR(DeriveEquipmentCategory(caller, storage::AsInt(existing->at("project_id"))));
  }
  if (updated.ok() && kind == Kind::kEnterprise &&
      (Text(*existing, "region") != Text(*updated, "region") ||
       Text(*existing, "industry") != Text(*updated, "industry"))) {
    // County x industry energy totals follow the enterprise to its new place.
    auto moved = store_.WriteTransaction([&](storage::MeterWriteTx& tx) {
      return tx.MoveEnterpriseTotals(id, Text(*existing, "region"), Text(*existing, "industry"),
                                     Text(*updated, "region"), Text(*updated, "industry"));
    });
    if (!moved.ok()) return moved.WithContext("the enterprise was updated, but its energy totals were not moved");
  }
  return updated;
}

Result<std::vector<storage::HistoryEntry>> Registry::History(const Caller& caller, Kind kind, std::int64_t id) {
  auto existing = Get(caller, kind, id);
  if (!existing.ok()) return existing.status();
  return store_.History(SchemaOf(kind), id);
}

Status Registry::DeriveEquipmentCategory(const Caller& caller, std::int64_t project_id) {
  auto units = store_.ListRecords(core::EquipmentSchema(), {.equals = {{"project_id", project_id}}, .page_size = 500});
  if (!units.ok()) return units.status();
  const std::string derived = core::MostRestrictiveCategory(units->items);
  if (derived.empty()) return {};
  auto project = store_.GetRecord(core::ProjectSchema(), project_id);
  if (!project.ok()) return project.status();
  if (Text(*project, "equipment_category") == derived) return {};
  auto updated = store_.UpdateRecord(core::ProjectSchema(), project_id, {{"equipment_category", derived}},
                                     {caller.principal.username, caller.address}, clock_.Now());
  return updated.status().WithContext("the project's class from its process units");
}

void Registry::Audit(const Caller& caller, const std::string& action, const std::string& target,
                     const core::Status& result) {
  // An audit failure must not undo a committed write, so it is logged rather than returned.
  auto recorded =
      audit_.Record(caller.principal.username, caller.address, action, target,
                    result.ok() ? "ok" : core::StatusCodeName(result.code()), result.ok() ? "" : result.message());
  if (!recorded.ok()) spdlog::error("audit log write failed for {} {}: {}", action, target, recorded.ToString());
}

}  // namespace kiln::registry
