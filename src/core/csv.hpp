#pragma once
// RFC 4180 CSV text (quoted fields, doubled quotes, CRLF or LF, an optional
// UTF-8 byte-order mark) as rows of fields.

#include <string>
#include <vector>

#include "core/status.hpp"

namespace kiln::core {

Result<std::vector<std::vector<std::string>>> ParseCsv(const std::string& text);

}  // namespace kiln::core
