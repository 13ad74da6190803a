#include "storage/sql_inspections.hpp"

#include <fmt/format.h>

#include "storage/event_attachments.hpp"

namespace kiln::storage {

using core::Result;
using core::Status;
using core::Value;

namespace {

Value OrNull(const std::optional<std::int64_t>& v) { return v ? Value(*v) : Value(); }
std::optional<std::int64_t> IntOrNone(const Value& v) {
  return core::IsNull(v) ? std::nullopt : std::optional(AsInt(v));
}

constexpr const char* kPlanColumns =
    "p.id, p.kind, p.title, p.region, p.starts_on, p.ends_on, p.focus, p.created_by, p.created_at, "
    "(SELECT count(*) FROM inspection_tasks t WHERE t.plan_id = p.id), "
    "(SELECT count(*) FROM inspection_tasks t WHERE t.plan_id = p.id AND t.status = 'visited'), "
    "(SELECT count(*) FROM inspection_findings f WHERE f.plan_id = p.id), "
    "(SELECT count(*) FROM inspection_findings f WHERE f.plan_id = p.id AND f.state <> 'verified')";

InspectionPlan RowToPlan(const SqlRow& r) {
  return {.id = AsInt(r[0]),
          .kind = AsText(r[1]),
          .title = AsText(r[2]),
          .region = AsText(r[3]),
          .starts_on = AsText(r[4]),
          .ends_on = AsText(r[5]),
          .focus = AsText(r[6]),
          .created_by = AsText(r[7]),
          .created_at = AsInt(r[8]),
          .tasks = AsInt(r[9]),
          .visited = AsInt(r[10]),
          .findings = AsInt(r[11]),
          .open_findings = AsInt(r[12])};
}

constexpr const char* kTaskColumns =
    "t.id, t.plan_id, t.team_id, t.enterprise_id, t.selection, t.reason, t.status, t.visited_on, t.summary, "
    "t.visited_by, t.created_by, t.created_at, t.updated_at, e.region, e.name, e.industry, p.title, p.kind, tm.name";
constexpr const char* kTaskFrom =
    " FROM inspection_tasks t JOIN enterprises e ON e.id = t.enterprise_id JOIN inspection_plans p ON p.id = "
    "t.plan_id LEFT JOIN inspection_teams tm ON tm.id = t.team_id";

InspectionTask RowToTask(const SqlRow& r) {
  return {.id = AsInt(r[0]),
          .plan_id = AsInt(r[1]),
          .team_id = IntOrNone(r[2]),
          .enterprise_id = AsInt(r[3]),
          .selection = AsText(r[4]),
          .reason = AsText(r[5]),
          .status = AsText(r[6]),
          .visited_on = AsText(r[7]),
          .summary = AsText(r[8]),
          .visited_by = AsText(r[9]),
          .created_by = AsText(r[10]),
          .created_at = AsInt(r[11]),
          .updated_at = AsInt(r[12]),
          .region = AsText(r[13]),
          .enterprise_name = AsText(r[14]),
          .industry = AsText(r[15]),
          .plan_title = AsText(r[16]),
          .plan_kind = AsText(r[17]),
          .team_name = AsText(r[18])};
}

constexpr const char* kFindingColumns =
    "f.id, f.task_id, f.plan_id, f.enterprise_id, f.category, f.description, f.severity, f.requirement, f.deadline, "
    "f.state, f.recorded_by, f.recorded_at, f.updated_at, e.region, e.name";
constexpr const char* kFindingFrom = " FROM inspection_findings f JOIN enterprises e ON e.id = f.enterprise_id";

InspectionFinding RowToFinding(const SqlRow& r) {
  return {.id = AsInt(r[0]),
          .task_id = AsInt(r[1]),
          .plan_id = AsInt(r[2]),
          .enterprise_id = AsInt(r[3]),
          .category = AsText(r[4]),
          .description = AsText(r[5]),
          .severity = AsText(r[6]),
          .requirement = AsText(r[7]),
          .deadline = AsText(r[8]),
          .state = AsText(r[9]),
          .recorded_by = AsText(r[10]),
          .recorded_at = AsInt(r[11]),
          .updated_at = AsInt(r[12]),
          .region = AsText(r[13]),
          .enterprise_name = AsText(r[14])};
}

constexpr const char* kDeductionColumns =
    "d.id, d.plan_id, d.finding_id, d.enterprise_id, d.region, d.indicator, d.year, d.amount, d.unit, d.reason, "
    "d.decided_by, d.decided_at, e.name";
constexpr const char* kDeductionFrom = " FROM indicator_deductions d LEFT JOIN enterprises e ON e.id = d.enterprise_id";

IndicatorDeduction RowToDeduction(const SqlRow& r) {
  return {.id = AsInt(r[0]),
          .plan_id = IntOrNone(r[1]),
          .finding_id = IntOrNone(r[2]),
          .enterprise_id = IntOrNone(r[3]),
          .region = AsText(r[4]),
          .indicator = AsText(r[5]),
          .year = static_cast<int>(AsInt(r[6])),
          .amount = AsReal(r[7]),
          .unit = AsText(r[8]),
          .reason = AsText(r[9]),
          .decided_by = AsText(r[10]),
          .decided_at = AsInt(r[11]),
          .enterprise_name = AsText(r[12])};
}

constexpr const char* kSupervisorColumns =
    "s.id, s.enterprise_id, s.name, s.unit, s.phone, s.appointed_on, s.appointed_by, s.ended_on, s.end_reason, "
    "s.created_at, e.region, e.name, e.industry, (SELECT count(*) FROM supervisor_visits v WHERE v.supervisor_id = "
    "s.id), (SELECT max(v.visited_on) FROM supervisor_visits v WHERE v.supervisor_id = s.id)";
constexpr const char* kSupervisorFrom = " FROM resident_supervisors s JOIN enterprises e ON e.id = s.enterprise_id";

ResidentSupervisor RowToSupervisor(const SqlRow& r) {
  return {.id = AsInt(r[0]),
          .enterprise_id = AsInt(r[1]),
          .name = AsText(r[2]),
          .unit = AsText(r[3]),
          .phone = AsText(r[4]),
          .appointed_on = AsText(r[5]),
          .appointed_by = AsText(r[6]),
          .ended_on = AsText(r[7]),
          .end_reason = AsText(r[8]),
          .created_at = AsInt(r[9]),
          .region = AsText(r[10]),
          .enterprise_name = AsText(r[11]),
          .industry = AsText(r[12]),
          .visits = AsInt(r[13]),
          .last_visit = AsText(r[14])};
}

template <typename T>
Result<std::optional<T>> First(Result<std::vector<T>> rows) {
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<T>();
  return std::optional<T>(std::move(rows->front()));
}

Result<std::optional<InspectionTask>> OneTask(Connection& conn, std::int64_t id) {
  return First(Collect<InspectionTask>(
      conn.Query(fmt::format("SELECT {}{} WHERE t.id = ?", kTaskColumns, kTaskFrom), {id}), RowToTask));
}

Result<std::optional<InspectionFinding>> OneFinding(Connection& conn, std::int64_t id) {
  return First(Collect<InspectionFinding>(
      conn.Query(fmt::format("SELECT {}{} WHERE f.id = ?", kFindingColumns, kFindingFrom), {id}), RowToFinding));
}

Status AddEvent(Connection& conn, std::int64_t finding_id, const FindingEvent& e) {
  auto inserted = conn.Query(
      "INSERT INTO inspection_finding_events (finding_id, kind, level, actor, note, state, at) VALUES (?, ?, ?, ?, ?, "
      "?, ?) RETURNING id",
      {finding_id, e.kind, e.level, e.actor, e.note, e.state, e.at});
  if (!inserted.ok()) return inserted.status();
  return LinkEventAttachments(conn, "inspection_finding_attachments", "finding_id", AsInt(inserted->rows.at(0).at(0)),
                              finding_id, e.attachments);
}

}  // namespace

Result<InspectionPlan> SqlInspections::CreateInspectionPlan(const InspectionPlan& plan) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  Transaction tx(**conn, db_.dialect());
  KILN_RETURN_IF_ERROR(tx.begun());
  auto inserted = (*conn)->Query(
      "INSERT INTO inspection_plans (kind, title, region, starts_on, ends_on, focus, created_by, created_at) VALUES "
      "(?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {plan.kind, plan.title, plan.region, plan.starts_on, plan.ends_on, plan.focus, plan.created_by, plan.created_at});
  if (!inserted.ok()) return inserted.status();
  auto id = AsInt(inserted->rows.at(0).at(0));
  for (const auto& team : plan.teams) {
    KILN_RETURN_IF_ERROR(
        (*conn)->Exec("INSERT INTO inspection_teams (plan_id, name, leader, members) VALUES (?, ?, ?, ?)",
                      {id, team.name, team.leader, team.members}));
  }
  KILN_RETURN_IF_ERROR(tx.Commit());
  auto saved = GetInspectionPlan(id);
  if (!saved.ok()) return saved.status();
  if (!*saved) return Status::Internal(fmt::format("inspection plan {} vanished", id));
  return **saved;
}

Result<std::pair<std::vector<InspectionPlan>, std::int64_t>> SqlInspections::ListInspectionPlans(
    const std::string& region_prefix, const std::vector<std::string>& above, int page, int page_size) {
  std::string where = "(p.region LIKE ?";
  std::vector<Value> params = {region_prefix + "%"};
  for (const auto& region : above) {
    where += " OR p.region = ?";
    params.emplace_back(region);
  }
  where += ")";
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  auto count = (*conn)->Query(fmt::format("SELECT count(*) FROM inspection_plans p WHERE {}", where), params);
  if (!count.ok()) return count.status();
  params.emplace_back(std::int64_t{page_size});
  params.emplace_back(std::int64_t{(page - 1) * page_size});
  auto rows = Collect<InspectionPlan>(
      (*conn)->Query(fmt::format("SELECT {} FROM inspection_plans p WHERE {} ORDER BY p.starts_on DESC, p.id DESC "
                                 "LIMIT ? OFFSET ?",
                                 kPlanColumns, where),
                     params),
      RowToPlan);
  if (!rows.ok()) return rows.status();
  return std::pair{std::move(*rows), AsInt(count->rows.at(0).at(0))};
}

Result<std::optional<InspectionPlan>> SqlInspections::GetInspectionPlan(std::int64_t id) {
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  auto plan = First(Collect<InspectionPlan>(
      (*conn)->Query(fmt::format("SELECT {} FROM inspection_plans p WHERE p.id = ?", kPlanColumns), {id}), RowToPlan));
  if (!plan.ok() || !*plan) return plan;
  auto teams = Collect<InspectionTeam>(
      (*conn)->Query("SELECT id, plan_id, name, leader, members FROM inspection_teams WHERE plan_id = ? ORDER BY id",
                     {id}),
      [](const SqlRow& r) {
        return InspectionTeam{.id = AsInt(r[0]),
                              .plan_id = AsInt(r[1]),
                              .name = AsText(r[2]),
                              .leader = AsText(r[3]),
                              .members = AsText(r[4])};
      });
  if (!teams.ok()) return teams.status();
  (*plan)->teams = std::move(*teams);
  return plan;
}

Result<std::vector<InspectionTask>> SqlInspections::AddInspectionTasks(const std::vector<InspectionTask>& tasks) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  Transaction tx(**conn, db_.dialect());
  KILN_RETURN_IF_ERROR(tx.begun());
  std::vector<std::int64_t> ids;
  ids.reserve(tasks.size());
  for (const auto& t : tasks) {
    auto taken = (*conn)->Query("SELECT id FROM inspection_tasks WHERE plan_id = ? AND enterprise_id = ?",
                                {t.plan_id, t.enterprise_id});
    if (!taken.ok()) return taken.status();
    if (!taken->rows.empty()) {
      return Status::Conflict(
          fmt::format("enterprise {} already has task {} in this plan", t.enterprise_id, AsInt(taken->rows[0][0])),
          {{"enterprise_id", fmt::format("enterprise {} already has a task in this plan", t.enterprise_id)}});
    }
    auto inserted = (*conn)->Query(
        "INSERT INTO inspection_tasks (plan_id, team_id, enterprise_id, selection, reason, status, created_by, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'assigned', ?, ?, ?) RETURNING id",
        {t.plan_id, OrNull(t.team_id), t.enterprise_id, t.selection, t.reason, t.created_by, t.created_at,
         t.created_at});
    if (!inserted.ok()) return inserted.status();
    ids.push_back(AsInt(inserted->rows.at(0).at(0)));
  }
  std::vector<InspectionTask> out;
  out.reserve(ids.size());
  for (auto id : ids) {
    auto saved = OneTask(**conn, id);
    if (!saved.ok()) return saved.status();
    if (*saved) out.push_back(std::move(**saved));
  }
  KILN_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<std::pair<std::vector<InspectionTask>, std::int64_t>> SqlInspections::ListInspectionTasks(
    const InspectionTaskQuery& q) {
  std::string where = "e.region LIKE ?";
  std::vector<Value> params = {q.region_prefix + "%"};
  if (q.plan_id) {
    where += " AND t.plan_id = ?";
    params.emplace_back(*q.plan_id);
  }
  if (q.enterprise_id) {
    where += " AND t.enterprise_id = ?";
    params.emplace_back(*q.enterprise_id);
  }
  if (!q.status.empty()) {
    where += " AND t.status = ?";
    params.emplace_back(q.status);
  }
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  auto count = (*conn)->Query(fmt::format("SELECT count(*){} WHERE {}", kTaskFrom, where), params);
  if (!count.ok()) return count.status();
  params.emplace_back(std::int64_t{q.page_size});
  params.emplace_back(std::int64_t{(q.page - 1) * q.page_size});
  auto rows = Collect<InspectionTask>(
      (*conn)->Query(fmt::format("SELECT {}{} WHERE {} ORDER BY CASE WHEN t.status = 'assigned' THEN 0 ELSE 1 END, "
                                 "t.id LIMIT ? OFFSET ?",
                                 kTaskColumns, kTaskFrom, where),
                     params),
      RowToTask);
  if (!rows.ok()) return rows.status();
  return std::pair{std::move(*rows), AsInt(count->rows.at(0).at(0))};
}

Result<std::optional<InspectionTask>> SqlInspections::GetInspectionTask(std::int64_t id) {
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  return OneTask(**conn, id);
}

Result<InspectionTask> SqlInspections::RecordInspectionVisit(std::int64_t task_id, const InspectionTask& visit,
                                                             const std::vector<InspectionFinding>& findings,
                                                             const std::vector<FindingEvent>& events) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  Transaction tx(**conn, db_.dialect());
  KILN_RETURN_IF_ERROR(tx.begun());
  auto moved = (*conn)->Query(
      "UPDATE inspection_tasks SET status = 'visited', visited_on = ?, summary = ?, visited_by = ?, updated_at = ? "
      "WHERE id = ? AND status = 'assigned'",
      {visit.visited_on, visit.summary, visit.visited_by, visit.updated_at, task_id});
  if (!moved.ok()) return moved.status();
  if (moved->affected == 0) {
    return Status::Conflict(fmt::format("inspection task {} was visited already", task_id),
                            {{"status", "the visit is recorded already"}});
  }
  for (std::size_t k = 0; k < findings.size(); ++k) {
    const auto& f = findings[k];
    auto inserted = (*conn)->Query(
        "INSERT INTO inspection_findings (task_id, plan_id, enterprise_id, category, description, severity, "
        "requirement, deadline, state, recorded_by, recorded_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', "
        "?, ?, ?) RETURNING id",
        {task_id, f.plan_id, f.enterprise_id, f.category, f.description, f.severity, f.requirement, f.deadline,
         f.recorded_by, f.recorded_at, f.recorded_at});
    if (!inserted.ok()) return inserted.status();
    KILN_RETURN_IF_ERROR(AddEvent(**conn, AsInt(inserted->rows.at(0).at(0)), events.at(k)));
  }
  auto saved = OneTask(**conn, task_id);
  if (!saved.ok()) return saved.status();
  if (!*saved) return Status::Internal(fmt::format("inspection task {} vanished", task_id));
  KILN_RETURN_IF_ERROR(tx.Commit());
  return **saved;
}

