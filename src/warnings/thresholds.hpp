#pragma once
// The rules' thresholds in force: the newest version of each (rule, name)
// in the store, which starts from data/warning_thresholds.csv and follows
// the province's edits. Evidence cites the versions it used.

#include <map>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/status.hpp"
#include "storage/warning_store.hpp"

namespace kiln::warnings {

class Thresholds {
 public:
  // kInternal naming any threshold a rule needs that is not stored.
  static core::Result<Thresholds> Load(storage::WarningStore& store);
  // From given rows (tests); the newest version of each key wins.
  static core::Result<Thresholds> From(const std::vector<storage::Threshold>& rows);

  // The value of a threshold Load checked to exist.
  double Value(std::string_view rule, std::string_view name) const;
  // {"name": {"value", "unit", "version"}} of one rule's thresholds, for evidence.
  nlohmann::json Cite(std::string_view rule) const;

  // Every (rule, name) the rules read.
  static const std::vector<std::pair<std::string_view, std::string_view>>& Required();

 private:
  std::map<std::pair<std::string, std::string>, storage::Threshold, std::less<>> by_key_;
};

}  // namespace kiln::warnings
