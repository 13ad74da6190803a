#include "core/collection_task.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <set>

#include "core/energy_types.hpp"

namespace kiln::core {
namespace {

using nlohmann::json;

bool IsKeyName(std::string_view key) {
  if (key.empty() || key.size() > 40 || !std::islower(static_cast<unsigned char>(key.front()))) return false;
  for (char c : key) {
    if (!std::islower(static_cast<unsigned char>(c)) && !std::isdigit(static_cast<unsigned char>(c)) && c != '_') {
      return false;
    }
  }
  return true;
}

// Pulls the digit groups out of text such as "2026年10月", "2026/10/05" or "2026-Q3".
std::vector<int> Numbers(std::string_view text) {
  std::vector<int> out;
  int value = 0;
  bool in_number = false;
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      value = value * 10 + (c - '0');
      in_number = true;
      if (value > 99999) return {};
    } else if (in_number) {
      out.push_back(value);
      value = 0;
      in_number = false;
    }
  }
  if (in_number) out.push_back(value);
  return out;
}

bool ValidYear(int y) { return y >= 2000 && y <= 2100; }

}  // namespace

bool IsTaskFrequency(std::string_view f) { return f == "daily" || f == "monthly" || f == "quarterly" || f == "yearly"; }

Status ValidateCollectionTask(const CollectionTask& task) {
  std::vector<FieldError> errors;
  if (!IsKeyName(task.code)) errors.push_back({"code", "must be lower-case letters, digits and _"});
  if (task.department.empty()) errors.push_back({"department", "is required"});
  if (Trim(task.name).empty()) errors.push_back({"name", "is required"});
  if (!IsTaskFrequency(task.frequency)) errors.push_back({"frequency", "must be daily, monthly, quarterly or yearly"});
  if (task.fields.empty()) errors.push_back({"fields", "must list at least one field"});
  std::set<std::string> keys, labels;
  for (std::size_t i = 0; i < task.fields.size(); ++i) {
    const auto& f = task.fields[i];
    auto at = [&](const char* what) { return fmt::format("fields[{}].{}", i, what); };
    if (!IsKeyName(f.key))
      errors.push_back({at("key"), "must be lower-case letters, digits and _"});
    else if (!keys.insert(f.key).second)
      errors.push_back({at("key"), "is used twice"});
    if (Trim(f.label).empty())
      errors.push_back({at("label"), "is required"});
    else if (!labels.insert(f.label).second)
      errors.push_back({at("label"), "is used twice"});
    if (f.type != "number" && f.type != "integer" && f.type != "text") {
      errors.push_back({at("type"), "must be number, integer or text"});
    }
    if (f.min && f.max && *f.min > *f.max) errors.push_back({at("max"), "is below min"});
    if (!f.energy_type.empty() && f.energy_type != "other" && !FindEnergyType(f.energy_type)) {
      errors.push_back({at("energy_type"), "is not a known energy type"});
    }
    if (!f.energy_type.empty() && f.type == "text") errors.push_back({at("energy_type"), "needs a number field"});
  }
  if (!errors.empty()) return Status::InvalidArgument("invalid collection task", std::move(errors));
  return {};
}

json TaskFieldsJson(const std::vector<TaskField>& fields) {
  json out = json::array();
  for (const auto& f : fields) {
    json j = {{"key", f.key}, {"label", f.label}, {"unit", f.unit}, {"type", f.type}, {"required", f.required}};
    j["min"] = f.min ? json(*f.min) : json(nullptr);
    j["max"] = f.max ? json(*f.max) : json(nullptr);
    j["energy_type"] = f.energy_type.empty() ? json(nullptr) : json(f.energy_type);
    out.push_back(std::move(j));
  }
  return out;
}

Result<std::vector<TaskField>> TaskFieldsFromJson(const json& fields) {
  if (!fields.is_array()) return Status::InvalidArgument("invalid collection task", {{"fields", "must be an array"}});
  std::vector<TaskField> out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const auto& j = fields[i];
    auto bad = [&](const char* what, const char* why) {
      return Status::InvalidArgument("invalid collection task", {{fmt::format("fields[{}].{}", i, what), why}});
    };
    if (!j.is_object()) return bad("", "must be an object");
    for (const auto& [key, _] : j.items()) {
      static const std::set<std::string> kKnown = {"key",         "label", "unit", "type",
                                                   "energy_type", "min",   "max",  "required"};
      if (!kKnown.contains(key)) {
        return Status::InvalidArgument("invalid collection task",
                                       {{fmt::format("fields[{}].{}", i, key), "unknown field"}});
      }
    }
    TaskField f;
    auto text = [&](const char* name, std::string& into) -> bool {
      if (!j.contains(name) || j[name].is_null()) return true;
      if (!j[name].is_string()) return false;
      into = j[name].get<std::string>();
      return true;
    };
    if (!text("key", f.key)) return bad("key", "must be a string");
    if (!text("label", f.label)) return bad("label", "must be a string");
    if (!text("unit", f.unit)) return bad("unit", "must be a string");
    if (!text("type", f.type)) return bad("type", "must be a string");
    if (!text("energy_type", f.energy_type)) return bad("energy_type", "must be a string");
    for (auto [name, into] : {std::pair{"min", &f.min}, std::pair{"max", &f.max}}) {
      if (!j.contains(name) || j[name].is_null()) continue;
      if (!j[name].is_number()) return bad(name, "must be a number");
      *into = j[name].get<double>();
    }
    if (j.contains("required") && !j["required"].is_null()) {
      if (!j["required"].is_boolean()) return bad("required", "must be true or false");
      f.required = j["required"].get<bool>();
    }
    out.push_back(std::move(f));
  }
  return out;
}

