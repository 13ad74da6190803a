// The cross-quantity models over the complete months of the look-back window: each enterprise
// month's figures (the accounting's electricity, water, coal and output; the tax office's revenue,
// the statistics office's price, the ecology department's emissions, the water company's water
// where no meter or report has it) against the enterprise's own
// previous months and its product's range that month (cross_checks.hpp).

#include <map>
#include <nlohmann/json.hpp>

#include "core/registry_schema.hpp"
#include "warnings/cross_checks.hpp"
#include "warnings/evaluation_context.hpp"
#include "warnings/messages.hpp"

namespace kiln::warnings {

using namespace evaluation;

namespace {

constexpr const char* kTax = "tax_monthly";
constexpr const char* kStatistics = "statistics_monthly";
constexpr const char* kEcology = "ecology_monthly";
constexpr const char* kWater = "water_monthly";

std::optional<double> Number(const nlohmann::json& data, const char* key) {
  if (!data.contains(key) || !data[key].is_number()) return std::nullopt;
  return data[key].get<double>();
}

std::optional<double> Amount(const analysis::MonthSource& m, const char* type) {
  auto it = m.amounts.find(type);
  if (it == m.amounts.end()) return std::nullopt;
  return it->second;
}

nlohmann::json Optional(const std::optional<double>& v, int digits) {
  return v ? nlohmann::json(Round(*v, digits)) : nlohmann::json();
}

}  // namespace

core::Status Evaluator::CrossQuantity(Context& ctx, EvaluationSummary& summary) {
  CrossParams params{.unit_use_pct = ctx.thresholds.Value("cross_quantity", "unit_use_pct"),
                     .emission_pct = ctx.thresholds.Value("cross_quantity", "emission_pct"),
                     .revenue_pct = ctx.thresholds.Value("cross_quantity", "revenue_pct"),
                     .capacity_over_pct = ctx.thresholds.Value("cross_quantity", "capacity_over_pct"),
                     .industry_margin_pct = ctx.thresholds.Value("cross_quantity", "industry_margin_pct"),
                     .min_history = static_cast<int>(ctx.thresholds.Value("cross_quantity", "min_history_months"))};
  const int history_months = static_cast<int>(ctx.thresholds.Value("cross_quantity", "history_months"));
  auto today = core::ChinaDateOf(ctx.now);
  const core::CivilDate this_month{today.year, today.month, 1};
  const core::CivilDate first_read = AddMonths(ctx.first_month, -history_months);

  // Every enterprise's figures of every month read, by month index from first_read.
  std::vector<core::CivilDate> months;
  for (auto m = first_read; core::ChinaMidnight(m) < core::ChinaMidnight(this_month); m = AddMonths(m, 1)) {
    months.push_back(m);
  }
  std::map<std::int64_t, std::vector<MonthFigures>> figures;
  auto slot = [&](std::int64_t enterprise_id, std::size_t index) -> MonthFigures& {
    auto& v = figures[enterprise_id];
    if (v.size() < months.size()) v.resize(months.size());
    return v[index];
  };
  std::map<std::string, std::size_t> index_of;
  for (std::size_t i = 0; i < months.size(); ++i) {
    index_of[MonthText(months[i])] = i;
    auto accounts = dual_control_.Month(months[i].year, months[i].month);
    if (!accounts.ok()) return accounts.status();
    for (const auto& a : **accounts) {
      if (a.months.empty()) continue;
      const auto& ms = a.months.front();
      auto& f = slot(a.enterprise_id, i);
      f.electricity_kwh = Amount(ms, "electricity");
      f.water_t = Amount(ms, "water");
      f.coal_t = Amount(ms, "raw_coal");
      f.output_t = ms.output;
      f.output_source = ms.output ? ms.source : "";
      f.product = ms.product;
    }
  }
  if (months.empty()) return {};
  auto records = store_.DepartmentRecordsFor({kTax, kStatistics, kEcology, kWater}, std::nullopt,
                                             MonthText(months.front()), MonthText(months.back()));
  if (!records.ok()) return records.status();
  for (const auto& r : *records) {
    auto at = index_of.find(r.period);
    if (at == index_of.end()) continue;
    auto data = nlohmann::json::parse(r.data, nullptr, false);
    if (!data.is_object()) continue;
    auto& f = slot(r.enterprise_id, at->second);
    if (r.task_code == kTax) f.revenue_10k = Number(data, "main_revenue");
    if (r.task_code == kStatistics) {
      f.price_yuan_per_t = Number(data, "price");
      // The statistics office's output is the figure these models check against the meters and
      // the tax office, whatever source the accounting prefers for the month.
      if (auto output = Number(data, "output")) {
        f.output_t = output;
        f.output_source = "statistics";
        if (data["product"].is_string()) f.product = data["product"].get<std::string>();
      }
    }
    if (r.task_code == kWater && !f.water_t) f.water_t = Number(data, "water");  // m³ of fresh water = t
    if (r.task_code == kEcology) {
      f.so2_t = Number(data, "so2");
      f.nox_t = Number(data, "nox");
    }
  }

  // Approved capacity in tonnes of the products of existing projects, by enterprise.
  auto projects = ctx.Projects();
  if (!projects.ok()) return projects.status();
  std::map<std::int64_t, std::map<std::string, double>> capacity;
  for (const auto& p : **projects) {
    if (storage::AsText(p.at("state")) != "existing") continue;
    capacity[storage::AsInt(p.at("enterprise_id"))][storage::AsText(p.at("product"))] +=
        CapacityTonnesPerYear(storage::AsReal(p.at("capacity")), storage::AsText(p.at("capacity_unit")));
  }
  for (auto& [id, months_of] : figures) {
    // A month whose output came from an output meter names no product: the one product the
    // enterprise's plants make, if they make one. A month without the statistics office's price
    // takes the latest one before it.
    std::string only_product;
    if (auto c = capacity.find(id); c != capacity.end() && c->second.size() == 1)
      only_product = c->second.begin()->first;
    std::optional<double> price;
    for (auto& f : months_of) {
      if (f.product.empty()) f.product = only_product;
      if (f.price_yuan_per_t) {
        price = f.price_yuan_per_t;
      } else {
        f.price_yuan_per_t = price;
      }
    }
  }

  const auto& models = RatioModels();
  std::vector<Finding> found;
  for (std::size_t i = static_cast<std::size_t>(history_months); i < months.size(); ++i) {
    auto month = MonthText(months[i]);
    auto start = core::ChinaMidnight(months[i]), end = core::ChinaMidnight(AddMonths(months[i], 1));
    int days = static_cast<int>((end - start) / kDayMs);
    // The month's range of each ratio over the enterprises making the same product.
    std::map<std::string, std::vector<std::vector<double>>> ratios;
    for (const auto& [id, months_of] : figures) {
      const auto& f = months_of[i];
      if (f.product.empty()) continue;
      auto& by_model = ratios[f.product];
      by_model.resize(models.size());
      for (std::size_t k = 0; k < models.size(); ++k) {
        if (auto r = ModelRatio(models[k], f)) by_model[k].push_back(*r);
      }
    }
    std::map<std::string, std::vector<std::optional<IndustryRange>>> ranges;
    for (auto& [product, by_model] : ratios) {
      for (auto& values : by_model) ranges[product].push_back(RangeOf(std::move(values), params.min_peers));
    }
    for (const auto& [id, months_of] : figures) {
      const auto& f = months_of[i];
      std::vector<MonthFigures> history(months_of.begin() + static_cast<std::ptrdiff_t>(i - history_months),
                                        months_of.begin() + static_cast<std::ptrdiff_t>(i));
      double capacity_t = 0;
      if (auto c = capacity.find(id); c != capacity.end() && !f.product.empty()) {
        if (auto p = c->second.find(f.product); p != c->second.end()) capacity_t = p->second;
      }
      static const std::vector<std::optional<IndustryRange>> kNoRanges;
      auto r = ranges.find(f.product);
      auto results = CheckMonth(f, history, r == ranges.end() ? kNoRanges : r->second, capacity_t, days, params);
      for (const auto& res : results) {
        auto finding =
            Make(rule::kCrossQuantity, fmt::format("cross_quantity:e{}:{}:{}", id, month, res.model), start, end - 1);
        ctx.Place(finding, id);
        if (res.critical) finding.severity = "critical";
        finding.message =
            zh::CrossQuantity(ctx.NameOf(id), month, res.model, res.value, res.expected, res.pct, res.basis,
                              res.history_months, res.industry ? res.industry->enterprises : 0);
        finding.evidence = {{"model", res.model},
                            {"month", month},
                            {"value", Round(res.value, 4)},
                            {"expected", Round(res.expected, 4)},
                            {"unit", zh::CrossModelUnit(res.model)},
                            {"pct", Round(res.pct, 2)},
                            {"basis", res.basis},
                            {"product", f.product},
                            {"thresholds", ctx.thresholds.Cite("cross_quantity")},
                            {"links",
                             {Link("核算", fmt::format("/enterprises/{}?tab=accounting&period={}", id, month)),
                              Link("部门数据", fmt::format("/enterprises/{}?tab=department&period={}", id, month))}}};
        auto& e = finding.evidence;
        if (res.basis == "own_history") e["history_months"] = res.history_months;
        if (res.basis == "industry" && res.industry) {
          e["industry_p10"] = Round(res.industry->p10, 4);
          e["industry_p90"] = Round(res.industry->p90, 4);
          e["industry_enterprises"] = res.industry->enterprises;
        }
        // The month's inputs of this model only.
        const auto& m = res.model;
        if (m == "electricity_per_output") e["electricity_kwh"] = Optional(f.electricity_kwh, 1);
        if (m == "water_per_output") e["water_t"] = Optional(f.water_t, 1);
        if (m == "so2_per_coal" || m == "nox_per_coal") e["coal_t"] = Optional(f.coal_t, 2);
        if (m == "so2_per_coal") e["so2_t"] = Optional(f.so2_t, 3);
        if (m == "nox_per_coal") e["nox_t"] = Optional(f.nox_t, 3);
        if (m == "revenue_per_output") {
          e["revenue_10k"] = Optional(f.revenue_10k, 2);
          e["price_yuan_per_t"] = Optional(f.price_yuan_per_t, 2);
        }
        if (m != "so2_per_coal" && m != "nox_per_coal") {
          e["output_t"] = Optional(f.output_t, 2);
          e["output_source"] = f.output_source;
        }
        if (m == "output_over_capacity") e["capacity_t"] = Round(capacity_t, 0);
        found.push_back(std::move(finding));
      }
    }
  }
  return Apply({.rules = RuleIds({rule::kCrossQuantity}), .reaching = core::ChinaMidnight(ctx.first_month)}, found, ctx,
               summary);
}

}  // namespace kiln::warnings
