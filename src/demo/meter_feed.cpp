#include "demo/meter_feed.hpp"

#include <algorithm>
#include <filesystem>

#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <set>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "core/registry_schema.hpp"
#include "core/report_rules.hpp"
#include "demo/demo_reports.hpp"
#include "demo/demo_upgrades.hpp"
#include "demo/monthly_history.hpp"
#include "sim/ingest_client.hpp"

namespace kiln::demo {
namespace {

constexpr std::int64_t kDayMs = 86'400'000;

core::UnixMillis AlignDown(core::UnixMillis t, std::int64_t step_ms) {
  return t - (((t % step_ms) + step_ms) % step_ms);
}

double Wrap(double v, const std::optional<double>& rollover) {
  if (!rollover) return v;
  // Passing the declared maximum is passing 0 (core::DifferencePair counts it so): the counter shows
  // 0 up to just under it. (Counting to rollover + 1 made a register at 9999999.18 of 9999999 look
  // like a new meter when it rolled over.)
  double m = *rollover;
  v = std::fmod(v, m);
  return v < 0 ? v + m : v;
}

}  // namespace

MeterFeed::MeterFeed(storage::Store& store, security::MachineAuth& auth, const core::Clock& clock, std::string host,
                     int port, MeterFeedOptions options)
    : store_(store), auth_(auth), clock_(clock), host_(std::move(host)), port_(port), options_(std::move(options)) {}

MeterFeed::~MeterFeed() { Stop(); }

FeedProgress MeterFeed::progress() const {
  return {days_done_.load(), backfill_ ? history_days_ : 0, sent_.load(), failed_.load()};
}

core::Status MeterFeed::Prepare() {
  started_at_ = clock_.Now();
  storage::ListQuery all;
  all.page_size = 1'000'000;
  auto enterprises = store_.ListRecords(core::EnterpriseSchema(), all);
  if (!enterprises.ok()) return enterprises.status();
  auto points = store_.AllPoints();
  if (!points.ok()) return points.status();
  auto latest = store_.LatestReadings();
  if (!latest.ok()) return latest.status();
  auto projects = store_.ListRecords(core::ProjectSchema(), all);
  if (!projects.ok()) return projects.status();
  std::map<std::int64_t, std::string> products;
  std::map<std::int64_t, double> capacity_t;  // of the first project's product, existing plants
  for (const auto& p : projects->items)
    products.emplace(storage::AsInt(p.at("enterprise_id")), storage::AsText(p.at("product")));
  for (const auto& p : projects->items) {
    auto id = storage::AsInt(p.at("enterprise_id"));
    if (storage::AsText(p.at("state")) != "existing" || storage::AsText(p.at("product")) != products[id]) continue;
    auto unit = storage::AsText(p.at("capacity_unit"));
    if (unit == "万吨/年") capacity_t[id] += storage::AsReal(p.at("capacity")) * 10'000;
  }
  // A back-fill goes on where a stopped process left it (same start, same faults);
  // a store with readings and no back-fill record gets none.
  auto progress = ReadHistoryProgress();
  if (!progress.ok()) return progress.status();
  history_at_ = started_at_;
  history_days_ = options_.history_days;
  oldest_first_ = options_.oldest_first;
  bool plant_faults = false;
  if (*progress) {
    history_at_ = (*progress)->started_at;
    history_days_ = (*progress)->history_days;
    resume_from_ = (*progress)->days_done;
    oldest_first_ = (*progress)->oldest_first;
    backfill_ = !(*progress)->complete;
    plant_faults = true;
    if (backfill_) {
      spdlog::info("demo history: resuming the back-fill after {} of {} days", resume_from_, history_days_);
    }
  } else if (latest->empty() && history_days_ > 0) {
    backfill_ = plant_faults = true;
    KILN_RETURN_IF_ERROR(WriteHistoryProgress(0, false));
  }

  std::map<std::int64_t, std::vector<const storage::PointInfo*>> by_enterprise;
  for (const auto& p : *points) by_enterprise[p.enterprise_id].push_back(&p);
  // The plants whose upgrade was completed read less from the month after.
  auto improvements = DemoUpgradeImprovements(store_, options_.seed);
  if (!improvements.ok()) return improvements.status();
  std::map<std::int64_t, Improvement> improved_points;
  if (!improvements->empty()) {
    auto point_records = store_.ListRecords(core::MeteringPointSchema(), all);
    if (!point_records.ok()) return point_records.status();
    for (const auto& r : point_records->items) {
      if (core::IsNull(r.at("project_id"))) continue;
      auto it = improvements->find(storage::AsInt(r.at("project_id")));
      if (it != improvements->end()) improved_points[storage::AsInt(r.at("id"))] = it->second;
    }
  }
  for (const auto& record : enterprises->items) {
    Enterprise e;
    e.id = storage::AsInt(record.at("id"));
    e.uscc = storage::AsText(record.at("uscc"));
    e.staff = storage::AsInt(record.at("staff"));
    if (auto it = products.find(e.id); it != products.end()) e.product = it->second;
    if (auto it = capacity_t.find(e.id); it != capacity_t.end()) e.capacity_t = it->second;
    auto key = auth_.Issue(e.id, "demo-feed");
    if (!key.ok()) return key.status();
    e.key_id = key->key_id;
    e.secret = key->secret;
    std::string industry = storage::AsText(record.at("industry"));
    std::int64_t staff = storage::AsInt(record.at("staff"));
    // A stopped plant draws only standby power: lighting, heating, security.
    double activity = storage::AsText(record.at("status")) == "stopped" ? 0.02 : 1.0;
    for (const auto* p : by_enterprise[e.id]) {
      sim::PointModel m{.point_id = p->id,
                        .code = p->code,
                        .kind = p->kind,
                        .measures = p->measures,
                        .unit = p->unit,
                        .interval_s = p->interval_s,
                        .rollover = p->rollover,
                        .mean_rate = sim::MeanRate(industry, p->measures, staff) *
                                     (p->kind == "instant" && p->measures != "a00000" ? 1.0 : activity),
                        .continuous = sim::IsContinuousProcess(industry),
                        .in_total = p->in_total,
                        .seed = options_.seed * 1'000'003ULL + static_cast<std::uint64_t>(p->id)};
      if (auto it = improved_points.find(p->id); it != improved_points.end()) {
        m.improved_from = it->second.from;
        m.improved_scale = it->second.scale;
      }
      const std::int64_t step = m.interval_s * 1000;
      core::UnixMillis last_sample = AlignDown(started_at_, step);
      PointState state;
      // The register at the history's newest time; a function of the model, so a restart finds it again.
      double r_now =
          m.rollover ? sim::Noise(m.seed, 3) * *m.rollover : m.mean_rate * 24 * (history_days_ + 30) * 1.5 + 1e6;
      r_now = std::round(r_now * 100) / 100;
      history_start_[p->id] = r_now;
      auto it = latest->find(p->id);
      if (it != latest->end()) {
        // Resume after a restart: continue from the stored register; the downtime stays a gap.
        state.register_value = it->second.value;
        state.next_ts = std::max(it->second.ts + step, last_sample + step);
      } else {
        state.register_value = r_now;
        state.next_ts = last_sample + step;
      }
      live_[p->id] = state;
      if (m.measures == "a21026") e.emitter = true;
      e.points.push_back(std::move(m));
    }
    enterprises_.push_back(std::move(e));
  }
  if (plant_faults) {
    std::vector<PlanEnterprise> plan;
    for (const auto& e : enterprises_) {
      bool output = std::any_of(e.points.begin(), e.points.end(),
                                [](const sim::PointModel& p) { return p.measures == "product_output"; });
      bool coal = std::any_of(e.points.begin(), e.points.end(),
                              [](const sim::PointModel& p) { return p.measures == "raw_coal"; });
      plan.push_back({.id = e.id,
                      .points = &e.points,
                      .product = output ? e.product : "",
                      .capacity_t = e.capacity_t,
                      .burns_coal = coal,
                      .emitter = e.emitter});
    }
    faults_ = PlanFaults(plan, options_.seed, history_at_, history_days_);
    std::map<std::int64_t, const sim::PointModel*> models;
    for (const auto& e : enterprises_) {
      for (const auto& p : e.points) models[p.point_id] = &p;
    }
    for (auto& f : faults_) {
      if (f.kind != "reset") continue;
      // The old meter's register at the replacement: the newest sample's value less what was used
      // from the replacement on (StepAmount(t) is the use from t to the next sample, as HistoryDay walks it).
      const auto& p = *models.at(f.point_id);
      const std::int64_t step = p.interval_s * 1000;
      double at_replacement = history_start_.at(p.point_id);
      for (auto t = AlignDown(history_at_, step) - step; t >= f.from; t -= step) {
        at_replacement -= sim::StepAmount(p, t);
      }
      f.old_register = Wrap(at_replacement, p.rollover);
    }
    IndexFaults();
    KILN_RETURN_IF_ERROR(PlantCalibrationDates());
    KILN_RETURN_IF_ERROR(WriteFaults());
  }
  return {};
}

core::Result<std::optional<MeterFeed::HistoryProgress>> MeterFeed::ReadHistoryProgress() const {
  if (options_.history_file.empty() || !std::filesystem::exists(options_.history_file)) {
    return std::optional<HistoryProgress>();
  }
  std::ifstream in(options_.history_file);
  auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("started_at") || !j.contains("history_days") ||
      !j.contains("days_done") || !j.contains("complete")) {
    return core::Status::InvalidArgument(options_.history_file +
                                         " is not a demo back-fill record; remove it to start over");
  }
  return std::optional<HistoryProgress>(
      HistoryProgress{j["started_at"].get<core::UnixMillis>(), j["history_days"].get<int>(), j["days_done"].get<int>(),
                      j["complete"].get<bool>(), j.value("order", "") == "oldest-first"});
}

