#pragma once
// TargetStore over the SQL layer.

#include "storage/database.hpp"
#include "storage/target_store.hpp"

namespace kiln::storage {

class SqlTargets final : public TargetStore {
 public:
  explicit SqlTargets(Database& db) : db_(db) {}
  core::Status AddTargetsIfAbsent(const std::vector<ControlTarget>& targets) override;
  core::Result<std::vector<ControlTarget>> ListTargets() override;
  core::Result<ControlTarget> AddTargetVersion(ControlTarget target) override;

 private:
  Database& db_;
};

}  // namespace kiln::storage
