#include "core/review_chain.hpp"

#include <gtest/gtest.h>

namespace kiln::core {
namespace {

TEST(ReviewChain, ReportsGoCountyCityProvinceAndReturnToTheEnterprise) {
  const auto& chain = ReportReviewChain();
  EXPECT_EQ(chain.Awaiting("submitted"), "county");
  EXPECT_EQ(chain.Awaiting("county_approved"), "city");
  EXPECT_EQ(chain.Awaiting("city_approved"), "province");
  EXPECT_EQ(chain.Awaiting("approved"), "");
  EXPECT_EQ(chain.Awaiting("returned"), "enterprise");
  EXPECT_EQ(chain.Awaiting("draft"), "");
  EXPECT_EQ(chain.AfterApproval("submitted", "county"), "county_approved");
  EXPECT_EQ(chain.AfterApproval("city_approved", "province"), "approved");
  EXPECT_EQ(chain.AfterApproval("submitted", "city"), std::nullopt) << "a level may not skip the one before it";
  EXPECT_EQ(chain.AfterApproval("returned", "enterprise"), std::nullopt);
  EXPECT_EQ(chain.AfterApproval("approved", "province"), std::nullopt);
}

TEST(ReviewChain, AShortChainFiledByACountyStartsAtTheCity) {
  ReviewChain chain{.filer = "county", .levels = {"city", "province"}};
  EXPECT_EQ(chain.Awaiting("submitted"), "city");
  EXPECT_EQ(chain.AfterApproval("submitted", "city"), "city_approved");
  EXPECT_EQ(chain.Awaiting("city_approved"), "province");
  EXPECT_EQ(chain.Awaiting("returned"), "county");
  EXPECT_EQ(chain.AfterApproval("submitted", "county"), std::nullopt);
  ReviewChain province_only{.filer = "county", .levels = {"province"}};
  EXPECT_EQ(province_only.AfterApproval("submitted", "province"), "approved");
}

TEST(ReviewChain, LevelsParseInOrderAndNameWhatIsWrong) {
  EXPECT_EQ(*ParseReviewLevels("county,city,province"), (std::vector<std::string>{"county", "city", "province"}));
  EXPECT_EQ(*ParseReviewLevels(" city , province"), (std::vector<std::string>{"city", "province"}));
  auto bad = ParseReviewLevels("county,town");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("'town'"), std::string::npos) << bad.status().message();
  EXPECT_FALSE(ParseReviewLevels("province,city").ok());
  EXPECT_FALSE(ParseReviewLevels("city,city").ok());
  EXPECT_FALSE(ParseReviewLevels("").ok());
  EXPECT_EQ(JoinReviewLevels({"city", "province"}), "city,province");
}

TEST(ReviewChain, FlowsHaveChineseTitles) {
  EXPECT_EQ(ReviewFlowTitle("list_exit"), "移出清单");
  EXPECT_EQ(ReviewFlowTitle("info_change"), "信息变更");
  EXPECT_EQ(ReviewFlowTitle("something_new"), "something_new");
}

}  // namespace
}  // namespace kiln::core
