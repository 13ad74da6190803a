#pragma once
// Energy and carbon accounting for a day, month, quarter or year, of one
// enterprise or of every enterprise in a county, city or industry. Each
// energy type of each month comes from the best source there is, in this
// order: the enterprise's approved monthly report (all its lines), the
// departments' records (the power company's electricity, the energy
// bureau's fuels), the enterprise's own meters. Every figure carries its
// inputs — the source of each amount, the factor versions, the formula — so
// that it can be recomputed by hand.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/carbon.hpp"
#include "core/conversion.hpp"
#include "core/efficiency.hpp"
#include "core/report_rules.hpp"
#include "registry/registry.hpp"
#include "storage/store.hpp"

namespace kiln::analysis {

// "2026-10-05" (day), "2026-10" (month), "2026-Q3" (quarter) or "2026" (year).
struct AccountingPeriod {
  std::string text, kind;  // kind: day, month, quarter, year
  std::vector<core::ReportPeriod> months;  // empty for a day
  core::UnixMillis start = 0, end = 0;
};
std::optional<AccountingPeriod> ParseAccountingPeriod(const std::string& text);

// Where one energy type's amount of one month comes from.
struct AmountSource {
  std::string source;  // report, department, metered
  double amount = 0;
  // department: the record behind the amount
  std::string task;
  std::optional<std::int64_t> record_id, upload_id;
  int row = 0;
};

struct MonthSource {
  std::string month;  // or the day
  // report, department, metered, or mixed (department figures for some types, metered for the rest)
  std::string source;
  std::optional<std::int64_t> report_id;
  int version = 0;
  std::map<std::string, double> amounts;  // physical amounts by energy type; "other" in tce
  std::map<std::string, AmountSource> by_type;
  std::optional<double> value_added;  // 万元, from the report
  std::optional<double> output;  // t of the main product, from the report or an output meter
  std::string product;  // the report's main product
  // Of which: energy used as raw material (tce) and renewable electricity (kWh), from the report or
  // the energy bureau's record.
  std::optional<double> feedstock_tce, renewable_kwh;
  // A report's figures stay as published: the conversion factors stored with its version.
  std::vector<core::ConversionFactor> published_factors;
};

// One energy type of one month, converted: a line of the drill-down.
struct Term {
  std::string month, energy_type;
  AmountSource input;
  std::optional<core::ConversionFactor> equivalent, equal;
  std::optional<core::Co2Factor> co2;
  double tce_equivalent = 0, tce_equal = 0, co2_kg = 0;
};

struct AccountLine {
  std::string energy_type;
  double amount = 0;
  double tce_equivalent = 0, tce_equal = 0;
  double co2_kg = 0;
  bool converted = false;  // a conversion factor was found for every month with an amount
  bool emits = false;  // a CO2 factor was found
};

struct EfficiencyResult {
  std::string product;
  double kgce_per_t = 0;  // comprehensive energy (dual-control convention) per tonne of output
  std::optional<core::EfficiencyLevel> level;
  std::optional<core::EfficiencyClass> efficiency_class;
};

using core::DualControlExclusions;

struct EnterpriseAccount {
  std::int64_t enterprise_id = 0;
  std::string name, region, industry;
  AccountingPeriod period;
  std::vector<MonthSource> months;
  std::vector<AccountLine> lines;
  std::vector<Term> terms;
  double tce_equivalent = 0, tce_equal = 0, co2_t = 0;
  core::ElectricityConvention dual_control = core::ElectricityConvention::kEquivalent;
  std::optional<double> value_added;  // only when every month has it
  std::optional<double> output;  // only when every month has it
  std::optional<EfficiencyResult> efficiency;
  std::vector<core::ConversionFactor> factors;  // every version used
  std::vector<core::Co2Factor> co2_factors;
  core::GridChoice grid;
  // Of which: energy used as raw material, renewable electricity in both conventions (tce).
  double feedstock_tce = 0, renewable_tce_equivalent = 0, renewable_tce_equal = 0;
  DualControlExclusions exclusions;

