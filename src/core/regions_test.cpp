#include "core/regions.hpp"

#include <gtest/gtest.h>

namespace kiln::core {
namespace {

TEST(Regions, LevelsFollowCodeShape) {
  EXPECT_EQ(LevelOfRegionCode("370000"), RegionLevel::kProvince);
  EXPECT_EQ(LevelOfRegionCode("370100"), RegionLevel::kCity);
  EXPECT_EQ(LevelOfRegionCode("370102"), RegionLevel::kCounty);
  EXPECT_EQ(LevelOfRegionCode("370002"), RegionLevel::kInvalid);
  EXPECT_EQ(LevelOfRegionCode("37010"), RegionLevel::kInvalid);
  EXPECT_EQ(LevelOfRegionCode("37010a"), RegionLevel::kInvalid);
}

TEST(Regions, SubtreeContainment) {
  EXPECT_TRUE(RegionWithin("370102", "370000"));
  EXPECT_TRUE(RegionWithin("370102", "370100"));
  EXPECT_TRUE(RegionWithin("370102", "370102"));
  EXPECT_FALSE(RegionWithin("370202", "370100"));
  EXPECT_FALSE(RegionWithin("370100", "370102"));
  EXPECT_FALSE(RegionWithin("110101", "370000"));
  EXPECT_FALSE(RegionWithin("370102", "bogus"));
}

TEST(Regions, Parents) {
  EXPECT_EQ(ParentRegion("370102"), "370100");
  EXPECT_EQ(ParentRegion("370100"), "370000");
  EXPECT_EQ(ParentRegion("370000"), "");
}

TEST(Regions, ChinaExtent) {
  EXPECT_TRUE(InsideChinaExtent(117.0, 36.65));
  EXPECT_FALSE(InsideChinaExtent(2.35, 48.85));
  EXPECT_FALSE(InsideChinaExtent(36.65, 117.0));  // swapped
}

}  // namespace
}  // namespace kiln::core
