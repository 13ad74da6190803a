#pragma once
// Reads the first sheet of an uploaded spreadsheet (xlsx) or a CSV file into
// rows of cell texts, for department uploads. Numbers come back as their
// shortest text ("1234.5"); dates stored as Excel serial numbers in a
// date-formatted cell come back as "YYYY-MM-DD".

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace kiln::ingest {

using Table = std::vector<std::vector<std::string>>;

// What a file may hold. Both readers stream and check these before they
// allocate for what the file claims, so that a small file cannot make them
// allocate much (a cell at XFD1048576, a zip bomb, a million shared strings).
// Exceeding one is kResourceExhausted with reason "payload_too_large" naming it.
struct TableLimits {
  std::size_t max_rows = 20'001;  // rows with content, the header included
  std::size_t max_columns = 256;
  std::size_t max_cell_bytes = 32 * 1024;
  std::size_t max_shared_strings = 500'000;  // xlsx
  std::size_t max_inflated_bytes = 64u << 20;  // xlsx: all parts read, unpacked
};

// CSV per RFC 4180 (quoted fields, doubled quotes, CRLF or LF). UTF-8 with or
// without a BOM; text that is not UTF-8 is read as GB18030, which is what
// Excel on a Chinese system writes.
core::Result<Table> ReadCsv(std::string_view bytes, const TableLimits& limits = {});

// The workbook's first sheet. kInvalidArgument saying what is wrong when the
// bytes are not an xlsx workbook.
core::Result<Table> ReadXlsx(std::string_view bytes, const TableLimits& limits = {});

// By content: an xlsx file is a zip archive ("PK\3\4"); anything else is CSV.
bool LooksLikeXlsx(std::string_view bytes);

}  // namespace kiln::ingest
