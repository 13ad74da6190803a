#pragma once
// Transport-neutral request and response values that handlers see, and the
// one mapping from Status to an HTTP status and the error body
// {"error":{"code":…,"message":…,"details":[{"field":…,"reason":…}]}}.

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/china_time.hpp"
#include "core/status.hpp"

namespace kiln::http {

struct Request {
  std::string method;  // "GET"
  std::string path;  // decoded path without the query
  std::map<std::string, std::string> query;  // decoded query parameters (last one wins)
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string remote_address;
  std::map<std::string, std::string> path_params;  // filled by the router

  std::string Header(const std::string& lower_name) const;
  std::string Cookie(const std::string& name) const;
  std::optional<std::string> Query(const std::string& name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

int HttpStatusOf(core::StatusCode code);
Response JsonResponse(int status, const nlohmann::json& body);
Response ErrorResponse(const core::Status& status);
Response ErrorResponse(int http_status, const std::string& code, const std::string& message,
                       const std::vector<core::FieldError>& details = {});

// An optional instant as the API writes it: ISO 8601 UTC, or null.
nlohmann::json InstantOrNull(std::optional<core::UnixMillis> instant);

// Parses a request body as JSON; the error names the byte position.
core::Result<nlohmann::json> ParseJsonBody(const Request& request);

// Splits "a=1&b=x%20y" into decoded pairs.
std::map<std::string, std::string> ParseQuery(std::string_view query);
std::string PercentDecode(std::string_view text);

}  // namespace kiln::http
