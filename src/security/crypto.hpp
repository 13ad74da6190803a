#pragma once
// China's national algorithms through OpenSSL 3: SM3 hashing, HMAC-SM3,
// PBKDF2-HMAC-SM3 password hashing, and secure random tokens.

#include <cstdint>
#include <string>
#include <string_view>

namespace kiln::security {

std::string HexEncode(std::string_view bytes);
// SM3 digest of `data` as 64 lowercase hex characters.
std::string Sm3Hex(std::string_view data);
// HMAC-SM3(key, data) as lowercase hex.
std::string HmacSm3Hex(std::string_view key, std::string_view data);
// PBKDF2 with HMAC-SM3, 32-byte output, as lowercase hex.
std::string Pbkdf2Sm3Hex(std::string_view password, std::string_view salt, std::int64_t iterations);
// `bytes` bytes from OpenSSL's CSPRNG as lowercase hex.
std::string RandomHex(std::size_t bytes);
// Compares without an early exit, so timing does not reveal a prefix match.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace kiln::security
