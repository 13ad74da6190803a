#pragma once
// The arithmetic of rollups, shared by the in-order path (live_points) and the
// full derivation (ingestor), so that both give the same figures to the last
// bit: parts are always added in time order, from zero.

#include <vector>

#include "core/china_time.hpp"
#include "core/consumption.hpp"
#include "storage/meter_store.hpp"

namespace kiln::ingest {

// A block of readings is an hour (CST and UTC hours coincide).
inline constexpr std::int64_t kHourMs = storage::kBlockMs;
inline constexpr std::int64_t kDayMs = 86'400'000;

inline core::UnixMillis HourStart(core::UnixMillis ts) { return storage::BlockStart(ts); }
core::UnixMillis ChinaDayStart(core::UnixMillis ts);
core::UnixMillis ChinaMonthStart(core::UnixMillis ts);
core::UnixMillis NextChinaDay(core::UnixMillis day_start);
core::UnixMillis NextChinaMonth(core::UnixMillis month_start);

// Samples a point is expected to send in [start, end) (at least one an hour).
std::int64_t ExpectedSamples(const storage::PointInfo& point, storage::RollupPeriod period, core::UnixMillis start);

// Folds one sample into count/min/max/first/last (samples in time order).
void Fold(storage::Rollup& r, double v);

// Adds a finer rollup (the next in time order) into a coarser one.
void AddPart(storage::Rollup& into, const storage::Rollup& part);

// The hour rollup of a point from the block of that hour: its readings, and
// for registers the intervals that start at them.
storage::Rollup HourRollup(const storage::PointInfo& point, const storage::ReadingBlock& block);

// The interval between two consecutive register readings, as ingest derives it
// (spikes are left to the data-quality rules, which judge longer spans).
core::RegisterOptions IngestRegisterOptions(const storage::PointInfo& point);

}  // namespace kiln::ingest
