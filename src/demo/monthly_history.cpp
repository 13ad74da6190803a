#include "demo/monthly_history.hpp"

#include <cmath>
#include <map>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sim/ingest_client.hpp"

namespace kiln::demo {
namespace {

constexpr std::int64_t kHourMs = 3'600'000;
// Loads sampled every few hours stand in for the month's mean load.
constexpr std::int64_t kSampleMs = 3 * kHourMs;

core::CivilDate AddMonths(core::CivilDate d, int months) {
  int index = d.year * 12 + (d.month - 1) + months;
  return {index / 12, index % 12 + 1, 1};
}

int MonthsBetween(core::CivilDate a, core::CivilDate b) { return (b.year - a.year) * 12 + (b.month - a.month); }

// Ex-works prices of the main products, yuan per tonne (orders of magnitude of 2024 market prices).
double BasePrice(const std::string& product) {
  static const std::map<std::string, double> kPrices = {
      {"原油加工", 5200},     {"焦炭", 2100},    {"煤制油品", 6000},
      {"烧碱", 2600},         {"合成氨", 2900},  {"子午线轮胎", 16000},
      {"水泥熟料", 280},      {"石灰", 330},     {"改性沥青防水卷材", 9000},
      {"浮法平板玻璃", 1700}, {"陶瓷砖", 2400},  {"粗钢", 3500},
      {"硅铁", 6300},         {"电解铜", 70000}, {"电解铝", 19500},
      {"燃煤发电机组", 3800}};
  auto it = kPrices.find(product);
  return it == kPrices.end() ? 3000 : it->second;
}

}  // namespace

double FeedstockTce(const std::string& product, double raw_coal_t, double natural_gas_m3) {
  static const std::map<std::string, double> kShares = {
      {"焦炭", 0.65}, {"合成氨", 0.45}, {"煤制油品", 0.55}, {"原油加工", 0.3}};
  auto it = kShares.find(product);
  if (it == kShares.end()) return 0;
  return it->second * (raw_coal_t * 0.7143 + natural_gas_m3 * 0.0012143);
}

double RenewableShare(std::uint64_t seed, std::int64_t enterprise_id) {
  double u = sim::Noise(seed, static_cast<std::uint64_t>(enterprise_id) * 7'919 + 29);
  return u < 0.2 ? 0.1 + u * 1.5 : 0;  // 10–40 % for one in five
}

ModelledMonth ModelMonth(const MonthlyEnterprise& e, std::uint64_t seed, core::CivilDate month,
                         core::CivilDate reference_month) {
  auto start = core::ChinaMidnight(month);
  auto end = core::ChinaMidnight(AddMonths(month, 1));
  double hours = static_cast<double>(end - start) / kHourMs;
  // Each enterprise grows (or shrinks) by its own rate a year; the reference month is the meters'.
  double growth = 0.03 + (sim::Noise(seed, static_cast<std::uint64_t>(e.id) * 7 + 1) - 0.5) * 0.12;
  double trend = std::pow(1 + growth, MonthsBetween(reference_month, month) / 12.0);
  double noise = 1 + (sim::Noise(seed, static_cast<std::uint64_t>(e.id) * 97 +
                                           static_cast<std::uint64_t>(month.year * 12 + month.month)) -
                      0.5) *
                         0.04;
  ModelledMonth out;
  double load_sum = 0;
  int samples = 0;
  for (const auto& p : *e.points) {
    if (!p.in_total || p.kind == "instant") continue;
    double mean_load = 0;
    int n = 0;
    for (auto t = start + kSampleMs / 2; t < end; t += kSampleMs, ++n) mean_load += sim::LoadFactor(p, t);
    mean_load /= std::max(1, n);
    load_sum += mean_load;
    ++samples;
    double amount = p.mean_rate * mean_load * hours * trend * noise * p.Improvement(start);
    if (p.measures == "electricity") out.electricity += amount;
    if (p.measures == "raw_coal") out.raw_coal += amount;
    if (p.measures == "natural_gas") out.natural_gas += amount;
    if (p.measures == "steam") out.steam += amount;
    if (p.measures == "water") out.water += amount;
    if (p.measures == "product_output") out.output += amount;
  }
  // Value added follows activity: about 20,000 yuan a month per employee at full load.
  double load = samples ? load_sum / samples : 0;
  out.value_added = static_cast<double>(e.staff) * 2.0 * load * trend * noise;
  out.feedstock_tce = FeedstockTce(e.product, out.raw_coal, out.natural_gas);
  out.renewable_kwh = out.electricity * RenewableShare(seed, e.id);
  auto key = [&](std::uint64_t salt) { return static_cast<std::uint64_t>(e.id) * 1'009 + salt; };
  auto month_key = [&](std::uint64_t salt) {
    return key(salt) * 131 + static_cast<std::uint64_t>(month.year * 12 + month.month);
  };
  // A product's price follows its market (the same for every maker) within a few percent.
  int index = month.year * 12 + month.month;
  double market = 1 + 0.08 * std::sin(index * 0.45 + static_cast<double>(e.product.size()));
  out.price = std::round(BasePrice(e.product) * market * (0.98 + 0.04 * sim::Noise(seed, month_key(3))));
  // Revenue: the product at its price and a share of other business; otherwise a multiple of value added.
  double other_business = 0.03 + 0.12 * sim::Noise(seed, key(5));
  out.revenue = out.output > 0 ? out.output * out.price / 10'000 * (1 + other_business) *
                                     (0.98 + 0.04 * sim::Noise(seed, month_key(7)))
                               : out.value_added * 4;
  out.net_tax = out.revenue * (0.04 + 0.03 * sim::Noise(seed, key(11)));
  if (e.emitter) {
    // After desulphurisation and denitrification: kg per tonne of coal burned, a plant's own level.
    double so2_per_t = 0.35 + 0.3 * sim::Noise(seed, key(13));
    double nox_per_t = 0.7 + 0.4 * sim::Noise(seed, key(17));
    out.so2 = out.raw_coal * so2_per_t / 1000 * (0.94 + 0.12 * sim::Noise(seed, month_key(19)));
    out.nox =
        (out.raw_coal * nox_per_t + out.natural_gas * 0.0015) / 1000 * (0.94 + 0.12 * sim::Noise(seed, month_key(23)));
    out.dust = out.raw_coal * 0.08 / 1000;
  }
  return out;
}

core::Status DeliverMonthlyHistory(const std::vector<MonthlyEnterprise>& enterprises,
                                   const std::vector<PlantedFault>& faults, security::MachineAuth& auth,
                                   const std::string& host, int port, const MonthlyHistoryOptions& options,
                                   const std::function<bool()>& stopping,
                                   const std::function<void(int, int)>& progress) {
  struct Task {
    const char* department;
    const char* code;
    std::unique_ptr<sim::IngestClient> client;
    nlohmann::json rows = nlohmann::json::array();
  };
  std::vector<Task> tasks;
  static constexpr std::pair<const char*, const char*> kTasks[] = {
      {"power", "power_monthly"},       {"energy", "energy_monthly"}, {"statistics", "statistics_monthly"},
      {"water", "water_monthly"},       {"tax", "tax_monthly"},       {"ecology", "ecology_monthly"},
      {"development", "credit_monthly"}};
  for (auto [department, code] : kTasks) {
    auto key = auth.IssueForDepartment(department, options.province, "demo-feed");
    if (!key.ok()) return key.status().WithContext(fmt::format("a {} key for the demo", department));
    tasks.push_back({department, code, std::make_unique<sim::IngestClient>(host, port, key->key_id, key->secret)});
  }
  auto [power, energy, statistics, water, tax, ecology, credit] =
      std::tie(tasks[0].rows, tasks[1].rows, tasks[2].rows, tasks[3].rows, tasks[4].rows, tasks[5].rows, tasks[6].rows);
  // The departments' planted faults, by enterprise and month.
  std::map<std::pair<std::int64_t, std::string>, const PlantedFault*> planted;
  for (const auto& f : faults) {
    if (!f.month.empty()) planted[{f.enterprise_id, f.month}] = &f;
  }
  auto first = AddMonths(options.first_metered_month, -options.months);
  int total = MonthsBetween(first, options.current_month);
  for (int i = 0; i < total && !stopping(); ++i) {
    auto month = AddMonths(first, i);
    // Months with meters: their energy, output and water are the meters'; the power company's
    // electricity follows once the meter history is in (MeterFeed).
    bool metered = MonthsBetween(options.first_metered_month, month) >= 0;
    std::string period = fmt::format("{:04}-{:02}", month.year, month.month);
    for (auto& t : tasks) t.rows = nlohmann::json::array();
    for (const auto& e : enterprises) {
      auto m = ModelMonth(e, options.seed, month, options.first_metered_month);
      const PlantedFault* fault = nullptr;
      if (auto it = planted.find({e.id, period}); it != planted.end()) fault = it->second;
      auto is = [&](const char* kind) { return fault && fault->kind == kind; };
      auto row = [&](nlohmann::json values) {
        return nlohmann::json{{"credit_code", e.uscc}, {"period", period}, {"values", std::move(values)}};
      };
      if (!metered) {
        if (m.electricity > 0) {
          power.push_back(row({{"electricity", std::round(m.electricity)},
                               {"max_demand", std::round(m.electricity / (24 * 30) * 1.6)}}));
        }
        nlohmann::json fuels = nlohmann::json::object();
        if (m.raw_coal > 0) fuels["raw_coal"] = std::round(m.raw_coal * 10) / 10;
        if (m.natural_gas > 0) fuels["natural_gas"] = std::round(m.natural_gas);
        if (m.steam > 0) fuels["steam"] = std::round(m.steam * 10) / 10;
        if (m.feedstock_tce > 0) fuels["feedstock"] = std::round(m.feedstock_tce * 10) / 10;
        if (m.renewable_kwh > 0) fuels["renewable_electricity"] = std::round(m.renewable_kwh);
        if (!fuels.empty()) energy.push_back(row(fuels));
        if (m.water > 0) water.push_back(row({{"water", std::round(m.water)}}));
      }
      double output = m.output;
      if (is("output_under_reported")) output *= fault->factor;
      if (is("over_capacity")) {
        auto days =
            static_cast<double>(core::ChinaMidnight(AddMonths(month, 1)) - core::ChinaMidnight(month)) / (24 * kHourMs);
        output = e.capacity_t * fault->factor * days / 365;
      }
      if (!metered || is("output_under_reported") || is("over_capacity")) {
        nlohmann::json figures = {{"value_added", std::round(m.value_added * 10) / 10}};
        if (output > 0 && !e.product.empty()) {
          figures["product"] = e.product;
          figures["output"] = std::round(output * 10) / 10;
          figures["price"] = m.price;
        }
        statistics.push_back(row(figures));
      }
      double revenue = m.revenue * (is("revenue_under_reported") ? fault->factor : 1);
      tax.push_back(row({{"main_revenue", std::round(revenue * 10) / 10},
                         {"net_tax", std::round(m.net_tax * 10) / 10},
                         {"vat", std::round(m.net_tax * 0.6 * 10) / 10}}));
      // The credit platform's month: now and then a penalty, rarely falsified data or the dishonest list.
      const auto credit_key = static_cast<std::uint64_t>(e.id) * 7331 + static_cast<std::uint64_t>(i) * 104729;
      const double draw = sim::Noise(options.seed, credit_key);
      if (draw < 0.006) {
        bool falsified = draw < 0.001, dishonest = draw < 0.0003;
        double fine = std::round((1 + 49 * sim::Noise(options.seed, credit_key + 1)) * 10) / 10;
        credit.push_back(row({{"penalties", 1},
                              {"fines", fine},
                              {"falsification", falsified ? 1 : 0},
                              {"dishonest", dishonest ? 1 : 0},
                              {"summary", dishonest ? std::string("未履行生效判决，列入失信被执行人名单")
                                          : falsified ? fmt::format("能耗数据虚报瞒报，罚款 {} 万元", fine)
                                                      : fmt::format("超标排放，罚款 {} 万元", fine)}}));
      }
      if (e.emitter) {
        double share = is("emissions_under_reported") ? fault->factor : 1;
        ecology.push_back(row({{"so2", std::round(m.so2 * share * 1000) / 1000},
                               {"nox", std::round(m.nox * share * 1000) / 1000},
                               {"dust", std::round(m.dust * 1000) / 1000}}));
      }
    }
    for (auto& t : tasks) {
      if (t.rows.empty()) continue;
      auto path = fmt::format("/api/v1/collection-tasks/{}/records", t.code);
      auto posted = t.client->Post(path, nlohmann::json{{"sync", "full"}, {"rows", t.rows}}.dump());
      if (!posted.ok()) return posted.status().WithContext(path);
      if (posted->status != 200) {
        return core::Status::Unavailable(
            fmt::format("{} for {}: {} {}", path, period, posted->status, posted->body.substr(0, 300)));
      }
    }
    if (progress) progress(i + 1, total);
  }
  return {};
}

}  // namespace kiln::demo
