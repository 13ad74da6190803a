#include "core/error_json.hpp"

namespace kiln::core {

nlohmann::json ErrorBody(const std::string& code, const std::string& message, const std::vector<FieldError>& details) {
  nlohmann::json error = {{"code", code}, {"message", message}};
  if (!details.empty()) {
    nlohmann::json d = nlohmann::json::array();
    for (const auto& e : details) d.push_back({{"field", e.field}, {"reason", e.reason}});
    error["details"] = std::move(d);
  }
  return {{"error", std::move(error)}};
}

nlohmann::json ErrorBody(const Status& status) {
  std::string message = status.code() == StatusCode::kInternal ? "internal error" : status.message();
  std::string code = status.reason().empty() ? StatusCodeName(status.code()) : status.reason();
  return ErrorBody(code, message, status.details());
}

}  // namespace kiln::core
