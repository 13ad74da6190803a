#pragma once
// Physically plausible, deterministic meter values for simulated enterprises.
// Every value is a pure function of (point, time), so history written
// newest-first and live readings written forward agree, and a seed gives the
// same province every time.

#include <cstdint>
#include <optional>
#include <string>

#include "core/china_time.hpp"

namespace kiln::sim {

struct PointModel {
  std::int64_t point_id = 0;
  std::string code, kind, measures, unit;
  std::int64_t interval_s = 300;
  std::optional<double> rollover;
  double mean_rate = 1;  // mean amount per hour at full load (kWh/h, t/h, m³/h) or mean value (instant)
  bool continuous = true;  // continuous process (furnaces, kilns) or shift work
  bool in_total = true;  // counts toward the enterprise's totals (sub-meters do not)
  std::uint64_t seed = 0;
  // From this instant an energy meter reads this share of what it did: the plant's energy-efficiency
  // upgrade (一企一策) was completed. Output meters read the same.
  core::UnixMillis improved_from = 0;
  double improved_scale = 1;

  // The share of its modelled amount the meter reads at t.
  double Improvement(core::UnixMillis t) const {
    return improved_from > 0 && t >= improved_from && measures != "product_output" ? improved_scale : 1.0;
  }
};

// A uniform number in [0, 1) from a seed and a key; the same inputs give the same number.
double Noise(std::uint64_t seed, std::uint64_t key);

// Load relative to full (0.02 .. ~1.1) at instant t: shifts and weekends for
// shift work, near-flat for continuous processes, a few days of maintenance
// shutdown per quarter, seasonal heating and cooling.
double LoadFactor(const PointModel& point, core::UnixMillis t);

// The amount consumed or produced in the step [t, t + interval) (registers
// and interval points).
double StepAmount(const PointModel& point, core::UnixMillis t);

// An instantaneous value (pollutant concentration, flue-gas flow) at t.
double InstantValue(const PointModel& point, core::UnixMillis t);

// Mean hourly rate at full load for a point of an enterprise with `staff`
// employees in `industry` (a GB/T 4754 code from data/industries.csv).
double MeanRate(const std::string& industry, const std::string& measures, std::int64_t staff);
bool IsContinuousProcess(const std::string& industry);

}  // namespace kiln::sim
