#include "core/collection_task.hpp"

#include <gtest/gtest.h>

namespace kiln::core {
namespace {

TEST(NormalisePeriod, ReadsTheWaysSpreadsheetsWritePeriods) {
  EXPECT_EQ(NormalisePeriod("monthly", "2026-10"), "2026-10");
  EXPECT_EQ(NormalisePeriod("monthly", " 2026/9 "), "2026-09");
  EXPECT_EQ(NormalisePeriod("monthly", "2026年9月"), "2026-09");
  EXPECT_EQ(NormalisePeriod("monthly", "2026-09-30"), "2026-09");
  EXPECT_EQ(NormalisePeriod("monthly", "2026-13"), std::nullopt);
  EXPECT_EQ(NormalisePeriod("monthly", "2026-02-30"), std::nullopt);
  EXPECT_EQ(NormalisePeriod("daily", "2026-10-05"), "2026-10-05");
  EXPECT_EQ(NormalisePeriod("daily", "2026-10"), std::nullopt);
  EXPECT_EQ(NormalisePeriod("quarterly", "2026-Q3"), "2026-Q3");
  EXPECT_EQ(NormalisePeriod("quarterly", "2026年第4季度"), "2026-Q4");
  EXPECT_EQ(NormalisePeriod("quarterly", "2026-08-01"), "2026-Q3");
  EXPECT_EQ(NormalisePeriod("quarterly", "2026-Q5"), std::nullopt);
  EXPECT_EQ(NormalisePeriod("yearly", "2025"), "2025");
  EXPECT_EQ(NormalisePeriod("yearly", "2025年"), "2025");
  EXPECT_EQ(NormalisePeriod("yearly", "1850"), std::nullopt);
  EXPECT_EQ(NormalisePeriod("monthly", ""), std::nullopt);
}

TEST(CheckCell, NumbersRangesAndRequiredFields) {
  TaskField f{.key = "electricity", .label = "用电量", .unit = "kWh", .type = "number", .min = 0.0, .required = true};
  EXPECT_EQ(*CheckCell(f, "1,234.5"), nlohmann::json(1234.5));
  EXPECT_EQ(CheckCell(f, "").status().message(), "用电量为必填项");
  EXPECT_EQ(CheckCell(f, "abc").status().message(), "用电量应为数字，收到“abc”");
  EXPECT_EQ(CheckCell(f, "-1").status().message(), "用电量不能小于 0kWh，收到 -1");
  TaskField n{.key = "patents", .label = "专利授权数", .type = "integer"};
  EXPECT_EQ(*CheckCell(n, "3"), nlohmann::json(3));
  EXPECT_FALSE(CheckCell(n, "3.5").ok());
  EXPECT_TRUE(CheckCell(n, "").ok());
  TaskField t{.key = "rating", .label = "纳税信用等级", .type = "text"};
  EXPECT_EQ(*CheckCell(t, " A "), nlohmann::json("A"));
}

TEST(ColumnLetters, CountsLikeSpreadsheets) {
  EXPECT_EQ(ColumnLetters(0), "A");
  EXPECT_EQ(ColumnLetters(25), "Z");
  EXPECT_EQ(ColumnLetters(26), "AA");
  EXPECT_EQ(ColumnLetters(701), "ZZ");
  EXPECT_EQ(ColumnLetters(702), "AAA");
}

TEST(ValidateCollectionTask, NamesEachProblem) {
  CollectionTask t{.code = "Power", .department = "power", .name = "", .frequency = "weekly"};
  t.fields = {{.key = "a", .label = "甲"}, {.key = "a", .label = "乙", .type = "date"}};
  auto s = ValidateCollectionTask(t);
  ASSERT_FALSE(s.ok());
  std::vector<std::string> fields;
  for (const auto& d : s.details()) fields.push_back(d.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"code", "name", "frequency", "fields[1].key", "fields[1].type"}));
}

}  // namespace
}  // namespace kiln::core
