#include "storage/sql_warnings.hpp"

#include <fmt/format.h>

namespace kiln::storage {
namespace {

using core::Result;
using core::Status;
using core::Value;

const char* kWarningColumns =
    "w.id, w.condition_key, w.category, w.rule, w.severity, w.status, w.closed_reason, w.enterprise_id, w.point_id, "
    "w.region, w.industry, w.from_ts, w.to_ts, w.message, w.evidence, w.opened_at, w.updated_at, w.acknowledged_at, "
    "w.acknowledged_by, w.closed_at, w.closed_by, w.note, w.reopened, e.name, p.code";
const char* kWarningJoins =
    " FROM warnings w LEFT JOIN enterprises e ON e.id = w.enterprise_id LEFT JOIN metering_points p ON p.id = "
    "w.point_id";

std::optional<std::int64_t> OptionalInt(const Value& v) {
  if (core::IsNull(v)) return std::nullopt;
  return AsInt(v);
}

Value IntOrNull(const std::optional<std::int64_t>& v) { return v ? Value(*v) : Value(); }

StoredWarning RowToWarning(const SqlRow& r) {
  StoredWarning w;
  w.id = AsInt(r[0]);
  w.condition_key = AsText(r[1]);
  w.category = AsText(r[2]);
  w.rule = AsText(r[3]);
  w.severity = AsText(r[4]);
  w.status = AsText(r[5]);
  w.closed_reason = AsText(r[6]);
  w.enterprise_id = OptionalInt(r[7]);
  w.point_id = OptionalInt(r[8]);
  w.region = AsText(r[9]);
  w.industry = AsText(r[10]);
  w.from = AsInt(r[11]);
  w.to = OptionalInt(r[12]);
  w.message = AsText(r[13]);
  w.evidence = AsText(r[14]);
  w.opened_at = AsInt(r[15]);
  w.updated_at = AsInt(r[16]);
  w.acknowledged_at = OptionalInt(r[17]);
  w.acknowledged_by = AsText(r[18]);
  w.closed_at = OptionalInt(r[19]);
  w.closed_by = AsText(r[20]);
  w.note = AsText(r[21]);
  w.reopened = static_cast<int>(AsInt(r[22]));
  w.enterprise_name = AsText(r[23]);
  w.point_code = AsText(r[24]);
  return w;
}

std::string Marks(size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += i ? ", ?" : "?";
  return out;
}

void AddIn(std::string& where, std::vector<Value>& params, const char* column, const std::vector<std::string>& values) {
  if (values.empty()) return;
  where += fmt::format(" AND {} IN ({})", column, Marks(values.size()));
  for (const auto& v : values) params.emplace_back(v);
}

// The WHERE clause (starting "WHERE 1=1") of a filter.
std::string FilterWhere(const WarningFilter& f, std::vector<Value>& params) {
  std::string where = " WHERE 1=1";
  if (!f.region_prefix.empty()) {
    where += " AND w.region LIKE ? ESCAPE '\\'";
    params.emplace_back(EscapeLike(f.region_prefix) + "%");
  }
  if (f.enterprise_id) {
    where += " AND w.enterprise_id = ?";
    params.emplace_back(*f.enterprise_id);
  }
  if (f.enterprises_only) where += " AND w.enterprise_id IS NOT NULL";
  if (f.point_id) {
    where += " AND w.point_id = ?";
    params.emplace_back(*f.point_id);
  }
  AddIn(where, params, "w.category", f.categories);
  AddIn(where, params, "w.rule", f.rules);
  AddIn(where, params, "w.status", f.statuses);
  AddIn(where, params, "w.severity", f.severities);
  if (!f.industry.empty()) {
    where += " AND w.industry = ?";
    params.emplace_back(f.industry);
  }
  if (f.from) {
    where += " AND (w.to_ts IS NULL OR w.to_ts >= ?)";
    params.emplace_back(*f.from);
  }
  if (f.to) {
    where += " AND w.from_ts < ?";
    params.emplace_back(*f.to);
  }
  if (f.opened_after) {
    where += " AND w.opened_at > ?";
    params.emplace_back(*f.opened_after);
  }
  return where;
}

Status AddEvent(Connection& c, std::int64_t warning_id, core::UnixMillis at, const std::string& actor,
                const std::string& action, const std::string& note) {
  return c.Exec("INSERT INTO warning_events (warning_id, at, actor, action, note) VALUES (?, ?, ?, ?, ?)",
                {warning_id, at, actor, action, note});
}

}  // namespace

Result<std::pair<std::vector<StoredWarning>, std::int64_t>> SqlWarnings::ListWarnings(const WarningFilter& f) {
  std::vector<Value> params;
  std::string where = FilterWhere(f, params);
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  auto total = (*conn)->Query("SELECT COUNT(*) FROM warnings w" + where, params);
  if (!total.ok()) return total.status();
  params.emplace_back(std::int64_t{f.page_size});
  params.emplace_back(std::int64_t{(f.page - 1) * f.page_size});
  auto rows = Collect<StoredWarning>(
      (*conn)->Query(fmt::format("SELECT {}{}{} ORDER BY w.from_ts DESC, w.id DESC LIMIT ? OFFSET ?", kWarningColumns,
                                 kWarningJoins, where),
                     params),
      RowToWarning);
  if (!rows.ok()) return rows.status();
  return std::make_pair(std::move(*rows), AsInt(total->rows[0][0]));
}

Result<std::optional<StoredWarning>> SqlWarnings::GetWarning(std::int64_t id) {
  auto rows = ReadAll<StoredWarning>(db_, fmt::format("SELECT {}{} WHERE w.id = ?", kWarningColumns, kWarningJoins),
                                     {id}, RowToWarning);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<StoredWarning>();
  return std::optional<StoredWarning>(std::move(rows->front()));
}

Result<std::vector<WarningEvent>> SqlWarnings::WarningEvents(std::int64_t warning_id) {
  return ReadAll<WarningEvent>(
      db_, "SELECT id, warning_id, at, actor, action, note FROM warning_events WHERE warning_id = ? ORDER BY id",
      {warning_id}, [](const SqlRow& r) {
        return WarningEvent{AsInt(r[0]), AsInt(r[1]), AsInt(r[2]), AsText(r[3]), AsText(r[4]), AsText(r[5])};
      });
}

Result<std::vector<WarningCount>> SqlWarnings::CountWarnings(const WarningFilter& f, const std::string& group_by,
                                                             std::size_t region_key_length) {
  std::string group;
  if (group_by == "region")
    group = fmt::format("substr(w.region, 1, {})", region_key_length);
  else if (group_by == "industry")
    group = "w.industry";
  else if (group_by == "rule")
    group = "w.rule";
  else
    return Status::InvalidArgument("group_by must be region, industry or rule", {{"group_by", "unknown"}});
  std::vector<Value> params;
  std::string where = FilterWhere(f, params);
  return ReadAll<WarningCount>(
      db_,
      fmt::format("SELECT {0} AS g, w.category, w.severity, w.status, COUNT(*) FROM warnings w{1} GROUP BY {0}, "
                  "w.category, w.severity, w.status ORDER BY 1",
                  group, where),
      params, [](const SqlRow& r) {
        return WarningCount{AsText(r[0]), AsText(r[1]), AsText(r[2]), AsText(r[3]), AsInt(r[4])};
      });
}

Result<std::vector<StoredWarning>> SqlWarnings::WarningsInScope(const EvaluationScope& scope) {
  std::vector<StoredWarning> out;
  if (scope.rules.empty()) return out;
  // Subject lists can hold thousands of ids: query them in chunks.
  const std::vector<std::int64_t>* ids = scope.point_ids        ? &*scope.point_ids
                                         : scope.enterprise_ids ? &*scope.enterprise_ids
                                                                : nullptr;
  const char* id_column = scope.point_ids ? "w.point_id" : "w.enterprise_id";
  constexpr size_t kChunk = 400;
  size_t chunks = ids ? (ids->size() + kChunk - 1) / kChunk : 1;
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  for (size_t c = 0; c < chunks; ++c) {
    std::vector<Value> params;
    std::string where = fmt::format(" WHERE w.rule IN ({})", Marks(scope.rules.size()));
    for (const auto& r : scope.rules) params.emplace_back(r);
    if (ids) {
      size_t begin = c * kChunk, end = std::min(ids->size(), begin + kChunk);
      where += fmt::format(" AND {} IN ({})", id_column, Marks(end - begin));
      for (size_t i = begin; i < end; ++i) params.emplace_back((*ids)[i]);
    }
    if (scope.reaching) {
      where += " AND (w.to_ts IS NULL OR w.to_ts >= ?)";
      params.emplace_back(*scope.reaching);
    }
    auto rows = Collect<StoredWarning>(
        (*conn)->Query(fmt::format("SELECT {}{}{}", kWarningColumns, kWarningJoins, where), params), RowToWarning);
    if (!rows.ok()) return rows.status();
    for (auto& w : *rows) out.push_back(std::move(w));
  }
  return out;
}

Result<std::vector<WarningChange>> SqlWarnings::ApplyWarningChanges(const std::vector<WarningChange>& changes,
                                                                    core::UnixMillis at) {
  std::vector<WarningChange> applied;
  if (changes.empty()) return applied;
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  Transaction tx(**conn, db_.dialect());
  KILN_RETURN_IF_ERROR(tx.begun());
  auto& c = **conn;
  for (const auto& change : changes) {
    const auto& w = change.warning;
    switch (change.kind) {
      case WarningChange::Kind::kOpen: {
        auto r = c.Query(
            "INSERT INTO warnings (condition_key, category, rule, severity, status, enterprise_id, point_id, region, "
            "industry, from_ts, to_ts, message, evidence, opened_at, updated_at) VALUES (?, ?, ?, ?, 'open', ?, ?, ?, "
            "?, ?, ?, ?, ?, ?, ?) ON CONFLICT (condition_key) DO NOTHING RETURNING id",
            {w.condition_key, w.category, w.rule, w.severity, IntOrNull(w.enterprise_id), IntOrNull(w.point_id),
             w.region, w.industry, w.from, IntOrNull(w.to), w.message, w.evidence, at, at});
        if (!r.ok()) return r.status();
        if (r->rows.empty()) break;  // another evaluation opened it first
        WarningChange done = change;
        done.warning.id = AsInt(r->rows[0][0]);
        done.warning.status = "open";
        done.warning.opened_at = done.warning.updated_at = at;
        KILN_RETURN_IF_ERROR(AddEvent(c, done.warning.id, at, "system", "opened", ""));
        applied.push_back(std::move(done));
        break;
      }
      case WarningChange::Kind::kUpdate: {
        auto r = c.Query(
            "UPDATE warnings SET severity = ?, to_ts = ?, message = ?, evidence = ?, region = ?, industry = ?, "
            "updated_at = ? WHERE id = ? AND status = ?",
            {w.severity, IntOrNull(w.to), w.message, w.evidence, w.region, w.industry, at, w.id, w.status});
        if (!r.ok()) return r.status();
        if (r->affected == 1) applied.push_back(change);
        break;
      }
      case WarningChange::Kind::kReopen: {
        auto r = c.Query(
            "UPDATE warnings SET status = 'open', closed_reason = '', closed_at = NULL, closed_by = '', "
            "acknowledged_at = NULL, acknowledged_by = '', note = '', reopened = reopened + 1, severity = ?, from_ts = "
            "?, to_ts = ?, message = ?, evidence = ?, region = ?, industry = ?, updated_at = ? WHERE id = ? AND "
            "status = 'closed' AND closed_reason = ?",
            {w.severity, w.from, IntOrNull(w.to), w.message, w.evidence, w.region, w.industry, at, w.id,
             w.closed_reason});
        if (!r.ok()) return r.status();
        if (r->affected != 1) break;
        KILN_RETURN_IF_ERROR(AddEvent(c, w.id, at, "system", "reopened", change.note));
        applied.push_back(change);
        break;
      }
      case WarningChange::Kind::kClear: {
        auto r = c.Query(
            "UPDATE warnings SET status = 'closed', closed_reason = 'cleared', closed_at = ?, closed_by = 'system', "
            "note = ?, updated_at = ? WHERE id = ? AND status = ?",
            {at, change.note, at, w.id, w.status});
        if (!r.ok()) return r.status();
        if (r->affected != 1) break;
        KILN_RETURN_IF_ERROR(AddEvent(c, w.id, at, "system", "cleared", change.note));
        applied.push_back(change);
        break;
      }
    }
  }
  KILN_RETURN_IF_ERROR(tx.Commit());
  return applied;
}

Result<StoredWarning> SqlWarnings::TransitionWarning(std::int64_t id, const std::vector<std::string>& from_statuses,
                                                     const std::string& to_status, const std::string& closed_reason,
                                                     const WarningEvent& event) {
  {
    auto conn = db_.Writer();
    if (!conn.ok()) return conn.status();
    Transaction tx(**conn, db_.dialect());
    KILN_RETURN_IF_ERROR(tx.begun());
    std::vector<Value> params;
    std::string set;
    if (to_status == "acknowledged") {
      set = "status = 'acknowledged', acknowledged_at = ?, acknowledged_by = ?, note = ?";
      params = {event.at, event.actor, event.note};
    } else {
      set = "status = 'closed', closed_reason = ?, closed_at = ?, closed_by = ?, note = ?";
      params = {closed_reason, event.at, event.actor, event.note};
    }
    params.emplace_back(event.at);
    params.emplace_back(id);
    for (const auto& s : from_statuses) params.emplace_back(s);
    auto r = (*conn)->Query(fmt::format("UPDATE warnings SET {}, updated_at = ? WHERE id = ? AND status IN ({})", set,
                                        Marks(from_statuses.size())),
                            params);
    if (!r.ok()) return r.status();
    if (r->affected != 1) return Status::Conflict(fmt::format("warning {} is no longer {}", id, from_statuses.front()));
    KILN_RETURN_IF_ERROR(AddEvent(**conn, id, event.at, event.actor, event.action, event.note));
    KILN_RETURN_IF_ERROR(tx.Commit());
  }
  auto stored = GetWarning(id);
  if (!stored.ok()) return stored.status();
  if (!*stored) return Status::NotFound(fmt::format("warning {} not found", id));
  return **stored;
}

Status SqlWarnings::AddThresholdsIfAbsent(const std::vector<Threshold>& thresholds) {
  return WriteMany(db_, thresholds, [](Connection& c, const Threshold& t) {
    return c.Exec(
        "INSERT INTO warning_thresholds (rule, name, version, value, unit, source, changed_by, changed_at) SELECT ?, "
        "?, 1, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM warning_thresholds WHERE rule = ? AND name = ?)",
        {t.rule, t.name, t.value, t.unit, t.source, t.changed_by, t.changed_at, t.rule, t.name});
  });
}

Result<std::vector<Threshold>> SqlWarnings::ListThresholds() {
  return ReadAll<Threshold>(db_,
                            "SELECT rule, name, version, value, unit, source, changed_by, changed_at FROM "
                            "warning_thresholds ORDER BY rule, name, version",
                            {}, [](const SqlRow& r) {
                              return Threshold{AsText(r[0]), AsText(r[1]), static_cast<int>(AsInt(r[2])),
                                               AsReal(r[3]), AsText(r[4]), AsText(r[5]),
                                               AsText(r[6]), AsInt(r[7])};
                            });
}

Result<Threshold> SqlWarnings::AddThresholdVersion(Threshold threshold) {
  return AddNextVersion(
      db_, threshold, "warning_thresholds", "rule = ? AND name = ?", {threshold.rule, threshold.name},
      [](Connection& c, const Threshold& t) {
        return c.Exec(
            "INSERT INTO warning_thresholds (rule, name, version, value, unit, source, changed_by, "
            "changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            {t.rule, t.name, std::int64_t{t.version}, t.value, t.unit, t.source, t.changed_by, t.changed_at});
      });
}

Result<std::optional<NotificationPrefs>> SqlWarnings::GetNotificationPrefs(std::int64_t user_id) {
  auto rows = ReadAll<NotificationPrefs>(
      db_, "SELECT user_id, categories, min_severity, webhook, seen_until FROM notification_prefs WHERE user_id = ?",
      {user_id}, [](const SqlRow& r) {
        NotificationPrefs p;
        p.user_id = AsInt(r[0]);
        std::string categories = AsText(r[1]);
        for (size_t start = 0; start < categories.size();) {
          size_t comma = categories.find(',', start);
          if (comma == std::string::npos) comma = categories.size();
          if (comma > start) p.categories.push_back(categories.substr(start, comma - start));
          start = comma + 1;
        }
        p.min_severity = AsText(r[2]);
        p.webhook = AsInt(r[3]) != 0;
        p.seen_until = AsInt(r[4]);
        return p;
      });
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<NotificationPrefs>();
  return std::optional<NotificationPrefs>(rows->front());
}

Status SqlWarnings::PutNotificationPrefs(const NotificationPrefs& p) {
  std::string categories;
  for (const auto& c : p.categories) categories += (categories.empty() ? "" : ",") + c;
  return WriteOne(db_,
                  "INSERT INTO notification_prefs (user_id, categories, min_severity, webhook, seen_until) VALUES (?, "
                  "?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET categories = excluded.categories, min_severity = "
                  "excluded.min_severity, webhook = excluded.webhook, seen_until = excluded.seen_until",
                  {p.user_id, categories, p.min_severity, std::int64_t{p.webhook ? 1 : 0}, p.seen_until});
}

Status SqlWarnings::EnqueueWebhook(const WebhookDelivery& d) {
  return WriteOne(db_, "INSERT INTO webhook_outbox (warning_id, event, payload, next_at) VALUES (?, ?, ?, ?)",
                  {d.warning_id, d.event, d.payload, d.next_at});
}

Result<std::vector<WebhookDelivery>> SqlWarnings::DueWebhooks(core::UnixMillis now, int limit) {
  return ReadAll<WebhookDelivery>(
      db_,
      "SELECT id, warning_id, event, payload, attempts, next_at, last_error FROM webhook_outbox WHERE delivered_at IS "
      "NULL AND next_at <= ? ORDER BY id LIMIT ?",
      {now, std::int64_t{limit}}, [](const SqlRow& r) {
        return WebhookDelivery{AsInt(r[0]), AsInt(r[1]), AsText(r[2]), AsText(r[3]), static_cast<int>(AsInt(r[4])),
                               AsInt(r[5]), AsText(r[6])};
      });
}

Status SqlWarnings::FinishWebhook(std::int64_t id, core::UnixMillis delivered_at) {
  return WriteOne(db_, "UPDATE webhook_outbox SET delivered_at = ?, attempts = attempts + 1 WHERE id = ?",
                  {delivered_at, id});
}

Status SqlWarnings::RetryWebhook(std::int64_t id, core::UnixMillis next_at, const std::string& error) {
  return WriteOne(db_, "UPDATE webhook_outbox SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE id = ?",
                  {next_at, error, id});
}

}  // namespace kiln::storage