core::Status MeterFeed::WriteHistoryProgress(int days_done, bool complete) const {
  if (options_.history_file.empty()) return {};
  auto temp = options_.history_file + ".tmp";
  {
    std::ofstream out(temp);
    out << nlohmann::json{{"started_at", history_at_},
                          {"history_days", history_days_},
                          {"days_done", days_done},
                          {"complete", complete},
                          {"order", oldest_first_ ? "oldest-first" : "newest-first"}}
               .dump()
        << "\n";
    if (!out) return core::Status::Unavailable("cannot write " + temp);
  }
  std::error_code ec;
  std::filesystem::rename(temp, options_.history_file, ec);  // whole or not at all
  if (ec) return core::Status::Unavailable(fmt::format("cannot write {}: {}", options_.history_file, ec.message()));
  return {};
}

core::Status MeterFeed::WriteFaults() const {
  if (options_.faults_file.empty()) return {};
  nlohmann::json items = nlohmann::json::array();
  for (const auto& f : faults_) {
    nlohmann::json j = {{"kind", f.kind},
                        {"enterprise_id", f.enterprise_id},
                        {"note", f.note},
                        {"from", core::FormatInstantChina(f.from)}};
    if (f.point_id) {
      j["point_id"] = f.point_id;
      j["point_code"] = f.point_code;
    }
    if (f.to != std::numeric_limits<std::int64_t>::max()) j["to"] = core::FormatInstantChina(f.to);
    if (f.offset_ms) j["offset_s"] = f.offset_ms / 1000;
    if (!f.calibration_due.empty()) j["calibration_due"] = f.calibration_due;
    if (!f.month.empty()) {
      j["month"] = f.month;
      j["factor"] = f.factor;
    }
    if (!f.product.empty()) j["product"] = f.product;
    items.push_back(std::move(j));
  }
  std::ofstream out(options_.faults_file);
  if (!out) return core::Status::Unavailable("cannot write " + options_.faults_file);
  out << nlohmann::json{{"seed", options_.seed},
                        {"generated_at", core::FormatInstantChina(history_at_)},
                        {"faults", items}}
             .dump(2)
      << "\n";
  return {};
}

