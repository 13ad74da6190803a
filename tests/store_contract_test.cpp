// One contract for every Store backend: the same tests run on SQLite and on
// PostgreSQL (when KILN_TEST_PG_URL names a server; `make test` starts one).

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>
#include <fmt/format.h>

#include "core/credit_code.hpp"
#include "core/registry_schema.hpp"
#include "security/identity.hpp"
#include "store_test_support.hpp"

namespace kiln::testing {
namespace {

using core::Record;
using core::Value;

class StoreContract : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres && !std::getenv("KILN_TEST_PG_URL")) {
      GTEST_SKIP() << "KILN_TEST_PG_URL not set";
    }
    test_store_ = TestStore::Open(GetParam());
    ASSERT_TRUE(test_store_);
    LoadReferenceData(store());
  }
  storage::Store& store() { return test_store_->store(); }

  Record Enterprise(const std::string& org, const std::string& region = "370102",
                    const std::string& name = "测试化工有限公司") {
    return {{"uscc", core::MakeCreditCode("91", region, org)},
            {"name", name},
            {"region", region},
            {"industry", std::string("C261")},
            {"status", std::string("running")},
            {"key_energy_unit", true},
            {"lng", 117.1},
            {"lat", 36.6}};
  }

  std::unique_ptr<TestStore> test_store_;
  storage::Actor actor_{"tester", "127.0.0.1"};
};

TEST_P(StoreContract, MigrationsAreIdempotent) {
  auto again = store().Migrate();
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->empty());
  auto version = store().SchemaVersion();
  ASSERT_TRUE(version.ok());
  EXPECT_GE(*version, 1);
  EXPECT_TRUE(store().Ping().ok());
}

TEST_P(StoreContract, ReferenceDataLoaded) {
  auto regions = store().ListRegions();
  ASSERT_TRUE(regions.ok());
  EXPECT_EQ(regions->size(), 153u);
  auto industries = store().ListIndustries();
  ASSERT_TRUE(industries.ok());
  EXPECT_EQ(industries->size(), 16u);
  EXPECT_EQ(industries->front().name, "炼化");
  auto jinan = store().GetRegion("370100");
  ASSERT_TRUE(jinan.ok() && *jinan);
  EXPECT_EQ((*jinan)->name, "济南市");
}

TEST_P(StoreContract, ShippedFactorsNeverOverwriteAStoredVersion) {
  auto factors = store().ListConversionFactors();
  ASSERT_TRUE(factors.ok()) << factors.status().ToString();
  ASSERT_FALSE(factors->empty()) << "data/factors.csv is loaded with the reference data";
  auto edited = factors->front();
  edited.kgce_per_unit *= 2;
  edited.source = "edited by an administrator";
  ASSERT_TRUE(store().AddConversionFactorsIfAbsent({edited}).ok());
  auto after = store().ListConversionFactors();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->front().kgce_per_unit, factors->front().kgce_per_unit);
  EXPECT_EQ(after->size(), factors->size());
  auto next = factors->front();
  next.version += 1;
  next.kgce_per_unit = 0.5;
  ASSERT_TRUE(store().AddConversionFactorsIfAbsent({next}).ok());
  after = store().ListConversionFactors();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->size(), factors->size() + 1) << "a new version is added beside the old one";
}

TEST_P(StoreContract, CreateReadRoundTripsTypes) {
  auto created = store().CreateRecord(core::EnterpriseSchema(), Enterprise("10000001"), actor_, 1000);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  auto id = storage::AsInt(created->at("id"));
  auto read = store().GetRecord(core::EnterpriseSchema(), id);
  ASSERT_TRUE(read.ok());
  auto json = core::RecordToJson(core::EnterpriseSchema(), *read);
  EXPECT_EQ(json["name"], "测试化工有限公司");
  EXPECT_EQ(json["key_energy_unit"], true);
  EXPECT_DOUBLE_EQ(json["lng"].get<double>(), 117.1);
  EXPECT_EQ(json["created_at"], "1970-01-01T00:00:01.000Z");
  EXPECT_TRUE(json["address"].is_null());
}

TEST_P(StoreContract, DuplicateCreditCodeIsAConflictNamingTheField) {
  ASSERT_TRUE(store().CreateRecord(core::EnterpriseSchema(), Enterprise("10000001"), actor_, 1).ok());
  auto again = store().CreateRecord(core::EnterpriseSchema(), Enterprise("10000001"), actor_, 2);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), core::StatusCode::kConflict);
  ASSERT_EQ(again.status().details().size(), 1u);
  EXPECT_EQ(again.status().details()[0].field, "uscc");
}

