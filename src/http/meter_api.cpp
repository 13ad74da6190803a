#include "http/meter_api.hpp"

#include <cmath>
#include <map>
#include <set>
#include <tuple>
#include <fmt/format.h>

#include "core/conversion.hpp"
#include "core/energy_types.hpp"
#include "core/regions.hpp"
#include "core/registry_schema.hpp"
#include "http/reference_names.hpp"
#include "http/session_guard.hpp"

namespace kiln::http {
namespace {

using nlohmann::json;

// The energy_types of /api/v1/energy that ask for comprehensive energy in tce and for CO2 in t.
constexpr const char* kComprehensive = "comprehensive";
constexpr const char* kCo2 = "co2";

// Accepts ISO 8601 with offset, or a date (00:00 China time).
std::optional<core::UnixMillis> ParseTimeParam(const std::string& text) {
  if (auto date = core::ParseDate(text)) return core::ChinaMidnight(*date);
  return core::ParseInstant(text);
}

class MeterApi {
 public:
  MeterApi(const MeterApiDeps& d, const MeterApiOptions& o) : d_(d), options_(o), names_(d.store) {}

  void Register(Router& r) {
    r.Add("POST", "/api/v1/readings", [this](Request& req) { return PostReadings(req); });
    r.Add("GET", "/api/v1/points/{id}/series",
          RequireSession(d_.identity, [this](Request& req, const auto& s) { return Series(req, s); }));
    r.Add("GET", "/api/v1/workbench",
          RequireSession(d_.identity, [this](Request& req, const auto& s) { return Workbench(req, s); }));
    r.Add("GET", "/api/v1/energy",
          RequireSession(d_.identity, [this](Request& req, const auto& s) { return Energy(req, s); }));
    r.Add("GET", "/api/v1/completeness",
          RequireSession(d_.identity, [this](Request& req, const auto& s) { return Completeness(req, s); }));
    r.Add("GET", "/api/v1/enterprises/{id}/keys",
          RequireSession(d_.identity, [this](Request& req, const auto& s) { return ListKeys(req, s); }));
    r.Add("POST", "/api/v1/enterprises/{id}/keys",
          RequireSession(d_.identity, [this](Request& req, const auto& s) { return IssueKey(req, s); }));
    r.Add("POST", "/api/v1/enterprises/{id}/keys/{key_id}/revoke",
          RequireSession(d_.identity, [this](Request& req, const auto& s) { return RevokeKey(req, s); }));
  }