json CollectionTaskJson(const CollectionTask& t) {
  return {{"code", t.code},
          {"version", t.version},
          {"department", t.department},
          {"name", t.name},
          {"frequency", t.frequency},
          {"fields", TaskFieldsJson(t.fields)},
          {"active", t.active},
          {"source", t.source},
          {"changed_by", t.changed_by},
          {"changed_at", t.changed_at ? json(FormatInstantUtc(t.changed_at)) : json(nullptr)}};
}

Result<CollectionTask> CollectionTaskFromJson(const json& j) {
  if (!j.is_object()) return Status::InvalidArgument("invalid collection task", {{"", "must be a JSON object"}});
  for (const auto& [key, _] : j.items()) {
    static const std::set<std::string> kKnown = {"code",   "department", "name",  "frequency",
                                                 "source", "active",     "fields"};
    if (!kKnown.contains(key)) return Status::InvalidArgument("invalid collection task", {{key, "unknown field"}});
  }
  CollectionTask t;
  for (auto [name, into] :
       {std::pair{"code", &t.code}, std::pair{"department", &t.department}, std::pair{"name", &t.name},
        std::pair{"frequency", &t.frequency}, std::pair{"source", &t.source}}) {
    if (!j.contains(name) || j[name].is_null()) continue;
    if (!j[name].is_string()) return Status::InvalidArgument("invalid collection task", {{name, "must be a string"}});
    *into = j[name].get<std::string>();
  }
  if (j.contains("active") && !j["active"].is_null()) {
    if (!j["active"].is_boolean())
      return Status::InvalidArgument("invalid collection task", {{"active", "must be true or false"}});
    t.active = j["active"].get<bool>();
  }
  auto fields = TaskFieldsFromJson(j.contains("fields") ? j["fields"] : json());
  if (!fields.ok()) return fields.status();
  t.fields = std::move(fields).value();
  return t;
}

std::optional<std::string> NormalisePeriod(std::string_view frequency, std::string_view raw) {
  std::string text = Trim(raw);
  auto n = Numbers(text);
  if (n.empty() || !ValidYear(n[0])) return std::nullopt;
  int year = n[0];
  auto valid_date = [&](int m, int d) { return ParseDate(fmt::format("{:04}-{:02}-{:02}", year, m, d)).has_value(); };
  if (frequency == "yearly") {
    if (n.size() == 1 || (n.size() == 3 && valid_date(n[1], n[2]))) return fmt::format("{:04}", year);
    return std::nullopt;
  }
  if (frequency == "quarterly") {
    bool q_form = text.find('Q') != std::string::npos || text.find('q') != std::string::npos ||
                  text.find("季") != std::string::npos;
    if (q_form && n.size() == 2 && n[1] >= 1 && n[1] <= 4) return fmt::format("{:04}-Q{}", year, n[1]);
    if (!q_form && n.size() == 3 && valid_date(n[1], n[2])) return fmt::format("{:04}-Q{}", year, (n[1] + 2) / 3);
    return std::nullopt;
  }
  if (frequency == "monthly") {
    if (n.size() == 2 && n[1] >= 1 && n[1] <= 12) return fmt::format("{:04}-{:02}", year, n[1]);
    if (n.size() == 3 && valid_date(n[1], n[2])) return fmt::format("{:04}-{:02}", year, n[1]);
    return std::nullopt;
  }
  if (frequency == "daily") {
    if (n.size() == 3 && valid_date(n[1], n[2])) return fmt::format("{:04}-{:02}-{:02}", year, n[1], n[2]);
    return std::nullopt;
  }
  return std::nullopt;
}

std::string PeriodHint(std::string_view frequency) {
  if (frequency == "daily") return "日期，如 2026-10-05";
  if (frequency == "quarterly") return "季度，如 2026-Q3";
  if (frequency == "yearly") return "年份，如 2026";
  return "月份，如 2026-10";
}

Result<json> CheckCell(const TaskField& field, std::string_view raw) {
  std::string text = Trim(raw);
  if (text.empty()) {
    if (field.required) return Status::InvalidArgument(fmt::format("{}为必填项", field.label));
    return json(nullptr);
  }
  if (field.type == "text") {
    if (text.size() > 500) return Status::InvalidArgument(fmt::format("{}过长（最多 500 字节）", field.label));
    return json(text);
  }
  // Spreadsheets add thousands separators; they carry no meaning here.
  std::string digits;
  for (char c : text) {
    if (c != ',') digits.push_back(c);
  }
  double value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size() || !std::isfinite(value)) {
    return Status::InvalidArgument(fmt::format("{}应为数字，收到“{}”", field.label, text));
  }
  if (field.type == "integer" && value != std::floor(value)) {
    return Status::InvalidArgument(fmt::format("{}应为整数，收到“{}”", field.label, text));
  }
  if (field.min && value < *field.min) {
    return Status::InvalidArgument(fmt::format("{}不能小于 {}{}，收到 {}", field.label, *field.min, field.unit, text));
  }
  if (field.max && value > *field.max) {
    return Status::InvalidArgument(fmt::format("{}不能大于 {}{}，收到 {}", field.label, *field.max, field.unit, text));
  }
  if (field.type == "integer") return json(static_cast<std::int64_t>(value));
  return json(value);
}

std::string ColumnLetters(std::size_t index) {
  std::string out;
  ++index;
  while (index > 0) {
    out.insert(out.begin(), static_cast<char>('A' + (index - 1) % 26));
    index = (index - 1) / 26;
  }
  return out;
}

}  // namespace kiln::core