TEST_P(StoreContract, BatchCreateIsAllOrNothing) {
  std::vector<Record> batch = {Enterprise("20000001"), Enterprise("20000002"), Enterprise("20000001")};
  auto result = store().CreateRecords(core::EnterpriseSchema(), batch, actor_, 1);
  ASSERT_FALSE(result.ok());
  auto count = store().CountRecords(core::EnterpriseSchema());
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 0);
}

TEST_P(StoreContract, UpdateKeepsHistoryOfChangedFieldsOnly) {
  auto created = store().CreateRecord(core::EnterpriseSchema(), Enterprise("30000001"), actor_, 1);
  ASSERT_TRUE(created.ok());
  auto id = storage::AsInt(created->at("id"));
  Record patch = {
      {"name", std::string("新名称有限公司")}, {"status", std::string("running")}, {"key_energy_unit", false}};
  auto updated = store().UpdateRecord(core::EnterpriseSchema(), id, patch, {"editor", "10.0.0.1"}, 5);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(storage::AsText(updated->at("name")), "新名称有限公司");
  EXPECT_EQ(storage::AsInt(updated->at("updated_at")), 5);
  auto history = store().History(core::EnterpriseSchema(), id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  const auto& latest = history->front();
  EXPECT_EQ(latest.action, "update");
  EXPECT_EQ(latest.actor, "editor");
  ASSERT_EQ(latest.changes.size(), 2u);  // status did not change
  EXPECT_EQ(latest.changes[0].field, "key_energy_unit");
  EXPECT_EQ(latest.changes[0].old_value, Value(true));
  EXPECT_EQ(latest.changes[0].new_value, Value(false));
  EXPECT_EQ(latest.changes[1].field, "name");
  EXPECT_EQ(latest.changes[1].old_value, Value(std::string("测试化工有限公司")));
  EXPECT_EQ(history->back().action, "create");
}

TEST_P(StoreContract, ListFiltersSortsAndPages) {
  std::vector<Record> batch;
  for (int i = 0; i < 25; ++i) {
    std::string region = i < 10 ? "370102" : i < 20 ? "370103" : "370202";
    batch.push_back(Enterprise(fmt::format("4{:07}", i), region, fmt::format("企业{:02}", i)));
  }
  batch[3]["status"] = std::string("stopped");
  ASSERT_TRUE(store().CreateRecords(core::EnterpriseSchema(), batch, actor_, 1).ok());

  storage::ListQuery q;
  q.region_prefix = "3701";
  q.page_size = 7;
  q.sort_field = "name";
  q.sort_descending = true;
  auto page = store().ListRecords(core::EnterpriseSchema(), q);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->total, 20);
  ASSERT_EQ(page->items.size(), 7u);
  EXPECT_EQ(storage::AsText(page->items[0].at("name")), "企业19");
  q.page = 3;
  page = store().ListRecords(core::EnterpriseSchema(), q);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.size(), 6u);

  storage::ListQuery stopped;
  stopped.equals.emplace_back("status", std::string("stopped"));
  page = store().ListRecords(core::EnterpriseSchema(), stopped);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 1);

  storage::ListQuery text;
  text.text = "企业1";
  text.text_fields = {"name", "uscc"};
  page = store().ListRecords(core::EnterpriseSchema(), text);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 10);

  storage::ListQuery wildcard;
  wildcard.text = "%";
  wildcard.text_fields = {"name"};
  page = store().ListRecords(core::EnterpriseSchema(), wildcard);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 0) << "LIKE wildcards in user text must be literal";

  storage::ListQuery bad_sort;
  bad_sort.sort_field = "lng";
  EXPECT_EQ(store().ListRecords(core::EnterpriseSchema(), bad_sort).status().code(),
            core::StatusCode::kInvalidArgument);
}

