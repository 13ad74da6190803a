#include "store_test_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <random>

#include "registry/reference_data.hpp"

namespace kiln::testing {
namespace {

std::string Unique() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  return std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" + std::to_string(rd() % 100000);
}

// The URL of database `name` on the server of `admin_url`.
std::string WithDatabase(const std::string& admin_url, const std::string& name) {
  auto slash = admin_url.rfind('/');
  auto query = admin_url.find('?', slash);
  return admin_url.substr(0, slash + 1) + name + (query == std::string::npos ? "" : admin_url.substr(query));
}

}  // namespace

std::string BackendName(Backend backend) { return backend == Backend::kSqlite ? "sqlite" : "postgres"; }

std::unique_ptr<TestStore> TestStore::Open(Backend backend) {
  auto t = std::unique_ptr<TestStore>(new TestStore());  // NOLINT(modernize-make-unique): the constructor is private
  t->backend_ = backend;
  if (backend == Backend::kSqlite) {
    t->temp_dir_ = (std::filesystem::temp_directory_path() / ("kiln_test_" + Unique())).string();
    t->options_.data_dir = t->temp_dir_;
  } else {
    const char* admin = std::getenv("KILN_TEST_PG_URL");
    if (!admin || !*admin) return nullptr;
    t->admin_url_ = admin;
    t->database_name_ = "kiln_test_" + Unique();
    auto admin_db = storage::OpenPostgres({.url = t->admin_url_, .pool_size = 1});
    EXPECT_TRUE(admin_db.ok()) << admin_db.status().ToString();
    if (!admin_db.ok()) return nullptr;
    auto conn = (*admin_db)->Writer();
    auto created = (*conn)->ExecScript("CREATE DATABASE " + t->database_name_);
    EXPECT_TRUE(created.ok()) << created.ToString();
    t->options_.db_url = WithDatabase(t->admin_url_, t->database_name_);
  }
  auto store = storage::OpenStore(t->options_);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  if (!store.ok()) return nullptr;
  t->store_ = std::move(store).value();
  return t;
}

TestStore::~TestStore() {
  store_.reset();
  if (!temp_dir_.empty()) std::filesystem::remove_all(temp_dir_);
  if (!database_name_.empty()) {
    auto admin_db = storage::OpenPostgres({.url = admin_url_, .pool_size = 1});
    if (admin_db.ok()) {
      auto conn = (*admin_db)->Writer();
      if (conn.ok()) (void)(*conn)->ExecScript("DROP DATABASE IF EXISTS " + database_name_ + " WITH (FORCE)");
    }
  }
}

void LoadReferenceData(storage::Store& store) {
  auto status = registry::LoadReferenceData(store, KILN_SOURCE_DIR "/data");
  ASSERT_TRUE(status.ok()) << status.ToString();
}

}  // namespace kiln::testing