void MeterFeed::IndexFaults() {
  faults_by_point_.clear();
  faults_by_enterprise_.clear();
  for (const auto& f : faults_) {
    if (f.point_id)
      faults_by_point_[f.point_id].push_back(&f);
    else
      faults_by_enterprise_[f.enterprise_id].push_back(&f);
  }
}

core::Status MeterFeed::PlantCalibrationDates() {
  storage::Actor actor{"demo-feed", "127.0.0.1"};
  for (const auto& f : faults_) {
    if (f.kind != "calibration_overdue") continue;
    auto due = core::ParseDate(f.calibration_due);
    if (!due) continue;
    core::Record patch = {{"calibrated_on", core::FormatDate({due->year - 1, due->month, std::min(due->day, 28)})},
                          {"calibration_due", f.calibration_due}};
    auto updated = store_.UpdateRecord(core::MeteringPointSchema(), f.point_id, patch, actor, clock_.Now());
    if (!updated.ok()) return updated.status().WithContext(fmt::format("planting calibration of point {}", f.point_id));
  }
  return {};
}

bool MeterFeed::Suppressed(std::int64_t enterprise_id, std::int64_t point_id, core::UnixMillis ts) const {
  if (auto it = faults_by_enterprise_.find(enterprise_id); it != faults_by_enterprise_.end()) {
    for (const auto* f : it->second) {
      if (f->kind == "access_end_silent" && ts >= f->from) return true;
    }
  }
  auto it = faults_by_point_.find(point_id);
  if (it == faults_by_point_.end()) return false;
  for (const auto* f : it->second) {
    if ((f->kind == "gap" && ts >= f->from && ts < f->to) || (f->kind == "stopped" && ts >= f->from)) return true;
  }
  return false;
}

