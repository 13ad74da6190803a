#include "ingest/table_reader.hpp"

#include <iconv.h>
#include <zip.h>

#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <map>
#include <memory>
#include <pugixml.hpp>
#include <set>

#include "core/china_time.hpp"
#include "core/csv.hpp"

namespace kiln::ingest {
namespace {

using core::Result;
using core::Status;

// A workbook part larger than this is refused rather than inflated (a zip bomb guard).
constexpr zip_uint64_t kMaxPartBytes = 200ull << 20;

bool IsUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    int extra = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
    if (extra < 0 || i + extra >= s.size()) return false;
    for (int k = 1; k <= extra; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    }
    i += extra + 1;
  }
  return true;
}

Result<std::string> FromGb18030(std::string_view in) {
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == reinterpret_cast<iconv_t>(-1)) return Status::Internal("iconv cannot convert GB18030");
  std::string out(in.size() * 2 + 16, '\0');
  char* src = const_cast<char*>(in.data());
  std::size_t src_left = in.size();
  char* dst = out.data();
  std::size_t dst_left = out.size();
  std::size_t r = iconv(cd, &src, &src_left, &dst, &dst_left);
  iconv_close(cd);
  if (r == static_cast<std::size_t>(-1)) {
    return Status::InvalidArgument("unreadable CSV", {{"file", "is neither UTF-8 nor GB18030 text"}});
  }
  out.resize(out.size() - dst_left);
  return out;
}

class ZipArchive {
 public:
  static Result<std::unique_ptr<ZipArchive>> Open(std::string_view bytes) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (!source) return Status::InvalidArgument("unreadable xlsx", {{"file", "cannot be read as a zip archive"}});
    zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
    zip_error_fini(&error);
    if (!archive) {
      zip_source_free(source);
      return Status::InvalidArgument("unreadable xlsx", {{"file", "is not an xlsx workbook (not a zip archive)"}});
    }
    return std::unique_ptr<ZipArchive>(new ZipArchive(archive));
  }
  ~ZipArchive() { zip_discard(archive_); }

  // nullopt when the archive has no such part.
  Result<std::optional<std::string>> Read(const std::string& name) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(archive_, name.c_str(), 0, &st) != 0) return std::optional<std::string>();
    if (!(st.valid & ZIP_STAT_SIZE) || st.size > kMaxPartBytes) {
      return Status::InvalidArgument("unreadable xlsx", {{"file", fmt::format("{} is too large to unpack", name)}});
    }
    zip_file_t* f = zip_fopen(archive_, name.c_str(), 0);
    if (!f) return Status::InvalidArgument("unreadable xlsx", {{"file", fmt::format("{} cannot be unpacked", name)}});
    std::string out(st.size, '\0');
    zip_int64_t n = zip_fread(f, out.data(), out.size());
    zip_fclose(f);
    if (n < 0 || static_cast<zip_uint64_t>(n) != st.size) {
      return Status::InvalidArgument("unreadable xlsx", {{"file", fmt::format("{} is damaged", name)}});
    }
    return std::optional<std::string>(std::move(out));
  }

 private:
  explicit ZipArchive(zip_t* a) : archive_(a) {}
  zip_t* archive_;
};

Result<pugi::xml_document> ParseXml(const std::string& text, const std::string& part) {
  pugi::xml_document doc;
  auto parsed = doc.load_buffer(text.data(), text.size());
  if (!parsed) {
    return Status::InvalidArgument("unreadable xlsx", {{"file", fmt::format("{}: {}", part, parsed.description())}});
  }
  return doc;
}

// The text of a shared string or inline string: plain <t> or rich-text runs <r><t>.
std::string StringItemText(const pugi::xml_node& item) {
  if (auto t = item.child("t")) return t.text().get();
  std::string out;
  for (auto run : item.children("r")) out += run.child("t").text().get();
  return out;
}

// Excel's built-in date formats and custom formats that show a year, month or day.
std::set<int> DateStyles(const std::optional<std::string>& styles_xml) {
  std::set<int> out;
  if (!styles_xml) return out;
  pugi::xml_document doc;
  if (!doc.load_buffer(styles_xml->data(), styles_xml->size())) return out;
  auto root = doc.child("styleSheet");
  std::set<int> date_formats = {14, 15, 16, 17, 22, 27, 30, 36, 50, 57, 58};
  for (auto fmt_node : root.child("numFmts").children("numFmt")) {
    std::string code = fmt_node.attribute("formatCode").as_string();
    bool in_quotes = false, has_date = false;
    for (char c : code) {
      if (c == '"') in_quotes = !in_quotes;
      else if (!in_quotes && (c == 'y' || c == 'd' || c == 'Y' || c == 'D')) has_date = true;
    }
    if (has_date) date_formats.insert(fmt_node.attribute("numFmtId").as_int());
  }
  int index = 0;
  for (auto xf : root.child("cellXfs").children("xf")) {
    if (date_formats.contains(xf.attribute("numFmtId").as_int())) out.insert(index);
    ++index;
  }
  return out;
}

// "C12" → column index 2.
std::optional<std::size_t> ColumnOf(std::string_view ref) {
  std::size_t col = 0;
  std::size_t i = 0;
  while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z') col = col * 26 + (ref[i++] - 'A' + 1);
  if (i == 0 || col == 0 || col > 16384) return std::nullopt;
  return col - 1;
}