  // Comprehensive energy in the dual-control electricity convention, all of it.
  double DualControlTce() const {
    return dual_control == core::ElectricityConvention::kEquivalent ? tce_equivalent : tce_equal;
  }
  double RenewableTce() const {
    return dual_control == core::ElectricityConvention::kEquivalent ? renewable_tce_equivalent : renewable_tce_equal;
  }
  // What counts against the energy dual-control targets: less what the exclusions leave out.
  double ControlledTce() const {
    double out =
        DualControlTce() - (exclusions.feedstock ? feedstock_tce : 0) - (exclusions.renewable ? RenewableTce() : 0);
    return out > 0 ? out : 0;
  }
};

// The enterprises of a county, city, industry or the whole jurisdiction, added up.
struct GroupAccount {
  std::string key;  // region code, industry code or enterprise id
  std::string name;  // the enterprise's, when grouped by enterprise
  int enterprises = 0;
  double tce_equivalent = 0, tce_equal = 0, co2_t = 0;
  double controlled_tce = 0, feedstock_tce = 0, renewable_tce = 0;  // dual control (EnterpriseAccount)
  double value_added = 0;  // of the enterprises whose every month has it
  int value_added_enterprises = 0;
  std::map<std::string, int> month_sources;  // how many enterprise-months came from each source
};

// One month of an enterprise's energy as each source has it, side by side: the cross-check of
// metered use against its approved report and the departments' figures.
struct SourceFigures {
  std::optional<double> metered, reported, department;
  std::string department_task;
  // How far the report and the department figure are from the meters, in percent of metered use.
  std::optional<double> reported_vs_metered_pct, department_vs_metered_pct;
};
// Reported or department figures further than this from metered use need an explanation
// (DOMAIN.md section 1).
inline constexpr double kSourceTolerancePct = 5;
struct SourceComparison {
  std::string month;
  std::optional<std::int64_t> report_id;
  std::map<std::string, SourceFigures> types;
};

// The metering points behind one metered term, with what each measured.
struct MeterContribution {
  std::int64_t point_id = 0;
  std::string code, kind, unit;
  double amount = 0;
  std::int64_t samples = 0, expected = 0, flagged = 0;
};

struct DrillTerm {
  Term term;
  std::optional<std::int64_t> report_id;  // report terms
  int version = 0;
  std::vector<MeterContribution> points;  // metered terms
};

struct Drilldown {
  std::vector<DrillTerm> terms;
  bool points_hidden = false;  // the caller lacks point.read: metered terms name no points
};

struct GroupRequest {
  std::string group_by;  // region, industry, enterprise
  std::string region;  // "" = the caller's jurisdiction
  std::string industry;  // "" = every industry
  std::string period;
};

struct GroupResult {
  AccountingPeriod period;
  std::vector<GroupAccount> groups;  // largest first (dual-control convention)
  GroupAccount total;
  core::ElectricityConvention dual_control = core::ElectricityConvention::kEquivalent;
  std::vector<core::ConversionFactor> factors;
  std::vector<core::Co2Factor> co2_factors;
  core::GridChoice grid;
  DualControlExclusions exclusions;
};

class Accounting {
 public:
  Accounting(storage::Store& store, registry::Registry& registry, core::ElectricityConvention convention,
             core::GridChoice grid, DualControlExclusions exclusions = {})
      : store_(store), registry_(registry), convention_(convention), grid_(std::move(grid)), exclusions_(exclusions) {}

  core::Result<EnterpriseAccount> Enterprise(const registry::Caller& caller, std::int64_t enterprise_id,
                                             const std::string& period);
  core::Result<GroupResult> Groups(const registry::Caller& caller, const GroupRequest& request);
  // A project's figures from the metering points that belong to it (metered only: reports are per
  // enterprise). enterprise_id is the project's enterprise; name is the project's.
  core::Result<EnterpriseAccount> Project(const registry::Caller& caller, std::int64_t project_id,
                                          const std::string& period);
  // Each month of the period (not a day): metered, reported and department figures by energy type.
  core::Result<std::vector<SourceComparison>> Compare(const registry::Caller& caller, std::int64_t enterprise_id,
                                                      const std::string& period);
  // The same for many enterprises at once, without a caller: for the platform's own
  // evaluations (warnings), which see every enterprise. Reports count in these statuses
  // (Compare: approved only; the warnings also look at reports still under review).
  core::Result<std::map<std::int64_t, std::vector<SourceComparison>>> CompareAll(
      const std::vector<storage::EnterpriseIdentity>& enterprises, const std::string& period,
      const std::vector<std::string>& report_statuses);
  // Every enterprise's account of a period, without a caller (the platform's own evaluations).
  core::Result<std::vector<EnterpriseAccount>> AllAccounts(const std::string& period);
  // Every input of an account's terms (of one energy type, or all): report versions, department
  // records and, for a caller with point.read, the metering points and what each measured.
  core::Result<Drilldown> Drill(const registry::Caller& caller, const EnterpriseAccount& account,
                                std::optional<std::int64_t> project_id, const std::string& energy_type);

 private:
  struct Reference {
    std::vector<core::ConversionFactor> factors;
    std::vector<core::Co2Factor> co2;
    std::vector<core::EfficiencyLevel> levels;  // in force
  };
  core::Result<Reference> LoadReference();
  // Converts the months' amounts into the account's lines, terms and totals.
  // `fallback_product` names the product when no month's report does (for unit consumption).
  void Convert(EnterpriseAccount& account, std::vector<MonthSource> months, const Reference& ref,
               const std::string& fallback_product) const;
  core::Result<std::vector<EnterpriseAccount>> Compute(const std::vector<storage::EnterpriseIdentity>& enterprises,
                                                       const std::string& region_prefix, const AccountingPeriod& period,
                                                       const std::string& fallback_product = "");
  // Each source on its own, keyed by (enterprise, month or day).
  struct RawSources {
    std::map<std::pair<std::int64_t, std::string>, MonthSource> reported;
    std::map<std::pair<std::int64_t, std::string>, std::map<std::string, AmountSource>> department;
    std::map<std::pair<std::int64_t, std::string>, std::map<std::string, double>> metered;
    struct Statistics {
      std::optional<double> output, value_added, feedstock_tce, renewable_kwh;
      std::string product;
    };
    std::map<std::pair<std::int64_t, std::string>, Statistics> statistics;  // department figures of output
  };
  core::Result<RawSources> LoadRaw(const std::vector<storage::EnterpriseIdentity>& enterprises,
                                   const std::string& region_prefix, const AccountingPeriod& period,
                                   const std::vector<std::string>& report_statuses = {"approved"});
  // The best source per month and energy type.
  core::Result<std::map<std::pair<std::int64_t, std::string>, MonthSource>> LoadSources(
      const std::vector<storage::EnterpriseIdentity>& enterprises, const std::string& region_prefix,
      const AccountingPeriod& period);

  storage::Store& store_;
  registry::Registry& registry_;
  core::ElectricityConvention convention_;
  core::GridChoice grid_;
  DualControlExclusions exclusions_;
};

}  // namespace kiln::analysis