TEST_P(StoreContract, PointsAreUniquePerEnterpriseAndScopedByRegion) {
  auto a = store().CreateRecord(core::EnterpriseSchema(), Enterprise("50000001", "370102"), actor_, 1);
  auto b = store().CreateRecord(core::EnterpriseSchema(), Enterprise("50000002", "370202"), actor_, 1);
  ASSERT_TRUE(a.ok() && b.ok());
  auto point = [&](std::int64_t enterprise) {
    return Record{{"enterprise_id", enterprise},     {"code", std::string("E-01")},
                  {"name", std::string("总表")},     {"measures", std::string("electricity")},
                  {"unit", std::string("kWh")},      {"kind", std::string("register")},
                  {"interval_s", std::int64_t{300}}, {"rollover", 999999.0}};
  };
  auto ida = storage::AsInt(a->at("id")), idb = storage::AsInt(b->at("id"));
  ASSERT_TRUE(store().CreateRecord(core::MeteringPointSchema(), point(ida), actor_, 1).ok());
  ASSERT_TRUE(store().CreateRecord(core::MeteringPointSchema(), point(idb), actor_, 1).ok());
  auto dup = store().CreateRecord(core::MeteringPointSchema(), point(ida), actor_, 1);
  EXPECT_EQ(dup.status().code(), core::StatusCode::kConflict);
  storage::ListQuery q;
  q.region_prefix = "3702";
  auto page = store().ListRecords(core::MeteringPointSchema(), q);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(storage::AsInt(page->items[0].at("enterprise_id")), idb);
}

TEST_P(StoreContract, ForeignKeysAreEnforced) {
  Record bad = Enterprise("60000001");
  bad["region"] = std::string("379999");
  auto r = store().CreateRecord(core::EnterpriseSchema(), bad, actor_, 1);
  EXPECT_EQ(r.status().code(), core::StatusCode::kInvalidArgument);
}

TEST_P(StoreContract, UsersSessionsAndLockout) {
  core::FakeClock clock(1'700'000'000'000);
  security::AuditLog audit(store(), clock);
  security::Identity identity(store(), clock, audit, {.pbkdf2_iterations = 1000});
  auto user = identity.CreateUser({.username = "jinan", .password = "Jinan#2026", .role = "city", .region = "370100"},
                                  std::nullopt);
  ASSERT_TRUE(user.ok()) << user.status().ToString();
  auto dup = identity.CreateUser({.username = "jinan", .password = "Jinan#2026", .role = "city", .region = "370100"},
                                 std::nullopt);
  EXPECT_EQ(dup.status().code(), core::StatusCode::kConflict);

  auto login = identity.Login("jinan", "Jinan#2026", "127.0.0.1");
  ASSERT_TRUE(login.ok()) << login.status().ToString();
  EXPECT_EQ(login->principal.region, "370100");
  EXPECT_FALSE(login->principal.must_change_password);
  auto session = identity.Authenticate(login->token);
  ASSERT_TRUE(session.ok());
  EXPECT_EQ(session->csrf_token, login->csrf_token);

  clock.Advance(31 * 60'000);  // idle timeout
  EXPECT_EQ(identity.Authenticate(login->token).status().code(), core::StatusCode::kUnauthenticated);
  auto purged = identity.PurgeSessions();
  ASSERT_TRUE(purged.ok()) << purged.status().ToString();
  EXPECT_GE(*purged, 1);

  // Wrong passwords answer alike, also the one that locks; the lock shows only to the right password.
  for (int i = 0; i < 5; ++i) {
    auto wrong = identity.Login("jinan", "wrong", "127.0.0.1");
    EXPECT_EQ(wrong.status().code(), core::StatusCode::kUnauthenticated);
    EXPECT_EQ(wrong.status().message(), "wrong username or password");
  }
  EXPECT_EQ(identity.Login("nobody", "wrong", "127.0.0.1").status().message(), "wrong username or password");
  auto locked = identity.Login("jinan", "Jinan#2026", "127.0.0.1");
  EXPECT_EQ(locked.status().code(), core::StatusCode::kPermissionDenied)
      << "a locked account refuses the right password";
  EXPECT_EQ(locked.status().reason(), "account_locked");
  clock.Advance(15 * 60'000 + 1);
  auto again = identity.Login("jinan", "Jinan#2026", "127.0.0.1");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  ASSERT_TRUE(identity.Logout(again->token).ok());
  EXPECT_FALSE(identity.Authenticate(again->token).ok());
}

TEST_P(StoreContract, ParallelWrongPasswordsLoseNoCount) {
  core::FakeClock clock(1'700'000'000'000);
  auto user = store().CreateUser({.username = "guessed",
                                  .role = "city",
                                  .region = "370100",
                                  .password_hash = "x",
                                  .password_salt = "y",
                                  .password_iterations = 1000});
  ASSERT_TRUE(user.ok()) << user.status().ToString();
  constexpr int kThreads = 4, kEach = 10, kThreshold = 7;
  std::atomic<int> locks{0};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        auto locked = store().CountLoginFailure(user->id, kThreshold, 1'000'000);
        if (locked.ok() && *locked) ++locks;
      }
    });
  }
  for (auto& th : threads) th.join();
  // 40 failures at a threshold of 7 reach it 5 times when no increment is lost; the lock time stays.
  auto stored = store().GetUser(user->id);
  ASSERT_TRUE(stored.ok() && *stored);
  EXPECT_EQ((*stored)->failed_logins, kThreads * kEach % kThreshold);
  EXPECT_EQ((*stored)->locked_until, 1'000'000);
  EXPECT_EQ(locks.load(), kThreads * kEach / kThreshold);
  auto shorter = store().CountLoginFailure(user->id, 1, 5);
  ASSERT_TRUE(shorter.ok());
  EXPECT_TRUE(*shorter);
  EXPECT_EQ((*store().GetUser(user->id))->locked_until, 1'000'000) << "a failure never shortens a lock";
}

