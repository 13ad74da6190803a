#include "storage/sql_targets.hpp"

namespace kiln::storage {

using core::Result;
using core::Status;
using core::Value;

namespace {

constexpr const char* kInsert =
    "INSERT INTO control_targets (region, year, indicator, product, version, value, unit, source, example, "
    "changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

std::vector<Value> Row(const ControlTarget& t) {
  return {t.region,
          std::int64_t{t.year},
          t.indicator,
          t.product,
          std::int64_t{t.version},
          t.value,
          t.unit,
          t.source,
          std::int64_t{t.example ? 1 : 0},
          t.changed_by,
          t.changed_at};
}

}  // namespace

Status SqlTargets::AddTargetsIfAbsent(const std::vector<ControlTarget>& targets) {
  return WriteMany(db_, targets, [](Connection& c, const ControlTarget& t) {
    auto params = Row(t);
    params[4] = std::int64_t{1};
    params.insert(params.end(), {t.region, std::int64_t{t.year}, t.indicator, t.product});
    return c.Exec(
        "INSERT INTO control_targets (region, year, indicator, product, version, value, unit, source, example, "
        "changed_by, changed_at) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM "
        "control_targets WHERE region = ? AND year = ? AND indicator = ? AND product = ?)",
        params);
  });
}

Result<std::vector<ControlTarget>> SqlTargets::ListTargets() {
  return ReadAll<ControlTarget>(db_,
                                "SELECT region, year, indicator, product, version, value, unit, source, example, "
                                "changed_by, changed_at FROM control_targets ORDER BY region, year, indicator, "
                                "product, version",
                                {}, [](const SqlRow& r) {
                                  return ControlTarget{.region = AsText(r[0]),
                                                       .year = static_cast<int>(AsInt(r[1])),
                                                       .indicator = AsText(r[2]),
                                                       .product = AsText(r[3]),
                                                       .version = static_cast<int>(AsInt(r[4])),
                                                       .value = AsReal(r[5]),
                                                       .unit = AsText(r[6]),
                                                       .source = AsText(r[7]),
                                                       .example = AsInt(r[8]) != 0,
                                                       .changed_by = AsText(r[9]),
                                                       .changed_at = AsInt(r[10])};
                                });
}

Result<ControlTarget> SqlTargets::AddTargetVersion(ControlTarget target) {
  return AddNextVersion(db_, target, "control_targets", "region = ? AND year = ? AND indicator = ? AND product = ?",
                        {target.region, std::int64_t{target.year}, target.indicator, target.product},
                        [](Connection& c, const ControlTarget& t) { return c.Exec(kInsert, Row(t)); });
}

}  // namespace kiln::storage
