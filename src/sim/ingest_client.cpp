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
    std::int64_t step_ms = step_s * 1000;
    if (step_s == 0 && i + 1 < readings.size() && readings[i + 1].point == readings[i].point)
      step_ms = readings[i + 1].ts - readings[i].ts;
    while (step_ms > 0 && step_ms % 1000 == 0 && end < readings.size() && readings[end].point == readings[i].point &&
           readings[end].ts == readings[end - 1].ts + step_ms) {
      ++end;
    }
    fmt::format_to(std::back_inserter(out), R"({}{{"point":"{}","start":{},"step_s":{},"values":[)", i ? "," : "",
                   readings[i].point, readings[i].ts / 1000, std::max<std::int64_t>(step_ms / 1000, 1));
    for (size_t k = i; k < end; ++k)
      fmt::format_to(std::back_inserter(out), "{}{}", k > i ? "," : "", readings[k].value);
    out += "]}";
    i = end;
  }
  out += "]}";
  return out;
}

}  // namespace kiln::sim
