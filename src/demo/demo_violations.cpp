#include "demo/demo_violations.hpp"

#include <fmt/format.h>

#include <map>

#include "core/registry_schema.hpp"
#include "demo/demo_reviews.hpp"
#include "sim/load_model.hpp"
#include "workflow/violation_service.hpp"

namespace kiln::demo {
namespace {

using core::Result;
using core::Status;

constexpr core::UnixMillis kDayMs = 86'400'000;

// Where a case stands in the demo.
enum class Story {
  kNotStarted,
  kDueSoon,
  kInProgress,
  kPartlyDone,
  kDone,
  kClosureAtCity,
  kClosureAtProvince,
  kClosureReturned,
  kClosed,
  kOverdue,
  kEscalated,
};
constexpr Story kStories[] = {
    Story::kNotStarted, Story::kDueSoon,       Story::kInProgress,        Story::kPartlyDone,
    Story::kDone,       Story::kClosureAtCity, Story::kClosureAtProvince, Story::kClosureReturned,
    Story::kClosed,     Story::kClosed,        Story::kOverdue,           Story::kEscalated};
// The demo accounts' county: the county's to-do (file a closure, resubmit a returned one), the city's
// (a closure to decide, an overdue case to escalate), and a deadline coming up.
constexpr Story kDemoCounty[] = {Story::kOverdue,         Story::kDone,  Story::kClosureAtCity, Story::kDueSoon,
                                 Story::kClosureReturned, Story::kClosed};

struct Measure {
  const char* violation;
  const char* measures;
};
constexpr Measure kMeasures[] = {
    {"built_without_approval", "补办核准（备案）和节能审查手续，手续办结前停止建设"},
    {"produced_without_acceptance", "组织节能、环保竣工验收，验收合格前暂停生产"},
    {"no_energy_review", "委托第三方编制节能报告，报请节能审查并落实审查意见"},
    {"capacity_over_approval", "拆除超出批复规模的生产线，按批复产能组织生产"},
    {"no_capacity_replacement", "落实产能减量置换方案，置换指标到位前不得投产"},
    {"no_coal_substitution", "制定煤炭消费减量替代方案，落实替代来源"},
    {"eliminated_equipment", "拆除淘汰类装置，拆除后由县级部门现场核验"},
};
constexpr const char* kUnits[] = {"县发展和改革局", "县工业和信息化局", "县生态环境分局", "乡镇人民政府"};

}  // namespace

Result<DemoViolationSummary> MarkDemoViolations(storage::Store& store, registry::Registry& registry,
                                                security::AuditLog& audit, const core::Clock& clock,
                                                const std::vector<workflow::FlowSpec>& flows,
                                                core::ElectricityConvention convention, std::uint64_t seed) {
  core::FakeClock at(clock.Now());
  workflow::ReportService reports(store, registry, audit, at, convention);
  workflow::ReviewEngine engine(store, registry, audit, at, reports, flows, 15);
  workflow::ViolationService violations(store, registry, engine, audit, at);
  const core::UnixMillis now = clock.Now();

  auto disposal_items = store.ListReferenceItems("disposal_types");
  if (!disposal_items.ok()) return disposal_items.status();
  std::map<int, std::string> disposal_by_sort;
  for (const auto& [code, d] : storage::CurrentReferenceItems(*disposal_items)) {
    if (d.active) disposal_by_sort[d.sort_order] = code;
  }
  std::vector<std::string> disposals;
  disposals.reserve(disposal_by_sort.size());
  for (auto& [sort, code] : disposal_by_sort) disposals.push_back(code);
  if (disposals.empty()) return DemoViolationSummary{};

  std::vector<core::Record> projects;
  for (int page = 1;; ++page) {
    auto got = store.ListRecords(core::ProjectSchema(), {.page = page, .page_size = 500});
    if (!got.ok()) return got.status();
    for (auto& p : got->items) projects.push_back(std::move(p));
    if (got->items.size() < 500) break;
  }
  auto first = store.ListRecords(core::EnterpriseSchema(), {.page_size = 1});
  if (!first.ok()) return first.status();
  if (projects.empty() || first->items.empty()) return DemoViolationSummary{};
  const std::string demo_county = storage::AsText(first->items.front().at("region"));
  std::map<std::int64_t, bool> listed;
  for (int page = 1;; ++page) {
    auto got = store.ListRecords(core::EnterpriseSchema(), {.page = page, .page_size = 500});
    if (!got.ok()) return got.status();
    for (const auto& e : got->items) {
      listed[storage::AsInt(e.at("id"))] = storage::AsText(e.at("list_status")) == "listed";
    }
    if (got->items.size() < 500) break;
  }

  // About one project in twenty; one enterprise's first project (which the demo accounts and the
  // tests use as their own) is left alone.
  std::vector<std::pair<const core::Record*, Story>> cases;
  std::map<std::int64_t, bool> seen_enterprise;
  size_t demo_county_cases = 0;
  for (const auto& p : projects) {
    auto id = storage::AsInt(p.at("id"));
    auto enterprise = storage::AsInt(p.at("enterprise_id"));
    bool first_of_enterprise = !seen_enterprise[enterprise];
    seen_enterprise[enterprise] = true;
    if (!listed[enterprise] || (enterprise == 1 && first_of_enterprise)) continue;
    if (storage::AsText(p.at("region")) == demo_county && demo_county_cases < std::size(kDemoCounty)) {
      cases.emplace_back(&p, kDemoCounty[demo_county_cases++]);
      continue;
    }
    double h = sim::Noise(seed, static_cast<std::uint64_t>(id) * 2654435761ULL + 29);
    if (h >= 0.05) continue;
    cases.emplace_back(&p, kStories[static_cast<size_t>(h / 0.05 * std::size(kStories)) % std::size(kStories)]);
  }

  DemoViolationSummary summary;
  for (size_t n = 0; n < cases.size(); ++n) {
    const auto& [project, story] = cases[n];
    const auto pid = storage::AsInt(project->at("id"));
    const auto eid = storage::AsInt(project->at("enterprise_id"));
    const std::string county = storage::AsText(project->at("region"));
    const bool demo = county == demo_county;
    auto county_official = DemoOfficial("county", county, demo_county);
    auto city_official = DemoOfficial("city", county.substr(0, 4) + "00", demo_county);
    auto province_official = DemoOfficial("province", "370000", demo_county);
    security::Principal enterprise_user{.username = eid == 1 ? "enterprise" : fmt::format("enterprise-{}", eid),
                                        .role = "enterprise",
                                        .enterprise_id = eid,
                                        .permissions = security::RolePermissions("enterprise")};
    auto as = [](const security::Principal& p) { return registry::Caller{p, "127.0.0.1"}; };
    double h = sim::Noise(seed, static_cast<std::uint64_t>(pid) * 40503 + 11);
    const auto& measure = kMeasures[pid % std::size(kMeasures)];
    // Every disposal type appears: the n-th case takes the n-th type, round and round.
    const std::string disposal = disposals[n % disposals.size()];

    // When it was marked, and the deadline it got (days after marking).
    int age = 0, span = 0;
    switch (story) {
      case Story::kNotStarted: age = 3 + static_cast<int>(h * 15), span = 90; break;
      case Story::kDueSoon: age = 80, span = 80 + 5 + static_cast<int>(h * 8); break;
      case Story::kInProgress:
      case Story::kPartlyDone: age = 30 + static_cast<int>(h * 50), span = age + 30 + static_cast<int>(h * 60); break;
      case Story::kDone:
      case Story::kClosureAtCity:
      case Story::kClosureAtProvince:
      case Story::kClosureReturned: age = 70 + static_cast<int>(h * 40), span = age + 20; break;
      case Story::kClosed: age = 150 + static_cast<int>(h * 150), span = 90; break;
      case Story::kOverdue: age = 100 + static_cast<int>(h * 60), span = 45 + static_cast<int>(h * 30); break;
      case Story::kEscalated: age = 160 + static_cast<int>(h * 40), span = 60; break;
    }
    if (demo && story == Story::kOverdue) age = 120, span = 60;  // 60 days past its deadline
    if (demo && story == Story::kDueSoon) age = 80, span = 88;  // 8 days left
    const core::UnixMillis marked_at = now - age * kDayMs;
    at.Set(marked_at);
    const std::string deadline = core::FormatDate(core::ChinaDateOf(marked_at + span * kDayMs));
    auto marked = violations.Mark(as(story == Story::kEscalated || h < 0.5 ? city_official : county_official), pid,
                                  {{"violation_type", measure.violation},
                                   {"disposal_type", disposal},
                                   {"measures", measure.measures},
                                   {"deadline", deadline},
                                   {"responsible_unit", kUnits[pid % std::size(kUnits)]},
                                   {"note", "“两高”项目专项排查发现"}});
    if (!marked.ok()) return marked.status().WithContext(fmt::format("demo violation of project {}", pid));
    ++summary.marked;
    const auto vid = marked->id;
    auto step = [&](int days_after_marking) { at.Set(marked_at + days_after_marking * kDayMs); };
    // Whatever happened happened by now and by the deadline (or, for cases past it, before it passed).
    const int base = std::min(span, age);
    auto report = [&](const security::Principal& who, const char* state, int progress, const char* note) -> Status {
      auto r = violations.ReportProgress(as(who), vid, {{"state", state}, {"progress", progress}, {"note", note}});
      return r.ok() ? Status() : r.status().WithContext(fmt::format("demo progress of violation {}", vid));
    };
    if (story == Story::kNotStarted) continue;
    if (story == Story::kOverdue) {
      ++summary.overdue;
      if (h < 0.5) continue;  // nothing reported at all
      step(20);
      KILN_RETURN_IF_ERROR(report(enterprise_user, "in_progress", 20, "已制定整改方案，正在办理相关手续"));
      continue;
    }
    step(std::max(1, base / 4));
    KILN_RETURN_IF_ERROR(report(enterprise_user, "in_progress", 30, "已制定整改方案并报县级部门备案，正在组织实施"));
    if (story == Story::kDueSoon || story == Story::kInProgress) continue;
    if (story == Story::kEscalated) {
      step(span + 15);
      auto raised =
          disposal_by_sort.rbegin()->second == disposal
              ? nlohmann::json{}
              : nlohmann::json{
                    {"disposal_type",
                     disposals[std::min(disposals.size() - 1,
                                        static_cast<size_t>(std::find(disposals.begin(), disposals.end(), disposal) -
                                                            disposals.begin()) +
                                            1)]}};
      raised["reason"] = "逾期未完成整改，按规定升级处置";
      raised["deadline"] = core::FormatDate(core::ChinaDateOf(at.Now() + 60 * kDayMs));
      auto escalated = violations.Escalate(as(city_official), vid, raised);
      if (!escalated.ok()) return escalated.status().WithContext(fmt::format("demo escalation of violation {}", vid));
      ++summary.escalated;
      continue;
    }
    step(base / 2);
    KILN_RETURN_IF_ERROR(report(county_official, "partly_done", 60, "县级现场核查：主要整改措施已落实，尚余部分手续"));
    if (story == Story::kPartlyDone) continue;
    step(base - 8);
    KILN_RETURN_IF_ERROR(report(enterprise_user, "done", 100, "整改措施全部落实，相关手续已办结"));
    if (story == Story::kDone) continue;
    step(base - 6);
    auto filed = violations.FileClosure(as(county_official), vid, {{"reason", "经县级现场核验，整改到位，申请销号"}});
    if (!filed.ok()) return filed.status().WithContext(fmt::format("demo closure of violation {}", vid));
    auto decide = [&](const security::Principal& who, const char* action, const char* reason, int days) -> Status {
      at.Set(at.Now() + days * kDayMs);
      auto d = engine.Decide(as(who), filed->id, action, reason);
      return d.ok() ? Status() : d.status().WithContext(fmt::format("demo closure decision on item {}", filed->id));
    };
    if (story == Story::kClosureAtCity) {
      ++summary.closures_waiting;
      continue;
    }
    if (story == Story::kClosureReturned) {
      KILN_RETURN_IF_ERROR(decide(city_official, "return", "请补充整改前后现场照片和验收意见", 1));
      ++summary.returned;
      continue;
    }
    KILN_RETURN_IF_ERROR(decide(city_official, "approve", "同意销号", 2));
    if (story == Story::kClosureAtProvince) {
      ++summary.closures_waiting;
      continue;
    }
    KILN_RETURN_IF_ERROR(decide(province_official, "approve", "同意销号", 3));
    ++summary.closed;
  }
  return summary;
}

}  // namespace kiln::demo
