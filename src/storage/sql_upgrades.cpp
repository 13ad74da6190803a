#include "storage/sql_upgrades.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "storage/event_attachments.hpp"
#include "storage/sql_reviews.hpp"

namespace kiln::storage {

using core::Result;
using core::Status;
using core::Value;

namespace {

constexpr const char* kColumns =
    "u.id, u.enterprise_id, u.status, u.content, u.start_month, u.completion_due, u.expected_saving_tce, u.progress, "
    "u.completed_on, u.measured, u.measured_saving_tce, u.filed_by, u.filed_at, u.updated_at, u.accepted_at, "
    "e.region, e.name, e.industry";
constexpr const char* kFrom = " FROM upgrade_plans u JOIN enterprises e ON e.id = u.enterprise_id";

UpgradePlan RowToPlan(const SqlRow& r) {
  UpgradePlan p;
  p.id = AsInt(r[0]);
  p.enterprise_id = AsInt(r[1]);
  p.status = AsText(r[2]);
  p.content = AsText(r[3]);
  p.start_month = AsText(r[4]);
  p.completion_due = AsText(r[5]);
  p.expected_saving_tce = AsReal(r[6]);
  p.progress = static_cast<int>(AsInt(r[7]));
  p.completed_on = AsText(r[8]);
  p.measured = AsText(r[9]);
  if (!core::IsNull(r[10])) p.measured_saving_tce = AsReal(r[10]);
  p.filed_by = AsText(r[11]);
  p.filed_at = AsInt(r[12]);
  p.updated_at = AsInt(r[13]);
  if (!core::IsNull(r[14])) p.accepted_at = AsInt(r[14]);
  p.region = AsText(r[15]);
  p.enterprise_name = AsText(r[16]);
  p.industry = AsText(r[17]);
  return p;
}

// Each plan's projects, in id order.
Status LoadProjects(Connection& conn, std::vector<UpgradePlan>& plans) {
  if (plans.empty()) return {};
  std::string ids;
  std::vector<Value> params;
  for (const auto& p : plans) {
    ids += ids.empty() ? "?" : ", ?";
    params.emplace_back(p.id);
  }
  auto rows = conn.Query(
      fmt::format("SELECT plan_id, project_id FROM upgrade_plan_projects WHERE plan_id IN ({}) ORDER BY project_id",
                  ids),
      params);
  if (!rows.ok()) return rows.status();
  for (const auto& row : rows->rows) {
    auto plan_id = AsInt(row[0]);
    for (auto& p : plans) {
      if (p.id == plan_id) p.project_ids.push_back(AsInt(row[1]));
    }
  }
  return {};
}

Result<std::optional<UpgradePlan>> OnePlan(Connection& conn, std::int64_t id) {
  auto rows =
      Collect<UpgradePlan>(conn.Query(fmt::format("SELECT {}{} WHERE u.id = ?", kColumns, kFrom), {id}), RowToPlan);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<UpgradePlan>();
  KILN_RETURN_IF_ERROR(LoadProjects(conn, *rows));
  return std::optional<UpgradePlan>(std::move(rows->front()));
}

Status AddEvent(Connection& conn, std::int64_t plan_id, const UpgradePlanEvent& e) {
  auto inserted = conn.Query(
      "INSERT INTO upgrade_plan_events (plan_id, kind, level, actor, note, status, progress, at) VALUES (?, ?, ?, ?, "
      "?, ?, ?, ?) RETURNING id",
      {plan_id, e.kind, e.level, e.actor, e.note, e.status, std::int64_t{e.progress}, e.at});
  if (!inserted.ok()) return inserted.status();
  return LinkEventAttachments(conn, "upgrade_plan_attachments", "plan_id", AsInt(inserted->rows.at(0).at(0)), plan_id,
                              e.attachments);
}

// The projects of `plan_id` become `project_ids`; kConflict when one is in another plan not yet accepted.
Status SetProjects(Connection& conn, std::int64_t plan_id, const std::vector<std::int64_t>& project_ids) {
  KILN_RETURN_IF_ERROR(conn.Exec("DELETE FROM upgrade_plan_projects WHERE plan_id = ?", {plan_id}));
  for (auto project_id : project_ids) {
    auto other = conn.Query(
        "SELECT u.id FROM upgrade_plan_projects pp JOIN upgrade_plans u ON u.id = pp.plan_id WHERE pp.project_id = ? "
        "AND u.status <> 'accepted' AND u.id <> ?",
        {project_id, plan_id});
    if (!other.ok()) return other.status();
    if (!other->rows.empty()) {
      return Status::Conflict(fmt::format("project {} is in upgrade plan {}", project_id, AsInt(other->rows[0][0])),
                              {{"projects", fmt::format("project {} is already in upgrade plan {}", project_id,
                                                        AsInt(other->rows[0][0]))}});
    }
    KILN_RETURN_IF_ERROR(
        conn.Exec("INSERT INTO upgrade_plan_projects (plan_id, project_id) VALUES (?, ?)", {plan_id, project_id}));
  }
  return {};
}

Result<std::string> StatusOf(Connection& conn, std::int64_t plan_id) {
  auto current = conn.Query("SELECT status, progress FROM upgrade_plans WHERE id = ?", {plan_id});
  if (!current.ok()) return current.status();
  if (current->rows.empty()) return Status::NotFound(fmt::format("upgrade plan {} not found", plan_id));
  return AsText(current->rows[0][0]);
}

}  // namespace

Result<std::pair<UpgradePlan, ReviewItem>> SqlUpgrades::FileUpgradePlan(const UpgradePlan& p,
                                                                        const UpgradePlanEvent& event,
                                                                        const ReviewItem& item,
                                                                        const ReviewStep& step) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  Transaction tx(**conn, db_.dialect());
  KILN_RETURN_IF_ERROR(tx.begun());
  auto open = (*conn)->Query("SELECT id FROM upgrade_plans WHERE enterprise_id = ? AND status <> 'accepted'",
                             {p.enterprise_id});
  if (!open.ok()) return open.status();
  if (!open->rows.empty()) {
    auto other = AsInt(open->rows[0][0]);
    return Status::Conflict(
        fmt::format("the enterprise already has upgrade plan {}", other),
        {{"enterprise", fmt::format("has upgrade plan {}; one plan per enterprise until it is accepted", other)}});
  }
  auto inserted = (*conn)->Query(
      "INSERT INTO upgrade_plans (enterprise_id, status, content, start_month, completion_due, expected_saving_tce, "
      "progress, filed_by, filed_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?) RETURNING id",
      {p.enterprise_id, p.status, p.content, p.start_month, p.completion_due, p.expected_saving_tce, p.filed_by,
       event.at, event.at});
  if (!inserted.ok()) return inserted.status();
  auto id = AsInt(inserted->rows.at(0).at(0));
  KILN_RETURN_IF_ERROR(SetProjects(**conn, id, p.project_ids));
  KILN_RETURN_IF_ERROR(AddEvent(**conn, id, event));
  auto saved = OnePlan(**conn, id);
  if (!saved.ok()) return saved.status();
  if (!*saved) return Status::Internal(fmt::format("upgrade plan {} vanished", id));
  ReviewItem filing = item;
  auto content = nlohmann::json::parse(item.content, nullptr, false);
  if (!content.is_object()) return Status::Internal("an upgrade plan's review content is not a JSON object");
  content["plan_id"] = id;
  filing.content = content.dump();
  auto filed = InsertReviewItem(**conn, filing, step, true);
  if (!filed.ok()) return filed.status();
  KILN_RETURN_IF_ERROR(tx.Commit());
  return std::pair{std::move(**saved), std::move(*filed)};
}

