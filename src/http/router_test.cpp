#include "http/router.hpp"

#include <gtest/gtest.h>

namespace kiln::http {
namespace {

TEST(Router, MatchesCapturesAndReportsAllowedMethods) {
  Router router;
  router.Add("GET", "/api/v1/enterprises/{id}", Access::kPublic, BodyKind::kJson, [](Request& r) {
    return Response{200, "text/plain", r.path_params["id"]};
  });
  router.Add("PATCH", "/api/v1/enterprises/{id}", Access::kPublic, BodyKind::kJson,
             [](Request&) { return Response{}; });
  router.Add("GET", "/api/v1/enterprises/{id}/points", Access::kPublic, BodyKind::kJson,
             [](Request&) { return Response{}; });

  Request get{.method = "GET", .path = "/api/v1/enterprises/42"};
  auto m = router.Find(get);
  ASSERT_TRUE(m.handler);
  EXPECT_EQ((*m.handler)(get).body, "42");
  EXPECT_EQ(m.pattern, "/api/v1/enterprises/{id}");

  Request del{.method = "DELETE", .path = "/api/v1/enterprises/42"};
  m = router.Find(del);
  EXPECT_FALSE(m.handler);
  EXPECT_EQ(m.allow, "GET, PATCH");

  Request none{.method = "GET", .path = "/api/v1/nothing"};
  m = router.Find(none);
  EXPECT_FALSE(m.handler);
  EXPECT_TRUE(m.allow.empty());

  Request empty_segment{.method = "GET", .path = "/api/v1/enterprises/"};
  EXPECT_FALSE(router.Find(empty_segment).handler);
}

}  // namespace
}  // namespace kiln::http
