#include "core/regions.hpp"

namespace kiln::core {

RegionLevel LevelOfRegionCode(std::string_view code) {
  if (code.size() != 6) return RegionLevel::kInvalid;
  for (char c : code) {
    if (c < '0' || c > '9') return RegionLevel::kInvalid;
  }
  if (code.substr(0, 2) == "00") return RegionLevel::kInvalid;
  if (code.substr(2) == "0000") return RegionLevel::kProvince;
  if (code.substr(2, 2) == "00") return RegionLevel::kInvalid;
  if (code.substr(4) == "00") return RegionLevel::kCity;
  return RegionLevel::kCounty;
}

const char* RegionLevelName(RegionLevel level) {
  switch (level) {
    case RegionLevel::kProvince: return "province";
    case RegionLevel::kCity: return "city";
    case RegionLevel::kCounty: return "county";
    case RegionLevel::kInvalid: return "invalid";
  }
  return "invalid";
}

std::string RegionPrefix(std::string_view code) {
  switch (LevelOfRegionCode(code)) {
    case RegionLevel::kProvince: return std::string(code.substr(0, 2));
    case RegionLevel::kCity: return std::string(code.substr(0, 4));
    case RegionLevel::kCounty: return std::string(code);
    case RegionLevel::kInvalid: return {};
  }
  return {};
}

bool RegionWithin(std::string_view code, std::string_view ancestor) {
  if (LevelOfRegionCode(code) == RegionLevel::kInvalid) return false;
  std::string prefix = RegionPrefix(ancestor);
  return !prefix.empty() && code.substr(0, prefix.size()) == prefix;
}

std::string ParentRegion(std::string_view code) {
  switch (LevelOfRegionCode(code)) {
    case RegionLevel::kCounty: return std::string(code.substr(0, 4)) + "00";
    case RegionLevel::kCity: return std::string(code.substr(0, 2)) + "0000";
    default: return {};
  }
}

bool InsideChinaExtent(double lng, double lat) { return lng >= 73.4 && lng <= 135.1 && lat >= 3.8 && lat <= 53.6; }

}  // namespace kiln::core
