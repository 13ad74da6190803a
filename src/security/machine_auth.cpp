#include "security/machine_auth.hpp"

#include <fmt/format.h>
#include <map>

#include "security/crypto.hpp"

namespace kiln::security {
namespace {

core::Status Refuse(const char* reason, std::string message) {
  return core::Status::Unauthenticated(std::move(message)).WithReason(reason);
}

bool IsHex(const std::string& s) {
  for (char c : s) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return !s.empty();
}

}  // namespace

std::string CanonicalRequest(const std::string& method, const std::string& path, const std::string& timestamp,
                             const std::string& nonce, const std::string& body) {
  return method + "\n" + path + "\n" + timestamp + "\n" + nonce + "\n" + Sm3Hex(body);
}

std::string SignRequest(const std::string& key_id, const std::string& secret, const std::string& method,
                        const std::string& path, std::int64_t unix_seconds, const std::string& nonce,
                        const std::string& body) {
  std::string ts = std::to_string(unix_seconds);
  return fmt::format("KILN-HMAC-SM3 Credential={}, Timestamp={}, Nonce={}, Signature={}", key_id, ts, nonce,
                     HmacSm3Hex(secret, CanonicalRequest(method, path, ts, nonce, body)));
}

core::Result<IssuedKey> MachineAuth::Issue(std::int64_t enterprise_id, const std::string& issued_by) {
  IssuedKey key{"AK" + RandomHex(10), RandomHex(32), enterprise_id};
  KILN_RETURN_IF_ERROR(
      store_.CreateMachineKey({key.key_id, enterprise_id, key.secret, clock_.Now(), issued_by, false}));
  return key;
}

core::Result<IssuedKey> MachineAuth::IssueForDepartment(const std::string& department, const std::string& region,
                                                        const std::string& issued_by) {
  IssuedKey key{"DK" + RandomHex(10), RandomHex(32), 0};
  KILN_RETURN_IF_ERROR(
      store_.CreateDepartmentKey({key.key_id, department, region, key.secret, clock_.Now(), issued_by, false}));
  return key;
}

core::Result<MachineCredential> MachineAuth::Check(const std::string& method, const std::string& path,
                                                   const std::string& authorization, const std::string& body,
                                                   bool store_nonce) {
  constexpr std::string_view kScheme = "KILN-HMAC-SM3 ";
  if (authorization.empty()) return Refuse("missing_signature", "Authorization: KILN-HMAC-SM3 … header required");
  if (!authorization.starts_with(kScheme)) {
    return Refuse("bad_authorization", "Authorization scheme must be KILN-HMAC-SM3");
  }
  std::map<std::string, std::string> fields;
  std::string_view rest = std::string_view(authorization).substr(kScheme.size());
  while (!rest.empty()) {
    auto comma = rest.find(',');
    std::string_view part = rest.substr(0, comma);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    auto eq = part.find('=');
    if (eq != std::string_view::npos) fields[std::string(part.substr(0, eq))] = std::string(part.substr(eq + 1));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  for (const char* name : {"Credential", "Timestamp", "Nonce", "Signature"}) {
    if (!fields.contains(name) || fields[name].empty()) {
      return Refuse("bad_authorization", fmt::format("Authorization lacks {}=", name));
    }
  }
  const auto& nonce = fields["Nonce"];
  if (nonce.size() < 16 || nonce.size() > 64 || !IsHex(nonce)) {
    return Refuse("bad_authorization", "Nonce must be 16-64 hex characters");
  }
  char* end = nullptr;
  long long ts = std::strtoll(fields["Timestamp"].c_str(), &end, 10);
  if (*end != '\0') return Refuse("bad_authorization", "Timestamp must be Unix seconds");
  std::int64_t now_s = clock_.Now() / 1000;
  if (ts < now_s - kMaxSkewSeconds || ts > now_s + kMaxSkewSeconds) {
    return Refuse("stale_timestamp", fmt::format("Timestamp {} is {} s from the server's clock; at most {} s allowed",
                                                 ts, ts - now_s, kMaxSkewSeconds));
  }
  MachineCredential credential{.key_id = fields["Credential"]};
  std::string secret;
  bool revoked = true;
  if (credential.key_id.starts_with("DK")) {
    auto key = store_.FindDepartmentKey(credential.key_id);
    if (!key.ok()) return key.status();
    if (*key) {
      secret = (*key)->secret;
      revoked = (*key)->revoked;
      credential.department = (*key)->department;
      credential.region = (*key)->region;
    }
  } else {
    auto key = store_.FindMachineKey(credential.key_id);
    if (!key.ok()) return key.status();
    if (*key) {
      secret = (*key)->secret;
      revoked = (*key)->revoked;
      credential.enterprise_id = (*key)->enterprise_id;
    }
  }
  if (revoked) return Refuse("unknown_key", "unknown or revoked credential");
  std::string expected = HmacSm3Hex(secret, CanonicalRequest(method, path, fields["Timestamp"], nonce, body));
  if (!ConstantTimeEquals(expected, fields["Signature"])) {
    return Refuse("bad_signature", "signature does not match the request");
  }
  if (!Claim(credential.key_id, nonce)) return Refuse("nonce_reused", "nonce already used by this key");
  if (store_nonce) {
    auto remembered = store_.RememberNonce(credential.key_id, nonce, clock_.Now());
    if (remembered.code() == core::StatusCode::kConflict)
      return Refuse("nonce_reused", "nonce already used by this key");
    KILN_RETURN_IF_ERROR(remembered);
  } else {
    auto seen = store_.NonceSeen(credential.key_id, nonce);
    if (!seen.ok()) return seen.status();
    if (*seen) return Refuse("nonce_reused", "nonce already used by this key");
    credential.nonce = nonce;
  }
  return credential;
}

core::Result<MachineCredential> MachineAuth::Verify(const std::string& method, const std::string& path,
                                                    const std::string& authorization, const std::string& body) {
  return Check(method, path, authorization, body, true);
}

core::Result<MachineCredential> MachineAuth::VerifyKeepingNonce(const std::string& method, const std::string& path,
                                                                const std::string& authorization,
                                                                const std::string& body) {
  return Check(method, path, authorization, body, false);
}

bool MachineAuth::Claim(const std::string& key_id, const std::string& nonce) {
  auto now = clock_.Now();
  const std::int64_t keep_ms = 2 * kMaxSkewSeconds * 1000;  // a nonce older than this has a stale timestamp anyway
  std::lock_guard lock(nonces_mutex_);
  if (now - nonces_pruned_ > keep_ms / 10) {
    std::erase_if(nonces_, [&](const auto& entry) { return entry.second < now - keep_ms; });
    nonces_pruned_ = now;
  }
  return nonces_.try_emplace(key_id + ' ' + nonce, now).second;
}

}  // namespace kiln::security
