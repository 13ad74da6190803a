#include "ingest/table_reader.hpp"

#include "core/text.hpp"

#include <expat.h>
#include <iconv.h>
#include <zip.h>

#include <cmath>
#include <cstdlib>
#include <functional>
#include <optional>
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

Status TooLarge(std::string what) { return Status::ResourceExhausted(std::move(what)).WithReason("payload_too_large"); }

// Small parts (workbook, relationships, styles) are read whole, up to this.
constexpr std::size_t kMaxSmallPartBytes = 4u << 20;

Result<std::string> FromGb18030(std::string_view in) {
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  const auto failed = reinterpret_cast<iconv_t>(-1);  // NOLINT(performance-no-int-to-ptr): iconv's error value
  if (cd == failed) return Status::Internal("iconv cannot convert GB18030");
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

// The parts of an xlsx archive, unpacked in chunks against one budget of inflated bytes.
class ZipArchive {
 public:
  static Result<std::unique_ptr<ZipArchive>> Open(std::string_view bytes, std::size_t inflate_budget) {
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
    return std::unique_ptr<ZipArchive>(new ZipArchive(archive, inflate_budget));
  }
  ~ZipArchive() { zip_discard(archive_); }

  // Feeds the part's bytes to `sink` in chunks; false when there is no such part.
  Result<bool> Stream(const std::string& name, const std::function<Status(std::string_view chunk)>& sink) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(archive_, name.c_str(), 0, &st) != 0) return false;
    // What the archive claims is checked first, what it really unpacks to as it comes.
    if ((st.valid & ZIP_STAT_SIZE) && st.size > budget_) return BudgetExceeded();
    zip_file_t* f = zip_fopen(archive_, name.c_str(), 0);
    if (!f) return Status::InvalidArgument("unreadable xlsx", {{"file", fmt::format("{} cannot be unpacked", name)}});
    std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> closer(f, zip_fclose);
    std::string chunk(64 * 1024, '\0');
    for (;;) {
      zip_int64_t n = zip_fread(f, chunk.data(), chunk.size());
      if (n < 0) return Status::InvalidArgument("unreadable xlsx", {{"file", fmt::format("{} is damaged", name)}});
      if (n == 0) break;
      if (static_cast<std::size_t>(n) > budget_) return BudgetExceeded();
      budget_ -= static_cast<std::size_t>(n);
      KILN_RETURN_IF_ERROR(sink(std::string_view(chunk.data(), static_cast<std::size_t>(n))));
    }
    return true;
  }

  // A small part whole; nullopt when absent.
  Result<std::optional<std::string>> Read(const std::string& name) {
    std::string out;
    auto found = Stream(name, [&](std::string_view chunk) -> Status {
      if (out.size() + chunk.size() > kMaxSmallPartBytes) {
        return TooLarge(fmt::format("xlsx part {} is larger than {} bytes", name, kMaxSmallPartBytes));
      }
      out.append(chunk);
      return {};
    });
    if (!found.ok()) return found.status();
    if (!*found) return std::optional<std::string>();
    return std::optional<std::string>(std::move(out));
  }

 private:
  ZipArchive(zip_t* a, std::size_t budget) : archive_(a), budget_(budget), limit_(budget) {}
  Status BudgetExceeded() const { return TooLarge(fmt::format("the workbook unpacks to more than {} bytes", limit_)); }
  zip_t* archive_;
  std::size_t budget_;
  const std::size_t limit_;
};

// A streaming XML reader over expat: element names without a namespace prefix,
// text of the elements the handler asks for. Entities and DTDs are not expanded.
class XmlStream {
 public:
  struct Handler {
    virtual ~Handler() = default;
    virtual Status Start(std::string_view name, const char** attributes) = 0;
    virtual Status End(std::string_view name) = 0;
    virtual Status Text(std::string_view text) = 0;
  };

