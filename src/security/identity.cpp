#include "security/identity.hpp"

#include <fmt/format.h>

#include "core/regions.hpp"
#include "security/crypto.hpp"

namespace kiln::security {
namespace {

constexpr std::int64_t kMinute = 60'000;

std::set<std::string> SplitPermissions(const std::string& text) {
  std::set<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string p = text.substr(start, end - start);
    if (!p.empty()) out.insert(p);
    start = end + 1;
  }
  return out;
}

}  // namespace

std::optional<std::string> PasswordPolicyError(std::string_view password) {
  if (password.size() < 8) return "must be at least 8 characters";
  if (password.size() > 128) return "must be at most 128 characters";
  bool lower = false, upper = false, digit = false, other = false;
  for (unsigned char c : password) {
    if (c >= 'a' && c <= 'z') lower = true;
    else if (c >= 'A' && c <= 'Z') upper = true;
    else if (c >= '0' && c <= '9') digit = true;
    else other = true;
  }
  if (lower + upper + digit + other < 3) {
    return "must contain three of: lower-case letters, upper-case letters, digits, symbols";
  }
  return std::nullopt;
}

Identity::Identity(storage::Store& store, const core::Clock& clock, SecurityOptions options)
    : store_(store), clock_(clock), options_(options) {}

std::vector<core::FieldError> ValidateNewUser(const NewUser& n) {
  std::vector<core::FieldError> errors;
  if (n.username.empty() || n.username.size() > 64) errors.push_back({"username", "must be 1-64 characters"});
  for (char c : n.username) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-')) {
      errors.push_back({"username", "may contain only letters, digits, '_', '.', '-'"});
      break;
    }
  }
  if (auto why = PasswordPolicyError(n.password)) errors.push_back({"password", *why});
  if (!IsKnownRole(n.role)) {
    errors.push_back({"role", "must be one of province, city, county, dept_admin, dept_user, enterprise, operator"});
  }
  auto level = core::LevelOfRegionCode(n.region);
  if (n.role == "province" || n.role == "city" || n.role == "county") {
    auto wanted = n.role == "province" ? core::RegionLevel::kProvince
                  : n.role == "city"   ? core::RegionLevel::kCity
                                       : core::RegionLevel::kCounty;
    if (level != wanted) {
      errors.push_back({"region", fmt::format("a {} user needs a {}-level region code", n.role, n.role)});
    }
  } else if (n.role == "dept_admin" || n.role == "dept_user") {
    if (n.department.empty()) errors.push_back({"department", "is required for department users"});
    if (!n.region.empty() && level == core::RegionLevel::kInvalid) {
      errors.push_back({"region", "must be a GB/T 2260 region code"});
    }
  } else if (n.role == "enterprise") {
    if (n.enterprise_uscc.empty()) errors.push_back({"enterprise", "is required for enterprise users"});
  }
  if (n.role == "dept_user") {
    for (const auto& p : SplitPermissions(n.permissions)) {
      if (!GrantablePermissions().contains(p)) errors.push_back({"permissions", "cannot grant " + p});
    }
  } else if (!n.permissions.empty()) {
    errors.push_back({"permissions", "only department users are granted permissions individually"});
  }
  return errors;
}

core::Result<storage::User> Identity::CreateUser(const NewUser& n) {
  auto errors = ValidateNewUser(n);
  storage::User u;
  u.username = n.username;
  u.display_name = n.display_name.empty() ? n.username : n.display_name;
  u.role = n.role;
  if (n.role == "dept_user") u.permissions = n.permissions;
  if (!errors.empty()) return core::Status::InvalidArgument("invalid user", std::move(errors));

  if (n.role == "province" || n.role == "city" || n.role == "county" || n.role == "dept_admin" ||
      n.role == "dept_user") {
    u.region = n.region.empty() ? "" : n.region;
    if (!u.region.empty()) {
      auto region = store_.GetRegion(u.region);
      if (!region.ok()) return region.status();
      if (!*region) return core::Status::InvalidArgument("invalid user", {{"region", "unknown region " + u.region}});
    }
  }
  if (n.role == "dept_admin" || n.role == "dept_user") {
    u.department = n.department;
    auto departments = store_.ListDepartments();
    if (!departments.ok()) return departments.status();
    bool known = false;
    for (const auto& d : *departments) known = known || d.code == n.department;
    if (!known) return core::Status::InvalidArgument("invalid user", {{"department", "unknown department " + n.department}});
  }
  if (n.role == "enterprise") {
    auto id = store_.EnterpriseIdByCreditCode(n.enterprise_uscc);
    if (!id.ok()) return id.status();
    if (!*id) {
      return core::Status::InvalidArgument("invalid user",
                                           {{"enterprise", "no enterprise with credit code " + n.enterprise_uscc}});
    }
    u.enterprise_id = **id;
  }
  u.password_salt = RandomHex(16);
  u.password_iterations = options_.pbkdf2_iterations;
  u.password_hash = Pbkdf2Sm3Hex(n.password, u.password_salt, u.password_iterations);
  u.password_changed_at = u.created_at = clock_.Now();
  return store_.CreateUser(std::move(u));
}