Result<std::vector<InspectionFinding>> SqlInspections::ListFindings(std::optional<std::int64_t> task_id,
                                                                    std::optional<std::int64_t> enterprise_id) {
  std::string where = "1 = 1";
  std::vector<Value> params;
  if (task_id) {
    where += " AND f.task_id = ?";
    params.emplace_back(*task_id);
  }
  if (enterprise_id) {
    where += " AND f.enterprise_id = ?";
    params.emplace_back(*enterprise_id);
  }
  return ReadAll<InspectionFinding>(
      db_, fmt::format("SELECT {}{} WHERE {} ORDER BY f.id", kFindingColumns, kFindingFrom, where), params,
      RowToFinding);
}

Result<std::optional<InspectionFinding>> SqlInspections::GetFinding(std::int64_t id) {
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  return OneFinding(**conn, id);
}

Result<std::vector<FindingEvent>> SqlInspections::FindingEvents(std::int64_t finding_id) {
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  auto events = Collect<FindingEvent>(
      (*conn)->Query("SELECT id, finding_id, kind, level, actor, note, state, at FROM inspection_finding_events WHERE "
                     "finding_id = ? ORDER BY id",
                     {finding_id}),
      [](const SqlRow& r) {
        return FindingEvent{.id = AsInt(r[0]),
                            .finding_id = AsInt(r[1]),
                            .kind = AsText(r[2]),
                            .level = AsText(r[3]),
                            .actor = AsText(r[4]),
                            .note = AsText(r[5]),
                            .state = AsText(r[6]),
                            .at = AsInt(r[7])};
      });
  if (!events.ok()) return events.status();
  auto links = EventAttachments(**conn, "inspection_finding_attachments", "finding_id", finding_id);
  if (!links.ok()) return links.status();
  for (auto& e : *events) {
    if (auto it = links->find(e.id); it != links->end()) e.attachments = it->second;
  }
  return events;
}

