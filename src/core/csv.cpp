#include "core/csv.hpp"

#include <fmt/format.h>

namespace kiln::core {

Result<std::vector<std::vector<std::string>>> ParseCsv(const std::string& text, const CsvLimits& limits) {
  auto too_large = [](std::string what) {
    return Status::ResourceExhausted(std::move(what)).WithReason("payload_too_large");
  };
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, field_started = false;
  size_t line = 1;
  size_t start = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;  // UTF-8 byte-order mark from spreadsheet programs
  for (size_t i = start; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
        if (field.size() > limits.max_field_bytes) {
          return too_large(fmt::format("a field at line {} is longer than {} bytes", line, limits.max_field_bytes));
        }
      }
      continue;
    }
    if (c == '"' && !field_started) {
      quoted = true;
      field_started = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
      field_started = false;
      if (row.size() >= limits.max_columns) {
        return too_large(fmt::format("line {} has more than {} columns", line, limits.max_columns));
      }
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      row.push_back(std::move(field));
      if (rows.size() >= limits.max_rows) {
        return too_large(fmt::format("the file has more than {} rows", limits.max_rows));
      }
      rows.push_back(std::move(row));
      row.clear();
      field.clear();
      field_started = false;
      ++line;
    } else {
      field += c;
      field_started = true;
      if (field.size() > limits.max_field_bytes) {
        return too_large(fmt::format("a field at line {} is longer than {} bytes", line, limits.max_field_bytes));
      }
    }
  }
  if (quoted) return Status::InvalidArgument(fmt::format("unterminated quoted field at line {}", line));
  if (field_started || !row.empty()) {
    row.push_back(std::move(field));
    if (rows.size() >= limits.max_rows)
      return too_large(fmt::format("the file has more than {} rows", limits.max_rows));
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace kiln::core
