#include "security/access.hpp"

#include <gtest/gtest.h>

namespace kiln::security {
namespace {

Principal Official(const char* role, const char* region) {
  Principal p;
  p.username = role;
  p.role = role;
  p.region = region;
  p.permissions = RolePermissions(role);
  return p;
}

TEST(Authorize, InsideJurisdictionIsAllowed) {
  EXPECT_TRUE(Authorize(Official("province", "370000"), kEnterpriseRead, {"370102", 1}).ok());
  EXPECT_TRUE(Authorize(Official("city", "370100"), kEnterpriseWrite, {"370102", 1}).ok());
  EXPECT_TRUE(Authorize(Official("county", "370102"), kEnterpriseRead, {"370102", 1}).ok());
}

TEST(Authorize, OutsideJurisdictionLooksNotFound) {
  auto s = Authorize(Official("city", "370200"), kEnterpriseRead, {"370102", 1});
  EXPECT_EQ(s.code(), core::StatusCode::kNotFound);
  s = Authorize(Official("county", "370103"), kEnterpriseRead, {"370102", 1});
  EXPECT_EQ(s.code(), core::StatusCode::kNotFound);
}

TEST(Authorize, MissingPermissionIsDenied) {
  auto s = Authorize(Official("operator", ""), kEnterpriseRead, {"370102", 1});
  EXPECT_EQ(s.code(), core::StatusCode::kPermissionDenied);
  Principal dept = Official("dept_user", "370000");
  EXPECT_EQ(Authorize(dept, kEnterpriseRead, {"370102", 1}).code(), core::StatusCode::kPermissionDenied);
  dept.permissions.insert(std::string(kEnterpriseRead));
  EXPECT_TRUE(Authorize(dept, kEnterpriseRead, {"370102", 1}).ok());
  EXPECT_EQ(Authorize(dept, kEnterpriseWrite, {"370102", 1}).code(), core::StatusCode::kPermissionDenied);
}

TEST(Authorize, EnterpriseUsersSeeOnlyTheirOwn) {
  Principal e = Official("enterprise", "");
  e.enterprise_id = 7;
  EXPECT_TRUE(Authorize(e, kEnterpriseRead, {"370102", 7}).ok());
  EXPECT_EQ(Authorize(e, kEnterpriseRead, {"370102", 8}).code(), core::StatusCode::kNotFound);
  auto scope = ScopeFor(e, kProjectRead);
  ASSERT_TRUE(scope.ok());
  EXPECT_EQ(scope->enterprise_id, 7);
}

TEST(Scope, RegionFilterNarrowsButNeverWidens) {
  auto scope = ScopeFor(Official("city", "370100"), kEnterpriseRead);
  ASSERT_TRUE(scope.ok());
  EXPECT_EQ(scope->region_prefix, "3701");
  EXPECT_EQ(NarrowToRegion(*scope, "370102")->region_prefix, "370102");
  EXPECT_EQ(NarrowToRegion(*scope, "370000")->region_prefix, "3701");
  EXPECT_FALSE(NarrowToRegion(*scope, "370200").has_value());
  EXPECT_FALSE(NarrowToRegion(*scope, "junk").has_value());
}

}  // namespace
}  // namespace kiln::security
