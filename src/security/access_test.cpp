#include "security/access.hpp"

#include <gtest/gtest.h>

#include "security/user_admin.hpp"

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

Principal Department(const char* role, const char* region, const char* department) {
  Principal p = Official(role, region);
  p.department = department;
  return p;
}

constexpr auto kNotFound = core::StatusCode::kNotFound;
constexpr auto kDenied = core::StatusCode::kPermissionDenied;

TEST(Authorize, InsideJurisdictionIsAllowed) {
  EXPECT_TRUE(Authorize(Official("province", "370000"), Action::kEnterpriseRead, {"370102", 1}).ok());
  EXPECT_TRUE(Authorize(Official("city", "370100"), Action::kEnterpriseWrite, {"370102", 1}).ok());
  EXPECT_TRUE(Authorize(Official("county", "370102"), Action::kEnterpriseRead, {"370102", 1}).ok());
}

TEST(Authorize, OutsideJurisdictionLooksNotFound) {
  EXPECT_EQ(Authorize(Official("city", "370200"), Action::kEnterpriseRead, {"370102", 1}).code(), kNotFound);
  EXPECT_EQ(Authorize(Official("county", "370103"), Action::kEnterpriseRead, {"370102", 1}).code(), kNotFound);
}

TEST(Authorize, OutOfScopeIsNotFoundEvenWithoutThePermission) {
  // A county-bound department user without grants: its county's records are 403, others' 404.
  Principal dept = Department("dept_user", "370102", "ecology");
  EXPECT_EQ(Authorize(dept, Action::kEnterpriseRead, {"370102", 1}).code(), kDenied);
  EXPECT_EQ(Authorize(dept, Action::kEnterpriseRead, {"370203", 2}).code(), kNotFound);
  // Operators have no jurisdiction: every record is out of scope.
  EXPECT_EQ(Authorize(Official("operator", ""), Action::kEnterpriseRead, {"370102", 1}).code(), kNotFound);
  EXPECT_EQ(Authorize(Official("city", "370100"), Action::kReferenceEdit, {}).code(), kDenied);
}

TEST(Authorize, GrantsAddPermissionsButNotScope) {
  Principal dept = Department("dept_user", "370000", "ecology");
  EXPECT_EQ(Authorize(dept, Action::kEnterpriseRead, {"370102", 1}).code(), kDenied);
  dept.permissions.insert(std::string(kEnterpriseRead));
  EXPECT_TRUE(Authorize(dept, Action::kEnterpriseRead, {"370102", 1}).ok());
  EXPECT_EQ(Authorize(dept, Action::kEnterpriseWrite, {"370102", 1}).code(), kDenied);
  EXPECT_EQ(Authorize(dept, Action::kPointRead, {"370102", 1}).code(), kDenied) << "point.read is its own grant";
}

TEST(Authorize, EnterpriseUsersSeeOnlyTheirOwn) {
  Principal e = Official("enterprise", "");
  e.enterprise_id = 7;
  EXPECT_TRUE(Authorize(e, Action::kEnterpriseRead, {"370102", 7}).ok());
  EXPECT_EQ(Authorize(e, Action::kEnterpriseRead, {"370102", 8}).code(), kNotFound);
  EXPECT_EQ(Authorize(e, Action::kRegistrySupervise, {"370102", 7}).code(), kDenied);
  EXPECT_EQ(Authorize(e, Action::kReportReview, {"370102", 7}).code(), kDenied);
  EXPECT_TRUE(Authorize(e, Action::kReportFill, {"370102", 7}).ok());
  EXPECT_EQ(Authorize(Official("county", "370102"), Action::kReportFill, {"370102", 7}).code(), kDenied);
  auto scope = ScopeFor(e, Action::kProjectRead);
  ASSERT_TRUE(scope.ok());
  EXPECT_EQ(scope->enterprise_id, 7);
  EXPECT_EQ(ScopeFor(e, Action::kUploadRead).status().code(), kDenied);
}

