#include "ingest/rollup_math.hpp"

#include <algorithm>

namespace kiln::ingest {

core::UnixMillis ChinaDayStart(core::UnixMillis ts) { return core::ChinaMidnight(core::ChinaDateOf(ts)); }

core::UnixMillis ChinaMonthStart(core::UnixMillis ts) {
  auto d = core::ChinaDateOf(ts);
  return core::ChinaMidnight({d.year, d.month, 1});
}

core::UnixMillis NextChinaDay(core::UnixMillis day_start) { return day_start + kDayMs; }

core::UnixMillis NextChinaMonth(core::UnixMillis month_start) {
  auto d = core::ChinaDateOf(month_start);
  return core::ChinaMidnight(d.month == 12 ? core::CivilDate{d.year + 1, 1, 1}
                                           : core::CivilDate{d.year, d.month + 1, 1});
}

std::int64_t ExpectedSamples(const storage::PointInfo& point, storage::RollupPeriod period, core::UnixMillis start) {
  switch (period) {
    case storage::RollupPeriod::kHour: return std::max<std::int64_t>(1, 3600 / point.interval_s);
    case storage::RollupPeriod::kDay: return kDayMs / 1000 / point.interval_s;
    case storage::RollupPeriod::kMonth: return (NextChinaMonth(start) - start) / 1000 / point.interval_s;
  }
  return 0;
}

void Fold(storage::Rollup& r, double v) {
  if (r.count == 0) r.min = r.max = r.first = v;
  r.min = std::min(r.min, v);
  r.max = std::max(r.max, v);
  r.last = v;
  ++r.count;
}

void AddPart(storage::Rollup& into, const storage::Rollup& part) {
  into.sum += part.sum;
  into.flagged += part.flagged;
  if (part.count == 0) return;
  if (into.count == 0) {
    into.min = part.min;
    into.max = part.max;
    into.first = part.first;
  }
  into.min = std::min(into.min, part.min);
  into.max = std::max(into.max, part.max);
  into.last = part.last;
  into.count += part.count;
}

storage::Rollup HourRollup(const storage::PointInfo& point, const storage::ReadingBlock& block) {
  storage::Rollup r;
  r.start = block.start;
  r.expected = ExpectedSamples(point, storage::RollupPeriod::kHour, block.start);
  bool registers = point.kind == "register";
  for (const auto& reading : block.readings) {
    Fold(r, reading.value);
    if (!registers) {
      r.sum += reading.value;
      if (reading.quality != "N") ++r.flagged;
    }
  }
  if (registers) {  // intervals after the readings, as they were always added
    for (const auto& reading : block.readings) {
      if (!reading.outgoing) continue;
      if (reading.outgoing->counted()) r.sum += *reading.outgoing->amount;
      if (reading.outgoing->flags != core::kFlagNone) ++r.flagged;
    }
  }
  return r;
}

core::RegisterOptions IngestRegisterOptions(const storage::PointInfo& point) {
  return {.interval_s = point.interval_s,
          .rollover = point.rollover,
          .spike_factor = 1e300,
          .max_rate_per_hour = point.max_rate};
}

}  // namespace kiln::ingest