core::UnixMillis MeterFeed::Stamp(std::int64_t enterprise_id, core::UnixMillis ts) const {
  auto it = faults_by_enterprise_.find(enterprise_id);
  if (it == faults_by_enterprise_.end()) return ts;
  for (const auto* f : it->second) {
    if (f->kind == "timestamp_drift" && ts >= f->from) return ts + f->offset_ms;
  }
  return ts;
}

double MeterFeed::Adjust(const sim::PointModel& p, core::UnixMillis ts, double value) const {
  auto it = faults_by_point_.find(p.point_id);
  if (it != faults_by_point_.end()) {
    for (const auto* f : it->second) {
      if (f->kind == "flatline" && ts >= f->from && ts < f->to) return sim::InstantValue(p, f->from);
      if (f->kind == "spike" && ts >= f->to) value += 30 * p.mean_rate * p.interval_s / 3600.0;
      // The new meter starts near zero at the replacement: at 20, or a tenth of what the old one
      // showed when that was little (a register that rose by the replacement would be a jump, not a reset).
      if (f->kind == "reset" && ts >= f->from) value = value - f->old_register + std::min(20.0, f->old_register / 10);
    }
  }
  return std::round(Wrap(value, p.rollover) * 100) / 100;
}

std::vector<std::pair<std::string, std::pair<core::UnixMillis, double>>> MeterFeed::HistoryDay(
    const Enterprise& e, core::UnixMillis from, core::UnixMillis to, std::map<std::int64_t, double>& register_at) {
  std::vector<std::pair<std::string, std::pair<core::UnixMillis, double>>> rows;
  for (const auto& p : e.points) {
    const std::int64_t step = p.interval_s * 1000;
    auto newest = AlignDown(to - 1, step);
    // register_at: the true register at (oldest generated sample); starts one step after the newest sample.
    auto [slot, fresh] = register_at.try_emplace(p.point_id, 0.0);
    if (fresh) slot->second = history_start_[p.point_id] + sim::StepAmount(p, newest);
    for (auto ts = newest; ts >= from; ts -= step) {
      double value;
      if (p.kind == "register") {
        slot->second -= sim::StepAmount(p, ts);
        value = slot->second;
      } else if (p.kind == "interval") {
        value = sim::StepAmount(p, ts);
      } else {
        value = sim::InstantValue(p, ts);
      }
      if (Suppressed(e.id, p.point_id, ts)) continue;
      rows.push_back({p.code, {Stamp(e.id, ts), Adjust(p, ts, value)}});
    }
  }
  return rows;
}

