#include "storage/reading_block.hpp"

#include <gtest/gtest.h>

namespace kiln::storage {
namespace {

TEST(ReadingBlock, RoundTripsReadingsAndIntervals) {
  std::vector<BlockReading> readings = {
      {3'600'000, 100.5, "N", 7, core::ConsumptionInterval{3'600'000, 3'900'000, 2.25, core::kFlagNone}},
      {3'900'000, 102.75, "", 8, core::ConsumptionInterval{3'900'000, 4'200'000, std::nullopt, core::kFlagReset}},
      {4'200'000, 1.0, "M", 8, std::nullopt},
  };
  auto decoded = DecodeBlock(EncodeBlock(readings));
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  ASSERT_EQ(decoded->size(), 3u);
  EXPECT_EQ((*decoded)[0].ts, 3'600'000);
  EXPECT_EQ((*decoded)[0].value, 100.5);
  EXPECT_EQ((*decoded)[0].quality, "N");
  EXPECT_EQ((*decoded)[0].batch_id, 7);
  ASSERT_TRUE((*decoded)[0].outgoing);
  EXPECT_EQ((*decoded)[0].outgoing->start, 3'600'000);
  EXPECT_EQ((*decoded)[0].outgoing->end, 3'900'000);
  EXPECT_EQ(*(*decoded)[0].outgoing->amount, 2.25);
  ASSERT_TRUE((*decoded)[1].outgoing);
  EXPECT_FALSE((*decoded)[1].outgoing->amount);
  EXPECT_EQ((*decoded)[1].outgoing->flags, core::kFlagReset);
  EXPECT_EQ((*decoded)[2].quality, "M");
  EXPECT_FALSE((*decoded)[2].outgoing);
}

TEST(ReadingBlock, IntervalsToTheNextReadingAreStoredByTheirFlagsOnly) {
  std::vector<BlockReading> readings;
  readings.reserve(12);
  for (int i = 0; i < 12; ++i) {
    readings.push_back({i * 300'000, 1000.1 + i * 0.7, "N", 42, std::nullopt});
  }
  for (int i = 0; i + 1 < 12; ++i) {
    readings[i].outgoing = core::ConsumptionInterval{readings[i].ts, readings[i + 1].ts,
                                                     readings[i + 1].value - readings[i].value, core::kFlagNone};
  }
  readings[11].outgoing = core::ConsumptionInterval{readings[11].ts, 3'600'000, 0.7, core::kFlagGap};
  auto bytes = EncodeBlock(readings);
  EXPECT_LT(bytes.size(), 12u * 16) << "about 14 bytes a reading";
  auto decoded = DecodeBlock(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  for (int i = 0; i < 12; ++i) {
    EXPECT_EQ((*decoded)[i].ts, readings[i].ts);
    EXPECT_EQ((*decoded)[i].value, readings[i].value);
    ASSERT_TRUE((*decoded)[i].outgoing);
    EXPECT_EQ((*decoded)[i].outgoing->end, readings[i].outgoing->end);
    EXPECT_EQ(*(*decoded)[i].outgoing->amount, *readings[i].outgoing->amount) << "bit for bit";
    EXPECT_EQ((*decoded)[i].outgoing->flags, readings[i].outgoing->flags);
  }
}

TEST(ReadingBlock, RefusesDamagedBytes) {
  auto bytes = EncodeBlock({{0, 1, "N", 1, std::nullopt}});
  EXPECT_FALSE(DecodeBlock(bytes.substr(0, bytes.size() - 1)).ok());
  EXPECT_FALSE(DecodeBlock(bytes + "x").ok());
  EXPECT_FALSE(DecodeBlock("").ok());
  EXPECT_FALSE(DecodeBlock(std::string(1, '\x01')).ok()) << "an unknown format";
}

TEST(ReadingBlock, BlockStartIsTheHour) {
  EXPECT_EQ(BlockStart(3'600'000 + 299'000), 3'600'000);
  EXPECT_EQ(BlockStart(-1), -3'600'000);
}

}  // namespace
}  // namespace kiln::storage
