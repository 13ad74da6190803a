"""Who sees and changes what: every registry endpoint, each role, inside and outside its jurisdiction.

Targets: "own" is enterprise 1 (in the demo county, owned by the demo enterprise
user); "same_city" is an enterprise in another county of the demo city;
"other_city" is an enterprise in another city.
"""

import pytest

from conftest import DEMO_ENTERPRISES, error_of, region_prefix

ROLES = ["province", "city", "county", "enterprise", "dept_admin", "dept_user", "operator"]
TARGETS = ["own", "same_city", "other_city"]

# Whether the role may read the target (True), must not see it (404) or lacks the permission (403).
READ = {
    "province": {"own": 200, "same_city": 200, "other_city": 200},
    "city": {"own": 200, "same_city": 200, "other_city": 404},
    "county": {"own": 200, "same_city": 404, "other_city": 404},
    "enterprise": {"own": 200, "same_city": 404, "other_city": 404},
    "dept_admin": {"own": 200, "same_city": 200, "other_city": 200},
    "dept_user": {"own": 200, "same_city": 200, "other_city": 200},
    "operator": {"own": 404, "same_city": 404, "other_city": 404},  # no jurisdiction: nothing is in sight
}


def write_expectation(role, target):
    """PATCH with an empty body: 200 where the role may write, 404 out of sight, 403 read-only."""
    read = READ[role][target]
    if read != 200:
        return read
    return 403 if role in ("dept_admin", "dept_user") else 200


def _target(world, name):
    t = world[name]
    if t is None:
        pytest.skip(f"the demo data has no {name} enterprise")
    return t


READ_ENDPOINTS = {
    "GET enterprise": lambda t: f"/api/v1/enterprises/{t['enterprise']['id']}",
    "GET enterprise history": lambda t: f"/api/v1/enterprises/{t['enterprise']['id']}/history",
    "GET enterprise points": lambda t: f"/api/v1/enterprises/{t['enterprise']['id']}/points",
    "GET enterprise projects": lambda t: f"/api/v1/enterprises/{t['enterprise']['id']}/projects",
    "GET project": lambda t: f"/api/v1/projects/{t['project']['id']}",
    "GET project history": lambda t: f"/api/v1/projects/{t['project']['id']}/history",
    "GET point": lambda t: f"/api/v1/points/{t['point']['id']}",
    "GET point history": lambda t: f"/api/v1/points/{t['point']['id']}/history",
}

PATCH_ENDPOINTS = {
    "PATCH enterprise": lambda t: f"/api/v1/enterprises/{t['enterprise']['id']}",
    "PATCH project": lambda t: f"/api/v1/projects/{t['project']['id']}",
    "PATCH point": lambda t: f"/api/v1/points/{t['point']['id']}",
}


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", list(READ_ENDPOINTS))
def test_read_endpoints(as_role, world, endpoint, role, target):
    t = _target(world, target)
    path = READ_ENDPOINTS[endpoint](t)
    r = as_role(role).get(path)
    expected = READ[role][target]
    assert r.status_code == expected, f"{role} {endpoint} on {target}: {r.status_code} {r.text[:300]}"
    if expected == 404:
        assert error_of(r)["code"] == "not_found"
    elif expected == 403:
        assert error_of(r)["code"] == "permission_denied"
    else:
        body = r.json()
        if endpoint in ("GET enterprise", "GET project", "GET point"):
            kind = endpoint.split()[1]
            assert body["id"] == t[kind]["id"]
        elif endpoint.endswith("history"):
            assert isinstance(body["items"], list) and body["items"]
            assert body["items"][-1]["action"] == "create"
        else:
            assert body["total"] >= 1
            assert all(i["enterprise_id"] == t["enterprise"]["id"] for i in body["items"])


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", list(PATCH_ENDPOINTS))
def test_patch_endpoints(as_role, world, endpoint, role, target):
    t = _target(world, target)
    path = PATCH_ENDPOINTS[endpoint](t)
    r = as_role(role).patch(path, json={})  # an empty change: authorised callers get the record back unchanged
    expected = write_expectation(role, target)
    assert r.status_code == expected, f"{role} {endpoint} on {target}: {r.status_code} {r.text[:300]}"
    if expected == 404:
        assert error_of(r)["code"] == "not_found"
    elif expected == 403:
        assert error_of(r)["code"] == "permission_denied"
    else:
        kind = endpoint.split()[1]
        assert r.json()["id"] == t[kind]["id"]


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("role", ROLES)
def test_post_point_jurisdiction(as_role, world, role, target):
    """POST /enterprises/{id}/points with an empty body: 400 (validation) only where the caller may write."""
    t = _target(world, target)
    r = as_role(role).post(f"/api/v1/enterprises/{t['enterprise']['id']}/points", json={})
    expected = write_expectation(role, target)
    if expected == 200:
        expected = 400
    assert r.status_code == expected, f"{role} on {target}: {r.status_code} {r.text[:300]}"
    err = error_of(r)
    if expected == 400:
        assert {"code", "name", "measures", "unit"} <= {d["field"] for d in err["details"]}
    elif expected == 404:
        assert err["code"] == "not_found"
    else:
        assert err["code"] == "permission_denied"


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("role", ROLES)
def test_post_project_jurisdiction(as_role, world, role, target):
    """POST /projects naming an enterprise: out of sight it is 'no such enterprise in your jurisdiction'."""
    t = _target(world, target)
    r = as_role(role).post("/api/v1/projects", json={"enterprise_id": t["enterprise"]["id"]})
    read = READ[role][target]
    err = error_of(r)
    if role in ("operator", "dept_admin", "dept_user"):
        assert r.status_code == 403, r.text
        assert err["code"] == "permission_denied"
    elif read == 404:
        assert r.status_code == 400, r.text
        assert err["details"] == [{"field": "enterprise_id", "reason": "no such enterprise in your jurisdiction"}]
    else:
        assert r.status_code == 400, r.text
        assert {"name", "industry"} <= {d["field"] for d in err["details"]}


