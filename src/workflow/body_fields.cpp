#include "workflow/body_fields.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/attachment_type.hpp"
#include "core/china_time.hpp"
#include "workflow/review_engine.hpp"

namespace kiln::workflow {

using nlohmann::json;

// A required text of at most `max` bytes.
std::optional<std::string> Text(const json& body, const char* key, std::size_t max, const char* what,
                                std::vector<core::FieldError>& errors) {
  if (!body.contains(key)) {
    errors.push_back({key, fmt::format("is required: {}", what)});
    return std::nullopt;
  }
  const auto& v = body[key];
  if (!v.is_string() || v.get<std::string>().empty()) {
    errors.push_back({key, fmt::format("must be a non-empty text: {}", what)});
    return std::nullopt;
  }
  if (v.get<std::string>().size() > max) {
    errors.push_back({key, fmt::format("must be at most {} bytes", max)});
    return std::nullopt;
  }
  return v.get<std::string>();
}

std::optional<std::string> Date(const json& body, const char* key, const std::string& after,
                                std::vector<core::FieldError>& errors) {
  if (!body.contains(key)) {
    errors.push_back({key, "is required: a date YYYY-MM-DD"});
    return std::nullopt;
  }
  const auto& v = body[key];
  if (!v.is_string() || !core::ParseDate(v.get<std::string>())) {
    errors.push_back({key, "must be a date YYYY-MM-DD"});
    return std::nullopt;
  }
  auto date = core::FormatDate(*core::ParseDate(v.get<std::string>()));
  if (date <= after) {
    errors.push_back({key, fmt::format("must be after {}", after)});
    return std::nullopt;
  }
  return date;
}

std::vector<std::string> Attachments(const json& body, std::vector<core::FieldError>& errors) {
  if (!body.contains("attachments")) return {};
  return core::AttachmentIds(body["attachments"], errors).value_or(std::vector<std::string>{});
}

void UnknownFields(const json& body, std::initializer_list<const char*> known, std::vector<core::FieldError>& errors) {
  for (const auto& item : body.items()) {
    const std::string& key = item.key();
    if (std::none_of(known.begin(), known.end(), [&](const char* k) { return key == k; })) {
      errors.push_back({key, "unknown field"});
    }
  }
}

std::string LevelOf(const security::Principal& who) {
  auto level = ReviewEngine::ActingLevel(who);
  return level.empty() ? who.role : level;
}

core::Status AddAttachments(storage::ReviewStore& store, const std::vector<std::string>& ids,
                            std::vector<storage::Attachment>& into) {
  for (const auto& id : ids) {
    if (std::any_of(into.begin(), into.end(), [&](const auto& x) { return x.id == id; })) continue;
    auto found = store.GetAttachment(id, false);
    if (!found.ok()) return found.status();
    if (*found) into.push_back(std::move(**found));
  }
  return {};
}

}  // namespace kiln::workflow
