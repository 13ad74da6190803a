#include "security/identity.hpp"

#include <fmt/format.h>

#include "core/regions.hpp"
#include "security/crypto.hpp"
#include "security/user_admin.hpp"

namespace kiln::security {
namespace {

constexpr std::int64_t kMinute = 60'000;

}  // namespace

std::optional<std::string> PasswordPolicyError(std::string_view password) {
  if (password.size() < 8) return "must be at least 8 characters";
  if (password.size() > 128) return "must be at most 128 characters";
  bool lower = false, upper = false, digit = false, other = false;
  for (unsigned char c : password) {
    if (c >= 'a' && c <= 'z')
      lower = true;
    else if (c >= 'A' && c <= 'Z')
      upper = true;
    else if (c >= '0' && c <= '9')
      digit = true;
    else
      other = true;
  }
  if (lower + upper + digit + other < 3) {
    return "must contain three of: lower-case letters, upper-case letters, digits, symbols";
  }
  return std::nullopt;
}

Identity::Identity(storage::Store& store, const core::Clock& clock, AuditLog& audit, SecurityOptions options)
    : store_(store), clock_(clock), audit_(audit), options_(options), throttle_(clock, options.throttle) {}

std::string OneTimePassword() {
  // 16 characters from an alphabet without look-alikes, then one of each class so the policy holds.
  static constexpr std::string_view kAlphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string random = RandomHex(16);
  std::string out;
  for (size_t i = 0; i + 1 < random.size(); i += 2) {
    out += kAlphabet[std::stoi(random.substr(i, 2), nullptr, 16) % kAlphabet.size()];
  }
  return out + "a7K#";
}

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
    for (const auto& p : ParsePermissions(n.permissions)) {
      if (!GrantablePermissions().contains(p)) errors.push_back({"permissions", "cannot grant " + p});
    }
  } else if (!n.permissions.empty()) {
    errors.push_back({"permissions", "only department users are granted permissions individually"});
  }
  return errors;
}

