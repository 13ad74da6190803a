#pragma once
// What an evaluation changes, decided from what is stored in its scope and
// what it found now (pure, so that the lifecycle rules are tested alone):
//  - found, not stored: opened;
//  - found, open or acknowledged: its figures updated when they changed;
//  - found, closed because it had cleared: reopened (the condition came back);
//  - found, closed by a user (resolved or dismissed): left closed; a new
//    occurrence has a key of its own (keys name the onset);
//  - not found, open or acknowledged: cleared, with the reason.

#include <vector>

#include "storage/warning_store.hpp"
#include "warnings/finding.hpp"

namespace kiln::warnings {

std::vector<storage::WarningChange> Reconcile(const std::vector<storage::StoredWarning>& stored,
                                              const std::vector<Finding>& found);

}  // namespace kiln::warnings