TEST_P(StoreContract, PasswordsSetByOthersMustChangeAndAreRemembered) {
  core::FakeClock clock(1'700'000'000'000);
  security::AuditLog audit(store(), clock);
  security::Identity identity(store(), clock, audit, {.pbkdf2_iterations = 1000});
  auto admin = identity.CreateUser(
      {.username = "boss", .password = "Boss#2026x", .role = "province", .region = "370000"}, std::nullopt);
  ASSERT_TRUE(admin.ok());
  auto made = identity.CreateUser({.username = "newbie", .password = "Newbie#2026", .role = "city", .region = "370100"},
                                  security::PasswordSetter{admin->id, "boss"});
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_TRUE(made->must_change_password);
  auto login = identity.Login("newbie", "Newbie#2026", "127.0.0.1");
  ASSERT_TRUE(login.ok());
  EXPECT_TRUE(login->principal.must_change_password);
  auto session = identity.Authenticate(login->token);
  ASSERT_TRUE(session.ok());
  ASSERT_TRUE(identity.ChangePassword(session->principal, "Newbie#2026", "Chosen#2026", session->token_hash).ok());
  EXPECT_FALSE((*store().GetUser(made->id))->must_change_password);

  clock.Advance(1000);
  auto otp = identity.ResetPassword(made->id, {admin->id, "boss"});
  ASSERT_TRUE(otp.ok()) << otp.status().ToString();
  EXPECT_FALSE(security::PasswordPolicyError(*otp).has_value()) << *otp;
  EXPECT_TRUE((*store().GetUser(made->id))->must_change_password);
  EXPECT_FALSE(identity.Authenticate(login->token).ok()) << "a reset ends the user's sessions";
  auto grants = store().PasswordGrantsBy(admin->id, 0);
  ASSERT_TRUE(grants.ok());
  ASSERT_EQ(grants->size(), 2u);
  EXPECT_EQ(grants->at(0).kind, "create");
  EXPECT_EQ(grants->at(1).kind, "reset");
  EXPECT_EQ(store().PasswordGrantsBy(admin->id, clock.Now())->size(), 1u);
}

TEST_P(StoreContract, AuditChainDetectsTampering) {
  core::FakeClock clock(1'700'000'000'000);
  security::AuditLog audit(store(), clock);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(audit.Record("u", "127.0.0.1", "login", "", "ok", std::to_string(i)).ok());
    clock.Advance(1);
  }
  auto verified = audit.Verify();
  ASSERT_TRUE(verified.ok());
  EXPECT_EQ(*verified, 0);
  auto entries = store().ListAudit({});
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 5u);
  EXPECT_EQ(entries->at(1).hash, entries->at(0).prev_hash);
}

