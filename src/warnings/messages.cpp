#include "warnings/messages.hpp"

#include <cmath>
#include <fmt/format.h>

#include "core/energy_types.hpp"
#include "core/review_chain.hpp"
#include "warnings/rules.hpp"

namespace kiln::warnings::zh {
namespace {

std::string Number(double v) {
  if (std::fabs(v) >= 1000) return fmt::format("{:.0f}", v);
  if (std::fabs(v) >= 10) return fmt::format("{:.1f}", v);
  return fmt::format("{:.2f}", v);
}

}  // namespace

std::string Clock(core::UnixMillis t) {
  auto date = core::ChinaDateOf(t);
  auto since_midnight = (t - core::ChinaMidnight(date)) / 60'000;
  return fmt::format("{:02}-{:02} {:02}:{:02}", date.month, date.day, since_midnight / 60, since_midnight % 60);
}

std::string Day(core::UnixMillis day_start) { return core::FormatDate(core::ChinaDateOf(day_start)); }

std::string Gap(const std::string& code, core::UnixMillis from, core::UnixMillis to, std::int64_t missing) {
  return fmt::format("计量点 {} 在 {} 至 {} 无数据（缺 {} 个采样）", code, Clock(from), Clock(to), missing);
}

std::string MeterStopped(const std::string& code, core::UnixMillis last, double hours) {
  return fmt::format("计量点 {} 自 {} 起已 {:.1f} 小时未上传数据", code, Clock(last), hours);
}

std::string AccessEndSilent(const std::string& enterprise, int points, double hours) {
  return fmt::format("{} 接入端全部 {} 个计量点已 {:.1f} 小时未上传数据", enterprise, points, hours);
}

std::string Flatline(const std::string& code, double value, double hours, std::int64_t samples) {
  return fmt::format("计量点 {} 连续 {:.1f} 小时（{} 个采样）读数恒为 {}", code, hours, samples, Number(value));
}

std::string Spike(const std::string& code, core::UnixMillis at, double amount, double typical) {
  return fmt::format("计量点 {} 在 {} 的一个采样区间用量 {}，约为通常的 {:.0f} 倍", code, Clock(at), Number(amount),
                     typical > 0 ? amount / typical : 0.0);
}

std::string ImpossibleRate(const std::string& code, core::UnixMillis at, double amount, double max_per_hour) {
  return fmt::format("计量点 {} 在 {} 的区间用量 {} 超过其声明的最大速率（每小时 {}）", code, Clock(at), Number(amount),
                     Number(max_per_hour));
}

std::string RegisterReset(const std::string& code, core::UnixMillis at, double before, double after) {
  return fmt::format("计量点 {} 的累计读数在 {} 由 {} 回落至 {}（疑似换表或清零）", code, Clock(at), Number(before),
                     Number(after));
}

std::string AccessEndDrift(const std::string& enterprise, double offset_s, int points, int total, int hours) {
  return fmt::format("{} 接入端采样时间偏离采样网格约 {:.0f} 秒（{}/{} 个计量点，近 {} 小时；接入端时钟偏差）",
                     enterprise, offset_s, points, total, hours);
}

std::string TimestampDrift(const std::string& code, double offset_s, int hours) {
  return fmt::format("计量点 {} 近 {} 小时的采样时间偏离整点采样网格约 {:.0f} 秒（接入端时钟偏差）", code, hours,
                     offset_s);
}

std::string DayCompleteness(const std::string& enterprise, core::UnixMillis day_start, double pct, double min_pct) {
  return fmt::format("{} {} 数据完整率 {:.1f}%，低于 {:.0f}%", enterprise, Day(day_start), pct, min_pct);
}

std::string CalibrationOverdue(const std::string& code, const std::string& due) {
  return fmt::format("计量点 {} 的检定有效期已于 {} 到期", code, due);
}

std::string ReportLate(const std::string& enterprise, const std::string& kind, const std::string& period,
                       const std::string& due, bool started) {
  return fmt::format("{} {} {} 已过报送期限（{}）仍未提交{}", enterprise, period, kind == "yearly" ? "年报" : "月报",
                     due, started ? "（已保存草稿）" : "");
}

std::string ReviewOverdue(const std::string& flow, const std::string& subject, const std::string& level,
                          const std::string& due) {
  std::string who = level == "county"       ? "县级审核"
                    : level == "city"       ? "市级审核"
                    : level == "province"   ? "省级审核"
                    : level == "enterprise" ? "企业修改后重新提交"
                                            : "县级修改后重新提交";
  return fmt::format("{}「{}」已超过办理期限（{}），仍待{}", core::ReviewFlowTitle(flow), subject, due, who);
}

std::string ViolationDeadline(const std::string& project, const std::string& enterprise, const std::string& disposal,
                              const std::string& deadline, int days, bool overdue) {
  if (overdue) {
    return fmt::format("违规项目「{}」（{}，{}）已超过整改期限 {}（逾期 {} 天），仍未整改完成", project, enterprise,
                       disposal, deadline, days);
  }
  return fmt::format("违规项目「{}」（{}，{}）整改期限 {} 将至（剩余 {} 天）", project, enterprise, disposal, deadline,
                     days);
}

std::string DailyDataLate(const std::string& enterprise, core::UnixMillis day_start, double pct) {
  return fmt::format("{} {} 的日数据次日 9:30 前未报齐（完整率 {:.1f}%）", enterprise, Day(day_start), pct);
}

std::string TaskDeliveryLate(const std::string& task, const std::string& department, const std::string& period,
                             const std::string& due) {
  return fmt::format("{}的数据采集任务「{}」{} 期未按时报送（应于 {} 前）", department, task, period, due);
}

std::string SourceName(const std::string& source) {
  if (source == "metered") return "在线计量";
  if (source == "reported") return "企业报表";
  if (source == "department") return "部门数据";
  return source;
}

std::string EnergyName(const std::string& energy_type) {
  auto type = core::FindEnergyType(energy_type);
  return type ? std::string(type->name_zh) : energy_type;
}

std::string SourceMismatch(const std::string& enterprise, const std::string& month, const std::string& energy,
                           const std::string& off_source, double pct, const std::string& against) {
  return fmt::format("{} {} {}：{}比{}{} {:.1f}%", enterprise, month, EnergyName(energy), SourceName(off_source),
                     against, pct >= 0 ? "高" : "低", std::fabs(pct));
}

std::string CrossModelName(const std::string& model) {
  if (model == "electricity_per_output") return "单位产品电耗";
  if (model == "water_per_output") return "单位产品取水量";
  if (model == "so2_per_coal") return "吨煤二氧化硫排放量";
  if (model == "nox_per_coal") return "吨煤氮氧化物排放量";
  if (model == "revenue_per_output") return "主营业务收入与产量×价格之比";
  if (model == "output_over_capacity") return "产量（折年）";
  return model;
}

std::string CrossModelUnit(const std::string& model) {
  if (model == "electricity_per_output") return "kWh/t";
  if (model == "water_per_output") return "t/t";
  if (model == "so2_per_coal" || model == "nox_per_coal") return "kg/t";
  if (model == "output_over_capacity") return "t/年";
  return "";
}

namespace {
// What a broken relation most often means, for the official who follows it up.
std::string CrossHint(const std::string& model, double pct) {
  bool high = pct > 0;
  if (model == "electricity_per_output" || model == "water_per_output")
    return high ? "产量可能少报，或用量异常" : "产量可能多报，或用量少计";
  if (model == "so2_per_coal" || model == "nox_per_coal")
    return high ? "治污设施可能异常，或用煤量少报" : "排放量可能少报，或用煤量多报";
  if (model == "revenue_per_output") return high ? "产量或价格可能少报" : "营业收入可能少报，或产量多报";
  return "可能超产能生产";
}
}  // namespace

std::string CrossQuantity(const std::string& enterprise, const std::string& month, const std::string& model,
                          double value, double expected, double pct, const std::string& basis, int history_months,
                          int peers) {
  auto unit = CrossModelUnit(model);
  auto figure = [&](double v) {
    if (model == "output_over_capacity") return fmt::format("{:.1f} 万吨/年", v / 10'000);
    if (unit.empty()) return fmt::format("{:.2f}", v);
    return std::fabs(v) >= 1000 ? fmt::format("{:.0f} {}", v, unit) : fmt::format("{:.4g} {}", v, unit);
  };
  std::string against;
  if (basis == "own_history") {
    against = fmt::format("比自身近 {} 个月中位数 {}{}", history_months, figure(expected), pct >= 0 ? "高" : "低");
  } else if (basis == "industry") {
    against = fmt::format("{}同产品 {} 家企业正常范围的{} {}", pct >= 0 ? "高于" : "低于", peers,
                          pct >= 0 ? "上限" : "下限", figure(expected));
  } else {
    against = fmt::format("超过核准产能 {}", figure(expected));
  }
  return fmt::format("{} {} {} {}，{} {:.1f}%，{}", enterprise, month, CrossModelName(model), figure(value), against,
                     std::fabs(pct), CrossHint(model, pct));
}

std::string SourcesDisagree(const std::string& enterprise, const std::string& month, const std::string& energy,
                            const std::string& a, const std::string& b, double pct) {
  return fmt::format("{} {} {}：{}与{}相差 {:.1f}%", enterprise, month, EnergyName(energy), SourceName(a),
                     SourceName(b), std::fabs(pct));
}

std::string IndicatorName(const std::string& indicator, const std::string& product) {
  if (indicator == "energy_total") return "能源消费总量";
  if (indicator == "energy_intensity") return "能耗强度";
  if (indicator == "coal_total") return "煤炭消费总量";
  if (indicator == "co2_total") return "二氧化碳排放总量";
  if (indicator == "co2_intensity") return "碳排放强度";
  if (indicator == "so2_total") return "二氧化硫排放总量";
  if (indicator == "nox_total") return "氮氧化物排放总量";
  if (indicator == "output_cap") return product + "产量";
  return indicator;
}

std::string TargetForecast(const std::string& region, int year, const std::string& indicator,
                           const std::string& product, double forecast, double target, const std::string& unit,
                           std::optional<int> crossing_month, bool exceeding) {
  std::string when = crossing_month ? fmt::format("，预计 {} 月突破", *crossing_month) : "";
  return fmt::format("{} {} 年{}预计 {} {}，{}目标 {} {}（{:.1f}%）{}", region, year, IndicatorName(indicator, product),
                     Number(forecast), unit, exceeding ? "超出" : "接近", Number(target), unit,
                     target > 0 ? forecast / target * 100 : 0.0, when);
}

std::string CapacityUtilisationLow(const std::string& product, double pct, double min_pct) {
  return fmt::format("{}产能利用率 {:.1f}%，低于 {:.0f}%（近 12 个月产量 / 在产项目产能）", product, pct, min_pct);
}

std::string BelowBenchmark(const std::string& project, const std::string& product, double value, double benchmark,
                           const std::string& unit) {
  return fmt::format("项目「{}」{}单位产品能耗 {} {}，未达基准水平 {} {}", project, product, Number(value), unit,
                     Number(benchmark), unit);
}

std::string UpgradeUnaccepted(const std::string& project, const std::string& enterprise, std::int64_t plan_id,
                              const std::string& plan_status, const std::string& completion_due) {
  if (plan_id == 0) return fmt::format("「{}」项目「{}」低于能效基准水平，尚无“一企一策”改造方案", enterprise, project);
  const char* where = plan_status == "filed"       ? "方案仍在审核"
                      : plan_status == "completed" ? "已完工未验收"
                                                   : "改造尚未完成";
  return fmt::format("「{}」项目「{}」改造方案计划 {} 完成，逾期未验收（{}）", enterprise, project, completion_due,
                     where);
}

std::string AdvancedShareLow(const std::string& product, double pct, double goal_pct) {
  return fmt::format("{}达到标杆水平的产能占比 {:.1f}%，低于 {:.0f}% 的目标", product, pct, goal_pct);
}

std::string ClearedNote(const std::string& id) {
  if (id == rule::kMeterStopped || id == rule::kAccessEndSilent) return "数据已恢复上传，自动关闭";
  if (id == rule::kGap) return "缺失时段的数据已补传，自动关闭";
  if (id == rule::kDayCompleteness || id == rule::kDailyDataLate) return "数据已补齐，自动关闭";
  if (id == rule::kCalibrationOverdue) return "检定日期已更新，自动关闭";
  if (id == rule::kReportLate) return "报告已提交，自动关闭";
  if (id == rule::kTaskDeliveryLate) return "部门数据已报送，自动关闭";
  if (id == rule::kReviewOverdue) return "事项已办理，自动关闭";
  if (id == rule::kViolationDueSoon) return "整改已完成、期限已调整或已转为逾期预警，自动关闭";
  if (id == rule::kViolationOverdue) return "整改已完成或期限已调整，自动关闭";
  if (id == rule::kTimestampDrift) return "采样时间已恢复正常，自动关闭";
  if (id == rule::kUpgradeUnaccepted) return "改造方案已提交或已验收，或项目已不低于基准水平，自动关闭";
  return "条件已不再成立，自动关闭";
}

}  // namespace kiln::warnings::zh
