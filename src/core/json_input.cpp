#include "core/json_input.hpp"

#include <fmt/format.h>

namespace kiln::core {

long long JsonDepthWithin(std::string_view text, int limit) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return -static_cast<long long>(i) - 1;
      deepest = std::max(deepest, depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

Result<nlohmann::json> ParseJsonInput(std::string_view text, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return Status::ResourceExhausted(
               fmt::format("the JSON body has {} bytes; the limit is {} bytes", text.size(), limits.max_bytes))
        .WithReason("payload_too_large");
  }
  if (text.empty())
    return Status::InvalidArgument("request body is empty; a JSON object is expected", {{"body", "is empty"}});
  auto depth = JsonDepthWithin(text, limits.max_depth);
  if (depth < 0) {
    return Status::InvalidArgument(
        fmt::format("JSON nested deeper than {} levels at byte {}", limits.max_depth, -depth - 1),
        {{"body", fmt::format("nesting deeper than {} levels", limits.max_depth)}});
  }
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    return Status::InvalidArgument(fmt::format("malformed JSON at byte {}: {}", e.byte, e.what()),
                                   {{"body", fmt::format("malformed JSON at byte {}", e.byte)}});
  } catch (const nlohmann::json::exception& e) {
    // Numbers out of range and the like.
    return Status::InvalidArgument(fmt::format("unacceptable JSON: {}", e.what()), {{"body", e.what()}});
  }
}

}  // namespace kiln::core
