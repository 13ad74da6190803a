"""User administration and the audit log."""

import pytest

from conftest import finish_first_login, error_of, unique_name

PASSWORD = "Test#Pass123"


def new_user(role, **fields):
    return {"username": unique_name(role), "password": PASSWORD, "role": role, **fields}


def test_province_creates_county_user(server, province):
    body = new_user("county", region="370102", display_name="历下区发改局")
    r = province.post("/api/v1/users", json=body)
    assert r.status_code == 201, r.text
    u = r.json()
    assert u["username"] == body["username"]
    assert u["role"] == "county"
    assert u["region"] == "370102"
    assert u["display_name"] == "历下区发改局"
    assert u["enterprise_id"] is None and u["department"] is None
    assert u["disabled"] is False and u["locked"] is False
    assert isinstance(u["id"], int) and u["created_at"].endswith("Z")
    assert "password" not in u and "password_hash" not in u
    s = server.login(body["username"], PASSWORD)
    me = s.get("/api/v1/me").json()["user"]
    assert me["role"] == "county" and me["region"] == "370102"
    assert me["region_name"]


def test_duplicate_username_409(province):
    body = new_user("county", region="370102")
    assert province.post("/api/v1/users", json=body).status_code == 201
    r = province.post("/api/v1/users", json=body)
    assert r.status_code == 409
    err = error_of(r)
    assert err["code"] == "conflict"
    assert err["details"] == [{"field": "username", "reason": "already exists"}]


def test_create_user_validation(province):
    r = province.post("/api/v1/users", json={"username": "bad name!", "password": "short", "role": "king",
                                             "colour": "x"})
    assert r.status_code == 400
    assert error_of(r)["details"] == [{"field": "colour", "reason": "unknown field"}]
    r = province.post("/api/v1/users", json={"username": "bad name!", "password": "short", "role": "king",
                                             "region": "370102"})
    assert r.status_code == 400
    assert {d["field"] for d in error_of(r)["details"]} == {"username", "password", "role"}
    r = province.post("/api/v1/users", json=new_user("county", region="371400"))
    assert r.status_code == 400
    assert error_of(r)["details"] == [{"field": "region", "reason": "a county user needs a county-level region code"}]
    r = province.post("/api/v1/users", json=new_user("operator"))
    assert r.status_code == 403
    assert error_of(r)["details"] == [{"field": "role", "reason": "cannot be created through the API"}]


def test_city_creates_users_only_in_its_city(as_role, world):
    city = as_role("city")
    r = city.post("/api/v1/users", json=new_user("county", region=world["county"]))
    assert r.status_code == 201, r.text
    r = city.post("/api/v1/users", json=new_user("county", region=world["other_city_county"]))
    assert r.status_code == 403
    err = error_of(r)
    assert err["code"] == "permission_denied"
    assert err["details"] == [{"field": "region", "reason": "outside your jurisdiction"}]
    r = city.post("/api/v1/users", json=new_user("province", region="370000"))
    assert r.status_code == 403
    r = city.post("/api/v1/users", json=new_user("dept_user", department="ecology"))  # no region: the province
    assert r.status_code == 403
    # Enterprise users: only for enterprises in the city.
    own = world["own"]["enterprise"]["uscc"]
    other = world["other_city"]["enterprise"]["uscc"]
    assert city.post("/api/v1/users", json=new_user("enterprise", enterprise=own)).status_code == 201
    r = city.post("/api/v1/users", json=new_user("enterprise", enterprise=other))
    assert r.status_code == 403
    assert error_of(r)["details"] == [{"field": "enterprise", "reason": "outside your jurisdiction"}]


def test_county_user_list_is_its_jurisdiction(as_role, world):
    r = as_role("city").get("/api/v1/users")
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == len(body["items"]) >= 1
    names = {u["username"] for u in body["items"]}
    assert "county" in names and "province" not in names and "operator" not in names
    for u in body["items"]:
        if u["region"]:
            assert u["region"].startswith(world["city"][:4])
    for role in ("enterprise", "dept_user", "operator"):
        r = as_role(role).get("/api/v1/users")
        assert r.status_code == 403, role
        assert error_of(r)["code"] == "permission_denied"


