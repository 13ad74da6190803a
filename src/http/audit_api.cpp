// The audit log: filtered pages and an export, for audit.read.

#include <fmt/format.h>

#include "http/apis.hpp"
#include "http/spreadsheet.hpp"

namespace kiln::http {
namespace {

using nlohmann::json;

class AuditApi final : public Api {
 public:
  AuditApi(Gate& gate, const ApiContext& c) : c_(c) {
    gate.Session("GET", "/api/v1/audit/export", this, &AuditApi::Export);
    gate.Session("GET", "/api/v1/audit", this, &AuditApi::List);
  }

 private:
  core::Result<storage::AuditFilter> Filter(const Request& req, const security::AuthenticatedSession& s,
                                            std::int64_t max_limit) {
    KILN_RETURN_IF_ERROR(security::Authorize(s.principal, security::Action::kAuditRead, {}));
    storage::AuditFilter f;
    std::vector<core::FieldError> errors;
    f.username = req.Query("username").value_or("");
    f.action_prefix = req.Query("action").value_or("");
    f.result = req.Query("result").value_or("");
    for (auto [name, slot] : {std::pair{"from", &f.from}, std::pair{"to", &f.to}}) {
      if (auto v = req.Query(name)) {
        if (auto t = ParseTimeParam(*v))
          *slot = *t;
        else
          errors.push_back({name, "must be ISO 8601 with an offset or a date YYYY-MM-DD"});
      }
    }
    f.limit = static_cast<int>(IntQuery(req, "limit", std::min<std::int64_t>(100, max_limit), 1, max_limit, errors));
    f.before_id = IntQuery(req, "before_id", 0, 0, std::numeric_limits<std::int64_t>::max(), errors);
    if (!errors.empty()) return core::Status::InvalidArgument("invalid audit query", std::move(errors));
    return f;
  }

  static json EntryJson(const storage::AuditEntry& e) {
    return {{"id", e.id},
            {"at", core::FormatInstantUtc(e.at)},
            {"username", e.username},
            {"address", e.address},
            {"action", e.action},
            {"target", e.target},
            {"result", e.result},
            {"detail", e.detail},
            {"hash", e.hash}};
  }

  Response List(Request& req, const security::AuthenticatedSession& s) {
    auto filter = Filter(req, s, 1000);
    if (!filter.ok()) return ErrorResponse(filter.status());
    auto entries = c_.store.ListAudit(*filter);
    if (!entries.ok()) return ErrorResponse(entries.status());
    json items = json::array();
    for (const auto& e : *entries) items.push_back(EntryJson(e));
    return JsonResponse(200, {{"items", items}});
  }

  Response Export(Request& req, const security::AuthenticatedSession& s) {
    auto filter = Filter(req, s, 100'000);
    if (!filter.ok()) return ErrorResponse(filter.status());
    if (!req.Query("limit")) filter->limit = 100'000;
    std::string format = req.Query("format").value_or("xlsx");
    if (format != "xlsx" && format != "csv") {
      return ErrorResponse(core::Status::InvalidArgument("invalid export", {{"format", "must be xlsx or csv"}}));
    }
    auto intended = c_.audit.Intend(s.principal.username, req.remote_address, "audit.export", format);
    if (!intended.ok()) return ErrorResponse(intended);
    auto entries = c_.store.ListAudit(*filter);
    if (!entries.ok()) return ErrorResponse(entries.status());
    Sheet sheet{.name = "审计日志",
                .header = {"序号", "时间(UTC)", "用户", "地址", "操作", "对象", "结果", "详情", "哈希"},
                .widths = {10, 24, 16, 16, 28, 28, 14, 48, 20}};
    for (const auto& e : *entries) {
      sheet.rows.push_back(
          {e.id, core::FormatInstantUtc(e.at), e.username, e.address, e.action, e.target, e.result, e.detail, e.hash});
    }
    auto bytes = format == "csv" ? core::Result<std::string>(CsvBytes(sheet)) : XlsxBytes({sheet});
    if (!bytes.ok()) return ErrorResponse(bytes.status());
    (void)c_.audit.Record(s.principal.username, req.remote_address, "audit.export", format, "ok",
                          fmt::format("{} entries", entries->size()));
    return FileDownload(std::move(bytes).value(),
                        format == "csv" ? "text/csv; charset=utf-8"
                                        : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        "audit." + format, "审计日志." + format);
  }

  const ApiContext c_;
};

}  // namespace

std::unique_ptr<Api> RegisterAuditApi(Gate& gate, const ApiContext& c) { return std::make_unique<AuditApi>(gate, c); }

}  // namespace kiln::http