void MeterFeed::Send(const Enterprise& e,
                     std::vector<std::pair<std::string, std::pair<core::UnixMillis, double>>>& rows) {
  sim::IngestClient client(host_, port_, e.key_id, e.secret);
  for (size_t start = 0; start < rows.size() && !stopping_; start += options_.batch_rows) {
    std::vector<sim::Reading> batch;
    for (size_t i = start; i < std::min(rows.size(), start + options_.batch_rows); ++i) {
      batch.push_back({rows[i].first, rows[i].second.first, rows[i].second.second});
    }
    for (int attempt = 0; attempt < 20 && !stopping_; ++attempt) {
      // The column form, as a gateway sends what it kept: each point's run of samples is one series.
      auto posted = client.PostReadings(sim::SeriesFormBody(batch, 0));
      if (posted.ok() && posted->status == 200) {
        sent_ += static_cast<std::int64_t>(batch.size());
        break;
      }
      if (posted.ok() && posted->status != 503) {
        ++failed_;
        spdlog::warn("demo feed: batch for enterprise {} refused: {} {}", e.id, posted->status,
                     posted->body.substr(0, 200));
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200 * (attempt + 1)));  // overloaded: back off
    }
  }
}

void MeterFeed::DeliverMonthlyHistory() {
  auto complete = CompleteMonthsOfHistory(history_at_, history_days_);
  auto today = core::ChinaDateOf(history_at_);
  MonthlyHistoryOptions options{
      .seed = options_.seed,
      .first_metered_month = complete.empty() ? core::CivilDate{today.year, today.month, 1} : complete.front(),
      .current_month = {today.year, today.month, 1}};
  std::vector<MonthlyEnterprise> enterprises;
  for (const auto& e : enterprises_) {
    enterprises.push_back({.id = e.id,
                           .uscc = e.uscc,
                           .product = e.product,
                           .staff = e.staff,
                           .points = &e.points,
                           .capacity_t = e.capacity_t,
                           .emitter = e.emitter});
  }
  auto delivered = demo::DeliverMonthlyHistory(
      enterprises, faults_, auth_, host_, port_, options, [this] { return stopping_.load(); },
      [](int done, int total) {
        if (done % 6 == 0 || done == total)
          spdlog::info("demo monthly figures: {} of {} months delivered by the departments", done, total);
      });
  if (!delivered.ok()) spdlog::warn("demo monthly figures: {}", delivered.ToString());
}

void MeterFeed::RunHistory() {
  if (resume_from_ == 0) DeliverMonthlyHistory();
  auto today = core::ChinaMidnight(core::ChinaDateOf(history_at_));
  auto day_span = [&](int k) {  // k days before today's
    core::UnixMillis from = today - k * kDayMs;
    return std::pair{from, k == 0 ? history_at_ + 1 : from + kDayMs};
  };
  // Registers are modelled back from the newest sample, so an oldest-first back-fill first walks
  // them back through every day, keeping where each day starts (cheap next to sending them).
  std::vector<std::map<std::int64_t, double>> register_before_day;
  std::map<std::int64_t, double> register_at;
  if (oldest_first_) {
    for (int k = 0; k < history_days_ && !stopping_; ++k) {
      register_before_day.push_back(register_at);
      auto [from, to] = day_span(k);
      for (const auto& e : enterprises_) HistoryDay(e, from, to, register_at);
    }
  }
  for (int done = 0; done < history_days_ && !stopping_; ++done) {
    const int k = oldest_first_ ? history_days_ - 1 - done : done;
    auto [from, to] = day_span(k);
    std::int64_t before = sent_;
    std::map<std::int64_t, double> day_start;
    if (oldest_first_) day_start = std::move(register_before_day[k]);
    for (const auto& e : enterprises_) {
      if (stopping_) return;
      if (oldest_first_) {
        if (done < resume_from_) break;
        auto rows = HistoryDay(e, from, to, day_start);
        std::reverse(rows.begin(), rows.end());  // each point's samples oldest first
        Send(e, rows);
      } else {
        auto rows = HistoryDay(e, from, to, register_at);  // also walks the registers back through days already sent
        if (done >= resume_from_) Send(e, rows);
      }
    }
    days_done_ = done + 1;
    if (done < resume_from_) continue;
    if (auto saved = WriteHistoryProgress(done + 1, false); !saved.ok())
      spdlog::warn("demo history: {}", saved.ToString());
    spdlog::info("demo history: {} of {} days back filled ({}; {} readings)", done + 1, history_days_,
                 core::FormatDate(core::ChinaDateOf(from)), sent_ - before);
  }
  if (stopping_) return;
  spdlog::info("demo history complete: {} readings", sent_.load());
  history_done_ = true;
  PushPowerCompanyMonths();
  if (options_.after_history && !stopping_) options_.after_history(faults_);
  if (stopping_) return;
  if (auto saved = WriteHistoryProgress(history_days_, true); !saved.ok())
    spdlog::warn("demo history: {}", saved.ToString());
}

