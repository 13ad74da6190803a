#pragma once

#include <mutex>
#include <unordered_map>
// Signed requests from an enterprise's access-end (gateway). The scheme, a
// stable interface that other clients implement:
//
//   Authorization: KILN-HMAC-SM3 Credential=<key_id>, Timestamp=<unix seconds>,
//                  Nonce=<16+ hex chars>, Signature=<hex>
//   Signature = hex(HMAC-SM3(secret, METHOD "\n" PATH "\n" Timestamp "\n"
//                                    Nonce "\n" hex(SM3(body))))
//
// PATH excludes the query string; `secret` is the key's secret as issued (its
// hex text is the HMAC key). A timestamp more than 5 minutes off answers
// 401 "stale_timestamp"; a nonce the key already used, 401 "nonce_reused".

#include <cstdint>
#include <string>

#include "core/china_time.hpp"
#include "core/status.hpp"
#include "storage/store.hpp"

namespace kiln::security {

// An enterprise's access-end key, or a department's key (enterprise_id 0,
// department and region set) for pushing department records.
struct MachineCredential {
  std::string key_id;
  std::int64_t enterprise_id = 0;
  std::string department, region;
  bool IsDepartment() const { return !department.empty(); }
  // Set by VerifyKeepingNonce: the caller stores it with what the request writes.
  std::string nonce;
};

struct IssuedKey {
  std::string key_id;
  std::string secret;  // shown once
  std::int64_t enterprise_id = 0;
};

// The string a client signs.
std::string CanonicalRequest(const std::string& method, const std::string& path, const std::string& timestamp,
                             const std::string& nonce, const std::string& body);
// The Authorization header value for a request, for clients and tests.
std::string SignRequest(const std::string& key_id, const std::string& secret, const std::string& method,
                        const std::string& path, std::int64_t unix_seconds, const std::string& nonce,
                        const std::string& body);

class MachineAuth {
 public:
  static constexpr std::int64_t kMaxSkewSeconds = 300;

  MachineAuth(storage::Store& store, const core::Clock& clock) : store_(store), clock_(clock) {}

  core::Result<IssuedKey> Issue(std::int64_t enterprise_id, const std::string& issued_by);
  // A department's key, good for its records within `region` (key ids start "DK").
  core::Result<IssuedKey> IssueForDepartment(const std::string& department, const std::string& region,
                                             const std::string& issued_by);
  // Verifies the header and signature and consumes the nonce.
  core::Result<MachineCredential> Verify(const std::string& method, const std::string& path,
                                         const std::string& authorization, const std::string& body);
  // The same, but leaves storing the nonce to the caller's own write
  // transaction (meter batches: one commit per batch, not two). This process
  // refuses its reuse at once; a restarted one finds it stored.
  core::Result<MachineCredential> VerifyKeepingNonce(const std::string& method, const std::string& path,
                                                     const std::string& authorization, const std::string& body);

 private:
  core::Result<MachineCredential> Check(const std::string& method, const std::string& path,
                                        const std::string& authorization, const std::string& body, bool store_nonce);
  // Claims a nonce in memory; false when this process has seen it in the last 2 x kMaxSkewSeconds.
  bool Claim(const std::string& key_id, const std::string& nonce);

  storage::Store& store_;
  const core::Clock& clock_;
  std::mutex nonces_mutex_;
  std::unordered_map<std::string, core::UnixMillis> nonces_;  // GUARDED_BY(nonces_mutex_); key_id + ' ' + nonce
  core::UnixMillis nonces_pruned_ = 0;  // GUARDED_BY(nonces_mutex_)
};

}  // namespace kiln::security
