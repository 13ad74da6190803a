#include "registry/reference_data.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace kiln::registry {
namespace {

std::string WriteTemp(const std::string& text) {
  auto path = std::filesystem::temp_directory_path() / ("kiln_factors_" + std::to_string(::getpid()) + ".csv");
  std::ofstream(path) << text;
  return path.string();
}

const char* kHeader = "energy_type,variant,version,kgce_per_unit,unit,valid_from,valid_to,status,source\n";

TEST(ConversionFactorsFile, ShippedFileIsValidAndHasBothElectricityConventions) {
  auto factors = ReadConversionFactors(std::string(KILN_DATA_DIR) + "/factors.csv");
  ASSERT_TRUE(factors.ok()) << factors.status().ToString();
  int electricity = 0;
  for (const auto& f : *factors) electricity += f.energy_type == "electricity";
  EXPECT_EQ(electricity, 2);
}

TEST(Co2FactorsFile, ShippedFileIsValidAndHasTheShandongGrid) {
  auto factors = ReadCo2Factors(std::string(KILN_DATA_DIR) + "/co2_factors.csv");
  ASSERT_TRUE(factors.ok()) << factors.status().ToString();
  auto grid = core::Co2FactorFor(*factors, "electricity", {"north_china", 2023}, "2026-11-01");
  ASSERT_TRUE(grid);
  EXPECT_EQ(grid->kg_per_unit, 0.6361);
  auto bad =
      ReadCo2Factors(WriteTemp("energy_type,grid_region,year,version,kg_co2_per_unit,unit,valid_from,valid_to,"
                               "status,source\nraw_coal,north_china,2023,1,1900.3,t,2021-01-01,,verified,x\n"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("line 2 column grid_region"), std::string::npos) << bad.status().message();
}

TEST(EfficiencyLevelsFile, ShippedFileIsValid) {
  auto levels = ReadEfficiencyLevels(std::string(KILN_DATA_DIR) + "/efficiency_levels.csv");
  ASSERT_TRUE(levels.ok()) << levels.status().ToString();
  auto clinker = std::find_if(levels->begin(), levels->end(), [](const auto& l) { return l.product == "水泥熟料"; });
  ASSERT_NE(clinker, levels->end());
  EXPECT_EQ(clinker->advanced, 100);
  EXPECT_EQ(clinker->benchmark, 117);
}

TEST(ConversionFactorsFile, ErrorsNameLineAndColumn) {
  auto bad =
      ReadConversionFactors(WriteTemp(std::string(kHeader) + "raw_coal,,1,714.3,t,2021-04-01,,verified,GB/T 2589\n"
                                                             "coke,,1,-3,t,2021-04-01,,verified,GB/T 2589\n"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("line 3 column kgce_per_unit: must be a positive number"), std::string::npos)
      << bad.status().message();
  bad = ReadConversionFactors(WriteTemp(std::string(kHeader) + "raw_coal,,1,714.3,kg,2021-04-01,,verified,x\n"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("column unit: raw_coal is measured in t"), std::string::npos)
      << bad.status().message();
  bad = ReadConversionFactors(WriteTemp(std::string(kHeader) + "electricity,,1,0.1229,kWh,2021-04-01,,verified,x\n"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("column variant"), std::string::npos) << bad.status().message();
  bad = ReadConversionFactors(WriteTemp(std::string(kHeader) + "water,,1,0.0857,t,2021-04-01,,maybe,x\n"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("column status"), std::string::npos) << bad.status().message();
}

}  // namespace
}  // namespace kiln::registry