TEST(Authorize, DepartmentsActForTheirOwnDepartment) {
  Principal power = Department("dept_admin", "370000", "power");
  EXPECT_TRUE(Authorize(power, Action::kUploadDeliver, {"370000", std::nullopt, "power"}).ok());
  EXPECT_EQ(Authorize(power, Action::kUploadDeliver, {"370000", std::nullopt, "tax"}).code(), kNotFound);
  EXPECT_EQ(Authorize(power, Action::kTaskEdit, {"", std::nullopt, "tax"}).code(), kNotFound);
  EXPECT_TRUE(Authorize(power, Action::kDepartmentKeyManage, {"370000", std::nullopt, "power"}).ok());
  // The province edits any department's tasks and keys but delivers no department's data.
  Principal province = Official("province", "370000");
  EXPECT_TRUE(Authorize(province, Action::kTaskEdit, {"", std::nullopt, "tax"}).ok());
  EXPECT_TRUE(Authorize(province, Action::kDepartmentKeyManage, {"370000", std::nullopt, "tax"}).ok());
  EXPECT_EQ(Authorize(province, Action::kUploadDeliver, {"370000", std::nullopt, "tax"}).code(), kNotFound);
  EXPECT_EQ(Authorize(Official("city", "370100"), Action::kTaskEdit, {"", std::nullopt, "tax"}).code(), kDenied);
  auto scope = ScopeFor(power, Action::kUploadRead);
  ASSERT_TRUE(scope.ok());
  EXPECT_EQ(scope->department, "power");
}

TEST(Authorize, ReviewLevelFollowsTheRole) {
  EXPECT_EQ(ReviewLevel(Official("county", "370102")), "county");
  EXPECT_EQ(ReviewLevel(Official("province", "370000")), "province");
  EXPECT_EQ(ReviewLevel(Department("dept_admin", "370000", "power")), "");
  EXPECT_EQ(ReviewLevel(Official("enterprise", "")), "");
}

TEST(Scope, RegionFilterNarrowsButNeverWidens) {
  auto scope = ScopeFor(Official("city", "370100"), Action::kEnterpriseRead);
  ASSERT_TRUE(scope.ok());
  EXPECT_EQ(scope->region_prefix, "3701");
  EXPECT_EQ(NarrowToRegion(*scope, "370102")->region_prefix, "370102");
  EXPECT_EQ(NarrowToRegion(*scope, "370000")->region_prefix, "3701");
  EXPECT_FALSE(NarrowToRegion(*scope, "370200").has_value());
  EXPECT_FALSE(NarrowToRegion(*scope, "junk").has_value());
}

TEST(UserRules, ManagersAdministerOnlyLowerLevelsInTheirSubtree) {
  Principal county = Official("county", "370102");
  county.user_id = 1;
  EXPECT_TRUE(AuthorizeUserAdmin(county, {2, "enterprise", "370102", ""}).ok());
  EXPECT_EQ(AuthorizeUserAdmin(county, {2, "enterprise", "370103", ""}).code(), kNotFound);
  EXPECT_EQ(AuthorizeUserAdmin(county, {3, "county", "370102", ""}).code(), kNotFound) << "no peer resets";
  EXPECT_EQ(AuthorizeUserCreation(county, {0, "dept_admin", "370102", "ecology"}).code(), kDenied);
  EXPECT_EQ(AuthorizeUserCreation(county, {0, "county", "370102", ""}).code(), kDenied);
  Principal city = Official("city", "370100");
  EXPECT_TRUE(AuthorizeUserAdmin(city, {4, "county", "370102", ""}).ok());
  EXPECT_EQ(AuthorizeUserAdmin(city, {4, "city", "370100", ""}).code(), kNotFound);
  EXPECT_EQ(AuthorizeUserAdmin(city, {4, "dept_user", "370100", "ecology"}).code(), kNotFound);
  Principal province = Official("province", "370000");
  EXPECT_TRUE(AuthorizeUserCreation(province, {0, "dept_admin", "370000", "ecology"}).ok());
  EXPECT_EQ(AuthorizeUserAdmin(province, {5, "operator", "", ""}).code(), kNotFound);
  EXPECT_EQ(AuthorizeUserAdmin(province, {5, "province", "370000", ""}).code(), kNotFound);
}

TEST(UserRules, DepartmentAdministratorsStayInTheirDepartmentAndRegion) {
  Principal admin = Department("dept_admin", "370102", "ecology");
  EXPECT_TRUE(AuthorizeUserCreation(admin, {0, "dept_user", "370102", "ecology"}).ok());
  // A department user without a region covers the province: outside a county-bound administrator.
  EXPECT_EQ(AuthorizeUserCreation(admin, {0, "dept_user", "370000", "ecology"}).code(), kDenied);
  EXPECT_EQ(AuthorizeUserCreation(admin, {0, "dept_user", "370102", "power"}).code(), kDenied);
  EXPECT_EQ(AuthorizeUserCreation(admin, {0, "dept_admin", "370102", "ecology"}).code(), kDenied);
  EXPECT_EQ(AuthorizeUserAdmin(admin, {9, "dept_user", "370102", "power"}).code(), kNotFound);
  EXPECT_EQ(AuthorizeUserAdmin(Official("enterprise", ""), {9, "enterprise", "370102", ""}).code(), kDenied);
}

}  // namespace
}  // namespace kiln::security
