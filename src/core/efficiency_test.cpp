#include "core/efficiency.hpp"

#include <gtest/gtest.h>

namespace kiln::core {
namespace {

TEST(Efficiency, ClassifiesAgainstAdvancedAndBenchmark) {
  EfficiencyLevel clinker{"水泥熟料", "水泥熟料", "kgce/t", 100, 117, "to_be_confirmed", "s"};
  EXPECT_EQ(ClassifyEfficiency(100, "kgce/t", clinker), EfficiencyClass::kAdvanced) << "at 标杆 counts as advanced";
  EXPECT_EQ(ClassifyEfficiency(108.5, "kgce/t", clinker), EfficiencyClass::kBetween);
  EXPECT_EQ(ClassifyEfficiency(117, "kgce/t", clinker), EfficiencyClass::kBetween) << "at 基准 is not yet below it";
  EXPECT_EQ(ClassifyEfficiency(117.01, "kgce/t", clinker), EfficiencyClass::kBelowBenchmark);
  EXPECT_FALSE(ClassifyEfficiency(90, "tce/t", clinker)) << "other units are not comparable";
  EXPECT_STREQ(EfficiencyClassName(EfficiencyClass::kBelowBenchmark), "below_benchmark");
}

}  // namespace
}  // namespace kiln::core
