#include "ingest/table_reader.hpp"

#include <gtest/gtest.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <fstream>
#include <iterator>

namespace kiln::ingest {
namespace {

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
