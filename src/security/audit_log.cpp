#include "security/audit_log.hpp"

#include <spdlog/spdlog.h>

#include "core/text.hpp"
#include "security/crypto.hpp"

namespace kiln::security {

std::string AuditLog::EntryHash(const std::string& prev_hash, const storage::AuditEntry& e) {
  // Length-prefixed fields so that no two different entries serialise alike.
  std::string material = prev_hash;
  for (const std::string& f : {std::to_string(e.at), e.username, e.address, e.action, e.target, e.result, e.detail}) {
    material += std::to_string(f.size()) + ":" + f + "|";
  }
  return Sm3Hex(material);
}

core::Status AuditLog::Record(const AuditEvent& event) {
  storage::AuditEntry e;
  e.at = clock_.Now();
  e.username = core::ToValidUtf8(event.username);
  e.address = core::ToValidUtf8(event.address);
  e.action = core::ToValidUtf8(event.action);
  e.target = core::ToValidUtf8(event.target);
  e.result = core::ToValidUtf8(event.result);
  e.detail = core::ToValidUtf8(event.detail);
  auto status = store_.AppendAudit(std::move(e), EntryHash);
  if (!status.ok()) {
    ++write_failures_;
    spdlog::error("audit log write failed for {} {} by {} ({}): {}", event.action, event.target, event.username,
                  event.result, status.ToString());
  }
  return status;
}

core::Status AuditLog::Intend(const std::string& username, const std::string& address, const std::string& action,
                              const std::string& target, const std::string& detail) {
  auto status = Record({username, address, action, target, "started", detail});
  if (!status.ok()) {
    return core::Status::Unavailable("the audit log cannot be written, so this action is refused; try again later")
        .WithReason("audit_unavailable");
  }
  return {};
}

core::Status AuthorizeAndAudit(AuditLog& audit, const Caller& caller, Action action, const Target& target,
                               const std::string& what) {
  auto allowed = Authorize(caller.principal, action, target);
  if (!allowed.ok()) {
    (void)audit.Record(caller.principal.username, caller.address, "access.denied", what,
                       core::StatusCodeName(allowed.code()), std::string(ActionName(action)));
  }
  return allowed;
}

core::Result<std::int64_t> AuditLog::Verify() {
  // Newest first in pages; collect then check oldest to newest.
  std::vector<storage::AuditEntry> all;
  std::int64_t before = 0;
  for (;;) {
    auto page = store_.ListAudit({.limit = 1000, .before_id = before});
    if (!page.ok()) return page.status();
    if (page->empty()) break;
    before = page->back().id;
    all.insert(all.end(), page->begin(), page->end());
  }
  std::string prev(64, '0');
  for (auto i = all.size(); i-- > 0;) {
    const auto& entry = all[i];
    if (entry.prev_hash != prev || EntryHash(prev, entry) != entry.hash) return entry.id;
    prev = entry.hash;
  }
  return std::int64_t{0};
}

}  // namespace kiln::security
