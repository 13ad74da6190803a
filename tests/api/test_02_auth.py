"""Login, sessions, CSRF, lockout, logout and password changes."""

import re

from conftest import DEMO_PASSWORD, detail_fields, error_of, unique_name

OFFICIAL = {"enterprise.read", "enterprise.write", "enterprise.create", "registry.supervise", "project.read",
            "project.write", "point.read", "point.write", "user.manage", "report.review", "task.read", "upload.read",
            "warning.read", "warning.handle", "review.decide", "attachment.upload", "violation.mark"}
ROLE_PERMISSIONS = {
    "province": OFFICIAL | {"audit.read", "reference.write", "department.tasks", "department.keys",
                            "violation.escalate", "inspection.manage", "inspection.record", "indicator.deduct"},
    "city": OFFICIAL | {"violation.escalate", "inspection.manage", "inspection.record", "supervisor.appoint"},
    "county": OFFICIAL | {"list.propose", "violation.report", "violation.close", "upgrade.accept",
                          "inspection.record", "inspection.rectify", "supervisor.appoint"},
    "dept_admin": {"enterprise.read", "project.read", "point.read", "user.manage", "department.upload",
                   "department.tasks", "department.keys", "task.read", "upload.read"},
    "dept_user": {"enterprise.read", "project.read", "point.read", "task.read", "upload.read"},
    "enterprise": {"enterprise.read", "enterprise.write", "project.read", "project.write", "point.read",
                   "point.write", "report.fill", "warning.read", "attachment.upload", "violation.report",
                   "upgrade.plan", "inspection.rectify"},
    "operator": {"system.read", "audit.read"},
}


def test_login_sets_cookie_and_returns_user(server):
    r = server.login_response("province")
    assert r.status_code == 200
    set_cookie = r.headers["Set-Cookie"]
    assert set_cookie.startswith("kiln_session=")
    attrs = [a.strip() for a in set_cookie.split(";")]
    assert "HttpOnly" in attrs
    assert "SameSite=Strict" in attrs
    assert "Path=/" in attrs
    assert re.fullmatch(r"kiln_session=[0-9a-f]{64}", attrs[0])
    assert r.headers.get("Cache-Control") == "no-store"
    body = r.json()
    assert isinstance(body["csrf_token"], str) and len(body["csrf_token"]) >= 16
    user = body["user"]
    assert user["username"] == "province"
    assert user["role"] == "province"
    assert user["region"] == "370000"
    assert set(user["permissions"]) == ROLE_PERMISSIONS["province"]


def test_every_demo_role_logs_in(server, world):
    expected_region = {"province": "370000", "city": world["city"], "county": world["county"],
                       "dept_admin": "370000", "dept_user": "370000", "enterprise": None, "operator": None}
    for role, perms in ROLE_PERMISSIONS.items():
        r = server.login_response(role)
        assert r.status_code == 200, (role, r.text)
        user = r.json()["user"]
        assert user["username"] == role
        assert user["role"] == role
        assert user["region"] == expected_region[role], role
        assert set(user["permissions"]) == perms, role
    assert server.login_response("enterprise").json()["user"]["enterprise_id"] == world["own"]["enterprise"]["id"]


def test_me_returns_the_session_user(as_role):
    city = as_role("city")
    r = city.get("/api/v1/me")
    assert r.status_code == 200
    body = r.json()
    assert body["user"]["username"] == "city"
    assert body["user"]["region"] == city.user["region"]
    assert body["csrf_token"] == city.csrf_token


def test_wrong_password_401(server, make_user):
    username, _, _ = make_user("county", region="370102")
    r = server.login_response(username, "Wrong#Pass999")
    assert r.status_code == 401
    err = error_of(r)
    assert err["code"] == "unauthenticated"
    assert "Set-Cookie" not in r.headers


def test_unknown_user_401(server):
    r = server.login_response("no_such_user_xyz", "Wrong#Pass999")
    assert r.status_code == 401
    assert error_of(r)["code"] == "unauthenticated"


def test_login_body_must_have_strings(anon):
    r = anon.post("/api/v1/auth/login", json={"username": "province"})
    assert r.status_code == 400
    assert set(detail_fields(r)) == {"password"}
    r = anon.post("/api/v1/auth/login", json={"username": 7, "password": "x", "remember": True})
    assert r.status_code == 400
    assert set(detail_fields(r)) == {"username", "remember"}


