#include "storage/event_attachments.hpp"

#include <fmt/format.h>

namespace kiln::storage {

core::Status LinkEventAttachments(Connection& conn, std::string_view table, std::string_view owner_column,
                                  std::int64_t event_id, std::int64_t owner_id, const std::vector<std::string>& ids) {
  for (const auto& a : ids) {
    auto known = conn.Query("SELECT 1 FROM attachments WHERE id = ?", {a});
    if (!known.ok()) return known.status();
    if (known->rows.empty()) {
      return core::Status::InvalidArgument("unknown attachment",
                                           {{"attachments", a + " is not an uploaded attachment"}});
    }
    KILN_RETURN_IF_ERROR(
        conn.Exec(fmt::format("INSERT INTO {0} (event_id, {1}, attachment_id) SELECT ?, ?, ? WHERE "
                              "NOT EXISTS (SELECT 1 FROM {0} WHERE event_id = ? AND attachment_id = ?)",
                              table, owner_column),
                  {event_id, owner_id, a, event_id, a}));
  }
  return {};
}

core::Result<std::map<std::int64_t, std::vector<std::string>>> EventAttachments(Connection& conn,
                                                                                std::string_view table,
                                                                                std::string_view owner_column,
                                                                                std::int64_t owner_id) {
  auto links =
      conn.Query(fmt::format("SELECT event_id, attachment_id FROM {} WHERE {} = ? ORDER BY event_id, attachment_id",
                             table, owner_column),
                 {owner_id});
  if (!links.ok()) return links.status();
  std::map<std::int64_t, std::vector<std::string>> out;
  for (const auto& row : links->rows) out[AsInt(row[0])].push_back(AsText(row[1]));
  return out;
}

}  // namespace kiln::storage
