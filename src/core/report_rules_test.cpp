#include "core/report_rules.hpp"

#include <gtest/gtest.h>

namespace kiln::core {
namespace {

TEST(CheckReport, OnlyLinesTheReportHasAreComparedWithTheMeters) {
  auto period = *ParseReportPeriod(ReportKind::kMonthly, "2026-10");
  std::vector<ConversionFactor> factors = {
      {.energy_type = "electricity", .variant = "equivalent", .version = 1, .kgce_per_unit = 0.1229, .unit = "kWh",
       .valid_from = "2021-01-01", .status = "verified", .source = "s"},
      {.energy_type = "electricity", .variant = "equal", .version = 1, .kgce_per_unit = 0.3016, .unit = "kWh",
       .valid_from = "2021-01-01", .status = "verified", .source = "s"}};
  nlohmann::json content = {
      {"business", {{"gross_output_value", 100}, {"value_added", 30}, {"tax", 4}, {"revenue", 95}, {"staff", 50},
                    {"total_assets", 900}}},
      {"production", {{{"product", "水泥熟料"}, {"unit", "t"}, {"output", 1000}}}},
      {"energy", {{"electricity", 100000}, {"comprehensive", 12.29}}}};
  // Output and steam have no line of their own in the report: no explanation is owed for them.
  std::map<std::string, double> metered = {{"electricity", 101000}, {"product_output", 1000}, {"steam", 75}};
  auto check = CheckReport(content, true, period, factors, ElectricityConvention::kEquivalent, metered, "");
  EXPECT_TRUE(check.errors.empty()) << check.errors.front().field << ": " << check.errors.front().reason;
  // A line 10 % off its meter still needs one.
  metered["electricity"] = 111200;
  check = CheckReport(content, true, period, factors, ElectricityConvention::kEquivalent, metered, "");
  ASSERT_EQ(check.errors.size(), 1u);
  EXPECT_EQ(check.errors[0].field, "energy.electricity");
}

}  // namespace
}  // namespace kiln::core
