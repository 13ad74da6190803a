#include "demo/demo_inspections.hpp"

#include <fmt/format.h>

#include "core/registry_schema.hpp"
#include "demo/demo_reviews.hpp"
#include "sim/load_model.hpp"
#include "workflow/inspection_service.hpp"

namespace kiln::demo {
namespace {

using core::Result;
using core::Status;

constexpr core::UnixMillis kDayMs = 86'400'000;

struct FindingTemplate {
  const char* category;
  const char* severity;
  const char* description;
  const char* requirement;
};
constexpr FindingTemplate kFindings[] = {
    {"metering", "major", "总进线电能表超过检定有效期，计量数据准确性无法保证", "30 日内完成检定，上传检定证书"},
    {"metering", "minor", "部分二级计量器具未按要求配备，车间用能无法分项计量", "按 GB 17167 补齐二级计量器具"},
    {"reporting", "minor", "能源利用状况月报产量与生产台账不一致", "核对台账，更正月报并说明原因"},
    {"energy_data", "major", "煤炭入厂量与消耗量台账缺失，煤耗数据无法核实", "建立煤炭购销存台账，补报近三个月数据"},
    {"rectification", "minor", "违规项目整改措施落实滞后于整改方案进度", "按整改方案倒排工期，每周报送进度"},
    {"upgrade", "minor", "能效改造方案中余热回收项目尚未开工", "明确开工时间，纳入月度调度"},
    {"capacity", "major", "实际产量超过核定产能", "按核定产能组织生产，报送产量控制措施"},
};

security::Principal EnterpriseUser(std::int64_t id) {
  return {.username = id == 1 ? "enterprise" : fmt::format("enterprise-{}", id),
          .role = "enterprise",
          .enterprise_id = id,
          .permissions = security::RolePermissions("enterprise")};
}

registry::Caller As(const security::Principal& p) { return {p, "127.0.0.1"}; }

std::string DayText(core::UnixMillis at) { return core::FormatDate(core::ChinaDateOf(at)); }

}  // namespace

Result<DemoInspectionSummary> FileDemoInspections(storage::Store& store, registry::Registry& registry,
                                                  security::AuditLog& audit, const core::Clock& clock,
                                                  std::uint64_t seed) {
  core::FakeClock at(clock.Now());
  workflow::InspectionService inspections(store, registry, audit, at);
  const core::UnixMillis now = clock.Now();
  auto first = store.ListRecords(core::EnterpriseSchema(), {.page_size = 1});
  if (!first.ok()) return first.status();
  if (first->items.empty()) return DemoInspectionSummary{};
  const std::string demo_county = storage::AsText(first->items.front().at("region"));
  const std::string demo_city = demo_county.substr(0, 4) + "00";
  const auto province_official = DemoOfficial("province", "370000", demo_county);
  const registry::Caller province = As(province_official);
  DemoInspectionSummary summary;

  // Visits every task of a plan on days spread over [from, to], with findings for some and their fate.
  auto visit_all = [&](std::int64_t plan_id, core::UnixMillis from, core::UnixMillis to, double share_visited,
                       bool settle) -> Status {
    auto tasks = store.inspections().ListInspectionTasks({.plan_id = plan_id, .page_size = 10'000});
    if (!tasks.ok()) return tasks.status();
    for (std::size_t k = 0; k < tasks->first.size(); ++k) {
      const auto& task = tasks->first[k];
      const double h = sim::Noise(seed, static_cast<std::uint64_t>(task.id) * 1'299'709 + 3);
      if (h >= share_visited) continue;
      const auto visited_at =
          from + static_cast<core::UnixMillis>(static_cast<double>(to - from) * (static_cast<double>(k) + 0.5) /
                                               static_cast<double>(tasks->first.size()));
      at.Set(std::min(visited_at, now - kDayMs));
      const auto county_official = DemoOfficial("county", task.region, demo_county);
      const registry::Caller official = As(county_official);
      nlohmann::json findings = nlohmann::json::array();
      const int count = h < share_visited * 0.25 ? 2 : h < share_visited * 0.5 ? 1 : 0;
      for (int n = 0; n < count; ++n) {
        const auto& f = kFindings[(task.id + n * 3) % std::size(kFindings)];
        findings.push_back({{"category", f.category},
                            {"severity", f.severity},
                            {"description", f.description},
                            {"requirement", f.requirement},
                            {"deadline", DayText(at.Now() + 30 * kDayMs)}});
      }
      auto visited = inspections.RecordVisit(
          official, task.id,
          {{"visited_on", DayText(at.Now())},
           {"summary", count ? "现场核查能源计量、台账和数据填报，发现问题已当场反馈企业" : "现场核查未发现问题"},
           {"findings", findings}});
      if (!visited.ok()) return visited.status().WithContext(fmt::format("demo visit of task {}", task.id));
      ++summary.visited;
      summary.findings += count;
      if (!settle) continue;
      for (const auto& finding : visited->findings) {
        const double g = sim::Noise(seed, static_cast<std::uint64_t>(finding.id) * 7'757 + 1);
        if (g >= 0.75) continue;  // still open
        at.Set(std::min(at.Now() + 15 * kDayMs, now - kDayMs));
        auto fixed = inspections.ReportRectified(As(EnterpriseUser(task.enterprise_id)), finding.id,
                                                 {{"note", "已按要求整改完成，整改材料报县级部门"}});
        if (!fixed.ok()) return fixed.status().WithContext(fmt::format("demo rectification of finding {}", finding.id));
        if (g >= 0.6) continue;  // waiting for verification
        at.Set(std::min(at.Now() + 5 * kDayMs, now - kDayMs));
        auto checked = inspections.Verify(official, finding.id, {{"action", "accept"}, {"note", "现场复核，整改到位"}});
        if (!checked.ok())
          return checked.status().WithContext(fmt::format("demo verification of finding {}", finding.id));
        ++summary.verified;
      }
    }
    return {};
  };

  // The half-year's comprehensive inspection by the province's five joint groups.
  const core::UnixMillis a_start = now - 150 * kDayMs, a_end = now - 100 * kDayMs;
  at.Set(a_start - 10 * kDayMs);
  nlohmann::json teams = nlohmann::json::array();
  constexpr const char* kGroups[] = {"第一联合检查组", "第二联合检查组", "第三联合检查组", "第四联合检查组",
                                     "第五联合检查组"};
  constexpr const char* kLeaders[] = {"省发展改革委", "省工业和信息化厅", "省生态环境厅", "省统计局", "省能源局"};
  for (std::size_t k = 0; k < std::size(kGroups); ++k) {
    teams.push_back({{"name", kGroups[k]},
                     {"leader", fmt::format("{}分管负责同志", kLeaders[k])},
                     {"members", "发展改革、工业和信息化、生态环境、统计、能源部门业务骨干"}});
  }
  auto comprehensive = inspections.CreatePlan(
      province, {{"kind", "comprehensive"},
                 {"title", fmt::format("{}年上半年“两高”行业全面检查", core::ChinaDateOf(a_start).year)},
                 {"region", "370000"},
                 {"starts_on", DayText(a_start)},
                 {"ends_on", DayText(a_end)},
                 {"focus",
                  "各市遏制“两高”项目盲目发展工作开展情况，政策措施落实情况，企业能耗、煤耗、碳排放、"
                  "污染物排放、用水、用电、产量、营收、税收、利润情况"},
                 {"teams", teams}});
  if (!comprehensive.ok()) return comprehensive.status().WithContext("demo comprehensive inspection");
  ++summary.plans;
  const auto a_id = comprehensive->plan.id;
  // Targeted: the enterprises with open violations first; then a random draw province-wide.
  auto violating = store.violations().ListViolations({.open_only = true, .page_size = 6});
  if (!violating.ok()) return violating.status();
  for (const auto& v : violating->first) {
    auto added = inspections.AddTasks(province, a_id,
                                      {{"enterprise_id", v.enterprise_id}, {"reason", "存在违规项目，核查整改进展"}});
    if (added.ok()) summary.tasks += static_cast<int>(added->size());
  }
  auto drawn = inspections.AddTasks(province, a_id, {{"sample", 40}});
  if (!drawn.ok()) return drawn.status().WithContext("demo inspection sample");
  summary.tasks += static_cast<int>(drawn->size());
  KILN_RETURN_IF_ERROR(visit_all(a_id, a_start, a_end, 1.0, true));
  // Indicator deductions for the worst: the enterprises whose energy or coal figures could not be verified.
  int deducted = 0;
  auto tasks = store.inspections().ListInspectionTasks({.plan_id = a_id, .page_size = 10'000});
  if (!tasks.ok()) return tasks.status();
  for (const auto& task : tasks->first) {
    if (deducted >= 3) break;
    auto findings = store.inspections().ListFindings(task.id, std::nullopt);
    if (!findings.ok()) return findings.status();
    for (const auto& f : *findings) {
      if (f.severity != "major" || deducted >= 3) continue;
      at.Set(a_end + 7 * kDayMs);
      const bool coal = f.category == "energy_data";
      auto d = inspections.Deduct(province, a_id,
                                  {{"indicator", coal ? "coal" : "energy"},
                                   {"year", core::ChinaDateOf(now).year},
                                   {"amount", coal ? 8000 : 5000},
                                   {"reason", fmt::format("全面检查发现：{}", f.description)},
                                   {"enterprise_id", f.enterprise_id},
                                   {"finding_id", f.id}});
      if (!d.ok()) return d.status().WithContext("demo indicator deduction");
      ++deducted;
    }
  }
  at.Set(a_end + 8 * kDayMs);
  auto city_cut =
      inspections.Deduct(province, a_id,
                         {{"indicator", "output"},
                          {"year", core::ChinaDateOf(now).year},
                          {"amount", 20'000},
                          {"reason", "全面检查发现该市部分钢铁企业实际产量超过核定产能，扣减全市粗钢产量指标"},
                          {"region", demo_city}});
  if (!city_cut.ok()) return city_cut.status().WithContext("demo indicator deduction of the demo city");
  summary.deductions = deducted + 1;

  // This month's 四进 supervision in the demo city, half way through.
  const auto today = core::ChinaDateOf(now);
  const core::UnixMillis b_start = core::ChinaMidnight({today.year, today.month, 1});
  at.Set(std::min(b_start, now - 2 * kDayMs));
  const auto city_official = DemoOfficial("city", demo_city, demo_county);
  auto four_in = inspections.CreatePlan(
      As(city_official),
      {{"kind", "four_in"},
       {"title", fmt::format("{}年{}月“两高”项目四进督导", today.year, today.month)},
       {"region", demo_city},
       {"starts_on", DayText(at.Now())},
       {"ends_on", DayText(at.Now() + 27 * kDayMs)},
       {"focus", "违规项目整改、计量器具配备使用、信息填报现场核查"},
       {"teams",
        {{{"name", "市“四进”督导组"}, {"leader", "市工业和信息化局"}, {"members", "市发展改革委、市统计局"}}}}});
  if (!four_in.ok()) return four_in.status().WithContext("demo four-in supervision");
  ++summary.plans;
  auto city_drawn = inspections.AddTasks(As(city_official), four_in->plan.id, {{"sample", 8}});
  if (!city_drawn.ok()) return city_drawn.status().WithContext("demo four-in sample");
  summary.tasks += static_cast<int>(city_drawn->size());
  KILN_RETURN_IF_ERROR(visit_all(four_in->plan.id, at.Now(), now - kDayMs, 0.5, false));
  return summary;
}

}  // namespace kiln::demo
