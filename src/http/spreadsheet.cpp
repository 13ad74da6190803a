#include "http/spreadsheet.hpp"

#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>

namespace kiln::http {

std::string NeutraliseFormula(std::string text) {
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) {
    text.insert(text.begin(), '\'');
  }
  return text;
}

namespace {

std::string Text(const nlohmann::json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return NeutraliseFormula(v.get<std::string>());
  return v.dump();
}

}  // namespace

core::Result<std::string> XlsxBytes(const std::vector<Sheet>& sheets) {
  // libxlsxwriter writes to a file; the file lives only as long as this call.
  char path[] = "/tmp/kiln-sheet-XXXXXX.xlsx";
  int fd = mkstemps(path, 5);
  if (fd < 0) return core::Status::Internal("cannot create a temporary file for the spreadsheet");
  close(fd);
  lxw_workbook* workbook = workbook_new(path);
  if (!workbook) {
    std::remove(path);
    return core::Status::Internal("cannot start the spreadsheet");
  }
  lxw_format* bold = workbook_add_format(workbook);
  format_set_bold(bold);
  lxw_format* text = workbook_add_format(workbook);
  format_set_num_format(text, "@");
  for (const auto& s : sheets) {
    lxw_worksheet* sheet = workbook_add_worksheet(workbook, s.name.c_str());
    for (size_t c = 0; c < s.header.size(); ++c) {
      auto col = static_cast<lxw_col_t>(c);
      bool as_text = c < s.text_columns.size() && s.text_columns[c];
      worksheet_set_column(sheet, col, col, c < s.widths.size() ? s.widths[c] : 16, as_text ? text : nullptr);
      worksheet_write_string(sheet, 0, col, s.header[c].c_str(), bold);
    }
    for (size_t r = 0; r < s.rows.size(); ++r) {
      for (size_t c = 0; c < s.rows[r].size(); ++c) {
        const auto& v = s.rows[r][c];
        auto row = static_cast<lxw_row_t>(r + 1);
        auto col = static_cast<lxw_col_t>(c);
        if (v.is_number())
          worksheet_write_number(sheet, row, col, v.get<double>(), nullptr);
        else if (!v.is_null())
          worksheet_write_string(sheet, row, col, Text(v).c_str(), nullptr);
      }
    }
  }
  lxw_error closed = workbook_close(workbook);
  std::string bytes;
  if (closed == LXW_NO_ERROR) {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  std::remove(path);
  if (closed != LXW_NO_ERROR) return core::Status::Internal(std::string("xlsx: ") + lxw_strerror(closed));
  return bytes;
}

std::string CsvBytes(const Sheet& sheet) {
  auto cell = [](const std::string& v) {
    if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
    std::string quoted = "\"";
    for (char c : v) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
  };
  std::string out = "\xEF\xBB\xBF";
  for (size_t i = 0; i < sheet.header.size(); ++i) out += (i ? "," : "") + cell(sheet.header[i]);
  out += "\r\n";
  for (const auto& row : sheet.rows) {
    for (size_t i = 0; i < row.size(); ++i) out += (i ? "," : "") + cell(Text(row[i]));
    out += "\r\n";
  }
  return out;
}

}  // namespace kiln::http
