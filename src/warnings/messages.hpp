#pragma once
// Every zh-CN sentence a warning says, in one place (the console's own
// strings are in web/src/i18n; these travel with the warning through the API
// and the webhook).

#include <optional>
#include <string>

#include "core/china_time.hpp"

namespace kiln::warnings::zh {

// "11-25 08:00" in China time.
std::string Clock(core::UnixMillis t);
// "2026-11-25"
std::string Day(core::UnixMillis day_start);

std::string Gap(const std::string& code, core::UnixMillis from, core::UnixMillis to, std::int64_t missing);
std::string MeterStopped(const std::string& code, core::UnixMillis last, double hours);
std::string AccessEndSilent(const std::string& enterprise, int points, double hours);
std::string Flatline(const std::string& code, double value, double hours, std::int64_t samples);
std::string Spike(const std::string& code, core::UnixMillis at, double amount, double typical);
std::string ImpossibleRate(const std::string& code, core::UnixMillis at, double amount, double max_per_hour);
std::string RegisterReset(const std::string& code, core::UnixMillis at, double before, double after);
std::string TimestampDrift(const std::string& code, double offset_s, int hours);
// The access-end's clock: `points` of its `total` points sample off the grid.
std::string AccessEndDrift(const std::string& enterprise, double offset_s, int points, int total, int hours);
std::string DayCompleteness(const std::string& enterprise, core::UnixMillis day_start, double pct, double min_pct);
std::string CalibrationOverdue(const std::string& code, const std::string& due);
// A filed item still waiting for `level` (county, city, province, or its filer) after its due date.
// A violating project's rectification deadline is near (days_left >= 0) or passed.
std::string ViolationDeadline(const std::string& project, const std::string& enterprise, const std::string& disposal,
                              const std::string& deadline, int days, bool overdue);
std::string ReviewOverdue(const std::string& flow, const std::string& subject, const std::string& level,
                          const std::string& due);
std::string ReportLate(const std::string& enterprise, const std::string& kind, const std::string& period,
                       const std::string& due, bool started);
std::string DailyDataLate(const std::string& enterprise, core::UnixMillis day_start, double pct);
std::string TaskDeliveryLate(const std::string& task, const std::string& department, const std::string& period,
                             const std::string& due);
// "报告" / "电力部门" … the name of a figure's source.
std::string SourceName(const std::string& source);
std::string EnergyName(const std::string& energy_type);
std::string SourceMismatch(const std::string& enterprise, const std::string& month, const std::string& energy,
                           const std::string& off_source, double pct, const std::string& against);
// A cross-quantity model's name and the unit of its figure (cross_checks.hpp).
std::string CrossModelName(const std::string& model);
std::string CrossModelUnit(const std::string& model);
// basis: own_history, industry or capacity.
std::string CrossQuantity(const std::string& enterprise, const std::string& month, const std::string& model,
                          double value, double expected, double pct, const std::string& basis, int history_months,
                          int peers);
std::string SourcesDisagree(const std::string& enterprise, const std::string& month, const std::string& energy,
                            const std::string& a, const std::string& b, double pct);

std::string IndicatorName(const std::string& indicator, const std::string& product);
std::string TargetForecast(const std::string& region, int year, const std::string& indicator,
                           const std::string& product, double forecast, double target, const std::string& unit,
                           std::optional<int> crossing_month, bool exceeding);
std::string CapacityUtilisationLow(const std::string& product, double pct, double min_pct);
// plan_id 0: no plan covers the project; otherwise its plan, past its completion date and the grace days.
std::string UpgradeUnaccepted(const std::string& project, const std::string& enterprise, std::int64_t plan_id,
                              const std::string& plan_status, const std::string& completion_due);
std::string BelowBenchmark(const std::string& project, const std::string& product, double value, double benchmark,
                           const std::string& unit);
std::string AdvancedShareLow(const std::string& product, double pct, double goal_pct);

// Notes the evaluator writes when a condition clears.
std::string ClearedNote(const std::string& rule);

}  // namespace kiln::warnings::zh
