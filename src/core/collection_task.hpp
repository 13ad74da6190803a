#pragma once
// Department data collection tasks (seed 002, annex "政府部门上传"): what a
// department delivers, field by field, and how often. A task is versioned
// data: an edit adds a version, and every upload records the version it was
// checked against.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/text.hpp"
#include "core/china_time.hpp"
#include "core/status.hpp"

namespace kiln::core {

struct TaskField {
  std::string key;  // stable machine name, e.g. "electricity"
  std::string label;  // the column header in Chinese, e.g. "用电量"
  std::string unit;  // e.g. "kWh"; empty for text
  std::string type = "number";  // number, integer, text
  std::optional<double> min, max;
  bool required = false;
  // The energy type a number is an amount of (core/energy_types), so accounting can use it.
  std::string energy_type;
};

struct CollectionTask {
  std::string code;  // e.g. "power_monthly"
  int version = 0;
  std::string department;  // departments.code
  std::string name;
  std::string frequency;  // daily, monthly, quarterly, yearly
  std::vector<TaskField> fields;
  bool active = true;
  std::string source;  // where the field list comes from
  std::string changed_by;
  UnixMillis changed_at = 0;
};

bool IsTaskFrequency(std::string_view frequency);

// Every problem with a task definition, as field errors ("fields[2].key": "…").
Status ValidateCollectionTask(const CollectionTask& task);

nlohmann::json TaskFieldsJson(const std::vector<TaskField>& fields);
// Reads a field list; kInvalidArgument naming the first malformed entry.
Result<std::vector<TaskField>> TaskFieldsFromJson(const nlohmann::json& fields);
nlohmann::json CollectionTaskJson(const CollectionTask& task);
Result<CollectionTask> CollectionTaskFromJson(const nlohmann::json& j);

// A period as the frequency names it, normalised: daily "2026-10-05", monthly
// "2026-10", quarterly "2026-Q3", yearly "2026". Accepts the usual ways people
// write them in spreadsheets ("2026/10", "2026年10月", a date inside the
// period for monthly, quarterly and yearly tasks). nullopt when unreadable.
std::optional<std::string> NormalisePeriod(std::string_view frequency, std::string_view text);
// What NormalisePeriod expects, in Chinese, for error messages.
std::string PeriodHint(std::string_view frequency);

// A cell's text checked against its field: the JSON value to store, or why not
// (in Chinese, for the person fixing the file). Empty text is null, or an
// error for a required field.
Result<nlohmann::json> CheckCell(const TaskField& field, std::string_view text);

// Spreadsheet column letters for a 0-based index: 0 → "A", 26 → "AA".
std::string ColumnLetters(std::size_t index);

}  // namespace kiln::core
