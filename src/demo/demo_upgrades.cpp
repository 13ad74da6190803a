#include "demo/demo_upgrades.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/registry_schema.hpp"
#include "demo/demo_reviews.hpp"
#include "sim/load_model.hpp"
#include "workflow/upgrade_service.hpp"

namespace kiln::demo {
namespace {

using core::Result;
using core::Status;

constexpr core::UnixMillis kDayMs = 86'400'000;

enum class Story { kNone, kAtCounty, kAtCity, kAtProvince, kReturned, kInProgress, kCompleted };

constexpr const char* kMeasures[] = {
    "实施窑炉（炉窑）节能改造，更换高效燃烧器，回收烟气余热发电；主要风机、水泵变频改造",
    "淘汰高耗能电机和变压器，建设能源管理中心，实施余热余压梯级利用",
    "改造主要生产装置工艺，采用先进节能技术装备，优化系统能量平衡",
};

core::CivilDate MonthStart(core::CivilDate d, int delta) {
  int index = d.year * 12 + (d.month - 1) + delta;
  return {index / 12, index % 12 + 1, 1};
}

std::string DateText(core::CivilDate d) { return core::FormatDate(d); }

security::Principal EnterpriseUser(std::int64_t id) {
  return {.username = id == 1 ? "enterprise" : fmt::format("enterprise-{}", id),
          .role = "enterprise",
          .enterprise_id = id,
          .permissions = security::RolePermissions("enterprise")};
}

registry::Caller As(const security::Principal& p) { return {p, "127.0.0.1"}; }

}  // namespace

DemoUpgradeGain UpgradeGain(std::uint64_t seed, std::int64_t project_id) {
  const auto key = static_cast<std::uint64_t>(project_id) * 7'919;
  double expected = 0.06 + 0.08 * sim::Noise(seed, key + 101);
  return {expected, expected * (0.8 + 0.35 * sim::Noise(seed, key + 103))};
}

Result<std::map<std::int64_t, Improvement>> DemoUpgradeImprovements(storage::Store& store, std::uint64_t seed) {
  std::map<std::int64_t, Improvement> out;
  for (int page = 1;; ++page) {
    auto plans = store.upgrades().ListUpgradePlans({.page = page, .page_size = 500});
    if (!plans.ok()) return plans.status();
    for (const auto& plan : plans->first) {
      auto done = core::ParseDate(plan.completed_on);
      if (!done) continue;
      for (auto project : plan.project_ids) {
        out[project] = {.from = core::ChinaMidnight(MonthStart(*done, 1)),
                        .scale = 1 - UpgradeGain(seed, project).realized};
      }
    }
    if (plans->first.size() < 500) break;
  }
  return out;
}

Result<DemoUpgradeSummary> FileDemoUpgradePlans(storage::Store& store, registry::Registry& registry,
                                                security::AuditLog& audit, const core::Clock& clock,
                                                const std::vector<workflow::FlowSpec>& flows,
                                                analysis::Accounting& accounting,
                                                core::ElectricityConvention convention, std::uint64_t seed) {
  core::FakeClock at(clock.Now());
  workflow::ReportService reports(store, registry, audit, at, convention);
  workflow::ReviewEngine engine(store, registry, audit, at, reports, flows, 15);
  workflow::UpgradeService upgrades(store, registry, engine, accounting, audit, at);
  const core::UnixMillis now = clock.Now();
  const core::CivilDate today = core::ChinaDateOf(now);

  auto levels = store.ListEfficiencyLevels();
  if (!levels.ok()) return levels.status();
  std::map<std::int64_t, std::vector<core::Record>> by_enterprise;
  for (int page = 1;; ++page) {
    auto got = store.ListRecords(core::ProjectSchema(), {.page = page, .page_size = 500});
    if (!got.ok()) return got.status();
    for (auto& p : got->items) by_enterprise[storage::AsInt(p.at("enterprise_id"))].push_back(std::move(p));
    if (got->items.size() < 500) break;
  }
  auto first = store.ListRecords(core::EnterpriseSchema(), {.page_size = 1});
  if (!first.ok()) return first.status();
  if (first->items.empty()) return DemoUpgradeSummary{};
  const std::string demo_county = storage::AsText(first->items.front().at("region"));

  // A year of each enterprise's metered energy as the simulation models it (its meters at their mean
  // rate, 85 % of the time), in tce: what the expected saving is a share of.
  auto factors = store.ListConversionFactors();
  if (!factors.ok()) return factors.status();
  auto points = store.AllPoints();
  if (!points.ok()) return points.status();
  std::map<std::int64_t, std::int64_t> staff;
  for (int page = 1;; ++page) {
    auto got = store.ListRecords(core::EnterpriseSchema(), {.page = page, .page_size = 500});
    if (!got.ok()) return got.status();
    for (const auto& e : got->items) staff[storage::AsInt(e.at("id"))] = storage::AsInt(e.at("staff"));
    if (got->items.size() < 500) break;
  }
  std::map<std::int64_t, double> year_tce;
  for (const auto& point : *points) {
    if (!point.in_total) continue;
    auto factor = core::FactorInForce(*factors, point.measures, convention, core::FormatDate(today));
    if (!factor) continue;
    year_tce[point.enterprise_id] += sim::MeanRate(point.industry, point.measures, staff[point.enterprise_id]) * 8760 *
                                     0.85 * factor->kgce_per_unit / 1000;
  }

  DemoUpgradeSummary summary;
  for (const auto& [eid, projects] : by_enterprise) {
    std::vector<const core::Record*> below;
    int existing = 0;
    for (const auto& p : projects) {
      if (storage::AsText(p.at("state")) != "existing") continue;
      ++existing;
      auto level = core::CurrentLevel(*levels, storage::AsText(p.at("product")));
      if (!level || core::IsNull(p.at("efficiency_value"))) continue;
      auto cls = core::ClassifyEfficiency(storage::AsReal(p.at("efficiency_value")),
                                          storage::AsText(p.at("efficiency_unit")), *level);
      if (cls == core::EfficiencyClass::kBelowBenchmark) below.push_back(&p);
    }
    if (below.empty()) continue;
    // A completed upgrade is measured on the enterprise's one running plant, whose meters are its own.
    const bool measurable = below.size() == 1 && existing == 1;
    const double h = sim::Noise(seed, static_cast<std::uint64_t>(eid) * 6'700'417 + 13);
    Story story = measurable && h < 0.55 ? Story::kCompleted
                  : h < 0.18             ? Story::kNone
                  : h < 0.28             ? Story::kAtCounty
                  : h < 0.36             ? Story::kAtCity
                  : h < 0.43             ? Story::kAtProvince
                  : h < 0.48             ? Story::kReturned
                                         : Story::kInProgress;
    if (eid == 1) story = Story::kInProgress;  // the demo enterprise account reports its progress
    if (story == Story::kNone) {
      ++summary.without_plan;
      continue;
    }
    const std::string county = storage::AsText(below.front()->at("region"));
    auto county_official = DemoOfficial("county", county, demo_county);
    auto city_official = DemoOfficial("city", county.substr(0, 4) + "00", demo_county);
    auto province_official = DemoOfficial("province", "370000", demo_county);

    // When it was adopted (the baseline is the 12 months before) and by when the works are due.
    core::CivilDate adopted{}, due{};
    const double g = sim::Noise(seed, static_cast<std::uint64_t>(eid) * 31 + 7);
    if (story == Story::kCompleted) {
      adopted = MonthStart(today, -14);
      adopted.day = 10;
      due = core::CivilFromDays(core::DaysFromCivil(adopted) + 330);
    } else if (story == Story::kInProgress) {
      adopted = core::CivilFromDays(core::DaysFromCivil(today) - 60 - static_cast<int>(g * 300));
      due = core::CivilFromDays(core::DaysFromCivil(adopted) + 200 + static_cast<int>(g * 400));
    } else {
      adopted = core::CivilFromDays(core::DaysFromCivil(today) - 3 - static_cast<int>(g * 20));
      due = core::CivilFromDays(core::DaysFromCivil(adopted) + 365);
    }
    nlohmann::json chosen = nlohmann::json::array();
    double expected_total = 0;
    for (const auto* p : below) {
      const auto pid = storage::AsInt(p->at("id"));
      const auto gain = UpgradeGain(seed, pid);
      double expected = std::round(year_tce[eid] / static_cast<double>(below.size()) * gain.expected);
      expected_total += expected;
      chosen.push_back({{"project_id", pid},
                        {"target_level", gain.expected > 0.11 ? "advanced" : "benchmark"},
                        {"expected_saving_tce", expected}});
    }
    const auto days = [](core::CivilDate d, int n) {
      return DateText(core::CivilFromDays(core::DaysFromCivil(d) + n));
    };
    nlohmann::json body = {{"projects", chosen},
                           {"measures", kMeasures[eid % std::size(kMeasures)]},
                           {"investment", std::round(expected_total * (0.25 + 0.35 * g))},
                           {"adopted_on", DateText(adopted)},
                           {"completion_due", DateText(due)},
                           {"milestones",
                            {{{"title", "完成节能诊断和改造方案设计"}, {"due", days(adopted, 45)}},
                             {{"title", "完成设备采购和招标"}, {"due", days(adopted, 120)}},
                             {{"title", "改造完成并投入试运行"}, {"due", DateText(due)}}}},
                           {"reason", "按照“一企一策”要求制定能效改造升级方案，请审核"}};
    const core::UnixMillis filed_at = std::min(now - kDayMs, core::ChinaMidnight(adopted) + 9 * 3'600'000);
    at.Set(filed_at);
    auto filed = upgrades.File(As(EnterpriseUser(eid)), eid, body);
    if (!filed.ok()) return filed.status().WithContext(fmt::format("demo upgrade plan of enterprise {}", eid));
    ++summary.plans;
    const auto plan_id = filed->plan.id;
    const auto item = filed->reviews.front().id;
    auto decide = [&](const security::Principal& who, const char* action, const char* reason, int hours) -> Status {
      at.Set(std::min(now - 60'000, at.Now() + hours * 3'600'000));
      auto decided = engine.Decide(As(who), item, action, reason);
      return decided.ok() ? Status() : decided.status().WithContext(fmt::format("demo decision on item {}", item));
    };
    if (story == Story::kAtCounty) {
      ++summary.waiting;
      continue;
    }
    KILN_RETURN_IF_ERROR(decide(county_official, "approve", "方案可行，同意上报", 20));
    if (story == Story::kAtCity) {
      ++summary.waiting;
      continue;
    }
    if (story == Story::kReturned) {
      KILN_RETURN_IF_ERROR(decide(city_official, "return", "请补充节能量测算依据和资金来源说明", 30));
      ++summary.returned;
      continue;
    }
    KILN_RETURN_IF_ERROR(decide(city_official, "approve", "同意", 30));
    if (story == Story::kAtProvince) {
      ++summary.waiting;
      continue;
    }
    KILN_RETURN_IF_ERROR(decide(province_official, "approve", "同意实施", 40));
    // Progress reports at a third and two thirds of the way, as far as today allows.
    const auto start = core::DaysFromCivil(adopted);
    const auto end =
        story == Story::kCompleted ? core::DaysFromCivil(MonthStart(today, -4)) + 19 : core::DaysFromCivil(due);
    for (int k = 1; k <= 2; ++k) {
      auto on = start + (end - start) * k / 3;
      if (core::ChinaMidnight(core::CivilFromDays(on)) >= now - kDayMs) break;
      at.Set(core::ChinaMidnight(core::CivilFromDays(on)) + 10 * 3'600'000);
      auto reported = upgrades.ReportProgress(
          As(EnterpriseUser(eid)), plan_id,
          {{"progress", 30 * k + static_cast<int>(g * 10)},
           {"note", k == 1 ? "主要设备已完成招标采购，开始安装" : "主体改造工程基本完成，正在调试"}});
      if (!reported.ok()) return reported.status().WithContext(fmt::format("demo progress of plan {}", plan_id));
    }
    if (story == Story::kInProgress) {
      ++summary.in_progress;
      continue;
    }
    at.Set(core::ChinaMidnight(core::CivilFromDays(end)) + 34 * 3'600'000);
    auto completed = upgrades.Complete(
        As(EnterpriseUser(eid)), plan_id,
        {{"completed_on", DateText(core::CivilFromDays(end))}, {"note", "改造工程全部完成，试运行正常，申请验收"}});
    if (!completed.ok()) return completed.status().WithContext(fmt::format("demo completion of plan {}", plan_id));
    ++summary.completed;
  }
  return summary;
}

Result<DemoAcceptanceSummary> AcceptDemoUpgrades(storage::Store& store, registry::Registry& registry,
                                                 security::AuditLog& audit, const core::Clock& clock,
                                                 const std::vector<workflow::FlowSpec>& flows,
                                                 analysis::Accounting& accounting,
                                                 core::ElectricityConvention convention, std::uint64_t seed) {
  core::FakeClock at(clock.Now());
  workflow::ReportService reports(store, registry, audit, at, convention);
  workflow::ReviewEngine engine(store, registry, audit, at, reports, flows, 15);
  workflow::UpgradeService upgrades(store, registry, engine, accounting, audit, at);
  auto first = store.ListRecords(core::EnterpriseSchema(), {.page_size = 1});
  if (!first.ok()) return first.status();
  if (first->items.empty()) return DemoAcceptanceSummary{};
  const std::string demo_county = storage::AsText(first->items.front().at("region"));
  auto completed = store.upgrades().ListUpgradePlans({.status = "completed", .page_size = 500});
  if (!completed.ok()) return completed.status();
  DemoAcceptanceSummary summary;
  for (const auto& plan : completed->first) {
    auto county = DemoOfficial("county", plan.region, demo_county);
    auto filed =
        upgrades.FileAcceptance(As(county), plan.id, {{"reason", "经现场核查，改造内容与方案一致，计量数据完整"}});
    if (!filed.ok()) {
      // An open filing, or figures missing (a planted fault took a month away): left for the county.
      ++summary.not_ready;
      continue;
    }
    at.Set(at.Now() + 60'000);
    auto city = engine.Decide(As(DemoOfficial("city", plan.region.substr(0, 4) + "00", demo_county)), filed->id,
                              "approve", "同意");
    if (!city.ok()) return city.status().WithContext(fmt::format("demo acceptance of plan {}", plan.id));
    if (sim::Noise(seed, static_cast<std::uint64_t>(plan.id) * 977 + 1) >= 0.75) {
      ++summary.waiting;
      continue;
    }
    at.Set(at.Now() + 60'000);
    auto province =
        engine.Decide(As(DemoOfficial("province", "370000", demo_county)), filed->id, "approve", "验收通过");
    if (!province.ok()) return province.status().WithContext(fmt::format("demo acceptance of plan {}", plan.id));
    ++summary.accepted;
  }
  return summary;
}

}  // namespace kiln::demo