Result<InspectionFinding> SqlInspections::AddFindingEvent(std::int64_t id, const std::string& from_state,
                                                          const FindingEvent& event) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  Transaction tx(**conn, db_.dialect());
  KILN_RETURN_IF_ERROR(tx.begun());
  auto moved = (*conn)->Query("UPDATE inspection_findings SET state = ?, updated_at = ? WHERE id = ? AND state = ?",
                              {event.state, event.at, id, from_state});
  if (!moved.ok()) return moved.status();
  if (moved->affected == 0) {
    return Status::Conflict(fmt::format("finding {} is no longer {}", id, from_state),
                            {{"state", "changed meanwhile"}});
  }
  KILN_RETURN_IF_ERROR(AddEvent(**conn, id, event));
  auto saved = OneFinding(**conn, id);
  if (!saved.ok()) return saved.status();
  if (!*saved) return Status::Internal(fmt::format("finding {} vanished", id));
  KILN_RETURN_IF_ERROR(tx.Commit());
  return **saved;
}

Result<std::vector<std::int64_t>> SqlInspections::AttachmentFindings(const std::string& attachment_id) {
  return ReadAll<std::int64_t>(db_,
                               "SELECT DISTINCT finding_id FROM inspection_finding_attachments WHERE attachment_id = ? "
                               "ORDER BY finding_id",
                               {attachment_id}, [](const SqlRow& r) { return AsInt(r[0]); });
}

