#include "core/report_rules.hpp"

#include <gtest/gtest.h>

#include <set>

namespace kiln::core {
namespace {

ConversionFactor Electricity(const char* variant, double kgce_per_kwh) {
  return {.energy_type = "electricity",
          .variant = variant,
          .version = 1,
          .kgce_per_unit = kgce_per_kwh,
          .unit = "kWh",
          .valid_from = "2021-01-01",
          .status = "verified",
          .source = "s"};
}

TEST(CheckReport, OnlyLinesTheReportHasAreComparedWithTheMeters) {
  auto period = *ParseReportPeriod(ReportKind::kMonthly, "2026-10");
  std::vector<ConversionFactor> factors = {Electricity("equivalent", 0.1229), Electricity("equal", 0.3016)};
  nlohmann::json content = {{"business",
                             {{"gross_output_value", 100},
                              {"value_added", 30},
                              {"tax", 4},
                              {"revenue", 95},
                              {"staff", 50},
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

TEST(CheckReport, TheOfWhichFiguresAreNotLinesAndStayWithinTheirWhole) {
  auto period = *ParseReportPeriod(ReportKind::kMonthly, "2026-10");
  std::vector<ConversionFactor> factors = {Electricity("equivalent", 0.1229)};
  // 100,000 kWh = 12.29 tce; the feedstock and renewable figures do not add to it.
  nlohmann::json content = {
      {"energy",
       {{"electricity", 100000}, {"comprehensive", 12.29}, {"feedstock", 5}, {"renewable_electricity", 20000}}}};
  auto check = CheckReport(content, false, period, factors, ElectricityConvention::kEquivalent, {}, "");
  EXPECT_TRUE(check.errors.empty()) << check.errors.front().field << ": " << check.errors.front().reason;
  EXPECT_NEAR(check.comprehensive_tce, 12.29, 1e-9);
  EXPECT_FALSE(IsEnergyLine("feedstock"));
  EXPECT_FALSE(IsEnergyLine("renewable_electricity"));
  EXPECT_TRUE(IsEnergyLine("raw_coal"));
  // More feedstock than the whole, more renewable electricity than electricity: each named.
  content["energy"]["feedstock"] = 13;
  content["energy"]["renewable_electricity"] = 100001;
  check = CheckReport(content, false, period, factors, ElectricityConvention::kEquivalent, {}, "");
  std::set<std::string> fields;
  for (const auto& e : check.errors) fields.insert(e.field);
  EXPECT_EQ(fields, (std::set<std::string>{"energy.feedstock", "energy.renewable_electricity"}));
}

TEST(CheckReport, UnknownFieldsAreRefusedEverywhere) {
  auto period = *ParseReportPeriod(ReportKind::kMonthly, "2026-10");
  nlohmann::json content = {{"business", {{"staff", 5}, {"bonus", 1}}},
                            {"production", {{{"product", "熟料"}, {"unit", "t"}, {"output", 1}, {"colour", "grey"}}}},
                            {"energy", {{"electricity", 1}}},
                            {"extra", 1}};
  auto check = CheckReport(content, false, period, {}, ElectricityConvention::kEquivalent, {}, "");
  std::set<std::string> fields;
  for (const auto& e : check.errors) fields.insert(e.field);
  EXPECT_EQ(fields, (std::set<std::string>{"business.bonus", "production[0].colour", "extra"}));
  nlohmann::json many = {{"production", nlohmann::json::array()}};
  for (int i = 0; i < 101; ++i) many["production"].push_back({{"product", "p"}});
  check = CheckReport(many, false, period, {}, ElectricityConvention::kEquivalent, {}, "");
  ASSERT_EQ(check.errors.size(), 1u);
  EXPECT_EQ(check.errors[0].field, "production");
}

}  // namespace
}  // namespace kiln::core
