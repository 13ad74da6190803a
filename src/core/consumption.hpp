#pragma once
// Interval consumption from cumulative registers (kWh counters, flow totals).
// Readings are differenced between consecutive samples; every interval keeps
// its explicit boundaries [start, end) and flags that say what happened, so
// that nothing is invented and nothing is silently dropped:
//  - rollover: the counter passed its declared maximum and restarted at 0;
//    the amount is (maximum - previous) + current.
//  - reset: the value fell and it is not a rollover (meter reset or
//    replaced); the amount is unknown, the interval is kept out of totals and
//    the current value starts a new baseline.
//  - negative: a small fall that is neither (noise, a misread); kept out of
//    totals.
//  - gap: the samples are further apart than 1.5 nominal intervals; the
//    amount is attributed to the whole gap, never spread over invented samples.
//  - impossible: the rate is above the point's declared maximum (e.g. the
//    connection's capacity); kept out of totals, visible.
//  - spike: the rate is over `spike_factor` times the median rate of the
//    series; kept out of totals until reviewed. Depends on the span judged,
//    so ingest leaves it to the data-quality rules.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/china_time.hpp"

namespace kiln::core {

struct RegisterSample {
  UnixMillis ts = 0;
  double value = 0;
};

enum IntervalFlag : std::uint32_t {
  kFlagNone = 0,
  kFlagGap = 1u << 0,
  kFlagRollover = 1u << 1,
  kFlagReset = 1u << 2,
  kFlagNegative = 1u << 3,
  kFlagSpike = 1u << 4,
  kFlagImpossible = 1u << 5,
};

// Wire names, e.g. "gap,rollover".
std::string IntervalFlagsText(std::uint32_t flags);

struct ConsumptionInterval {
  UnixMillis start = 0, end = 0;
  std::optional<double> amount;  // nullopt when unknown (reset)
  std::uint32_t flags = kFlagNone;
  // Whether the amount counts in totals: known and not negative or a spike.
  bool counted() const { return amount && !(flags & (kFlagNegative | kFlagSpike | kFlagReset | kFlagImpossible)); }
};

struct RegisterOptions {
  std::int64_t interval_s = 900;  // the point's nominal sampling interval
  std::optional<double> rollover;  // the instrument's maximum before it restarts at 0
  double spike_factor = 20;  // rate above this many times the median rate is a spike
  std::optional<double> max_rate_per_hour;  // amounts faster than this are impossible
};

// The interval between two consecutive samples (prev.ts < cur.ts), without
// the spike rule, which needs the whole series.
ConsumptionInterval DifferencePair(const RegisterSample& prev, const RegisterSample& cur,
                                   const RegisterOptions& options);

// Differences `samples`, which must be sorted by ts with no duplicate ts.
std::vector<ConsumptionInterval> DifferenceRegister(const std::vector<RegisterSample>& samples,
                                                    const RegisterOptions& options);

}  // namespace kiln::core
