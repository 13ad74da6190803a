#include "sim/load_model.hpp"

#include <cmath>
#include <map>

namespace kiln::sim {
namespace {

constexpr std::int64_t kHourMs = 3'600'000;
constexpr std::int64_t kDayMs = 86'400'000;

std::uint64_t SplitMix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// Electricity intensity in kW per employee, by industry: a rough national picture
// (electrolytic aluminium and ferroalloys are electricity-bound, tyres and
// waterproofing light).
const std::map<std::string, double>& KilowattsPerEmployee() {
  static const std::map<std::string, double> kTable = {{"C2511", 15}, {"C2521", 10}, {"C2523", 25}, {"C261", 20},
                                                       {"C262", 20},  {"C2911", 8},  {"C3011", 15}, {"C3012", 6},
                                                       {"C3034", 5},  {"C3041", 15}, {"C307", 8},   {"C31", 25},
                                                       {"C3150", 40}, {"C321", 30},  {"C3216", 60}, {"D4411", 10}};
  return kTable;
}

}  // namespace

double Noise(std::uint64_t seed, std::uint64_t key) {
  return static_cast<double>(SplitMix(seed ^ SplitMix(key)) >> 11) / 9007199254740992.0;
}

bool IsContinuousProcess(const std::string& industry) {
  return industry != "C2911" && industry != "C3034" && industry != "C307";
}

double MeanRate(const std::string& industry, const std::string& measures, std::int64_t staff) {
  auto it = KilowattsPerEmployee().find(industry);
  double kw =
      (it == KilowattsPerEmployee().end() ? 10 : it->second) * static_cast<double>(std::max<std::int64_t>(staff, 20));
  if (measures == "electricity") return kw;  // kWh per hour
  if (measures == "water") return kw * 0.004;  // t/h
  if (measures == "raw_coal") return kw * 0.0009;  // t/h
  if (measures == "natural_gas") return kw * 0.12;  // m³/h
  if (measures == "steam") return kw * 0.002;  // t/h
  if (measures == "product_output") {
    // About 95-130 kgce of coal, gas and power per tonne, so that plants spread around the cement
    // levels (标杆 100 / 基准 117 kgce/t): efficiency differs from plant to plant, fixed by its size.
    double spread = 0.8 + 0.45 * static_cast<double>((static_cast<std::uint64_t>(staff) * 2654435761u) % 1000) / 1000;
    return kw * 0.0085 * spread;  // t/h
  }
  if (measures == "a21026") return 35;  // SO₂ mg/m³ (ultra-low emission limit 35)
  if (measures == "a21002") return 40;  // NOx mg/m³ (limit 50)
  if (measures == "a00000") return kw * 8;  // flue gas m³/h
  return 1;
}

double LoadFactor(const PointModel& p, core::UnixMillis t) {
  auto cst = t + core::kChinaOffsetSeconds * 1000;
  auto day_index = cst / kDayMs;
  int hour = static_cast<int>((cst % kDayMs) / kHourMs);
  int weekday = static_cast<int>((day_index + 3) % 7);  // 0 = Monday (1970-01-01 was a Thursday)
  // Maintenance: one 3-day shutdown per 91 days at a point-specific phase.
  auto phase = static_cast<std::int64_t>(Noise(p.seed, 7) * 88);
  if ((day_index + phase) % 91 < 3) return 0.03 + 0.02 * Noise(p.seed, static_cast<std::uint64_t>(t));
  double load;
  if (p.continuous) {
    load = 0.92 + 0.04 * std::sin((hour - 14) * M_PI / 12);
  } else {
    bool day_shift = hour >= 8 && hour < 24;
    load = day_shift ? 0.95 : 0.3;
    if (weekday >= 5) load *= 0.55;
  }
  auto date = core::ChinaDateOf(t);
  if (p.measures == "electricity") {
    if (date.month == 7 || date.month == 8) load *= 1.08;  // cooling
    if (date.month == 12 || date.month <= 2) load *= 1.05;  // heating, lighting
  }
  return load * (0.97 + 0.06 * Noise(p.seed, static_cast<std::uint64_t>(t / 60'000)));
}

double StepAmount(const PointModel& p, core::UnixMillis t) {
  double hours = static_cast<double>(p.interval_s) / 3600.0;
  return std::round(p.mean_rate * LoadFactor(p, t) * hours * p.Improvement(t) * 100) / 100;
}

double InstantValue(const PointModel& p, core::UnixMillis t) {
  double load = LoadFactor(p, t);
  double noise = Noise(p.seed, static_cast<std::uint64_t>(t) + 11);
  // Instruments never read exactly the same value for hours, running or not: a flat line is a fault.
  if (p.measures == "a00000") return std::round(p.mean_rate * load * (0.95 + 0.1 * noise));
  // Concentrations hover around their mean while running, near ambient when stopped.
  double v = p.mean_rate * (load < 0.1 ? 0.05 + 0.1 * noise : 0.7 + 0.5 * noise);
  return std::round(v * 100) / 100;
}

}  // namespace kiln::sim