 private:
  Response PostReadings(Request& req) {
    auto credential = d_.machine_auth.VerifyKeepingNonce(req.method, req.path, req.Header("authorization"), req.body);
    if (!credential.ok()) return ErrorResponse(credential.status());
    if (credential->IsDepartment()) {
      return ErrorResponse(core::Status::PermissionDenied("a department key cannot write meter readings"));
    }
    std::string inflated;
    const std::string* body = &req.body;
    auto encoding = req.Header("content-encoding");
    if (encoding == "gzip") {
      auto out = ingest::Gunzip(req.body, options_.max_inflated_bytes);
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
      auto res = ErrorResponse(summary.status().code() == core::StatusCode::kResourceExhausted
                                   ? core::Status::Unavailable(summary.status().message()).WithReason("overloaded")
                                   : summary.status());
      if (res.status == 503) res.headers.emplace_back("Retry-After", "1");
      return res;
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
      if (auto t = ParseTimeParam(*v)) from = *t;
      else errors.push_back({"from", "must be ISO 8601 with an offset or a date YYYY-MM-DD"});
    }
    if (auto v = req.Query("to")) {
      if (auto t = ParseTimeParam(*v)) to = *t;
      else errors.push_back({"to", "must be ISO 8601 with an offset or a date YYYY-MM-DD"});
    }
    std::string step = req.Query("step").value_or("raw");
    if (step != "raw" && step != "hour" && step != "day" && step != "month") {
      errors.push_back({"step", "must be raw, hour, day or month"});
    }
    if (errors.empty() && to <= from) errors.push_back({"to", "must be after from"});
    if (errors.empty() && step == "raw" && to - from > options_.max_raw_days * 86'400'000) {
      errors.push_back({"to", fmt::format("raw series span at most {} days; use step=hour or day", options_.max_raw_days)});
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
      for (const auto& r : *readings) items.push_back({{"ts", core::FormatInstantUtc(r.ts)}, {"v", r.value}, {"q", r.quality}});
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
    auto period = step == "hour" ? storage::RollupPeriod::kHour
                  : step == "day" ? storage::RollupPeriod::kDay
                                  : storage::RollupPeriod::kMonth;
    auto rollups = d_.store.Rollups(*id, period, from, to);
    if (!rollups.ok()) return ErrorResponse(rollups.status());
    json items = json::array();
    for (const auto& r : *rollups) {
      items.push_back({{"start", core::FormatInstantUtc(r.start)},
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

  Response Energy(Request& req, const security::AuthenticatedSession& s) {
    auto scope = security::ScopeFor(s.principal, security::kEnterpriseRead);
    if (!scope.ok()) return ErrorResponse(scope.status());
    std::vector<core::FieldError> errors;
    storage::EnergyQuery q;
    q.group_by = req.Query("group_by").value_or("region");
    if (q.group_by != "region" && q.group_by != "industry" && q.group_by != "enterprise") {
      errors.push_back({"group_by", "must be region, industry or enterprise"});
    }
    q.energy_type = req.Query("energy_type").value_or("electricity");
    const bool comprehensive = q.energy_type == kComprehensive;
    const bool co2 = q.energy_type == kCo2;
    auto type = core::FindEnergyType(q.energy_type);
    if (!type && !comprehensive && !co2) errors.push_back({"energy_type", "unknown energy type " + q.energy_type});
    auto convention = options_.electricity_convention;
    if (auto v = req.Query("convention")) {
      if (auto c = core::ParseElectricityConvention(*v)) convention = *c;
      else errors.push_back({"convention", "must be equivalent or equal"});
    }
    q.step = req.Query("step").value_or("month");
    if (q.step != "day" && q.step != "month") errors.push_back({"step", "must be day or month"});
    q.industry = req.Query("industry").value_or("");
    auto today = core::ChinaDateOf(d_.clock.Now());
    q.from = core::ChinaMidnight({today.year, 1, 1});
    q.to = d_.clock.Now() + 1;
    if (auto v = req.Query("from")) {
      if (auto t = ParseTimeParam(*v)) q.from = *t;
      else errors.push_back({"from", "must be ISO 8601 with an offset or a date YYYY-MM-DD"});
    }
    if (auto v = req.Query("to")) {
      if (auto t = ParseTimeParam(*v)) q.to = *t;
      else errors.push_back({"to", "must be ISO 8601 with an offset or a date YYYY-MM-DD"});
    }
    int limit = std::clamp(std::atoi(req.Query("limit").value_or("50").c_str()), 1, 1000);
    std::string region = req.Query("region").value_or("");
    security::ListScope effective = *scope;
    bool nothing = false;
    if (!region.empty()) {
      if (core::LevelOfRegionCode(region) == core::RegionLevel::kInvalid) {
        errors.push_back({"region", "must be a GB/T 2260 region code"});
      } else if (auto narrowed = security::NarrowToRegion(*scope, region)) {
        effective = *narrowed;
      } else {
        nothing = true;  // filtered, not refused
      }
    }
    std::optional<std::int64_t> enterprise;
    if (auto v = req.Query("enterprise")) {
      char* end = nullptr;
      long long id = std::strtoll(v->c_str(), &end, 10);
      if (v->empty() || *end != '\0' || id <= 0) errors.push_back({"enterprise", "must be an enterprise id"});
      else enterprise = id;
    }
    if (!errors.empty()) return ErrorResponse(core::Status::InvalidArgument("invalid energy query", errors));
    if (enterprise) {
      // Out of scope answers 404 like every other record, not an empty list that hides the refusal.
      auto e = d_.registry.Get({s.principal, req.remote_address}, registry::Kind::kEnterprise, *enterprise);
      if (!e.ok()) return ErrorResponse(e.status());
      effective.enterprise_id = *enterprise;
    }
    q.region_prefix = effective.region_prefix;
    q.enterprise_id = effective.enterprise_id;
    // Regions group one level below the requested one: province -> cities -> counties.
    q.group_key_length = effective.region_prefix.size() <= 2 ? 4 : 6;
    std::vector<storage::EnergyRow> rows;
    json factors = json::array();
    if (!nothing && comprehensive) {
      // Comprehensive energy: each type's totals at the coefficient in force on the period's first day.
      auto all = d_.store.ListConversionFactors();
      if (!all.ok()) return ErrorResponse(all.status());
      auto types = core::EnergyTypesWithCoefficients(*all);
      auto weighted = WeightedTotals(q, {types.begin(), types.end()}, factors,
                                     [&](const std::string& type, const std::string& date) -> std::optional<Weight> {
                                       auto f = core::FactorInForce(*all, type, convention, date);
                                       if (!f) return std::nullopt;
                                       return Weight{f->kgce_per_unit, core::FactorJson(*f)};
                                     });
      if (!weighted.ok()) return ErrorResponse(weighted.status());
      rows = std::move(weighted).value();
      q.energy_type = kComprehensive;
    } else if (!nothing && co2) {
      // CO2: fuels at their factor, electricity at the grid factor of the configured region and year.
      auto all = d_.store.ListCo2Factors();
      if (!all.ok()) return ErrorResponse(all.status());
      std::set<std::string> types;
      for (const auto& f : *all) types.insert(f.energy_type);
      auto weighted = WeightedTotals(q, types, factors,
                                     [&](const std::string& type, const std::string& date) -> std::optional<Weight> {
                                       auto f = core::Co2FactorFor(*all, type, options_.grid, date);
                                       if (!f) return std::nullopt;
                                       return Weight{f->kg_per_unit, core::Co2FactorJson(*f)};
                                     });
      if (!weighted.ok()) return ErrorResponse(weighted.status());
      rows = std::move(weighted).value();
      q.energy_type = kCo2;
    } else if (!nothing) {
      auto totals = d_.store.EnergyTotals(q);
      if (!totals.ok()) return ErrorResponse(totals.status());
      rows = std::move(totals).value();
    }
    std::map<std::string, std::pair<double, json>> groups;
    for (const auto& r : rows) {
      auto& g = groups[r.group];
      if (g.second.is_null()) g.second = json::array();
      g.first += r.amount;
      g.second.push_back({{"start", core::FormatInstantUtc(r.start)}, {"amount", std::round(r.amount * 1000) / 1000}});
    }
    std::vector<std::pair<std::string, std::pair<double, json>>> ordered(groups.begin(), groups.end());
    std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.second.first > b.second.first; });
    if (ordered.size() > static_cast<size_t>(limit)) ordered.resize(limit);
    json items = json::array();
    for (auto& [key, value] : ordered) {
      std::string code = key, name;
      if (q.group_by == "region") {
        code = key + std::string(6 - std::min<size_t>(6, key.size()), '0');
        name = names_.Region(code);
      } else if (q.group_by == "industry") {
        name = names_.Industry(key);
      } else {
        auto e = d_.store.GetRecord(core::EnterpriseSchema(), std::atoll(key.c_str()));
        if (e.ok()) name = storage::AsText(e->at("name"));
      }
      items.push_back({{"key", code}, {"name", name}, {"total", std::round(value.first * 1000) / 1000},
                       {"series", std::move(value.second)}});
    }
    json body = {{"group_by", q.group_by},
                 {"energy_type", q.energy_type},
                 {"unit", comprehensive ? std::string("tce") : co2 ? std::string("t") : std::string(type->unit)},
                              {"step", q.step},
                              {"from", core::FormatInstantUtc(q.from)},
                              {"to", core::FormatInstantUtc(q.to)},
                              {"items", items}};
    if (comprehensive) {
      body["convention"] = core::ElectricityConventionName(convention);
      body["factors"] = std::move(factors);
    }
    if (co2) {
      body["grid"] = {{"region", options_.grid.region}, {"year", options_.grid.year}};
      body["factors"] = std::move(factors);
    }
    return JsonResponse(200, body);
  }

  // A factor per unit of an energy type (kg of standard coal or of CO2) and its wire form.
  struct Weight {
    double kg_per_unit;
    json factor;
  };

  // Several energy types' totals weighed into one figure in tonnes: each period's amount times the
  // factor `weigh` finds in force on the period's first day. Every factor used is listed once in `used`.
  template <typename Weigh>
  core::Result<std::vector<storage::EnergyRow>> WeightedTotals(storage::EnergyQuery q, const std::set<std::string>& types,
                                                               json& used, Weigh weigh) {
    std::map<std::pair<std::string, core::UnixMillis>, double> tonnes;
    std::set<std::string> listed;
    for (const auto& type : types) {
      q.energy_type = type;
      auto totals = d_.store.EnergyTotals(q);
      if (!totals.ok()) return totals.status();
      for (const auto& r : *totals) {
        auto w = weigh(type, core::FormatDate(core::ChinaDateOf(r.start)));
        if (!w) continue;
        tonnes[{r.group, r.start}] += r.amount * w->kg_per_unit / 1000.0;
        if (listed.insert(w->factor.dump()).second) used.push_back(w->factor);
      }
    }
    std::vector<storage::EnergyRow> rows;
    for (const auto& [key, amount] : tonnes) rows.push_back({key.first, key.second, amount});
    return rows;
  }

  // The metering points behind the workbench's completeness figure: those short of samples on a day.
  Response Completeness(Request& req, const security::AuthenticatedSession& s) {
    auto scope = security::ScopeFor(s.principal, security::kEnterpriseRead);
    if (!scope.ok()) return ErrorResponse(scope.status());
    std::vector<core::FieldError> errors;
    auto now = d_.clock.Now();
    auto today = core::ChinaDateOf(now);
    auto date = today;
    if (auto v = req.Query("date")) {
      if (auto d = core::ParseDate(*v)) date = *d;
      else errors.push_back({"date", "must be a date YYYY-MM-DD"});
    }
    double below = 0.9;
    if (auto v = req.Query("below")) {
      char* end = nullptr;
      below = std::strtod(v->c_str(), &end);
      if (v->empty() || *end != '\0' || !(below > 0 && below <= 1)) errors.push_back({"below", "must be a ratio in (0, 1]"});
    }
    int page = std::max(1, std::atoi(req.Query("page").value_or("1").c_str()));
    int page_size = std::clamp(std::atoi(req.Query("page_size").value_or("50").c_str()), 1, 500);
    auto day_start = core::ChinaMidnight(date);
    if (errors.empty() && day_start > now) errors.push_back({"date", "must not be in the future"});
    if (!errors.empty()) return ErrorResponse(core::Status::InvalidArgument("invalid completeness query", errors));
    std::int64_t elapsed_s = std::min<std::int64_t>(86'400, (now - day_start) / 1000);
    auto rows = d_.store.IncompletePoints(scope->region_prefix, scope->enterprise_id, day_start, elapsed_s, below);
    if (!rows.ok()) return ErrorResponse(rows.status());
    json items = json::array();
    for (size_t i = static_cast<size_t>(page - 1) * page_size; i < rows->size() && items.size() < static_cast<size_t>(page_size); ++i) {
      const auto& r = (*rows)[i];
      items.push_back({{"point_id", r.point_id}, {"point_code", r.code}, {"point_name", r.name},
                       {"measures", r.measures}, {"interval_s", r.interval_s}, {"enterprise_id", r.enterprise_id},
                       {"enterprise_name", r.enterprise_name}, {"region", r.region},
                       {"region_name", names_.Region(r.region)}, {"received", r.received}, {"expected", r.expected},
                       {"ratio", r.expected > 0 ? static_cast<double>(r.received) / r.expected : 0.0}});
    }
    return JsonResponse(200, {{"date", core::FormatDate(date)}, {"below", below}, {"elapsed_s", elapsed_s},
                              {"total", rows->size()}, {"page", page}, {"page_size", page_size}, {"items", items}});
  }

  // The first figures an official looks at, for the caller's jurisdiction.
  Response Workbench(Request& req, const security::AuthenticatedSession& s) {
    auto scope = security::ScopeFor(s.principal, security::kEnterpriseRead);
    if (!scope.ok()) return ErrorResponse(scope.status());
    registry::Caller caller{s.principal, req.remote_address};
    auto count = [&](registry::Kind kind, const std::string& status, std::optional<bool> key_unit = std::nullopt)
        -> core::Result<std::int64_t> {
      registry::ListRequest lr;
      lr.page_size = 1;
      lr.status = status;
      lr.key_energy_unit = key_unit;
      auto page = d_.registry.List(caller, kind, lr);
      if (!page.ok()) return page.status();
      return page->total;
    };
    json enterprises = json::object(), projects = json::object();
    for (const char* status : core::kEnterpriseStatuses) {
      auto n = count(registry::Kind::kEnterprise, status);
      if (!n.ok()) return ErrorResponse(n.status());
      enterprises[status] = *n;
    }
    auto key_units = count(registry::Kind::kEnterprise, "", true);
    if (!key_units.ok()) return ErrorResponse(key_units.status());
    enterprises["key_energy_units"] = *key_units;
    if (s.principal.permissions.contains(std::string(security::kProjectRead))) {
      for (const char* state : core::kProjectStates) {
        auto n = count(registry::Kind::kProject, state);
        if (!n.ok()) return ErrorResponse(n.status());
        projects[state] = *n;
      }
    }
    auto now = d_.clock.Now();
    auto today = core::ChinaDateOf(now);
    auto day_start = core::ChinaMidnight(today);
    auto month_start = core::ChinaMidnight({today.year, today.month, 1});
    auto total = [&](const char* step, core::UnixMillis from, const char* group_by,
                     const char* energy_type = "electricity") -> core::Result<std::vector<storage::EnergyRow>> {
      storage::EnergyQuery q{.group_by = group_by, .region_prefix = scope->region_prefix,
                             .enterprise_id = scope->enterprise_id, .energy_type = energy_type, .step = step,
                             .from = from, .to = now + 1, .group_key_length = 2};
      return d_.store.EnergyTotals(q);
    };
    auto sum = [](const std::vector<storage::EnergyRow>& rows) {
      double x = 0;
      for (const auto& r : rows) x += r.amount;
      return std::round(x * 1000) / 1000;
    };
    // Comprehensive energy (tce) today and this month, at both electricity conventions.
    auto factors = d_.store.ListConversionFactors();
    if (!factors.ok()) return ErrorResponse(factors.status());
    json comprehensive = {{"dual_control", core::ElectricityConventionName(options_.electricity_convention)}};
    for (auto [name, step, from] : {std::tuple{"today", "day", day_start}, std::tuple{"month", "month", month_start}}) {
      auto by_type = total(step, from, "energy_type", "");
      if (!by_type.ok()) return ErrorResponse(by_type.status());
      std::map<std::string, double> amounts;
      for (const auto& r : *by_type) amounts[r.group] += r.amount;
      auto date = core::FormatDate(core::ChinaDateOf(from));
      json figure = json::object();
      for (auto c : {core::ElectricityConvention::kEquivalent, core::ElectricityConvention::kEqual}) {
        figure[core::ElectricityConventionName(c)] = std::round(core::ToStandardCoal(amounts, *factors, c, date).tce * 1000) / 1000;
      }
      comprehensive[name] = std::move(figure);
    }
    auto today_rows = total("day", day_start, "region");
    auto month_rows = total("month", month_start, "region");
    auto industry_rows = total("month", month_start, "industry");
    if (!today_rows.ok()) return ErrorResponse(today_rows.status());
    if (!month_rows.ok()) return ErrorResponse(month_rows.status());
    if (!industry_rows.ok()) return ErrorResponse(industry_rows.status());
    std::sort(industry_rows->begin(), industry_rows->end(), [](const auto& a, const auto& b) { return a.amount > b.amount; });
    json top = json::array();
    for (const auto& r : *industry_rows) {
      if (top.size() == 5) break;
      top.push_back({{"code", r.group}, {"name", names_.Industry(r.group)}, {"amount", std::round(r.amount * 1000) / 1000}});
    }
    auto completeness = d_.store.DayCompleteness(scope->region_prefix, scope->enterprise_id, day_start,
                                                  (now - day_start) / 1000);
    if (!completeness.ok()) return ErrorResponse(completeness.status());
    auto [received, expected] = *completeness;
    json out = {{"as_of", core::FormatInstantUtc(now)},
                {"region", s.principal.region.empty() ? json(nullptr) : json(s.principal.region)},
                {"enterprises", enterprises},
                {"projects", projects},
                {"electricity_kwh", {{"today", sum(*today_rows)}, {"month", sum(*month_rows)}}},
                {"comprehensive_tce", comprehensive},
                {"completeness_today", {{"received", received}, {"expected", expected},
                                        {"ratio", expected > 0 ? std::min(1.0, received / expected) : 0.0}}},
                {"top_industries_month", top}};
    return JsonResponse(200, out);
  }

  // The enterprise, if the caller may manage its keys (enterprise.write in scope).
  core::Result<core::Record> KeyOwner(Request& req, const security::AuthenticatedSession& s) {
    auto id = PathId(req);
    if (!id.ok()) return id.status();
    registry::Caller caller{s.principal, req.remote_address};
    auto enterprise = d_.registry.Get(caller, registry::Kind::kEnterprise, *id);
    if (!enterprise.ok()) return enterprise.status();
    KILN_RETURN_IF_ERROR(security::Authorize(s.principal, security::kEnterpriseWrite,
                                             {storage::AsText(enterprise->at("region")), *id}));
    return enterprise;
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
    auto key = d_.machine_auth.Issue(storage::AsInt(owner->at("id")), s.principal.username);
    (void)d_.audit.Record(s.principal.username, req.remote_address, "key.issue",
                          key.ok() ? "machine_keys:" + key->key_id : "", key.ok() ? "ok" : "error");
    if (!key.ok()) return ErrorResponse(key.status());
    auto res = JsonResponse(201, {{"key_id", key->key_id}, {"secret", key->secret}, {"enterprise_id", key->enterprise_id},
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
    auto status = d_.store.RevokeMachineKey(key_id);
    (void)d_.audit.Record(s.principal.username, req.remote_address, "key.revoke", "machine_keys:" + key_id,
                          status.ok() ? "ok" : core::StatusCodeName(status.code()));
    if (!status.ok()) return ErrorResponse(status);
    return JsonResponse(200, {{"key_id", key_id}, {"revoked", true}});
  }

  MeterApiDeps d_;
  MeterApiOptions options_;
  ReferenceNames names_;
};

}  // namespace

std::shared_ptr<void> RegisterMeterApi(Router& router, const MeterApiDeps& deps, const MeterApiOptions& options) {
  auto api = std::make_shared<MeterApi>(deps, options);
  api->Register(router);
  return api;
}

}  // namespace kiln::http
