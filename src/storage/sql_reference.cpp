#include "storage/sql_reference.hpp"

#include <fmt/format.h>

namespace kiln::storage {

std::map<std::string, ReferenceItem> CurrentReferenceItems(const std::vector<ReferenceItem>& versions) {
  std::map<std::string, ReferenceItem> current;
  for (const auto& v : versions) {
    auto [it, added] = current.try_emplace(v.code, v);
    if (!added && v.version > it->second.version) it->second = v;
  }
  return current;
}

using core::Result;
using core::Status;
using core::Value;

Status SqlReference::UpsertRegions(const std::vector<Region>& regions) {
  return WriteMany(db_, regions, [](Connection& c, const Region& r) {
    return c.Exec(
        "INSERT INTO regions (code, name, level, parent, lng, lat) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, "
        "parent = excluded.parent, lng = excluded.lng, lat = excluded.lat",
        {r.code, r.name, r.level, NullIfEmpty(r.parent), r.lng, r.lat});
  });
}

Result<std::vector<Region>> SqlReference::ListRegions() {
  return ReadAll<Region>(
      db_, "SELECT code, name, level, parent, lng, lat FROM regions ORDER BY code", {}, [](const SqlRow& r) {
        return Region{AsText(r[0]), AsText(r[1]), AsText(r[2]), AsText(r[3]), AsReal(r[4]), AsReal(r[5])};
      });
}

Result<std::optional<Region>> SqlReference::GetRegion(const std::string& code) {
  auto all = ReadAll<Region>(
      db_, "SELECT code, name, level, parent, lng, lat FROM regions WHERE code = ?", {code}, [](const SqlRow& r) {
        return Region{AsText(r[0]), AsText(r[1]), AsText(r[2]), AsText(r[3]), AsReal(r[4]), AsReal(r[5])};
      });
  if (!all.ok()) return all.status();
  if (all->empty()) return std::optional<Region>();
  return std::optional<Region>(all->front());
}

Status SqlReference::AddIndustriesIfAbsent(const std::vector<Industry>& industries) {
  return WriteMany(db_, industries, [](Connection& c, const Industry& i) {
    return c.Exec(
        "INSERT INTO industries (code, name, classification, sort_order, source, status) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (code) DO NOTHING",
        {i.code, i.name, i.classification, static_cast<std::int64_t>(i.sort_order), i.source, i.status});
  });
}

Status SqlReference::AddReferenceItemsIfAbsent(const std::vector<ReferenceItem>& items) {
  return WriteMany(db_, items, [](Connection& c, const ReferenceItem& i) {
    return c.Exec(
        "INSERT INTO reference_items (list, code, version, name, description, sort_order, active, status, source, "
        "changed_by, changed_at) SELECT ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS "
        "(SELECT 1 FROM reference_items WHERE list = ? AND code = ?)",
        {i.list, i.code, i.name, i.description, std::int64_t{i.sort_order}, std::int64_t{i.active ? 1 : 0}, i.status,
         i.source, i.changed_by, i.changed_at, i.list, i.code});
  });
}

Result<ReferenceItem> SqlReference::AddReferenceItemVersion(ReferenceItem item) {
  return AddNextVersion(
      db_, item, "reference_items", "list = ? AND code = ?", {item.list, item.code},
      [](Connection& c, const ReferenceItem& i) -> Status {
        KILN_RETURN_IF_ERROR(
            c.Exec("INSERT INTO reference_items (list, code, version, name, description, sort_order, active, "
                   "status, source, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   {i.list, i.code, std::int64_t{i.version}, i.name, i.description, std::int64_t{i.sort_order},
                    std::int64_t{i.active ? 1 : 0}, i.status, i.source, i.changed_by, i.changed_at}));
        if (i.list != "industries") return {};
        // The registry's industries table holds the version in force.
        return c.Exec(
            "INSERT INTO industries (code, name, classification, sort_order, source, status) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
            "classification = excluded.classification, sort_order = excluded.sort_order, "
            "source = excluded.source, status = excluded.status",
            {i.code, i.name, i.description, std::int64_t{i.sort_order}, i.source, i.status});
      });
}