Result<IndicatorDeduction> SqlInspections::AddIndicatorDeduction(const IndicatorDeduction& d) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  auto inserted = (*conn)->Query(
      "INSERT INTO indicator_deductions (plan_id, finding_id, enterprise_id, region, indicator, year, amount, unit, "
      "reason, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {OrNull(d.plan_id), OrNull(d.finding_id), OrNull(d.enterprise_id), d.region, d.indicator, std::int64_t{d.year},
       d.amount, d.unit, d.reason, d.decided_by, d.decided_at});
  if (!inserted.ok()) return inserted.status();
  auto saved = First(Collect<IndicatorDeduction>(
      (*conn)->Query(fmt::format("SELECT {}{} WHERE d.id = ?", kDeductionColumns, kDeductionFrom),
                     {AsInt(inserted->rows.at(0).at(0))}),
      RowToDeduction));
  if (!saved.ok()) return saved.status();
  if (!*saved) return Status::Internal("an indicator deduction vanished");
  return **saved;
}

Result<std::vector<IndicatorDeduction>> SqlInspections::ListIndicatorDeductions(const std::string& region_prefix,
                                                                                int year,
                                                                                std::optional<std::int64_t> plan_id) {
  std::string where = "d.region LIKE ?";
  std::vector<Value> params = {region_prefix + "%"};
  if (year) {
    where += " AND d.year = ?";
    params.emplace_back(std::int64_t{year});
  }
  if (plan_id) {
    where += " AND d.plan_id = ?";
    params.emplace_back(*plan_id);
  }
  return ReadAll<IndicatorDeduction>(db_,
                                     fmt::format("SELECT {}{} WHERE {} ORDER BY d.decided_at DESC, d.id DESC",
                                                 kDeductionColumns, kDeductionFrom, where),
                                     params, RowToDeduction);
}