def test_dept_admin_manages_its_department(server, as_role):
    admin = as_role("dept_admin")
    body = new_user("dept_user", permissions="enterprise.read")
    r = admin.post("/api/v1/users", json=body)
    assert r.status_code == 201, r.text
    u = r.json()
    assert u["role"] == "dept_user"
    assert u["department"] == "ecology"
    assert u["permissions"] == "enterprise.read"
    assert u["must_change_password"] is True
    finish_first_login(server, body["username"], PASSWORD, PASSWORD + "x")
    s = server.login(body["username"], PASSWORD + "x")
    assert set(s.user["permissions"]) == {"enterprise.read", "task.read", "upload.read"}
    assert s.get("/api/v1/projects").status_code == 403

    r = admin.patch(f"/api/v1/users/{u['id']}", json={"permissions": "enterprise.read,project.read"})
    assert r.status_code == 200, r.text
    assert r.json()["permissions"] == "enterprise.read,project.read"
    me = s.get("/api/v1/me").json()["user"]
    assert set(me["permissions"]) == {"enterprise.read", "project.read", "task.read", "upload.read"}
    assert s.get("/api/v1/projects").status_code == 200
    assert s.patch("/api/v1/enterprises/1", json={}).status_code == 403

    r = admin.get("/api/v1/users")
    assert r.status_code == 200
    listed = r.json()["items"]
    assert body["username"] in {x["username"] for x in listed}
    assert all(x["role"] == "dept_user" and x["department"] == "ecology" for x in listed)


def test_dept_admin_cannot_grant_write(as_role):
    admin = as_role("dept_admin")
    r = admin.post("/api/v1/users", json=new_user("dept_user", permissions="enterprise.read,enterprise.write"))
    assert r.status_code == 400
    assert error_of(r)["details"] == [{"field": "permissions", "reason": "cannot grant enterprise.write"}]
    r = admin.post("/api/v1/users", json=new_user("dept_user", permissions="enterprise.read"))
    assert r.status_code == 201
    uid = r.json()["id"]
    for perm in ("enterprise.write", "user.manage", "audit.read"):
        r = admin.patch(f"/api/v1/users/{uid}", json={"permissions": f"project.read,{perm}"})
        assert r.status_code == 400, perm
        err = error_of(r)
        assert err["code"] == "invalid_argument"
        assert err["details"] == [{"field": "permissions", "reason": f"cannot grant {perm}"}]
    r = admin.get("/api/v1/users").json()["items"]
    assert next(x for x in r if x["id"] == uid)["permissions"] == "enterprise.read"


def test_dept_admin_limits(as_role, province):
    admin = as_role("dept_admin")
    r = admin.post("/api/v1/users", json=new_user("county", region="370102"))
    assert r.status_code == 403
    assert error_of(r)["details"] == [{"field": "role", "reason": "you cannot create a county user"}]
    r = admin.post("/api/v1/users", json=new_user("dept_user", department="power"))
    assert r.status_code == 403
    # Users of other departments or roles are out of sight.
    r = province.post("/api/v1/users", json=new_user("dept_user", department="power", region="370000"))
    assert r.status_code == 201, r.text
    other_dept = r.json()["id"]
    province_id = province.user["id"]
    for uid in (other_dept, province_id):
        r = admin.patch(f"/api/v1/users/{uid}", json={"permissions": "point.read"})
        assert r.status_code == 404, r.text
        assert error_of(r)["code"] == "not_found"


