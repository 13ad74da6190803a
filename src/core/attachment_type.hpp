#pragma once
// What an attached file is, from its first bytes and its name: PDF and images
// (shown in the browser) and office documents (downloaded). Anything else is
// refused, whatever its name claims: a file whose bytes are not what its
// extension says is not accepted either.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.hpp"

namespace kiln::core {

struct AttachmentType {
  std::string media_type;  // application/pdf, image/png, …
  std::string extension;  // pdf, png, jpg, docx, xlsx, doc, xls
  bool preview = false;  // the browser shows it inline
};

// The type of `bytes` named `filename`, or nullopt when it is not an accepted kind.
std::optional<AttachmentType> SniffAttachment(std::string_view bytes, std::string_view filename);

// For error messages: "PDF, PNG, JPEG, Word (.doc, .docx), Excel (.xls, .xlsx)".
std::string_view AcceptedAttachmentKinds();

// An attachment's id: the SM3 of its bytes, 64 lower-case hex digits.
bool IsAttachmentId(std::string_view id);
// A filing's `attachments`: a list of at most 20 attachment ids. nullopt, with an error on the
// "attachments" field appended, when it is anything else.
std::optional<std::vector<std::string>> AttachmentIds(const nlohmann::json& value, std::vector<FieldError>& errors);

}  // namespace kiln::core
