#include "storage/sql_reports.hpp"

#include "storage/sql_reviews.hpp"

#include <fmt/format.h>

namespace kiln::storage {
namespace {

using core::Result;
using core::Status;
using core::Value;

const char* kReportColumns =
    "r.id, r.enterprise_id, r.kind, r.period, r.status, r.version, r.draft, r.explanation, r.due_at, r.created_at, "
    "r.updated_at, r.first_submitted_at, r.submitted_at, e.name, e.region, e.industry";

std::optional<core::UnixMillis> OptionalInt(const Value& v) {
  if (core::IsNull(v)) return std::nullopt;
  return AsInt(v);
}

Report RowToReport(const SqlRow& r) {
  Report out;
  out.id = AsInt(r[0]);
  out.enterprise_id = AsInt(r[1]);
  out.kind = AsText(r[2]);
  out.period = AsText(r[3]);
  out.status = AsText(r[4]);
  out.version = static_cast<int>(AsInt(r[5]));
  out.draft = AsText(r[6]);
  out.explanation = AsText(r[7]);
  out.due_at = AsInt(r[8]);
  out.created_at = AsInt(r[9]);
  out.updated_at = AsInt(r[10]);
  out.first_submitted_at = OptionalInt(r[11]);
  out.submitted_at = OptionalInt(r[12]);
  out.enterprise_name = AsText(r[13]);
  out.region = AsText(r[14]);
  out.industry = AsText(r[15]);
  return out;
}

Status AddAction(Connection& c, std::int64_t report_id, const ReportAction& a) {
  return c.Exec(
      "INSERT INTO report_actions (report_id, version, action, level, actor, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {report_id, std::int64_t{a.version}, a.action, a.level, a.actor, a.reason, a.at});
}

}  // namespace

Result<std::optional<Report>> SqlReports::One(Connection& conn, const std::string& where,
                                              const std::vector<Value>& params) {
  auto rows = Collect<Report>(
      conn.Query(fmt::format("SELECT {} FROM reports r JOIN enterprises e ON e.id = r.enterprise_id WHERE {}",
                             kReportColumns, where),
                 params),
      RowToReport);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<Report>();
  return std::optional<Report>(std::move(rows->front()));
}

Result<std::optional<Report>> SqlReports::FindReport(std::int64_t enterprise_id, const std::string& kind,
                                                     const std::string& period) {
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  return One(**conn, "r.enterprise_id = ? AND r.kind = ? AND r.period = ?", {enterprise_id, kind, period});
}

Result<std::optional<Report>> SqlReports::GetReport(std::int64_t id) {
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  return One(**conn, "r.id = ?", {id});
}

Result<Report> SqlReports::SaveReportDraft(const Report& report, const std::optional<ReportAction>& action) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  Transaction tx(**conn, db_.dialect());
  KILN_RETURN_IF_ERROR(tx.begun());
  auto existing = One(**conn, "r.enterprise_id = ? AND r.kind = ? AND r.period = ?",
                      {report.enterprise_id, report.kind, report.period});
  if (!existing.ok()) return existing.status();
  std::int64_t id = 0;
  if (!*existing) {
    auto r = (*conn)->Query(
        "INSERT INTO reports (enterprise_id, kind, period, status, version, draft, explanation, due_at, created_at, "
        "updated_at) VALUES (?, ?, ?, 'draft', 0, ?, ?, ?, ?, ?) RETURNING id",
        {report.enterprise_id, report.kind, report.period, report.draft, report.explanation, report.due_at,
         report.updated_at, report.updated_at});
    if (!r.ok()) return r.status();
    id = AsInt(r->rows.at(0).at(0));
  } else {
    id = (*existing)->id;
    auto r = (*conn)->Query(
        "UPDATE reports SET draft = ?, explanation = ?, updated_at = ? WHERE id = ? AND status IN ('draft', "
        "'returned')",
        {report.draft, report.explanation, report.updated_at, id});
    if (!r.ok()) return r.status();
    if (r->affected == 0) {
      return Status::Conflict(fmt::format("the report is {} and cannot be edited", (*existing)->status),
                              {{"status", "is " + (*existing)->status}});
    }
  }
  if (action) KILN_RETURN_IF_ERROR(AddAction(**conn, id, *action));
  auto saved = One(**conn, "r.id = ?", {id});
  if (!saved.ok()) return saved.status();
  KILN_RETURN_IF_ERROR(tx.Commit());
  return **saved;
}

Result<Report> SqlReports::TransitionReport(std::int64_t id, const std::string& from, const std::string& to,
                                            const ReportAction& action, const std::optional<ReportVersion>& version) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  Transaction tx(**conn, db_.dialect());
  KILN_RETURN_IF_ERROR(tx.begun());
  Result<SqlResult> moved = Status::Internal("unset");
  if (version) {
    moved = (*conn)->Query(
        "UPDATE reports SET status = ?, version = ?, submitted_at = ?, first_submitted_at = "
        "COALESCE(first_submitted_at, ?), "
        "draft = ?, explanation = ?, updated_at = ? WHERE id = ? AND status = ?",
        {to, std::int64_t{version->version}, version->submitted_at, version->submitted_at, version->content,
         version->explanation, action.at, id, from});
  } else {
    moved = (*conn)->Query("UPDATE reports SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
                           {to, action.at, id, from});
  }
  if (!moved.ok()) return moved.status();
  if (moved->affected == 0) {
    return Status::Conflict(fmt::format("the report is no longer {}", from), {{"status", "changed meanwhile"}});
  }
  if (version) {
    KILN_RETURN_IF_ERROR((*conn)->Exec(
        "INSERT INTO report_versions (report_id, version, content, explanation, comprehensive_tce, factors, "
        "submitted_by, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {id, std::int64_t{version->version}, version->content, version->explanation, version->comprehensive_tce,
         version->factors, version->submitted_by, version->submitted_at}));
  }
  KILN_RETURN_IF_ERROR(AddAction(**conn, id, action));
  auto saved = One(**conn, "r.id = ?", {id});
  if (!saved.ok()) return saved.status();
  KILN_RETURN_IF_ERROR(MirrorReportReview(**conn, **saved, action.actor));
  KILN_RETURN_IF_ERROR(tx.Commit());
  return **saved;
}

