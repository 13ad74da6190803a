#include "app/config.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace kiln::app {
namespace {

std::string WriteTemp(const std::string& text) {
  auto path = std::filesystem::temp_directory_path() / ("kiln_config_" + std::to_string(::getpid()) + ".toml");
  std::ofstream(path) << text;
  return path.string();
}

TEST(Config, PrintedDefaultsParseBackToDefaults) {
  Config c = DefaultConfig();
  auto status = ApplyConfigFile(WriteTemp(DefaultConfigText()), c);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(c.server.listen, "127.0.0.1:8080");
  EXPECT_EQ(c.security.pbkdf2_iterations, 120000);
}

TEST(Config, ValuesApply) {
  Config c = DefaultConfig();
  auto status = ApplyConfigFile(WriteTemp("[server]\nthreads = 3\n[security]\nlockout_threshold = 7\n"), c);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(c.server.threads, 3);
  EXPECT_EQ(c.security.lockout_threshold, 7);
}

TEST(Config, UnknownKeysAndSectionsAreErrors) {
  Config c = DefaultConfig();
  auto status = ApplyConfigFile(WriteTemp("[server]\nthread = 3\n"), c);
  EXPECT_EQ(status.code(), core::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("unknown key server.thread"), std::string::npos) << status.message();
  status = ApplyConfigFile(WriteTemp("[serve]\nthreads = 3\n"), c);
  EXPECT_NE(status.message().find("unknown section [serve]"), std::string::npos) << status.message();
}

TEST(Config, WrongTypesAndSyntaxAreNamed) {
  Config c = DefaultConfig();
  auto status = ApplyConfigFile(WriteTemp("[server]\nthreads = \"four\"\n"), c);
  EXPECT_NE(status.message().find("server.threads must be a non-negative integer"), std::string::npos);
  status = ApplyConfigFile(WriteTemp("[server\n"), c);
  EXPECT_EQ(status.code(), core::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find(":1:"), std::string::npos) << status.message();
}

TEST(Config, ElectricityConventionIsASetting) {
  Config c = DefaultConfig();
  EXPECT_EQ(c.accounting.convention, core::ElectricityConvention::kEquivalent);
  auto status = ApplyConfigFile(WriteTemp("[accounting]\nelectricity_convention = \"equal\"\n"), c);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(c.accounting.convention, core::ElectricityConvention::kEqual);
  status = ApplyConfigFile(WriteTemp("[accounting]\nelectricity_convention = \"coal\"\n"), c);
  EXPECT_NE(status.message().find("accounting.electricity_convention must be \"equivalent\" or \"equal\""),
            std::string::npos)
      << status.message();
}

TEST(Config, DualControlExclusionsDefaultOnAndAreSettings) {
  Config c = DefaultConfig();
  EXPECT_TRUE(c.accounting.exclusions.feedstock);
  EXPECT_TRUE(c.accounting.exclusions.renewable);
  auto status = ApplyConfigFile(WriteTemp("[accounting]\nexclude_feedstock = false\n"), c);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_FALSE(c.accounting.exclusions.feedstock);
  EXPECT_TRUE(c.accounting.exclusions.renewable);
  status = ApplyConfigFile(WriteTemp("[accounting]\nexclude_renewable = \"no\"\n"), c);
  EXPECT_NE(status.message().find("accounting.exclude_renewable must be"), std::string::npos) << status.message();
}

TEST(Config, TrustedProxiesAndMonitoringListsParse) {
  Config c = DefaultConfig();
  EXPECT_TRUE(c.monitoring_allow.Contains("127.0.0.1"));
  EXPECT_FALSE(c.server.trusted_proxies.Contains("127.0.0.1"));
  auto status = ApplyConfigFile(
      WriteTemp("[server]\ntrusted_proxies = [\"10.0.0.0/8\", \"::1\"]\nmonitoring_allow = [\"192.168.1.0/24\"]\n"), c);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_TRUE(c.server.trusted_proxies.Contains("10.1.2.3"));
  EXPECT_FALSE(c.server.trusted_proxies.Contains("11.1.2.3"));
  EXPECT_TRUE(c.monitoring_allow.Contains("192.168.1.9"));
  EXPECT_FALSE(c.monitoring_allow.Contains("127.0.0.1"));
  status = ApplyConfigFile(WriteTemp("[server]\ntrusted_proxies = [\"10.0.0.0/33\"]\n"), c);
  EXPECT_NE(status.message().find("prefix length"), std::string::npos) << status.message();
}

}  // namespace
}  // namespace kiln::app
