// Meter data: signed ingest (POST /api/v1/readings), a point's series and an
// enterprise's access-end keys.

#include <fmt/format.h>

#include <cmath>

#include "http/apis.hpp"
#include "ingest/batch_decoder.hpp"

namespace kiln::http {
namespace {

using nlohmann::json;

class MeterApi final : public Api {
 public:
  MeterApi(Gate& gate, const ApiContext& c) : d_(c) {
    gate.Signed("POST", "/api/v1/readings", [this](Request& req) { return PostReadings(req); });
    gate.Session("GET", "/api/v1/points/{id}/series", this, &MeterApi::Series);
    gate.Session("GET", "/api/v1/enterprises/{id}/keys", this, &MeterApi::ListKeys);
    gate.Session("POST", "/api/v1/enterprises/{id}/keys", this, &MeterApi::IssueKey);
    gate.Session("POST", "/api/v1/enterprises/{id}/keys/{key_id}/revoke", this, &MeterApi::RevokeKey);
  }

 private:
  Response PostReadings(Request& req) {
    auto credential = d_.machine_auth.VerifyKeepingNonce(req.method, req.path, req.Header("authorization"), req.body);
    if (!credential.ok()) {
      (void)d_.audit.Record("", req.remote_address, "machine.auth_failed", req.path, credential.status().reason(),
                            credential.status().message());
      return ErrorResponse(credential.status());
    }
    if (credential->IsDepartment()) {
      (void)d_.audit.Record(credential->key_id, req.remote_address, "access.denied", req.path, "permission_denied",
                            "a department key cannot write meter readings");
      return ErrorResponse(core::Status::PermissionDenied("a department key cannot write meter readings"));
    }
    std::string inflated;
    const std::string* body = &req.body;
    auto encoding = req.Header("content-encoding");
    if (encoding == "gzip") {
      auto out = ingest::Gunzip(req.body, d_.options.max_inflated_bytes);
      if (!out.ok()) {
        if (out.status().code() == core::StatusCode::kResourceExhausted) {
          return ErrorResponse(413, "payload_too_large", out.status().message());
        }
        return ErrorResponse(out.status());
      }
      inflated = std::move(out).value();
      body = &inflated;
    } else if (!encoding.empty() && encoding != "identity") {
      return ErrorResponse(core::Status::InvalidArgument("unsupported Content-Encoding " + encoding,
                                                         {{"Content-Encoding", "must be gzip or absent"}}));
    }
    auto batch = ingest::DecodeBatch(*body);
    if (!batch.ok()) {
      if (batch.status().code() == core::StatusCode::kResourceExhausted) {
        return ErrorResponse(413, "payload_too_large", batch.status().message());
      }
      return ErrorResponse(batch.status());
    }
    auto summary = d_.pipeline.Submit({credential->key_id, credential->enterprise_id, credential->nonce},
                                      std::move(batch).value());
    if (!summary.ok()) {
      return ErrorResponse(summary.status().code() == core::StatusCode::kResourceExhausted
                               ? core::Status::Unavailable(summary.status().message()).WithReason("overloaded")
                               : summary.status());
    }
    return JsonResponse(200, ingest::IngestSummaryJson(*summary));
  }

  Response Series(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return ErrorResponse(id.status());
    auto point = d_.registry.Get({s.principal, req.remote_address}, registry::Kind::kPoint, *id);
    if (!point.ok()) return ErrorResponse(point.status());
    std::vector<core::FieldError> errors;
    auto now = d_.clock.Now();
    core::UnixMillis to = now, from = now - 86'400'000;
    if (auto v = req.Query("from")) {
      if (auto t = ParseTimeParam(*v))
        from = *t;
      else
        errors.push_back({"from", "must be ISO 8601 with an offset or a date YYYY-MM-DD"});
    }
    if (auto v = req.Query("to")) {
      if (auto t = ParseTimeParam(*v))
        to = *t;
      else
        errors.push_back({"to", "must be ISO 8601 with an offset or a date YYYY-MM-DD"});
    }
    std::string step = req.Query("step").value_or("raw");
    if (step != "raw" && step != "hour" && step != "day" && step != "month") {
      errors.push_back({"step", "must be raw, hour, day or month"});
    }
    if (errors.empty() && to <= from) errors.push_back({"to", "must be after from"});
    if (errors.empty() && step == "raw" && to - from > d_.options.max_raw_days * 86'400'000) {
      errors.push_back(
          {"to", fmt::format("raw series span at most {} days; use step=hour or day", d_.options.max_raw_days)});
    }
    if (!errors.empty()) return ErrorResponse(core::Status::InvalidArgument("invalid series query", errors));
    json out = {{"point", core::RecordToJson(core::MeteringPointSchema(), *point)},
                {"from", core::FormatInstantUtc(from)},
                {"to", core::FormatInstantUtc(to)},
                {"step", step}};
    std::string kind = storage::AsText(point->at("kind"));
    if (step == "raw") {
      auto readings = d_.store.Readings(*id, from, to);
      if (!readings.ok()) return ErrorResponse(readings.status());
      json items = json::array();
      for (const auto& r : *readings)
        items.push_back({{"ts", core::FormatInstantUtc(r.ts)}, {"v", r.value}, {"q", r.quality}});
      out["readings"] = std::move(items);
      if (kind == "register") {
        auto intervals = d_.store.Intervals(*id, from, to);
        if (!intervals.ok()) return ErrorResponse(intervals.status());
        json ivs = json::array();
        for (const auto& iv : *intervals) {
          ivs.push_back({{"start", core::FormatInstantUtc(iv.start)},
                         {"end", core::FormatInstantUtc(iv.end)},
                         {"amount", iv.amount ? json(std::round(*iv.amount * 1e6) / 1e6) : json(nullptr)},
                         {"flags", core::IntervalFlagsText(iv.flags)},
                         {"counted", iv.counted()}});
        }
        out["intervals"] = std::move(ivs);
      }
      return JsonResponse(200, out);
    }
    auto period = step == "hour"  ? storage::RollupPeriod::kHour
                  : step == "day" ? storage::RollupPeriod::kDay
                                  : storage::RollupPeriod::kMonth;
    auto rollups = d_.store.Rollups(*id, period, from, to);
    if (!rollups.ok()) return ErrorResponse(rollups.status());
    json items = json::array();
    for (const auto& r : *rollups) {
      items.push_back(
          {{"start", core::FormatInstantUtc(r.start)},
           {"sum", std::round(r.sum * 1e6) / 1e6},  // sums of decimals carry float noise
           {"count", r.count},
           {"expected", r.expected},
           {"completeness", r.expected > 0 ? std::min(1.0, static_cast<double>(r.count) / r.expected) : 0.0},
           {"min", r.min},
           {"max", r.max},
           {"first", r.first},
           {"last", r.last},
           {"flagged", r.flagged}});
    }
    out["items"] = std::move(items);
    return JsonResponse(200, out);
  }

