#include "warnings/thresholds.hpp"

#include <fmt/format.h>

namespace kiln::warnings {

const std::vector<std::pair<std::string_view, std::string_view>>& Thresholds::Required() {
  static const std::vector<std::pair<std::string_view, std::string_view>> kRequired = {
      {"evaluation", "lookback_days"},
      {"gap", "min_minutes"},
      {"meter_stopped", "silent_hours"},
      {"access_end_silent", "silent_hours"},
      {"flatline", "min_hours"},
      {"flatline", "min_samples"},
      {"spike", "profile_days"},
      {"spike", "robust_k"},
      {"spike", "min_ratio"},
      {"spike", "interval_factor"},
      {"timestamp_drift", "max_offset_s"},
      {"timestamp_drift", "min_hours"},
      {"day_completeness", "min_pct"},
      {"calibration_overdue", "grace_days"},
      {"source_mismatch", "tolerance_pct"},
      {"source_mismatch", "critical_pct"},
      {"cross_quantity", "history_months"},
      {"cross_quantity", "min_history_months"},
      {"cross_quantity", "unit_use_pct"},
      {"cross_quantity", "emission_pct"},
      {"cross_quantity", "revenue_pct"},
      {"cross_quantity", "capacity_over_pct"},
      {"cross_quantity", "industry_margin_pct"},
      {"report_late", "grace_days"},
      {"review_overdue", "grace_days"},
      {"violation_due_soon", "warn_days"},
      {"violation_overdue", "grace_days"},
      {"daily_data_late", "due_minutes"},
      {"daily_data_late", "min_pct"},
      {"task_delivery_late", "grace_days"},
      {"target_forecast", "approach_pct"},
      {"capacity_utilisation_low", "min_pct"},
      {"advanced_share_low", "goal_pct"},
      {"upgrade_unaccepted", "grace_days"},
  };
  return kRequired;
}

core::Result<Thresholds> Thresholds::Load(storage::WarningStore& store) {
  auto rows = store.ListThresholds();
  if (!rows.ok()) return rows.status();
  return From(*rows);
}

core::Result<Thresholds> Thresholds::From(const std::vector<storage::Threshold>& rows) {
  Thresholds t;
  for (const auto& row : rows) {
    auto key = std::make_pair(row.rule, row.name);
    auto it = t.by_key_.find(key);
    if (it == t.by_key_.end() || it->second.version < row.version) t.by_key_[key] = row;
  }
  for (const auto& [rule, name] : Required()) {
    if (!t.by_key_.contains(std::make_pair(std::string(rule), std::string(name)))) {
      return core::Status::Internal(
          fmt::format("warning threshold {}.{} is missing (data/warning_thresholds.csv)", rule, name));
    }
  }
  return t;
}

double Thresholds::Value(std::string_view rule, std::string_view name) const {
  auto it = by_key_.find(std::make_pair(std::string(rule), std::string(name)));
  return it == by_key_.end() ? 0 : it->second.value;
}

nlohmann::json Thresholds::Cite(std::string_view rule) const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [key, t] : by_key_) {
    if (key.first == rule) out[t.name] = {{"value", t.value}, {"unit", t.unit}, {"version", t.version}};
  }
  return out;
}

}  // namespace kiln::warnings
