#include "ingest/batch_decoder.hpp"

#include <algorithm>

#include <cmath>
#include <fmt/format.h>
#include <simdjson.h>
#include <zlib.h>

namespace kiln::ingest {
namespace {

using simdjson::dom::element;

constexpr std::size_t kMaxQualityLength = 8;
constexpr std::size_t kMaxPointCodeLength = 64;

// Parses an ISO 8601 string with offset, or epoch seconds.
std::optional<core::UnixMillis> ParseTimestamp(element e) {
  if (e.is_string()) return core::ParseInstant(std::string_view(e.get_string().value_unsafe()));
  if (e.is_int64()) return e.get_int64().value_unsafe() * 1000;
  if (e.is_uint64()) return static_cast<core::UnixMillis>(e.get_uint64().value_unsafe()) * 1000;
  if (e.is_double()) {
    double d = e.get_double().value_unsafe();
    if (std::isfinite(d) && std::abs(d) < 1e11) return static_cast<core::UnixMillis>(std::llround(d * 1000));
  }
  return std::nullopt;
}

std::optional<double> ParseValue(element e) {
  double d = 0;
  if (e.is_double())
    d = e.get_double().value_unsafe();
  else if (e.is_int64())
    d = static_cast<double>(e.get_int64().value_unsafe());
  else if (e.is_uint64())
    d = static_cast<double>(e.get_uint64().value_unsafe());
  else
    return std::nullopt;
  if (!std::isfinite(d)) return std::nullopt;
  return d;
}

// Reads "point" and "q" shared by both forms; returns a rejection reason.
std::optional<std::pair<std::string, std::string>> PointAndQuality(simdjson::dom::object o, std::string& why) {
  auto point = o["point"];
  if (point.error() || !point.is_string()) {
    why = "point must be a string (the metering point's code)";
    return std::nullopt;
  }
  std::string code(point.get_string().value_unsafe());
  if (code.empty() || code.size() > kMaxPointCodeLength) {
    why = "point must be 1-64 characters";
    return std::nullopt;
  }
  std::string quality = "N";
  auto q = o["q"];
  if (!q.error() && !q.is_null()) {
    if (!q.is_string() || q.get_string().value_unsafe().empty() ||
        q.get_string().value_unsafe().size() > kMaxQualityLength) {
      why = "q must be a short quality flag such as N, F, M, D";
      return std::nullopt;
    }
    quality = std::string(q.get_string().value_unsafe());
  }
  return std::make_pair(std::move(code), std::move(quality));
}

constexpr std::size_t kMaxBatchDepth = 32;

// The first key of `o` not among `known`, if any: a row naming a field the format does not have is
// refused rather than half-read.
std::optional<std::string> UnknownKey(simdjson::dom::object o, std::initializer_list<std::string_view> known) {
  for (auto field : o) {
    if (std::find(known.begin(), known.end(), field.key) == known.end()) return std::string(field.key);
  }
  return std::nullopt;
}

}  // namespace

core::Result<DecodedBatch> DecodeBatch(std::string_view json, const DecodeLimits& limits) {
  // The deepest batch form is 5 levels ({"series":[{"values":[[ts, v]]}]}); the limit every JSON body has.
  simdjson::dom::parser parser;
  if (auto error = parser.allocate(json.size() + simdjson::SIMDJSON_PADDING, kMaxBatchDepth); error) {
    return core::Status::Internal(fmt::format("JSON parser: {}", simdjson::error_message(error)));
  }
  simdjson::padded_string padded(json);
  element doc;
  if (auto error = parser.parse(padded).get(doc); error) {
    if (error == simdjson::DEPTH_ERROR) {
      return core::Status::InvalidArgument(fmt::format("JSON nested deeper than {} levels", kMaxBatchDepth),
                                           {{"body", fmt::format("nesting deeper than {} levels", kMaxBatchDepth)}});
    }
    return core::Status::InvalidArgument(fmt::format("malformed JSON: {}", simdjson::error_message(error)),
                                         {{"body", "malformed JSON"}});
  }
  if (!doc.is_object()) return core::Status::InvalidArgument("batch must be a JSON object");
  if (auto unknown = UnknownKey(doc.get_object().value_unsafe(), {"readings", "series"})) {
    return core::Status::InvalidArgument(fmt::format("unknown field {} in the batch", *unknown),
                                         {{*unknown, "unknown field"}});
  }
  DecodedBatch out;
  auto rows = doc["readings"];
  auto series = doc["series"];
  if (rows.error() && series.error()) {
    return core::Status::InvalidArgument("batch needs \"readings\" (row form) or \"series\" (column form)",
                                         {{"readings", "missing"}, {"series", "missing"}});
  }
  if (!rows.error()) {
    if (!rows.is_array())
      return core::Status::InvalidArgument("readings must be an array", {{"readings", "not an array"}});
    auto array = rows.get_array().value_unsafe();
    if (array.size() > limits.max_rows) {
      return core::Status::ResourceExhausted(
          fmt::format("batch has {} readings; at most {} per batch", array.size(), limits.max_rows));
    }
    out.readings.reserve(array.size());
    std::size_t i = 0;
    for (element row : array) {
      std::size_t index = i++;
      ++out.rows;
      if (!row.is_object()) {
        out.rejected.push_back({index, std::nullopt, "invalid_row", "each reading must be an object"});
        continue;
      }
      auto o = row.get_object().value_unsafe();
      if (auto unknown = UnknownKey(o, {"point", "ts", "v", "q"})) {
        out.rejected.push_back({index, std::nullopt, "invalid_row", fmt::format("unknown field {}", *unknown)});
        continue;
      }
      std::string why;
      auto pq = PointAndQuality(o, why);
      if (!pq) {
        out.rejected.push_back({index, std::nullopt, "invalid_row", why});
        continue;
      }
      auto ts_field = o["ts"];
      auto ts = ts_field.error() ? std::nullopt : ParseTimestamp(ts_field.value_unsafe());
      if (!ts) {
        out.rejected.push_back({index, std::nullopt, "invalid_timestamp",
                                "ts must be ISO 8601 with an offset (2026-11-22T10:15:00+08:00) or epoch seconds"});
        continue;
      }
      auto v_field = o["v"];
      auto v = v_field.error() ? std::nullopt : ParseValue(v_field.value_unsafe());
      if (!v) {
        out.rejected.push_back({index, std::nullopt, "invalid_value", "v must be a finite number"});
        continue;
      }
      out.readings.push_back({index, std::nullopt, std::move(pq->first), *ts, *v, std::move(pq->second)});
    }
  }
  if (!series.error()) {
    if (!series.is_array())
      return core::Status::InvalidArgument("series must be an array", {{"series", "not an array"}});
    std::size_t i = 0;
    simdjson::dom::array all_series = series.get_array().value_unsafe();  // a copy: the result object is temporary
    for (element s : all_series) {
      std::size_t index = i++;
      if (!s.is_object()) {
        out.rejected.push_back({index, std::nullopt, "invalid_row", "each series must be an object"});
        continue;
      }
      auto o = s.get_object().value_unsafe();
      if (auto unknown = UnknownKey(o, {"point", "start", "step_s", "values", "q"})) {
        out.rejected.push_back({index, std::nullopt, "invalid_row", fmt::format("unknown field {}", *unknown)});
        continue;
      }
      std::string why;
      auto pq = PointAndQuality(o, why);
      if (!pq) {
        out.rejected.push_back({index, std::nullopt, "invalid_row", why});
        continue;
      }
      auto start_field = o["start"];
      auto start = start_field.error() ? std::nullopt : ParseTimestamp(start_field.value_unsafe());
      if (!start) {
        out.rejected.push_back(
            {index, std::nullopt, "invalid_timestamp", "start must be ISO 8601 with an offset or epoch seconds"});
        continue;
      }
      auto step = o["step_s"];
      if (step.error() || !step.is_int64() || step.get_int64().value_unsafe() < 1 ||
          step.get_int64().value_unsafe() > 86400) {
        out.rejected.push_back({index, std::nullopt, "invalid_row", "step_s must be an integer from 1 to 86400"});
        continue;
      }
      std::int64_t step_ms = step.get_int64().value_unsafe() * 1000;
      auto values = o["values"];
      if (values.error() || !values.is_array()) {
        out.rejected.push_back({index, std::nullopt, "invalid_row", "values must be an array of numbers"});
        continue;
      }
      auto array = values.get_array().value_unsafe();
      if (out.rows + array.size() > limits.max_rows || array.size() > limits.max_series_values) {
        return core::Status::ResourceExhausted(fmt::format("batch has over {} values; split it", limits.max_rows));
      }
      if (out.readings.capacity() < out.readings.size() + array.size()) {  // grow geometrically, not per series
        out.readings.reserve(std::max(out.readings.size() + array.size(), 2 * out.readings.capacity()));
      }
      std::size_t offset = 0;
      for (element v : array) {
        std::size_t at = offset++;
        ++out.rows;
        if (v.is_null()) continue;  // an explicit hole: no sample, nothing invented
        auto value = ParseValue(v);
        if (!value) {
          out.rejected.push_back({index, at, "invalid_value", "values must be finite numbers or null"});
          continue;
        }
        out.readings.push_back(
            {index, at, pq->first, *start + static_cast<std::int64_t>(at) * step_ms, *value, pq->second});
      }
    }
  }
  return out;
}

core::Result<std::string> Gunzip(std::string_view compressed, std::size_t max_bytes) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) return core::Status::Internal("zlib init failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  zs.avail_in = static_cast<uInt>(compressed.size());
  std::string out;
  char buffer[65536];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(buffer);
    zs.avail_out = sizeof buffer;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      return core::Status::InvalidArgument("body is not valid gzip", {{"Content-Encoding", "gzip data is corrupt"}});
    }
    out.append(buffer, sizeof buffer - zs.avail_out);
    if (out.size() > max_bytes) {
      inflateEnd(&zs);
      return core::Status::ResourceExhausted(fmt::format("inflated body exceeds {} bytes", max_bytes));
    }
    if (rc != Z_STREAM_END && zs.avail_in == 0 && zs.avail_out != 0) {
      inflateEnd(&zs);
      return core::Status::InvalidArgument("gzip body is truncated", {{"Content-Encoding", "gzip data is truncated"}});
    }
  }
  inflateEnd(&zs);
  return out;
}

}  // namespace kiln::ingest