  XmlStream(Handler& handler, std::string part)
      : handler_(handler), part_(std::move(part)), parser_(XML_ParserCreate(nullptr)) {
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(parser_, &XmlStream::OnStart, &XmlStream::OnEnd);
    XML_SetCharacterDataHandler(parser_, &XmlStream::OnText);
    XML_SetParamEntityParsing(parser_, XML_PARAM_ENTITY_PARSING_NEVER);
  }
  ~XmlStream() { XML_ParserFree(parser_); }

  Status Feed(std::string_view chunk, bool last) {
    if (XML_Parse(parser_, chunk.data(), static_cast<int>(chunk.size()), last) == XML_STATUS_ERROR) {
      if (!failure_.ok()) return failure_;
      return Status::InvalidArgument(
          "unreadable xlsx",
          {{"file", fmt::format("{}: {} at line {}", part_, XML_ErrorString(XML_GetErrorCode(parser_)),
                                XML_GetCurrentLineNumber(parser_))}});
    }
    return failure_;
  }

 private:
  static std::string_view Local(const char* name) {
    std::string_view n(name);
    auto colon = n.rfind(':');
    return colon == std::string_view::npos ? n : n.substr(colon + 1);
  }
  void Fail(Status s) {
    if (failure_.ok()) failure_ = std::move(s);
    XML_StopParser(parser_, XML_FALSE);
  }
  static void OnStart(void* self, const char* name, const char** attributes) {
    auto* x = static_cast<XmlStream*>(self);
    if (auto s = x->handler_.Start(Local(name), attributes); !s.ok()) x->Fail(std::move(s));
  }
  static void OnEnd(void* self, const char* name) {
    auto* x = static_cast<XmlStream*>(self);
    if (auto s = x->handler_.End(Local(name)); !s.ok()) x->Fail(std::move(s));
  }
  static void OnText(void* self, const char* text, int length) {
    auto* x = static_cast<XmlStream*>(self);
    if (auto s = x->handler_.Text(std::string_view(text, static_cast<std::size_t>(length))); !s.ok())
      x->Fail(std::move(s));
  }

  Handler& handler_;
  std::string part_;
  XML_Parser parser_;
  Status failure_;
};

Status StreamXml(ZipArchive& zip, const std::string& part, XmlStream::Handler& handler, bool& found) {
  XmlStream xml(handler, part);
  auto streamed = zip.Stream(part, [&](std::string_view chunk) { return xml.Feed(chunk, false); });
  if (!streamed.ok()) return streamed.status();
  found = *streamed;
  return found ? xml.Feed({}, true) : Status{};
}

const char* Attribute(const char** attributes, std::string_view name) {
  for (int i = 0; attributes[i]; i += 2) {
    std::string_view n(attributes[i]);
    auto colon = n.rfind(':');
    if ((colon == std::string_view::npos ? n : n.substr(colon + 1)) == name) return attributes[i + 1];
  }
  return nullptr;
}

// xl/sharedStrings.xml: the text of each <si>, plain <t> or rich-text runs <r><t>; phonetic runs left out.
class SharedStrings final : public XmlStream::Handler {
 public:
  explicit SharedStrings(const TableLimits& limits) : limits_(limits) {}
  Status Start(std::string_view name, const char**) override {
    path_.emplace_back(name);
    if (name == "si") current_.clear();
    return {};
  }
  Status End(std::string_view name) override {
    if (name == "si") {
      if (strings.size() >= limits_.max_shared_strings) {
        return TooLarge(fmt::format("the workbook has more than {} shared strings", limits_.max_shared_strings));
      }
      strings.push_back(std::move(current_));
      current_.clear();
    }
    if (!path_.empty()) path_.pop_back();
    return {};
  }
  Status Text(std::string_view text) override {
    // <si><t> or <si><r><t>, not <si><rPh><t>.
    std::size_t n = path_.size();
    bool wanted = n >= 2 && path_[n - 1] == "t" &&
                  (path_[n - 2] == "si" || (path_[n - 2] == "r" && n >= 3 && path_[n - 3] == "si"));
    if (!wanted) return {};
    if (current_.size() + text.size() > limits_.max_cell_bytes) {
      return TooLarge(fmt::format("a shared string is longer than {} bytes", limits_.max_cell_bytes));
    }
    current_.append(text);
    return {};
  }
  std::vector<std::string> strings;

