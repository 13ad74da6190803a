#pragma once
// Text from outside (uploads, request bodies, error messages that quote them): UTF-8 validity, which
// a store or a JSON answer insists on, and trimming.

#include <string>
#include <string_view>

namespace kiln::core {

bool IsUtf8(std::string_view s);

// `s` with every byte that does not start a well-formed sequence replaced by U+FFFD.
std::string ToValidUtf8(std::string_view s);

// `s` without leading and trailing white space, the ideographic space (U+3000) of Chinese input too.
std::string Trim(std::string_view s);

}  // namespace kiln::core
