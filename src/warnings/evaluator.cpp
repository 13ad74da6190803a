#include "warnings/evaluator.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/collection_task.hpp"
#include "core/efficiency.hpp"
#include "core/registry_schema.hpp"
#include "core/report_rules.hpp"
#include "warnings/evaluation_context.hpp"
#include "warnings/messages.hpp"
#include "warnings/point_checks.hpp"
#include "warnings/reconcile.hpp"
#include "warnings/rules.hpp"

namespace kiln::warnings {

using namespace evaluation;

void EvaluationSummary::Add(const EvaluationSummary& o) {
  opened += o.opened;
  reopened += o.reopened;
  updated += o.updated;
  cleared += o.cleared;
  points += o.points;
  seconds += o.seconds;
}

Evaluator::Evaluator(storage::Store& store, analysis::Accounting& accounting, analysis::DualControl& dual_control,
                     const core::Clock& clock, EvaluatorOptions options)
    : store_(store), accounting_(accounting), dual_control_(dual_control), clock_(clock), options_(options) {}

Evaluator::~Evaluator() { Stop(); }

void Evaluator::Start() {
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void Evaluator::Stop() {
  stopping_ = true;
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Evaluator::PointsWritten(const std::map<std::int64_t, std::pair<core::UnixMillis, core::UnixMillis>>& touched) {
  auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  for (const auto& [id, days] : touched) {
    auto [it, fresh] = dirty_.try_emplace(id, Dirty{days.first, days.second, now});
    if (!fresh) {
      it->second.first_day = std::min(it->second.first_day, days.first);
      it->second.last_day = std::max(it->second.last_day, days.second);
      it->second.written = now;
    }
  }
}

void Evaluator::Poke() {
  {
    std::lock_guard lock(mutex_);
    poked_ = policy_poked_ = true;
  }
  wake_.notify_all();
}

void Evaluator::ReevaluateAll() {
  dual_control_.Invalidate();
  {
    std::lock_guard lock(mutex_);
    all_points_ = poked_ = true;
  }
  wake_.notify_all();
}

std::size_t Evaluator::backlog() const {
  std::lock_guard lock(mutex_);
  return dirty_.size();
}

EvaluationSummary Evaluator::totals() const {
  std::lock_guard lock(mutex_);
  return totals_;
}

void Evaluator::Loop() {
  while (!stopping_) {
    auto done = Tick();
    if (!done.ok()) spdlog::warn("warnings: evaluation failed: {}", done.status().ToString());
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, options_.tick, [&] { return stopping_.load(); });
  }
}

core::Result<Evaluator::Context> Evaluator::Prepare() {
  auto thresholds = Thresholds::Load(store_.warnings());
  if (!thresholds.ok()) return thresholds.status();
  Context ctx{.thresholds = std::move(thresholds).value()};
  ctx.now = clock_.Now();
  auto today = DayStart(ctx.now);
  ctx.lookback_from = today - static_cast<std::int64_t>(ctx.thresholds.Value("evaluation", "lookback_days")) * kDayMs;
  auto date = core::ChinaDateOf(ctx.now);
  ctx.first_month = AddMonths({date.year, date.month, 1}, -kMonthsBack);
  auto points = store_.AllPoints();
  if (!points.ok()) return points.status();
  for (auto& p : *points) ctx.points.emplace(p.id, std::move(p));
  auto enterprises = store_.EnterpriseIdentities("");
  if (!enterprises.ok()) return enterprises.status();
  for (auto& e : *enterprises) ctx.enterprises.emplace(e.id, std::move(e));
  ctx.store = &store_;
  auto regions = store_.ListRegions();
  if (!regions.ok()) return regions.status();
  for (const auto& r : *regions) {
    if (r.level == "province") {
      ctx.province = r.code;
      break;
    }
  }
  return ctx;
}

core::Result<EvaluationSummary> Evaluator::Tick() {
  auto started = std::chrono::steady_clock::now();
  std::vector<std::pair<std::int64_t, std::pair<core::UnixMillis, core::UnixMillis>>> batch;
  bool scheduled = false;
  {
    std::lock_guard lock(mutex_);
    for (auto it = dirty_.begin(); it != dirty_.end() && batch.size() < options_.points_per_tick;) {
      if (started - it->second.written < options_.settle) {
        ++it;
        continue;
      }
      batch.push_back({it->first, {it->second.first_day, it->second.last_day}});
      it = dirty_.erase(it);
    }
    auto since = started - last_schedule_;
    scheduled = (poked_ && since >= options_.poke_gap) || since >= options_.schedule;
    if (scheduled && (!is_leader_ || is_leader_())) {
      poked_ = false;
    } else {
      scheduled = false;
    }
  }
  EvaluationSummary summary;
  bool all_points = false;
  {
    std::lock_guard lock(mutex_);
    std::swap(all_points, all_points_);
  }
  if (batch.empty() && !scheduled && !all_points) return summary;
  auto ctx = Prepare();
  if (!ctx.ok()) return ctx.status();
  if (all_points) {
    std::lock_guard lock(mutex_);
    for (const auto& [id, p] : ctx->points) {
      dirty_[id] = Dirty{ctx->lookback_from, ctx->lookback_from, std::chrono::steady_clock::time_point{}};
    }
  }
  // Points whose touched days start on the same day share a window.
  std::map<core::UnixMillis, std::vector<std::int64_t>> by_window;
  for (const auto& [id, days] : batch) {
    by_window[std::max(ctx->lookback_from, days.first - kDayMs)].push_back(id);
  }
  for (const auto& [window_from, ids] : by_window) {
    auto checked = CheckPoints(*ctx, ids, window_from, summary);
    if (!checked.ok()) {
      PointsWritten([&] {  // try them again next tick
        std::map<std::int64_t, std::pair<core::UnixMillis, core::UnixMillis>> again;
        for (const auto& [id, days] : batch) again.emplace(id, days);
        return again;
      }());
      return checked;
    }
  }
  // The policy rules read monthly figures: the months of readings checked now are stale.
  for (const auto& [id, days] : batch) {
    auto first = core::ChinaDateOf(days.first);
    auto last = core::ChinaDateOf(days.second);
    for (int y = first.year, m = first.month; y < last.year || (y == last.year && m <= last.month);) {
      stale_months_.insert({y, m});
      if (++m > 12) {
        m = 1;
        ++y;
      }
    }
  }
  if (scheduled) {
    last_schedule_ = started;
    // The rules on monthly figures wait while readings of a complete month are still arriving (a
    // back-fill, a gateway catching up): a half-delivered month would raise warnings that clear
    // once it is in. Live readings touch only the current month, which they do not read.
    const auto today = core::ChinaDateOf(ctx->now);
    const auto month_start = core::ChinaMidnight({today.year, today.month, 1});
    bool poked = false, policy_due = false, unsettled = false;
    {
      std::lock_guard lock(mutex_);
      if (all_points) policy_poked_ = true;  // everything is read again once the points are checked
      unsettled =
          std::any_of(dirty_.begin(), dirty_.end(), [&](const auto& d) { return d.second.first_day < month_start; });
      // … but not for ever, should old readings keep trickling in.
      if (!unsettled) {
        unsettled_since_.reset();
      } else if (!unsettled_since_) {
        unsettled_since_ = started;
      } else if (started - *unsettled_since_ >= 3 * options_.policy) {
        unsettled = false;
        unsettled_since_.reset();
      }
      policy_due = !unsettled && (policy_poked_ || !stale_months_.empty() ||
                                  last_policy_ == std::chrono::steady_clock::time_point{} ||
                                  started - last_policy_ >= options_.policy);
      if (policy_due) std::swap(poked, policy_poked_);
    }
    KILN_RETURN_IF_ERROR(RunScheduled(*ctx, summary, /*months_settled=*/!unsettled));
    if (policy_due) {
      if (poked) {
        dual_control_.Invalidate();
      } else {
        for (const auto& [y, m] : stale_months_) dual_control_.Invalidate(y, m);
      }
      stale_months_.clear();
      last_policy_ = started;
      KILN_RETURN_IF_ERROR(Policy(*ctx, summary).WithContext("policy"));
      KILN_RETURN_IF_ERROR(CrossQuantity(*ctx, summary).WithContext("cross-quantity models"));
    }
  }
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::lock_guard lock(mutex_);
  totals_.Add(summary);
  return summary;
}

core::Result<EvaluationSummary> Evaluator::EvaluateAll(const std::function<void(std::size_t, std::size_t)>& progress) {
  auto started = std::chrono::steady_clock::now();
  auto ctx = Prepare();
  if (!ctx.ok()) return ctx.status();
  {
    std::lock_guard lock(mutex_);
    dirty_.clear();  // all of them are checked now
  }
  EvaluationSummary summary;
  std::vector<std::int64_t> ids;
  for (const auto& [id, p] : ctx->points) ids.push_back(id);
  constexpr std::size_t kChunk = 500;
  for (std::size_t start = 0; start < ids.size(); start += kChunk) {
    std::vector<std::int64_t> chunk(ids.begin() + static_cast<std::ptrdiff_t>(start),
                                    ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), start + kChunk)));
    KILN_RETURN_IF_ERROR(CheckPoints(*ctx, chunk, ctx->lookback_from, summary));
    if (progress) progress(std::min(ids.size(), start + kChunk), ids.size());
  }
  KILN_RETURN_IF_ERROR(RunScheduled(*ctx, summary, /*months_settled=*/true));
  dual_control_.Invalidate();
  KILN_RETURN_IF_ERROR(Policy(*ctx, summary).WithContext("policy"));
  KILN_RETURN_IF_ERROR(CrossQuantity(*ctx, summary).WithContext("cross-quantity models"));
  last_schedule_ = last_policy_ = started;
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::lock_guard lock(mutex_);
  totals_.Add(summary);
  return summary;
}

