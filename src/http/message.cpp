#include "http/message.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cctype>

#include "core/error_json.hpp"
#include "core/json_input.hpp"

namespace kiln::http {

std::string Request::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

std::string Request::Cookie(const std::string& name) const {
  std::string_view all = Header("cookie").empty() ? std::string_view() : std::string_view(headers.at("cookie"));
  while (!all.empty()) {
    auto end = all.find(';');
    std::string_view pair = all.substr(0, end);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
    if (end == std::string_view::npos) break;
    all.remove_prefix(end + 1);
  }
  return {};
}

std::optional<std::string> Request::Query(const std::string& name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

int HttpStatusOf(core::StatusCode code) {
  switch (code) {
    case core::StatusCode::kOk: return 200;
    case core::StatusCode::kInvalidArgument: return 400;
    case core::StatusCode::kNotFound: return 404;
    case core::StatusCode::kConflict: return 409;
    case core::StatusCode::kUnauthenticated: return 401;
    case core::StatusCode::kPermissionDenied: return 403;
    case core::StatusCode::kResourceExhausted: return 429;
    case core::StatusCode::kUnavailable: return 503;
    case core::StatusCode::kInternal: return 500;
  }
  return 500;
}

Response JsonResponse(int status, const nlohmann::json& body) {
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response ErrorResponse(int http_status, const std::string& code, const std::string& message,
                       const std::vector<core::FieldError>& details) {
  return JsonResponse(http_status, core::ErrorBody(code, message, details));
}

Response ErrorResponse(const core::Status& status) {
  // Two refusals have HTTP statuses of their own beyond the code's.
  int http_status = status.reason() == "payload_too_large"        ? 413
                    : status.reason() == "unsupported_media_type" ? 415
                                                                  : HttpStatusOf(status.code());
  auto res = JsonResponse(http_status, core::ErrorBody(status));
  if (http_status == 503 || http_status == 429) res.headers.emplace_back("Retry-After", "1");
  return res;
}

core::Result<nlohmann::json> ParseJsonBody(const Request& request) { return core::ParseJsonInput(request.body); }

core::Result<nlohmann::json> ParseJsonObject(const Request& request) {
  auto body = ParseJsonBody(request);
  if (!body.ok()) return body.status();
  if (!body->is_object()) {
    return core::Status::InvalidArgument("the request body must be a JSON object", {{"body", "must be a JSON object"}});
  }
  return body;
}

core::Result<DecisionBody> ParseDecisionBody(const Request& request, const std::string& what) {
  auto body = ParseJsonObject(request);
  if (!body.ok()) return body.status();
  std::vector<core::FieldError> errors;
  for (const auto& [key, value] : body->items()) {
    if (key == "action" || key == "reason") {
      if (!value.is_string() && !(key == "reason" && value.is_null())) errors.push_back({key, "must be text"});
    } else {
      errors.push_back({key, "unknown field"});
    }
  }
  if (!body->contains("action")) errors.push_back({"action", "must be approve or return"});
  if (!errors.empty()) return core::Status::InvalidArgument(what, errors);
  const auto& reason = (*body)["reason"];
  return DecisionBody{(*body)["action"].get<std::string>(), reason.is_string() ? reason.get<std::string>() : ""};
}

std::int64_t IntQuery(const Request& request, const std::string& name, std::int64_t fallback, std::int64_t min,
                      std::int64_t max, std::vector<core::FieldError>& errors) {
  auto text = request.Query(name);
  if (!text) return fallback;
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (text->empty() || ec != std::errc() || ptr != text->data() + text->size()) {
    errors.push_back({name, "must be an integer"});
    return fallback;
  }
  if (value < min || value > max) {
    errors.push_back({name, fmt::format("must be between {} and {}", min, max)});
    return fallback;
  }
  return value;
}

std::optional<core::UnixMillis> ParseTimeParam(const std::string& text) {
  if (auto date = core::ParseDate(text)) return core::ChinaMidnight(*date);
  return core::ParseInstant(text);
}

namespace {

// RFC 5987 filename*: the Chinese name survives in every browser.
std::string PercentEncode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '.' || c == '-' || c == '_')
      out.push_back(static_cast<char>(c));
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

}  // namespace

Response FileDownload(std::string bytes, const std::string& content_type, const std::string& ascii_name,
                      const std::string& name) {
  Response res;
  res.body = std::move(bytes);
  res.content_type = content_type;
  res.headers.emplace_back("Content-Disposition", fmt::format("attachment; filename=\"{}\"; filename*=UTF-8''{}",
                                                              ascii_name, PercentEncode(name)));
  res.headers.emplace_back("Cache-Control", "no-store");
  return res;
}

std::string PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1]) >= 0 && hex(text[i + 2]) >= 0) {
      out += static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2]));
      i += 2;
    } else if (text[i] == '+') {
      out += ' ';
    } else {
      out += text[i];
    }
  }
  return out;
}

std::map<std::string, std::string> ParseQuery(std::string_view query) {
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    auto end = query.find('&');
    std::string_view pair = query.substr(0, end);
    auto eq = pair.find('=');
    if (!pair.empty()) {
      if (eq == std::string_view::npos)
        out[PercentDecode(pair)] = "";
      else
        out[PercentDecode(pair.substr(0, eq))] = PercentDecode(pair.substr(eq + 1));
    }
    if (end == std::string_view::npos) break;
    query.remove_prefix(end + 1);
  }
  return out;
}

nlohmann::json InstantOrNull(std::optional<core::UnixMillis> instant) {
  return instant ? nlohmann::json(core::FormatInstantUtc(*instant)) : nlohmann::json(nullptr);
}

}  // namespace kiln::http
