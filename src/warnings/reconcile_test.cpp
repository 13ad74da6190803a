#include "warnings/reconcile.hpp"

#include <gtest/gtest.h>

namespace kiln::warnings {
namespace {

using Kind = storage::WarningChange::Kind;

Finding Found(const std::string& key, const std::string& message = "m") {
  Finding f;
  f.rule = "gap";
  f.key = key;
  f.severity = "warning";
  f.point_id = 7;
  f.enterprise_id = 3;
  f.region = "371402";
  f.from = 1000;
  f.to = 2000;
  f.message = message;
  return f;
}

storage::StoredWarning Stored(std::int64_t id, const std::string& key, const std::string& status,
                              const std::string& reason = "") {
  storage::StoredWarning w;
  w.id = id;
  w.condition_key = key;
  w.rule = "gap";
  w.category = "data";
  w.severity = "warning";
  w.status = status;
  w.closed_reason = reason;
  w.point_id = 7;
  w.enterprise_id = 3;
  w.region = "371402";
  w.from = 1000;
  w.to = 2000;
  w.message = "m";
  w.evidence = "{}";
  return w;
}

TEST(Reconcile, ANewConditionOpensOnceEvenWhenFoundTwice) {
  auto changes = Reconcile({}, {Found("gap:p7:1000"), Found("gap:p7:1000")});
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].kind, Kind::kOpen);
  EXPECT_EQ(changes[0].warning.category, "data");
  EXPECT_EQ(changes[0].warning.condition_key, "gap:p7:1000");
}

TEST(Reconcile, AnUnchangedConditionChangesNothingAndNewFiguresUpdateIt) {
  EXPECT_TRUE(Reconcile({Stored(1, "gap:p7:1000", "open")}, {Found("gap:p7:1000")}).empty());
  auto changes = Reconcile({Stored(1, "gap:p7:1000", "acknowledged")}, {Found("gap:p7:1000", "longer")});
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].kind, Kind::kUpdate);
  EXPECT_EQ(changes[0].warning.id, 1);
  EXPECT_EQ(changes[0].warning.status, "acknowledged");  // the status it was seen in, for the guard
  EXPECT_EQ(changes[0].warning.message, "longer");
}

TEST(Reconcile, AWarningFollowsItsEnterpriseToAnotherRegion) {
  auto moved = Found("gap:p7:1000");
  moved.region = "371403";
  auto changes = Reconcile({Stored(1, "gap:p7:1000", "open")}, {moved});
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].kind, Kind::kUpdate);
  EXPECT_EQ(changes[0].warning.region, "371403");
}

TEST(Reconcile, AConditionThatWentAwayClearsWithTheReason) {
  auto changes = Reconcile({Stored(1, "gap:p7:1000", "open"), Stored(2, "gap:p7:5000", "closed", "resolved")}, {});
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].kind, Kind::kClear);
  EXPECT_EQ(changes[0].warning.id, 1);
  EXPECT_FALSE(changes[0].note.empty());
}

TEST(Reconcile, AClearedConditionThatComesBackReopensButAUsersDecisionStands) {
  auto reopened = Reconcile({Stored(1, "gap:p7:1000", "closed", "cleared")}, {Found("gap:p7:1000")});
  ASSERT_EQ(reopened.size(), 1u);
  EXPECT_EQ(reopened[0].kind, Kind::kReopen);
  EXPECT_EQ(reopened[0].warning.closed_reason, "cleared");
  EXPECT_TRUE(Reconcile({Stored(1, "gap:p7:1000", "closed", "dismissed")}, {Found("gap:p7:1000")}).empty());
  EXPECT_TRUE(Reconcile({Stored(1, "gap:p7:1000", "closed", "resolved")}, {Found("gap:p7:1000")}).empty());
}

}  // namespace
}  // namespace kiln::warnings
