#pragma once
// The attachments the events of a case carry (a violation's progress reports, an upgrade plan's),
// linked in a table of (event_id, <owner column>, attachment_id) so that a download can be
// authorized by whoever sees the case.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.hpp"

namespace kiln::storage {

// Links uploaded attachments to an event of `owner_id`; kInvalidArgument naming an id that was
// never uploaded.
core::Status LinkEventAttachments(Connection& conn, std::string_view table, std::string_view owner_column,
                                  std::int64_t event_id, std::int64_t owner_id, const std::vector<std::string>& ids);
// Event id → the ids its attachments have, of every event of `owner_id`.
core::Result<std::map<std::int64_t, std::vector<std::string>>> EventAttachments(Connection& conn,
                                                                                std::string_view table,
                                                                                std::string_view owner_column,
                                                                                std::int64_t owner_id);

}  // namespace kiln::storage