core::Status Evaluator::CheckPoints(Context& ctx, const std::vector<std::int64_t>& ids, core::UnixMillis window_from,
                                    EvaluationSummary& summary) {
  PointReads reads{.intervals = [&](std::int64_t id, core::UnixMillis from,
                                    core::UnixMillis to) { return store_.Intervals(id, from, to); },
                   .readings = [&](std::int64_t id, core::UnixMillis from,
                                   core::UnixMillis to) { return store_.Readings(id, from, to); }};
  std::vector<Finding> events, states;
  std::vector<std::int64_t> present;
  auto read_from = window_from - ProfileSpan(ctx.thresholds);
  for (auto id : ids) {
    auto point = ctx.points.find(id);
    if (point == ctx.points.end()) continue;  // deleted since it was written
    present.push_back(id);
    auto hours = store_.HourSummaries(id, read_from, ctx.now + kHourMs);
    if (!hours.ok()) return hours.status();
    auto found = CheckPoint(point->second, *hours, window_from, ctx.thresholds, reads);
    if (!found.ok()) return found.status().WithContext(fmt::format("checking point {}", id));
    for (auto& f : *found) {
      (FindRule(f.rule)->event ? events : states).push_back(std::move(f));
    }
    ++summary.points;
  }
  if (present.empty()) return {};
  KILN_RETURN_IF_ERROR(Apply({.rules = RuleIds({rule::kGap, rule::kFlatline, rule::kSpike, rule::kRegisterReset}),
                              .point_ids = present,
                              .reaching = window_from},
                             events, ctx, summary));
  return AccessEndDrift(ctx, present, std::move(states), summary);
}

