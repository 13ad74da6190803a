#include "storage/sql_violations.hpp"

#include <fmt/format.h>

#include "storage/event_attachments.hpp"

namespace kiln::storage {

using core::Result;
using core::Status;
using core::Value;

namespace {

constexpr const char* kColumns =
    "v.id, v.project_id, v.enterprise_id, p.region, v.violation_type, v.disposal_type, v.measures, v.deadline, "
    "v.responsible_unit, v.state, v.progress, v.escalations, v.marked_by, v.marked_at, v.updated_at, v.closed_at, "
    "p.name, e.name, p.industry, p.state";
constexpr const char* kFrom =
    " FROM violations v JOIN projects p ON p.id = v.project_id JOIN enterprises e ON e.id = v.enterprise_id";
// Past its deadline and not rectified: what escalates and what the overdue warning is about.
constexpr const char* kOverdue = "(v.deadline < ? AND v.state NOT IN ('done', 'closed'))";

Violation RowToViolation(const SqlRow& r) {
  Violation v;
  v.id = AsInt(r[0]);
  v.project_id = AsInt(r[1]);
  v.enterprise_id = AsInt(r[2]);
  v.region = AsText(r[3]);
  v.violation_type = AsText(r[4]);
  v.disposal_type = AsText(r[5]);
  v.measures = AsText(r[6]);
  v.deadline = AsText(r[7]);
  v.responsible_unit = AsText(r[8]);
  v.state = AsText(r[9]);
  v.progress = static_cast<int>(AsInt(r[10]));
  v.escalations = static_cast<int>(AsInt(r[11]));
  v.marked_by = AsText(r[12]);
  v.marked_at = AsInt(r[13]);
  v.updated_at = AsInt(r[14]);
  if (!core::IsNull(r[15])) v.closed_at = AsInt(r[15]);
  v.project_name = AsText(r[16]);
  v.enterprise_name = AsText(r[17]);
  v.industry = AsText(r[18]);
  v.project_state = AsText(r[19]);
  return v;
}

Result<std::optional<Violation>> OneViolation(Connection& conn, std::int64_t id) {
  auto rows =
      Collect<Violation>(conn.Query(fmt::format("SELECT {}{} WHERE v.id = ?", kColumns, kFrom), {id}), RowToViolation);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<Violation>();
  return std::optional<Violation>(std::move(rows->front()));
}

Status AddEvent(Connection& conn, std::int64_t violation_id, const ViolationEvent& e) {
  auto inserted = conn.Query(
      "INSERT INTO violation_events (violation_id, kind, level, actor, note, state, disposal_type, deadline, progress, "
      "at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {violation_id, e.kind, e.level, e.actor, e.note, e.state, e.disposal_type, e.deadline, std::int64_t{e.progress},
       e.at});
  if (!inserted.ok()) return inserted.status();
  return LinkEventAttachments(conn, "violation_attachments", "violation_id", AsInt(inserted->rows.at(0).at(0)),
                              violation_id, e.attachments);
}

}  // namespace

Result<Violation> SqlViolations::MarkViolation(const Violation& v, const ViolationEvent& event) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  Transaction tx(**conn, db_.dialect());
  KILN_RETURN_IF_ERROR(tx.begun());
  auto open = (*conn)->Query("SELECT id FROM violations WHERE project_id = ? AND state <> 'closed'", {v.project_id});
  if (!open.ok()) return open.status();
  if (!open->rows.empty()) {
    auto other = AsInt(open->rows[0][0]);
    return Status::Conflict(fmt::format("the project already has open violation {}", other),
                            {{"project", fmt::format("has open violation {}; it is closed before a new one", other)}});
  }
  auto inserted = (*conn)->Query(
      "INSERT INTO violations (project_id, enterprise_id, violation_type, disposal_type, measures, deadline, "
      "responsible_unit, state, progress, escalations, marked_by, marked_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
      "?, ?, 0, ?, ?, ?) RETURNING id",
      {v.project_id, v.enterprise_id, v.violation_type, v.disposal_type, v.measures, v.deadline, v.responsible_unit,
       v.state, std::int64_t{v.progress}, v.marked_by, event.at, event.at});
  if (!inserted.ok()) return inserted.status();
  auto id = AsInt(inserted->rows.at(0).at(0));
  KILN_RETURN_IF_ERROR(AddEvent(**conn, id, event));
  auto saved = OneViolation(**conn, id);
  if (!saved.ok()) return saved.status();
  if (!*saved) return Status::Internal(fmt::format("violation {} vanished", id));
  KILN_RETURN_IF_ERROR(tx.Commit());
  return **saved;
}