TEST_P(StoreContract, ConcurrentWritersDoNotLoseUpdates) {
  std::vector<std::thread> threads;
  threads.reserve(4);
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        auto r = store().CreateRecord(core::EnterpriseSchema(), Enterprise(fmt::format("7{}{:06}", t, i)), actor_, 1);
        if (!r.ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(*store().CountRecords(core::EnterpriseSchema()), 40);
}

TEST_P(StoreContract, ReviewItemsMoveOnlyFromTheStatusTheyAreInAndListEffectsApplyWithTheDecision) {
  auto id = store().CreateRecord(core::EnterpriseSchema(), Enterprise("MA1REVIEW"), actor_, 1000);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  const std::int64_t eid = storage::AsInt(id->at("id"));
  EXPECT_EQ(storage::AsText(id->at("list_status")), "listed") << "a new enterprise is on the list";
  auto& reviews = store().reviews();

  storage::Attachment pdf{.id = std::string(64, 'a'),
                          .name = "关停文件.pdf",
                          .media_type = "application/pdf",
                          .size = 10,
                          .content = std::string("%PDF-1.4\0\x01", 10),
                          .created_by = "county",
                          .created_at = 1500};
  ASSERT_TRUE(reviews.PutAttachment(pdf).ok());
  auto again = reviews.PutAttachment({.id = pdf.id,
                                      .name = "copy.pdf",
                                      .media_type = "application/pdf",
                                      .size = 10,
                                      .content = pdf.content,
                                      .created_by = "city",
                                      .created_at = 1600});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->name, "关停文件.pdf") << "the same bytes are stored once, with their first name";
  auto stored = reviews.GetAttachment(pdf.id, true);
  ASSERT_TRUE(stored.ok() && *stored);
  EXPECT_EQ((*stored)->content, pdf.content) << "bytes round-trip, NUL included";

  storage::ReviewItem item{.flow = "list_exit",
                           .subject_kind = "enterprise",
                           .subject_id = eid,
                           .enterprise_id = eid,
                           .region = "370102",
                           .subject_label = "测试化工有限公司",
                           .status = "submitted",
                           .awaiting = "city",
                           .filer = "county",
                           .levels = "city,province",
                           .content = R"({"change":"exit","reason":"关停"})",
                           .due_at = 2000};
  storage::ReviewStep file{
      .action = "file", .level = "county", .actor = "county", .reason = "关停", .at = 1700, .attachments = {pdf.id}};
  auto filed = reviews.FileReview(item, file);
  ASSERT_TRUE(filed.ok()) << filed.status().ToString();
  EXPECT_EQ(filed->version, 1);
  EXPECT_EQ(reviews.FileReview(item, file).status().code(), core::StatusCode::kConflict) << "one open at a time";
  auto unknown = file;
  unknown.attachments = {std::string(64, 'b')};
  auto other = item;
  other.flow = "list_entry";
  EXPECT_EQ(reviews.FileReview(other, unknown).status().code(), core::StatusCode::kInvalidArgument);

  storage::ReviewStep approve{.version = 1, .action = "approve", .level = "city", .actor = "city", .at = 1800};
  auto moved =
      reviews.MoveReview(filed->id, "submitted", "city_approved", "province", approve, std::nullopt, std::nullopt);
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(reviews.MoveReview(filed->id, "submitted", "city_approved", "province", approve, std::nullopt, std::nullopt)
                .status()
                .code(),
            core::StatusCode::kConflict)
      << "a second decision on the same status loses";
  storage::ReviewEffect exit{
      .kind = storage::ReviewEffect::Kind::kListExit, .enterprise_id = eid, .date = "2026-11-20", .actor = "province"};
  storage::ReviewStep final_step{
      .version = 1, .action = "approve", .level = "province", .actor = "province", .at = 1900};
  auto done = reviews.MoveReview(filed->id, "city_approved", "approved", "", final_step, std::nullopt, exit);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  auto record = store().GetRecord(core::EnterpriseSchema(), eid);
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(storage::AsText(record->at("list_status")), "delisted");
  EXPECT_EQ(storage::AsText(record->at("delisted_on")), "2026-11-20");
  EXPECT_EQ(storage::AsInt(record->at("list_decision")), filed->id);
  auto history = store().History(core::EnterpriseSchema(), eid);
  ASSERT_TRUE(history.ok());
  ASSERT_FALSE(history->empty());
  EXPECT_EQ(history->front().actor, "province") << "newest first";

  auto steps = reviews.ReviewSteps(filed->id);
  ASSERT_TRUE(steps.ok());
  EXPECT_EQ(steps->size(), 3u);
  auto attached = reviews.ItemAttachments(filed->id);
  ASSERT_TRUE(attached.ok());
  ASSERT_EQ(attached->size(), 1u);
  EXPECT_EQ(attached->front().first, 1);
  EXPECT_EQ(*reviews.AttachmentItems(pdf.id), std::vector<std::int64_t>{filed->id});
  auto open = reviews.ListReviews({.open_only = true});
  ASSERT_TRUE(open.ok());
  EXPECT_EQ(open->second, 0) << "an approved item waits for nobody";
}

