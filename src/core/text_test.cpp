#include "core/text.hpp"

#include <gtest/gtest.h>

namespace kiln::core {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(IsUtf8(""));
  EXPECT_TRUE(IsUtf8("ascii"));
  EXPECT_TRUE(IsUtf8("能耗 ≥ 5 % 𠀀"));
}

TEST(Utf8, RejectsStrayAndTruncatedBytes) {
  EXPECT_FALSE(IsUtf8("\xff\xfe"));
  EXPECT_FALSE(IsUtf8("a\xe8\x83"));  // 能 cut after two of its three bytes
  EXPECT_FALSE(IsUtf8("\x80"));
  EXPECT_FALSE(
      IsUtf8("\xe8"
             "a"
             "\xbd"));
}

TEST(Utf8, ReplacesEachBadByteAndKeepsTheRest) {
  EXPECT_EQ(ToValidUtf8("能耗"), "能耗");
  EXPECT_EQ(ToValidUtf8("a\xff"
                        "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(ToValidUtf8("\xe8\x83"
                        "能"),
            "\xEF\xBF\xBD\xEF\xBF\xBD能");
  EXPECT_TRUE(IsUtf8(ToValidUtf8("\xff\xfe\xc3")));
}

TEST(Trim, RemovesAsciiAndIdeographicSpaceAtBothEnds) {
  EXPECT_EQ(Trim("  能耗 \t\n"), "能耗");
  EXPECT_EQ(Trim("\xE3\x80\x80 国家标准\xE3\x80\x80"), "国家标准");
  EXPECT_EQ(Trim("a b"), "a b");
  EXPECT_EQ(Trim(" \xE3\x80\x80 "), "");
}

}  // namespace
}  // namespace kiln::core
