#pragma once
// The enterprise monthly (and yearly) report of seed 002 as data: its fields,
// units and bounds, the deadline of a period, and the checks a report must
// pass before it is submitted. Pure: the caller supplies the factors and the
// metered totals.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/china_time.hpp"
#include "core/conversion.hpp"
#include "core/record.hpp"

namespace kiln::core {

enum class ReportKind { kMonthly, kYearly };
std::optional<ReportKind> ParseReportKind(std::string_view text);
const char* ReportKindName(ReportKind kind);

// A field of a section: its key, unit (as shown) and whether submission needs it.
struct ReportField {
  const char* key;
  const char* unit;
  bool required;
  bool integer = false;
};

// 经营信息 (business), 能源消费 (energy, by type and comprehensive), and 生产信息 (production, a list of products).
const std::vector<ReportField>& BusinessFields();
// Keys are energy types, plus "other" (tce), "comprehensive" (tce) and two "of which" figures:
// "feedstock" (tce used as raw material) and "renewable_electricity" (kWh).
const std::vector<ReportField>& EnergyFields();
// An energy section key that is an amount of its own (not the total, not an "of which").
bool IsEnergyLine(std::string_view key);
const std::vector<ReportField>& ProductFields();

// A report period: "2026-10" (monthly) or "2026" (yearly), its China-time span and its deadline.
struct ReportPeriod {
  ReportKind kind;
  std::string text;
  UnixMillis start = 0, end = 0;  // [start, end)
  UnixMillis due = 0;  // monthly: end of the 5th of the next month; yearly: end of 15 January
};
std::optional<ReportPeriod> ParseReportPeriod(ReportKind kind, std::string_view text);

struct ReportCheck {
  std::vector<FieldError> errors;
  double comprehensive_tce = 0;  // the conversion of the lines (plus "other"), as computed
  std::vector<ConversionLine> lines;
};

// Checks the content's shape and values. `for_submit` adds what a submission needs:
// required fields; the comprehensive figure equal to the conversion of its lines
// (to 0.1 % or 0.01 tce); every energy type within 5 % of the metered total for the
// period, or an explanation given (DOMAIN.md section 1).
ReportCheck CheckReport(const nlohmann::json& content, bool for_submit, const ReportPeriod& period,
                        const std::vector<ConversionFactor>& factors, ElectricityConvention convention,
                        const std::map<std::string, double>& metered, const std::string& explanation);

// A draft filled from metered totals: energy by type where the enterprise meters it.
nlohmann::json PrefilledReport(const std::map<std::string, double>& metered);

}  // namespace kiln::core