 private:
  const TableLimits& limits_;
  std::vector<std::string> path_;
  std::string current_;
};

// "C12" → column index 2; nullopt for a malformed reference.
std::optional<std::size_t> ColumnOf(std::string_view ref) {
  std::size_t col = 0;
  std::size_t i = 0;
  while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z' && i < 3) col = col * 26 + (ref[i++] - 'A' + 1);
  if (i == 0 || col == 0 || col > 16384) return std::nullopt;
  return col - 1;
}

std::string SerialToDate(double serial);

// The first sheet: <row r><c r t s><v/> or <is><t/></is></c></row>. Only cells with content take memory.
class SheetCells final : public XmlStream::Handler {
 public:
  SheetCells(const TableLimits& limits, const std::vector<std::string>& shared, const std::set<int>& date_styles)
      : limits_(limits), shared_(shared), date_styles_(date_styles) {}

  Status Start(std::string_view name, const char** attributes) override {
    if (name == "row") {
      std::size_t next = row_ + 1;
      if (const char* r = Attribute(attributes, "r")) {
        char* end = nullptr;
        unsigned long long n = std::strtoull(r, &end, 10);
        if (*end != '\0' || n < next || n > 1'048'576) {
          return Status::InvalidArgument("unreadable xlsx", {{"file", fmt::format("row number {} out of order", r)}});
        }
        next = n;
      }
      row_ = next;
      column_ = 0;
    } else if (name == "c") {
      if (row_ == 0) {
        return Status::InvalidArgument("unreadable xlsx", {{"file", "a cell outside a row (<c> before any <row>)"}});
      }
      in_cell_ = true;
      value_.clear();
      const char* r = Attribute(attributes, "r");
      auto col = r ? ColumnOf(r) : std::optional<std::size_t>(column_);
      if (!col)
        return Status::InvalidArgument("unreadable xlsx",
                                       {{"file", fmt::format("bad cell reference in row {}", row_)}});
      cell_column_ = *col;
      column_ = *col + 1;
      const char* t = Attribute(attributes, "t");
      type_ = t ? t : "";
      const char* style = Attribute(attributes, "s");
      style_ = style ? std::atoi(style) : -1;
      cell_ref_ = r ? r : "";
    } else if (in_cell_ && (name == "v" || name == "t")) {
      capturing_ = true;
    }
    return {};
  }

  Status Text(std::string_view text) override {
    if (!capturing_) return {};
    if (value_.size() + text.size() > limits_.max_cell_bytes) {
      return TooLarge(fmt::format("cell {} holds more than {} bytes", cell_ref_, limits_.max_cell_bytes));
    }
    value_.append(text);
    return {};
  }

  Status End(std::string_view name) override {
    if (name == "v" || name == "t") {
      capturing_ = false;
    } else if (name == "c") {
      in_cell_ = false;
      return Place();
    }
    return {};
  }

  Table rows;

 private:
  Status Place() {
    std::string value;
    if (type_ == "s") {
      if (value_.empty()) return {};
      char* end = nullptr;
      unsigned long long index = std::strtoull(value_.c_str(), &end, 10);
      if (*end != '\0' || index >= shared_.size()) {
        return Status::InvalidArgument("unreadable xlsx",
                                       {{"file", fmt::format("cell {} names a missing shared string", cell_ref_)}});
      }
      value = shared_[index];
    } else if (type_ == "b") {
      value = value_.empty() ? "" : std::atoi(value_.c_str()) ? "TRUE" : "FALSE";
    } else {
      value = value_;
      if ((type_.empty() || type_ == "n") && !value.empty() && date_styles_.contains(style_)) {
        value = SerialToDate(std::strtod(value.c_str(), nullptr));
      }
    }
    if (value.empty()) return {};
    // Limits are checked before anything is sized by the cell's place.
    if (row_ > limits_.max_rows) return TooLarge(fmt::format("the sheet has content beyond row {}", limits_.max_rows));
    if (cell_column_ >= limits_.max_columns) {
      return TooLarge(fmt::format("cell {} is beyond column {}", cell_ref_, limits_.max_columns));
    }
    if (rows.size() < row_) rows.resize(row_);
    auto& cells = rows[row_ - 1];
    if (cells.size() <= cell_column_) cells.resize(cell_column_ + 1);
    cells[cell_column_] = std::move(value);
    return {};
  }

