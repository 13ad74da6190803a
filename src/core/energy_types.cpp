#include "core/energy_types.hpp"

namespace kiln::core {

std::optional<EnergyType> FindEnergyType(std::string_view code) {
  static constexpr EnergyType kTypes[] = {
      {"electricity", "kWh", "电力"},  {"water", "t", "新水"},    {"raw_coal", "t", "原煤"},
      {"natural_gas", "m3", "天然气"}, {"steam", "t", "蒸汽"},    {"coke", "t", "焦炭"},
      {"diesel", "t", "柴油"},         {"heat", "GJ", "热力"},    {"product_output", "t", "产品产量"},
      {"crude_oil", "t", "原油"},      {"gasoline", "t", "汽油"}, {"coal_gas", "m3", "煤气"},
  };
  for (const auto& t : kTypes) {
    if (t.code == code) return t;
  }
  return std::nullopt;
}

}  // namespace kiln::core