def test_five_wrong_passwords_lock_the_account(server, make_user):
    username, password, _ = make_user("county", region="370102")
    unknown = server.login_response(unique_name("nobody"), "Wrong#Pass999")
    assert unknown.status_code == 401
    for attempt in range(1, 7):
        r = server.login_response(username, "Wrong#Pass999")
        # The same answer for every wrong password, also the one that locks: nothing tells a guesser.
        assert r.status_code == 401, (attempt, r.text)
        assert r.json() == unknown.json()
    # The lock shows only to whoever knows the password.
    r = server.login_response(username, password)
    assert r.status_code == 403
    err = error_of(r)
    assert err["code"] == "account_locked"
    assert "locked" in err["message"]
    assert "Set-Cookie" not in r.headers


def test_successful_login_resets_failure_count(server, make_user):
    username, password, _ = make_user("county", region="370102")
    for _ in range(4):
        assert server.login_response(username, "Wrong#Pass999").status_code == 401
    assert server.login_response(username, password).status_code == 200
    for _ in range(4):
        assert server.login_response(username, "Wrong#Pass999").status_code == 401
    assert server.login_response(username, password).status_code == 200


def test_post_without_csrf_header_403(server, make_user):
    username, password, _ = make_user("county", region="370102")
    s = server.login(username, password)
    del s.headers["X-CSRF-Token"]
    r = s.post("/api/v1/auth/logout")
    assert r.status_code == 403
    err = error_of(r)
    assert err["code"] == "permission_denied"
    assert err["details"] == [{"field": "X-CSRF-Token", "reason": "must equal the csrf_token returned at login"}]
    r = s.post("/api/v1/auth/logout", headers={"X-CSRF-Token": "0" * 32})
    assert r.status_code == 403
    r = s.patch("/api/v1/enterprises/1", json={})
    assert r.status_code == 403
    # GET needs no token, and the session is still alive.
    assert s.get("/api/v1/me").status_code == 200


def test_me_without_cookie_401(anon):
    r = anon.get("/api/v1/me")
    assert r.status_code == 401
    assert error_of(r)["code"] == "unauthenticated"


def test_bogus_cookie_401(server):
    c = server.client()
    c.cookies.set("kiln_session", "f" * 64)
    r = c.get("/api/v1/me")
    assert r.status_code == 401
    assert error_of(r)["code"] == "unauthenticated"


def test_logout_revokes_the_session(server, make_user):
    username, password, _ = make_user("county", region="370102")
    s = server.login(username, password)
    other = server.login(username, password)
    token = s.cookies.get("kiln_session")
    assert token
    r = s.post("/api/v1/auth/logout")
    assert r.status_code == 200
    assert r.json() == {"ok": True}
    assert "Max-Age=0" in r.headers["Set-Cookie"]
    # The cookie is revoked on the server, not only cleared in the browser.
    replay = server.client()
    replay.cookies.set("kiln_session", token)
    r = replay.get("/api/v1/me")
    assert r.status_code == 401
    assert error_of(r)["code"] == "unauthenticated"
    # Another session of the same user lives on.
    assert other.get("/api/v1/me").status_code == 200


def test_password_policy_errors_name_the_field(server, make_user):
    username, password, _ = make_user("county", region="370102")
    s = server.login(username, password)
    cases = [
        ({"old_password": password, "new_password": "Sh0rt!"}, "new_password", "must be at least 8 characters"),
        ({"old_password": password, "new_password": "alllowercase"}, "new_password",
         "must contain three of: lower-case letters, upper-case letters, digits, symbols"),
        ({"old_password": password, "new_password": "A1!" + "a" * 126}, "new_password",
         "must be at most 128 characters"),
        ({"old_password": password, "new_password": password}, "new_password", "must differ from the old one"),
        ({"old_password": "Wrong#Pass999", "new_password": "Brand#New2026"}, "old_password", "is wrong"),
    ]
    for body, field, reason in cases:
        r = s.post("/api/v1/me/password", json=body)
        assert r.status_code == 400, (body, r.text)
        err = error_of(r)
        assert err["code"] == "invalid_argument"
        assert err["details"] == [{"field": field, "reason": reason}], body
    r = s.post("/api/v1/me/password", json={"new_password": "Brand#New2026"})
    assert r.status_code == 400
    assert set(detail_fields(r)) == {"old_password"}
    # None of these changed the password.
    assert server.login_response(username, password).status_code == 200


def test_change_password(server, make_user):
    username, password, _ = make_user("county", region="370102")
    s = server.login(username, password)
    new_password = "Brand#New2026"
    r = s.post("/api/v1/me/password", json={"old_password": password, "new_password": new_password})
    assert r.status_code == 200
    assert r.json() == {"ok": True}
    r = server.login_response(username, password)
    assert r.status_code == 401
    assert server.login_response(username, new_password).status_code == 200


def test_demo_password_is_the_documented_one(server):
    assert server.login_response("operator", DEMO_PASSWORD).status_code == 200