  const TableLimits& limits_;
  const std::vector<std::string>& shared_;
  const std::set<int>& date_styles_;
  std::size_t row_ = 0, column_ = 0, cell_column_ = 0;
  bool in_cell_ = false, capturing_ = false;
  std::string type_, value_, cell_ref_;
  int style_ = -1;
};

Result<pugi::xml_document> ParseXml(const std::string& text, const std::string& part) {
  pugi::xml_document doc;
  auto parsed = doc.load_buffer(text.data(), text.size());
  if (!parsed) {
    return Status::InvalidArgument("unreadable xlsx", {{"file", fmt::format("{}: {}", part, parsed.description())}});
  }
  return doc;
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
      if (c == '"')
        in_quotes = !in_quotes;
      else if (!in_quotes && (c == 'y' || c == 'd' || c == 'Y' || c == 'D'))
        has_date = true;
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

std::string SerialToDate(double serial) {
  // Excel's day 0 is 1899-12-30 (it counts the 1900 leap day that never was).
  auto days = static_cast<std::int64_t>(std::floor(serial));
  auto epoch = core::DaysFromCivil({1899, 12, 30});
  return core::FormatDate(core::CivilFromDays(epoch + days));
}

}  // namespace

bool LooksLikeXlsx(std::string_view bytes) {
  return bytes.size() >= 4 && bytes.substr(0, 4) == std::string_view("PK\3\4", 4);
}

Result<Table> ReadCsv(std::string_view bytes, const TableLimits& limits) {
  std::string text;
  if (core::IsUtf8(bytes)) {
    text = std::string(bytes);
  } else {
    auto converted = FromGb18030(bytes);
    if (!converted.ok()) return converted.status();
    text = std::move(converted).value();
  }
  auto rows = core::ParseCsv(
      text, {.max_rows = limits.max_rows, .max_columns = limits.max_columns, .max_field_bytes = limits.max_cell_bytes});
  if (!rows.ok()) {
    if (rows.status().code() == core::StatusCode::kResourceExhausted) return rows.status();
    return core::Status::InvalidArgument("unreadable CSV", {{"file", rows.status().message()}});
  }
  return std::move(rows).value();
}

Result<Table> ReadXlsx(std::string_view bytes, const TableLimits& limits) {
  auto archive = ZipArchive::Open(bytes, limits.max_inflated_bytes);
  if (!archive.ok()) return archive.status();
  auto& zip = **archive;

  auto workbook_xml = zip.Read("xl/workbook.xml");
  if (!workbook_xml.ok()) return workbook_xml.status();
  if (!*workbook_xml)
    return Status::InvalidArgument("unreadable xlsx", {{"file", "has no xl/workbook.xml; not an xlsx workbook"}});
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

  SharedStrings shared(limits);
  bool found = false;
  KILN_RETURN_IF_ERROR(StreamXml(zip, "xl/sharedStrings.xml", shared, found));
  auto styles_xml = zip.Read("xl/styles.xml");
  if (!styles_xml.ok()) return styles_xml.status();
  auto date_styles = DateStyles(*styles_xml);

  SheetCells sheet(limits, shared.strings, date_styles);
  KILN_RETURN_IF_ERROR(StreamXml(zip, sheet_path, sheet, found));
  if (!found)
    return Status::InvalidArgument("unreadable xlsx",
                                   {{"file", fmt::format("the first sheet ({}) is missing", sheet_path)}});
  return std::move(sheet.rows);
}

}  // namespace kiln::ingest
