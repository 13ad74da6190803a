#include "security/crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

namespace kiln::security {

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

std::string Sm3Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  // Failure here means OpenSSL lacks SM3, a broken installation: a bug, not an expected error.
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sm3(), nullptr) != 1) {
    throw std::runtime_error("OpenSSL SM3 digest failed");
  }
  return HexEncode({reinterpret_cast<char*>(digest), length});
}

std::string HmacSm3Hex(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!HMAC(EVP_sm3(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
            data.size(), mac, &length)) {
    throw std::runtime_error("OpenSSL HMAC-SM3 failed");
  }
  return HexEncode({reinterpret_cast<char*>(mac), length});
}

std::string Pbkdf2Sm3Hex(std::string_view password, std::string_view salt, std::int64_t iterations) {
  unsigned char key[32];
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()),
                        static_cast<int>(iterations), EVP_sm3(), sizeof key, key) != 1) {
    throw std::runtime_error("OpenSSL PBKDF2-HMAC-SM3 failed");
  }
  return HexEncode({reinterpret_cast<char*>(key), sizeof key});
}

std::string RandomHex(std::size_t bytes) {
  std::vector<unsigned char> buffer(bytes);
  if (RAND_bytes(buffer.data(), static_cast<int>(bytes)) != 1) throw std::runtime_error("OpenSSL RAND_bytes failed");
  return HexEncode({reinterpret_cast<char*>(buffer.data()), bytes});
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace kiln::security
