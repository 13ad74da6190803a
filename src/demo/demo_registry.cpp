#include "demo/demo_registry.hpp"

#include <cmath>
#include <fmt/format.h>
#include <map>
#include <random>
#include <set>

#include "core/credit_code.hpp"
#include "core/registry_schema.hpp"
#include "sim/load_model.hpp"

namespace kiln::demo {
namespace {

using core::Record;
using core::Value;

// What a typical plant of an industry makes and how its efficiency is measured.
struct IndustryProfile {
  const char* code;
  double weight;  // share of the province's two-high enterprises
  const char* name_suffix;  // part of the company name
  const char* product;
  const char* capacity_unit;
  double capacity_min, capacity_max;
  const char* efficiency_unit;  // empty: no national indicator
  double efficiency_min, efficiency_max;
  const char* fuel;  // main fuel metered besides electricity: coal, gas, steam
  bool emitter;  // has a flue-gas monitor
};

constexpr IndustryProfile kProfiles[] = {
    {"C2511", 6, "石化", "原油加工", "万吨/年", 100, 1200, "kgoe/(t·能量因数)", 6.5, 10.0, "gas", true},
    {"C2521", 5, "焦化", "焦炭", "万吨/年", 60, 400, "kgce/t", 100, 150, "coal", true},
    {"C2523", 1, "煤化工", "煤制油品", "万吨/年", 20, 100, "tce/t", 2.0, 3.2, "coal", true},
    {"C261", 14, "化工", "烧碱", "万吨/年", 5, 60, "kgce/t", 300, 420, "steam", true},
    {"C262", 4, "化肥", "合成氨", "万吨/年", 10, 60, "kgce/t", 1000, 1500, "coal", true},
    {"C2911", 8, "轮胎", "子午线轮胎", "万条/年", 100, 1500, "", 0, 0, "steam", false},
    {"C3011", 9, "水泥", "水泥熟料", "万吨/年", 60, 500, "kgce/t", 95, 125, "coal", true},
    {"C3012", 3, "石灰", "石灰", "万吨/年", 10, 100, "kgce/t", 100, 140, "coal", true},
    {"C3034", 3, "防水材料", "改性沥青防水卷材", "万平方米/年", 500, 5000, "", 0, 0, "gas", false},
    {"C3041", 3, "玻璃", "浮法平板玻璃", "万重量箱/年", 300, 1200, "kgce/重量箱", 9.0, 15.0, "gas", true},
    {"C307", 6, "陶瓷", "陶瓷砖", "万平方米/年", 500, 4000, "kgce/m²", 4.0, 8.0, "gas", true},
    {"C31", 9, "钢铁", "粗钢", "万吨/年", 100, 1000, "kgce/t", 340, 460, "coal", true},
    {"C3150", 2, "铁合金", "硅铁", "万吨/年", 2, 20, "kWh/t", 8000, 9200, "coal", true},
    {"C321", 4, "有色金属", "电解铜", "万吨/年", 5, 60, "kgce/t", 200, 350, "gas", true},
    {"C3216", 3, "铝业", "电解铝", "万吨/年", 20, 200, "kWh/t", 12900, 13500, "coal", true},
    {"D4411", 10, "热电", "燃煤发电机组", "MW", 50, 1000, "gce/kWh", 280, 320, "coal", true},
};

constexpr const char* kTradeNames[] = {
    "恒信", "宏泰", "瑞达", "金源", "鑫盛", "华泰", "永兴", "德润", "鸿运", "安泰", "盛源", "嘉德", "博远", "昊天",
    "汇通", "丰源", "中联", "广利", "正元", "泰和", "隆基", "腾达", "天润", "海诺", "荣信", "东辰", "明德", "晟丰",
    "信发", "济丰", "鲁源", "齐泰", "岱宗", "沂蒙", "黄河", "渤海", "泉城", "琴岛", "汶河", "泗水", "运河", "微山",
    "蓬瀛", "孔孟", "牡丹", "水浒", "崂峰", "昆嵛", "徂徕", "尼山", "峄州", "琅琊", "兰陵", "莒国", "滕国", "鄄城"};

constexpr const char* kSurnames[] = {"王", "张", "李", "刘", "陈", "杨", "赵", "孙",
                                     "周", "吴", "徐", "马", "朱", "胡", "郭"};
constexpr const char* kGivenNames[] = {"建国", "志强", "海波", "立新", "晓东", "春华", "明远", "丽娟",
                                       "振华", "玉梅", "国庆", "文军", "秀英", "永刚", "红霞", "德胜"};
// Telephone area codes of Shandong's cities.
const std::map<std::string, std::string> kAreaCodes = {
    {"370100", "0531"}, {"370200", "0532"}, {"370300", "0533"}, {"370400", "0632"},
    {"370500", "0546"}, {"370600", "0535"}, {"370700", "0536"}, {"370800", "0537"},
    {"370900", "0538"}, {"371000", "0631"}, {"371100", "0633"}, {"371300", "0539"},
    {"371400", "0534"}, {"371500", "0635"}, {"371600", "0543"}, {"371700", "0530"}};

constexpr const char* kStreets[] = {"工业园区", "经济开发区", "化工产业园", "高新技术产业开发区", "临港产业区"};

class Generator {
 public:
  Generator(std::uint64_t seed, core::CivilDate today) : today(today), rng_(seed) {}

