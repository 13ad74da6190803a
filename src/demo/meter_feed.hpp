#pragma once
// The demo's meters: every enterprise's access-end, simulated. On a fresh
// store it fills a history (newest day first, so recent days appear at once;
// or oldest first, the in-order path a benchmark wants) and then sends live
// readings as their nominal times pass, all through the
// real signed ingest API on loopback. It plants the faults of fault_plan.hpp
// and writes them to <data>/demo-faults.json. Once the history is in, the power company's
// monthly electricity of every complete month arrives as department data,
// pushed with a department key through the same API a real one would use.
//
// Thread-safety: Start/Stop from one thread; progress() from any.

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/china_time.hpp"
#include "demo/fault_plan.hpp"
#include "security/machine_auth.hpp"
#include "sim/load_model.hpp"
#include "storage/store.hpp"

namespace kiln::demo {

struct MeterFeedOptions {
  std::uint64_t seed = 1;
  int history_days = 90;
  // Oldest day first: every reading arrives in order (the fast path), but recent days show last,
  // and live readings wait for the history so that they do not make it late data.
  bool oldest_first = false;
  int live_tick_s = 5;  // how often the live feed looks for due readings
  std::size_t batch_rows = 5000;
  std::string faults_file;  // where the planted faults are listed; empty = not written
  std::string history_file;  // the back-fill's progress, so that a restart resumes it; empty = none
  // Called on the history thread once the history is in (reports are filed there), with the faults.
  std::function<void(const std::vector<PlantedFault>&)> after_history;
};

struct FeedProgress {
  int history_days_done = 0;
  int history_days_total = 0;
  std::int64_t readings_sent = 0;
  std::int64_t batches_failed = 0;
};

class MeterFeed {
 public:
  MeterFeed(storage::Store& store, security::MachineAuth& auth, const core::Clock& clock, std::string host, int port,
            MeterFeedOptions options);
  ~MeterFeed();

  // Issues a key per enterprise, builds the point models, plans the faults.
  core::Status Prepare();
  void Start();
  void Stop();
  FeedProgress progress() const;

  using Fault = PlantedFault;

 private:
  struct Enterprise {
    std::int64_t id = 0;
    std::string uscc;
    std::int64_t staff = 0;
    std::string product;  // its first project's
    double capacity_t = 0;  // of the product, existing plants, tonnes a year (0: not in tonnes)
    bool emitter = false;  // has a flue-gas monitor
    std::string key_id, secret;
    std::vector<sim::PointModel> points;
  };
  struct PointState {
    double register_value = 0;  // the register at `next_ts - interval` (live) or at the newest generated time (history)
    core::UnixMillis next_ts = 0;  // the next live sample time
  };

  void RunHistory();
  void RunLive();
  void PushPowerCompanyMonths();
  // Three years of monthly department figures before the meter history (monthly_history.hpp).
  void DeliverMonthlyHistory();
  // The readings of one enterprise in [from, to), newest first per point for registers.
  std::vector<std::pair<std::string, std::pair<core::UnixMillis, double>>> HistoryDay(
      const Enterprise& e, core::UnixMillis from, core::UnixMillis to, std::map<std::int64_t, double>& register_at);
  bool Suppressed(std::int64_t enterprise_id, std::int64_t point_id, core::UnixMillis ts) const;
  double Adjust(const sim::PointModel& p, core::UnixMillis ts, double value) const;
  // The time an access-end stamps on a sample taken at `ts` (its clock may be off).
  core::UnixMillis Stamp(std::int64_t enterprise_id, core::UnixMillis ts) const;
  void IndexFaults();
  core::Status PlantCalibrationDates();
  void Send(const Enterprise& e, std::vector<std::pair<std::string, std::pair<core::UnixMillis, double>>>& rows);
  core::Status WriteFaults() const;
  struct HistoryProgress {
    core::UnixMillis started_at = 0;
    int history_days = 0, days_done = 0;
    bool complete = false;
    bool oldest_first = false;
  };
  core::Result<std::optional<HistoryProgress>> ReadHistoryProgress() const;
  core::Status WriteHistoryProgress(int days_done, bool complete) const;

  storage::Store& store_;
  security::MachineAuth& auth_;
  const core::Clock& clock_;
  const std::string host_;
  const int port_;
  const MeterFeedOptions options_;
  std::vector<Enterprise> enterprises_;
  std::vector<Fault> faults_;
  std::map<std::int64_t, std::vector<const Fault*>> faults_by_point_, faults_by_enterprise_;
  std::map<std::int64_t, PointState> live_;  // owned by the live thread after Start
  std::map<std::int64_t, double> history_start_;  // register value at the history's newest time
  core::UnixMillis started_at_ = 0;
  core::UnixMillis history_at_ = 0;  // "now" of the back-fill: this start's, or the first one's when resumed
  int history_days_ = 0;
  int resume_from_ = 0;  // days already back-filled by an earlier process
  bool backfill_ = false;
  bool oldest_first_ = false;  // this back-fill's order (a resumed one keeps the order it started with)
  std::atomic<bool> history_done_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<int> days_done_{0};
  std::atomic<std::int64_t> sent_{0}, failed_{0};
  std::thread history_, live_thread_;
};

}  // namespace kiln::demo
