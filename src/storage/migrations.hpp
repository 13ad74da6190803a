#pragma once
// Versioned schema migrations, written once with type placeholders that each
// dialect renders: {{ID}} an auto-assigned 64-bit primary key, {{INT}} a
// 64-bit integer, {{REAL}} a double,
// {{BLOB}} bytes. Never edit a released migration; add one.

#include <string>
#include <vector>

#include "storage/database.hpp"

namespace kiln::storage {

struct Migration {
  int version;
  const char* name;
  const char* sql;
};

const std::vector<Migration>& Migrations();
std::string RenderMigration(const char* sql, Dialect dialect);

}  // namespace kiln::storage
