#pragma once
// A registry record as named, typed values, and the schema that says which
// fields a kind of record has and what each may hold. The registry kinds
// (enterprise, project, metering point) are described as data in
// registry_schema.hpp so that decoding, validation, storage, history and
// sorting share one description.

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/status.hpp"

namespace kiln::core {

// Bytes stored as they are (BLOB in SQLite, bytea in PostgreSQL).
struct Blob {
  std::string bytes;
  bool operator==(const Blob&) const = default;
};

// Null, integer, real, text, boolean or bytes.
using Value = std::variant<std::monostate, std::int64_t, double, std::string, bool, Blob>;
using Record = std::map<std::string, Value>;

// kInstant: stored as UTC milliseconds, shown in JSON as ISO 8601 UTC text.
enum class FieldType { kText, kInt, kReal, kBool, kDate, kEnum, kInstant };

struct FieldSpec {
  std::string name;
  FieldType type = FieldType::kText;
  bool required = false;  // must be present and non-null on create
  bool read_only = false;  // set by the server (id, timestamps)
  bool immutable = false;  // set on create, never changed afterwards
  bool sortable = false;
  std::vector<std::string> choices;  // kEnum: the allowed values
  std::optional<double> min, max;  // kInt / kReal bounds, inclusive
  std::size_t max_length = 200;  // kText
  std::optional<Value> default_value;
  // Extra rule; returns the reason the value is wrong, or nullopt.
  std::function<std::optional<std::string>(const Value&)> check;
};

struct RecordSchema {
  std::string kind;  // "enterprise"
  std::string table;  // "enterprises"
  std::vector<FieldSpec> fields;
  // Rules across fields of the merged record (after a patch is applied).
  std::function<std::vector<FieldError>(const Record&)> cross_check;

  const FieldSpec* Find(const std::string& name) const;
};

// Decodes a JSON object into a record of the schema's writable fields,
// reporting unknown fields, read-only fields and type mismatches.
Result<Record> RecordFromJson(const RecordSchema& schema, const nlohmann::json& body);

// Encodes every field of the schema present in `record`; missing fields are null.
nlohmann::json RecordToJson(const RecordSchema& schema, const Record& record);

// Checks each field present in `input` (required fields only when creating),
// applies defaults when creating, and runs the schema's cross-field rules on
// `merged` (the record as it will be stored). Returns all problems found.
std::vector<FieldError> ValidateRecord(const RecordSchema& schema, Record& input, bool creating,
                                       const Record& existing = {});

bool IsNull(const Value& v);
// Equal as stored: booleans equal 0/1, 2 equals 2.0, null equals only null.
bool SameValue(const Value& a, const Value& b);
// Human-readable text of a value for history and exports.
std::string ValueToText(const Value& v);
nlohmann::json ValueToJson(const Value& v);

}  // namespace kiln::core
