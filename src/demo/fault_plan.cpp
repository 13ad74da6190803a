#include "demo/fault_plan.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <set>

#include "demo/demo_registry.hpp"
#include "demo/demo_reports.hpp"

namespace kiln::demo {
namespace {

constexpr std::int64_t kHourMs = 3'600'000;
constexpr std::int64_t kDayMs = 86'400'000;

core::UnixMillis AlignDown(core::UnixMillis t, std::int64_t step_ms) {
  return t - (((t % step_ms) + step_ms) % step_ms);
}

class Planner {
 public:
  Planner(const std::vector<PlanEnterprise>& enterprises, std::uint64_t seed, core::UnixMillis now, int history_days)
      : enterprises_(enterprises),
        seed_(seed),
        now_(now),
        history_days_(history_days),
        today_(core::ChinaMidnight(core::ChinaDateOf(now))),
        per_kind_(std::max<std::size_t>(5, static_cast<std::size_t>(std::lround(0.04 * enterprises.size())))),
        window_days_(std::min(history_days - 1, 25)) {}

  std::vector<PlantedFault> Plan() {
    if (history_days_ < 3) return {};
    // Enterprise-level faults first: a silent access-end takes its points out of the rest.
    EnterpriseFaults("access_end_silent", 11, [&](const PlanEnterprise& e, double u) {
      auto from = AlignDown(now_, kHourMs) - static_cast<std::int64_t>(6 + u * 34) * kHourMs;
      return PlantedFault{.kind = "access_end_silent",
                          .enterprise_id = e.id,
                          .from = from,
                          .note = "every point of the access-end stops sending"};
    });
    EnterpriseFaults("timestamp_drift", 13, [&](const PlanEnterprise& e, double u) {
      int d = 1 + static_cast<int>(u * std::min(10, window_days_));
      std::int64_t offset_s = 90 + static_cast<std::int64_t>(Noise(e.id, 17) * 150);
      return PlantedFault{
          .kind = "timestamp_drift",
          .enterprise_id = e.id,
          .from = today_ - d * kDayMs,
          .note = fmt::format("the access-end clock runs {} s fast: samples arrive off the grid", offset_s),
          .offset_ms = offset_s * 1000};
    });
    if (!CompleteMonthsOfHistory(now_, history_days_).empty()) {
      EnterpriseFaults("under_reporting", 19, [&](const PlanEnterprise& e, double) {
        return PlantedFault{.kind = "under_reporting",
                            .enterprise_id = e.id,
                            .from = today_ - (history_days_ - 1) * kDayMs,
                            .to = today_,
                            .note = "self-reported monthly energy about 20% below metered use"};
      });
      EnterpriseFaults("power_over_metered", 23, [&](const PlanEnterprise& e, double) {
        return PlantedFault{.kind = "power_over_metered",
                            .enterprise_id = e.id,
                            .from = today_ - (history_days_ - 1) * kDayMs,
                            .to = today_,
                            .note = "the power company's monthly electricity is 25% above the metered use"};
      });
    }
    // The departments' figures of the last complete month.
    auto today = core::ChinaDateOf(now_);
    core::CivilDate month =
        today.month == 1 ? core::CivilDate{today.year - 1, 12, 1} : core::CivilDate{today.year, today.month - 1, 1};
    auto month_from = core::ChinaMidnight(month);
    auto month_to = core::ChinaMidnight({today.year, today.month, 1}) - 1;
    auto month_fault = [&](const char* kind, double factor, std::string note) {
      return PlantedFault{.kind = kind,
                          .from = month_from,
                          .to = month_to,
                          .note = std::move(note),
                          .month = fmt::format("{:04}-{:02}", month.year, month.month),
                          .factor = factor};
    };
    EnterpriseFaults(
        "output_under_reported", 83, [](const PlanEnterprise& e) { return !e.product.empty(); },
        [&](const PlanEnterprise& e, double) {
          auto f =
              month_fault("output_under_reported", 0.6, "the statistics office's output is 40% below the true output");
          f.enterprise_id = e.id;
          return f;
        });
    EnterpriseFaults(
        "emissions_under_reported", 89, [](const PlanEnterprise& e) { return e.emitter && e.burns_coal; },
        [&](const PlanEnterprise& e, double) {
          auto f = month_fault("emissions_under_reported", 0.45, "the ecology department's SO2 and NOx are 55% below");
          f.enterprise_id = e.id;
          return f;
        });
    EnterpriseFaults(
        "revenue_under_reported", 97, [](const PlanEnterprise& e) { return !e.product.empty(); },
        [&](const PlanEnterprise& e, double) {
          auto f = month_fault("revenue_under_reported", 0.55, "the tax office's main revenue is 45% below");
          f.enterprise_id = e.id;
          return f;
        });
    EnterpriseFaults(
        "over_capacity", 101, [](const PlanEnterprise& e) { return e.capacity_t > 0 && !e.product.empty(); },
        [&](const PlanEnterprise& e, double) {
          auto f = month_fault("over_capacity", 1.3, "the month's output runs at 130% of the approved capacity");
          f.enterprise_id = e.id;
          return f;
        });
    if (std::any_of(enterprises_.begin(), enterprises_.end(),
                    [](const PlanEnterprise& e) { return e.product == kUnderusedProduct; })) {
      faults_.push_back(PlantedFault{
          .kind = "capacity_utilisation_low",
          .from = core::ChinaMidnight({today.year, 1, 1}),
          .note = fmt::format("the {} plants are built at about 2.5 times their output", kUnderusedProduct),
          .product = std::string(kUnderusedProduct)});
    }
    PointFaults(
        "gap", 29, [](const sim::PointModel&) { return true; },
        [&](const PlanEnterprise& e, const sim::PointModel& p, double u) {
          int d = 1 + static_cast<int>(u * window_days_);
          auto from = today_ - d * kDayMs + static_cast<std::int64_t>(Noise(p.point_id, 31) * 18) * kHourMs;
          auto hours = 2 + static_cast<std::int64_t>(Noise(p.point_id, 37) * 5);
          return PlantedFault{.kind = "gap",
                              .enterprise_id = e.id,
                              .point_id = p.point_id,
                              .point_code = p.code,
                              .from = from,
                              .to = from + hours * kHourMs,
                              .note = fmt::format("no data for {} hours", hours)};
        });
    PointFaults(
        "flatline", 41, [](const sim::PointModel& p) { return p.kind == "instant"; },
        [&](const PlanEnterprise& e, const sim::PointModel& p, double u) {
          int d = 2 + static_cast<int>(u * std::max(1, window_days_ - 1));
          auto from = today_ - d * kDayMs + static_cast<std::int64_t>(Noise(p.point_id, 43) * 12) * kHourMs;
          auto hours = 8 + static_cast<std::int64_t>(Noise(p.point_id, 47) * 17);
          return PlantedFault{.kind = "flatline",
                              .enterprise_id = e.id,
                              .point_id = p.point_id,
                              .point_code = p.code,
                              .from = from,
                              .to = from + hours * kHourMs,
                              .note = fmt::format("the value does not change for {} hours", hours)};
        });
    // A spike is judged against the point's previous two weeks, so it needs them in the history.
    int spike_days = std::min(window_days_, history_days_ - 16);
    if (spike_days >= 1) {
      PointFaults(
          "spike", 53, [](const sim::PointModel& p) { return p.kind == "register"; },
          [&](const PlanEnterprise& e, const sim::PointModel& p, double u) {
            int d = 1 + static_cast<int>(u * spike_days);
            auto step = p.interval_s * 1000;
            auto from =
                AlignDown(today_ - d * kDayMs + (9 + static_cast<std::int64_t>(Noise(p.point_id, 59) * 11)) * kHourMs +
                              static_cast<std::int64_t>(Noise(p.point_id, 61) * 3'599'000),
                          step);
            return PlantedFault{.kind = "spike",
                                .enterprise_id = e.id,
                                .point_id = p.point_id,
                                .point_code = p.code,
                                .from = from,
                                .to = from + step,
                                .note = "the register jumps by 30 intervals' worth once"};
          });
    }
    PointFaults(
        "reset", 67, [](const sim::PointModel& p) { return p.kind == "register"; },
        [&](const PlanEnterprise& e, const sim::PointModel& p, double u) {
          int d = 1 + static_cast<int>(u * window_days_);
          auto from = AlignDown(today_ - d * kDayMs + static_cast<std::int64_t>(Noise(p.point_id, 71) * 86'399'000),
                                p.interval_s * 1000);
          return PlantedFault{.kind = "reset",
                              .enterprise_id = e.id,
                              .point_id = p.point_id,
                              .point_code = p.code,
                              .from = from,
                              .to = from,
                              .note = "meter replaced: the register restarts near zero"};
        });
    PointFaults(
        "stopped", 73, [](const sim::PointModel&) { return true; },
        [&](const PlanEnterprise& e, const sim::PointModel& p, double u) {
          auto from = AlignDown(now_, kHourMs) - static_cast<std::int64_t>(24 + u * 48) * kHourMs;
          return PlantedFault{.kind = "stopped",
                              .enterprise_id = e.id,
                              .point_id = p.point_id,
                              .point_code = p.code,
                              .from = from,
                              .note = "the meter stops sending and stays silent"};
        });
    PointFaults(
        "calibration_overdue", 79, [](const sim::PointModel&) { return true; },
        [&](const PlanEnterprise& e, const sim::PointModel& p, double u) {
          auto due = today_ - (1 + static_cast<std::int64_t>(u * 200)) * kDayMs;
          return PlantedFault{.kind = "calibration_overdue",
                              .enterprise_id = e.id,
                              .point_id = p.point_id,
                              .point_code = p.code,
                              .from = due + kDayMs,
                              .note = "the calibration due date is set in the past",
                              .calibration_due = core::FormatDate(core::ChinaDateOf(due))};
        });
    return std::move(faults_);
  }

