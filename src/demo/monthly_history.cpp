#include "demo/monthly_history.hpp"

#include <cmath>
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

}  // namespace

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
    double amount = p.mean_rate * mean_load * hours * trend * noise;
    if (p.measures == "electricity") out.electricity += amount;
    if (p.measures == "raw_coal") out.raw_coal += amount;
    if (p.measures == "natural_gas") out.natural_gas += amount;
    if (p.measures == "steam") out.steam += amount;
    if (p.measures == "product_output") out.output += amount;
  }
  // Value added follows activity: about 20,000 yuan a month per employee at full load.
  double load = samples ? load_sum / samples : 0;
  out.value_added = static_cast<double>(e.staff) * 2.0 * load * trend * noise;
  return out;
}

core::Status DeliverMonthlyHistory(const std::vector<MonthlyEnterprise>& enterprises, security::MachineAuth& auth,
                                   const std::string& host, int port, const MonthlyHistoryOptions& options,
                                   const std::function<bool()>& stopping,
                                   const std::function<void(int, int)>& progress) {
  struct Task {
    const char* department;
    const char* code;
    std::unique_ptr<sim::IngestClient> client;
  };
  std::vector<Task> tasks;
  tasks.push_back({"power", "power_monthly", nullptr});
  tasks.push_back({"energy", "energy_monthly", nullptr});
  tasks.push_back({"statistics", "statistics_monthly", nullptr});
  for (auto& t : tasks) {
    auto key = auth.IssueForDepartment(t.department, options.province, "demo-feed");
    if (!key.ok()) return key.status().WithContext(fmt::format("a {} key for the demo", t.department));
    t.client = std::make_unique<sim::IngestClient>(host, port, key->key_id, key->secret);
  }
  auto first = AddMonths(options.first_metered_month, -options.months);
  for (int i = 0; i < options.months && !stopping(); ++i) {
    auto month = AddMonths(first, i);
    std::string period = fmt::format("{:04}-{:02}", month.year, month.month);
    nlohmann::json power = nlohmann::json::array(), energy = nlohmann::json::array(),
                   statistics = nlohmann::json::array();
    for (const auto& e : enterprises) {
      auto m = ModelMonth(e, options.seed, month, options.first_metered_month);
      if (m.electricity > 0) {
        power.push_back({{"credit_code", e.uscc},
                         {"period", period},
                         {"values",
                          {{"electricity", std::round(m.electricity)},
                           {"max_demand", std::round(m.electricity / (24 * 30) * 1.6)}}}});
      }
      nlohmann::json fuels = nlohmann::json::object();
      if (m.raw_coal > 0) fuels["raw_coal"] = std::round(m.raw_coal * 10) / 10;
      if (m.natural_gas > 0) fuels["natural_gas"] = std::round(m.natural_gas);
      if (m.steam > 0) fuels["steam"] = std::round(m.steam * 10) / 10;
      if (!fuels.empty()) energy.push_back({{"credit_code", e.uscc}, {"period", period}, {"values", fuels}});
      nlohmann::json figures = {{"value_added", std::round(m.value_added * 10) / 10}};
      if (m.output > 0 && !e.product.empty()) {
        figures["product"] = e.product;
        figures["output"] = std::round(m.output * 10) / 10;
      }
      statistics.push_back({{"credit_code", e.uscc}, {"period", period}, {"values", figures}});
    }
    for (auto& [rows, task] :
         {std::pair{&power, &tasks[0]}, std::pair{&energy, &tasks[1]}, std::pair{&statistics, &tasks[2]}}) {
      if (rows->empty()) continue;
      auto path = fmt::format("/api/v1/collection-tasks/{}/records", task->code);
      auto posted = task->client->Post(path, nlohmann::json{{"sync", "full"}, {"rows", *rows}}.dump());
      if (!posted.ok()) return posted.status().WithContext(path);
      if (posted->status != 200) {
        return core::Status::Unavailable(
            fmt::format("{} for {}: {} {}", path, period, posted->status, posted->body.substr(0, 300)));
      }
    }
    if (progress) progress(i + 1, options.months);
  }
  return {};
}

}  // namespace kiln::demo
