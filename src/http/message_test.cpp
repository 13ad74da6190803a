#include "http/message.hpp"

#include <gtest/gtest.h>

namespace kiln::http {
namespace {

TEST(Message, ErrorBodyHasOneShape) {
  auto r =
      ErrorResponse(core::Status::InvalidArgument("invalid enterprise", {{"uscc", "check character should be L"}}));
  EXPECT_EQ(r.status, 400);
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["error"]["code"], "invalid_argument");
  EXPECT_EQ(body["error"]["details"][0]["field"], "uscc");
  EXPECT_EQ(body["error"]["details"][0]["reason"], "check character should be L");
}

TEST(Message, InternalErrorsDoNotLeakDetails) {
  auto r = ErrorResponse(core::Status::Internal("sqlite: disk I/O error at /var/secret"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("secret"), std::string::npos);
}

TEST(Message, MalformedJsonNamesThePosition) {
  Request req;
  req.body = R"({"name": "x",})";
  auto parsed = ParseJsonBody(req);
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("byte 14"), std::string::npos) << parsed.status().message();
}

TEST(Message, QueryAndCookieParsing) {
  auto q = ParseQuery("q=%E6%B5%8E%E5%8D%97&page=2&flag&name=a+b");
  EXPECT_EQ(q["q"], "济南");
  EXPECT_EQ(q["page"], "2");
  EXPECT_EQ(q["flag"], "");
  EXPECT_EQ(q["name"], "a b");
  EXPECT_EQ(PercentDecode("%zz%4"), "%zz%4");
  Request req;
  req.headers["cookie"] = "a=1; kiln_session=abc; b=2";
  EXPECT_EQ(req.Cookie("kiln_session"), "abc");
  EXPECT_EQ(req.Cookie("missing"), "");
}

}  // namespace
}  // namespace kiln::http
