#include "core/china_time.hpp"

#include <gtest/gtest.h>

namespace kiln::core {
namespace {

TEST(ChinaTime, CivilDaysRoundTrip) {
  for (std::int64_t days = -800'000; days < 800'000; days += 997) {
    EXPECT_EQ(DaysFromCivil(CivilFromDays(days)), days);
  }
  EXPECT_EQ(DaysFromCivil({1970, 1, 1}), 0);
  EXPECT_EQ(DaysFromCivil({2000, 3, 1}), 11017);
}

TEST(ChinaTime, ParseDateRejectsImpossibleDates) {
  EXPECT_EQ(ParseDate("2024-02-29"), (CivilDate{2024, 2, 29}));
  EXPECT_FALSE(ParseDate("2026-02-29"));
  EXPECT_FALSE(ParseDate("2026-13-01"));
  EXPECT_FALSE(ParseDate("2026-1-01"));
  EXPECT_FALSE(ParseDate("20260101"));
}

TEST(ChinaTime, ChinaDayStartsAtSixteenUtc) {
  // 2026-11-22 00:00 CST is 2026-11-21 16:00 UTC.
  UnixMillis midnight = ChinaMidnight({2026, 11, 22});
  EXPECT_EQ(FormatInstantUtc(midnight), "2026-11-21T16:00:00.000Z");
  EXPECT_EQ(ChinaDateOf(midnight), (CivilDate{2026, 11, 22}));
  EXPECT_EQ(ChinaDateOf(midnight - 1), (CivilDate{2026, 11, 21}));
}

TEST(ChinaTime, ParsesInstantsWithOffsets) {
  auto a = ParseInstant("2026-11-22T10:15:00+08:00");
  auto b = ParseInstant("2026-11-22T02:15:00Z");
  auto c = ParseInstant("2026-11-22T02:15:00.250Z");
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(*c - *b, 250);
  EXPECT_EQ(FormatInstantChina(*a), "2026-11-22T10:15:00+08:00");
  EXPECT_FALSE(ParseInstant("2026-11-22T10:15:00"));  // no offset: ambiguous
  EXPECT_FALSE(ParseInstant("2026-11-22T25:15:00Z"));
  EXPECT_FALSE(ParseInstant("2026-11-22T10:15:00+08:00x"));
}

TEST(ChinaTime, BeforeEpochFormatsCorrectly) { EXPECT_EQ(FormatInstantUtc(-1), "1969-12-31T23:59:59.999Z"); }

}  // namespace
}  // namespace kiln::core
