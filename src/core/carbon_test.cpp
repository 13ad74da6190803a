#include "core/carbon.hpp"

#include <gtest/gtest.h>

namespace kiln::core {
namespace {

std::vector<Co2Factor> Factors() {
  return {{"raw_coal", "", 0, 1, 1900.3, "t", "2021-01-01", "", "to_be_confirmed", "s"},
          {"electricity", "national", 2023, 1, 0.5306, "kWh", "2021-01-01", "", "verified", "s"},
          {"electricity", "north_china", 2023, 1, 0.6361, "kWh", "2021-01-01", "", "to_be_confirmed", "s"}};
}

TEST(Carbon, HandCheckedEmissions) {
  // 10,000 kWh x 0.6361 kg/kWh = 6,361 kg; 5 t raw coal x 1,900.3 kg/t = 9,501.5 kg; 15.8625 t in all.
  auto c = CarbonOf({{"electricity", 10000}, {"raw_coal", 5}, {"water", 40}}, Factors(), {"north_china", 2023},
                    "2025-03-01");
  EXPECT_NEAR(c.tonnes, 15.8625, 1e-9);
  EXPECT_FALSE(c.lines[2].factor.has_value()) << "water emits nothing here";
  auto national = CarbonOf({{"electricity", 10000}}, Factors(), {"national", 2023}, "2025-03-01");
  EXPECT_NEAR(national.tonnes, 5.306, 1e-9);
  EXPECT_FALSE(Co2FactorFor(Factors(), "electricity", {"north_china", 2021}, "2025-03-01"))
      << "no factor announced for that region and year";
}

}  // namespace
}  // namespace kiln::core
