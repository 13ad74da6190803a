#include "demo/demo_reviews.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>

#include "core/registry_schema.hpp"
#include "security/access.hpp"
#include "sim/load_model.hpp"

namespace kiln::demo {
namespace {

using core::Result;
using core::Status;

constexpr core::UnixMillis kDayMs = 86'400'000;

// What happens to an enterprise's list standing in the demo.
enum class Story { kNone, kDelisted, kReentry, kWaitingCity, kWaitingProvince, kReturned };

constexpr const char* kExitReasons[] = {"企业已关停，主体生产设备已拆除", "产能已整体退出，不再属于“两高”项目范围",
                                        "企业转产，主营产品不再属于“两高”行业"};
constexpr const char* kReturnReasons[] = {"请补充关停验收文件和主体设备拆除现场照片", "请附转产后的营业执照和环评批复"};

}  // namespace

security::Principal DemoOfficial(const std::string& role, const std::string& region, const std::string& demo_county) {
  const std::string demo_city = demo_county.substr(0, 4) + "00";
  std::string username = role == "province"                          ? "province"
                         : role == "city" && region == demo_city     ? "city"
                         : role == "county" && region == demo_county ? "county"
                                                                     : fmt::format("{}-{}", role, region);
  return {.username = username, .role = role, .region = region, .permissions = security::RolePermissions(role)};
}

Result<DemoReviewSummary> FileDemoReviews(storage::Store& store, registry::Registry& registry,
                                          security::AuditLog& audit, const core::Clock& clock,
                                          const std::vector<workflow::FlowSpec>& flows,
                                          core::ElectricityConvention convention, std::uint64_t seed) {
  core::FakeClock at(clock.Now());
  workflow::ReportService reports(store, registry, audit, at, convention);
  workflow::ReviewEngine engine(store, registry, audit, at, reports, flows, 15);
  const core::UnixMillis now = clock.Now();

  std::vector<core::Record> enterprises;
  for (int page = 1;; ++page) {
    auto got = store.ListRecords(core::EnterpriseSchema(), {.page = page, .page_size = 500});
    if (!got.ok()) return got.status();
    for (auto& e : got->items) enterprises.push_back(std::move(e));
    if (got->items.size() < 500) break;
  }
  if (enterprises.empty()) return DemoReviewSummary{};
  const std::string demo_county = storage::AsText(enterprises.front().at("region"));

  // Deterministic per enterprise; the demo county's first few get one story each.
  std::map<std::int64_t, Story> stories;
  std::vector<std::int64_t> in_demo_county;
  for (const auto& e : enterprises) {
    auto id = storage::AsInt(e.at("id"));
    if (id != 1 && storage::AsText(e.at("region")) == demo_county) in_demo_county.push_back(id);
    double h = sim::Noise(seed, static_cast<std::uint64_t>(id) * 7919 + 17);
    stories[id] = h < 0.004   ? Story::kReentry
                  : h < 0.010 ? Story::kDelisted
                  : h < 0.016 ? Story::kWaitingCity
                  : h < 0.020 ? Story::kWaitingProvince
                  : h < 0.023 ? Story::kReturned
                              : Story::kNone;
  }
  // The demo accounts' own: one of each, the ones waiting past their due date (so the to-do and the
  // review_overdue warning have something to show whatever the seed).
  const std::pair<Story, int> kDemoCounty[] = {
      {Story::kWaitingProvince, 25}, {Story::kWaitingCity, 20}, {Story::kReturned, 10}, {Story::kDelisted, 90}};
  std::map<std::int64_t, int> age_days;
  for (size_t i = 0; i < in_demo_county.size() && i < std::size(kDemoCounty); ++i) {
    stories[in_demo_county[i]] = kDemoCounty[i].first;
    age_days[in_demo_county[i]] = kDemoCounty[i].second;
  }
  stories[1] = Story::kNone;  // the demo enterprise account's own stays on the list

  DemoReviewSummary summary;
  for (const auto& e : enterprises) {
    auto id = storage::AsInt(e.at("id"));
    Story story = stories[id];
    if (story == Story::kNone) continue;
    const std::string county = storage::AsText(e.at("region"));
    const std::string city = county.substr(0, 4) + "00";
    auto as = [&](const security::Principal& p) { return registry::Caller{p, "127.0.0.1"}; };
    auto county_official = DemoOfficial("county", county, demo_county);
    auto city_official = DemoOfficial("city", city, demo_county);
    auto province_official = DemoOfficial("province", "370000", demo_county);
    double h = sim::Noise(seed, static_cast<std::uint64_t>(id) * 104729 + 3);
    bool closed = story == Story::kDelisted || story == Story::kReentry;
    // Closed cases were filed months ago; open ones within the last weeks, a few past their 15 days.
    int age = closed ? 60 + static_cast<int>(h * 150) : 2 + static_cast<int>(h * 24);
    if (auto it = age_days.find(id); it != age_days.end()) age = it->second;
    core::UnixMillis filed = now - age * kDayMs;
    at.Set(filed);
    nlohmann::json body = {{"reason", kExitReasons[id % std::size(kExitReasons)]}};
    if (closed) body["effective_on"] = core::FormatDate(core::ChinaDateOf(filed + 20 * kDayMs));
    auto item = engine.ProposeListChange(as(county_official), id, "exit", body);
    if (!item.ok()) return item.status().WithContext(fmt::format("demo list exit of enterprise {}", id));
    auto decide = [&](const security::Principal& who, const std::string& action, const std::string& reason,
                      int days_later) -> Status {
      at.Set(at.Now() + days_later * kDayMs);
      auto decided = engine.Decide(as(who), item->id, action, reason);
      return decided.ok() ? Status() : decided.status().WithContext(fmt::format("demo decision on item {}", item->id));
    };
    if (story == Story::kWaitingCity) {
      ++summary.waiting_city;
      continue;
    }
    if (story == Story::kReturned) {
      KILN_RETURN_IF_ERROR(decide(city_official, "return", kReturnReasons[id % std::size(kReturnReasons)], 1));
      ++summary.returned;
      continue;
    }
    KILN_RETURN_IF_ERROR(decide(city_official, "approve", "同意", 2));
    if (story == Story::kWaitingProvince) {
      ++summary.waiting_province;
      continue;
    }
    KILN_RETURN_IF_ERROR(decide(province_official, "approve", "同意移出清单", 3));
    ++summary.delisted;
    if (story == Story::kReentry) {
      at.Set(now - (1 + static_cast<int>(h * 10)) * kDayMs);
      auto entry = engine.ProposeListChange(as(county_official), id, "entry",
                                            {{"reason", "企业复产并新增产能，申请重新列入清单管理"}});
      if (!entry.ok()) return entry.status().WithContext(fmt::format("demo list entry of enterprise {}", id));
      ++summary.entries;
    }
  }

  // Enterprise users' capacity changes: the demo enterprise account's first, and a few more.
  for (const auto& e : enterprises) {
    auto id = storage::AsInt(e.at("id"));
    if (id != 1 && sim::Noise(seed, static_cast<std::uint64_t>(id) * 15485863 + 5) >= 0.01) continue;
    if (stories[id] != Story::kNone) continue;
    auto projects = store.ListRecords(core::ProjectSchema(), {.enterprise_id = id, .page_size = 1});
    if (!projects.ok()) return projects.status();
    if (projects->items.empty() || core::IsNull(projects->items.front().at("capacity"))) continue;
    const auto& project = projects->items.front();
    security::Principal user{.username = id == 1 ? "enterprise" : fmt::format("enterprise-{}", id),
                             .role = "enterprise",
                             .enterprise_id = id,
                             .permissions = security::RolePermissions("enterprise")};
    at.Set(now - (1 + id % 6) * kDayMs);
    double capacity = storage::AsReal(project.at("capacity"));
    auto edited = engine.Edit({user, "127.0.0.1"}, registry::Kind::kProject, storage::AsInt(project.at("id")),
                              {{"capacity", std::round(capacity * 1.15 * 10) / 10}});
    if (!edited.ok()) return edited.status().WithContext(fmt::format("demo capacity change of enterprise {}", id));
    if (edited->review) ++summary.info_changes;
  }
  return summary;
}

}  // namespace kiln::demo