Result<ResidentSupervisor> SqlInspections::AppointSupervisor(const ResidentSupervisor& s) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  Transaction tx(**conn, db_.dialect());
  KILN_RETURN_IF_ERROR(tx.begun());
  auto same =
      (*conn)->Query("SELECT id FROM resident_supervisors WHERE enterprise_id = ? AND name = ? AND ended_on IS NULL",
                     {s.enterprise_id, s.name});
  if (!same.ok()) return same.status();
  if (!same->rows.empty()) {
    return Status::Conflict(fmt::format("{} is already the enterprise's resident supervisor", s.name),
                            {{"name", "is already appointed to this enterprise"}});
  }
  auto inserted = (*conn)->Query(
      "INSERT INTO resident_supervisors (enterprise_id, name, unit, phone, appointed_on, appointed_by, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {s.enterprise_id, s.name, s.unit, s.phone, s.appointed_on, s.appointed_by, s.created_at});
  if (!inserted.ok()) return inserted.status();
  auto id = AsInt(inserted->rows.at(0).at(0));
  auto saved = First(Collect<ResidentSupervisor>(
      (*conn)->Query(fmt::format("SELECT {}{} WHERE s.id = ?", kSupervisorColumns, kSupervisorFrom), {id}),
      RowToSupervisor));
  if (!saved.ok()) return saved.status();
  if (!*saved) return Status::Internal(fmt::format("resident supervisor {} vanished", id));
  KILN_RETURN_IF_ERROR(tx.Commit());
  return **saved;
}