core::Status Evaluator::AccessEndDrift(Context& ctx, const std::vector<std::int64_t>& checked,
                                       std::vector<Finding> drifting, EvaluationSummary& summary) {
  // What each point checked now shows replaces what it showed before.
  for (auto id : checked) {
    drift_known_.insert(id);
    drift_.erase(id);
  }
  for (auto& f : drifting) drift_[*f.point_id] = std::move(f);
  std::set<std::int64_t> enterprises;
  for (auto id : checked) enterprises.insert(ctx.points.at(id).enterprise_id);
  storage::EvaluationScope scope{.rules = RuleIds({rule::kTimestampDrift}),
                                 .enterprise_ids = std::vector<std::int64_t>(enterprises.begin(), enterprises.end())};
  // Points not checked since this process started keep what the stored warning said of them.
  auto stored = store_.warnings().WarningsInScope(scope);
  if (!stored.ok()) return stored.status();
  std::map<std::int64_t, std::map<std::int64_t, nlohmann::json>> carried;  // enterprise -> point -> its figures
  for (const auto& w : *stored) {
    if (w.status == "closed" || !w.enterprise_id) continue;
    auto evidence = nlohmann::json::parse(w.evidence, nullptr, false);
    if (!evidence.is_object() || !evidence["points"].is_array()) continue;
    for (const auto& p : evidence["points"]) {
      if (!p.is_object() || !p["point_id"].is_number_integer()) continue;
      auto id = p["point_id"].get<std::int64_t>();
      if (!drift_known_.contains(id) && ctx.points.contains(id)) carried[*w.enterprise_id][id] = p;
    }
  }
  std::map<std::int64_t, std::vector<std::int64_t>> points_of;
  for (const auto& [id, p] : ctx.points) {
    if (enterprises.contains(p.enterprise_id)) points_of[p.enterprise_id].push_back(id);
  }
  std::vector<Finding> found;
  for (auto enterprise_id : enterprises) {
    nlohmann::json points = nlohmann::json::array(), links = nlohmann::json::array();
    std::vector<double> offsets;
    std::optional<core::UnixMillis> from;
    int hours = 0;
    for (auto id : points_of[enterprise_id]) {
      if (auto it = drift_.find(id); it != drift_.end()) {
        const auto& f = it->second;
        double offset = f.evidence.value("offset_s", 0.0);
        int run = f.evidence.value("hours", 0);
        points.push_back({{"point_id", id},
                          {"code", ctx.points.at(id).code},
                          {"offset_s", offset},
                          {"hours", run},
                          {"from", f.from}});
        offsets.push_back(offset);
        from = from ? std::min(*from, f.from) : f.from;
        hours = std::max(hours, run);
        if (links.size() < 5 && f.evidence["links"].is_array() && !f.evidence["links"].empty()) {
          links.push_back(f.evidence["links"][0]);
        }
      } else if (auto c = carried[enterprise_id].find(id); c != carried[enterprise_id].end()) {
        points.push_back(c->second);
        offsets.push_back(c->second.value("offset_s", 0.0));
        auto f_from = c->second.value("from", core::UnixMillis{0});
        from = from ? std::min(*from, f_from) : f_from;
        hours = std::max(hours, c->second.value("hours", 0));
      }
    }
    if (points.empty()) continue;
    std::sort(offsets.begin(), offsets.end());
    double offset = offsets[offsets.size() / 2];
    auto f = Make(rule::kTimestampDrift, fmt::format("timestamp_drift:e{}", enterprise_id), *from, std::nullopt);
    ctx.Place(f, enterprise_id);
    int total = static_cast<int>(points_of[enterprise_id].size());
    f.message = zh::AccessEndDrift(ctx.NameOf(enterprise_id), offset, static_cast<int>(points.size()), total, hours);
    f.evidence = {{"offset_s", Round(offset, 1)},
                  {"hours", hours},
                  {"points_drifting", points.size()},
                  {"points_total", total},
                  {"points", points},
                  {"thresholds", ctx.thresholds.Cite("timestamp_drift")},
                  {"links", links}};
    found.push_back(std::move(f));
  }
  return Apply(scope, found, ctx, summary);
}

core::Status Evaluator::RunScheduled(Context& ctx, EvaluationSummary& summary, bool months_settled) {
  KILN_RETURN_IF_ERROR(Silence(ctx, summary).WithContext("silent meters"));
  KILN_RETURN_IF_ERROR(Calibration(ctx, summary).WithContext("calibration due dates"));
  KILN_RETURN_IF_ERROR(Completeness(ctx, summary).WithContext("daily completeness"));
  // The monthly comparison of sources waits with the other monthly rules (Tick).
  if (months_settled) KILN_RETURN_IF_ERROR(Sources(ctx, summary).WithContext("sources"));
  KILN_RETURN_IF_ERROR(LateReports(ctx, summary).WithContext("late reports"));
  KILN_RETURN_IF_ERROR(OverdueReviews(ctx, summary).WithContext("overdue review items"));
  KILN_RETURN_IF_ERROR(ViolationDeadlines(ctx, summary).WithContext("rectification deadlines"));
  return LateDeliveries(ctx, summary).WithContext("department deliveries");
}

core::Status Evaluator::Silence(Context& ctx, EvaluationSummary& summary) {
  auto last = store_.LastSampleTimes();
  if (!last.ok()) return last.status();
  const double point_hours = ctx.thresholds.Value("meter_stopped", "silent_hours");
  const double end_hours = ctx.thresholds.Value("access_end_silent", "silent_hours");
  std::map<std::int64_t, std::vector<std::pair<const storage::PointInfo*, core::UnixMillis>>> by_enterprise;
  for (const auto& [id, ts] : *last) {
    auto p = ctx.points.find(id);
    if (p != ctx.points.end()) by_enterprise[p->second.enterprise_id].emplace_back(&p->second, ts);
  }
  std::vector<Finding> found;
  for (const auto& [enterprise_id, points] : by_enterprise) {
    core::UnixMillis newest = 0;
    for (const auto& [p, ts] : points) newest = std::max(newest, ts);
    double enterprise_silent_h = static_cast<double>(ctx.now - newest) / kHourMs;
    if (enterprise_silent_h >= end_hours) {
      auto f = Make(rule::kAccessEndSilent, fmt::format("access_end_silent:e{}:{}", enterprise_id, newest), newest,
                    std::nullopt);
      ctx.Place(f, enterprise_id);
      f.message = zh::AccessEndSilent(ctx.NameOf(enterprise_id), static_cast<int>(points.size()), enterprise_silent_h);
      f.evidence = {{"last_sample", core::FormatInstantUtc(newest)},
                    {"silent_hours", Round(enterprise_silent_h, 1)},
                    {"points", points.size()},
                    {"thresholds", ctx.thresholds.Cite("access_end_silent")},
                    {"links", {Link("企业档案", fmt::format("/enterprises/{}", enterprise_id))}}};
      found.push_back(std::move(f));
      continue;  // the access-end, not each of its points
    }
    for (const auto& [p, ts] : points) {
      double silent_h = static_cast<double>(ctx.now - ts) / kHourMs;
      if (silent_h < point_hours) continue;
      auto f = Make(rule::kMeterStopped, fmt::format("meter_stopped:p{}:{}", p->id, ts), ts, std::nullopt);
      ctx.Place(f, enterprise_id);
      f.point_id = p->id;
      f.message = zh::MeterStopped(p->code, ts, silent_h);
      f.evidence = {{"last_sample", core::FormatInstantUtc(ts)},
                    {"silent_hours", Round(silent_h, 1)},
                    {"other_points_reporting", points.size() - 1},
                    {"thresholds", ctx.thresholds.Cite("meter_stopped")},
                    {"links", {PointLink(p->id, ts - 6 * kHourMs, ctx.now)}}};
      found.push_back(std::move(f));
    }
  }
  // Rounded figures change as time passes; evidence keeps the hour, not the minute.
  for (auto& f : found) f.evidence["silent_hours"] = std::floor(f.evidence["silent_hours"].get<double>());
  return Apply({.rules = RuleIds({rule::kMeterStopped, rule::kAccessEndSilent})}, found, ctx, summary);
}