Result<std::vector<ReferenceItem>> SqlReference::ListReferenceItems(const std::string& list) {
  return ReadAll<ReferenceItem>(
      db_,
      "SELECT list, code, version, name, description, sort_order, active, status, source, changed_by, changed_at "
      "FROM reference_items WHERE list = ? ORDER BY sort_order, code, version",
      {list}, [](const SqlRow& r) {
        return ReferenceItem{AsText(r[0]),     AsText(r[1]), static_cast<int>(AsInt(r[2])),
                             AsText(r[3]),     AsText(r[4]), static_cast<int>(AsInt(r[5])),
                             AsInt(r[6]) != 0, AsText(r[7]), AsText(r[8]),
                             AsText(r[9]),     AsInt(r[10])};
      });
}

Result<std::vector<Industry>> SqlReference::ListIndustries() {
  return ReadAll<Industry>(
      db_, "SELECT code, name, classification, sort_order, source, status FROM industries ORDER BY sort_order, code",
      {}, [](const SqlRow& r) {
        Industry i;
        i.code = AsText(r[0]);
        i.name = AsText(r[1]);
        i.classification = AsText(r[2]);
        i.sort_order = static_cast<int>(AsInt(r[3]));
        i.source = AsText(r[4]);
        i.status = AsText(r[5]);
        return i;
      });
}

Status SqlReference::UpsertDepartments(const std::vector<Department>& departments) {
  return WriteMany(db_, departments, [](Connection& c, const Department& d) {
    return c.Exec(
        "INSERT INTO departments (code, name) VALUES (?, ?) ON CONFLICT (code) DO UPDATE SET name = excluded.name",
        {d.code, d.name});
  });
}

Status SqlReference::AddConversionFactorsIfAbsent(const std::vector<core::ConversionFactor>& factors) {
  return WriteMany(db_, factors, [](Connection& c, const core::ConversionFactor& f) {
    return c.Exec(
        "INSERT INTO conversion_factors (energy_type, variant, version, kgce_per_unit, unit, valid_from, valid_to, "
        "status, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (energy_type, variant, version) DO NOTHING",
        {f.energy_type, f.variant, static_cast<std::int64_t>(f.version), f.kgce_per_unit, f.unit, f.valid_from,
         f.valid_to, f.status, f.source});
  });
}

Result<std::vector<core::ConversionFactor>> SqlReference::ListConversionFactors() {
  return ReadAll<core::ConversionFactor>(
      db_,
      "SELECT energy_type, variant, version, kgce_per_unit, unit, valid_from, valid_to, status, source "
      "FROM conversion_factors ORDER BY energy_type, variant, version",
      {}, [](const SqlRow& r) {
        return core::ConversionFactor{.energy_type = AsText(r[0]),
                                      .variant = AsText(r[1]),
                                      .version = static_cast<int>(AsInt(r[2])),
                                      .kgce_per_unit = AsReal(r[3]),
                                      .unit = AsText(r[4]),
                                      .valid_from = AsText(r[5]),
                                      .valid_to = AsText(r[6]),
                                      .status = AsText(r[7]),
                                      .source = AsText(r[8])};
      });
}

Result<core::ConversionFactor> SqlReference::AddConversionFactorVersion(core::ConversionFactor f) {
  return AddNextVersion(db_, f, "conversion_factors", "energy_type = ? AND variant = ?", {f.energy_type, f.variant},
                        [](Connection& c, const auto& f) {
                          return c.Exec(
                              "INSERT INTO conversion_factors (energy_type, variant, version, kgce_per_unit, unit, "
                              "valid_from, valid_to, status, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                              {f.energy_type, f.variant, std::int64_t{f.version}, f.kgce_per_unit, f.unit, f.valid_from,
                               f.valid_to, f.status, f.source});
                        });
}

Status SqlReference::AddEfficiencyLevelsIfAbsent(const std::vector<core::EfficiencyLevel>& levels) {
  return WriteMany(db_, levels, [](Connection& c, const core::EfficiencyLevel& l) {
    // Only a product never stored: an administrator's later versions must survive restarts.
    return c.Exec(
        "INSERT INTO efficiency_level_versions (product, version, process, indicator_unit, advanced, benchmark, "
        "status, source) SELECT ?, 1, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS "
        "(SELECT 1 FROM efficiency_level_versions WHERE product = ?)",
        {l.product, l.process, l.indicator_unit, l.advanced, l.benchmark, l.status, l.source, l.product});
  });
}

