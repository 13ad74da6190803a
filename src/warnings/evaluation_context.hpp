#pragma once
// What the evaluator's rules share while one evaluation runs: the thresholds
// in force, the time, the registry's points and enterprises, and small helpers
// for months and findings. Internal to the warnings module (evaluator*.cpp).

#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/registry_schema.hpp"
#include "storage/store.hpp"
#include "warnings/evaluator.hpp"
#include "warnings/finding.hpp"
#include "warnings/rules.hpp"
#include "warnings/thresholds.hpp"

namespace kiln::warnings {
namespace evaluation {

inline constexpr std::int64_t kHourMs = 3'600'000;
inline constexpr std::int64_t kDayMs = 86'400'000;
// How many complete months back the monthly rules (sources, late reports and deliveries) look.
inline constexpr int kMonthsBack = 3;

inline core::UnixMillis DayStart(core::UnixMillis t) { return core::ChinaMidnight(core::ChinaDateOf(t)); }

inline core::CivilDate AddMonths(core::CivilDate d, int months) {
  int index = d.year * 12 + (d.month - 1) + months;
  return {index / 12, index % 12 + 1, 1};
}

inline std::string MonthText(core::CivilDate d) { return fmt::format("{:04}-{:02}", d.year, d.month); }

inline double Round(double v, int digits) {
  double f = std::pow(10, digits);
  return std::round(v * f) / f;
}

inline std::vector<std::string> RuleIds(std::initializer_list<std::string_view> ids) {
  std::vector<std::string> out;
  for (auto id : ids) out.emplace_back(id);
  return out;
}

inline Finding Make(std::string_view rule, std::string key, core::UnixMillis from, std::optional<core::UnixMillis> to) {
  Finding f;
  f.rule = std::string(rule);
  f.severity = std::string(FindRule(rule)->severity);
  f.key = std::move(key);
  f.from = from;
  f.to = to;
  return f;
}

using core::CapacityTonnesPerYear;

}  // namespace evaluation

struct Evaluator::Context {
  Thresholds thresholds;
  core::UnixMillis now = 0;
  core::UnixMillis lookback_from = 0;  // day rules and point occurrences reaching this
  core::CivilDate first_month;  // the oldest month the monthly rules look at
  std::map<std::int64_t, storage::PointInfo> points;
  std::map<std::int64_t, storage::EnterpriseIdentity> enterprises;
  std::string province;  // the region of province-wide conditions (department deliveries)
  storage::Store* store = nullptr;
  bool reloaded = false;
  std::optional<std::vector<core::Record>> projects;  // read once an evaluation, when a rule wants them

  // Every project in the registry (the policy rules and the cross-quantity models both read them).
  core::Result<const std::vector<core::Record>*> Projects() {
    if (!projects) {
      storage::ListQuery all{.page_size = 10'000'000};
      auto listed = store->ListRecords(core::ProjectSchema(), all);
      if (!listed.ok()) return listed.status();
      projects = std::move(listed->items);
    }
    return &*projects;
  }

  void Place(Finding& f, std::int64_t enterprise_id) {
    f.enterprise_id = enterprise_id;
    auto it = enterprises.find(enterprise_id);
    if (it == enterprises.end() && store && !reloaded) {
      // Registered after this evaluation began (its report, say, is already read): without its
      // region the warning would be outside every jurisdiction.
      reloaded = true;
      if (auto fresh = store->EnterpriseIdentities(""); fresh.ok()) {
        for (auto& e : *fresh) enterprises.emplace(e.id, std::move(e));
      }
      it = enterprises.find(enterprise_id);
    }
    if (it != enterprises.end()) {
      f.region = it->second.region;
      f.industry = it->second.industry;
    }
  }
  std::string NameOf(std::int64_t enterprise_id) const {
    auto it = enterprises.find(enterprise_id);
    return it == enterprises.end() ? fmt::format("企业 {}", enterprise_id) : it->second.name;
  }
};

}  // namespace kiln::warnings
