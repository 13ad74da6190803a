#include "warnings/reconcile.hpp"

#include <map>
#include <set>

#include "warnings/messages.hpp"
#include "warnings/rules.hpp"

namespace kiln::warnings {
namespace {

storage::StoredWarning FromFinding(const Finding& f) {
  storage::StoredWarning w;
  w.condition_key = f.key;
  const auto* info = FindRule(f.rule);
  w.category = info ? std::string(info->category) : "data";
  w.rule = f.rule;
  w.severity = f.severity;
  w.enterprise_id = f.enterprise_id;
  w.point_id = f.point_id;
  w.region = f.region;
  w.industry = f.industry;
  w.from = f.from;
  w.to = f.to;
  w.message = f.message;
  w.evidence = f.evidence.dump();
  return w;
}

}  // namespace

std::vector<storage::WarningChange> Reconcile(const std::vector<storage::StoredWarning>& stored,
                                              const std::vector<Finding>& found) {
  using Kind = storage::WarningChange::Kind;
  std::map<std::string, const storage::StoredWarning*> by_key;
  for (const auto& w : stored) by_key[w.condition_key] = &w;
  std::vector<storage::WarningChange> changes;
  std::set<std::string> seen;
  for (const auto& f : found) {
    if (!seen.insert(f.key).second) continue;  // one condition, one warning
    auto fresh = FromFinding(f);
    auto it = by_key.find(f.key);
    if (it == by_key.end()) {
      changes.push_back({Kind::kOpen, std::move(fresh), ""});
      continue;
    }
    const auto& row = *it->second;
    fresh.id = row.id;
    if (row.status == "closed") {
      if (row.closed_reason != "cleared") continue;
      fresh.status = row.status;
      fresh.closed_reason = row.closed_reason;
      changes.push_back({Kind::kReopen, std::move(fresh), "条件再次出现，重新打开"});
      continue;
    }
    if (row.severity == fresh.severity && row.to == fresh.to && row.message == fresh.message &&
        row.evidence == fresh.evidence && row.region == fresh.region && row.industry == fresh.industry) {
      continue;
    }
    fresh.status = row.status;
    changes.push_back({Kind::kUpdate, std::move(fresh), ""});
  }
  for (const auto& w : stored) {
    if (w.status == "closed" || seen.contains(w.condition_key)) continue;
    changes.push_back({Kind::kClear, w, zh::ClearedNote(w.rule)});
  }
  return changes;
}

}  // namespace kiln::warnings
