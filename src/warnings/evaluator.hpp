#pragma once
// Runs the rules and keeps the stored warnings in step with what they find.
//
// Incremental: ingest tells the evaluator which points it wrote and on which
// days (PointsWritten); each tick checks those points over the days touched
// (and the one before, so that an occurrence running into them is seen
// whole). On a schedule, and soon after a Poke (a report, an upload, a
// registry change), it runs the rules that depend on time passing or on
// other data: silent meters and access-ends, calibration due dates, daily
// completeness and the 09:30 deadline, late reports and department
// deliveries, and the comparison of sources. The policy rules, on monthly
// figures, and the cross-quantity models run with them once the data of a month or other data changed (and the
// readings of past months have settled), and at least every `policy`. EvaluateAll does
// all of it over the whole look-back window and finds the same set: each rule is local in time (point_checks.hpp) and
// each evaluation owns exactly the stored warnings its scope covers (reconcile.hpp).
//
// Thread-safety: PointsWritten, Poke and backlog from any thread; Tick and
// EvaluateAll from one thread at a time (the evaluator's own once started).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "analysis/accounting.hpp"
#include "analysis/dual_control.hpp"
#include "core/china_time.hpp"
#include "storage/store.hpp"
#include "warnings/finding.hpp"
#include "warnings/thresholds.hpp"

namespace kiln::warnings {

struct EvaluatorOptions {
  std::chrono::milliseconds tick{2000};
  std::chrono::seconds schedule{60};  // how often the time-driven rules run
  std::chrono::seconds poke_gap{10};  // and at most this often when poked
  // The policy rules (monthly figures against targets) run with the scheduled rules after the data
  // they read changed, and at least this often.
  std::chrono::seconds policy{600};
  std::size_t points_per_tick = 3000;  // a large back-fill is worked off over several ticks
  // A point is checked once nothing has been written to it for this long, so that a back-fill
  // arriving day by day is checked once, whole, rather than after every day.
  std::chrono::milliseconds settle{20'000};
};

struct EvaluationSummary {
  std::int64_t opened = 0, reopened = 0, updated = 0, cleared = 0;
  std::int64_t points = 0;  // points checked
  double seconds = 0;
  void Add(const EvaluationSummary& other);
};

class Evaluator {
 public:
  Evaluator(storage::Store& store, analysis::Accounting& accounting, analysis::DualControl& dual_control,
            const core::Clock& clock, EvaluatorOptions options = {});
  ~Evaluator();

  void Start();
  void Stop();

  // Points written and the first and last day (CST day start) each touched.
  void PointsWritten(const std::map<std::int64_t, std::pair<core::UnixMillis, core::UnixMillis>>& touched);
  // Other data changed (a report, a department upload, the registry, a threshold): the
  // scheduled rules run at the next tick.
  void Poke();
  // The thresholds changed: every point is checked again too (over the next ticks).
  void ReevaluateAll();
  // Whether this node runs the scheduled rules (one node of several sharing a database).
  void SetLeader(std::function<bool()> is_leader) { is_leader_ = std::move(is_leader); }
  // Told of every change applied (new, reopened, cleared warnings), on the evaluator's thread.
  void SetListener(std::function<void(const std::vector<storage::WarningChange>&)> listener) {
    listener_ = std::move(listener);
  }

  // Every rule over the whole look-back window.
  core::Result<EvaluationSummary> EvaluateAll(const std::function<void(std::size_t, std::size_t)>& progress = {});
  // One tick's work: dirty points (up to points_per_tick) and, when due, the scheduled rules.
  core::Result<EvaluationSummary> Tick();
  // Points waiting to be checked.
  std::size_t backlog() const;
  EvaluationSummary totals() const;

 private:
  struct Context;
  core::Result<Context> Prepare();
  core::Status CheckPoints(Context& ctx, const std::vector<std::int64_t>& ids, core::UnixMillis window_from,
                           EvaluationSummary& summary);
  // months_settled: no readings of a complete month wait to be checked (the source comparison runs).
  // One timestamp_drift warning per access-end (enterprise), naming its points whose samples are off
  // the grid, from the points checked now and what earlier checks found of its other points.
  core::Status AccessEndDrift(Context& ctx, const std::vector<std::int64_t>& checked, std::vector<Finding> drifting,
                              EvaluationSummary& summary);
  core::Status RunScheduled(Context& ctx, EvaluationSummary& summary, bool months_settled);
  core::Status Silence(Context& ctx, EvaluationSummary& summary);
  core::Status Calibration(Context& ctx, EvaluationSummary& summary);
  core::Status Completeness(Context& ctx, EvaluationSummary& summary);
  core::Status Sources(Context& ctx, EvaluationSummary& summary);
  core::Status LateReports(Context& ctx, EvaluationSummary& summary);
  core::Status LateDeliveries(Context& ctx, EvaluationSummary& summary);
  // Review items (other than reports, which have report_late) past their due date and still open.
  core::Status OverdueReviews(Context& ctx, EvaluationSummary& summary);
  // Violating projects whose rectification deadline is near or passed, not yet rectified.
  core::Status ViolationDeadlines(Context& ctx, EvaluationSummary& summary);
  // Control targets and their forecasts, capacity utilisation, projects below the benchmark level,
  // the share of capacity at the advanced level.
  core::Status Policy(Context& ctx, EvaluationSummary& summary);
  // The cross-quantity models (cross_checks.hpp) over the complete months of the look-back window
  // (evaluator_cross_quantity.cpp); they read monthly figures and run with the policy rules.
  core::Status CrossQuantity(Context& ctx, EvaluationSummary& summary);
  core::Status Apply(const storage::EvaluationScope& scope, const std::vector<Finding>& found, const Context& ctx,
                     EvaluationSummary& summary);
  void Loop();

  storage::Store& store_;
  analysis::Accounting& accounting_;
  analysis::DualControl& dual_control_;
  const core::Clock& clock_;
  const EvaluatorOptions options_;
  std::function<bool()> is_leader_;
  std::function<void(const std::vector<storage::WarningChange>&)> listener_;

  mutable std::mutex mutex_;
  struct Dirty {
    core::UnixMillis first_day = 0, last_day = 0;
    std::chrono::steady_clock::time_point written;
  };
  std::map<std::int64_t, Dirty> dirty_;  // GUARDED_BY(mutex_)
  bool poked_ = true;  // GUARDED_BY(mutex_); the first tick runs the scheduled rules
  bool all_points_ = false;  // GUARDED_BY(mutex_)
  bool policy_poked_ = false;  // GUARDED_BY(mutex_); data other than readings changed since Policy ran
  // The drift each point showed when last checked, and the points checked since the start (Tick's thread).
  std::map<std::int64_t, Finding> drift_;
  std::set<std::int64_t> drift_known_;
  // Since when readings of a complete month have been waiting to settle (the monthly rules wait).
  std::optional<std::chrono::steady_clock::time_point> unsettled_since_;  // GUARDED_BY(mutex_)
  std::set<std::pair<int, int>> stale_months_;  // months of settled readings since Policy ran (evaluator thread)
  EvaluationSummary totals_;  // GUARDED_BY(mutex_)
  std::condition_variable wake_;
  std::atomic<bool> stopping_{false};
  std::chrono::steady_clock::time_point last_schedule_{}, last_policy_{};
  std::thread thread_;
};

}  // namespace kiln::warnings