 private:
  double Noise(std::int64_t key, std::uint64_t salt) const {
    return sim::Noise(seed_, static_cast<std::uint64_t>(key) * 1'000'003ULL + salt);
  }

  // Candidates in an order fixed by the seed and the kind.
  template <typename T, typename Key>
  std::vector<const T*> Shuffled(const std::vector<const T*>& items, std::uint64_t salt, Key key) const {
    std::vector<std::pair<double, const T*>> scored;
    scored.reserve(items.size());
    for (const auto* item : items) scored.emplace_back(Noise(key(*item), salt), item);
    std::sort(scored.begin(), scored.end(), [&](const auto& a, const auto& b) {
      return a.first != b.first ? a.first < b.first : key(*a.second) < key(*b.second);
    });
    std::vector<const T*> out;
    out.reserve(scored.size());
    for (const auto& [score, item] : scored) out.push_back(item);
    return out;
  }

  template <typename Make>
  void EnterpriseFaults(const char* kind, std::uint64_t salt, Make make) {
    EnterpriseFaults(
        kind, salt, [](const PlanEnterprise&) { return true; }, make);
  }

  template <typename Eligible, typename Make>
  void EnterpriseFaults(const char* kind, std::uint64_t salt, Eligible eligible, Make make) {
    std::vector<const PlanEnterprise*> candidates;
    for (const auto& e : enterprises_) {
      if (!e.points->empty() && !enterprise_used_.contains(e.id) && eligible(e)) candidates.push_back(&e);
    }
    std::size_t planted = 0;
    for (const auto* e : Shuffled(candidates, salt, [](const PlanEnterprise& x) { return x.id; })) {
      if (planted == per_kind_) break;
      faults_.push_back(make(*e, Noise(e->id, salt + 1)));
      enterprise_used_.insert(e->id);
      if (std::string_view(kind) == "access_end_silent") silent_.insert(e->id);
      ++planted;
    }
  }