Result<core::EfficiencyLevel> SqlReference::AddEfficiencyLevelVersion(core::EfficiencyLevel l) {
  return AddNextVersion(
      db_, l, "efficiency_level_versions", "product = ?", {l.product}, [](Connection& c, const auto& l) {
        return c.Exec(
            "INSERT INTO efficiency_level_versions (product, version, process, indicator_unit, advanced, benchmark, "
            "status, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            {l.product, std::int64_t{l.version}, l.process, l.indicator_unit, l.advanced, l.benchmark, l.status,
             l.source});
      });
}

Result<std::vector<core::EfficiencyLevel>> SqlReference::ListEfficiencyLevels() {
  return ReadAll<core::EfficiencyLevel>(
      db_,
      "SELECT product, version, process, indicator_unit, advanced, benchmark, status, source "
      "FROM efficiency_level_versions ORDER BY product, version",
      {}, [](const SqlRow& r) {
        return core::EfficiencyLevel{AsText(r[0]), static_cast<int>(AsInt(r[1])),
                                     AsText(r[2]), AsText(r[3]),
                                     AsReal(r[4]), AsReal(r[5]),
                                     AsText(r[6]), AsText(r[7])};
      });
}

Result<core::Co2Factor> SqlReference::AddCo2FactorVersion(core::Co2Factor f) {
  return AddNextVersion(
      db_, f, "co2_factors", "energy_type = ? AND grid_region = ? AND year = ?",
      {f.energy_type, f.grid_region, std::int64_t{f.year}}, [](Connection& c, const auto& f) {
        return c.Exec(
            "INSERT INTO co2_factors (energy_type, grid_region, year, version, kg_co2_per_unit, unit, "
            "valid_from, valid_to, status, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            {f.energy_type, f.grid_region, std::int64_t{f.year}, std::int64_t{f.version}, f.kg_per_unit, f.unit,
             f.valid_from, f.valid_to, f.status, f.source});
      });
}

Status SqlReference::AddCo2FactorsIfAbsent(const std::vector<core::Co2Factor>& factors) {
  return WriteMany(db_, factors, [](Connection& c, const core::Co2Factor& f) {
    return c.Exec(
        "INSERT INTO co2_factors (energy_type, grid_region, year, version, kg_co2_per_unit, unit, valid_from, "
        "valid_to, status, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (energy_type, grid_region, year, version) DO NOTHING",
        {f.energy_type, f.grid_region, static_cast<std::int64_t>(f.year), static_cast<std::int64_t>(f.version),
         f.kg_per_unit, f.unit, f.valid_from, f.valid_to, f.status, f.source});
  });
}

Result<std::vector<core::Co2Factor>> SqlReference::ListCo2Factors() {
  return ReadAll<core::Co2Factor>(
      db_,
      "SELECT energy_type, grid_region, year, version, kg_co2_per_unit, unit, valid_from, valid_to, status, source "
      "FROM co2_factors ORDER BY energy_type, grid_region, year, version",
      {}, [](const SqlRow& r) {
        return core::Co2Factor{.energy_type = AsText(r[0]),
                               .grid_region = AsText(r[1]),
                               .year = static_cast<int>(AsInt(r[2])),
                               .version = static_cast<int>(AsInt(r[3])),
                               .kg_per_unit = AsReal(r[4]),
                               .unit = AsText(r[5]),
                               .valid_from = AsText(r[6]),
                               .valid_to = AsText(r[7]),
                               .status = AsText(r[8]),
                               .source = AsText(r[9])};
      });
}

Result<std::vector<Department>> SqlReference::ListDepartments() {
  return ReadAll<Department>(db_, "SELECT code, name FROM departments ORDER BY code", {}, [](const SqlRow& r) {
    return Department{AsText(r[0]), AsText(r[1])};
  });
}

}  // namespace kiln::storage