def test_disable_user_ends_sessions(server, province):
    body = new_user("county", region="370102")
    uid = province.post("/api/v1/users", json=body).json()["id"]
    s = server.login(body["username"], PASSWORD)
    assert s.user["must_change_password"] is True
    r = province.patch(f"/api/v1/users/{uid}", json={"disabled": True})
    assert r.status_code == 200
    assert r.json()["disabled"] is True
    assert s.get("/api/v1/me").status_code == 401
    r = server.login_response(body["username"], PASSWORD)
    assert r.status_code == 403
    assert error_of(r)["message"] == "account is disabled"
    r = province.patch(f"/api/v1/users/{province.user['id']}", json={"disabled": True})
    assert r.status_code == 400
    assert error_of(r)["details"] == [{"field": "disabled", "reason": "you cannot disable yourself"}]


def test_reset_password_issues_a_one_time_password_that_unlocks(server, province):
    body = new_user("county", region="370102")
    uid = province.post("/api/v1/users", json=body).json()["id"]
    finish_first_login(server, body["username"], PASSWORD, PASSWORD + "x")
    for _ in range(5):
        server.login_response(body["username"], "Wrong#Pass999")
    assert server.login_response(body["username"], PASSWORD + "x").status_code == 403
    # The administrator does not choose the new password.
    r = province.post(f"/api/v1/users/{uid}/password", json={"password": "Reset#Pass2026"})
    assert r.status_code == 400
    assert error_of(r)["details"][0]["field"] == "password"
    r = province.post(f"/api/v1/users/{uid}/password")
    assert r.status_code == 200, r.text
    assert r.headers.get("Cache-Control") == "no-store"
    otp = r.json()["one_time_password"]
    assert r.json()["must_change_password"] is True
    assert server.login_response(body["username"], PASSWORD + "x").status_code == 401
    # The one-time password opens only the password change.
    s = server.login(body["username"], otp)
    assert s.user["must_change_password"] is True
    for method, path in [("GET", "/api/v1/enterprises"), ("GET", "/api/v1/workbench"), ("POST", "/api/v1/users")]:
        r = s.request(method, path, json={} if method == "POST" else None)
        assert r.status_code == 403, (path, r.text)
        assert error_of(r)["code"] == "password_change_required"
    assert s.get("/api/v1/me").status_code == 200
    r = s.post("/api/v1/me/password", json={"old_password": otp, "new_password": "Chosen#Pass2026"})
    assert r.status_code == 200, r.text
    assert s.get("/api/v1/enterprises").status_code == 200
    assert s.get("/api/v1/me").json()["user"]["must_change_password"] is False


def test_audit_for_province(server, province):
    server.login("province")
    r = province.get("/api/v1/audit", params={"action": "auth.login", "limit": 1000})
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert items
    assert all(i["action"].startswith("auth.login") for i in items)
    logins = [i for i in items if i["action"] == "auth.login" and i["username"] == "province"]
    assert logins
    entry = logins[0]
    assert entry["result"] == "ok"
    assert entry["address"] == "127.0.0.1"
    assert entry["at"].endswith("Z")
    assert len(entry["hash"]) == 64
    ids = [i["id"] for i in items]
    assert ids == sorted(ids, reverse=True)  # newest first


def test_audit_records_failures_and_writes(server, province):
    name = unique_name("nobody")
    server.login_response(name, "Wrong#Pass999")
    r = province.get("/api/v1/audit", params={"username": name})
    assert r.status_code == 200
    items = r.json()["items"]
    assert [i["action"] for i in items] == ["auth.login_failed"]
    assert items[0]["result"] == "unauthenticated"
    r = province.get("/api/v1/audit", params={"action": "user.create", "limit": 5})
    assert r.status_code == 200
    assert all(i["action"] == "user.create" for i in r.json()["items"])
    r = province.get("/api/v1/audit", params={"limit": 3})
    assert len(r.json()["items"]) == 3


@pytest.mark.parametrize("role, status", [("city", 403), ("county", 403), ("enterprise", 403), ("dept_admin", 403),
                                          ("dept_user", 403), ("operator", 200)])
def test_audit_access(as_role, role, status):
    r = as_role(role).get("/api/v1/audit")
    assert r.status_code == status, r.text
    if status == 403:
        err = error_of(r)
        assert err["code"] == "permission_denied"
        assert "audit.read" in err["message"]