bool Identity::PasswordMatches(const storage::User& user, const std::string& password) const {
  return ConstantTimeEquals(Pbkdf2Sm3Hex(password, user.password_salt, user.password_iterations),
                            user.password_hash);
}

core::Result<Principal> Identity::PrincipalOf(const storage::User& u) {
  Principal p;
  p.user_id = u.id;
  p.username = u.username;
  p.role = u.role;
  p.region = u.region;
  p.enterprise_id = u.enterprise_id;
  p.department = u.department;
  p.permissions = RolePermissions(u.role);
  if (u.role == "dept_user") {
    for (const auto& g : SplitPermissions(u.permissions)) {
      if (GrantablePermissions().contains(g)) p.permissions.insert(g);
    }
  }
  // Department staff without a region see the whole deployment's province.
  if ((u.role == "dept_admin" || u.role == "dept_user") && p.region.empty()) {
    auto regions = store_.ListRegions();
    if (!regions.ok()) return regions.status();
    for (const auto& r : *regions) {
      if (r.level == "province") {
        p.region = r.code;
        break;
      }
    }
  }
  return p;
}

core::Result<LoginResult> Identity::Login(const std::string& username, const std::string& password,
                                          const std::string& address) {
  const auto bad_credentials = core::Status::Unauthenticated("wrong username or password");
  auto found = store_.FindUser(username);
  if (!found.ok()) return found.status();
  if (!*found) {
    // Spend the same work as a real check so timing does not reveal which names exist.
    (void)Pbkdf2Sm3Hex(password, "0000000000000000", options_.pbkdf2_iterations);
    return bad_credentials;
  }
  storage::User& user = **found;
  auto now = clock_.Now();
  if (user.disabled) return core::Status::PermissionDenied("account is disabled");
  if (user.locked_until > now) {
    auto minutes = (user.locked_until - now + kMinute - 1) / kMinute;
    return core::Status::PermissionDenied(
        fmt::format("account locked after {} wrong passwords; try again in {} minutes", options_.lockout_threshold,
                    minutes));
  }
  if (!PasswordMatches(user, password)) {
    std::int64_t failures = user.failed_logins + 1;
    core::UnixMillis locked_until = 0;
    if (failures >= options_.lockout_threshold) {
      locked_until = now + options_.lockout_minutes * kMinute;
      failures = 0;
      KILN_RETURN_IF_ERROR(store_.RecordLoginOutcome(user.id, failures, locked_until));
      return core::Status::PermissionDenied(fmt::format("account locked after {} wrong passwords; try again in {} minutes",
                                                        options_.lockout_threshold, options_.lockout_minutes));
    }
    KILN_RETURN_IF_ERROR(store_.RecordLoginOutcome(user.id, failures, locked_until));
    return core::Status::Unauthenticated(fmt::format("wrong username or password ({} attempts left before lockout)",
                                                     options_.lockout_threshold - failures));
  }
  if (user.failed_logins != 0 || user.locked_until != 0) KILN_RETURN_IF_ERROR(store_.RecordLoginOutcome(user.id, 0, 0));
  auto principal = PrincipalOf(user);
  if (!principal.ok()) return principal.status();
  LoginResult result;
  result.token = RandomHex(32);
  result.csrf_token = RandomHex(16);
  result.principal = std::move(principal).value();
  result.expires_at = now + options_.session_absolute_hours * 60 * kMinute;
  storage::Session s{Sm3Hex(result.token), user.id, result.csrf_token, now, now, result.expires_at, false, address};
  KILN_RETURN_IF_ERROR(store_.CreateSession(s));
  return result;
}

