#pragma once
// Unified social credit codes (统一社会信用代码, GB 32100-2015) and the
// organization codes (GB 11714) embedded in them at positions 9-17.

#include <optional>
#include <string>
#include <string_view>

namespace kiln::core {

// Why `code` is not a valid credit code, or nullopt when it is valid.
// Reasons are short English phrases meant for API error details, e.g.
// "check character should be L".
std::optional<std::string> CreditCodeError(std::string_view code);

inline bool IsValidCreditCode(std::string_view code) { return !CreditCodeError(code).has_value(); }

// The GB 32100 check character for the first 17 characters of a code.
// REQUIRES: `first17` has 17 characters from the GB 32100 alphabet.
char CreditCodeCheckCharacter(std::string_view first17);

// The GB 11714 check character for an 8-character organization code body
// (digits and capital letters).
char OrganizationCodeCheckCharacter(std::string_view body8);

// Builds a valid credit code: registering-authority department and kind
// ("91" = market regulation, enterprise), 6-digit region code, and an
// 8-character organization code body whose own check character is added.
std::string MakeCreditCode(std::string_view authority_and_kind, std::string_view region6, std::string_view org_body8);

}  // namespace kiln::core
