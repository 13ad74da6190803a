#include "core/record.hpp"

#include <cmath>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/china_time.hpp"

namespace kiln::core {
namespace {
constexpr double kMaxPlausibleNumber = 1e15;
}  // namespace
namespace {

std::optional<std::string> DecodeField(const FieldSpec& spec, const nlohmann::json& j, Value& out) {
  if (j.is_null()) {
    out = std::monostate{};
    return std::nullopt;
  }
  switch (spec.type) {
    case FieldType::kText:
    case FieldType::kDate:
    case FieldType::kEnum:
      if (!j.is_string()) return "must be a string";
      out = j.get<std::string>();
      return std::nullopt;
    case FieldType::kInstant: return "is set by the server";
    case FieldType::kInt:
      if (j.is_number_integer()) {
        out = j.get<std::int64_t>();
        return std::nullopt;
      }
      if (j.is_number_float()) {
        double d = j.get<double>();
        if (std::floor(d) == d && std::abs(d) < 9e15) {
          out = static_cast<std::int64_t>(d);
          return std::nullopt;
        }
      }
      return "must be an integer";
    case FieldType::kReal:
      if (!j.is_number()) return "must be a number";
      out = j.get<double>();
      return std::nullopt;
    case FieldType::kBool:
      if (!j.is_boolean()) return "must be true or false";
      out = j.get<bool>();
      return std::nullopt;
  }
  return "unsupported type";
}

double NumericValue(const Value& v) {
  if (auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  if (auto* d = std::get_if<double>(&v)) return *d;
  return 0;
}

std::optional<std::string> CheckField(const FieldSpec& spec, const Value& v) {
  if (IsNull(v)) return spec.required ? std::optional<std::string>("is required") : std::nullopt;
  switch (spec.type) {
    case FieldType::kText: {
      const auto& s = std::get<std::string>(v);
      if (spec.required && s.empty()) return "is required";
      if (s.size() > spec.max_length) return fmt::format("must be at most {} bytes", spec.max_length);
      break;
    }
    case FieldType::kDate:
      if (!ParseDate(std::get<std::string>(v))) return "must be a date YYYY-MM-DD";
      break;
    case FieldType::kEnum: {
      const auto& s = std::get<std::string>(v);
      bool found = false;
      for (const auto& c : spec.choices) found = found || c == s;
      if (!found) {
        std::string list;
        for (const auto& c : spec.choices) list += (list.empty() ? "" : ", ") + c;
        return "must be one of " + list;
      }
      break;
    }
    case FieldType::kInt:
    case FieldType::kReal: {
      double d = NumericValue(v);
      if (!std::isfinite(d)) return "must be a finite number";
      // Beyond what any registry figure can be, and beyond exact integers in a double.
      if (std::abs(d) > kMaxPlausibleNumber) return fmt::format("must be at most {:.0e} in size", kMaxPlausibleNumber);
      if (spec.min && d < *spec.min) return fmt::format("must be at least {}", *spec.min);
      if (spec.max && d > *spec.max) return fmt::format("must be at most {}", *spec.max);
      break;
    }
    case FieldType::kBool:
    case FieldType::kInstant: break;
  }
  if (spec.check) return spec.check(v);
  return std::nullopt;
}

}  // namespace

const FieldSpec* RecordSchema::Find(const std::string& name) const {
  for (const auto& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

bool IsNull(const Value& v) { return std::holds_alternative<std::monostate>(v); }

bool SameValue(const Value& a, const Value& b) {
  auto numeric = [](const Value& v) -> std::optional<double> {
    if (auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
    if (auto* d = std::get_if<double>(&v)) return *d;
    if (auto* b = std::get_if<bool>(&v)) return *b ? 1.0 : 0.0;
    return std::nullopt;
  };
  auto x = numeric(a), y = numeric(b);
  if (x && y) return *x == *y;
  return a == b;
}

std::string ValueToText(const Value& v) {
  return std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>)
          return "";
        else if constexpr (std::is_same_v<T, std::string>)
          return x;
        else if constexpr (std::is_same_v<T, bool>)
          return x ? "true" : "false";
        else if constexpr (std::is_same_v<T, double>)
          return fmt::format("{}", x);
        else if constexpr (std::is_same_v<T, Blob>)
          return fmt::format("({} bytes)", x.bytes.size());
        else
          return std::to_string(x);
      },
      v);
}

nlohmann::json ValueToJson(const Value& v) {
  return std::visit(
      [](const auto& x) -> nlohmann::json {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>)
          return nullptr;
        else if constexpr (std::is_same_v<T, Blob>)
          return fmt::format("({} bytes)", x.bytes.size());
        else
          return x;
      },
      v);
}

Result<Record> RecordFromJson(const RecordSchema& schema, const nlohmann::json& body) {
  if (!body.is_object()) return Status::InvalidArgument("request body must be a JSON object");
  Record record;
  std::vector<FieldError> errors;
  for (const auto& [key, j] : body.items()) {
    const FieldSpec* spec = schema.Find(key);
    if (!spec) {
      errors.push_back({key, "unknown field"});
      continue;
    }
    if (spec->read_only) {
      errors.push_back({key, "is read-only"});
      continue;
    }
    Value v;
    if (auto why = DecodeField(*spec, j, v)) {
      errors.push_back({key, *why});
      continue;
    }
    record[key] = std::move(v);
  }
  if (!errors.empty()) return Status::InvalidArgument(fmt::format("invalid {}", schema.kind), std::move(errors));
  return record;
}

nlohmann::json RecordToJson(const RecordSchema& schema, const Record& record) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& f : schema.fields) {
    auto it = record.find(f.name);
    if (it == record.end()) {
      out[f.name] = nullptr;
      continue;
    }
    // Integer columns come back from SQL as integers; booleans are stored as 0/1.
    if (f.type == FieldType::kInstant && !IsNull(it->second)) {
      auto* ms = std::get_if<std::int64_t>(&it->second);
      out[f.name] = ms ? nlohmann::json(FormatInstantUtc(*ms)) : ValueToJson(it->second);
    } else if (f.type == FieldType::kBool && std::holds_alternative<std::int64_t>(it->second)) {
      out[f.name] = std::get<std::int64_t>(it->second) != 0;
    } else if (f.type == FieldType::kReal && std::holds_alternative<std::int64_t>(it->second)) {
      out[f.name] = static_cast<double>(std::get<std::int64_t>(it->second));
    } else {
      out[f.name] = ValueToJson(it->second);
    }
  }
  return out;
}

