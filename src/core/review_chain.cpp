#include "core/review_chain.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace kiln::core {
namespace {

constexpr std::array<const char*, 3> kLevelOrder = {"county", "city", "province"};

int Rank(const std::string& level) {
  auto it = std::find(kLevelOrder.begin(), kLevelOrder.end(), level);
  return it == kLevelOrder.end() ? -1 : static_cast<int>(it - kLevelOrder.begin());
}

}  // namespace

std::string ReviewChain::Awaiting(const std::string& status) const {
  if (status == "returned") return filer;
  if (status == "submitted") return levels.empty() ? "" : levels.front();
  for (size_t i = 0; i + 1 < levels.size(); ++i) {
    if (status == levels[i] + "_approved") return levels[i + 1];
  }
  return "";
}

std::optional<std::string> ReviewChain::AfterApproval(const std::string& status, const std::string& level) const {
  if (status == "returned" || level.empty() || Awaiting(status) != level) return std::nullopt;
  return level == levels.back() ? std::string("approved") : level + "_approved";
}

Result<std::vector<std::string>> ParseReviewLevels(const std::string& text) {
  std::vector<std::string> levels;
  size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string level = text.substr(start, end - start);
    level.erase(0, level.find_first_not_of(' '));
    level.erase(level.find_last_not_of(' ') + 1);
    if (Rank(level) < 0) {
      return Status::InvalidArgument(
          fmt::format("review level '{}' is not one of county, city, province (in \"{}\")", level, text));
    }
    if (!levels.empty() && Rank(level) <= Rank(levels.back())) {
      return Status::InvalidArgument(
          fmt::format("review levels must go up once each, county → city → province (in \"{}\")", text));
    }
    levels.push_back(level);
    start = end + 1;
  }
  return levels;
}

std::string JoinReviewLevels(const std::vector<std::string>& levels) {
  return fmt::format("{}", fmt::join(levels, ","));
}

std::string_view ReviewFlowTitle(std::string_view flow) {
  if (flow == "monthly_report") return "月度报告";
  if (flow == "yearly_report") return "年度报告";
  if (flow == "list_entry") return "列入清单";
  if (flow == "list_exit") return "移出清单";
  if (flow == "info_change") return "信息变更";
  if (flow == "violation_closure") return "违规项目销号";
  if (flow == "project_declaration") return "项目申报";
  if (flow == "upgrade_plan") return "能效改造方案";
  if (flow == "upgrade_acceptance") return "能效改造验收";
  return flow;
}

const ReviewChain& ReportReviewChain() {
  static const ReviewChain chain{.filer = "enterprise", .levels = {"county", "city", "province"}};
  return chain;
}

}  // namespace kiln::core
