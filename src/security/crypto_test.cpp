#include "security/crypto.hpp"

#include <gtest/gtest.h>

#include "security/identity.hpp"

namespace kiln::security {
namespace {

TEST(Crypto, Sm3MatchesStandardVector) {
  // GB/T 32905-2016 example 1.
  EXPECT_EQ(Sm3Hex("abc"), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
}

TEST(Crypto, Pbkdf2Sm3IsDeterministicAndSaltSensitive) {
  auto a = Pbkdf2Sm3Hex("Secret#2026", "salt-one", 1000);
  EXPECT_EQ(a.size(), 64u);
  EXPECT_EQ(a, Pbkdf2Sm3Hex("Secret#2026", "salt-one", 1000));
  EXPECT_NE(a, Pbkdf2Sm3Hex("Secret#2026", "salt-two", 1000));
  EXPECT_NE(a, Pbkdf2Sm3Hex("Secret#2026", "salt-one", 1001));
}

TEST(Crypto, Pbkdf2OneIterationIsHmac) {
  // PBKDF2 with c=1 and one block is HMAC(P, S || INT(1)).
  std::string salt = "NaCl";
  std::string block = salt + std::string("\0\0\0\1", 4);
  EXPECT_EQ(Pbkdf2Sm3Hex("password", salt, 1), HmacSm3Hex("password", block));
}

TEST(Crypto, RandomTokensDiffer) {
  auto a = RandomHex(32), b = RandomHex(32);
  EXPECT_EQ(a.size(), 64u);
  EXPECT_NE(a, b);
}

TEST(PasswordPolicy, NeedsLengthAndThreeClasses) {
  EXPECT_EQ(PasswordPolicyError("Ab1!"), "must be at least 8 characters");
  EXPECT_TRUE(PasswordPolicyError("abcdefgh1").has_value());
  EXPECT_FALSE(PasswordPolicyError("abcdefG1").has_value());
  EXPECT_FALSE(PasswordPolicyError("abcdef1!").has_value());
}

}  // namespace
}  // namespace kiln::security
