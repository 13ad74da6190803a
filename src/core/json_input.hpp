#pragma once
// JSON from outside (request bodies, MQTT payloads, department pushes) is
// parsed only through here: its size and nesting depth are checked before a
// document is built, so that no later copy, dump or walk of it can recurse
// deeper than the limit or allocate more than the size allows.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string_view>

#include "core/status.hpp"

namespace kiln::core {

struct JsonLimits {
  std::size_t max_bytes = 1024 * 1024;
  int max_depth = 32;  // nested arrays and objects
};

// kInvalidArgument naming the byte position for malformed JSON or a document
// nested deeper than the limit; kResourceExhausted ("payload_too_large") for
// one larger than the limit.
Result<nlohmann::json> ParseJsonInput(std::string_view text, const JsonLimits& limits = {});

// The deepest nesting of arrays and objects in `text` (strings skipped), or
// the position where `limit` is first exceeded as a negative number.
long long JsonDepthWithin(std::string_view text, int limit);

}  // namespace kiln::core
