#pragma once
// Administrative penalties and credit (seed 000 §行政处罚和信用情况统计分析): what the
// development department's credit platform delivers each month (collection task credit_monthly:
// penalties, fines, data falsification and misreporting, the dishonest list) and the industry
// department's yearly energy-saving penalties (industry_yearly), added up per city or county, or
// per industry, for a year. Enterprises in the caller's jurisdiction only.

#include <cstdint>
#include <string>
#include <vector>

#include "registry/registry.hpp"
#include "storage/store.hpp"

namespace kiln::analysis {

struct CreditGroup {
  std::string key;  // region prefix (a city's 4 digits, a county's 6) or industry code; "" for all
  std::int64_t enterprises = 0;  // with any credit record of the year
  std::int64_t penalties = 0, penalised_enterprises = 0;
  double fines_wan = 0;  // 万元
  std::int64_t falsification = 0, falsifying_enterprises = 0;
  std::int64_t dishonest_enterprises = 0;  // on the dishonest list in any month of the year
  std::int64_t energy_penalties = 0;  // 节能违法处罚, yearly
};

// group_by: region (the cities of a province, the counties of a city) or industry; region narrows the
// caller's jurisdiction. The last group has key "" and counts them all. Officials and departments only.
core::Result<std::vector<CreditGroup>> CreditSummary(storage::Store& store, const registry::Caller& caller,
                                                     const std::string& group_by, const std::string& region, int year);

}  // namespace kiln::analysis
