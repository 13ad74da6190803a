#include "storage/sql_reviews.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/review_chain.hpp"
#include "storage/sql_upgrades.hpp"
#include "storage/sql_violations.hpp"

namespace kiln::storage {

using core::Result;
using core::Status;
using core::Value;

namespace {

constexpr const char* kColumns =
    "i.id, i.flow, i.subject_kind, i.subject_id, i.enterprise_id, COALESCE(e.region, i.region), i.subject_label, "
    "i.status, i.awaiting, i.filer, i.levels, i.version, i.content, i.filed_by, i.filed_at, i.due_at, i.updated_at, "
    "COALESCE(e.name, '')";
constexpr const char* kFrom = " FROM review_items i LEFT JOIN enterprises e ON e.id = i.enterprise_id";

ReviewItem RowToItem(const SqlRow& r) {
  ReviewItem out;
  out.id = AsInt(r[0]);
  out.flow = AsText(r[1]);
  out.subject_kind = AsText(r[2]);
  out.subject_id = AsInt(r[3]);
  if (!core::IsNull(r[4])) out.enterprise_id = AsInt(r[4]);
  out.region = AsText(r[5]);
  out.subject_label = AsText(r[6]);
  out.status = AsText(r[7]);
  out.awaiting = AsText(r[8]);
  out.filer = AsText(r[9]);
  out.levels = AsText(r[10]);
  out.version = static_cast<int>(AsInt(r[11]));
  out.content = AsText(r[12]);
  out.filed_by = AsText(r[13]);
  out.filed_at = AsInt(r[14]);
  if (!core::IsNull(r[15])) out.due_at = AsInt(r[15]);
  out.updated_at = AsInt(r[16]);
  out.enterprise_name = AsText(r[17]);
  return out;
}

Result<std::optional<ReviewItem>> OneItem(Connection& conn, std::int64_t id) {
  auto rows =
      Collect<ReviewItem>(conn.Query(fmt::format("SELECT {}{} WHERE i.id = ?", kColumns, kFrom), {id}), RowToItem);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<ReviewItem>();
  return std::optional<ReviewItem>(std::move(rows->front()));
}

Status AddStep(Connection& conn, std::int64_t item_id, const ReviewStep& s) {
  KILN_RETURN_IF_ERROR(conn.Exec(
      "INSERT INTO review_steps (item_id, version, action, level, actor, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {item_id, std::int64_t{s.version}, s.action, s.level, s.actor, s.reason, s.at}));
  for (const auto& a : s.attachments) {
    auto known = conn.Query("SELECT 1 FROM attachments WHERE id = ?", {a});
    if (!known.ok()) return known.status();
    if (known->rows.empty()) {
      return Status::InvalidArgument("unknown attachment", {{"attachments", a + " is not an uploaded attachment"}});
    }
    KILN_RETURN_IF_ERROR(conn.Exec(
        "INSERT INTO review_attachments (item_id, version, attachment_id) SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 "
        "FROM review_attachments WHERE item_id = ? AND version = ? AND attachment_id = ?)",
        {item_id, std::int64_t{s.version}, a, item_id, std::int64_t{s.version}, a}));
  }
  return {};
}

Status AddVersion(Connection& conn, std::int64_t item_id, int version, const std::string& content,
                  const ReviewStep& step) {
  return conn.Exec("INSERT INTO review_versions (item_id, version, content, filed_by, filed_at) VALUES (?, ?, ?, ?, ?)",
                   {item_id, std::int64_t{version}, content, step.actor, step.at});
}

// The approved fields of a registry record change, and its history says so.
Status ApplyRecordPatch(Connection& conn, const ReviewEffect& effect, core::UnixMillis at) {
  if (effect.table != "enterprises" && effect.table != "projects") {
    return Status::Internal(fmt::format("a review cannot change records of {}", effect.table));
  }
  std::string columns, assignments;
  std::vector<Value> params;
  for (const auto& [field, value] : effect.fields) {
    if (field.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") != std::string::npos) {
      return Status::Internal(fmt::format("review patch names an invalid field '{}'", field));
    }
    columns += (columns.empty() ? "" : ", ") + field;
    assignments += field + " = ?, ";
    auto* flag = std::get_if<bool>(&value);
    params.push_back(flag ? Value(std::int64_t{*flag ? 1 : 0}) : value);
  }
  if (params.empty()) return {};
  auto before = conn.Query(fmt::format("SELECT {} FROM {} WHERE id = ?", columns, effect.table), {effect.record_id});
  if (!before.ok()) return before.status();
  if (before->rows.empty()) return Status::NotFound(fmt::format("{} {} not found", effect.table, effect.record_id));
  params.emplace_back(at);
  params.emplace_back(effect.record_id);
  KILN_RETURN_IF_ERROR(
      conn.Exec(fmt::format("UPDATE {} SET {}updated_at = ? WHERE id = ?", effect.table, assignments), params));
  nlohmann::json changes = nlohmann::json::array();
  for (size_t i = 0; i < effect.fields.size(); ++i) {
    const auto& old = before->rows.front()[i];
    if (core::SameValue(old, effect.fields[i].second)) continue;
    changes.push_back({{"field", effect.fields[i].first},
                       {"old", core::ValueToJson(old)},
                       {"new", core::ValueToJson(effect.fields[i].second)}});
  }
  return conn.Exec(
      "INSERT INTO record_history (kind, record_id, at, actor, action, changes) VALUES (?, ?, ?, ?, 'update', ?)",
      {effect.table, effect.record_id, at, effect.actor, changes.dump()});
}

// A declared project comes into the registry, and its history says who approved it.
Status ApplyRecordCreate(Connection& conn, const ReviewEffect& effect, core::UnixMillis at) {
  if (effect.table != "projects") return Status::Internal(fmt::format("a review cannot create {}", effect.table));
  std::string columns, marks;
  std::vector<Value> params;
  nlohmann::json changes = nlohmann::json::array();
  for (const auto& [field, value] : effect.fields) {
    if (field.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") != std::string::npos) {
      return Status::Internal(fmt::format("review record names an invalid field '{}'", field));
    }
    columns += field + ", ";
    marks += "?, ";
    auto* flag = std::get_if<bool>(&value);
    params.push_back(flag ? Value(std::int64_t{*flag ? 1 : 0}) : value);
    if (!core::IsNull(value)) {
      changes.push_back({{"field", field}, {"old", nullptr}, {"new", core::ValueToJson(value)}});
    }
  }
  params.emplace_back(at);
  params.emplace_back(at);
  auto inserted = conn.Query(fmt::format("INSERT INTO {} ({}created_at, updated_at) VALUES ({}?, ?) RETURNING id",
                                         effect.table, columns, marks),
                             params);
  if (!inserted.ok()) return inserted.status().WithContext("the declared project");
  return conn.Exec(
      "INSERT INTO record_history (kind, record_id, at, actor, action, changes) VALUES (?, ?, ?, ?, 'create', ?)",
      {effect.table, AsInt(inserted->rows.at(0).at(0)), at, effect.actor, changes.dump()});
}

// An upgrade plan approved (its approved version in force) or accepted (with its measurement).
Status ApplyUpgradeEffect(Connection& conn, const ReviewEffect& effect, std::int64_t item_id, const ReviewStep& step) {
  UpgradePlan plan;
  std::string measured;
  double measured_saving = 0;
  for (const auto& [field, value] : effect.fields) {
    if (field == "content") plan.content = AsText(value);
    if (field == "completion_due") plan.completion_due = AsText(value);
    if (field == "expected_saving_tce") plan.expected_saving_tce = AsReal(value);
    if (field == "measured") measured = AsText(value);
    if (field == "measured_saving_tce") measured_saving = AsReal(value);
    if (field == "project_ids") {
      std::string ids = AsText(value);
      for (std::size_t at = 0; at < ids.size();) {
        std::size_t comma = ids.find(',', at);
        if (comma == std::string::npos) comma = ids.size();
        plan.project_ids.push_back(std::stoll(ids.substr(at, comma - at)));
        at = comma + 1;
      }
    }
  }
  if (effect.kind == ReviewEffect::Kind::kUpgradePlanApproved) {
    return ApproveUpgradePlan(conn, effect.record_id, plan, effect.actor, step.level,
                              fmt::format("改造方案审核通过（审核事项 {}）", item_id), step.at);
  }
  return AcceptUpgradePlan(conn, effect.record_id, measured, measured_saving, effect.actor, step.level,
                           fmt::format("验收审核通过（审核事项 {}）", item_id), step.at);
}

// The enterprise joins or leaves the list: its list fields change and its history says so.
Status ApplyEffect(Connection& conn, const ReviewEffect& effect, std::int64_t item_id, const ReviewStep& step) {
  const core::UnixMillis at = step.at;
  if (effect.kind == ReviewEffect::Kind::kRecordPatch) return ApplyRecordPatch(conn, effect, at);
  if (effect.kind == ReviewEffect::Kind::kRecordCreate) return ApplyRecordCreate(conn, effect, at);
  if (effect.kind == ReviewEffect::Kind::kViolationClosed) {
    return CloseViolation(conn, effect.record_id, effect.actor, step.level,
                          fmt::format("销号审核通过（审核事项 {}）", item_id), at);
  }
  if (effect.kind == ReviewEffect::Kind::kUpgradePlanApproved || effect.kind == ReviewEffect::Kind::kUpgradeAccepted) {
    return ApplyUpgradeEffect(conn, effect, item_id, step);
  }
  bool entry = effect.kind == ReviewEffect::Kind::kListEntry;
  auto before = conn.Query("SELECT list_status, listed_on, delisted_on, list_decision FROM enterprises WHERE id = ?",
                           {effect.enterprise_id});
  if (!before.ok()) return before.status();
  if (before->rows.empty()) return Status::NotFound(fmt::format("enterprise {} not found", effect.enterprise_id));
  const auto& old = before->rows.front();
  std::string status = entry ? "listed" : "delisted";
  Value listed_on = entry ? Value(effect.date) : old[1];
  Value delisted_on = entry ? Value() : Value(effect.date);
  KILN_RETURN_IF_ERROR(conn.Exec(
      "UPDATE enterprises SET list_status = ?, listed_on = ?, delisted_on = ?, list_decision = ?, updated_at = ? "
      "WHERE id = ?",
      {status, listed_on, delisted_on, item_id, at, effect.enterprise_id}));
  nlohmann::json changes = nlohmann::json::array();
  auto change = [&](const char* field, const Value& from, const Value& to) {
    if (core::SameValue(from, to)) return;
    changes.push_back({{"field", field}, {"old", core::ValueToJson(from)}, {"new", core::ValueToJson(to)}});
  };
  change("list_status", old[0], status);
  change("listed_on", old[1], listed_on);
  change("delisted_on", old[2], delisted_on);
  change("list_decision", old[3], item_id);
  return conn.Exec(
      "INSERT INTO record_history (kind, record_id, at, actor, action, changes) VALUES ('enterprises', ?, ?, ?, "
      "'update', ?)",
      {effect.enterprise_id, at, effect.actor, changes.dump()});
}

}  // namespace

Result<ReviewItem> InsertReviewItem(Connection& conn, const ReviewItem& item, const ReviewStep& step, bool exclusive) {
  auto open = conn.Query(
      "SELECT id FROM review_items WHERE flow = ? AND subject_kind = ? AND subject_id = ? AND awaiting <> ''",
      {item.flow, item.subject_kind, item.subject_id});
  if (!open.ok()) return open.status();
  if (exclusive && !open->rows.empty()) {
    return Status::Conflict(fmt::format("review item {} of the same kind is still open on this {}",
                                        AsInt(open->rows[0][0]), item.subject_kind),
                            {{"subject", fmt::format("has open review item {}", AsInt(open->rows[0][0]))}});
  }
  auto inserted = conn.Query(
      "INSERT INTO review_items (flow, subject_kind, subject_id, enterprise_id, region, subject_label, status, "
      "awaiting, filer, levels, version, content, filed_by, filed_at, due_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, "
      "?, ?, ?, ?, 1, ?, ?, ?, ?, ?) RETURNING id",
      {item.flow, item.subject_kind, item.subject_id, item.enterprise_id ? Value(*item.enterprise_id) : Value(),
       item.region, item.subject_label, item.status, item.awaiting, item.filer, item.levels, item.content, step.actor,
       step.at, item.due_at ? Value(*item.due_at) : Value(), step.at});
  if (!inserted.ok()) return inserted.status();
  auto id = AsInt(inserted->rows.at(0).at(0));
  KILN_RETURN_IF_ERROR(AddVersion(conn, id, 1, item.content, step));
  ReviewStep first = step;
  first.version = 1;
  KILN_RETURN_IF_ERROR(AddStep(conn, id, first));
  auto saved = OneItem(conn, id);
  if (!saved.ok()) return saved.status();
  if (!*saved) return Status::Internal(fmt::format("review item {} vanished", id));
  return **saved;
}

Result<ReviewItem> SqlReviews::FileReview(const ReviewItem& item, const ReviewStep& step, bool exclusive) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  Transaction tx(**conn, db_.dialect());
  KILN_RETURN_IF_ERROR(tx.begun());
  auto saved = InsertReviewItem(**conn, item, step, exclusive);
  if (!saved.ok()) return saved.status();
  KILN_RETURN_IF_ERROR(tx.Commit());
  return saved;
}

Result<ReviewItem> SqlReviews::MoveReview(std::int64_t id, const std::string& from, const std::string& to,
                                          const std::string& awaiting, const ReviewStep& step,
                                          const std::optional<std::string>& content,
                                          const std::optional<ReviewEffect>& effect) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  Transaction tx(**conn, db_.dialect());
  KILN_RETURN_IF_ERROR(tx.begun());
  auto moved =
      content
          ? (*conn)->Query(
                "UPDATE review_items SET status = ?, awaiting = ?, version = ?, content = ?, "
                "updated_at = ? WHERE id = ? AND status = ? AND version = ?",
                {to, awaiting, std::int64_t{step.version}, *content, step.at, id, from, std::int64_t{step.version - 1}})
          : (*conn)->Query(
                "UPDATE review_items SET status = ?, awaiting = ?, updated_at = ? WHERE id = ? AND "
                "status = ? AND version = ?",
                {to, awaiting, step.at, id, from, std::int64_t{step.version}});
  if (!moved.ok()) return moved.status();
  if (moved->affected == 0) {
    return Status::Conflict(fmt::format("review item {} is no longer {}", id, from), {{"status", "changed meanwhile"}});
  }
  if (step.next_due) {
    KILN_RETURN_IF_ERROR((*conn)->Exec("UPDATE review_items SET due_at = ? WHERE id = ?", {*step.next_due, id}));
  }
  if (content) KILN_RETURN_IF_ERROR(AddVersion(**conn, id, step.version, *content, step));
  KILN_RETURN_IF_ERROR(AddStep(**conn, id, step));
  if (effect) KILN_RETURN_IF_ERROR(ApplyEffect(**conn, *effect, id, step));
  auto saved = OneItem(**conn, id);
  if (!saved.ok()) return saved.status();
  KILN_RETURN_IF_ERROR(tx.Commit());
  return **saved;
}

Result<std::optional<ReviewItem>> SqlReviews::GetReview(std::int64_t id) {
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  return OneItem(**conn, id);
}

Result<std::pair<std::vector<ReviewItem>, std::int64_t>> SqlReviews::ListReviews(const ReviewQuery& q) {
  std::string where = "COALESCE(e.region, i.region) LIKE ?";
  std::vector<Value> params = {q.region_prefix + "%"};
  auto equals = [&](const char* column, const std::string& value) {
    if (value.empty()) return;
    where += fmt::format(" AND {} = ?", column);
    params.emplace_back(value);
  };
  if (q.enterprise_id) {
    where += " AND i.enterprise_id = ?";
    params.emplace_back(*q.enterprise_id);
  }
  equals("i.awaiting", q.awaiting);
  equals("i.flow", q.flow);
  equals("i.status", q.status);
  equals("i.subject_kind", q.subject_kind);
  if (q.subject_id) {
    where += " AND i.subject_id = ?";
    params.emplace_back(*q.subject_id);
  }
  if (q.open_only) where += " AND i.awaiting <> ''";
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  auto count = (*conn)->Query(fmt::format("SELECT count(*){} WHERE {}", kFrom, where), params);
  if (!count.ok()) return count.status();
  auto page_params = params;
  page_params.emplace_back(std::int64_t{q.page_size});
  page_params.emplace_back(std::int64_t{(q.page - 1) * q.page_size});
  // Oldest due first: a to-do list is worked from the most urgent end.
  auto items = Collect<ReviewItem>(
      (*conn)->Query(fmt::format("SELECT {}{} WHERE {} ORDER BY COALESCE(i.due_at, i.filed_at), i.id LIMIT ? OFFSET ?",
                                 kColumns, kFrom, where),
                     page_params),
      RowToItem);
  if (!items.ok()) return items.status();
  return std::pair{std::move(*items), AsInt(count->rows.at(0).at(0))};
}

Result<std::vector<ReviewVersion>> SqlReviews::ReviewVersions(std::int64_t id) {
  return ReadAll<ReviewVersion>(
      db_, "SELECT version, content, filed_by, filed_at FROM review_versions WHERE item_id = ? ORDER BY version", {id},
      [](const SqlRow& r) {
        return ReviewVersion{static_cast<int>(AsInt(r[0])), AsText(r[1]), AsText(r[2]), AsInt(r[3])};
      });
}

Result<std::vector<ReviewStep>> SqlReviews::ReviewSteps(std::int64_t id) {
  return ReadAll<ReviewStep>(
      db_, "SELECT id, version, action, level, actor, reason, at FROM review_steps WHERE item_id = ? ORDER BY id", {id},
      [](const SqlRow& r) {
        return ReviewStep{
            AsInt(r[0]), static_cast<int>(AsInt(r[1])), AsText(r[2]), AsText(r[3]), AsText(r[4]), AsText(r[5]),
            AsInt(r[6])};
      });
}

Result<Attachment> SqlReviews::PutAttachment(const Attachment& a) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  Transaction tx(**conn, db_.dialect());
  KILN_RETURN_IF_ERROR(tx.begun());
  KILN_RETURN_IF_ERROR((*conn)->Exec(
      "INSERT INTO attachments (id, name, media_type, size, content, created_by, created_at) SELECT ?, ?, ?, ?, ?, ?, "
      "? WHERE NOT EXISTS (SELECT 1 FROM attachments WHERE id = ?)",
      {a.id, a.name, a.media_type, a.size, core::Blob{a.content}, a.created_by, a.created_at, a.id}));
  auto stored = Collect<Attachment>(
      (*conn)->Query("SELECT id, name, media_type, size, created_by, created_at FROM attachments WHERE id = ?", {a.id}),
      [](const SqlRow& r) {
        return Attachment{.id = AsText(r[0]),
                          .name = AsText(r[1]),
                          .media_type = AsText(r[2]),
                          .size = AsInt(r[3]),
                          .created_by = AsText(r[4]),
                          .created_at = AsInt(r[5])};
      });
  if (!stored.ok()) return stored.status();
  KILN_RETURN_IF_ERROR(tx.Commit());
  return stored->at(0);
}