std::string SerialToDate(double serial) {
  // Excel's day 0 is 1899-12-30 (it counts the 1900 leap day that never was).
  auto days = static_cast<std::int64_t>(std::floor(serial));
  auto epoch = core::DaysFromCivil({1899, 12, 30});
  return core::FormatDate(core::CivilFromDays(epoch + days));
}

}  // namespace

bool LooksLikeXlsx(std::string_view bytes) { return bytes.size() >= 4 && bytes.substr(0, 4) == std::string_view("PK\3\4", 4); }

Result<Table> ReadCsv(std::string_view bytes) {
  std::string text;
  if (IsUtf8(bytes)) {
    text = std::string(bytes);
  } else {
    auto converted = FromGb18030(bytes);
    if (!converted.ok()) return converted.status();
    text = std::move(converted).value();
  }
  auto rows = core::ParseCsv(text);
  if (!rows.ok()) return core::Status::InvalidArgument("unreadable CSV", {{"file", rows.status().message()}});
  return std::move(rows).value();
}

Result<Table> ReadXlsx(std::string_view bytes) {
  auto archive = ZipArchive::Open(bytes);
  if (!archive.ok()) return archive.status();
  auto& zip = **archive;

  auto workbook_xml = zip.Read("xl/workbook.xml");
  if (!workbook_xml.ok()) return workbook_xml.status();
  if (!*workbook_xml) return Status::InvalidArgument("unreadable xlsx", {{"file", "has no xl/workbook.xml; not an xlsx workbook"}});
  auto workbook = ParseXml(**workbook_xml, "xl/workbook.xml");
  if (!workbook.ok()) return workbook.status();
  auto first_sheet = workbook->child("workbook").child("sheets").child("sheet");
  if (!first_sheet) return Status::InvalidArgument("unreadable xlsx", {{"file", "the workbook has no sheet"}});
  std::string rel_id = first_sheet.attribute("r:id").as_string();

  std::string sheet_path = "xl/worksheets/sheet1.xml";
  auto rels_xml = zip.Read("xl/_rels/workbook.xml.rels");
  if (!rels_xml.ok()) return rels_xml.status();
  if (*rels_xml) {
    auto rels = ParseXml(**rels_xml, "xl/_rels/workbook.xml.rels");
    if (!rels.ok()) return rels.status();
    for (auto rel : rels->child("Relationships").children("Relationship")) {
      if (rel_id != rel.attribute("Id").as_string()) continue;
      std::string target = rel.attribute("Target").as_string();
      sheet_path = target.starts_with("/") ? target.substr(1) : "xl/" + target;
    }
  }

  std::vector<std::string> shared;
  auto shared_xml = zip.Read("xl/sharedStrings.xml");
  if (!shared_xml.ok()) return shared_xml.status();
  if (*shared_xml) {
    auto doc = ParseXml(**shared_xml, "xl/sharedStrings.xml");
    if (!doc.ok()) return doc.status();
    for (auto si : doc->child("sst").children("si")) shared.push_back(StringItemText(si));
  }
  auto styles_xml = zip.Read("xl/styles.xml");
  if (!styles_xml.ok()) return styles_xml.status();
  auto date_styles = DateStyles(*styles_xml);

  auto sheet_xml = zip.Read(sheet_path);
  if (!sheet_xml.ok()) return sheet_xml.status();
  if (!*sheet_xml) return Status::InvalidArgument("unreadable xlsx", {{"file", fmt::format("the first sheet ({}) is missing", sheet_path)}});
  auto sheet = ParseXml(**sheet_xml, sheet_path);
  if (!sheet.ok()) return sheet.status();

  Table rows;
  for (auto row : sheet->child("worksheet").child("sheetData").children("row")) {
    // Empty rows are absent from the XML; keep row numbers true to the sheet.
    std::size_t number = row.attribute("r").as_ullong(rows.size() + 1);
    if (number < rows.size() + 1 || number > 1048576) {
      return Status::InvalidArgument("unreadable xlsx", {{"file", fmt::format("row number {} out of order", number)}});
    }
    rows.resize(number);
    auto& cells = rows.back();
    for (auto c : row.children("c")) {
      auto col = c.attribute("r") ? ColumnOf(c.attribute("r").as_string()) : std::optional<std::size_t>(cells.size());
      if (!col) return Status::InvalidArgument("unreadable xlsx", {{"file", fmt::format("bad cell reference in row {}", number)}});
      std::string type = c.attribute("t").as_string();
      std::string value;
      if (type == "s") {
        auto index = c.child("v").text().as_ullong(shared.size());
        if (index >= shared.size()) {
          return Status::InvalidArgument("unreadable xlsx", {{"file", fmt::format("cell {} names a missing shared string", c.attribute("r").as_string())}});
        }
        value = shared[index];
      } else if (type == "inlineStr") {
        value = StringItemText(c.child("is"));
      } else if (type == "b") {
        value = c.child("v").text().as_int() ? "TRUE" : "FALSE";
      } else {
        value = c.child("v").text().get();
        if ((type.empty() || type == "n") && !value.empty() && date_styles.contains(c.attribute("s").as_int(-1))) {
          value = SerialToDate(std::strtod(value.c_str(), nullptr));
        }
      }
      if (cells.size() <= *col) cells.resize(*col + 1);
      cells[*col] = std::move(value);
    }
  }
  return rows;
}

}  // namespace kiln::ingest
