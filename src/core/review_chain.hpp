#pragma once
// The path a filed item takes through review: who files it (an enterprise or
// a county), the levels that must approve it in order (county → city →
// province, or a shorter chain a flow is configured with), and the status and
// awaited level after each decision. Pure: the review engine (workflow) and the
// store's report mirror both follow it.
//
// Statuses: submitted (waiting for the first level), <level>_approved (waiting
// for the next), approved (done), returned (back with the filer, who
// resubmits a new version), withdrawn (the filer took it back).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace kiln::core {

struct ReviewChain {
  std::string filer;  // the level that files and resubmits: enterprise, county, city
  std::vector<std::string> levels;  // review levels in order, each one of county, city, province

  // Who acts next on an item in `status`: a review level, the filer (returned), or "" (approved or withdrawn).
  std::string Awaiting(const std::string& status) const;
  // The status after `level` approves; nullopt when `level` is not the one awaited in `status`.
  std::optional<std::string> AfterApproval(const std::string& status, const std::string& level) const;
  bool Open(const std::string& status) const { return !Awaiting(status).empty(); }
};

// "county,city,province" → a chain; kInvalidArgument naming the bad level, a repeated one, or the wrong order.
Result<std::vector<std::string>> ParseReviewLevels(const std::string& text);
std::string JoinReviewLevels(const std::vector<std::string>& levels);

// A flow's name in Chinese (列入清单, 信息变更, …), for messages; the code itself when unknown.
std::string_view ReviewFlowTitle(std::string_view flow);

// The chain of monthly and yearly reports: filed by the enterprise, county → city → province.
const ReviewChain& ReportReviewChain();

}  // namespace kiln::core
