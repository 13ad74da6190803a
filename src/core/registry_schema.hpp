#pragma once
// The registry's record kinds described as data: which fields an enterprise,
// a project and a metering point have, their types and their rules. Checks
// that need the store (the county exists, the credit code is unique) are
// done by the registry module.

#include "core/record.hpp"

namespace kiln::core {

const RecordSchema& EnterpriseSchema();
const RecordSchema& ProjectSchema();
const RecordSchema& MeteringPointSchema();
// A project's process units (装置) with their class in the industrial structure catalogue.
const RecordSchema& EquipmentSchema();

// Enterprise statuses, project states, equipment categories, point kinds.
inline constexpr const char* kEnterpriseStatuses[] = {"running", "stopped"};
// On the 两高 list or taken off it; changed only by an approved list entry or exit (workflow).
inline constexpr const char* kListStatuses[] = {"listed", "delisted"};
inline constexpr const char* kProjectStates[] = {"existing", "under_construction", "planned"};
inline constexpr const char* kEquipmentCategories[] = {"encouraged", "allowed", "restricted", "eliminated"};
// How a project was let go ahead: 核准 (approval) or 备案 (filing).
inline constexpr const char* kApprovalKinds[] = {"approval", "filing"};
inline constexpr const char* kPointKinds[] = {"register", "interval", "instant"};
inline constexpr const char* kEquipmentStatuses[] = {"running", "stopped", "dismantled"};
// The most restrictive class of the units not dismantled (eliminated > restricted > allowed >
// encouraged); "" when there are none.
std::string MostRestrictiveCategory(const std::vector<Record>& equipment);

}  // namespace kiln::core
