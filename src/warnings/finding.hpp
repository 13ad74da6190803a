#pragma once
// One condition a rule found: what, on which subject, over which time, in
// words (zh-CN) and in figures (evidence, with links to the drill-down).
// The key names the condition, so that finding it again finds the same
// warning: "<rule>:<subject>[:<time or period>]".

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/china_time.hpp"

namespace kiln::warnings {

struct Finding {
  std::string rule, key, severity;
  std::optional<std::int64_t> enterprise_id, point_id;
  std::string region, industry;
  core::UnixMillis from = 0;
  std::optional<core::UnixMillis> to;
  std::string message;
  nlohmann::json evidence = nlohmann::json::object();
};

// Evidence helpers: a link into the console, and a point's readings around a time span.
nlohmann::json Link(const std::string& label, const std::string& href);
nlohmann::json PointLink(std::int64_t point_id, core::UnixMillis from, core::UnixMillis to);

}  // namespace kiln::warnings
