// Warnings: the filtered list and its export, counts for maps and charts, one
// warning with its history, acknowledging and closing (one or many), the
// rule catalogue and thresholds, and each user's notifications.

#include <fmt/format.h>

#include "http/apis.hpp"
#include "core/regions.hpp"
#include "http/reference_names.hpp"
#include "http/spreadsheet.hpp"
#include "warnings/rules.hpp"

namespace kiln::http {
namespace {

using nlohmann::json;

std::vector<std::string> SplitList(const std::optional<std::string>& text) {
  std::vector<std::string> out;
  if (!text) return out;
  for (size_t start = 0; start <= text->size();) {
    size_t comma = text->find(',', start);
    if (comma == std::string::npos) comma = text->size();
    if (comma > start) out.push_back(text->substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

const char* StatusZh(const std::string& status) {
  if (status == "open") return "待处理";
  if (status == "acknowledged") return "已确认";
  return "已关闭";
}

const char* SeverityZh(const std::string& severity) {
  if (severity == "critical") return "严重";
  if (severity == "warning") return "警告";
  return "提示";
}

class WarningApi final : public Api {
 public:
  WarningApi(Gate& gate, const ApiContext& c) : c_(c), names_(c.store) {
    gate.Session("GET", "/api/v1/warnings/summary", this, &WarningApi::Summary);
    gate.Session("GET", "/api/v1/warnings/export", this, &WarningApi::Export);
    gate.Session("GET", "/api/v1/warnings/rules", this, &WarningApi::RuleList);
    gate.Session("GET", "/api/v1/warnings/thresholds", this, &WarningApi::Thresholds);
    gate.Session("POST", "/api/v1/warnings/thresholds", this, &WarningApi::AddThreshold);
    gate.Session("POST", "/api/v1/warnings/acknowledge", this, &WarningApi::AcknowledgeMany);
    gate.Session("GET", "/api/v1/warnings", this, &WarningApi::List);
    gate.Session("GET", "/api/v1/warnings/{id}", this, &WarningApi::ById);
    gate.Session("POST", "/api/v1/warnings/{id}/acknowledge", this, &WarningApi::Acknowledge);
    gate.Session("POST", "/api/v1/warnings/{id}/close", this, &WarningApi::Close);
    gate.Session("GET", "/api/v1/me/notifications", this, &WarningApi::Notifications);
    gate.Session("POST", "/api/v1/me/notifications/read", this, &WarningApi::MarkRead);
    gate.Session("PUT", "/api/v1/me/notification-prefs", this, &WarningApi::SetPrefs);
  }

 private:
  static registry::Caller CallerOf(const Request& req, const security::AuthenticatedSession& s) {
    return {s.principal, req.remote_address};
  }

  core::Result<warnings::WarningQuery> QueryOf(const Request& req, int max_page_size) {
    warnings::WarningQuery q;
    std::vector<core::FieldError> errors;
    q.categories = SplitList(req.Query("category"));
    q.rules = SplitList(req.Query("rule"));
    q.statuses = SplitList(req.Query("status"));
    q.severities = SplitList(req.Query("severity"));
    q.region = req.Query("region").value_or("");
    q.industry = req.Query("industry").value_or("");
    auto enterprise = IntQuery(req, "enterprise", 0, 1, std::numeric_limits<std::int64_t>::max(), errors);
    if (req.Query("enterprise")) q.enterprise_id = enterprise;
    auto point = IntQuery(req, "point", 0, 1, std::numeric_limits<std::int64_t>::max(), errors);
    if (req.Query("point")) q.point_id = point;
    for (auto [name, slot] : {std::pair{"from", &q.from}, std::pair{"to", &q.to}}) {
      if (auto v = req.Query(name)) {
        if (auto t = ParseTimeParam(*v))
          *slot = *t;
        else
          errors.push_back({name, "must be ISO 8601 with an offset or a date YYYY-MM-DD"});
      }
    }
    q.page = static_cast<int>(IntQuery(req, "page", 1, 1, 1'000'000, errors));
    q.page_size = static_cast<int>(IntQuery(req, "page_size", 50, 1, max_page_size, errors));
    if (!errors.empty()) return core::Status::InvalidArgument("invalid warning query", std::move(errors));
    return q;
  }

  json ItemJson(const storage::StoredWarning& w) {
    auto evidence = json::parse(w.evidence, nullptr, false);
    return {{"id", w.id},
            {"category", w.category},
            {"rule", w.rule},
            {"severity", w.severity},
            {"status", w.status},
            {"closed_reason", w.closed_reason.empty() ? json(nullptr) : json(w.closed_reason)},
            {"enterprise_id", w.enterprise_id ? json(*w.enterprise_id) : json(nullptr)},
            {"enterprise_name", w.enterprise_id ? json(w.enterprise_name) : json(nullptr)},
            {"point_id", w.point_id ? json(*w.point_id) : json(nullptr)},
            {"point_code", w.point_id ? json(w.point_code) : json(nullptr)},
            {"region", w.region},
            {"region_name", names_.Region(w.region)},
            {"industry", w.industry.empty() ? json(nullptr) : json(w.industry)},
            {"industry_name", w.industry.empty() ? json(nullptr) : json(names_.Industry(w.industry))},
            {"from", core::FormatInstantUtc(w.from)},
            {"to", InstantOrNull(w.to)},
            {"message", w.message},
            {"evidence", evidence.is_discarded() ? json::object() : evidence},
            {"opened_at", core::FormatInstantUtc(w.opened_at)},
            {"updated_at", core::FormatInstantUtc(w.updated_at)},
            {"acknowledged_at", InstantOrNull(w.acknowledged_at)},
            {"acknowledged_by", w.acknowledged_by.empty() ? json(nullptr) : json(w.acknowledged_by)},
            {"closed_at", InstantOrNull(w.closed_at)},
            {"closed_by", w.closed_by.empty() ? json(nullptr) : json(w.closed_by)},
            {"note", w.note},
            {"reopened", w.reopened}};
  }

  Response List(Request& req, const security::AuthenticatedSession& s) {
    auto q = QueryOf(req, 500);
    if (!q.ok()) return ErrorResponse(q.status());
    auto page = c_.warnings.List(CallerOf(req, s), *q);
    if (!page.ok()) return ErrorResponse(page.status());
    json items = json::array();
    for (const auto& w : page->first) items.push_back(ItemJson(w));
    return JsonResponse(200,
                        {{"items", items}, {"total", page->second}, {"page", q->page}, {"page_size", q->page_size}});
  }

  Response Summary(Request& req, const security::AuthenticatedSession& s) {
    auto q = QueryOf(req, 500);
    if (!q.ok()) return ErrorResponse(q.status());
    std::string group_by = req.Query("group_by").value_or("region");
    // Regions: the children of the requested region (or of the caller's jurisdiction).
    std::string parent = q->region.empty() ? s.principal.region : q->region;
    std::size_t key_length = parent.empty() ? 6 : core::RegionPrefix(parent).size() + 2;
    key_length = std::min<std::size_t>(6, std::max<std::size_t>(2, key_length));
    auto counts = c_.warnings.Summary(CallerOf(req, s), *q, group_by, key_length);
    if (!counts.ok()) return ErrorResponse(counts.status());
    std::map<std::string, json> groups;
    json totals = {{"total", 0}, {"open", 0}, {"acknowledged", 0}, {"closed", 0}};
    for (const auto& c : *counts) {
      auto key = c.group;
      if (group_by == "region") key.resize(6, '0');
      auto& g = groups[key];
      if (g.is_null()) {
        g = {{"key", key},
             {"total", 0},
             {"by_status", json::object()},
             {"by_category", json::object()},
             {"by_severity", json::object()}};
        if (group_by == "region") g["name"] = names_.Region(key);
        if (group_by == "industry") g["name"] = names_.Industry(key);
        if (group_by == "rule") g["name"] = key;
      }
      g["total"] = g["total"].get<std::int64_t>() + c.count;
      for (auto [field, value] : {std::pair{"by_status", c.status}, std::pair{"by_category", c.category},
                                  std::pair{"by_severity", c.severity}}) {
        g[field][value] = g[field].value(value, std::int64_t{0}) + c.count;
      }
      totals["total"] = totals["total"].get<std::int64_t>() + c.count;
      totals[c.status] = totals[c.status].get<std::int64_t>() + c.count;
    }
    if (group_by == "region") {
      // Every child region, with none too: a map shades them all.
      auto prefix = parent.empty() ? std::string() : core::RegionPrefix(parent);
      for (const auto& code : names_.RegionsAt(prefix, key_length)) {
        if (groups.contains(code)) continue;
        groups[code] = {{"key", code},
                        {"name", names_.Region(code)},
                        {"total", 0},
                        {"by_status", json::object()},
                        {"by_category", json::object()},
                        {"by_severity", json::object()}};
      }
    }
    json items = json::array();
    for (auto& [key, g] : groups) items.push_back(std::move(g));
    return JsonResponse(200, {{"group_by", group_by}, {"groups", items}, {"totals", totals}});
  }

  Response Export(Request& req, const security::AuthenticatedSession& s) {
    auto q = QueryOf(req, 100'000);
    if (!q.ok()) return ErrorResponse(q.status());
    if (!req.Query("page_size")) q->page_size = 100'000;
    std::string format = req.Query("format").value_or("xlsx");
    if (format != "xlsx" && format != "csv") {
      return ErrorResponse(core::Status::InvalidArgument("invalid export", {{"format", "must be xlsx or csv"}}));
    }
    auto intended = c_.audit.Intend(s.principal.username, req.remote_address, "warning.export", format);
    if (!intended.ok()) return ErrorResponse(intended);
    auto page = c_.warnings.List(CallerOf(req, s), *q);
    if (!page.ok()) return ErrorResponse(page.status());
    Sheet sheet{.name = "预警",
                .header = {"编号", "类别", "规则", "级别", "状态", "地区", "企业", "计量点", "开始(UTC)", "结束(UTC)",
                           "说明", "确认人", "关闭人", "备注"},
                .widths = {10, 10, 20, 8, 10, 16, 30, 16, 22, 22, 60, 14, 14, 30}};
    for (const auto& w : page->first) {
      sheet.rows.push_back({w.id, w.category, w.rule, std::string(SeverityZh(w.severity)),
                            std::string(StatusZh(w.status)), names_.Region(w.region), w.enterprise_name, w.point_code,
                            core::FormatInstantUtc(w.from), w.to ? core::FormatInstantUtc(*w.to) : std::string(),
                            w.message, w.acknowledged_by, w.closed_by, w.note});
    }
    auto bytes = format == "csv" ? core::Result<std::string>(CsvBytes(sheet)) : XlsxBytes({sheet});
    if (!bytes.ok()) return ErrorResponse(bytes.status());
    (void)c_.audit.Record(s.principal.username, req.remote_address, "warning.export", format, "ok",
                          fmt::format("{} warnings", page->first.size()));
    return FileDownload(std::move(bytes).value(),
                        format == "csv" ? "text/csv; charset=utf-8"
                                        : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        "warnings." + format, "预警." + format);
  }

  Response RuleList(Request& req, const security::AuthenticatedSession& s) {
    auto scope = security::ScopeFor(s.principal, security::Action::kWarningRead);
    if (!scope.ok()) return ErrorResponse(scope.status());
    json items = json::array();
    for (const auto& r : warnings::Rules()) {
      if (s.principal.enterprise_id && !r.meter_health) continue;
      items.push_back({{"rule", r.id},
                       {"category", r.category},
                       {"severity", r.severity},
                       {"subject", r.subject == warnings::Subject::kPoint        ? "point"
                                   : r.subject == warnings::Subject::kEnterprise ? "enterprise"
                                                                                 : "region"},
                       {"event", r.event}});
    }
    return JsonResponse(200, {{"items", items}});
  }

  Response Thresholds(Request& req, const security::AuthenticatedSession& s) {
    auto scope = security::ScopeFor(s.principal, security::Action::kWarningRead);
    if (!scope.ok()) return ErrorResponse(scope.status());
    auto rows = c_.store.warnings().ListThresholds();
    if (!rows.ok()) return ErrorResponse(rows.status());
    json items = json::array();
    for (const auto& t : *rows) {
      items.push_back({{"rule", t.rule},
                       {"name", t.name},
                       {"version", t.version},
                       {"value", t.value},
                       {"unit", t.unit},
                       {"source", t.source},
                       {"changed_by", t.changed_by},
                       {"changed_at", core::FormatInstantUtc(t.changed_at)}});
    }
    return JsonResponse(200, {{"items", items}});
  }

  Response AddThreshold(Request& req, const security::AuthenticatedSession& s) {
    auto body = ParseJsonObject(req);
    if (!body.ok()) return ErrorResponse(body.status());
    auto added = c_.reference.AddThreshold(CallerOf(req, s), *body);
    if (!added.ok()) return ErrorResponse(added.status());
    c_.evaluator.ReevaluateAll();
    return JsonResponse(201, {{"rule", added->rule},
                              {"name", added->name},
                              {"version", added->version},
                              {"value", added->value},
                              {"unit", added->unit},
                              {"source", added->source},
                              {"changed_by", added->changed_by},
                              {"changed_at", core::FormatInstantUtc(added->changed_at)}});
  }

  Response ById(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto detail = c_.warnings.Get(CallerOf(req, s), *id);
    if (!detail.ok()) return ErrorResponse(detail.status());
    auto body = ItemJson(detail->warning);
    json events = json::array();
    for (const auto& e : detail->events) {
      events.push_back(
          {{"at", core::FormatInstantUtc(e.at)}, {"actor", e.actor}, {"action", e.action}, {"note", e.note}});
    }
    body["history"] = events;
    body["can"] = {{"handle", detail->can_handle}};
    return JsonResponse(200, body);
  }

  // {"note": "...", "resolution": "resolved"|"dismissed"}: fields other than those named are refused.
  core::Result<json> TransitionBody(const Request& req, std::initializer_list<const char*> fields) {
    auto body = ParseJsonObject(req);
    if (!body.ok()) return body.status();
    std::vector<core::FieldError> errors;
    for (const auto& [key, value] : body->items()) {
      if (std::find(fields.begin(), fields.end(), key) == fields.end()) {
        errors.push_back({key, "unknown field"});
      } else if (key != "ids" && !value.is_string() && !value.is_null()) {
        errors.push_back({key, "must be text"});
      }
    }
    if (!errors.empty()) return core::Status::InvalidArgument("invalid body", std::move(errors));
    return body;
  }

  static std::string Text(const json& body, const char* key, const std::string& fallback = "") {
    return body.contains(key) && body[key].is_string() ? body[key].get<std::string>() : fallback;
  }

  Response Acknowledge(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto body = TransitionBody(req, {"note"});
    if (!body.ok()) return ErrorResponse(body.status());
    auto done = c_.warnings.Acknowledge(CallerOf(req, s), *id, Text(*body, "note"));
    if (!done.ok()) return ErrorResponse(done.status());
    return JsonResponse(200, ItemJson(*done));
  }

  Response Close(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto body = TransitionBody(req, {"note", "resolution"});
    if (!body.ok()) return ErrorResponse(body.status());
    auto done = c_.warnings.Close(CallerOf(req, s), *id, Text(*body, "resolution", "resolved"), Text(*body, "note"));
    if (!done.ok()) return ErrorResponse(done.status());
    return JsonResponse(200, ItemJson(*done));
  }

  // {"ids": [1, 2], "note": "..."}: each acknowledged on its own; the answer says how each went.
  Response AcknowledgeMany(Request& req, const security::AuthenticatedSession& s) {
    if (auto may = c_.warnings.MayHandle(CallerOf(req, s)); !may.ok()) return ErrorResponse(may);
    auto body = TransitionBody(req, {"ids", "note"});
    if (!body.ok()) return ErrorResponse(body.status());
    const auto& ids = (*body)["ids"];
    if (!ids.is_array() || ids.empty() || ids.size() > 500 || !std::all_of(ids.begin(), ids.end(), [](const json& v) {
          return v.is_number_integer() && v.get<std::int64_t>() > 0;
        })) {
      return ErrorResponse(core::Status::InvalidArgument(
          "invalid ids", {{"ids", "must be a list of 1 to 500 warning ids (positive integers)"}}));
    }
    json results = json::array();
    int done = 0;
    for (const auto& v : ids) {
      auto id = v.get<std::int64_t>();
      auto r = c_.warnings.Acknowledge(CallerOf(req, s), id, Text(*body, "note"));
      if (r.ok()) ++done;
      results.push_back({{"id", id},
                         {"ok", r.ok()},
                         {"error", r.ok() ? json(nullptr) : json(core::StatusCodeName(r.status().code()))},
                         {"message", r.ok() ? json(nullptr) : json(r.status().message())}});
    }
    return JsonResponse(200, {{"acknowledged", done}, {"results", results}});
  }

  static json PrefsJson(const storage::NotificationPrefs& p) {
    return {{"categories", p.categories},
            {"min_severity", p.min_severity},
            {"webhook", p.webhook},
            {"seen_until", p.seen_until ? json(core::FormatInstantUtc(p.seen_until)) : json(nullptr)}};
  }

  Response Notifications(Request& req, const security::AuthenticatedSession& s) {
    std::vector<core::FieldError> errors;
    int limit = static_cast<int>(IntQuery(req, "limit", 10, 1, 100, errors));
    if (!errors.empty()) return ErrorResponse(core::Status::InvalidArgument("invalid query", std::move(errors)));
    auto n = c_.warnings.NotificationsOf(CallerOf(req, s), limit);
    if (!n.ok()) return ErrorResponse(n.status());
    json recent = json::array();
    for (const auto& w : n->recent) recent.push_back(ItemJson(w));
    return JsonResponse(200,
                        {{"todo", n->todo}, {"unread", n->unread}, {"recent", recent}, {"prefs", PrefsJson(n->prefs)}});
  }

  Response MarkRead(Request& req, const security::AuthenticatedSession& s) {
    auto done = c_.warnings.MarkRead(CallerOf(req, s));
    if (!done.ok()) return ErrorResponse(done);
    return JsonResponse(200, {{"ok", true}});
  }

  Response SetPrefs(Request& req, const security::AuthenticatedSession& s) {
    if (auto may = c_.warnings.MayRead(CallerOf(req, s)); !may.ok()) return ErrorResponse(may);
    auto body = ParseJsonObject(req);
    if (!body.ok()) return ErrorResponse(body.status());
    std::vector<core::FieldError> errors;
    std::vector<std::string> categories;
    std::string min_severity = "warning";
    bool webhook = true;
    for (const auto& [key, value] : body->items()) {
      if (key == "categories") {
        if (!value.is_array() || !std::all_of(value.begin(), value.end(), [](const json& v) { return v.is_string(); }))
          errors.push_back({key, "must be a list of policy, data, workflow"});
        else
          for (const auto& v : value) categories.push_back(v.get<std::string>());
      } else if (key == "min_severity") {
        if (value.is_string())
          min_severity = value.get<std::string>();
        else
          errors.push_back({key, "must be info, warning or critical"});
      } else if (key == "webhook") {
        if (value.is_boolean())
          webhook = value.get<bool>();
        else
          errors.push_back({key, "must be true or false"});
      } else {
        errors.push_back({key, "unknown field"});
      }
    }
    if (!body->contains("categories")) errors.push_back({"categories", "is required"});
    if (!errors.empty()) return ErrorResponse(core::Status::InvalidArgument("invalid preferences", std::move(errors)));
    auto prefs = c_.warnings.SetPrefs(CallerOf(req, s), categories, min_severity, webhook);
    if (!prefs.ok()) return ErrorResponse(prefs.status());
    return JsonResponse(200, PrefsJson(*prefs));
  }

  const ApiContext c_;
  ReferenceNames names_;
};

}  // namespace

std::unique_ptr<Api> RegisterWarningApi(Gate& gate, const ApiContext& c) {
  return std::make_unique<WarningApi>(gate, c);
}

}  // namespace kiln::http