  // The enterprise, if the caller may manage its access-end keys.
  core::Result<core::Record> KeyOwner(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return id.status();
    return d_.registry.Authorized({s.principal, req.remote_address}, registry::Kind::kEnterprise, *id,
                                  security::Action::kAccessKeyManage);
  }

  Response ListKeys(Request& req, const security::AuthenticatedSession& s) {
    auto owner = KeyOwner(req, s);
    if (!owner.ok()) return ErrorResponse(owner.status());
    auto keys = d_.store.ListMachineKeys(storage::AsInt(owner->at("id")));
    if (!keys.ok()) return ErrorResponse(keys.status());
    json items = json::array();
    for (const auto& k : *keys) {
      items.push_back({{"key_id", k.key_id},
                       {"created_at", core::FormatInstantUtc(k.created_at)},
                       {"created_by", k.created_by},
                       {"revoked", k.revoked}});
    }
    return JsonResponse(200, {{"items", items}});
  }

  Response IssueKey(Request& req, const security::AuthenticatedSession& s) {
    auto owner = KeyOwner(req, s);
    if (!owner.ok()) return ErrorResponse(owner.status());
    auto intended = d_.audit.Intend(s.principal.username, req.remote_address, "key.issue",
                                    fmt::format("enterprises:{}", storage::AsInt(owner->at("id"))));
    if (!intended.ok()) return ErrorResponse(intended);
    auto key = d_.machine_auth.Issue(storage::AsInt(owner->at("id")), s.principal.username);
    (void)d_.audit.Record(s.principal.username, req.remote_address, "key.issue",
                          key.ok() ? "machine_keys:" + key->key_id : "", key.ok() ? "ok" : "error");
    if (!key.ok()) return ErrorResponse(key.status());
    auto res = JsonResponse(201, {{"key_id", key->key_id},
                                  {"secret", key->secret},
                                  {"enterprise_id", key->enterprise_id},
                                  {"uscc", storage::AsText(owner->at("uscc"))}});
    res.headers.emplace_back("Cache-Control", "no-store");
    return res;
  }

  Response RevokeKey(Request& req, const security::AuthenticatedSession& s) {
    auto owner = KeyOwner(req, s);
    if (!owner.ok()) return ErrorResponse(owner.status());
    const auto& key_id = req.path_params.at("key_id");
    auto key = d_.store.FindMachineKey(key_id);
    if (!key.ok()) return ErrorResponse(key.status());
    if (!*key || (*key)->enterprise_id != storage::AsInt(owner->at("id"))) {
      return ErrorResponse(core::Status::NotFound("no key " + key_id + " for this enterprise"));
    }
    auto intended = d_.audit.Intend(s.principal.username, req.remote_address, "key.revoke", "machine_keys:" + key_id);
    if (!intended.ok()) return ErrorResponse(intended);
    auto status = d_.store.RevokeMachineKey(key_id);
    (void)d_.audit.Record(s.principal.username, req.remote_address, "key.revoke", "machine_keys:" + key_id,
                          status.ok() ? "ok" : core::StatusCodeName(status.code()));
    if (!status.ok()) return ErrorResponse(status);
    return JsonResponse(200, {{"key_id", key_id}, {"revoked", true}});
  }

  const ApiContext d_;
};

}  // namespace

std::unique_ptr<Api> RegisterMeterApi(Gate& gate, const ApiContext& c) { return std::make_unique<MeterApi>(gate, c); }

}  // namespace kiln::http
