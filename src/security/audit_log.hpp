#pragma once
// The hash-chained audit log: each entry's hash covers the previous hash and
// its own fields, so a changed or deleted entry breaks the chain.
//
// A write that fails is never dropped silently: it is logged and counted
// (kiln_audit_write_failures_total). Actions the law wants a trace of
// (等保 level 3: identity and permission changes, keys, reference data,
// review decisions, exports of enterprise data) call Intend() first and do
// not proceed when it fails; everything else records its outcome after the fact.

#include <atomic>
#include <cstdint>
#include <string>

#include "core/china_time.hpp"
#include "core/status.hpp"
#include "security/access.hpp"
#include "storage/identity_store.hpp"

namespace kiln::security {

struct AuditEvent {
  std::string username, address, action, target, result, detail;
};

class AuditLog {
 public:
  AuditLog(storage::IdentityStore& store, const core::Clock& clock) : store_(store), clock_(clock) {}

  // Appends an entry; a failure is logged, counted and returned.
  core::Status Record(const AuditEvent& event);
  core::Status Record(const std::string& username, const std::string& address, const std::string& action,
                      const std::string& target, const std::string& result, const std::string& detail = {}) {
    return Record(AuditEvent{username, address, action, target, result, detail});
  }
  // Writes the entry of an action about to happen (result "started"). When it
  // fails the caller must not act: kUnavailable with reason "audit_unavailable".
  core::Status Intend(const std::string& username, const std::string& address, const std::string& action,
                      const std::string& target, const std::string& detail = {});

  // Walks the whole log; returns the id of the first entry whose hash does not verify, or 0.
  core::Result<std::int64_t> Verify();
  static std::string EntryHash(const std::string& prev_hash, const storage::AuditEntry& e);

  std::uint64_t write_failures() const { return write_failures_.load(); }

 private:
  storage::IdentityStore& store_;
  const core::Clock& clock_;
  std::atomic<std::uint64_t> write_failures_{0};
};

// Authorize() for a target that exists: a refusal (404 or 403) is also
// written to the audit log as "access.denied", naming the action and `what`.
core::Status AuthorizeAndAudit(AuditLog& audit, const Caller& caller, Action action, const Target& target,
                               const std::string& what);

}  // namespace kiln::security
