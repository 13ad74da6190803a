#include "analysis/credit.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "security/access.hpp"

namespace kiln::analysis {

using core::Result;
using core::Status;

Result<std::vector<CreditGroup>> CreditSummary(storage::Store& store, const registry::Caller& caller,
                                               const std::string& group_by, const std::string& region, int year) {
  std::vector<core::FieldError> errors;
  if (group_by != "region" && group_by != "industry") errors.push_back({"group_by", "must be region or industry"});
  if (year < 2000 || year > 2100) errors.push_back({"year", "must be a year 2000–2100"});
  if (!errors.empty()) return Status::InvalidArgument("invalid credit summary", std::move(errors));
  auto scope = security::ScopeFor(caller.principal, security::Action::kDepartmentRecordRead);
  if (!scope.ok()) return scope.status();
  if (scope->enterprise_id) return Status::PermissionDenied("credit statistics are for officials and departments");
  if (!region.empty()) {
    auto narrowed = security::NarrowToRegion(*scope, region);
    if (!narrowed) return std::vector<CreditGroup>{CreditGroup{}};
    scope = *narrowed;
  }
  const std::size_t digits = std::min<std::size_t>(6, scope->region_prefix.size() + 2);
  auto enterprises = store.EnterpriseIdentities(scope->region_prefix);
  if (!enterprises.ok()) return enterprises.status();
  std::map<std::int64_t, std::string> key_of;
  for (const auto& e : *enterprises) {
    key_of[e.id] = group_by == "industry" ? e.industry : e.region.substr(0, std::min(digits, e.region.size()));
  }
  auto records = store.DepartmentRecordsFor({"credit_monthly", "industry_yearly"}, std::nullopt,
                                            fmt::format("{}", year), fmt::format("{}-12", year));
  if (!records.ok()) return records.status();
  std::map<std::string, CreditGroup> groups;
  CreditGroup all;
  // Per enterprise first, so that an enterprise counts once however many months it has.
  struct Seen {
    std::int64_t penalties = 0, falsification = 0, energy_penalties = 0;
    double fines = 0;
    bool dishonest = false;
  };
  std::map<std::int64_t, Seen> seen;
  for (const auto& r : *records) {
    if (!key_of.count(r.enterprise_id) || r.period.substr(0, 4) != fmt::format("{}", year)) continue;
    auto data = nlohmann::json::parse(r.data, nullptr, false);
    if (!data.is_object()) continue;
    auto number = [&](const char* key) {
      return data.contains(key) && data[key].is_number() ? data[key].get<double>() : 0.0;
    };
    auto& s = seen[r.enterprise_id];
    if (r.task_code == "industry_yearly") {
      s.energy_penalties += static_cast<std::int64_t>(number("energy_penalties"));
      continue;
    }
    s.penalties += static_cast<std::int64_t>(number("penalties"));
    s.fines += number("fines");
    s.falsification += static_cast<std::int64_t>(number("falsification"));
    s.dishonest = s.dishonest || number("dishonest") >= 1;
  }
  for (const auto& [id, s] : seen) {
    for (CreditGroup* g : {&groups[key_of[id]], &all}) {
      ++g->enterprises;
      g->penalties += s.penalties;
      g->penalised_enterprises += s.penalties > 0 ? 1 : 0;
      g->fines_wan += s.fines;
      g->falsification += s.falsification;
      g->falsifying_enterprises += s.falsification > 0 ? 1 : 0;
      g->dishonest_enterprises += s.dishonest ? 1 : 0;
      g->energy_penalties += s.energy_penalties;
    }
  }
  std::vector<CreditGroup> out;
  for (auto& [key, g] : groups) {
    g.key = key;
    out.push_back(std::move(g));
  }
  out.push_back(std::move(all));
  return out;
}

}  // namespace kiln::analysis
