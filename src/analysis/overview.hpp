#pragma once
// The figures an official looks at first, for the caller's jurisdiction: the
// workbench (registry counts, energy today and this month, data completeness,
// top industries), the energy ranking (one energy type, comprehensive energy
// in tce or CO2 in t, grouped by region, industry or enterprise) and the
// metering points short of data on a day. Scoped by the access policy.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/carbon.hpp"
#include "core/conversion.hpp"
#include "registry/registry.hpp"
#include "storage/store.hpp"

namespace kiln::analysis {

struct OverviewOptions {
  core::ElectricityConvention convention = core::ElectricityConvention::kEquivalent;  // dual control
  core::GridChoice grid;
  core::DualControlExclusions exclusions;
};

struct WorkbenchFigures {
  core::UnixMillis as_of = 0;
  std::map<std::string, std::int64_t> enterprises;  // by status, and "key_energy_units"
  std::map<std::string, std::int64_t> projects;  // by state; empty without project.read
  double electricity_today_kwh = 0, electricity_month_kwh = 0;
  // tce by electricity convention name ("equivalent", "equal")
  std::map<std::string, double> comprehensive_today, comprehensive_month;
  double received = 0, expected = 0;  // samples today
  std::vector<std::pair<std::string, double>> top_industries;  // industry code, kWh this month
};

// The energy types of a ranking that ask for comprehensive energy in tce and for CO2 in t.
inline constexpr const char* kComprehensive = "comprehensive";
inline constexpr const char* kCo2 = "co2";

struct RankingRequest {
  std::string group_by = "region";  // region, industry, enterprise
  std::string energy_type = "electricity";  // a type, "comprehensive" or "co2"
  std::optional<core::ElectricityConvention> convention;  // comprehensive; default: the dual-control one
  std::string step = "month";  // day, month
  std::string industry, region;
  std::optional<std::int64_t> enterprise;
  core::UnixMillis from = 0, to = 0;
  int limit = 50;
};

struct RankedGroup {
  std::string key;  // region code (6 digits), industry code or enterprise id
  std::string name;  // enterprises only; regions and industries are named by the caller
  double total = 0;
  std::vector<std::pair<core::UnixMillis, double>> series;
};

struct Ranking {
  std::string unit;
  core::ElectricityConvention convention = core::ElectricityConvention::kEquivalent;
  std::vector<RankedGroup> groups;  // largest first
  std::vector<core::ConversionFactor> factors;  // comprehensive: every coefficient used
  std::vector<core::Co2Factor> co2_factors;  // co2: every factor used
};

struct CompletenessPage {
  core::UnixMillis day_start = 0;
  std::int64_t elapsed_s = 0;
  std::int64_t total = 0;
  std::vector<storage::PointCompleteness> items;
};

class Overview {
 public:
  Overview(storage::Store& store, registry::Registry& registry, const core::Clock& clock, OverviewOptions options)
      : store_(store), registry_(registry), clock_(clock), options_(std::move(options)) {}

  core::Result<WorkbenchFigures> Workbench(const registry::Caller& caller);
  // kInvalidArgument naming the field; an enterprise outside the scope is 404.
  core::Result<Ranking> Rank(const registry::Caller& caller, RankingRequest request);
  // Points with fewer than `below` x expected samples on `date` so far (needs point.read).
  core::Result<CompletenessPage> Incomplete(const registry::Caller& caller, core::CivilDate date, double below,
                                            int page, int page_size);
  const OverviewOptions& options() const { return options_; }

 private:
  struct Weight {
    double kg_per_unit;
    std::string factor_key;
  };
  core::Result<std::vector<storage::EnergyRow>> ComprehensiveTotals(storage::EnergyQuery q,
                                                                    core::ElectricityConvention convention,
                                                                    Ranking& ranking);
  core::Result<std::vector<storage::EnergyRow>> Co2Totals(storage::EnergyQuery q, Ranking& ranking);

  storage::Store& store_;
  registry::Registry& registry_;
  const core::Clock& clock_;
  const OverviewOptions options_;
};

}  // namespace kiln::analysis