core::Result<storage::User> Identity::CreateUser(const NewUser& n, const std::optional<PasswordSetter>& setter) {
  auto errors = ValidateNewUser(n);
  storage::User u;
  u.username = n.username;
  u.display_name = n.display_name.empty() ? n.username : n.display_name;
  u.role = n.role;
  if (n.role == "dept_user") u.permissions = n.permissions;
  if (!errors.empty()) return core::Status::InvalidArgument("invalid user", std::move(errors));

  if (n.role == "province" || n.role == "city" || n.role == "county" || n.role == "dept_admin" ||
      n.role == "dept_user") {
    u.region = n.region;
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
    if (!known)
      return core::Status::InvalidArgument("invalid user", {{"department", "unknown department " + n.department}});
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
  u.must_change_password = setter.has_value();
  auto created = store_.CreateUser(std::move(u));
  if (created.ok() && setter) {
    KILN_RETURN_IF_ERROR(
        store_.RecordPasswordGrant({created->id, setter->user_id, setter->username, "create", created->created_at}));
  }
  return created;
}

bool Identity::PasswordMatches(const storage::User& user, const std::string& password) const {
  return ConstantTimeEquals(Pbkdf2Sm3Hex(password, user.password_salt, user.password_iterations), user.password_hash);
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
  p.must_change_password = u.must_change_password;
  if (u.role == "dept_user") {
    for (const auto& g : ParsePermissions(u.permissions)) {
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
  std::string detail;
  auto result = LoginUnaudited(username, password, address, detail);
  std::string outcome = result.ok()                        ? "ok"
                        : result.status().reason().empty() ? core::StatusCodeName(result.status().code())
                                                           : result.status().reason();
  (void)audit_.Record(username.substr(0, 64), address, result.ok() ? "auth.login" : "auth.login_failed", "", outcome,
                      detail);
  return result;
}

core::Result<LoginResult> Identity::LoginUnaudited(const std::string& username, const std::string& password,
                                                   const std::string& address, std::string& detail) {
  const auto bad_credentials = core::Status::Unauthenticated("wrong username or password");
  if (auto admitted = throttle_.Admit(address); !admitted.ok()) {
    detail = admitted.message();
    return admitted;
  }
  auto slot = throttle_.AcquireHashingSlot();
  if (!slot.ok()) {
    detail = "no hashing slot free";
    return slot.status();
  }
  auto found = store_.FindUser(username);
  if (!found.ok()) return found.status();
  auto now = clock_.Now();
  if (!*found) {
    // The same work as a real check, so that neither answer nor timing tells which names exist.
    (void)Pbkdf2Sm3Hex(password, "00000000000000000000000000000000", options_.pbkdf2_iterations);
    throttle_.CountFailure(address);
    detail = "unknown user";
    return bad_credentials;
  }
  storage::User& user = **found;
  if (!PasswordMatches(user, password)) {
    throttle_.CountFailure(address);
    if (user.disabled || user.locked_until > now) {
      detail = user.disabled ? "wrong password for a disabled account" : "wrong password for a locked account";
      return bad_credentials;
    }
    auto locked =
        store_.CountLoginFailure(user.id, options_.lockout_threshold, now + options_.lockout_minutes * kMinute);
    if (!locked.ok()) return locked.status();
    detail = *locked ? fmt::format("wrong password; account locked for {} minutes after {} in a row",
                                   options_.lockout_minutes, options_.lockout_threshold)
                     : "wrong password";
    return bad_credentials;
  }
  if (user.disabled) {
    detail = "account is disabled";
    return core::Status::PermissionDenied("account is disabled").WithReason("account_disabled");
  }
  if (user.locked_until > now) {
    auto minutes = (user.locked_until - now + kMinute - 1) / kMinute;
    detail = "account is locked";
    return core::Status::PermissionDenied(
               fmt::format("account locked after {} wrong passwords; try again in {} minutes",
                           options_.lockout_threshold, minutes))
        .WithReason("account_locked");
  }
  if (user.failed_logins != 0 || user.locked_until != 0) KILN_RETURN_IF_ERROR(store_.ClearLoginFailures(user.id));
  auto principal = PrincipalOf(user);
  if (!principal.ok()) return principal.status();
  LoginResult result;
  result.token = RandomHex(32);
  result.csrf_token = RandomHex(16);
  result.principal = std::move(principal).value();
  result.expires_at = now + options_.session_absolute_hours * 60 * kMinute;
  storage::Session s{Sm3Hex(result.token), user.id, result.csrf_token, now, now, result.expires_at, false, address};
  KILN_RETURN_IF_ERROR(store_.CreateSession(s));
  if (user.must_change_password) detail = "password change required";
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

core::Status Identity::StorePassword(std::int64_t user_id, const std::string& password, bool must_change) {
  std::string salt = RandomHex(16);
  return store_.SetPassword(user_id, Pbkdf2Sm3Hex(password, salt, options_.pbkdf2_iterations), salt,
                            options_.pbkdf2_iterations, clock_.Now(), must_change);
}

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
  KILN_RETURN_IF_ERROR(StorePassword(who.user_id, new_password, false));
  return store_.RevokeUserSessions(who.user_id, current_token_hash);
}

core::Result<std::string> Identity::ResetPassword(std::int64_t user_id, const PasswordSetter& setter) {
  std::string password = OneTimePassword();
  KILN_RETURN_IF_ERROR(StorePassword(user_id, password, true));
  KILN_RETURN_IF_ERROR(store_.RecordPasswordGrant({user_id, setter.user_id, setter.username, "reset", clock_.Now()}));
  KILN_RETURN_IF_ERROR(store_.RevokeUserSessions(user_id));
  return password;
}

core::Status Identity::SetPassword(const std::string& username, const std::string& password,
                                   const PasswordSetter& setter) {
  if (auto why = PasswordPolicyError(password)) {
    return core::Status::InvalidArgument("invalid password", {{"password", *why}});
  }
  auto user = store_.FindUser(username);
  if (!user.ok()) return user.status();
  if (!*user) return core::Status::NotFound("no user " + username);
  KILN_RETURN_IF_ERROR(StorePassword((*user)->id, password, true));
  KILN_RETURN_IF_ERROR(
      store_.RecordPasswordGrant({(*user)->id, setter.user_id, setter.username, "reset", clock_.Now()}));
  return store_.RevokeUserSessions((*user)->id);
}

core::Result<std::int64_t> Identity::PurgeSessions() {
  auto now = clock_.Now();
  return store_.PurgeSessions(now, now - options_.session_idle_minutes * kMinute);
}

}  // namespace kiln::security
