#include "ingest/batch_decoder.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

namespace kiln::ingest {
namespace {

TEST(BatchDecoder, RowFormWithIsoAndEpochTimes) {
  auto batch = DecodeBatch(R"({"readings":[
    {"point":"E-01","ts":"2026-11-22T10:15:00+08:00","v":1234.5,"q":"N"},
    {"point":"E-01","ts":1763777700,"v":1240}]})");
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  ASSERT_EQ(batch->readings.size(), 2u);
  EXPECT_EQ(batch->readings[0].ts, *core::ParseInstant("2026-11-22T02:15:00Z"));
  EXPECT_EQ(batch->readings[1].ts, 1763777700000);
  EXPECT_EQ(batch->readings[1].quality, "N");
  EXPECT_TRUE(batch->rejected.empty());
}

TEST(BatchDecoder, BadRowsAreRejectedAloneWithTheirIndex) {
  auto batch = DecodeBatch(R"({"readings":[
    {"point":"E-01","ts":"2026-11-22T10:15:00","v":1},
    {"point":"E-01","ts":"2026-11-22T10:20:00+08:00","v":"12"},
    {"ts":"2026-11-22T10:25:00+08:00","v":3},
    7,
    {"point":"E-01","ts":"2026-11-22T10:30:00+08:00","v":4}]})");
  ASSERT_TRUE(batch.ok());
  ASSERT_EQ(batch->readings.size(), 1u);
  EXPECT_EQ(batch->readings[0].index, 4u);
  ASSERT_EQ(batch->rejected.size(), 4u);
  EXPECT_EQ(batch->rejected[0].code, "invalid_timestamp");
  EXPECT_EQ(batch->rejected[1].code, "invalid_value");
  EXPECT_EQ(batch->rejected[2].code, "invalid_row");
  EXPECT_EQ(batch->rejected[3].index, 3u);
}

TEST(BatchDecoder, ColumnFormExpandsWithStepAndSkipsNulls) {
  auto batch = DecodeBatch(R"({"series":[{"point":"E-01","start":"2026-11-22T00:00:00+08:00","step_s":300,
                                          "values":[1,2,null,4,"x"]}]})");
  ASSERT_TRUE(batch.ok());
  ASSERT_EQ(batch->readings.size(), 3u);
  EXPECT_EQ(batch->readings[2].ts - batch->readings[0].ts, 3 * 300'000);
  EXPECT_EQ(batch->readings[2].offset, 3u);
  ASSERT_EQ(batch->rejected.size(), 1u);
  EXPECT_EQ(batch->rejected[0].offset, 4u);
}

TEST(BatchDecoder, DocumentLevelErrors) {
  EXPECT_EQ(DecodeBatch("{not json").status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodeBatch("[]").status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodeBatch(R"({"rows":[]})").status().code(), core::StatusCode::kInvalidArgument);
  std::string big = R"({"readings":[)";
  for (int i = 0; i < 11; ++i) big += std::string(i ? "," : "") + R"({"point":"P","ts":1,"v":1})";
  big += "]}";
  EXPECT_EQ(DecodeBatch(big, {.max_rows = 10}).status().code(), core::StatusCode::kResourceExhausted);
}

std::string Gzip(const std::string& text) {
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(compressBound(text.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  zs.avail_in = text.size();
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = out.size();
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

TEST(Gunzip, RoundTripAndLimits) {
  std::string text(100'000, 'a');
  auto inflated = Gunzip(Gzip(text), 200'000);
  ASSERT_TRUE(inflated.ok());
  EXPECT_EQ(*inflated, text);
  EXPECT_EQ(Gunzip(Gzip(text), 50'000).status().code(), core::StatusCode::kResourceExhausted);
  EXPECT_EQ(Gunzip("not gzip at all", 1000).status().code(), core::StatusCode::kInvalidArgument);
  auto truncated = Gzip(text);
  truncated.resize(truncated.size() / 2);
  EXPECT_EQ(Gunzip(truncated, 200'000).status().code(), core::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace kiln::ingest
