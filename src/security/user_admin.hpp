#pragma once
// User administration under the access policy: who may see, create, change,
// disable, grant and reset whom.
//
//   - a manager administers only strictly lower levels inside its own region
//     subtree: the province city, county and enterprise users; a city county
//     and enterprise users; a county the users of its enterprises;
//   - only the province (or kiln admin) administers department administrators;
//     a department administrator only its own department's users inside its
//     own region (a department user without a region covers the province);
//   - operators are administered with kiln admin only;
//   - a password set by someone else (a new account, a reset) is a one-time
//     password: the account must change it before anything else, and who set
//     it is remembered for separation of duties.
// A user outside what the manager administers is "not found".

#include <optional>
#include <string>
#include <vector>

#include "security/access.hpp"
#include "security/audit_log.hpp"
#include "security/identity.hpp"
#include "storage/store.hpp"

namespace kiln::security {

// A user as the rules see it.
struct UserFacts {
  std::int64_t id = 0;
  std::string role;
  std::string region;  // effective: an enterprise user's county; a department user's region or the province
  std::string department;
};

// Ok, kNotFound (outside what `manager` administers) or kPermissionDenied (no user.manage).
core::Status AuthorizeUserAdmin(const Principal& manager, const UserFacts& user);
// The same rules for a user about to be created; refusals are kPermissionDenied naming the field.
core::Status AuthorizeUserCreation(const Principal& manager, const UserFacts& user);

// Comma-separated permission names into a set (grants as stored).
std::set<std::string> ParsePermissions(const std::string& text);

struct UserChange {
  std::optional<std::string> permissions;  // comma-separated grants (department users)
  std::optional<bool> disabled;
};

struct UserQuery {
  std::string role;  // "" = any
  std::string q;  // part of the username or display name
};

class UserAdministration {
 public:
  UserAdministration(storage::Store& store, Identity& identity, AuditLog& audit)
      : store_(store), identity_(identity), audit_(audit) {}

  struct Caller {
    const Principal& principal;
    std::string address;
  };

  core::Result<std::vector<storage::User>> List(const Caller& caller, const UserQuery& query);
  core::Result<storage::User> Get(const Caller& caller, std::int64_t id);
  core::Result<storage::User> Create(const Caller& caller, NewUser user);
  core::Result<storage::User> Update(const Caller& caller, std::int64_t id, const UserChange& change);
  // Returns the one-time password (shown once to the administrator).
  core::Result<std::string> ResetPassword(const Caller& caller, std::int64_t id);

 private:
  core::Result<UserFacts> FactsOf(const storage::User& user);
  core::Result<std::string> ProvinceCode();

  storage::Store& store_;
  Identity& identity_;
  AuditLog& audit_;
};

}  // namespace kiln::security
