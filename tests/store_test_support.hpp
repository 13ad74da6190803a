#pragma once
// Opens a fresh store for a test: SQLite in a temporary directory, or a new
// PostgreSQL database on the server named by KILN_TEST_PG_URL (an admin URL,
// e.g. postgresql://kiln@127.0.0.1:55432/postgres), dropped afterwards.

#include <memory>
#include <string>

#include "storage/store.hpp"

namespace kiln::testing {

enum class Backend { kSqlite, kPostgres };

class TestStore {
 public:
  static std::unique_ptr<TestStore> Open(Backend backend);  // nullptr + GTEST_SKIP when PG is not configured
  ~TestStore();
  storage::Store& store() { return *store_; }
  const storage::StoreOptions& options() const { return options_; }

 private:
  Backend backend_ = Backend::kSqlite;
  std::string temp_dir_, database_name_, admin_url_;
  storage::StoreOptions options_;
  std::unique_ptr<storage::Store> store_;
};

std::string BackendName(Backend backend);
// Loads regions, industries and departments from the repository's data/.
void LoadReferenceData(storage::Store& store);

}  // namespace kiln::testing
