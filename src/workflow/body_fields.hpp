#pragma once
// Reading the fields of a filing's JSON body (a violation's marking and progress, an upgrade
// plan): each problem is added to `errors` with the field it is about, so that one answer names
// them all; and gathering the files its events carry.

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.hpp"
#include "security/access.hpp"
#include "storage/review_store.hpp"

namespace kiln::workflow {

// A required non-empty text of at most `max` bytes; `what` says what it is for.
std::optional<std::string> Text(const nlohmann::json& body, const char* key, std::size_t max, const char* what,
                                std::vector<core::FieldError>& errors);
// A required date (YYYY-MM-DD) later than `after`, normalized.
std::optional<std::string> Date(const nlohmann::json& body, const char* key, const std::string& after,
                                std::vector<core::FieldError>& errors);
// The attachment ids of the body's optional "attachments".
std::vector<std::string> Attachments(const nlohmann::json& body, std::vector<core::FieldError>& errors);
// An error for every key not in `known`.
void UnknownFields(const nlohmann::json& body, std::initializer_list<const char*> known,
                   std::vector<core::FieldError>& errors);
// Adds to `into` the attachments (without their bytes) of `ids` not there yet, in order: the files of a
// case's events as its detail lists them.
core::Status AddAttachments(storage::ReviewStore& store, const std::vector<std::string>& ids,
                            std::vector<storage::Attachment>& into);
// The level a principal acts at in events (county, city, province, enterprise), or its role.
std::string LevelOf(const security::Principal& who);

}  // namespace kiln::workflow