  template <typename Eligible, typename Make>
  void PointFaults(const char* /*kind*/, std::uint64_t salt, Eligible eligible, Make make) {
    std::vector<std::pair<const PlanEnterprise*, const sim::PointModel*>> pairs;
    std::vector<const std::pair<const PlanEnterprise*, const sim::PointModel*>*> candidates;
    for (const auto& e : enterprises_) {
      if (silent_.contains(e.id)) continue;
      for (const auto& p : *e.points) {
        if (eligible(p) && !point_used_.contains(p.point_id)) pairs.emplace_back(&e, &p);
      }
    }
    candidates.reserve(pairs.size());
    for (const auto& pair : pairs) candidates.push_back(&pair);
    std::size_t planted = 0;
    for (const auto* c : Shuffled(candidates, salt, [](const auto& x) { return x.second->point_id; })) {
      if (planted == per_kind_) break;
      faults_.push_back(make(*c->first, *c->second, Noise(c->second->point_id, salt + 1)));
      point_used_.insert(c->second->point_id);
      ++planted;
    }
  }

  const std::vector<PlanEnterprise>& enterprises_;
  const std::uint64_t seed_;
  const core::UnixMillis now_;
  const int history_days_;
  const core::UnixMillis today_;
  const std::size_t per_kind_;
  const int window_days_;
  std::vector<PlantedFault> faults_;
  std::set<std::int64_t> enterprise_used_, silent_, point_used_;
};

}  // namespace

std::vector<PlantedFault> PlanFaults(const std::vector<PlanEnterprise>& enterprises, std::uint64_t seed,
                                     core::UnixMillis now, int history_days) {
  return Planner(enterprises, seed, now, history_days).Plan();
}

}  // namespace kiln::demo
