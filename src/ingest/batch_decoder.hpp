#pragma once
// Decodes a readings batch (POST /api/v1/readings, MQTT payloads) with
// simdjson. Two shapes:
//   row form:    {"readings":[{"point":"E-01","ts":"2026-11-22T10:15:00+08:00","v":1234.5,"q":"N"},…]}
//   column form: {"series":[{"point":"E-01","start":…,"step_s":300,"values":[…],"q":"N"},…]}
// ts/start are ISO 8601 with an offset or Unix epoch seconds; q is optional.
// A bad row is rejected alone with its index; the rest of the batch stands.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/china_time.hpp"
#include "core/status.hpp"

namespace kiln::ingest {

struct RawReading {
  std::size_t index = 0;  // row index (row form) or series index (column form)
  std::optional<std::size_t> offset;  // position in `values` (column form)
  std::string point;  // metering point code within the enterprise
  core::UnixMillis ts = 0;
  double value = 0;
  std::string quality = "N";
};

struct Rejection {
  std::size_t index = 0;
  std::optional<std::size_t> offset;
  std::string code;  // unknown_point, invalid_timestamp, invalid_value, invalid_row, duplicate_in_batch, …
  std::string message;
};

struct DecodedBatch {
  std::vector<RawReading> readings;
  std::vector<Rejection> rejected;
  std::size_t rows = 0;  // rows or values seen
};

struct DecodeLimits {
  std::size_t max_rows = 200'000;  // per batch; more is 413
  std::size_t max_series_values = 100'000;
};

// kInvalidArgument when the document is not JSON or has neither "readings"
// nor "series"; kResourceExhausted when it is over the limits.
core::Result<DecodedBatch> DecodeBatch(std::string_view json, const DecodeLimits& limits = {});

// Inflates a gzip body, refusing output larger than `max_bytes`.
core::Result<std::string> Gunzip(std::string_view compressed, std::size_t max_bytes);

}  // namespace kiln::ingest