Result<Violation> SqlViolations::AddViolationEvent(std::int64_t id, const std::string& from_state,
                                                   core::UnixMillis seen_updated_at, const ViolationEvent& event,
                                                   bool escalation) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  Transaction tx(**conn, db_.dialect());
  KILN_RETURN_IF_ERROR(tx.begun());
  auto moved = (*conn)->Query(
      "UPDATE violations SET state = ?, disposal_type = ?, deadline = ?, progress = ?, escalations = escalations + ?, "
      "updated_at = ? WHERE id = ? AND state = ? AND updated_at = ?",
      {event.state, event.disposal_type, event.deadline, std::int64_t{event.progress}, std::int64_t{escalation ? 1 : 0},
       event.at, id, from_state, seen_updated_at});
  if (!moved.ok()) return moved.status();
  if (moved->affected == 0) {
    return Status::Conflict(fmt::format("violation {} changed meanwhile", id), {{"state", "changed meanwhile"}});
  }
  KILN_RETURN_IF_ERROR(AddEvent(**conn, id, event));
  auto saved = OneViolation(**conn, id);
  if (!saved.ok()) return saved.status();
  if (!*saved) return Status::Internal(fmt::format("violation {} vanished", id));
  KILN_RETURN_IF_ERROR(tx.Commit());
  return **saved;
}

Result<std::optional<Violation>> SqlViolations::GetViolation(std::int64_t id) {
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  return OneViolation(**conn, id);
}

Result<std::pair<std::vector<Violation>, std::int64_t>> SqlViolations::ListViolations(const ViolationQuery& q) {
  std::string where = "p.region LIKE ?";
  std::vector<Value> params = {q.region_prefix + "%"};
  auto equals = [&](const char* column, const std::string& value) {
    if (value.empty()) return;
    where += fmt::format(" AND {} = ?", column);
    params.emplace_back(value);
  };
  if (q.enterprise_id) {
    where += " AND v.enterprise_id = ?";
    params.emplace_back(*q.enterprise_id);
  }
  if (q.project_id) {
    where += " AND v.project_id = ?";
    params.emplace_back(*q.project_id);
  }
  equals("v.state", q.state);
  equals("v.disposal_type", q.disposal_type);
  equals("v.violation_type", q.violation_type);
  equals("p.industry", q.industry);
  if (q.open_only) where += " AND v.state <> 'closed'";
  if (!q.overdue_on.empty()) {
    where += fmt::format(" AND {}", kOverdue);
    params.emplace_back(q.overdue_on);
  }
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  auto count = (*conn)->Query(fmt::format("SELECT count(*){} WHERE {}", kFrom, where), params);
  if (!count.ok()) return count.status();
  params.emplace_back(std::int64_t{q.page_size});
  params.emplace_back(std::int64_t{(q.page - 1) * q.page_size});
  // Open cases by deadline (the most urgent first), then the closed ones, newest first.
  auto rows = Collect<Violation>(
      (*conn)->Query(fmt::format("SELECT {}{} WHERE {} ORDER BY CASE WHEN v.state = 'closed' THEN 1 ELSE 0 END, "
                                 "CASE WHEN v.state = 'closed' THEN '' ELSE v.deadline END, v.closed_at DESC, v.id "
                                 "LIMIT ? OFFSET ?",
                                 kColumns, kFrom, where),
                     params),
      RowToViolation);
  if (!rows.ok()) return rows.status();
  return std::pair{std::move(*rows), AsInt(count->rows.at(0).at(0))};
}