def _all(client, path, **params):
    r = client.get(path, params={"page_size": 500, **params})
    assert r.status_code == 200, r.text
    body = r.json()
    assert len(body["items"]) == min(body["total"], 500)
    return body


def _every(client, path, **params):
    """Every item of a list, page by page."""
    items, page = [], 1
    while True:
        r = client.get(path, params={"page_size": 500, "page": page, "sort": "id", **params})
        assert r.status_code == 200, r.text
        body = r.json()
        items += body["items"]
        if len(items) >= body["total"] or not body["items"]:
            assert len(items) == body["total"]
            return items
        page += 1


def test_province_sees_all(server, province):
    assert server.baseline_enterprises["total"] == DEMO_ENTERPRISES
    assert len(server.baseline_enterprises["items"]) == DEMO_ENTERPRISES
    body = _all(province, "/api/v1/enterprises")
    assert body["total"] >= DEMO_ENTERPRISES
    assert body["page"] == 1 and body["page_size"] == 500


@pytest.mark.parametrize("role", ["city", "county"])
def test_official_list_is_its_region(as_role, province, world, role):
    prefix = region_prefix(world[role])
    # Both lists at the same moment, so that other tests' writes cannot skew the comparison.
    everything = _all(province, "/api/v1/enterprises")
    mine = _all(as_role(role), "/api/v1/enterprises")
    expected = [e["id"] for e in everything["items"] if e["region"].startswith(prefix)]
    assert mine["total"] == len(expected)
    assert sorted(e["id"] for e in mine["items"]) == sorted(expected)
    assert all(e["region"].startswith(prefix) for e in mine["items"])
    assert mine["total"] > 0

    all_projects = _every(province, "/api/v1/projects")
    my_projects = _every(as_role(role), "/api/v1/projects")
    assert all(p["region"].startswith(prefix) for p in my_projects)
    assert sorted(p["id"] for p in my_projects) == sorted(p["id"] for p in all_projects
                                                          if p["region"].startswith(prefix))


def test_city_list_excludes_other_cities(as_role, world):
    mine = _all(as_role("city"), "/api/v1/enterprises")
    ids = {e["id"] for e in mine["items"]}
    assert world["other_city"]["enterprise"]["id"] not in ids
    assert world["own"]["enterprise"]["id"] in ids
    if world["same_city"]:
        assert world["same_city"]["enterprise"]["id"] in ids


def test_county_list_excludes_other_counties(as_role, world):
    mine = _all(as_role("county"), "/api/v1/enterprises")
    assert all(e["region"] == world["county"] for e in mine["items"])
    if world["same_city"]:
        assert world["same_city"]["enterprise"]["id"] not in {e["id"] for e in mine["items"]}


