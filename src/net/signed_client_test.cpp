#include "net/signed_client.hpp"

#include <gtest/gtest.h>

namespace kiln::net {
namespace {

TEST(ParseHttpUrl, TakesHostPortAndPath) {
  auto u = ParseHttpUrl("http://127.0.0.1:8099/hooks/kiln?x=1");
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, 8099);
  EXPECT_EQ(u->path, "/hooks/kiln?x=1");
  auto plain = ParseHttpUrl("http://sms.example.gov.cn");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->port, 80);
  EXPECT_EQ(plain->path, "/");
}

TEST(ParseHttpUrl, NamesWhatIsWrong) {
  for (const char* bad : {"https://x/", "ftp://x", "http://:80/", "http://x:0/", "http://x:99999/", "http://x:8a/"}) {
    auto u = ParseHttpUrl(bad);
    ASSERT_FALSE(u.ok()) << bad;
    EXPECT_NE(u.status().message().find(bad), std::string::npos) << u.status().message();
  }
}

TEST(SignedClient, AnUnreachableServerIsUnavailableNamingIt) {
  SignedClient client("127.0.0.1", 1, "k", "s", std::chrono::seconds(2));
  auto r = client.Post("/x", "{}");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), core::StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("127.0.0.1:1"), std::string::npos);
}

}  // namespace
}  // namespace kiln::net