core::Status Evaluator::Calibration(Context& ctx, EvaluationSummary& summary) {
  storage::ListQuery all{.page_size = 10'000'000};
  auto records = store_.ListRecords(core::MeteringPointSchema(), all);
  if (!records.ok()) return records.status();
  const auto grace = static_cast<std::int64_t>(ctx.thresholds.Value("calibration_overdue", "grace_days"));
  std::vector<Finding> found;
  for (const auto& r : records->items) {
    auto due_text = storage::AsText(r.at("calibration_due"));
    if (due_text.empty()) continue;
    auto due = core::ParseDate(due_text);
    if (!due) continue;
    auto overdue_from = core::ChinaMidnight(*due) + (1 + grace) * kDayMs;
    if (ctx.now < overdue_from) continue;
    auto id = storage::AsInt(r.at("id"));
    auto enterprise_id = storage::AsInt(r.at("enterprise_id"));
    auto code = storage::AsText(r.at("code"));
    auto f = Make(rule::kCalibrationOverdue, fmt::format("calibration_overdue:p{}:{}", id, due_text), overdue_from,
                  std::nullopt);
    ctx.Place(f, enterprise_id);
    f.point_id = id;
    f.message = zh::CalibrationOverdue(code, due_text);
    f.evidence = {{"calibration_due", due_text},
                  {"calibrated_on", storage::AsText(r.at("calibrated_on"))},
                  {"days_overdue", (ctx.now - core::ChinaMidnight(*due)) / kDayMs},
                  {"links", {Link("计量点", fmt::format("/points/{}", id))}}};
    found.push_back(std::move(f));
  }
  for (auto& f : found) f.evidence.erase("days_overdue");  // grows daily; the due date says it
  return Apply({.rules = RuleIds({rule::kCalibrationOverdue})}, found, ctx, summary);
}

core::Status Evaluator::Completeness(Context& ctx, EvaluationSummary& summary) {
  const double min_pct = ctx.thresholds.Value("day_completeness", "min_pct");
  const double late_pct = ctx.thresholds.Value("daily_data_late", "min_pct");
  const auto due_ms = static_cast<std::int64_t>(ctx.thresholds.Value("daily_data_late", "due_minutes")) * 60'000;
  std::vector<Finding> found;
  for (auto day = ctx.lookback_from; day + kDayMs <= ctx.now; day += kDayMs) {
    auto rows = store_.DayCompletenessByEnterprise(day);
    if (!rows.ok()) return rows.status();
    for (const auto& row : *rows) {
      if (row.expected <= 0 || row.received <= 0) continue;  // silence is its own warning
      double pct = std::min(100.0, 100.0 * static_cast<double>(row.received) / static_cast<double>(row.expected));
      auto name = ctx.NameOf(row.enterprise_id);
      nlohmann::json figures = {{"received", row.received},
                                {"expected", row.expected},
                                {"pct", Round(pct, 2)},
                                {"links",
                                 {Link("数据完整率", fmt::format("/completeness?date={}", zh::Day(day))),
                                  Link("企业档案", fmt::format("/enterprises/{}", row.enterprise_id))}}};
      if (pct < min_pct) {
        auto f = Make(rule::kDayCompleteness, fmt::format("day_completeness:e{}:{}", row.enterprise_id, zh::Day(day)),
                      day, day + kDayMs - 1);
        ctx.Place(f, row.enterprise_id);
        f.message = zh::DayCompleteness(name, day, pct, min_pct);
        f.evidence = figures;
        f.evidence["thresholds"] = ctx.thresholds.Cite("day_completeness");
        found.push_back(std::move(f));
      }
      if (pct < late_pct && ctx.now >= day + kDayMs + due_ms) {
        auto f = Make(rule::kDailyDataLate, fmt::format("daily_data_late:e{}:{}", row.enterprise_id, zh::Day(day)),
                      day + kDayMs + due_ms, day + kDayMs + due_ms);
        ctx.Place(f, row.enterprise_id);
        f.message = zh::DailyDataLate(name, day, pct);
        f.evidence = figures;
        f.evidence["thresholds"] = ctx.thresholds.Cite("daily_data_late");
        found.push_back(std::move(f));
      }
    }
  }
  return Apply({.rules = RuleIds({rule::kDayCompleteness, rule::kDailyDataLate}), .reaching = ctx.lookback_from}, found,
               ctx, summary);
}