Result<UpgradePlan> SqlUpgrades::AddUpgradePlanEvent(std::int64_t id, const std::string& from_status,
                                                     core::UnixMillis seen_updated_at, const UpgradePlanEvent& event,
                                                     const std::optional<std::string>& completed_on) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  Transaction tx(**conn, db_.dialect());
  KILN_RETURN_IF_ERROR(tx.begun());
  std::string set = "status = ?, progress = ?, updated_at = ?";
  std::vector<Value> params = {event.status, std::int64_t{event.progress}, event.at};
  if (completed_on) {
    set += ", completed_on = ?";
    params.emplace_back(*completed_on);
  }
  params.insert(params.end(), {id, from_status, seen_updated_at});
  auto moved = (*conn)->Query(
      fmt::format("UPDATE upgrade_plans SET {} WHERE id = ? AND status = ? AND updated_at = ?", set), params);
  if (!moved.ok()) return moved.status();
  if (moved->affected == 0) {
    return Status::Conflict(fmt::format("upgrade plan {} changed meanwhile", id), {{"status", "changed meanwhile"}});
  }
  KILN_RETURN_IF_ERROR(AddEvent(**conn, id, event));
  auto saved = OnePlan(**conn, id);
  if (!saved.ok()) return saved.status();
  if (!*saved) return Status::Internal(fmt::format("upgrade plan {} vanished", id));
  KILN_RETURN_IF_ERROR(tx.Commit());
  return **saved;
}

Result<std::optional<UpgradePlan>> SqlUpgrades::GetUpgradePlan(std::int64_t id) {
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  return OnePlan(**conn, id);
}

