#include "warnings/rules.hpp"

namespace kiln::warnings {

const std::vector<RuleInfo>& Rules() {
  static const std::vector<RuleInfo> kRules = {
      {rule::kGap, "data", "warning", Subject::kPoint, true, true},
      {rule::kMeterStopped, "data", "warning", Subject::kPoint, false, true},
      {rule::kAccessEndSilent, "data", "critical", Subject::kEnterprise, false, true},
      {rule::kFlatline, "data", "warning", Subject::kPoint, true, true},
      {rule::kSpike, "data", "warning", Subject::kPoint, true, true},
      {rule::kRegisterReset, "data", "warning", Subject::kPoint, true, true},
      {rule::kTimestampDrift, "data", "info", Subject::kEnterprise, false, true},
      {rule::kDayCompleteness, "data", "warning", Subject::kEnterprise, true, true},
      {rule::kCalibrationOverdue, "data", "warning", Subject::kPoint, false, true},
      {rule::kSourceMismatch, "data", "warning", Subject::kEnterprise, true, false},
      {rule::kCrossQuantity, "data", "warning", Subject::kEnterprise, true, false},
      {rule::kReportLate, "workflow", "warning", Subject::kEnterprise, true, false},
      {rule::kDailyDataLate, "workflow", "info", Subject::kEnterprise, true, true},
      {rule::kTaskDeliveryLate, "workflow", "warning", Subject::kRegion, true, false},
      {rule::kReviewOverdue, "workflow", "warning", Subject::kEnterprise, false, false},
      {rule::kViolationDueSoon, "workflow", "warning", Subject::kEnterprise, false, false},
      {rule::kViolationOverdue, "workflow", "critical", Subject::kEnterprise, false, false},
      {rule::kTargetForecast, "policy", "warning", Subject::kRegion, false, false},
      {rule::kCapacityUtilisationLow, "policy", "warning", Subject::kRegion, false, false},
      {rule::kBelowBenchmark, "policy", "warning", Subject::kEnterprise, false, false},
      {rule::kAdvancedShareLow, "policy", "info", Subject::kRegion, false, false},
      {rule::kUpgradeUnaccepted, "policy", "warning", Subject::kEnterprise, false, false},
  };
  return kRules;
}

const RuleInfo* FindRule(std::string_view id) {
  for (const auto& r : Rules()) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

bool IsCategory(std::string_view category) {
  return category == "policy" || category == "data" || category == "workflow";
}

bool IsSeverity(std::string_view severity) { return SeverityRank(severity) >= 0; }

int SeverityRank(std::string_view severity) {
  if (severity == "info") return 0;
  if (severity == "warning") return 1;
  if (severity == "critical") return 2;
  return -1;
}

}  // namespace kiln::warnings
