#include "ingest/table_reader.hpp"

#include <gtest/gtest.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <functional>

#include <fmt/format.h>
#include <fstream>
#include <iterator>

namespace kiln::ingest {
namespace {

std::string Written(const std::function<void(lxw_workbook*, lxw_worksheet*)>& fill) {
  char path[] = "/tmp/kiln-reader-test-XXXXXX.xlsx";
  int fd = mkstemps(path, 5);
  close(fd);
  lxw_workbook* wb = workbook_new(path);
  lxw_worksheet* ws = workbook_add_worksheet(wb, "数据");
  fill(wb, ws);
  workbook_close(wb);
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::remove(path);
  return bytes;
}

// A workbook written by libxlsxwriter, as a department's spreadsheet program would.
std::string Workbook() {
  char path[] = "/tmp/kiln-reader-test-XXXXXX.xlsx";
  int fd = mkstemps(path, 5);
  close(fd);
  lxw_workbook* wb = workbook_new(path);
  lxw_worksheet* ws = workbook_add_worksheet(wb, "数据");
  lxw_format* date = workbook_add_format(wb);
  format_set_num_format(date, "yyyy-mm-dd");
  worksheet_write_string(ws, 0, 0, "统一社会信用代码", nullptr);
  worksheet_write_string(ws, 0, 1, "期间", nullptr);
  worksheet_write_string(ws, 0, 3, "用电量", nullptr);
  worksheet_write_string(ws, 1, 0, "91370000MA1ABCDE1X", nullptr);
  worksheet_write_string(ws, 1, 1, "2026-10", nullptr);
  worksheet_write_number(ws, 1, 3, 1234.5, nullptr);
  lxw_datetime day = {2026, 9, 30, 0, 0, 0};
  worksheet_write_datetime(ws, 3, 1, &day, date);  // row 4; row 3 stays empty
  worksheet_write_boolean(ws, 3, 3, 1, nullptr);
  workbook_add_worksheet(wb, "说明");
  workbook_close(wb);
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::remove(path);
  return bytes;
}

TEST(ReadXlsx, FirstSheetWithRowNumbersSharedStringsNumbersAndDates) {
  auto bytes = Workbook();
  ASSERT_TRUE(LooksLikeXlsx(bytes));
  auto table = ReadXlsx(bytes);
  ASSERT_TRUE(table.ok()) << table.status().message();
  ASSERT_EQ(table->size(), 4u);
  EXPECT_EQ((*table)[0], (std::vector<std::string>{"统一社会信用代码", "期间", "", "用电量"}));
  EXPECT_EQ((*table)[1][3], "1234.5");
  EXPECT_TRUE((*table)[2].empty());
  EXPECT_EQ((*table)[3][1], "2026-09-30");
  EXPECT_EQ((*table)[3][3], "TRUE");
}

TEST(ReadXlsx, RefusesWhatIsNotAWorkbook) {
  auto r = ReadXlsx(std::string("PK\3\4 broken", 11));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().details().at(0).field, "file");
  EXPECT_FALSE(LooksLikeXlsx("a,b\n"));
}

TEST(ReadXlsx, AFarAwayCellIsRefusedBeforeAnythingIsAllocated) {
  auto bytes = Written([](lxw_workbook*, lxw_worksheet* ws) {
    worksheet_write_string(ws, 0, 0, "统一社会信用代码", nullptr);
    worksheet_write_string(ws, 1048575, 16383, "XFD1048576", nullptr);
  });
  auto r = ReadXlsx(bytes);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), core::StatusCode::kResourceExhausted);
  EXPECT_EQ(r.status().reason(), "payload_too_large");
  EXPECT_NE(r.status().message().find("20001"), std::string::npos) << r.status().message();
  auto wide =
      Written([](lxw_workbook*, lxw_worksheet* ws) { worksheet_write_string(ws, 0, 300, "far right", nullptr); });
  r = ReadXlsx(wide);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("beyond column 256"), std::string::npos) << r.status().message();
  // Formatting far away without content costs nothing and is not refused.
  auto formatted = Written([](lxw_workbook* wb, lxw_worksheet* ws) {
    worksheet_write_string(ws, 0, 0, "a", nullptr);
    lxw_format* bold = workbook_add_format(wb);
    format_set_bold(bold);
    worksheet_write_blank(ws, 500000, 10000, bold);
  });
  auto ok = ReadXlsx(formatted);
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->size(), 1u);
}

TEST(ReadXlsx, InflationAndSharedStringsAreCapped) {
  auto big = Written([](lxw_workbook*, lxw_worksheet* ws) {
    for (int r = 0; r < 2000; ++r)
      worksheet_write_string(ws, r, 0, fmt::format("行 {} {}", r, std::string(200, 'x')).c_str(), nullptr);
  });
  ASSERT_LT(big.size(), 100'000u) << "compresses well";
  auto r = ReadXlsx(big, {.max_inflated_bytes = 200'000});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("unpacks to more than 200000 bytes"), std::string::npos) << r.status().message();
  r = ReadXlsx(big, {.max_shared_strings = 100});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("more than 100 shared strings"), std::string::npos) << r.status().message();
  r = ReadXlsx(big, {.max_cell_bytes = 50});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "payload_too_large");
  auto whole = ReadXlsx(big);
  ASSERT_TRUE(whole.ok()) << whole.status().message();
  EXPECT_EQ(whole->size(), 2000u);
}

TEST(ReadCsv, RowsColumnsAndFieldsAreCapped) {
  std::string many;
  for (int i = 0; i < 30; ++i) many += "a,b\n";
  EXPECT_EQ(ReadCsv(many, {.max_rows = 20}).status().reason(), "payload_too_large");
  EXPECT_TRUE(ReadCsv(many, {.max_rows = 30}).ok());
  EXPECT_EQ(ReadCsv(std::string(300, ',') + "\n").status().reason(), "payload_too_large");
  EXPECT_EQ(ReadCsv(std::string(40'000, 'x')).status().reason(), "payload_too_large");
}

TEST(ReadCsv, Utf8WithBomAndGb18030) {
  auto utf8 = ReadCsv("\xEF\xBB\xBF名称,值\r\n\"甲,乙\",1\r\n");
  ASSERT_TRUE(utf8.ok());
  EXPECT_EQ((*utf8)[1], (std::vector<std::string>{"甲,乙", "1"}));
  // "名称,值\n" in GB18030.
  auto gb = ReadCsv("\xC3\xFB\xB3\xC6,\xD6\xB5\n");
  ASSERT_TRUE(gb.ok()) << gb.status().message();
  EXPECT_EQ((*gb)[0], (std::vector<std::string>{"名称", "值"}));
  EXPECT_FALSE(ReadCsv("\"open,1\n").ok());
}

}  // namespace
}  // namespace kiln::ingest
