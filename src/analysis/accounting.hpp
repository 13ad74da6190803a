#pragma once
// Energy and carbon accounting of an enterprise for a month, quarter or year.
// Each month's figures come from the best source there is: the approved
// monthly report if the enterprise has one, else its metered use. Every
// figure carries its inputs — the source of each month, the amounts, the
// factor versions — so that it can be recomputed by hand.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/carbon.hpp"
#include "core/conversion.hpp"
#include "core/report_rules.hpp"
#include "registry/registry.hpp"
#include "storage/store.hpp"

namespace kiln::analysis {

// "2026-10" (month), "2026-Q3" (quarter) or "2026" (year), as its months.
struct AccountingPeriod {
  std::string text, kind;  // kind: month, quarter, year
  std::vector<core::ReportPeriod> months;
};
std::optional<AccountingPeriod> ParseAccountingPeriod(const std::string& text);

struct MonthSource {
  std::string month;
  std::string source;  // "report" (approved) or "metered"
  std::optional<std::int64_t> report_id;
  int version = 0;
  std::map<std::string, double> amounts;  // physical amounts by energy type; "other" in tce
  std::optional<double> value_added;  // 万元, from the report
  // A report's figures stay as published: the conversion factors stored with its version.
  std::vector<core::ConversionFactor> published_factors;
};

struct AccountLine {
  std::string energy_type;
  double amount = 0;
  double tce_equivalent = 0, tce_equal = 0;
  double co2_kg = 0;
  bool converted = false;  // a conversion factor was found for every month with an amount
  bool emits = false;  // a CO2 factor was found
};

struct EnterpriseAccount {
  AccountingPeriod period;
  std::vector<MonthSource> months;
  std::vector<AccountLine> lines;
  double tce_equivalent = 0, tce_equal = 0, co2_t = 0;
  core::ElectricityConvention dual_control = core::ElectricityConvention::kEquivalent;
  std::optional<double> value_added;  // only when every month has it
  std::vector<core::ConversionFactor> factors;  // every version used
  std::vector<core::Co2Factor> co2_factors;
  core::GridChoice grid;
};

class Accounting {
 public:
  Accounting(storage::Store& store, registry::Registry& registry, core::ElectricityConvention convention,
             core::GridChoice grid)
      : store_(store), registry_(registry), convention_(convention), grid_(std::move(grid)) {}

  core::Result<EnterpriseAccount> Enterprise(const registry::Caller& caller, std::int64_t enterprise_id,
                                             const std::string& period);

 private:
  core::Result<MonthSource> Month(std::int64_t enterprise_id, const core::ReportPeriod& month);

  storage::Store& store_;
  registry::Registry& registry_;
  core::ElectricityConvention convention_;
  core::GridChoice grid_;
};

}  // namespace kiln::analysis
