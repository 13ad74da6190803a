#include "core/efficiency.hpp"

#include <gtest/gtest.h>

namespace kiln::core {
namespace {

TEST(Efficiency, ClassifiesAgainstAdvancedAndBenchmark) {
  EfficiencyLevel clinker{"水泥熟料", 1, "水泥熟料", "kgce/t", 100, 117, "to_be_confirmed", "s"};
  EXPECT_EQ(ClassifyEfficiency(100, "kgce/t", clinker), EfficiencyClass::kAdvanced) << "at 标杆 counts as advanced";
  EXPECT_EQ(ClassifyEfficiency(108.5, "kgce/t", clinker), EfficiencyClass::kBetween);
  EXPECT_EQ(ClassifyEfficiency(117, "kgce/t", clinker), EfficiencyClass::kBetween) << "at 基准 is not yet below it";
  EXPECT_EQ(ClassifyEfficiency(117.01, "kgce/t", clinker), EfficiencyClass::kBelowBenchmark);
  EXPECT_FALSE(ClassifyEfficiency(90, "tce/t", clinker)) << "other units are not comparable";
  EXPECT_STREQ(EfficiencyClassName(EfficiencyClass::kBelowBenchmark), "below_benchmark");
}

TEST(Efficiency, TheNewestVersionIsInForce) {
  std::vector<EfficiencyLevel> all = {{"水泥熟料", 1, "p", "kgce/t", 100, 117, "verified", "s"},
                                      {"焦炭", 1, "p", "kgce/t", 110, 135, "verified", "s"},
                                      {"水泥熟料", 2, "p", "kgce/t", 98, 112, "verified", "s2"}};
  auto current = CurrentLevels(all);
  ASSERT_EQ(current.size(), 2u);
  EXPECT_EQ(CurrentLevel(all, "水泥熟料")->benchmark, 112);
  EXPECT_EQ(CurrentLevel(all, "焦炭")->version, 1);
  EXPECT_FALSE(CurrentLevel(all, "乙烯"));
}

TEST(Efficiency, ValidationNamesEachField) {
  EfficiencyLevel bad{"", 1, "p", "", 120, 100, "maybe", ""};
  std::vector<std::string> fields;
  for (const auto& e : ValidateEfficiencyLevel(bad)) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"product", "indicator_unit", "benchmark", "status", "source"}));
}

}  // namespace
}  // namespace kiln::core
