#pragma once
// GB/T 2260 administrative division codes and the jurisdiction tree they form:
// a province "370000" contains cities "37xx00", which contain counties "37xxyy".

#include <string>
#include <string_view>

namespace kiln::core {

enum class RegionLevel { kProvince, kCity, kCounty, kInvalid };

// The level a 6-digit code denotes by its shape, or kInvalid.
RegionLevel LevelOfRegionCode(std::string_view code);
const char* RegionLevelName(RegionLevel level);

// The code prefix shared by every region inside `code` (e.g. "3701" for
// 370100). An empty string for an invalid code.
std::string RegionPrefix(std::string_view code);

// Whether region `code` lies in the subtree of `ancestor` (inclusive).
bool RegionWithin(std::string_view code, std::string_view ancestor);

// The parent code of a region ("370102" -> "370100" -> "370000"), or "" for a province.
std::string ParentRegion(std::string_view code);

// Whether (lng, lat) lies inside China's extent (CGCS2000 degrees).
bool InsideChinaExtent(double lng, double lat);

}  // namespace kiln::core
