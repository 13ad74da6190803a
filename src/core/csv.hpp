#pragma once
// RFC 4180 CSV text (quoted fields, doubled quotes, CRLF or LF, an optional
// UTF-8 byte-order mark) as rows of fields.

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.hpp"

namespace kiln::core {

struct CsvLimits {
  std::size_t max_rows = SIZE_MAX;
  std::size_t max_columns = SIZE_MAX;
  std::size_t max_field_bytes = SIZE_MAX;
};

// kInvalidArgument for an unterminated quote; kResourceExhausted
// ("payload_too_large") naming the limit a file exceeds, found while reading.
Result<std::vector<std::vector<std::string>>> ParseCsv(const std::string& text, const CsvLimits& limits = {});

}  // namespace kiln::core
