#include "core/consumption.hpp"

#include <algorithm>

namespace kiln::core {

std::string IntervalFlagsText(std::uint32_t flags) {
  static constexpr std::pair<std::uint32_t, const char*> kNames[] = {
      {kFlagGap, "gap"},           {kFlagRollover, "rollover"}, {kFlagReset, "reset"},
      {kFlagNegative, "negative"}, {kFlagSpike, "spike"},       {kFlagImpossible, "impossible"}};
  std::string out;
  for (const auto& [bit, name] : kNames) {
    if (flags & bit) out += (out.empty() ? "" : ",") + std::string(name);
  }
  return out;
}

ConsumptionInterval DifferencePair(const RegisterSample& prev, const RegisterSample& cur,
                                   const RegisterOptions& options) {
  const std::int64_t nominal_ms = options.interval_s * 1000;
  ConsumptionInterval iv{prev.ts, cur.ts, std::nullopt, kFlagNone};
  if (cur.ts - prev.ts > nominal_ms * 3 / 2) iv.flags |= kFlagGap;
  double delta = cur.value - prev.value;
  if (delta >= 0) {
    iv.amount = delta;
  } else if (options.rollover && prev.value <= *options.rollover && cur.value >= 0 &&
             (*options.rollover - prev.value) + cur.value < 0.1 * *options.rollover &&
             !(options.max_rate_per_hour &&
               ((*options.rollover - prev.value) + cur.value) / (static_cast<double>(cur.ts - prev.ts) / 3'600'000.0) >
                   *options.max_rate_per_hour)) {
    // (A wrap the meter could not have run in the time is a new meter near zero: a reset, below.)
    // Passed the maximum: what remained to the top plus what was counted from zero.
    iv.amount = (*options.rollover - prev.value) + cur.value;
    iv.flags |= kFlagRollover;
  } else if (cur.value < 0.5 * prev.value) {
    iv.flags |= kFlagReset;  // a new meter or a reset: the true amount is unknowable
  } else {
    iv.amount = delta;
    iv.flags |= kFlagNegative;
  }
  if (iv.amount && options.max_rate_per_hour && *iv.amount > 0 &&
      *iv.amount / (static_cast<double>(iv.end - iv.start) / 3'600'000.0) > *options.max_rate_per_hour) {
    iv.flags |= kFlagImpossible;
  }
  return iv;
}

std::vector<ConsumptionInterval> DifferenceRegister(const std::vector<RegisterSample>& samples,
                                                    const RegisterOptions& options) {
  std::vector<ConsumptionInterval> out;
  if (samples.size() < 2) return out;
  out.reserve(samples.size() - 1);
  for (size_t i = 1; i < samples.size(); ++i) out.push_back(DifferencePair(samples[i - 1], samples[i], options));
  // Spikes relative to the series' own median rate (per millisecond).
  std::vector<double> rates;
  for (const auto& iv : out) {
    if (iv.amount && *iv.amount > 0 && !(iv.flags & (kFlagNegative | kFlagReset))) {
      rates.push_back(*iv.amount / static_cast<double>(iv.end - iv.start));
    }
  }
  if (rates.size() >= 8) {
    std::nth_element(rates.begin(), rates.begin() + rates.size() / 2, rates.end());
    double median = rates[rates.size() / 2];
    for (auto& iv : out) {
      if (iv.amount && median > 0 &&
          *iv.amount / static_cast<double>(iv.end - iv.start) > options.spike_factor * median) {
        iv.flags |= kFlagSpike;
      }
    }
  }
  return out;
}

}  // namespace kiln::core