std::vector<FieldError> ValidateRecord(const RecordSchema& schema, Record& input, bool creating,
                                       const Record& existing) {
  std::vector<FieldError> errors;
  if (creating) {
    for (const auto& f : schema.fields) {
      if (f.read_only) continue;
      if (!input.contains(f.name) && f.default_value) input[f.name] = *f.default_value;
      if (f.required && (!input.contains(f.name) || IsNull(input[f.name]))) {
        errors.push_back({f.name, "is required"});
      }
    }
  }
  for (auto& [name, value] : input) {
    const FieldSpec* spec = schema.Find(name);
    if (!spec) continue;
    if (!creating && spec->immutable) {
      auto old = existing.find(name);
      if (old == existing.end() || !SameValue(old->second, value)) {
        errors.push_back({name, "cannot be changed after creation"});
        continue;
      }
    }
    if (creating && spec->required && IsNull(value)) continue;  // already reported
    if (auto why = CheckField(*spec, value)) errors.push_back({name, *why});
  }
  if (errors.empty() && schema.cross_check) {
    Record merged = existing;
    for (const auto& [k, v] : input) merged[k] = v;
    auto cross = schema.cross_check(merged);
    errors.insert(errors.end(), cross.begin(), cross.end());
  }
  return errors;
}

}  // namespace kiln::core