Result<std::vector<ViolationEvent>> SqlViolations::ViolationEvents(std::int64_t id) {
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  auto events = Collect<ViolationEvent>(
      (*conn)->Query("SELECT id, violation_id, kind, level, actor, note, state, disposal_type, deadline, progress, at "
                     "FROM violation_events WHERE violation_id = ? ORDER BY id",
                     {id}),
      [](const SqlRow& r) {
        return ViolationEvent{.id = AsInt(r[0]),
                              .violation_id = AsInt(r[1]),
                              .kind = AsText(r[2]),
                              .level = AsText(r[3]),
                              .actor = AsText(r[4]),
                              .note = AsText(r[5]),
                              .state = AsText(r[6]),
                              .disposal_type = AsText(r[7]),
                              .deadline = AsText(r[8]),
                              .progress = static_cast<int>(AsInt(r[9])),
                              .at = AsInt(r[10])};
      });
  if (!events.ok()) return events.status();
  auto links = EventAttachments(**conn, "violation_attachments", "violation_id", id);
  if (!links.ok()) return links.status();
  for (auto& e : *events) {
    if (auto it = links->find(e.id); it != links->end()) e.attachments = it->second;
  }
  return events;
}

Result<std::vector<std::int64_t>> SqlViolations::AttachmentViolations(const std::string& attachment_id) {
  return ReadAll<std::int64_t>(
      db_, "SELECT DISTINCT violation_id FROM violation_attachments WHERE attachment_id = ? ORDER BY violation_id",
      {attachment_id}, [](const SqlRow& r) { return AsInt(r[0]); });
}

Result<std::vector<ViolationCount>> SqlViolations::CountViolations(const std::string& region_prefix, int region_digits,
                                                                   bool by_industry, const std::string& today) {
  std::string key = by_industry         ? "p.industry"
                    : region_digits > 0 ? fmt::format("substr(p.region, 1, {})", region_digits)
                                        : "''";
  // PostgreSQL refuses a constant in GROUP BY: counted all together, only the state and type group.
  const std::string groups = key == "''" ? "v.state, v.disposal_type" : key + ", v.state, v.disposal_type";
  return ReadAll<ViolationCount>(
      db_,
      fmt::format("SELECT {0}, v.state, v.disposal_type, count(*), sum(CASE WHEN {1} THEN 1 ELSE 0 END){2} WHERE "
                  "p.region LIKE ? GROUP BY {3} ORDER BY {3}",
                  key, kOverdue, kFrom, groups),
      {today, region_prefix + "%"}, [](const SqlRow& r) {
        return ViolationCount{.key = AsText(r[0]),
                              .state = AsText(r[1]),
                              .disposal_type = AsText(r[2]),
                              .count = AsInt(r[3]),
                              .overdue = AsInt(r[4])};
      });
}

Status CloseViolation(Connection& conn, std::int64_t violation_id, const std::string& actor, const std::string& level,
                      const std::string& note, core::UnixMillis at) {
  auto current =
      conn.Query("SELECT state, disposal_type, deadline, progress FROM violations WHERE id = ?", {violation_id});
  if (!current.ok()) return current.status();
  if (current->rows.empty()) return Status::NotFound(fmt::format("violation {} not found", violation_id));
  const auto& row = current->rows.front();
  if (AsText(row[0]) != "done") {
    return Status::Conflict(
        fmt::format("violation {} is {}; only a rectified (done) violation is closed", violation_id, AsText(row[0])),
        {{"state", "is " + AsText(row[0])}});
  }
  KILN_RETURN_IF_ERROR(
      conn.Exec("UPDATE violations SET state = 'closed', progress = 100, closed_at = ?, updated_at = ? WHERE id = ?",
                {at, at, violation_id}));
  return AddEvent(conn, violation_id,
                  {.kind = "closed",
                   .level = level,
                   .actor = actor,
                   .note = note,
                   .state = "closed",
                   .disposal_type = AsText(row[1]),
                   .deadline = AsText(row[2]),
                   .progress = 100,
                   .at = at});
}

}  // namespace kiln::storage
