#pragma once
// The catalogue of warning rules: what each one watches, its category and
// default severity, what its subject is, and whether its conditions are
// events in time (one warning per occurrence, evaluated over a look-back
// window) or states (one warning per subject while the state lasts).
// Thresholds are not here: they are reference data (thresholds.hpp).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiln::warnings {

enum class Subject { kPoint, kEnterprise, kRegion };

struct RuleInfo {
  std::string_view id;
  std::string_view category;  // policy, data, workflow
  std::string_view severity;  // the default: info, warning, critical
  Subject subject;
  bool event;  // an occurrence in time (gap, spike) rather than a lasting state (meter stopped)
  bool meter_health;  // about the enterprise's own meters and access-end: its users see these too
};

// Rule ids, as the API names them.
namespace rule {
inline constexpr std::string_view kGap = "gap";
inline constexpr std::string_view kMeterStopped = "meter_stopped";
inline constexpr std::string_view kAccessEndSilent = "access_end_silent";
inline constexpr std::string_view kFlatline = "flatline";
inline constexpr std::string_view kSpike = "spike";
inline constexpr std::string_view kRegisterReset = "register_reset";
inline constexpr std::string_view kTimestampDrift = "timestamp_drift";
inline constexpr std::string_view kDayCompleteness = "day_completeness";
inline constexpr std::string_view kCalibrationOverdue = "calibration_overdue";
inline constexpr std::string_view kSourceMismatch = "source_mismatch";
inline constexpr std::string_view kCrossQuantity = "cross_quantity";
inline constexpr std::string_view kReportLate = "report_late";
inline constexpr std::string_view kDailyDataLate = "daily_data_late";
inline constexpr std::string_view kTaskDeliveryLate = "task_delivery_late";
inline constexpr std::string_view kReviewOverdue = "review_overdue";
inline constexpr std::string_view kViolationDueSoon = "violation_due_soon";
inline constexpr std::string_view kViolationOverdue = "violation_overdue";
inline constexpr std::string_view kTargetForecast = "target_forecast";
inline constexpr std::string_view kCapacityUtilisationLow = "capacity_utilisation_low";
inline constexpr std::string_view kBelowBenchmark = "below_benchmark";
inline constexpr std::string_view kAdvancedShareLow = "advanced_share_low";
inline constexpr std::string_view kUpgradeUnaccepted = "upgrade_unaccepted";
}  // namespace rule

const std::vector<RuleInfo>& Rules();
const RuleInfo* FindRule(std::string_view id);
bool IsCategory(std::string_view category);
bool IsSeverity(std::string_view severity);
// info < warning < critical
int SeverityRank(std::string_view severity);

}  // namespace kiln::warnings
