#include "core/json_input.hpp"

#include <gtest/gtest.h>

namespace kiln::core {
namespace {

TEST(JsonInput, AcceptsDocumentsWithinTheLimits) {
  auto j = ParseJsonInput(R"({"a":[1,{"b":"[[[["}]})", {.max_bytes = 100, .max_depth = 3});
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  EXPECT_EQ((*j)["a"][1]["b"], "[[[[");
}

TEST(JsonInput, RefusesDeepNestingBeforeParsing) {
  std::string deep(200'000, '[');
  auto j = ParseJsonInput(deep, {.max_bytes = 1'000'000, .max_depth = 32});
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(j.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(j.status().message().find("deeper than 32"), std::string::npos);
  EXPECT_EQ(JsonDepthWithin("[[]]", 2), 2);
  EXPECT_EQ(JsonDepthWithin("[[[]]]", 2), -3);
  EXPECT_EQ(JsonDepthWithin(R"(["\"[[[["])", 1), 1);
}

TEST(JsonInput, RefusesOversizedAndMalformedBodies) {
  auto big = ParseJsonInput(std::string(2000, ' '), {.max_bytes = 1000});
  EXPECT_EQ(big.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(big.status().reason(), "payload_too_large");
  auto broken = ParseJsonInput(R"({"a":)");
  EXPECT_EQ(broken.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(broken.status().details().at(0).field, "body");
  EXPECT_FALSE(ParseJsonInput("").ok());
  EXPECT_FALSE(ParseJsonInput("1e99999").ok());
}

}  // namespace
}  // namespace kiln::core