TEST_P(StoreContract, ViolationsMoveOnlyFromWhatWasSeenAndCloseWithTheClosuresApproval) {
  auto enterprise = store().CreateRecord(core::EnterpriseSchema(), Enterprise("MA1VIOLAT"), actor_, 1000);
  ASSERT_TRUE(enterprise.ok()) << enterprise.status().ToString();
  const std::int64_t eid = storage::AsInt(enterprise->at("id"));
  auto project = store().CreateRecord(core::ProjectSchema(),
                                      {{"enterprise_id", eid},
                                       {"name", std::string("违规项目")},
                                       {"industry", std::string("C261")},
                                       {"region", std::string("370102")},
                                       {"state", std::string("under_construction")},
                                       {"equipment_category", std::string("allowed")}},
                                      actor_, 1000);
  ASSERT_TRUE(project.ok()) << project.status().ToString();
  const std::int64_t pid = storage::AsInt(project->at("id"));
  auto& violations = store().violations();

  storage::Violation v{.project_id = pid,
                       .enterprise_id = eid,
                       .violation_type = "built_without_approval",
                       .disposal_type = "rectify_by_deadline",
                       .measures = "补办手续",
                       .deadline = "2026-03-01",
                       .responsible_unit = "县发改局",
                       .state = "not_started",
                       .marked_by = "county"};
  storage::ViolationEvent mark{.kind = "mark",
                               .level = "county",
                               .actor = "county",
                               .state = "not_started",
                               .disposal_type = "rectify_by_deadline",
                               .deadline = "2026-03-01",
                               .at = 1100};
  auto marked = violations.MarkViolation(v, mark);
  ASSERT_TRUE(marked.ok()) << marked.status().ToString();
  EXPECT_EQ(marked->region, "370102") << "placed by its project's county";
  EXPECT_EQ(marked->project_name, "违规项目");
  EXPECT_EQ(violations.MarkViolation(v, mark).status().code(), core::StatusCode::kConflict) << "one open per project";

  storage::ViolationEvent done{.kind = "progress",
                               .level = "enterprise",
                               .actor = "e",
                               .note = "完成",
                               .state = "done",
                               .disposal_type = "rectify_by_deadline",
                               .deadline = "2026-03-01",
                               .progress = 100,
                               .at = 1200};
  EXPECT_EQ(violations.AddViolationEvent(marked->id, "in_progress", marked->updated_at, done, false).status().code(),
            core::StatusCode::kConflict)
      << "not from a state it is not in";
  EXPECT_EQ(violations.AddViolationEvent(marked->id, "not_started", 999, done, false).status().code(),
            core::StatusCode::kConflict)
      << "not over a change the caller has not seen";
  auto moved = violations.AddViolationEvent(marked->id, "not_started", marked->updated_at, done, false);
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(moved->state, "done");
  EXPECT_EQ(moved->progress, 100);

  auto overdue = violations.ListViolations({.overdue_on = "2026-04-01"});
  ASSERT_TRUE(overdue.ok());
  EXPECT_EQ(overdue->second, 0) << "a rectified case is not overdue";
  auto counts = violations.CountViolations("37", 4, false, "2026-04-01");
  ASSERT_TRUE(counts.ok());
  ASSERT_EQ(counts->size(), 1u);
  EXPECT_EQ(counts->front().key, "3701");
  EXPECT_EQ(counts->front().state, "done");
  auto all = violations.CountViolations("", 0, false, "2026-04-01");
  ASSERT_TRUE(all.ok()) << all.status().ToString() << " (counted all together)";
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(all->front().key, "");
  EXPECT_EQ(all->front().count, 1);

  storage::ReviewItem closure{.flow = "violation_closure",
                              .subject_kind = "project",
                              .subject_id = pid,
                              .enterprise_id = eid,
                              .region = "370102",
                              .subject_label = "违规项目",
                              .status = "submitted",
                              .awaiting = "city",
                              .filer = "county",
                              .levels = "province",
                              .content = fmt::format(R"({{"violation_id":{},"reason":"整改到位"}})", marked->id)};
  auto filed = store().reviews().FileReview(closure, {.action = "file", .level = "county", .actor = "c", .at = 1300});
  ASSERT_TRUE(filed.ok()) << filed.status().ToString();
  storage::ReviewEffect close{.kind = storage::ReviewEffect::Kind::kViolationClosed,
                              .enterprise_id = eid,
                              .actor = "province",
                              .record_id = marked->id};
  auto approved = store().reviews().MoveReview(
      filed->id, "submitted", "approved", "",
      {.version = 1, .action = "approve", .level = "province", .actor = "province", .at = 1400}, std::nullopt, close);
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  auto closed = violations.GetViolation(marked->id);
  ASSERT_TRUE(closed.ok() && *closed);
  EXPECT_EQ((*closed)->state, "closed");
  EXPECT_EQ((*closed)->closed_at, 1400);
  auto events = violations.ViolationEvents(marked->id);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ(events->back().kind, "closed");
  EXPECT_EQ(events->back().level, "province");
  EXPECT_TRUE(violations.MarkViolation(v, mark).ok()) << "a closed case leaves room for a new one";
}