Result<std::optional<Attachment>> SqlReviews::GetAttachment(const std::string& id, bool with_content) {
  auto rows = ReadAll<Attachment>(
      db_,
      fmt::format("SELECT id, name, media_type, size, created_by, created_at{} FROM attachments WHERE id = ?",
                  with_content ? ", content" : ""),
      {id}, [with_content](const SqlRow& r) {
        Attachment a{.id = AsText(r[0]),
                     .name = AsText(r[1]),
                     .media_type = AsText(r[2]),
                     .size = AsInt(r[3]),
                     .created_by = AsText(r[4]),
                     .created_at = AsInt(r[5])};
        if (with_content) a.content = std::string(AsBytes(r[6]));
        return a;
      });
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<Attachment>();
  return std::optional<Attachment>(std::move(rows->front()));
}

Result<std::vector<std::int64_t>> SqlReviews::AttachmentItems(const std::string& id) {
  return ReadAll<std::int64_t>(
      db_, "SELECT DISTINCT item_id FROM review_attachments WHERE attachment_id = ? ORDER BY item_id", {id},
      [](const SqlRow& r) { return AsInt(r[0]); });
}

Result<std::vector<std::pair<int, Attachment>>> SqlReviews::ItemAttachments(std::int64_t item_id) {
  return ReadAll<std::pair<int, Attachment>>(
      db_,
      "SELECT r.version, a.id, a.name, a.media_type, a.size, a.created_by, a.created_at FROM review_attachments r "
      "JOIN attachments a ON a.id = r.attachment_id WHERE r.item_id = ? ORDER BY r.version, a.name",
      {item_id}, [](const SqlRow& r) {
        return std::pair{static_cast<int>(AsInt(r[0])), Attachment{.id = AsText(r[1]),
                                                                   .name = AsText(r[2]),
                                                                   .media_type = AsText(r[3]),
                                                                   .size = AsInt(r[4]),
                                                                   .created_by = AsText(r[5]),
                                                                   .created_at = AsInt(r[6])}};
      });
}

Status MirrorReportReview(Connection& conn, const Report& report, const std::string& actor) {
  const auto& chain = core::ReportReviewChain();
  std::string flow = report.kind + "_report";
  auto updated = conn.Query(
      "UPDATE review_items SET status = ?, awaiting = ?, version = ?, updated_at = ?, due_at = ? WHERE subject_kind "
      "= 'report' AND subject_id = ?",
      {report.status, chain.Awaiting(report.status), std::int64_t{report.version}, report.updated_at, report.due_at,
       report.id});
  if (!updated.ok()) return updated.status();
  if (updated->affected > 0 || report.status == "draft") return {};
  return conn.Exec(
      "INSERT INTO review_items (flow, subject_kind, subject_id, enterprise_id, region, subject_label, status, "
      "awaiting, filer, levels, version, content, filed_by, filed_at, due_at, updated_at) VALUES (?, 'report', ?, ?, "
      "?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?)",
      {flow, report.id, report.enterprise_id, report.region, report.period, report.status,
       chain.Awaiting(report.status), chain.filer, core::JoinReviewLevels(chain.levels), std::int64_t{report.version},
       actor, report.first_submitted_at.value_or(report.updated_at), report.due_at, report.updated_at});
}

}  // namespace kiln::storage
