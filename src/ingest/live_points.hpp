#pragma once
// The in-order write path. For every point that receives data it keeps the
// newest block of readings and the rollups of the hour, day and month that
// are still open, so that readings newer than everything stored are derived
// in memory (register intervals, hour/day/month rollups) without reading the
// store. What has changed is written out by Materialise, in one transaction,
// with the journal entries it covers removed: each block and rollup is then
// written once per materialisation however many batches filled it.
//
// Figures are the same as the full derivation's (DerivePoint): the same
// interval rule and the same rollup arithmetic in the same order.
//
// Thread-safety: none; used by the ingest writer thread only.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "storage/meter_store.hpp"

namespace kiln::ingest {

class StaleTotals;

struct LiveReading {
  std::int64_t point_id = 0;
  core::UnixMillis ts = 0;
  double value = 0;
  std::string quality;
};

// The journal's encoding of acknowledged readings.
std::string EncodeJournalRows(const std::vector<LiveReading>& rows);
core::Result<std::vector<LiveReading>> DecodeJournalRows(std::string_view bytes);

class LivePoints {
 public:
  // The newest reading time of a point (stored or pending), loading its state
  // through `tx` the first time; nullopt when it has none.
  core::Result<std::optional<core::UnixMillis>> LastTs(storage::MeterWriteTx& tx, const storage::PointInfo& point);

  // Appends readings newer than LastTs, in time order, stored by `batch_id`.
  // The state must have been loaded (LastTs).
  void Append(const storage::PointInfo& point, const std::vector<LiveReading>& readings, std::int64_t batch_id);

  // Writes every changed block and rollup through `tx`; the totals they make
  // stale go to `stale`. Call Written() once the transaction has committed.
  core::Status Write(storage::MeterWriteTx& tx, StaleTotals& stale);
  void Written();

  // Readings appended and not yet written.
  std::size_t pending() const { return pending_; }

  // Drops the state of a point (after the full path wrote it), of an
  // enterprise's points (its meter data went to another node) or of all.
  // Readings appended and not written are dropped with it.
  void Forget(std::int64_t point_id);
  void ForgetEnterprise(std::int64_t enterprise_id);
  void ForgetAll();
  // The enterprises with readings appended and not yet written.
  std::set<std::int64_t> PendingEnterprises() const;

 private:
  struct State {
    storage::PointInfo info;
    std::optional<storage::ReadingBlock> open;  // the newest block
    storage::Rollup day, month;  // completed hours of the open block's day; completed days of its month
    // Changed since the last write.
    std::vector<storage::ReadingBlock> sealed;
    std::vector<storage::Rollup> hours, days, months;
    bool dirty = false;
    std::size_t pending = 0;  // readings appended since the last write
  };
  core::Status Load(storage::MeterWriteTx& tx, State& state);
  void Seal(State& state);
  storage::Rollup OpenHour(const State& state) const;

  std::map<std::int64_t, State> points_;
  std::size_t pending_ = 0;
};

}  // namespace kiln::ingest
