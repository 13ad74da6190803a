#pragma once
// Tables written as files people open in a spreadsheet program: xlsx through
// libxlsxwriter, CSV with a UTF-8 byte-order mark so that Excel reads the
// Chinese correctly. Cells are JSON values: numbers stay numbers, null is
// an empty cell, anything else is written as text. Text that a spreadsheet
// would take for a formula (starting with = + - @, tab or carriage return)
// gets a leading apostrophe, so an exported cell can never run as one.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.hpp"

namespace kiln::http {

struct Sheet {
  std::string name;
  std::vector<std::string> header;  // written bold in the first row
  std::vector<std::vector<nlohmann::json>> rows;
  std::vector<double> widths;  // per column, in characters; missing ones get 16
  std::vector<bool> text_columns;  // columns formatted as text, so "2026-10" stays text when typed in
};

// "=1+1" -> "'=1+1"; other text unchanged.
std::string NeutraliseFormula(std::string text);

core::Result<std::string> XlsxBytes(const std::vector<Sheet>& sheets);
std::string CsvBytes(const Sheet& sheet);

}  // namespace kiln::http
