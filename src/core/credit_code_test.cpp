#include "core/credit_code.hpp"

#include <gtest/gtest.h>

namespace kiln::core {
namespace {

TEST(CreditCode, AcceptsPublishedValidCodes) {
  EXPECT_TRUE(IsValidCreditCode("91110000600037341L"));
  EXPECT_TRUE(IsValidCreditCode("91110108551385082Q"));
}

TEST(CreditCode, NamesTheExpectedCheckCharacter) {
  EXPECT_EQ(CreditCodeError("91110000600037342L"), "check character should be P");
  EXPECT_EQ(CreditCodeError("91110000600037341X"), "check character should be L");
}

TEST(CreditCode, RejectsWrongLengthAndAlphabet) {
  EXPECT_EQ(CreditCodeError("9111"), "must be 18 characters, got 4");
  EXPECT_TRUE(CreditCodeError("91110000600037341I")->find("not allowed") != std::string::npos);
  EXPECT_TRUE(CreditCodeError("9111000060003734lL")->find("character 17") != std::string::npos);
  EXPECT_EQ(CreditCodeError("91A10000600037341L"), "positions 3-8 must be a 6-digit region code");
}

TEST(CreditCode, OrganizationCodeCheckFollowsGb11714) {
  // 60003734-1 is the organization code inside 91110000600037341L.
  EXPECT_EQ(OrganizationCodeCheckCharacter("60003734"), '1');
  EXPECT_EQ(OrganizationCodeCheckCharacter("55138508"), '2');
}

TEST(CreditCode, MadeCodesAreValid) {
  auto code = MakeCreditCode("91", "370102", "MA3C4X7B");
  EXPECT_EQ(code.size(), 18u);
  EXPECT_EQ(code.substr(0, 8), "91370102");
  EXPECT_TRUE(IsValidCreditCode(code)) << code;
}

}  // namespace
}  // namespace kiln::core