core::Status Evaluator::Sources(Context& ctx, EvaluationSummary& summary) {
  const double tolerance = ctx.thresholds.Value("source_mismatch", "tolerance_pct");
  const double critical = ctx.thresholds.Value("source_mismatch", "critical_pct");
  std::vector<storage::EnterpriseIdentity> enterprises;
  for (const auto& [id, e] : ctx.enterprises) enterprises.push_back(e);
  auto today = core::ChinaDateOf(ctx.now);
  core::CivilDate this_month{today.year, today.month, 1};
  std::vector<Finding> found;
  for (auto m = ctx.first_month; core::ChinaMidnight(m) < core::ChinaMidnight(this_month); m = AddMonths(m, 1)) {
    auto month = MonthText(m);
    auto start = core::ChinaMidnight(m), end = core::ChinaMidnight(AddMonths(m, 1));
    auto compared =
        accounting_.CompareAll(enterprises, month, {"submitted", "county_approved", "city_approved", "approved"});
    if (!compared.ok()) return compared.status();
    for (const auto& [enterprise_id, months] : *compared) {
      for (const auto& c : months) {
        for (const auto& [type, figures] : c.types) {
          std::vector<std::pair<std::string, double>> sources;
          if (figures.metered && *figures.metered > 0) sources.emplace_back("metered", *figures.metered);
          if (figures.reported && *figures.reported > 0) sources.emplace_back("reported", *figures.reported);
          if (figures.department && *figures.department > 0) sources.emplace_back("department", *figures.department);
          if (sources.size() < 2) continue;
          // The odd one out: the source furthest from the others, when the others agree;
          // of two, the one that is not metered.
          std::string off, against;
          double pct = 0;
          if (sources.size() == 3) {
            for (size_t i = 0; i < 3; ++i) {
              double a = sources[(i + 1) % 3].second, b = sources[(i + 2) % 3].second;
              if (std::fabs(a - b) / std::max(a, b) * 100 > tolerance) continue;
              double others = (a + b) / 2;
              double d = (sources[i].second - others) / others * 100;
              if (std::fabs(d) > tolerance && std::fabs(d) > std::fabs(pct)) {
                off = sources[i].first;
                pct = d;
                against =
                    zh::SourceName(sources[(i + 1) % 3].first) + "和" + zh::SourceName(sources[(i + 2) % 3].first);
              }
            }
          }
          bool named = !off.empty();
          if (!named) {
            // Two sources, or three that do not agree on an odd one: the largest difference.
            for (size_t i = 0; i < sources.size(); ++i) {
              for (size_t j = 0; j < sources.size(); ++j) {
                if (i == j || sources[j].first == "reported" ||
                    (sources[j].first == "department" && sources[i].first == "metered"))
                  continue;  // against metered first, then the department's figure
                double d = (sources[i].second - sources[j].second) / sources[j].second * 100;
                if (std::fabs(d) > tolerance && std::fabs(d) > std::fabs(pct)) {
                  off = sources[i].first;
                  against = zh::SourceName(sources[j].first);
                  pct = d;
                }
              }
            }
          }
          if (off.empty()) continue;
          auto f = Make(rule::kSourceMismatch, fmt::format("source_mismatch:e{}:{}:{}", enterprise_id, month, type),
                        start, end - 1);
          ctx.Place(f, enterprise_id);
          if (std::fabs(pct) >= critical) f.severity = "critical";
          f.message = zh::SourceMismatch(ctx.NameOf(enterprise_id), month, type, off, pct, against);
          nlohmann::json links = {
              Link("核算来源对比", fmt::format("/enterprises/{}?tab=accounting&period={}", enterprise_id, month))};
          if (c.report_id) {
            links.push_back(Link("月报", fmt::format("/reports/{}/monthly/{}", enterprise_id, month)));
          }
          f.evidence = {
              {"month", month},
              {"energy_type", type},
              {"off_source", off},
              {"pct", Round(pct, 2)},
              {"metered", figures.metered ? nlohmann::json(Round(*figures.metered, 3)) : nlohmann::json()},
              {"reported", figures.reported ? nlohmann::json(Round(*figures.reported, 3)) : nlohmann::json()},
              {"department", figures.department ? nlohmann::json(Round(*figures.department, 3)) : nlohmann::json()},
              {"department_task", figures.department_task},
              {"thresholds", ctx.thresholds.Cite("source_mismatch")},
              {"links", links}};
          found.push_back(std::move(f));
        }
      }
    }
  }
  return Apply({.rules = RuleIds({rule::kSourceMismatch}), .reaching = core::ChinaMidnight(ctx.first_month)}, found,
               ctx, summary);
}

core::Status Evaluator::LateReports(Context& ctx, EvaluationSummary& summary) {
  const auto grace = static_cast<std::int64_t>(ctx.thresholds.Value("report_late", "grace_days")) * kDayMs;
  const auto horizon = core::ChinaMidnight(ctx.first_month);
  std::vector<core::ReportPeriod> periods;
  auto today = core::ChinaDateOf(ctx.now);
  for (auto m = AddMonths(ctx.first_month, -1); m.year * 12 + m.month <= today.year * 12 + today.month;
       m = AddMonths(m, 1)) {
    auto p = core::ParseReportPeriod(core::ReportKind::kMonthly, MonthText(m));
    if (p && p->due + grace <= ctx.now && p->due >= horizon) periods.push_back(*p);
  }
  for (int year = today.year - 1; year <= today.year; ++year) {
    auto p = core::ParseReportPeriod(core::ReportKind::kYearly, std::to_string(year));
    if (p && p->due + grace <= ctx.now && p->due >= horizon) periods.push_back(*p);
  }
  std::vector<Finding> found;
  // Reporting on the platform began with the first period of a kind anyone reported: earlier
  // periods (before it went live, or before a demo's history) are nobody's late report.
  std::set<std::string> begun;
  for (const auto& p : periods) {
    auto kind = std::string(core::ReportKindName(p.kind));
    auto standings = store_.ReportStandings("", std::nullopt, kind, p.text);
    if (!standings.ok()) return standings.status();
    if (!begun.contains(kind)) {
      if (std::none_of(standings->begin(), standings->end(), [](const auto& s) { return !s.status.empty(); })) continue;
      begun.insert(kind);
    }
    for (const auto& s : *standings) {
      if (s.first_submitted_at) continue;
      auto f =
          Make(rule::kReportLate, fmt::format("report_late:e{}:{}:{}", s.enterprise_id, kind, p.text), p.due, p.due);
      ctx.Place(f, s.enterprise_id);
      auto due_text = core::FormatDate(core::ChinaDateOf(p.due - 1));
      f.message = zh::ReportLate(s.enterprise_name, kind, p.text, due_text, !s.status.empty());
      f.evidence = {{"kind", kind},
                    {"period", p.text},
                    {"due", core::FormatInstantUtc(p.due)},
                    {"status", s.status.empty() ? nlohmann::json() : nlohmann::json(s.status)},
                    {"links", {Link("报告", fmt::format("/reports/{}/{}/{}", s.enterprise_id, kind, p.text))}}};
      found.push_back(std::move(f));
    }
  }
  return Apply({.rules = RuleIds({rule::kReportLate}), .reaching = horizon}, found, ctx, summary);
}

core::Status Evaluator::OverdueReviews(Context& ctx, EvaluationSummary& summary) {
  const auto grace = static_cast<std::int64_t>(ctx.thresholds.Value("review_overdue", "grace_days")) * kDayMs;
  std::vector<Finding> found;
  for (int page = 1;; ++page) {
    auto items = store_.reviews().ListReviews({.open_only = true, .page = page, .page_size = 500});
    if (!items.ok()) return items.status();
    for (const auto& item : items->first) {
      if (item.subject_kind == "report" || !item.due_at || *item.due_at + grace > ctx.now) continue;
      auto f = Make(rule::kReviewOverdue, fmt::format("review_overdue:i{}", item.id), *item.due_at, std::nullopt);
      if (item.enterprise_id) {
        ctx.Place(f, *item.enterprise_id);
      } else {
        f.region = item.region;
      }
      auto due_text = core::FormatDate(core::ChinaDateOf(*item.due_at - 1));
      f.message = zh::ReviewOverdue(item.flow, item.subject_label, item.awaiting, due_text);
      f.evidence = {{"review_id", item.id},
                    {"flow", item.flow},
                    {"status", item.status},
                    {"awaiting", item.awaiting},
                    {"filed_at", core::FormatInstantUtc(item.filed_at)},
                    {"due", core::FormatInstantUtc(*item.due_at)},
                    {"links", {Link("待办事项", fmt::format("/todo?item={}", item.id))}}};
      found.push_back(std::move(f));
    }
    if (items->first.size() < 500) break;
  }
  return Apply({.rules = RuleIds({rule::kReviewOverdue})}, found, ctx, summary);
}

