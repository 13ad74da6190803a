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
  std::string remote_address;  // the client: the peer, or what a trusted proxy forwarded
  std::string peer_address;  // the TCP peer itself
  bool secure = false;  // reached over HTTPS (a trusted proxy said so)
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

// Parses a request body as JSON within the size and depth limits
// (core/json_input.hpp); the error names the byte position or the limit.
core::Result<nlohmann::json> ParseJsonBody(const Request& request);
// The same, for a body that must be a JSON object.
core::Result<nlohmann::json> ParseJsonObject(const Request& request);

// The body of a review decision, {"action": text, "reason": text or null}: unknown fields and
// non-text values are field errors under `what` (e.g. "invalid review"); a missing reason is "".
struct DecisionBody {
  std::string action, reason;
};
core::Result<DecisionBody> ParseDecisionBody(const Request& request, const std::string& what);

// A strict integer query parameter: absent gives `fallback`; anything but
// digits (with an optional minus), or a value outside [min, max], adds a field error.
std::int64_t IntQuery(const Request& request, const std::string& name, std::int64_t fallback, std::int64_t min,
                      std::int64_t max, std::vector<core::FieldError>& errors);

// A time parameter: ISO 8601 with an offset, or a date (00:00 China time).
std::optional<core::UnixMillis> ParseTimeParam(const std::string& text);

// A file to download: Content-Disposition with an ASCII name and the UTF-8
// name (RFC 5987), never cached.
Response FileDownload(std::string bytes, const std::string& content_type, const std::string& ascii_name,
                      const std::string& name);

// Splits "a=1&b=x%20y" into decoded pairs.
std::map<std::string, std::string> ParseQuery(std::string_view query);
std::string PercentDecode(std::string_view text);

}  // namespace kiln::http
