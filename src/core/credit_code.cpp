#include "core/credit_code.hpp"

#include <array>
#include <fmt/format.h>

namespace kiln::core {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr std::array<int, 17> kWeights = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

int AlphabetValue(char c) {
  auto pos = kAlphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

}  // namespace

char CreditCodeCheckCharacter(std::string_view first17) {
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += AlphabetValue(first17[i]) * kWeights[i];
  return kAlphabet[(31 - sum % 31) % 31];
}

std::optional<std::string> CreditCodeError(std::string_view code) {
  if (code.size() != 18) return fmt::format("must be 18 characters, got {}", code.size());
  for (size_t i = 0; i < code.size(); ++i) {
    if (AlphabetValue(code[i]) < 0) {
      return fmt::format("character {} ('{}') is not allowed; use digits and capitals except I, O, Z, S, V", i + 1,
                         code[i]);
    }
  }
  for (size_t i = 2; i < 8; ++i) {
    if (code[i] < '0' || code[i] > '9') return "positions 3-8 must be a 6-digit region code";
  }
  char expected = CreditCodeCheckCharacter(code.substr(0, 17));
  if (code[17] != expected) return fmt::format("check character should be {}", expected);
  return std::nullopt;
}

char OrganizationCodeCheckCharacter(std::string_view body8) {
  static constexpr std::array<int, 8> kOrgWeights = {3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (size_t i = 0; i < 8; ++i) {
    char c = body8[i];
    int v = (c >= '0' && c <= '9') ? c - '0' : c - 'A' + 10;
    sum += v * kOrgWeights[i];
  }
  int check = 11 - sum % 11;
  if (check == 10) return 'X';
  if (check == 11) return '0';
  return static_cast<char>('0' + check);
}

std::string MakeCreditCode(std::string_view authority_and_kind, std::string_view region6, std::string_view org_body8) {
  std::string first17;
  first17.reserve(18);
  first17.append(authority_and_kind).append(region6).append(org_body8);
  first17.push_back(OrganizationCodeCheckCharacter(org_body8));
  first17.push_back(CreditCodeCheckCharacter(first17));
  return first17;
}

}  // namespace kiln::core