core::Status Evaluator::ViolationDeadlines(Context& ctx, EvaluationSummary& summary) {
  const auto warn_days = static_cast<int>(ctx.thresholds.Value("violation_due_soon", "warn_days"));
  const auto grace_days = static_cast<int>(ctx.thresholds.Value("violation_overdue", "grace_days"));
  const auto today = core::ChinaDateOf(ctx.now);
  auto disposal_versions = store_.ListReferenceItems("disposal_types");
  if (!disposal_versions.ok()) return disposal_versions.status();
  const auto disposal = storage::CurrentReferenceItems(*disposal_versions);
  std::vector<Finding> found;
  for (int page = 1;; ++page) {
    auto open = store_.violations().ListViolations({.open_only = true, .page = page, .page_size = 500});
    if (!open.ok()) return open.status();
    for (const auto& v : open->first) {
      auto deadline = core::ParseDate(v.deadline);
      if (!deadline || v.state == "done") continue;
      // Days from today to the deadline's end: 0 on the deadline itself, negative once it passed.
      const auto deadline_end = core::ChinaMidnight(*deadline) + kDayMs;
      const int days_left = static_cast<int>((core::ChinaMidnight(*deadline) - core::ChinaMidnight(today)) / kDayMs);
      const bool overdue = -days_left > grace_days;
      if (!overdue && days_left > warn_days) continue;
      if (!overdue && days_left < 0) continue;  // within the grace days after the deadline
      auto rule = overdue ? rule::kViolationOverdue : rule::kViolationDueSoon;
      auto from = overdue ? deadline_end : deadline_end - std::int64_t{warn_days + 1} * kDayMs;
      auto f = Make(rule, fmt::format("{}:v{}:{}", rule, v.id, v.deadline), from, std::nullopt);
      ctx.Place(f, v.enterprise_id);
      auto d = disposal.find(v.disposal_type);
      f.message = zh::ViolationDeadline(v.project_name, v.enterprise_name,
                                        d == disposal.end() ? v.disposal_type : d->second.name, v.deadline,
                                        overdue ? -days_left : days_left, overdue);
      f.evidence = {{"violation_id", v.id},
                    {"project_id", v.project_id},
                    {"state", v.state},
                    {"progress", v.progress},
                    {"disposal_type", v.disposal_type},
                    {"deadline", v.deadline},
                    {"days", overdue ? -days_left : days_left},
                    {"escalations", v.escalations},
                    {"thresholds", ctx.thresholds.Cite(rule)},
                    {"links", {Link("违规项目", fmt::format("/violations?id={}", v.id))}}};
      found.push_back(std::move(f));
    }
    if (open->first.size() < 500) break;
  }
  return Apply({.rules = RuleIds({rule::kViolationDueSoon, rule::kViolationOverdue})}, found, ctx, summary);
}

core::Status Evaluator::LateDeliveries(Context& ctx, EvaluationSummary& summary) {
  const auto grace = static_cast<std::int64_t>(ctx.thresholds.Value("task_delivery_late", "grace_days")) * kDayMs;
  const auto horizon = core::ChinaMidnight(ctx.first_month);
  auto tasks = store_.ListCollectionTasks();
  if (!tasks.ok()) return tasks.status();
  std::map<std::string, core::CollectionTask> current;
  for (const auto& t : *tasks) {
    auto& slot = current[t.code];
    if (t.version >= slot.version) slot = t;
  }
  auto departments = store_.ListDepartments();
  if (!departments.ok()) return departments.status();
  std::map<std::string, std::string> department_names;
  for (const auto& d : *departments) department_names[d.code] = d.name;
  auto today = core::ChinaDateOf(ctx.now);
  std::vector<Finding> found;
  for (const auto& [code, task] : current) {
    if (!task.active) continue;
    // The periods due in the horizon: a daily task's days are gathered by month.
    struct Due {
      std::string period, first_day, last_day;
      core::UnixMillis due = 0;
    };
    std::vector<Due> due;
    if (task.frequency == "monthly" || task.frequency == "daily") {
      for (auto m = AddMonths(ctx.first_month, -1); m.year * 12 + m.month <= today.year * 12 + today.month;
           m = AddMonths(m, 1)) {
        auto month_start = core::ChinaMidnight(m);
        auto next = AddMonths(m, 1);
        if (task.frequency == "monthly") {
          // A month's data by the end of the next month's 15th.
          auto d = core::ChinaMidnight({next.year, next.month, 16});
          if (d + grace <= ctx.now && d >= horizon) due.push_back({MonthText(m), "", "", d});
          continue;
        }
        // A day's data by the end of the next day; a month's days are gathered in one warning.
        auto last_day = std::min(core::ChinaMidnight(next) - kDayMs, DayStart(ctx.now - grace - 2 * kDayMs));
        auto d = month_start + 2 * kDayMs;
        if (last_day < month_start || d < horizon) continue;
        due.push_back({MonthText(m), zh::Day(month_start), zh::Day(last_day), d});
      }
    } else if (task.frequency == "quarterly" || task.frequency == "yearly") {
      for (int year = today.year - 1; year <= today.year; ++year) {
        if (task.frequency == "yearly") {
          auto d = core::ChinaMidnight({year + 1, 2, 15});
          if (d + grace <= ctx.now && d >= horizon) due.push_back({std::to_string(year), "", "", d});
          continue;
        }
        for (int q = 1; q <= 4; ++q) {
          auto next = AddMonths({year, q * 3, 1}, 1);
          auto d = core::ChinaMidnight({next.year, next.month, 21});
          if (d + grace <= ctx.now && d >= horizon) due.push_back({fmt::format("{}-Q{}", year, q), "", "", d});
        }
      }
    }
    for (const auto& d : due) {
      std::string from = task.frequency == "daily" ? d.first_day : d.period;
      std::string to = task.frequency == "daily" ? d.last_day : d.period;
      auto records = store_.DepartmentRecordsFor({code}, std::nullopt, from, to);
      if (!records.ok()) return records.status();
      std::int64_t missing_days = 0;
      if (task.frequency == "daily") {
        std::set<std::string> delivered;
        for (const auto& r : *records) delivered.insert(r.period);
        auto first = core::ParseDate(from), last = core::ParseDate(to);
        if (!first || !last) continue;
        for (auto day = core::ChinaMidnight(*first); day <= core::ChinaMidnight(*last); day += kDayMs) {
          if (!delivered.contains(zh::Day(day))) ++missing_days;
        }
        if (missing_days == 0) continue;
      } else if (!records->empty()) {
        continue;
      }
      auto f = Make(rule::kTaskDeliveryLate, fmt::format("task_delivery_late:{}:{}", code, d.period), d.due, d.due);
      f.region = ctx.province;
      auto department =
          department_names.contains(task.department) ? department_names[task.department] : task.department;
      f.message = zh::TaskDeliveryLate(task.name, department, d.period, core::FormatDate(core::ChinaDateOf(d.due - 1)));
      f.evidence = {{"task", code},
                    {"department", task.department},
                    {"frequency", task.frequency},
                    {"period", d.period},
                    {"due", core::FormatInstantUtc(d.due)},
                    {"links", {Link("采集任务", fmt::format("/departments/tasks/{}", code))}}};
      if (task.frequency == "daily") f.evidence["missing_days"] = missing_days;
      found.push_back(std::move(f));
    }
  }
  return Apply({.rules = RuleIds({rule::kTaskDeliveryLate}), .reaching = horizon}, found, ctx, summary);
}