def test_enterprise_user_sees_only_itself(as_role, province, world):
    ent = as_role("enterprise")
    own_id = world["own"]["enterprise"]["id"]
    body = _all(ent, "/api/v1/enterprises")
    assert body["total"] == 1
    assert [e["id"] for e in body["items"]] == [own_id]

    projects = _all(ent, "/api/v1/projects")
    expected = _all(province, f"/api/v1/enterprises/{own_id}/projects")
    assert projects["total"] == expected["total"] >= 1
    assert all(p["enterprise_id"] == own_id for p in projects["items"])
    assert sorted(p["id"] for p in projects["items"]) == sorted(p["id"] for p in expected["items"])

    points = _all(ent, f"/api/v1/enterprises/{own_id}/points")
    expected = _all(province, f"/api/v1/enterprises/{own_id}/points")
    assert points["total"] == expected["total"] >= 1
    assert all(p["enterprise_id"] == own_id for p in points["items"])

    # Asking for another enterprise's projects by filter is filtered to nothing, not widened.
    other = world["other_city"]["enterprise"]["id"]
    r = ent.get("/api/v1/projects", params={"enterprise_id": other})
    assert r.status_code == 200
    assert r.json()["total"] == 0 and r.json()["items"] == []


def test_dept_user_reads_everything(as_role, province):
    everything = _all(province, "/api/v1/enterprises")
    body = _all(as_role("dept_user"), "/api/v1/enterprises")
    assert body["total"] == everything["total"]
    assert len(_every(as_role("dept_user"), "/api/v1/projects")) == len(_every(province, "/api/v1/projects"))


@pytest.mark.parametrize("path", ["/api/v1/enterprises", "/api/v1/projects"])
def test_operator_cannot_list_registry(as_role, path):
    r = as_role("operator").get(path)
    assert r.status_code == 403
    assert error_of(r)["code"] == "permission_denied"


@pytest.mark.parametrize("path", ["/api/v1/enterprises", "/api/v1/projects"])
def test_operator_and_dept_cannot_create(as_role, world, path):
    body = {"enterprise_id": world["own"]["enterprise"]["id"]} if path.endswith("projects") else {}
    for role in ("operator", "dept_admin", "dept_user"):
        r = as_role(role).post(path, json=body)
        assert r.status_code == 403, (role, r.text)
        assert error_of(r)["code"] == "permission_denied"


def test_enterprise_user_cannot_register_enterprises(as_role):
    r = as_role("enterprise").post("/api/v1/enterprises", json={})
    assert r.status_code == 403
    assert error_of(r)["code"] == "permission_denied"


def test_city_asking_for_other_city_is_filtered_not_refused(as_role, world):
    for path in ("/api/v1/enterprises", "/api/v1/projects"):
        r = as_role("city").get(path, params={"region": world["other_city_code"]})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["total"] == 0
        assert body["items"] == []
    r = as_role("county").get("/api/v1/enterprises", params={"region": world["other_city_county"]})
    assert r.status_code == 200
    assert r.json()["total"] == 0


def test_region_filter_narrows_within_jurisdiction(as_role, province, world):
    city = as_role("city")
    county_list = _all(city, "/api/v1/enterprises", region=world["county"])
    assert county_list["total"] >= 1
    assert all(e["region"] == world["county"] for e in county_list["items"])
    # A filter wider than the jurisdiction does not widen it.
    wide = _all(as_role("county"), "/api/v1/enterprises", region="370000")
    assert all(e["region"] == world["county"] for e in wide["items"])
    assert wide["total"] == _all(as_role("county"), "/api/v1/enterprises")["total"]
    # The province can filter to the other city.
    other = _all(province, "/api/v1/enterprises", region=world["other_city_code"])
    assert other["total"] >= 1
    assert all(e["region"].startswith(world["other_city_code"][:4]) for e in other["items"])


def test_region_filter_must_be_a_code(province):
    r = province.get("/api/v1/enterprises", params={"region": "abc"})
    assert r.status_code == 400
    assert [d["field"] for d in error_of(r)["details"]] == ["region"]


@pytest.mark.parametrize("path", ["/api/v1/enterprises/0", "/api/v1/enterprises/abc", "/api/v1/projects/-1"])
def test_bad_ids_400(province, path):
    r = province.get(path)
    assert r.status_code == 400
    assert error_of(r)["details"] == [{"field": "id", "reason": "must be a positive integer"}]


@pytest.mark.parametrize("path", ["/api/v1/enterprises/999999", "/api/v1/projects/999999", "/api/v1/points/999999",
                                  "/api/v1/enterprises/999999/points", "/api/v1/points/999999/history"])
def test_missing_records_404(province, path):
    r = province.get(path)
    assert r.status_code == 404
    assert error_of(r)["code"] == "not_found"


@pytest.mark.parametrize("path", ["/api/v1/enterprises", "/api/v1/enterprises/1", "/api/v1/projects",
                                  "/api/v1/points/1", "/api/v1/enterprises/1/points", "/api/v1/projects/1/history"])
def test_registry_needs_login(anon, path):
    r = anon.get(path)
    assert r.status_code == 401
    assert error_of(r)["code"] == "unauthenticated"