TEST_P(StoreContract, UpgradePlansAreFiledWithTheirReviewAndMoveByTheApprovals) {
  auto enterprise = store().CreateRecord(core::EnterpriseSchema(), Enterprise("MA1UPGRAD"), actor_, 1000);
  ASSERT_TRUE(enterprise.ok()) << enterprise.status().ToString();
  const std::int64_t eid = storage::AsInt(enterprise->at("id"));
  std::vector<std::int64_t> pids;
  for (const char* name : {"熟料线一", "熟料线二"}) {
    auto project = store().CreateRecord(core::ProjectSchema(),
                                        {{"enterprise_id", eid},
                                         {"name", std::string(name)},
                                         {"industry", std::string("C3011")},
                                         {"region", std::string("370102")},
                                         {"state", std::string("existing")},
                                         {"equipment_category", std::string("allowed")}},
                                        actor_, 1000);
    ASSERT_TRUE(project.ok()) << project.status().ToString();
    pids.push_back(storage::AsInt(project->at("id")));
  }
  auto& upgrades = store().upgrades();
  storage::UpgradePlan plan{.enterprise_id = eid,
                            .status = "filed",
                            .content = R"({"reason":"方案"})",
                            .start_month = "2026-01",
                            .completion_due = "2026-12-31",
                            .expected_saving_tce = 100,
                            .project_ids = {pids[0]},
                            .filed_by = "e"};
  storage::UpgradePlanEvent filed_event{
      .kind = "filed", .level = "enterprise", .actor = "e", .status = "filed", .at = 1100};
  storage::ReviewItem item{.flow = "upgrade_plan",
                           .subject_kind = "enterprise",
                           .subject_id = eid,
                           .enterprise_id = eid,
                           .region = "370102",
                           .subject_label = "企业",
                           .status = "submitted",
                           .awaiting = "county",
                           .filer = "enterprise",
                           .levels = "county,city,province",
                           .content = R"({"reason":"方案"})"};
  storage::ReviewStep step{.action = "file", .level = "enterprise", .actor = "e", .reason = "方案", .at = 1100};
  auto filed = upgrades.FileUpgradePlan(plan, filed_event, item, step);
  ASSERT_TRUE(filed.ok()) << filed.status().ToString();
  const auto id = filed->first.id;
  EXPECT_EQ(filed->first.region, "370102");
  EXPECT_EQ(filed->first.project_ids, std::vector<std::int64_t>{pids[0]});
  EXPECT_NE(filed->second.content.find(fmt::format(R"("plan_id":{})", id)), std::string::npos)
      << "the review item names its plan";
  EXPECT_EQ(upgrades.FileUpgradePlan(plan, filed_event, item, step).status().code(), core::StatusCode::kConflict)
      << "one plan per enterprise until it is accepted";
  auto reviews = store().reviews().ListReviews({.flow = "upgrade_plan", .subject_id = eid});
  ASSERT_TRUE(reviews.ok());
  EXPECT_EQ(reviews->second, 1) << "the refused filing left no review item behind";

  storage::UpgradePlanEvent progress{.kind = "progress",
                                     .level = "enterprise",
                                     .actor = "e",
                                     .note = "招标",
                                     .status = "in_progress",
                                     .progress = 30,
                                     .at = 1200};
  EXPECT_EQ(
      upgrades.AddUpgradePlanEvent(id, "in_progress", filed->first.updated_at, progress, std::nullopt).status().code(),
      core::StatusCode::kConflict)
      << "not before the approval";
  // The province's approval puts the approved version in force: both projects now.
  storage::ReviewEffect approve{.kind = storage::ReviewEffect::Kind::kUpgradePlanApproved,
                                .enterprise_id = eid,
                                .actor = "province",
                                .record_id = id,
                                .fields = {{"content", std::string(R"({"reason":"方案二"})")},
                                           {"completion_due", std::string("2027-03-31")},
                                           {"expected_saving_tce", 150.0},
                                           {"project_ids", fmt::format("{},{}", pids[0], pids[1])}}};
  auto moved = store().reviews().MoveReview(
      filed->second.id, "submitted", "approved", "",
      {.version = 1, .action = "approve", .level = "province", .actor = "province", .at = 1300}, std::nullopt, approve);
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  auto approved = upgrades.GetUpgradePlan(id);
  ASSERT_TRUE(approved.ok() && *approved);
  EXPECT_EQ((*approved)->status, "in_progress");
  EXPECT_EQ((*approved)->completion_due, "2027-03-31");
  EXPECT_DOUBLE_EQ((*approved)->expected_saving_tce, 150);
  EXPECT_EQ((*approved)->project_ids, pids);

  auto reported = upgrades.AddUpgradePlanEvent(id, "in_progress", (*approved)->updated_at, progress, std::nullopt);
  ASSERT_TRUE(reported.ok()) << reported.status().ToString();
  EXPECT_EQ(reported->progress, 30);
  storage::UpgradePlanEvent done{.kind = "completed",
                                 .level = "enterprise",
                                 .actor = "e",
                                 .note = "完成",
                                 .status = "completed",
                                 .progress = 100,
                                 .at = 1400};
  EXPECT_EQ(upgrades.AddUpgradePlanEvent(id, "in_progress", 1, done, "2026-08-20").status().code(),
            core::StatusCode::kConflict)
      << "not over a change the caller has not seen";
  auto completed = upgrades.AddUpgradePlanEvent(id, "in_progress", reported->updated_at, done, "2026-08-20");
  ASSERT_TRUE(completed.ok()) << completed.status().ToString();
  EXPECT_EQ(completed->completed_on, "2026-08-20");

  storage::ReviewItem acceptance = item;
  acceptance.flow = "upgrade_acceptance";
  acceptance.awaiting = "city";
  acceptance.filer = "county";
  acceptance.levels = "city,province";
  acceptance.content = fmt::format(R"({{"plan_id":{},"reason":"验收"}})", id);
  auto accept_item =
      store().reviews().FileReview(acceptance, {.action = "file", .level = "county", .actor = "c", .at = 1500});
  ASSERT_TRUE(accept_item.ok()) << accept_item.status().ToString();
  storage::ReviewEffect accept{
      .kind = storage::ReviewEffect::Kind::kUpgradeAccepted,
      .enterprise_id = eid,
      .actor = "province",
      .record_id = id,
      .fields = {{"measured", std::string(R"({"ready":true})")}, {"measured_saving_tce", 162.5}}};
  ASSERT_TRUE(store()
                  .reviews()
                  .MoveReview(accept_item->id, "submitted", "approved", "",
                              {.version = 1, .action = "approve", .level = "province", .actor = "province", .at = 1600},
                              std::nullopt, accept)
                  .ok());
  auto accepted = upgrades.GetUpgradePlan(id);
  ASSERT_TRUE(accepted.ok() && *accepted);
  EXPECT_EQ((*accepted)->status, "accepted");
  EXPECT_EQ((*accepted)->accepted_at, 1600);
  EXPECT_EQ((*accepted)->measured_saving_tce, 162.5);
  EXPECT_EQ((*accepted)->measured, R"({"ready":true})");
  auto events = upgrades.UpgradePlanEvents(id);
  ASSERT_TRUE(events.ok());
  std::vector<std::string> kinds;
  for (const auto& e : *events) kinds.push_back(e.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{"filed", "approved", "progress", "completed", "accepted"}));
  auto listed = upgrades.ListUpgradePlans({.region_prefix = "3701", .status = "accepted"});
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->second, 1);
  EXPECT_TRUE(upgrades.FileUpgradePlan(plan, filed_event, item, step).ok())
      << "an accepted plan leaves room for a new one";
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContract, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& info) { return BackendName(info.param); });

}  // namespace
}  // namespace kiln::testing