Result<std::pair<std::vector<UpgradePlan>, std::int64_t>> SqlUpgrades::ListUpgradePlans(const UpgradePlanQuery& q) {
  std::string where = "e.region LIKE ?";
  std::vector<Value> params = {q.region_prefix + "%"};
  if (q.enterprise_id) {
    where += " AND u.enterprise_id = ?";
    params.emplace_back(*q.enterprise_id);
  }
  if (!q.status.empty()) {
    where += " AND u.status = ?";
    params.emplace_back(q.status);
  }
  if (!q.industry.empty()) {
    where += " AND e.industry = ?";
    params.emplace_back(q.industry);
  }
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  auto count = (*conn)->Query(fmt::format("SELECT count(*){} WHERE {}", kFrom, where), params);
  if (!count.ok()) return count.status();
  params.emplace_back(std::int64_t{q.page_size});
  params.emplace_back(std::int64_t{(q.page - 1) * q.page_size});
  // Plans still at work by their completion date (the most urgent first), then the accepted, newest first.
  auto rows = Collect<UpgradePlan>(
      (*conn)->Query(fmt::format("SELECT {}{} WHERE {} ORDER BY CASE WHEN u.status = 'accepted' THEN 1 ELSE 0 END, "
                                 "CASE WHEN u.status = 'accepted' THEN '' ELSE u.completion_due END, u.accepted_at "
                                 "DESC, u.id LIMIT ? OFFSET ?",
                                 kColumns, kFrom, where),
                     params),
      RowToPlan);
  if (!rows.ok()) return rows.status();
  KILN_RETURN_IF_ERROR(LoadProjects(**conn, *rows));
  return std::pair{std::move(*rows), AsInt(count->rows.at(0).at(0))};
}

Result<std::vector<UpgradePlanEvent>> SqlUpgrades::UpgradePlanEvents(std::int64_t id) {
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  auto events = Collect<UpgradePlanEvent>(
      (*conn)->Query("SELECT id, plan_id, kind, level, actor, note, status, progress, at FROM upgrade_plan_events "
                     "WHERE plan_id = ? ORDER BY id",
                     {id}),
      [](const SqlRow& r) {
        return UpgradePlanEvent{.id = AsInt(r[0]),
                                .plan_id = AsInt(r[1]),
                                .kind = AsText(r[2]),
                                .level = AsText(r[3]),
                                .actor = AsText(r[4]),
                                .note = AsText(r[5]),
                                .status = AsText(r[6]),
                                .progress = static_cast<int>(AsInt(r[7])),
                                .at = AsInt(r[8])};
      });
  if (!events.ok()) return events.status();
  auto links = EventAttachments(**conn, "upgrade_plan_attachments", "plan_id", id);
  if (!links.ok()) return links.status();
  for (auto& e : *events) {
    if (auto it = links->find(e.id); it != links->end()) e.attachments = it->second;
  }
  return events;
}

Result<std::vector<std::int64_t>> SqlUpgrades::AttachmentUpgradePlans(const std::string& attachment_id) {
  return ReadAll<std::int64_t>(
      db_, "SELECT DISTINCT plan_id FROM upgrade_plan_attachments WHERE attachment_id = ? ORDER BY plan_id",
      {attachment_id}, [](const SqlRow& r) { return AsInt(r[0]); });
}

Status ApproveUpgradePlan(Connection& conn, std::int64_t plan_id, const UpgradePlan& approved, const std::string& actor,
                          const std::string& level, const std::string& note, core::UnixMillis at) {
  auto status = StatusOf(conn, plan_id);
  if (!status.ok()) return status.status();
  if (*status != "filed") {
    return Status::Conflict(fmt::format("upgrade plan {} is {}; only a filed plan is approved", plan_id, *status),
                            {{"status", "is " + *status}});
  }
  KILN_RETURN_IF_ERROR(
      conn.Exec("UPDATE upgrade_plans SET status = 'in_progress', content = ?, completion_due = ?, "
                "expected_saving_tce = ?, updated_at = ? WHERE id = ?",
                {approved.content, approved.completion_due, approved.expected_saving_tce, at, plan_id}));
  KILN_RETURN_IF_ERROR(SetProjects(conn, plan_id, approved.project_ids));
  return AddEvent(
      conn, plan_id,
      {.kind = "approved", .level = level, .actor = actor, .note = note, .status = "in_progress", .at = at});
}

Status AcceptUpgradePlan(Connection& conn, std::int64_t plan_id, const std::string& measured,
                         double measured_saving_tce, const std::string& actor, const std::string& level,
                         const std::string& note, core::UnixMillis at) {
  auto status = StatusOf(conn, plan_id);
  if (!status.ok()) return status.status();
  if (*status != "completed") {
    return Status::Conflict(fmt::format("upgrade plan {} is {}; only a completed plan is accepted", plan_id, *status),
                            {{"status", "is " + *status}});
  }
  KILN_RETURN_IF_ERROR(
      conn.Exec("UPDATE upgrade_plans SET status = 'accepted', progress = 100, measured = ?, measured_saving_tce = ?, "
                "accepted_at = ?, updated_at = ? WHERE id = ?",
                {measured, measured_saving_tce, at, at, plan_id}));
  return AddEvent(conn, plan_id,
                  {.kind = "accepted",
                   .level = level,
                   .actor = actor,
                   .note = note,
                   .status = "accepted",
                   .progress = 100,
                   .at = at});
}

}  // namespace kiln::storage
