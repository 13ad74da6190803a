#include "sim/ingest_client.hpp"

#include <fmt/format.h>

namespace kiln::sim {

std::string RowFormBody(const std::vector<Reading>& readings) {
  std::string out = R"({"readings":[)";
  out.reserve(readings.size() * 48 + 16);
  bool first = true;
  for (const auto& r : readings) {
    fmt::format_to(std::back_inserter(out), R"({}{{"point":"{}","ts":{},"v":{}}})", first ? "" : ",", r.point,
                   r.ts / 1000, r.value);
    first = false;
  }
  out += "]}";
  return out;
}

std::string SeriesFormBody(const std::vector<Reading>& readings, std::int64_t step_s) {
  std::string out = R"({"series":[)";
  out.reserve(readings.size() * 12 + 16);
  for (size_t i = 0; i < readings.size();) {
    size_t end = i + 1;
    while (end < readings.size() && readings[end].point == readings[i].point &&
           readings[end].ts == readings[end - 1].ts + step_s * 1000) {
      ++end;
    }
    fmt::format_to(std::back_inserter(out), R"({}{{"point":"{}","start":{},"step_s":{},"values":[)", i ? "," : "",
                   readings[i].point, readings[i].ts / 1000, step_s);
    for (size_t k = i; k < end; ++k)
      fmt::format_to(std::back_inserter(out), "{}{}", k > i ? "," : "", readings[k].value);
    out += "]}";
    i = end;
  }
  out += "]}";
  return out;
}

}  // namespace kiln::sim