  const core::CivilDate today;  // the demo's day: calibration dates are set around it

  double Uniform(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng_); }
  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Chance(double p) { return Uniform(0, 1) < p; }
  template <typename T, std::size_t N>
  const T& Pick(const T (&items)[N]) {
    return items[Int(0, static_cast<int>(N) - 1)];
  }
  const IndustryProfile& PickIndustry() {
    double total = 0;
    for (const auto& p : kProfiles) total += p.weight;
    double x = Uniform(0, total);
    for (const auto& p : kProfiles) {
      if ((x -= p.weight) <= 0) return p;
    }
    return kProfiles[0];
  }
  std::string OrgBody() {
    static constexpr char kChars[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    std::string s = "MA";  // newer registrations start with MA
    while (s.size() < 8) s += kChars[Int(0, 30)];
    return s;
  }
  // A point up to `radius_km` from (lng, lat), uniform over the disc.
  std::pair<double, double> Near(double lng, double lat, double radius_km) {
    double r = radius_km * std::sqrt(Uniform(0, 1)), a = Uniform(0, 2 * M_PI);
    double dlat = r * std::sin(a) / 111.0, dlng = r * std::cos(a) / (111.0 * std::cos(lat * M_PI / 180));
    return {std::round((lng + dlng) * 1e5) / 1e5, std::round((lat + dlat) * 1e5) / 1e5};
  }

 private:
  std::mt19937_64 rng_;
};

double RoundTo(double v, int digits) {
  double f = std::pow(10.0, digits);
  return std::round(v * f) / f;
}

// A project's approval documents and design figures, from its index alone (so that the generator's
// other draws stay as they were): 核准 or 备案 in the year it was let go ahead, the energy review and
// the environmental approval a few months later (a planned project has not got them all yet), and the
// design figures beside its capacity and unit consumption.
void AddApprovalDocuments(Record& pr, std::size_t index, int year, int month, const std::string& state) {
  const auto n = static_cast<int>(index);
  const bool approval = n % 3 == 0;
  pr["approval_kind"] = std::string(approval ? "approval" : "filing");
  pr["approval_no"] = approval ? fmt::format("鲁发改产业〔{}〕{}号", year, 10 + n % 290)
                               : fmt::format("{}-{}-{:02}-03-{:06}", year, storage::AsText(pr.at("region")),
                                             20 + n % 12, 100000 + (n * 7919) % 900000);
  auto later = [&](int months) {
    int m = month - 1 + months;
    return fmt::format("{}-{:02}-{:02}", year + m / 12, m % 12 + 1, 1 + (n * 13) % 28);
  };
  const bool planned = state == "planned";
  if (!planned || n % 2 == 0) {
    pr["energy_review_no"] = fmt::format("鲁发改能审〔{}〕{}号", year, 1 + n % 180);
    pr["energy_review_on"] = later(1 + n % 3);
  }
  if (!planned) {
    pr["eia_no"] = fmt::format("鲁环审〔{}〕{}号", year, 1 + (n * 3) % 240);
    pr["eia_on"] = later(2 + n % 4);
  }
  if (pr.contains("capacity") && !core::IsNull(pr.at("capacity"))) {
    const double capacity = storage::AsReal(pr.at("capacity"));
    pr["design_capacity"] = capacity;
    // 万吨 × kgce/t = 10 tce; MW × gce/kWh over 5,000 hours = 5 tce; without a unit consumption, about
    // 0.1 tce per tonne.
    const bool power = storage::AsText(pr.at("capacity_unit")).starts_with("MW");
    const double tce = pr.contains("efficiency_value")
                           ? capacity * (power ? 5 : 10) * storage::AsReal(pr.at("efficiency_value"))
                           : capacity * 1000;
    pr["design_energy_tce"] = RoundTo(tce, 0);
    pr["design_coal_t"] = RoundTo(tce * (0.4 + 0.05 * (n % 8)) / 0.7143, 0);
  }
}

// A project's process units (装置): one to three lines of its product sharing its capacity, the first of
// its class in the catalogue and the others no stricter, so that the project's class is theirs; a unit to
// be eliminated has its deadline.
void AddProcessUnits(const Record& project, std::int64_t project_id, std::size_t index, std::vector<Record>& out) {
  const int n = 1 + static_cast<int>(index % 3);
  const std::string category = storage::AsText(project.at("equipment_category"));
  const bool measured = project.contains("capacity") && !core::IsNull(project.at("capacity"));
  for (int k = 0; k < n; ++k) {
    std::string unit_category = k == 0 || category == "encouraged" ? category : k % 2 ? "encouraged" : "allowed";
    Record unit = {{"enterprise_id", project.at("enterprise_id")},
                   {"project_id", project_id},
                   {"name", fmt::format("{}{}号生产线", storage::AsText(project.at("product")), k + 1)},
                   {"process", std::string(k == 0 ? "主体生产装置" : "配套生产装置")},
                   {"category", unit_category},
                   {"status", std::string("running")},
                   {"commissioned_on", project.at("approved_on")}};
    if (measured) {
      unit["capacity"] = RoundTo(storage::AsReal(project.at("capacity")) / n, 1);
      unit["capacity_unit"] = project.at("capacity_unit");
    }
    if (unit_category == "eliminated") {
      unit["elimination_deadline"] = fmt::format("{}-12-31", 2026 + static_cast<int>(index % 3));
    }
    out.push_back(std::move(unit));
  }
}

Record MakePoint(std::int64_t enterprise_id, const char* code, const char* name, const char* measures, const char* unit,
                 const char* kind, std::int64_t interval_s, std::optional<double> rollover, Generator& g,
                 double max_rate = 0) {
  // Calibrated within the year before the demo's day, due a year after: none overdue (the meter
  // feed plants overdue ones and lists them with its faults).
  int months_ago = g.Int(1, 11);
  int index = g.today.year * 12 + (g.today.month - 1) - months_ago;
  int year = index / 12, month = index % 12 + 1;
  Record r = {{"enterprise_id", enterprise_id},
              {"code", std::string(code)},
              {"name", std::string(name)},
              {"measures", std::string(measures)},
              {"unit", std::string(unit)},
              {"kind", std::string(kind)},
              {"interval_s", interval_s},
              {"serial_no", fmt::format("SN{}{:06}", year, g.Int(0, 999999))},
              {"calibrated_on", fmt::format("{}-{:02}-{:02}", year, month, g.Int(1, 28))},
              {"calibration_due", fmt::format("{}-{:02}-{:02}", year + 1, month, g.Int(1, 28))}};
  if (rollover) r["rollover"] = *rollover;
  if (max_rate > 0) r["max_rate"] = std::round(max_rate);
  return r;
}

}  // namespace

core::Result<DemoSummary> GenerateDemoRegistry(storage::Store& store, security::Identity& identity,
                                               const core::Clock& clock, const DemoOptions& options,
                                               const std::function<void(const std::string&)>& progress) {
  DemoSummary summary;
  auto existing = store.CountRecords(core::EnterpriseSchema());
  if (!existing.ok()) return existing.status();
  storage::Actor actor{"demo-generator", "127.0.0.1"};
  auto now = clock.Now();

  auto regions = store.ListRegions();
  if (!regions.ok()) return regions.status();
  std::vector<storage::Region> counties;
  for (const auto& r : *regions) {
    if (r.level == "county") counties.push_back(r);
  }
  if (counties.empty()) return core::Status::InvalidArgument("no counties loaded; load the reference data first");

  std::string first_uscc, first_county;
  if (*existing == 0) {
    Generator g(options.seed, core::ChinaDateOf(now));
    progress(fmt::format("generating {} enterprises …", options.enterprises));
    std::vector<Record> enterprises;
    std::set<std::string> names, codes;
    std::vector<const IndustryProfile*> profiles;
    for (int i = 0; i < options.enterprises; ++i) {
      const auto& county = counties[g.Int(0, static_cast<int>(counties.size()) - 1)];
      const auto& profile = g.PickIndustry();
      std::string city_name;
      for (const auto& r : *regions) {
        if (r.code == county.parent) city_name = r.name.substr(0, r.name.size() - 3);  // drop "市"
      }
      std::string name;
      // Province or city, trade name, industry: about 1,900 names an industry. A large demo province
      // runs out of them, so then the county names the company, and at last a number does.
      for (int attempt = 0;; ++attempt) {
        std::string place = attempt < 8 ? (g.Chance(0.5) ? std::string("山东") : city_name) : county.name;
        std::string serial = attempt < 16 ? "" : fmt::format("{}", attempt - 15);
        name = fmt::format("{}{}{}{}{}", place, g.Pick(kTradeNames), profile.name_suffix, serial,
                           g.Chance(0.3) ? "股份有限公司" : "有限公司");
        if (names.insert(name).second) break;
      }
      std::string uscc;
      do {
        uscc = core::MakeCreditCode("91", county.code, g.OrgBody());
      } while (!codes.insert(uscc).second);
      auto [lng, lat] = g.Near(county.lng, county.lat, 4.0);
      bool big = profile.weight >= 8 ? g.Chance(0.5) : g.Chance(0.3);
      Record e = {{"uscc", uscc},
                  {"name", name},
                  {"region", county.code},
                  {"industry", std::string(profile.code)},
                  {"address", fmt::format("{}{}{}号", county.name, g.Pick(kStreets), g.Int(1, 999))},
                  {"lng", lng},
                  {"lat", lat},
                  {"legal_representative", std::string(g.Pick(kSurnames)) + g.Pick(kGivenNames)},
                  {"contact", std::string(g.Pick(kSurnames)) + g.Pick(kGivenNames)},
                  {"phone", fmt::format("{}-{}", kAreaCodes.at(county.parent), g.Int(6000000, 8999999))},
                  {"status", std::string(g.Chance(0.88) ? "running" : "stopped")},
                  {"registered_on", fmt::format("{}-{:02}-{:02}", g.Int(1988, 2022), g.Int(1, 12), g.Int(1, 28))},
                  {"registered_capital", RoundTo(big ? g.Uniform(20000, 500000) : g.Uniform(500, 20000), 1)},
                  {"staff", static_cast<std::int64_t>(big ? g.Int(800, 12000) : g.Int(60, 800))},
                  {"land_area", RoundTo(big ? g.Uniform(200000, 3000000) : g.Uniform(10000, 200000), 0)},
                  {"key_energy_unit", big || g.Chance(0.4)}};
      // Taken from what is drawn already, so that the rest of the province stays as it was.
      static constexpr const char* kTypes[] = {"有限责任公司", "股份有限公司", "有限责任公司（国有控股）",
                                               "有限责任公司（外商投资）", "私营企业"};
      e["enterprise_type"] = std::string(kTypes[uscc.back() % std::size(kTypes)]);
      e["business_scope"] = fmt::format("{}的生产、销售；货物进出口；技术服务", profile.product);
      auto errors = core::ValidateRecord(core::EnterpriseSchema(), e, true);
      if (!errors.empty()) {
        return core::Status::Internal(
            fmt::format("demo enterprise {} invalid: {} {}", name, errors[0].field, errors[0].reason));
      }
      enterprises.push_back(std::move(e));
      profiles.push_back(&profile);
    }
    first_uscc = std::get<std::string>(enterprises[0]["uscc"]);
    first_county = std::get<std::string>(enterprises[0]["region"]);
    auto ids = store.CreateRecords(core::EnterpriseSchema(), enterprises, actor, now);
    if (!ids.ok()) return ids.status();
    summary.enterprises = static_cast<int>(ids->size());

    progress("generating projects and metering points …");
    std::vector<Record> projects, points;
    std::map<std::size_t, std::size_t> point_project;  // point index -> project index
    static constexpr const char* kStates[] = {"existing", "under_construction", "planned"};
    for (size_t i = 0; i < ids->size(); ++i) {
      const auto& p = *profiles[i];
      const auto& e = enterprises[i];
      std::int64_t id = (*ids)[i];
      std::size_t main_project = projects.size();  // k == 0 below: the running plant its meters measure
      int count = std::max(1, static_cast<int>(std::lround(g.Uniform(0.5, options.projects_per_enterprise * 2 - 0.5))));
      for (int k = 0; k < count; ++k) {
        double x = g.Uniform(0, 1);
        const char* state = k == 0 ? "existing" : x < 0.62 ? kStates[0] : x < 0.84 ? kStates[1] : kStates[2];
        double capacity = RoundTo(g.Uniform(p.capacity_min, p.capacity_max) / (k == 0 ? 1 : 2), 0);
        if (k == 0 && std::string_view(p.capacity_unit) == "万吨/年") {
          // The running plant is built for its output (about 89 % mean load, all year) at a utilisation of
          // 65–85 %, so that output over capacity is a fault (over_capacity) and not chance.
          double output_t = sim::MeanRate(p.code, "product_output", storage::AsInt(e.at("staff"))) * 8760 * 0.89;
          double utilisation = p.product == kUnderusedProduct ? 0.4 : 0.65 + 0.2 * capacity / p.capacity_max;
          capacity = RoundTo(output_t / utilisation / 10'000, 1);
        }
        double c = g.Uniform(0, 1);
        const char* category = c < 0.14 ? "encouraged" : c < 0.84 ? "allowed" : c < 0.95 ? "restricted" : "eliminated";
        std::string unit = p.capacity_unit;
        if (auto slash = unit.find("/年"); slash != std::string::npos) unit.resize(slash);
        std::string phase = k == 0 ? "" : fmt::format("（{}期）", k + 1);
        std::string name = unit == "MW" ? fmt::format("{}MW{}项目{}", capacity, p.product, phase)
                                        : fmt::format("年产{}{}{}项目{}", capacity, unit, p.product, phase);
        // Drawn here, in the order the generator always drew it (the demo's other figures stay the same).
        const int approved_year = g.Int(2005, 2026), approved_month = g.Int(1, 12), approved_day = g.Int(1, 28);
        Record pr = {{"enterprise_id", id},
                     {"name", name},
                     {"industry", std::string(p.code)},
                     {"region", e.at("region")},
                     {"state", std::string(state)},
                     {"product", std::string(p.product)},
                     {"capacity", capacity},
                     {"capacity_unit", std::string(p.capacity_unit)},
                     {"equipment_category", std::string(category)},
                     {"approved_on", fmt::format("{}-{:02}-{:02}", approved_year, approved_month, approved_day)},
                     {"investment", RoundTo(g.Uniform(5000, 800000), 0)},
                     {"lng", e.at("lng")},
                     {"lat", e.at("lat")}};
        if (*p.efficiency_unit) {
          pr["efficiency_value"] = RoundTo(g.Uniform(p.efficiency_min, p.efficiency_max), 2);
          pr["efficiency_unit"] = std::string(p.efficiency_unit);
        }
        AddApprovalDocuments(pr, projects.size(), approved_year, approved_month, std::string(state));
        projects.push_back(std::move(pr));
      }
      std::size_t first_point = points.size();
      // Connections are sized at about three times the plant's mean draw.
      auto cap = [&](const char* measures) {
        return 3 * sim::MeanRate(p.code, measures, storage::AsInt(e.at("staff")));
      };
      points.push_back(MakePoint(id, "E-01", "总进线电能表", "electricity", "kWh", "register", 300, 99999999.0, g,
                                 cap("electricity")));
      if (g.Chance(0.5)) {
        points.push_back(MakePoint(id, "E-02", "生产线电能表", "electricity", "kWh", "register", 300, 9999999.0, g));
        points.back()["in_total"] = false;  // a sub-meter behind E-01
      }
      points.push_back(MakePoint(id, "W-01", "取水总表", "water", "t", "register", 3600, 9999999.0, g, cap("water")));
      std::string fuel = p.fuel;
      if (fuel == "coal")
        points.push_back(MakePoint(id, "C-01", "入炉煤皮带秤", "raw_coal", "t", "interval", 3600, {}, g));
      if (fuel == "gas")
        points.push_back(MakePoint(id, "G-01", "天然气流量计", "natural_gas", "m3", "register", 900, 99999999.0, g,
                                   cap("natural_gas")));
      if (fuel == "steam")
        points.push_back(
            MakePoint(id, "S-01", "蒸汽流量计", "steam", "t", "register", 900, 9999999.0, g, cap("steam")));
      points.push_back(MakePoint(id, "P-01", "产品产量计量", "product_output", "t", "interval", 3600, {}, g));
      for (std::size_t k = first_point; k < points.size(); ++k) point_project[k] = main_project;
      if (p.emitter) {
        points.push_back(MakePoint(id, "A-SO2", "烟气二氧化硫浓度", "a21026", "mg/m3", "instant", 3600, {}, g));
        points.push_back(MakePoint(id, "A-NOX", "烟气氮氧化物浓度", "a21002", "mg/m3", "instant", 3600, {}, g));
        points.push_back(MakePoint(id, "A-FLOW", "烟气流量", "a00000", "m3/h", "instant", 3600, {}, g));
      }
    }
    auto project_ids = store.CreateRecords(core::ProjectSchema(), projects, actor, now);
    if (!project_ids.ok()) return project_ids.status();
    summary.projects = static_cast<int>(project_ids->size());
    for (const auto& [point, project] : point_project) points[point]["project_id"] = (*project_ids)[project];
    std::vector<Record> units;
    for (std::size_t k = 0; k < projects.size(); ++k) AddProcessUnits(projects[k], (*project_ids)[k], k, units);
    if (auto made = store.CreateRecords(core::EquipmentSchema(), units, actor, now); !made.ok()) return made.status();
    auto point_ids = store.CreateRecords(core::MeteringPointSchema(), points, actor, now);
    if (!point_ids.ok()) return point_ids.status();
    summary.points = static_cast<int>(point_ids->size());
    progress(fmt::format("{} enterprises, {} projects, {} metering points", summary.enterprises, summary.projects,
                         summary.points));
    summary.fresh = true;
  } else {
    auto first = store.GetRecord(core::EnterpriseSchema(), 1);
    if (!first.ok()) return first.status();
    first_uscc = storage::AsText(first->at("uscc"));
    first_county = storage::AsText(first->at("region"));
    summary.enterprises = static_cast<int>(*existing);
  }

  std::string city = first_county.substr(0, 4) + "00";
  std::map<std::string, std::string> names;
  for (const auto& r : *regions) names[r.code] = r.name;
  struct Spec {
    security::NewUser user;
    std::string scope;
  };
  std::vector<Spec> specs = {
      {{.username = "province", .role = "province", .display_name = "省发改委管理员", .region = "370000"},
       "山东省全省"},
      {{.username = "city", .role = "city", .display_name = names[city] + "发改委", .region = city}, names[city]},
      {{.username = "county", .role = "county", .display_name = names[first_county] + "发改局", .region = first_county},
       names[city] + names[first_county]},
      {{.username = "dept_admin", .role = "dept_admin", .display_name = "生态环境部门管理员", .department = "ecology"},
       "生态环境部门，可为本部门用户授权"},
      {{.username = "dept_user",
        .role = "dept_user",
        .display_name = "生态环境部门用户",
        .department = "ecology",
        .permissions = "enterprise.read,project.read,point.read"},
       "生态环境部门，只读（由部门管理员授权）"},
      {{.username = "power_admin", .role = "dept_admin", .display_name = "电力公司数据管理员", .department = "power"},
       "电力公司，上传企业用电数据"},
      {{.username = "enterprise", .role = "enterprise", .display_name = "企业填报员", .enterprise_uscc = first_uscc},
       "仅本企业 " + first_uscc},
      {{.username = "operator", .role = "operator", .display_name = "运维人员"}, "运行监控与审计，不看企业数据"},
  };
  for (auto& spec : specs) {
    spec.user.password = options.password;
    auto found = store.FindUser(spec.user.username);
    if (!found.ok()) return found.status();
    if (!*found) {
      auto created = identity.CreateUser(spec.user, std::nullopt);
      if (!created.ok()) return created.status().WithContext("demo account " + spec.user.username);
    }
    summary.accounts.push_back({spec.user.username, spec.user.role, spec.scope});
  }
  return summary;
}

}  // namespace kiln::demo
