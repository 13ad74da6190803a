#include "core/attachment_type.hpp"

#include <algorithm>
#include <cctype>

namespace kiln::core {
namespace {

std::string LowerExtension(std::string_view filename) {
  auto dot = filename.rfind('.');
  if (dot == std::string_view::npos) return "";
  std::string ext(filename.substr(dot + 1));
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}

bool StartsWith(std::string_view bytes, std::string_view magic) { return bytes.substr(0, magic.size()) == magic; }

}  // namespace

std::optional<AttachmentType> SniffAttachment(std::string_view bytes, std::string_view filename) {
  const std::string ext = LowerExtension(filename);
  if (StartsWith(bytes, "%PDF-")) return AttachmentType{"application/pdf", "pdf", true};
  if (StartsWith(bytes, "\x89PNG\r\n\x1a\n")) return AttachmentType{"image/png", "png", true};
  if (StartsWith(bytes, "\xFF\xD8\xFF")) return AttachmentType{"image/jpeg", "jpg", true};
  // Office Open XML is a ZIP; the name tells Word from Excel (a ZIP named otherwise is refused).
  if (StartsWith(bytes, std::string_view("PK\x03\x04", 4))) {
    if (ext == "docx")
      return AttachmentType{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", false};
    if (ext == "xlsx")
      return AttachmentType{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", false};
    return std::nullopt;
  }
  if (StartsWith(bytes, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) {  // the old compound-file formats
    if (ext == "doc") return AttachmentType{"application/msword", "doc", false};
    if (ext == "xls") return AttachmentType{"application/vnd.ms-excel", "xls", false};
    return std::nullopt;
  }
  return std::nullopt;
}

std::string_view AcceptedAttachmentKinds() { return "PDF, PNG, JPEG, Word (.doc, .docx), Excel (.xls, .xlsx)"; }

bool IsAttachmentId(std::string_view id) {
  return id.size() == 64 && id.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

std::optional<std::vector<std::string>> AttachmentIds(const nlohmann::json& value, std::vector<FieldError>& errors) {
  constexpr std::size_t kMaxAttachments = 20;
  std::vector<std::string> ids;
  bool ok = value.is_array() && value.size() <= kMaxAttachments;
  for (const auto& a : ok ? value : nlohmann::json::array()) {
    ok = ok && a.is_string() && IsAttachmentId(a.get<std::string>());
    if (ok) ids.push_back(a.get<std::string>());
  }
  if (ok) return ids;
  errors.push_back({"attachments", "must be a list of at most 20 attachment ids (64 hex digits)"});
  return std::nullopt;
}

}  // namespace kiln::core