core::Status Evaluator::Policy(Context& ctx, EvaluationSummary& summary) {
  auto today = core::ChinaDateOf(ctx.now);
  const double approach = ctx.thresholds.Value("target_forecast", "approach_pct");
  std::vector<Finding> found;
  auto targets = dual_control_.Targets(today.year, "", approach);
  if (!targets.ok()) return targets.status();
  for (const auto& s : *targets) {
    if (s.status != "approaching" && s.status != "exceeding") continue;
    const auto& t = s.target;
    auto key = fmt::format("target_forecast:{}:{}:{}{}", t.region, t.year, t.indicator,
                           t.product.empty() ? "" : ":" + t.product);
    auto f = Make(rule::kTargetForecast, key, core::ChinaMidnight({t.year, 1, 1}), std::nullopt);
    f.region = t.region;
    bool exceeding = s.status == "exceeding";
    if (exceeding) f.severity = "critical";
    f.message = zh::TargetForecast(s.region_name, t.year, t.indicator, t.product, s.forecast->forecast, t.value, t.unit,
                                   s.forecast->crossing_month, exceeding);
    f.evidence = {
        {"indicator", t.indicator},
        {"product", t.product},
        {"target_value", t.value},
        {"target_unit", t.unit},
        {"target_version", t.version},
        {"target_example", t.example},
        {"months_known", s.forecast->months_known},
        {"year_to_date", Round(s.forecast->year_to_date, 2)},
        {"forecast", Round(s.forecast->forecast, 2)},
        {"low", Round(s.forecast->low, 2)},
        {"high", Round(s.forecast->high, 2)},
        {"method", s.forecast->method},
        {"share_of_target_pct", Round(s.share_of_target_pct, 1)},
        {"crossing_month", s.forecast->crossing_month ? nlohmann::json(*s.forecast->crossing_month) : nlohmann::json()},
        {"thresholds", ctx.thresholds.Cite("target_forecast")},
        {"links", {Link("双控目标与预测", fmt::format("/dual-control?region={}&year={}", t.region, t.year))}}};
    found.push_back(std::move(f));
  }

  // Projects: capacity, declared efficiency, against the levels in force.
  auto projects = ctx.Projects();
  if (!projects.ok()) return projects.status();
  auto stored_levels = store_.ListEfficiencyLevels();
  if (!stored_levels.ok()) return stored_levels.status();
  std::map<std::string, core::EfficiencyLevel> levels;
  for (const auto& l : core::CurrentLevels(*stored_levels)) levels[l.product] = l;
  struct ProductCapacity {
    double capacity_t = 0, rated_t = 0, advanced_t = 0;
    std::string industry;
  };
  std::map<std::string, ProductCapacity> by_product;
  // Each project's upgrade plan: an accepted one wins, then the newest.
  std::map<std::int64_t, storage::UpgradePlan> plan_of;
  for (int page = 1;; ++page) {
    auto plans = store_.upgrades().ListUpgradePlans({.page = page, .page_size = 500});
    if (!plans.ok()) return plans.status();
    for (const auto& plan : plans->first) {
      for (auto project_id : plan.project_ids) {
        auto& slot = plan_of[project_id];
        if (slot.status != "accepted" && (plan.status == "accepted" || plan.id > slot.id)) slot = plan;
      }
    }
    if (plans->first.size() < 500) break;
  }
  const int upgrade_grace = static_cast<int>(ctx.thresholds.Value("upgrade_unaccepted", "grace_days"));
  for (const auto& p : **projects) {
    if (storage::AsText(p.at("state")) != "existing") continue;
    auto product = storage::AsText(p.at("product"));
    auto unit = storage::AsText(p.at("capacity_unit"));
    double capacity = storage::AsReal(p.at("capacity"));
    double tonnes = CapacityTonnesPerYear(capacity, unit);
    auto enterprise_id = storage::AsInt(p.at("enterprise_id"));
    auto& pc = by_product[product];
    pc.capacity_t += tonnes;
    if (auto e = ctx.enterprises.find(enterprise_id); e != ctx.enterprises.end()) pc.industry = e->second.industry;
    auto level = levels.find(product);
    if (level == levels.end() || core::IsNull(p.at("efficiency_value"))) continue;
    double value = storage::AsReal(p.at("efficiency_value"));
    auto cls = core::ClassifyEfficiency(value, storage::AsText(p.at("efficiency_unit")), level->second);
    if (!cls) continue;
    pc.rated_t += tonnes;
    if (*cls == core::EfficiencyClass::kAdvanced) pc.advanced_t += tonnes;
    if (*cls != core::EfficiencyClass::kBelowBenchmark) continue;
    auto id = storage::AsInt(p.at("id"));
    auto f = Make(rule::kBelowBenchmark, fmt::format("below_benchmark:j{}:v{}", id, level->second.version),
                  core::ChinaMidnight({today.year, 1, 1}), std::nullopt);
    ctx.Place(f, enterprise_id);
    auto name = storage::AsText(p.at("name"));
    f.message = zh::BelowBenchmark(name, product, value, level->second.benchmark, level->second.indicator_unit);
    f.evidence = {{"project_id", id},
                  {"product", product},
                  {"value", value},
                  {"benchmark", level->second.benchmark},
                  {"advanced", level->second.advanced},
                  {"unit", level->second.indicator_unit},
                  {"level_version", level->second.version},
                  {"links", {Link("项目档案", fmt::format("/projects/{}", id))}}};
    found.push_back(std::move(f));
    // Below the benchmark without an accepted upgrade plan: none filed, or past its completion date and the
    // grace days for three months of measurement and the acceptance's review.
    auto plan = plan_of.find(id);
    if (plan != plan_of.end() && plan->second.status == "accepted") continue;
    std::int64_t plan_id = 0;
    std::string due;
    core::UnixMillis from = core::ChinaMidnight({today.year, 1, 1});
    if (plan != plan_of.end()) {
      auto completion = core::ParseDate(plan->second.completion_due);
      if (!completion) continue;
      const auto late_from = core::ChinaMidnight(*completion) + std::int64_t{upgrade_grace + 1} * kDayMs;
      if (ctx.now < late_from) continue;
      plan_id = plan->second.id;
      due = plan->second.completion_due;
      from = late_from;
    }
    auto u = Make(rule::kUpgradeUnaccepted, fmt::format("upgrade_unaccepted:j{}:p{}", id, plan_id), from, std::nullopt);
    ctx.Place(u, enterprise_id);
    const std::string enterprise_name =
        ctx.enterprises.count(enterprise_id) ? ctx.enterprises.at(enterprise_id).name : std::string();
    u.message =
        zh::UpgradeUnaccepted(name, enterprise_name, plan_id, plan_id ? plan->second.status : std::string(), due);
    u.evidence = {{"project_id", id},
                  {"plan_id", plan_id ? nlohmann::json(plan_id) : nlohmann::json()},
                  {"plan_status", plan_id ? nlohmann::json(plan->second.status) : nlohmann::json()},
                  {"completion_due", plan_id ? nlohmann::json(due) : nlohmann::json()},
                  {"capacity_t", Round(tonnes, 0)},
                  {"thresholds", ctx.thresholds.Cite(rule::kUpgradeUnaccepted)},
                  {"links",
                   {plan_id ? Link("改造方案", fmt::format("/upgrade-plans?id={}", plan_id))
                            : Link("项目档案", fmt::format("/projects/{}", id))}}};
    found.push_back(std::move(u));
  }

  // Capacity utilisation (last 12 complete months of output) and the advanced share, province-wide.
  const double min_utilisation = ctx.thresholds.Value("capacity_utilisation_low", "min_pct");
  const double goal = ctx.thresholds.Value("advanced_share_low", "goal_pct");
  auto this_year = dual_control_.Year(today.year, "");
  if (!this_year.ok()) return this_year.status();
  auto last_year = dual_control_.Year(today.year - 1, "");
  if (!last_year.ok()) return last_year.status();
  int known = dual_control_.MonthsKnown(today.year);
  for (const auto& [product_name, pc] : by_product) {
    const std::string& product = product_name;  // lambdas may not capture bindings (clang 14)
    if (product.empty()) continue;
    double output = 0;
    int months = 0;
    auto add = [&](const analysis::YearFigures& y, int from, int to) {
      auto it = y.output.find(product);
      for (int m = from; m < to; ++m) {
        if (it != y.output.end() && it->second[m]) {
          output += *it->second[m];
          ++months;
        }
      }
    };
    add(*this_year, 0, known);
    add(*last_year, known, 12);
    if (pc.capacity_t > 0 && months >= 6) {
      double pct = output * 12 / months / pc.capacity_t * 100;
      if (pct < min_utilisation) {
        auto f =
            Make(rule::kCapacityUtilisationLow, fmt::format("capacity_utilisation_low:{}:{}", ctx.province, product),
                 core::ChinaMidnight({today.year, 1, 1}), std::nullopt);
        f.region = ctx.province;
        f.industry = pc.industry;
        f.message = zh::CapacityUtilisationLow(product, pct, min_utilisation);
        f.evidence = {{"product", product},   {"output_t", Round(output * 12 / months, 0)},
                      {"months", months},     {"capacity_t", Round(pc.capacity_t, 0)},
                      {"pct", Round(pct, 1)}, {"thresholds", ctx.thresholds.Cite("capacity_utilisation_low")}};
        found.push_back(std::move(f));
      }
    }
    if (pc.rated_t > 0) {
      double pct = pc.advanced_t / pc.rated_t * 100;
      if (pct < goal) {
        auto f = Make(rule::kAdvancedShareLow, fmt::format("advanced_share_low:{}:{}", ctx.province, product),
                      core::ChinaMidnight({today.year, 1, 1}), std::nullopt);
        f.region = ctx.province;
        f.industry = pc.industry;
        f.message = zh::AdvancedShareLow(product, pct, goal);
        f.evidence = {{"product", product},
                      {"advanced_capacity_t", Round(pc.advanced_t, 0)},
                      {"rated_capacity_t", Round(pc.rated_t, 0)},
                      {"pct", Round(pct, 1)},
                      {"thresholds", ctx.thresholds.Cite("advanced_share_low")}};
        found.push_back(std::move(f));
      }
    }
  }
  return Apply({.rules = RuleIds({rule::kTargetForecast, rule::kBelowBenchmark, rule::kCapacityUtilisationLow,
                                  rule::kAdvancedShareLow, rule::kUpgradeUnaccepted})},
               found, ctx, summary);
}

core::Status Evaluator::Apply(const storage::EvaluationScope& scope, const std::vector<Finding>& found,
                              const Context& ctx, EvaluationSummary& summary) {
  auto stored = store_.warnings().WarningsInScope(scope);
  if (!stored.ok()) return stored.status();
  auto changes = Reconcile(*stored, found);
  if (changes.empty()) return {};
  auto applied = store_.warnings().ApplyWarningChanges(changes, ctx.now);
  if (!applied.ok()) return applied.status();
  for (const auto& c : *applied) {
    switch (c.kind) {
      case storage::WarningChange::Kind::kOpen: ++summary.opened; break;
      case storage::WarningChange::Kind::kReopen: ++summary.reopened; break;
      case storage::WarningChange::Kind::kUpdate: ++summary.updated; break;
      case storage::WarningChange::Kind::kClear: ++summary.cleared; break;
    }
  }
  if (listener_ && !applied->empty()) listener_(*applied);
  return {};
}

}  // namespace kiln::warnings
