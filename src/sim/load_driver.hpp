#pragma once
// Drives signed ingest load at a chosen rate for benchmarks and soak tests
// (`kiln sim`). Each connection owns a disjoint range of points, so no two
// batches carry the same point + time; register values rise steadily.
// Alternatively writes the same points as InfluxDB line protocol, to compare.

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.hpp"

namespace kiln::sim {

struct LoadOptions {
  std::string target = "http://127.0.0.1:8080";  // the platform, or InfluxDB's base URL with `influx`
  std::string key_id, secret;
  std::string code_prefix = "SIM-";  // points SIM-000001 … must exist in the key's enterprise
  int points = 1000;
  double rate = 0;  // readings per second in all; 0 = as fast as the server takes them
  double duration_s = 10;
  int batch = 5000;  // readings per request
  int steps_per_batch = 50;  // consecutive samples per point in one batch
  int connections = 2;
  std::int64_t step_s = 300;
  std::int64_t start_unix_s = 0;  // first sample time; 0 = 400 days ago, aligned to the step
  bool influx = false;  // write InfluxDB 1.x line protocol to target/write?db=kiln
  bool series = false;  // send kiln the column form (series) instead of rows
};

struct LoadReport {
  std::int64_t readings = 0;  // acknowledged
  std::int64_t batches = 0;
  std::int64_t refused = 0;  // 503 answers (back-pressure)
  std::int64_t failed = 0;  // other errors
  double seconds = 0;
  double p50_ms = 0, p95_ms = 0, max_ms = 0;
  double per_second() const { return seconds > 0 ? static_cast<double>(readings) / seconds : 0; }
};

core::Result<LoadReport> RunLoad(const LoadOptions& options);

// The code of simulated point i (1-based): SIM-000001.
std::string SimPointCode(const std::string& prefix, int i);

}  // namespace kiln::sim