Result<std::vector<ReportVersion>> SqlReports::ReportVersions(std::int64_t id) {
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  return Collect<ReportVersion>(
      (*conn)->Query("SELECT version, content, explanation, comprehensive_tce, factors, submitted_by, submitted_at "
                     "FROM report_versions WHERE report_id = ? ORDER BY version",
                     {id}),
      [](const SqlRow& r) {
        return ReportVersion{static_cast<int>(AsInt(r[0])),
                             AsText(r[1]),
                             AsText(r[2]),
                             AsReal(r[3]),
                             AsText(r[4]),
                             AsText(r[5]),
                             AsInt(r[6])};
      });
}

Result<std::vector<ReportAction>> SqlReports::ReportActions(std::int64_t id) {
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  return Collect<ReportAction>(
      (*conn)->Query("SELECT id, version, action, level, actor, reason, at FROM report_actions WHERE report_id = ? "
                     "ORDER BY id",
                     {id}),
      [](const SqlRow& r) {
        return ReportAction{
            AsInt(r[0]), static_cast<int>(AsInt(r[1])), AsText(r[2]), AsText(r[3]), AsText(r[4]), AsText(r[5]),
            AsInt(r[6])};
      });
}

Result<std::pair<std::vector<Report>, std::int64_t>> SqlReports::ListReports(const ReportListQuery& q) {
  std::string where = "e.region LIKE ?";
  std::vector<Value> params = {q.region_prefix + "%"};
  if (q.enterprise_id) {
    where += " AND r.enterprise_id = ?";
    params.emplace_back(*q.enterprise_id);
  }
  if (!q.kind.empty()) {
    where += " AND r.kind = ?";
    params.emplace_back(q.kind);
  }
  if (!q.period.empty()) {
    where += " AND r.period = ?";
    params.emplace_back(q.period);
  }
  if (!q.statuses.empty()) {
    where += " AND r.status IN (";
    for (size_t i = 0; i < q.statuses.size(); ++i) {
      where += i ? ", ?" : "?";
      params.emplace_back(q.statuses[i]);
    }
    where += ")";
  }
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  auto count = (*conn)->Query(
      "SELECT COUNT(*) FROM reports r JOIN enterprises e ON e.id = r.enterprise_id WHERE " + where, params);
  if (!count.ok()) return count.status();
  auto page_params = params;
  page_params.emplace_back(std::int64_t{q.page_size});
  page_params.emplace_back(std::int64_t{(q.page - 1) * q.page_size});
  auto rows = Collect<Report>(
      (*conn)->Query(fmt::format("SELECT {} FROM reports r JOIN enterprises e ON e.id = r.enterprise_id WHERE {} "
                                 "ORDER BY r.period DESC, r.updated_at DESC, r.id DESC LIMIT ? OFFSET ?",
                                 kReportColumns, where),
                     page_params),
      RowToReport);
  if (!rows.ok()) return rows.status();
  return std::make_pair(std::move(rows).value(), AsInt(count->rows.at(0).at(0)));
}

Result<std::vector<ReportStanding>> SqlReports::ReportStandings(const std::string& region_prefix,
                                                                std::optional<std::int64_t> enterprise_id,
                                                                const std::string& kind, const std::string& period) {
  std::string sql =
      "SELECT e.id, e.name, e.region, COALESCE(r.status, ''), r.id, r.first_submitted_at FROM enterprises e "
      "LEFT JOIN reports r ON r.enterprise_id = e.id AND r.kind = ? AND r.period = ? WHERE e.region LIKE ? "
      // A delisted enterprise owes no report any more; one it filed still shows.
      "AND (e.list_status = 'listed' OR r.id IS NOT NULL)";
  std::vector<Value> params = {kind, period, region_prefix + "%"};
  if (enterprise_id) {
    sql += " AND e.id = ?";
    params.emplace_back(*enterprise_id);
  }
  sql += " ORDER BY e.region, e.name";
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  return Collect<ReportStanding>((*conn)->Query(sql, params), [](const SqlRow& r) {
    return ReportStanding{AsInt(r[0]), AsText(r[1]), AsText(r[2]), AsText(r[3]), OptionalInt(r[4]), OptionalInt(r[5])};
  });
}

}  // namespace kiln::storage
