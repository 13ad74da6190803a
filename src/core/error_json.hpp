#pragma once
// The one error body every interface answers with (HTTP, MQTT acks):
// {"error":{"code":"invalid_argument","message":"…","details":[{"field":…,"reason":…}]}}
// Internal errors keep their details in the server log, not in the answer.

#include <nlohmann/json.hpp>

#include "core/status.hpp"

namespace kiln::core {

nlohmann::json ErrorBody(const std::string& code, const std::string& message, const std::vector<FieldError>& details);
nlohmann::json ErrorBody(const Status& status);

}  // namespace kiln::core
