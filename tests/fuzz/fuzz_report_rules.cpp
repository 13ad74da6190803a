// Report content as an enterprise sends it: parsed within the limits, then checked for saving and
// for submission against a conversion factor and metered amounts.
#include <string_view>

#include "core/json_input.hpp"
#include "core/report_rules.hpp"
#include "fuzz_targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kiln::core;
  auto content = ParseJsonInput(std::string_view(reinterpret_cast<const char*>(data), size), {.max_bytes = 64 * 1024});
  if (!content.ok()) return 0;
  static const auto period = *ParseReportPeriod(ReportKind::kMonthly, "2026-10");
  static const std::vector<ConversionFactor> factors = {{.energy_type = "electricity",
                                                         .variant = "equivalent",
                                                         .version = 1,
                                                         .kgce_per_unit = 0.1229,
                                                         .unit = "kWh",
                                                         .valid_from = "2021-01-01",
                                                         .status = "verified",
                                                         .source = "fuzz"},
                                                        {.energy_type = "raw_coal",
                                                         .variant = "",
                                                         .version = 1,
                                                         .kgce_per_unit = 714.3,
                                                         .unit = "t",
                                                         .valid_from = "2021-01-01",
                                                         .status = "verified",
                                                         .source = "fuzz"}};
  for (bool submit : {false, true}) {
    auto check = CheckReport(*content, submit, period, factors, ElectricityConvention::kEquivalent,
                             {{"electricity", 1000.0}, {"raw_coal", 2.0}}, "");
    if (!std::isfinite(check.comprehensive_tce)) __builtin_trap();
  }
  return 0;
}