Result<ResidentSupervisor> SqlInspections::EndSupervisor(std::int64_t id, const std::string& ended_on,
                                                         const std::string& reason) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  auto moved =
      (*conn)->Query("UPDATE resident_supervisors SET ended_on = ?, end_reason = ? WHERE id = ? AND ended_on IS NULL",
                     {ended_on, reason, id});
  if (!moved.ok()) return moved.status();
  if (moved->affected == 0) {
    return Status::Conflict(fmt::format("resident supervisor {}'s appointment ended already", id),
                            {{"ended_on", "the appointment ended already"}});
  }
  auto saved = First(Collect<ResidentSupervisor>(
      (*conn)->Query(fmt::format("SELECT {}{} WHERE s.id = ?", kSupervisorColumns, kSupervisorFrom), {id}),
      RowToSupervisor));
  if (!saved.ok()) return saved.status();
  if (!*saved) return Status::Internal(fmt::format("resident supervisor {} vanished", id));
  return **saved;
}

Result<std::optional<ResidentSupervisor>> SqlInspections::GetSupervisor(std::int64_t id) {
  return First(ReadAll<ResidentSupervisor>(
      db_, fmt::format("SELECT {}{} WHERE s.id = ?", kSupervisorColumns, kSupervisorFrom), {id}, RowToSupervisor));
}

