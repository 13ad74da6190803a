#include "core/conversion.hpp"

#include <gtest/gtest.h>

namespace kiln::core {
namespace {

std::vector<ConversionFactor> Factors() {
  return {
      {"electricity", "equivalent", 1, 0.1229, "kWh", "2020-01-01", "", "verified", "GB/T 2589-2020"},
      {"electricity", "equal", 1, 0.3050, "kWh", "2020-01-01", "2026-01-01", "to_be_confirmed", "2025"},
      {"electricity", "equal", 2, 0.3016, "kWh", "2026-01-01", "", "to_be_confirmed", "2026"},
      {"raw_coal", "", 1, 714.3, "t", "2020-01-01", "", "verified", "GB/T 2589-2020"},
  };
}

TEST(Conversion, HandCheckedComprehensiveEnergy) {
  // 100,000 kWh x 0.1229 kgce/kWh = 12,290 kgce = 12.29 tce;
  // 50 t raw coal x 714.3 kgce/t = 35,715 kgce = 35.715 tce; total 48.005 tce.
  auto r = ToStandardCoal({{"electricity", 100000}, {"raw_coal", 50}, {"product_output", 7}}, Factors(),
                          ElectricityConvention::kEquivalent, "2026-11-25");
  EXPECT_NEAR(r.tce, 48.005, 1e-9);
  ASSERT_EQ(r.lines.size(), 3u);
  EXPECT_FALSE(r.lines[1].factor.has_value()) << "product output has no coefficient and is not counted";
  EXPECT_EQ(r.lines[1].tce, 0);
}

TEST(Conversion, EqualValueUsesTheVersionInForceOnTheDate) {
  auto now = FactorInForce(Factors(), "electricity", ElectricityConvention::kEqual, "2026-03-01");
  ASSERT_TRUE(now);
  EXPECT_EQ(now->version, 2);
  auto before = FactorInForce(Factors(), "electricity", ElectricityConvention::kEqual, "2025-12-31");
  ASSERT_TRUE(before);
  EXPECT_EQ(before->version, 1);
  EXPECT_FALSE(FactorInForce(Factors(), "electricity", ElectricityConvention::kEqual, "2019-12-31"));
  // 100,000 kWh x 0.3016 = 30.16 tce at the equal value.
  auto r = ToStandardCoal({{"electricity", 100000}}, Factors(), ElectricityConvention::kEqual, "2026-11-25");
  EXPECT_NEAR(r.tce, 30.16, 1e-9);
}

TEST(Conversion, FactorsRoundTripThroughTheirWireForm) {
  for (const auto& f : Factors()) {
    auto back = FactorFromJson(FactorJson(f));
    ASSERT_TRUE(back);
    EXPECT_EQ(back->energy_type, f.energy_type);
    EXPECT_EQ(back->variant, f.variant);
    EXPECT_EQ(back->version, f.version);
    EXPECT_EQ(back->kgce_per_unit, f.kgce_per_unit);
    EXPECT_EQ(back->unit, f.unit);
    EXPECT_EQ(back->valid_from, f.valid_from);
    EXPECT_EQ(back->valid_to, f.valid_to);
  }
  EXPECT_FALSE(FactorFromJson(nlohmann::json::object()));
  nlohmann::json list = {FactorJson(Factors()[0]), nlohmann::json::object(), "noise"};
  auto parsed = FactorsFromJsonText(list.dump());
  ASSERT_EQ(parsed.size(), 1u) << "malformed entries are skipped";
  EXPECT_EQ(parsed[0].kgce_per_unit, 0.1229);
  EXPECT_TRUE(FactorsFromJsonText("not json").empty());
}

TEST(Conversion, ParsesTheConventionSetting) {
  EXPECT_EQ(ParseElectricityConvention("equal"), ElectricityConvention::kEqual);
  EXPECT_EQ(ParseElectricityConvention("equivalent"), ElectricityConvention::kEquivalent);
  EXPECT_FALSE(ParseElectricityConvention("当量"));
}

}  // namespace
}  // namespace kiln::core
