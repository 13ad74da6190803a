// Request bodies: the size and depth limits hold before any document is built,
// and what is accepted can be copied and dumped without recursing too deep.
#include <string_view>

#include "core/json_input.hpp"
#include "fuzz_targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = kiln::core::ParseJsonInput(text, {.max_bytes = 64 * 1024, .max_depth = 32});
  if (parsed.ok()) {
    auto copy = *parsed;
    auto dumped = copy.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (kiln::core::JsonDepthWithin(dumped, 32) < 0) __builtin_trap();  // accepted means within the limit
  }
  return 0;
}