Result<std::vector<ResidentSupervisor>> SqlInspections::ListSupervisors(const std::string& region_prefix,
                                                                        std::optional<std::int64_t> enterprise_id,
                                                                        bool active_only) {
  std::string where = "e.region LIKE ?";
  std::vector<Value> params = {region_prefix + "%"};
  if (enterprise_id) {
    where += " AND s.enterprise_id = ?";
    params.emplace_back(*enterprise_id);
  }
  if (active_only) where += " AND s.ended_on IS NULL";
  return ReadAll<ResidentSupervisor>(
      db_,
      fmt::format("SELECT {}{} WHERE {} ORDER BY CASE WHEN s.ended_on IS NULL THEN 0 ELSE 1 END, e.region, s.id",
                  kSupervisorColumns, kSupervisorFrom, where),
      params, RowToSupervisor);
}

Result<SupervisorVisit> SqlInspections::AddSupervisorVisit(const SupervisorVisit& v) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  auto inserted = (*conn)->Query(
      "INSERT INTO supervisor_visits (supervisor_id, enterprise_id, visited_on, output_t, meters_ok, note, "
      "recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {v.supervisor_id, v.enterprise_id, v.visited_on, v.output_t ? Value(*v.output_t) : Value(),
       std::int64_t{v.meters_ok ? 1 : 0}, v.note, v.recorded_by, v.recorded_at});
  if (!inserted.ok()) return inserted.status();
  SupervisorVisit out = v;
  out.id = AsInt(inserted->rows.at(0).at(0));
  return out;
}

Result<std::vector<SupervisorVisit>> SqlInspections::SupervisorVisits(std::int64_t supervisor_id) {
  return ReadAll<SupervisorVisit>(
      db_,
      "SELECT id, supervisor_id, enterprise_id, visited_on, output_t, meters_ok, note, recorded_by, recorded_at FROM "
      "supervisor_visits WHERE supervisor_id = ? ORDER BY visited_on DESC, id DESC",
      {supervisor_id}, [](const SqlRow& r) {
        return SupervisorVisit{.id = AsInt(r[0]),
                               .supervisor_id = AsInt(r[1]),
                               .enterprise_id = AsInt(r[2]),
                               .visited_on = AsText(r[3]),
                               .output_t = core::IsNull(r[4]) ? std::nullopt : std::optional(AsReal(r[4])),
                               .meters_ok = AsInt(r[5]) != 0,
                               .note = AsText(r[6]),
                               .recorded_by = AsText(r[7]),
                               .recorded_at = AsInt(r[8])};
      });
}

}  // namespace kiln::storage