void MeterFeed::PushPowerCompanyMonths() {
  auto months = CompleteMonthsOfHistory(history_at_, history_days_);
  if (months.empty() || stopping_) return;
  auto key = auth_.IssueForDepartment("power", "370000", "demo-feed");
  if (!key.ok()) {
    spdlog::warn("demo feed: no power company key: {}", key.status().message());
    return;
  }
  std::map<std::int64_t, const Enterprise*> by_id;
  for (const auto& e : enterprises_) by_id[e.id] = &e;
  std::set<std::int64_t> over;
  for (const auto& f : faults_) {
    if (f.kind == "power_over_metered") over.insert(f.enterprise_id);
  }
  sim::IngestClient client(host_, port_, key->key_id, key->secret);
  for (const auto& m : months) {
    std::string period = fmt::format("{:04}-{:02}", m.year, m.month);
    auto span = core::ParseReportPeriod(core::ReportKind::kMonthly, period);
    storage::EnergyQuery q{.group_by = "enterprise",
                           .region_prefix = "",
                           .energy_type = "electricity",
                           .step = "month",
                           .from = span->start,
                           .to = span->end};
    auto totals = store_.EnergyTotals(q);
    if (!totals.ok()) {
      spdlog::warn("demo feed: metered electricity for the power company: {}", totals.status().message());
      return;
    }
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& t : *totals) {
      auto id = std::atoll(t.group.c_str());
      auto it = by_id.find(id);
      if (it == by_id.end() || t.amount <= 0) continue;
      // Billing meters and the enterprise's own meters never agree exactly.
      double factor = over.contains(id)
                          ? 1.25
                          : 1 + (sim::Noise(options_.seed, static_cast<std::uint64_t>(id) * 31 + m.month) - 0.5) * 0.02;
      rows.push_back({{"credit_code", it->second->uscc},
                      {"period", period},
                      {"values",
                       {{"electricity", std::round(t.amount * factor)},
                        {"max_demand", std::round(t.amount * factor / (24 * 30) * 1.6)}}}});
    }
    if (rows.empty()) continue;
    auto posted = client.Post("/api/v1/collection-tasks/power_monthly/records",
                              nlohmann::json{{"sync", "full"}, {"rows", rows}}.dump());
    if (!posted.ok() || posted->status != 200) {
      spdlog::warn("demo feed: power company records for {} refused: {}", period,
                   posted.ok() ? posted->body.substr(0, 300) : posted.status().message());
      continue;
    }
    spdlog::info("demo: power company delivered {} enterprises' electricity for {}", rows.size(), period);
  }
}

void MeterFeed::RunLive() {
  while (backfill_ && oldest_first_ && !history_done_ && !stopping_)
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  while (!stopping_) {
    auto now = clock_.Now();
    for (const auto& e : enterprises_) {
      std::vector<std::pair<std::string, std::pair<core::UnixMillis, double>>> rows;
      for (const auto& p : e.points) {
        auto& state = live_[p.point_id];
        const std::int64_t step = p.interval_s * 1000;
        while (state.next_ts <= now) {
          double value;
          if (p.kind == "register") {
            state.register_value += sim::StepAmount(p, state.next_ts - step);
            value = state.register_value;
          } else if (p.kind == "interval") {
            value = sim::StepAmount(p, state.next_ts);
          } else {
            value = sim::InstantValue(p, state.next_ts);
          }
          if (!Suppressed(e.id, p.point_id, state.next_ts))
            rows.push_back({p.code, {Stamp(e.id, state.next_ts), Adjust(p, state.next_ts, value)}});
          state.next_ts += step;
        }
      }
      if (!rows.empty()) Send(e, rows);
    }
    for (int i = 0; i < options_.live_tick_s * 10 && !stopping_; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

void MeterFeed::Start() {
  if (backfill_) history_ = std::thread([this] { RunHistory(); });
  live_thread_ = std::thread([this] { RunLive(); });
}

void MeterFeed::Stop() {
  stopping_ = true;
  if (history_.joinable()) history_.join();
  if (live_thread_.joinable()) live_thread_.join();
}

}  // namespace kiln::demo
