#pragma once
// Data-quality checks of one metering point from its hour summaries (one row
// per hour with readings: counts, sums, extremes and the first and last
// sample time), looking at finer data only for the few hours they single
// out. Each check is local in time: whether an occurrence is found depends on
// the data from profile_days before it to its end, never on where an
// evaluation started, so that evaluating a point over a short window after new
// data finds exactly what a full evaluation finds there.
//
//  - gap: no sample for at least gap.min_minutes (and two intervals) between
//    two samples.
//  - flatline: an instantaneous value identical for flatline.min_hours and
//    flatline.min_samples in a row.
//  - spike: one interval of a register or interval point many times its
//    typical amount. An hour is looked into when its amount is far above the
//    same hour of day over the previous spike.profile_days (median and MAD,
//    so that shift changes, weekends and maintenance shutdowns in the profile
//    do not move it); the spike is confirmed on the hour's intervals, which
//    tells one absurd interval from a load that rose for the whole hour.
//    Intervals above the point's declared maximum rate count as spikes too.
//  - register_reset: the register fell (reset or replacement).
//  - timestamp_drift (a state): the newest hours' samples are off the
//    sampling grid by more than the allowed deviation.

#include <functional>
#include <vector>

#include "core/consumption.hpp"
#include "core/status.hpp"
#include "storage/meter_store.hpp"
#include "warnings/finding.hpp"
#include "warnings/thresholds.hpp"

namespace kiln::warnings {

// Finer reads of one point, for the hours the summaries single out.
struct PointReads {
  std::function<core::Result<std::vector<core::ConsumptionInterval>>(std::int64_t point_id, core::UnixMillis from,
                                                                     core::UnixMillis to_exclusive)>
      intervals;
  std::function<core::Result<std::vector<storage::StoredReading>>(std::int64_t point_id, core::UnixMillis from,
                                                                  core::UnixMillis to_exclusive)>
      readings;
};

// How far before the window the hour summaries must start.
core::UnixMillis ProfileSpan(const Thresholds& thresholds);

// Occurrences that end at or after `window_from`, and the point's states, from
// `hours` (time order) covering [window_from - ProfileSpan, now].
core::Result<std::vector<Finding>> CheckPoint(const storage::PointInfo& point,
                                              const std::vector<storage::HourSummary>& hours,
                                              core::UnixMillis window_from, const Thresholds& thresholds,
                                              const PointReads& reads);

}  // namespace kiln::warnings