core::Result<AuthenticatedSession> Identity::Authenticate(const std::string& token) {
  const auto expired = core::Status::Unauthenticated("session expired or not logged in");
  if (token.size() != 64) return expired;
  std::string hash = Sm3Hex(token);
  auto session = store_.FindSession(hash);
  if (!session.ok()) return session.status();
  if (!*session || (*session)->revoked) return expired;
  auto now = clock_.Now();
  const auto& s = **session;
  if (now >= s.expires_at || now - s.last_seen_at >= options_.session_idle_minutes * kMinute) return expired;
  auto user = store_.GetUser(s.user_id);
  if (!user.ok()) return user.status();
  if (!*user || (*user)->disabled) return expired;
  // Coarse touch: one write a minute per session keeps the idle clock honest
  // without a write on every request.
  if (now - s.last_seen_at >= kMinute) KILN_RETURN_IF_ERROR(store_.TouchSession(hash, now));
  auto principal = PrincipalOf(**user);
  if (!principal.ok()) return principal.status();
  return AuthenticatedSession{std::move(principal).value(), s.csrf_token, hash};
}

core::Status Identity::Logout(const std::string& token) { return store_.RevokeSession(Sm3Hex(token)); }

core::Status Identity::ChangePassword(const Principal& who, const std::string& old_password,
                                      const std::string& new_password, const std::string& current_token_hash) {
  auto user = store_.GetUser(who.user_id);
  if (!user.ok()) return user.status();
  if (!*user) return core::Status::NotFound("user not found");
  if (!PasswordMatches(**user, old_password)) {
    return core::Status::InvalidArgument("invalid password change", {{"old_password", "is wrong"}});
  }
  if (auto why = PasswordPolicyError(new_password)) {
    return core::Status::InvalidArgument("invalid password change", {{"new_password", *why}});
  }
  if (old_password == new_password) {
    return core::Status::InvalidArgument("invalid password change", {{"new_password", "must differ from the old one"}});
  }
  std::string salt = RandomHex(16);
  KILN_RETURN_IF_ERROR(store_.SetPassword(who.user_id, Pbkdf2Sm3Hex(new_password, salt, options_.pbkdf2_iterations),
                                          salt, options_.pbkdf2_iterations, clock_.Now()));
  return store_.RevokeUserSessions(who.user_id, current_token_hash);
}

core::Status Identity::ResetPassword(const std::string& username, const std::string& new_password) {
  if (auto why = PasswordPolicyError(new_password)) {
    return core::Status::InvalidArgument("invalid password", {{"password", *why}});
  }
  auto user = store_.FindUser(username);
  if (!user.ok()) return user.status();
  if (!*user) return core::Status::NotFound("no user " + username);
  std::string salt = RandomHex(16);
  KILN_RETURN_IF_ERROR(store_.SetPassword((*user)->id, Pbkdf2Sm3Hex(new_password, salt, options_.pbkdf2_iterations),
                                          salt, options_.pbkdf2_iterations, clock_.Now()));
  return store_.RevokeUserSessions((*user)->id);
}

std::string AuditLog::EntryHash(const std::string& prev_hash, const storage::AuditEntry& e) {
  // Length-prefixed fields so that no two different entries serialise alike.
  std::string material = prev_hash;
  for (const std::string& f : {std::to_string(e.at), e.username, e.address, e.action, e.target, e.result, e.detail}) {
    material += std::to_string(f.size()) + ":" + f + "|";
  }
  return Sm3Hex(material);
}

core::Status AuditLog::Record(const std::string& username, const std::string& address, const std::string& action,
                              const std::string& target, const std::string& result, const std::string& detail) {
  storage::AuditEntry e;
  e.at = clock_.Now();
  e.username = username;
  e.address = address;
  e.action = action;
  e.target = target;
  e.result = result;
  e.detail = detail;
  return store_.AppendAudit(std::move(e), EntryHash);
}

core::Result<std::int64_t> AuditLog::Verify() {
  // Newest first in pages; collect then check oldest to newest.
  std::vector<storage::AuditEntry> all;
  std::int64_t before = 0;
  for (;;) {
    auto page = store_.ListAudit({.limit = 1000, .before_id = before});
    if (!page.ok()) return page.status();
    if (page->empty()) break;
    before = page->back().id;
    all.insert(all.end(), page->begin(), page->end());
  }
  std::string prev(64, '0');
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    if (it->prev_hash != prev || EntryHash(prev, *it) != it->hash) return it->id;
    prev = it->hash;
  }
  return std::int64_t{0};
}

}  // namespace kiln::security
