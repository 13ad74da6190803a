#pragma once
// The measured effect of an energy-efficiency upgrade (一企一策, seed 001:
// 监测数据作为能效改造考核评价的重要依据): each project's unit consumption
// before and after, per unit of output, and the saving it makes.
//
//   baseline  the 12 months before the plan's start month
//   after     the full months after the month the works were completed, up to
//             the last complete month (at most 12); acceptance needs at least 3
//   saving    (baseline − after) kgce per tonne × the after-period output
//             brought to a year, in tce a year
//
// A month's figures come from the project's own meters when every energy and
// output meter of it has readings on at least 90 % of the month's days
// (DOMAIN.md section 1); otherwise, when the project is the enterprise's only
// existing project of its product, from the enterprise's accounting of that
// month (its approved report, the departments' records); otherwise the month
// has no figures. Comprehensive energy is in the dual-control convention.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/accounting.hpp"

namespace kiln::analysis {

inline constexpr int kBaselineMonths = 12;
inline constexpr int kMinAfterMonths = 3;
inline constexpr int kMaxAfterMonths = 12;
inline constexpr double kMeteredDayShare = 0.9;

struct SavingMonth {
  std::string month;  // YYYY-MM
  std::string source;  // metered, report, department, mixed; "" when the month has no figures
  std::optional<double> tce, output;
};

struct SavingPeriod {
  std::vector<SavingMonth> months;
  int with_figures = 0;
  double tce = 0, output = 0;  // of the months with figures
  std::optional<double> kgce_per_t;
};

struct ProjectSaving {
  std::int64_t project_id = 0;
  std::string name, product;
  std::optional<core::EfficiencyLevel> level;  // in force for the product
  std::optional<double> declared;  // the project file's efficiency value
  SavingPeriod baseline, after;
  std::optional<std::string> class_before, class_after;  // advanced, between, below_benchmark
  double expected_saving_tce = 0;
  std::optional<double> measured_saving_tce;
};

struct SavingProblem {
  std::int64_t project_id = 0;  // 0: the plan as a whole
  std::string kind;  // not_completed, baseline_missing, after_short
  std::vector<std::string> months;
};

struct SavingMeasurement {
  std::string baseline_from, baseline_to, after_from, after_to;  // months; after_* "" before completion
  std::vector<ProjectSaving> projects;
  double expected_saving_tce = 0;
  std::optional<double> measured_saving_tce;  // when every project has it
  bool ready = false;  // complete enough for acceptance
  std::vector<SavingProblem> problems;
};

struct SavingRequest {
  std::int64_t enterprise_id = 0;
  struct Project {
    std::int64_t id = 0;
    double expected_saving_tce = 0;
  };
  std::vector<Project> projects;
  std::string start_month;  // YYYY-MM
  std::string completed_on;  // YYYY-MM-DD; "" while the works go on
  core::CivilDate today;
};

class UpgradeSaving {
 public:
  UpgradeSaving(storage::Store& store, registry::Registry& registry, Accounting& accounting)
      : store_(store), registry_(registry), accounting_(accounting) {}

  core::Result<SavingMeasurement> Measure(const registry::Caller& caller, const SavingRequest& request);

 private:
  // The months (of `months`) in which every energy and output meter of the project read on enough days.
  core::Result<std::vector<bool>> MeteredMonths(std::int64_t project_id, const std::vector<std::string>& months);

  storage::Store& store_;
  registry::Registry& registry_;
  Accounting& accounting_;
};

nlohmann::json SavingMeasurementJson(const SavingMeasurement& m);

}  // namespace kiln::analysis
