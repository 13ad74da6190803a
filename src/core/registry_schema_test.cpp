#include "core/registry_schema.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace kiln::core {
namespace {

using nlohmann::json;

json ValidEnterprise() {
  return {{"uscc", "91370102MA3C4X7B0N"},
          {"name", "济南测试钢铁有限公司"},
          {"region", "370102"},
          {"industry", "C31"},
          {"lng", 117.09},
          {"lat", 36.65}};
}

std::vector<FieldError> Validate(const RecordSchema& schema, const json& body, bool creating = true) {
  auto record = RecordFromJson(schema, body);
  if (!record.ok()) return record.status().details();
  return ValidateRecord(schema, *record, creating);
}

TEST(RegistrySchema, ValidEnterpriseGetsDefaults) {
  auto body = ValidEnterprise();
  body["uscc"] = "91110000600037341L";
  auto record = RecordFromJson(EnterpriseSchema(), body);
  ASSERT_TRUE(record.ok());
  EXPECT_TRUE(ValidateRecord(EnterpriseSchema(), *record, true).empty());
  EXPECT_EQ(std::get<std::string>((*record)["status"]), "running");
  EXPECT_EQ(std::get<bool>((*record)["key_energy_unit"]), false);
}

TEST(RegistrySchema, EveryWrongFieldIsNamed) {
  json body = {{"uscc", "91110000600037342L"},
               {"name", ""},
               {"region", "370100"},
               {"industry", "C31"},
               {"lng", 200.0},
               {"lat", 36.6},
               {"status", "closed"},
               {"staff", -3}};
  auto errors = Validate(EnterpriseSchema(), body);
  std::map<std::string, std::string> by_field;
  for (const auto& e : errors) by_field[e.field] = e.reason;
  EXPECT_EQ(by_field["uscc"], "check character should be P");
  EXPECT_EQ(by_field["name"], "is required");
  EXPECT_EQ(by_field["region"], "must be a 6-digit county-level GB/T 2260 code");
  EXPECT_EQ(by_field["lng"], "must be at most 135.1");
  EXPECT_EQ(by_field["status"], "must be one of running, stopped");
  EXPECT_EQ(by_field["staff"], "must be at least 0");
}

TEST(RegistrySchema, UnknownReadOnlyAndMistypedFieldsAreRejected) {
  json body = ValidEnterprise();
  body["id"] = 5;
  body["colour"] = "red";
  body["staff"] = "many";
  auto record = RecordFromJson(EnterpriseSchema(), body);
  ASSERT_FALSE(record.ok());
  auto details = record.status().details();
  ASSERT_EQ(details.size(), 3u);
  EXPECT_EQ(details[0], (FieldError{"colour", "unknown field"}));
  EXPECT_EQ(details[1], (FieldError{"id", "is read-only"}));
  EXPECT_EQ(details[2], (FieldError{"staff", "must be an integer"}));
}

TEST(RegistrySchema, PatchChecksOnlyGivenFieldsButCrossChecksMerged) {
  Record existing = {{"kind", std::string("interval")}, {"code", std::string("P1")}};
  Record patch = {{"rollover", 99999.0}};
  auto errors = ValidateRecord(MeteringPointSchema(), patch, false, existing);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "rollover");
}

TEST(RegistrySchema, PointCodeIsImmutable) {
  Record existing = {{"kind", std::string("register")}, {"code", std::string("P1")}};
  Record patch = {{"code", std::string("P2")}};
  auto errors = ValidateRecord(MeteringPointSchema(), patch, false, existing);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].reason, "cannot be changed after creation");
}

TEST(RegistrySchema, ProjectCapacityNeedsUnit) {
  json body = {{"enterprise_id", 1}, {"name", "2号高炉"}, {"industry", "C31"}, {"capacity", 1200.0}};
  auto errors = Validate(ProjectSchema(), body);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "capacity_unit");
}

TEST(RegistrySchema, CalibrationDueNotBeforeCalibration) {
  json body = {{"code", "E-01"}, {"name", "总进线电表"},          {"measures", "electricity"},
               {"unit", "kWh"},  {"calibrated_on", "2026-03-01"}, {"calibration_due", "2025-03-01"}};
  auto errors = Validate(MeteringPointSchema(), body);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "calibration_due");
}

}  // namespace
}  // namespace kiln::core
