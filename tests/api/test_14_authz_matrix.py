"""The authorization matrix (authz_matrix.tsv): every route x caller x target answers as written.

The table is written by hand; this file only builds the callers, the targets and a harmless
request per row, sends it and compares the status. It also fails when a route of the OpenAPI
document has no row, and when the server serves a route the OpenAPI document lacks.
"""

import csv
import io
import json
import os
import pathlib
import re
import subprocess
import tempfile

import pytest

from conftest import (DEMO_PASSWORD, KILN_BIN, REPO, finish_first_login, make_uscc, region_prefix, sign,
                      unique_name, wait_for_warnings)

HERE = pathlib.Path(__file__).parent
CALLERS = ["P", "Ci", "Co", "DA", "DU", "DG", "PW", "E", "Op", "An", "Ki", "Ko", "Dk", "Rk"]
DEMO_LOGINS = {"P": "province", "Ci": "city", "Co": "county", "DA": "dept_admin", "DG": "dept_user",
               "PW": "power_admin", "E": "enterprise", "Op": "operator"}
KEY_CALLERS = {"Ki", "Ko", "Dk", "Rk"}
MISSING_ID = 999_999_999


def load_matrix():
    rows = []
    for line in (HERE / "authz_matrix.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        assert len(cells) == 3 + len(CALLERS), f"malformed matrix row: {line!r}"
        method, path, target = cells[:3]
        rows.append((method, path, target, dict(zip(CALLERS, (int(c) for c in cells[3:])))))
    return rows


MATRIX = load_matrix()


def openapi_operations():
    doc = json.loads((REPO / "docs" / "openapi.json").read_text(encoding="utf-8"))
    ops = set()
    for path, item in doc["paths"].items():
        for method in ("get", "post", "put", "patch", "delete"):
            if method in item:
                ops.add((method.upper(), path))
    return ops


def test_every_documented_route_has_a_row_and_the_server_serves_exactly_those():
    documented = openapi_operations()
    in_matrix = {(m, p) for m, p, _, _ in MATRIX}
    assert documented - in_matrix == set(), "routes of docs/openapi.json without a row in authz_matrix.tsv"
    assert in_matrix - documented == set(), "matrix rows for routes docs/openapi.json does not have"
    with tempfile.TemporaryDirectory() as data:
        out = subprocess.run([KILN_BIN, "serve", "--data", data, "--print-routes"], capture_output=True, text=True,
                             timeout=120, stdin=subprocess.DEVNULL)
    assert out.returncode == 0, out.stderr
    served = set()
    for line in out.stdout.splitlines():
        if not re.match(r"^(GET|POST|PUT|PATCH|DELETE) /", line):
            continue  # the server's own log lines
        method, path, access = line.split()
        assert access in ("public", "session", "session-any-state", "signed", "monitoring"), line
        served.add((method, path))
    assert served - documented == set(), "the server serves routes docs/openapi.json lacks"
    assert documented - served == set(), "docs/openapi.json documents routes the server does not serve"


@pytest.fixture(scope="module")
def matrix_world(server, as_role, province, world, make_user):
    """Callers, keys and targets for the matrix, built through the API."""
    own_e, other_e = world["own"]["enterprise"], world["other_city"]["enterprise"]
    w = {"own": world["own"], "other": world["other_city"]}
    w["sessions"] = {c: as_role(login) for c, login in DEMO_LOGINS.items()}
    w["passwords"] = {c: DEMO_PASSWORD for c in DEMO_LOGINS}
    w["logins"] = dict(DEMO_LOGINS)
    # A department user without grants.
    du = unique_name("du")
    r = province.post("/api/v1/users", json={"username": du, "password": "First#Pass2026", "role": "dept_user",
                                             "department": "ecology"})
    assert r.status_code == 201, r.text
    finish_first_login(server, du, "First#Pass2026", "Matrix#Pass2026")
    w["sessions"]["DU"] = server.login(du, "Matrix#Pass2026")
    w["logins"]["DU"], w["passwords"]["DU"] = du, "Matrix#Pass2026"

    def issue(enterprise_id):
        r = province.post(f"/api/v1/enterprises/{enterprise_id}/keys")
        assert r.status_code == 201, r.text
        return r.json()

    w["keys"] = {"Ki": issue(own_e["id"]), "Ko": issue(other_e["id"]), "Rk": issue(own_e["id"])}
    revoked_other = issue(other_e["id"])
    for key, enterprise in ((w["keys"]["Rk"], own_e), (revoked_other, other_e)):
        r = province.post(f"/api/v1/enterprises/{enterprise['id']}/keys/{key['key_id']}/revoke")
        assert r.status_code == 200, r.text
    w["revoked_key"] = {"own": w["keys"]["Rk"]["key_id"], "other": revoked_other["key_id"], "none": "MK-none"}
    power, ecology = w["sessions"]["PW"], w["sessions"]["DA"]
    r = power.post("/api/v1/department-keys")
    assert r.status_code == 201, r.text
    w["keys"]["Dk"] = r.json()
    revoked_dept = {}
    for name, session in (("own", power), ("other", ecology)):
        r = session.post("/api/v1/department-keys")
        assert r.status_code == 201, r.text
        key_id = r.json()["key_id"]
        assert session.post(f"/api/v1/department-keys/{key_id}/revoke").status_code == 200
        revoked_dept[name] = key_id
    revoked_dept["none"] = "DK-none"
    w["revoked_dept_key"] = revoked_dept

    # Enterprise users of both enterprises, each with a draft report.
    w["users"], w["reports"] = {}, {}
    for name, enterprise in (("own", own_e), ("other", other_e)):
        username = unique_name("eu")
        r = province.post("/api/v1/users", json={"username": username, "password": "First#Pass2026",
                                                 "role": "enterprise", "enterprise": enterprise["uscc"]})
        assert r.status_code == 201, r.text
        w["users"][name] = r.json()["id"]
        finish_first_login(server, username, "First#Pass2026", "Matrix#Pass2026")
        filler = server.login(username, "Matrix#Pass2026")
        r = filler.put(f"/api/v1/enterprises/{enterprise['id']}/reports/monthly/2025-02",
                       json={"content": {"energy": {"electricity": 10}}})
        assert r.status_code == 200, r.text
        w["reports"][name] = r.json()["id"]
    w["users"]["none"] = MISSING_ID
    w["reports"]["none"] = MISSING_ID

    # A discarded upload of each department.
    w["uploads"] = {"none": MISSING_ID}
    for name, session, task in (("own", power, "power_monthly"), ("other", ecology, "ecology_daily")):
        template = session.get(f"/api/v1/collection-tasks/{task}/template", params={"format": "csv"})
        assert template.status_code == 200, template.text
        header = template.content.decode("utf-8-sig").splitlines()[0]
        body = (header + "\r\n" + own_e["uscc"] + ",,2026-01" + "," * (header.count(",") - 2) + "\r\n").encode()
        r = session.post(f"/api/v1/collection-tasks/{task}/uploads", params={"filename": "m.csv"}, data=body,
                         headers={"Content-Type": "application/octet-stream"})
        assert r.status_code == 201, r.text
        upload_id = r.json()["id"]
        assert session.post(f"/api/v1/department-uploads/{upload_id}/discard").status_code == 200
        w["uploads"][name] = upload_id

    # A closed warning about each enterprise's point (calibration overdue): acknowledging or closing
    # it again answers 409 to whoever may handle it.
    w["warnings"] = {"none": MISSING_ID}
    for name in ("own", "other"):
        point = w[name]["point"]
        r = province.patch(f"/api/v1/points/{point['id']}",
                           json={"calibrated_on": "2019-01-01", "calibration_due": "2020-01-01"})
        assert r.status_code == 200, r.text
        found = wait_for_warnings(province, rule="calibration_overdue", point=point["id"])
        assert found, f"no calibration warning for point {point['id']}"
        r = province.post(f"/api/v1/warnings/{found[0]['id']}/close", json={"note": "authorization matrix"})
        assert r.status_code == 200, r.text
        w["warnings"][name] = found[0]["id"]
    # An open list exit proposal about each enterprise, filed by its county and awaiting its city.
    w["reviews"] = {"none": MISSING_ID}
    other_county, password, _ = make_user(role="county", region=world["other_city_county"])
    w["attachments"] = {"none": "0" * 64}
    for name, county in (("own", w["sessions"]["Co"]), ("other", server.login(other_county, password))):
        enterprise = w[name]["enterprise"]
        r = county.post("/api/v1/attachments", params={"filename": f"{name}.pdf"},
                        data=f"%PDF-1.4 authorization matrix {name}".encode(),
                        headers={"Content-Type": "application/octet-stream"})
        assert r.status_code == 201, r.text
        w["attachments"][name] = r.json()["id"]
        r = county.post(f"/api/v1/enterprises/{enterprise['id']}/list-proposals",
                        json={"change": "exit", "reason": "authorization matrix",
                              "attachments": [w["attachments"][name]]})
        assert r.status_code == 201, r.text
        w["reviews"][name] = r.json()["id"]
    # An open violation on each enterprise's project, not yet rectified (the demo may have marked one).
    w["violations"] = {"none": MISSING_ID}
    for name in ("own", "other"):
        project = w[name]["project"]
        r = province.get("/api/v1/violations", params={"project": project["id"], "open": "true"})
        assert r.status_code == 200, r.text
        found = r.json()["items"]
        if not found:
            r = province.post(f"/api/v1/projects/{project['id']}/violations", json={
                "violation_type": "built_without_approval", "disposal_type": "rectify_by_deadline",
                "measures": "authorization matrix", "deadline": "2099-12-31", "responsible_unit": "matrix"})
            assert r.status_code == 201, r.text
            found = [r.json()]
        w["violations"][name] = found[0]["id"]
    # An upgrade plan of each enterprise (the demo may have filed one), on a project below the benchmark.
    w["upgrade_plans"] = {"none": MISSING_ID}
    for name in ("own", "other"):
        enterprise = w[name]["enterprise"]
        r = province.get("/api/v1/upgrade-plans", params={"enterprise": enterprise["id"]})
        assert r.status_code == 200, r.text
        found = r.json()["items"]
        if not found:
            if name == "own":
                filer = w["sessions"]["E"]
            else:
                username, password, _ = make_user(role="enterprise", enterprise=enterprise["uscc"])
                filer = server.login(username, password)
            r = province.post("/api/v1/projects", json={
                "enterprise_id": enterprise["id"], "name": unique_name("改造矩阵项目"), "industry": "C3011",
                "state": "existing", "product": "水泥熟料", "capacity": 10, "capacity_unit": "万吨/年",
                "efficiency_value": 130, "efficiency_unit": "kgce/t"})
            assert r.status_code == 201, r.text
            r = filer.post(f"/api/v1/enterprises/{enterprise['id']}/upgrade-plans", json={
                "projects": [{"project_id": r.json()["id"], "target_level": "benchmark", "expected_saving_tce": 1}],
                "measures": "authorization matrix", "investment": 1, "completion_due": "2099-12-31"})
            assert r.status_code == 201, r.text
            found = [r.json()]
        w["upgrade_plans"][name] = found[0]["id"]
    # An inspection plan of each enterprise's city, a task for each enterprise and a finding of its visit.
    w["inspection_plans"], w["inspection_tasks"], w["inspection_findings"] = ({"none": MISSING_ID} for _ in range(3))
    for name in ("own", "other"):
        enterprise = w[name]["enterprise"]
        r = province.post("/api/v1/inspection-plans", json={
            "kind": "four_in", "title": f"matrix {name}", "region": enterprise["region"][:4] + "00",
            "starts_on": "2026-01-01", "ends_on": "2026-12-31", "focus": "authorization matrix",
            "teams": [{"name": "matrix", "leader": "matrix", "members": "matrix"}]})
        assert r.status_code == 201, r.text
        plan_id = r.json()["id"]
        w["inspection_plans"][name] = plan_id
        r = province.post(f"/api/v1/inspection-plans/{plan_id}/tasks",
                          json={"enterprise_id": enterprise["id"], "reason": "authorization matrix"})
        assert r.status_code == 201, r.text
        task_id = r.json()["items"][0]["id"]
        w["inspection_tasks"][name] = task_id
        r = province.post(f"/api/v1/inspection-tasks/{task_id}/visit", json={
            "visited_on": "2026-02-01", "summary": "matrix",
            "findings": [{"category": "other", "description": "matrix", "requirement": "matrix",
                          "deadline": "2099-12-31"}]})
        assert r.status_code == 200, r.text
        w["inspection_findings"][name] = r.json()["findings"][0]["id"]
    # A resident supervisor of a steel enterprise in each enterprise's county, appointed by its county.
    w["supervisors"] = {"none": MISSING_ID}
    for name, session in (("own", w["sessions"]["Co"]), ("other", server.login(other_county, password))):
        county_code = w[name]["enterprise"]["region"]
        r = province.post("/api/v1/enterprises", json={
            "uscc": make_uscc(county_code), "name": unique_name("矩阵钢铁"), "region": county_code, "industry": "C31",
            "address": "矩阵路1号", "lng": 117.0, "lat": 36.6, "phone": "0531-7654300", "staff": 800})
        assert r.status_code == 201, r.text
        r = session.post(f"/api/v1/enterprises/{r.json()['id']}/resident-supervisors", json={
            "name": "矩阵监管员", "unit": "县工信局", "phone": "13800000000", "appointed_on": "2026-01-05"})
        assert r.status_code == 201, r.text
        w["supervisors"][name] = r.json()["id"]
    # A process unit of each enterprise's project (the demo gives every project its units).
    w["equipment"] = {"none": MISSING_ID}
    for name in ("own", "other"):
        r = province.get(f"/api/v1/projects/{w[name]['project']['id']}/equipment")
        assert r.status_code == 200 and r.json()["items"], r.text
        w["equipment"][name] = r.json()["items"][0]["id"]
    return w


def target_ids(w, target):
    """The ids a path's parameters take for a target."""
    if target == "none":
        return {"enterprise": MISSING_ID, "project": MISSING_ID, "point": MISSING_ID}
    t = w[target]
    return {"enterprise": t["enterprise"]["id"], "project": t["project"]["id"], "point": t["point"]["id"]}


def build_request(w, method, path, target, caller):
    """(concrete path, query, JSON body or bytes, extra headers) for a harmless call of the row."""
    ids = target_ids(w, target) if target in ("own", "other", "none") else {}
    query, body = {}, None
    concrete = path
    if path.startswith("/api/v1/enterprises/{id}"):
        concrete = concrete.replace("{id}", str(ids.get("enterprise", MISSING_ID)))
    elif path.startswith("/api/v1/projects/{id}") or path.startswith("/api/v1/accounting/projects/{id}"):
        concrete = concrete.replace("{id}", str(ids["project"]))
    elif path.startswith("/api/v1/points/{id}"):
        concrete = concrete.replace("{id}", str(ids["point"]))
    elif path.startswith("/api/v1/accounting/enterprises/{id}"):
        concrete = concrete.replace("{id}", str(ids["enterprise"]))
    elif path.startswith("/api/v1/users/{id}"):
        concrete = concrete.replace("{id}", str(w["users"][target]))
    elif path.startswith("/api/v1/reports/{id}"):
        concrete = concrete.replace("{id}", str(w["reports"][target]))
    elif path.startswith("/api/v1/department-uploads/{id}"):
        concrete = concrete.replace("{id}", str(w["uploads"][target])).replace("{row}", "2")
    elif path.startswith("/api/v1/collection-tasks/{code}"):
        concrete = concrete.replace("{code}", {"own": "power_monthly", "other": "ecology_daily",
                                               "none": "no_such_task"}[target])
    elif path.startswith("/api/v1/reference/lists/{list}"):
        concrete = concrete.replace("{list}", {"own": "disposal_types", "none": "no_such_list"}[target])
    elif path.startswith("/api/v1/warnings/{id}"):
        concrete = concrete.replace("{id}", str(w["warnings"][target]))
    elif path.startswith("/api/v1/reviews/{id}"):
        concrete = concrete.replace("{id}", str(w["reviews"][target]))
    elif path.startswith("/api/v1/equipment/{id}"):
        concrete = concrete.replace("{id}", str(w["equipment"][target]))
    elif path.startswith("/api/v1/resident-supervisors/{id}"):
        concrete = concrete.replace("{id}", str(w["supervisors"][target]))
    elif path.startswith("/api/v1/inspection-plans/{id}"):
        concrete = concrete.replace("{id}", str(w["inspection_plans"][target]))
    elif path.startswith("/api/v1/inspection-tasks/{id}"):
        concrete = concrete.replace("{id}", str(w["inspection_tasks"][target]))
    elif path.startswith("/api/v1/inspection-findings/{id}"):
        concrete = concrete.replace("{id}", str(w["inspection_findings"][target]))
    elif path.startswith("/api/v1/upgrade-plans/{id}"):
        concrete = concrete.replace("{id}", str(w["upgrade_plans"][target]))
    elif path.startswith("/api/v1/violations/{id}"):
        concrete = concrete.replace("{id}", str(w["violations"][target]))
    elif path.startswith("/api/v1/attachments/{id}"):
        concrete = concrete.replace("{id}", w["attachments"][target])
    elif path.startswith("/api/v1/department-keys/{key_id}"):
        concrete = concrete.replace("{key_id}", w["revoked_dept_key"][target])
    concrete = concrete.replace("{key_id}", w["revoked_key"].get(target, "MK-none"))
    concrete = concrete.replace("{kind}", "monthly").replace("{period}", "2025-02")

    if path.startswith("/api/v1/accounting"):
        query["period"] = "2026-01"
    if path == "/api/v1/department-keys":
        department = {"own": "power", "other": "ecology"}[target]
        if method == "GET":
            query["department"] = department
        else:
            body = {"department": department}
    if method in ("POST", "PUT", "PATCH") and body is None:
        if path == "/api/v1/auth/login":
            body = {"username": unique_name("nobody"), "password": "Wrong#Pass999"}
        elif path.endswith("/reports/{kind}/{period}") or path.endswith("/submit"):
            body = {"content": {}}
        elif path.endswith("/review"):
            body = {"action": "approve"}
        elif path.endswith("/decision"):
            body = {"action": "return"}  # without the reason a return needs: 400 for the one level that may
        elif path.endswith("/resolve"):
            body = {"skip": True}
        elif path == "/api/v1/users/{id}":
            body = {"disabled": False}
        elif path == "/api/v1/users":
            enterprise = w[target]["enterprise"]
            body = {"username": unique_name("mx"), "password": "First#Pass2026", "role": "enterprise",
                    "enterprise": enterprise["uscc"]}
        elif path == "/api/v1/readings":
            code = w["own"]["point"]["code"]
            body = {"readings": [{"point": code, "ts": "2026-01-01T00:00:00+08:00", "v": 1}]}
        elif path.endswith("/uploads") or path == "/api/v1/attachments":
            body = b""
        elif path.endswith(("/logout", "/keys", "/revoke", "/commit", "/discard")) or path == "/api/v1/users/{id}/password":
            body = None  # these take no body
        else:
            body = {}
    return concrete, query, body


def send(server, w, caller, method, concrete, query, body):
    headers = {}
    data = None
    if isinstance(body, bytes):
        data = body
        headers["Content-Type"] = "application/octet-stream"
    elif body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if caller in KEY_CALLERS:
        key = w["keys"][caller]
        client = server.client()
        headers["Authorization"] = sign(key["key_id"], key["secret"], method, concrete, data or b"")
    elif caller == "An":
        client = server.client()
    elif concrete == "/api/v1/auth/logout":
        client = server.login(w["logins"][caller], w["passwords"][caller])  # never the shared session
    else:
        client = w["sessions"][caller]
    return client.request(method, concrete, params=query, data=data, headers=headers)


@pytest.mark.parametrize("method,path,target,expected", [pytest.param(*row, id=f"{row[0]} {row[1]} {row[2]}")
                                                         for row in MATRIX])
def test_matrix_row(server, matrix_world, method, path, target, expected):
    concrete, query, body = build_request(matrix_world, method, path, target, None)
    wrong = []
    bodies_404 = set()
    for caller in CALLERS:
        if method == "POST" and path == "/api/v1/users":
            concrete, query, body = build_request(matrix_world, method, path, target, caller)
        r = send(server, matrix_world, caller, method, concrete, query, body)
        if r.status_code != expected[caller]:
            wrong.append(f"{caller}: {r.status_code} (expected {expected[caller]}) {r.text[:160]}")
        if r.status_code == 404 and caller not in KEY_CALLERS and caller != "An":
            bodies_404.add(r.text)
    assert not wrong, f"{method} {concrete} ({target}):\n  " + "\n  ".join(wrong)
    if target in ("other", "none") and "{" in path:
        # Out of scope and nonexistent answer alike: one body per route and target kind.
        assert len(bodies_404) <= 1, bodies_404


@pytest.mark.parametrize("path", ["/api/v1/enterprises/{id}", "/api/v1/projects/{id}", "/api/v1/points/{id}",
                                  "/api/v1/reports/{id}", "/api/v1/department-uploads/{id}"])
def test_out_of_scope_looks_exactly_like_missing(server, matrix_world, path):
    """The county's 404 for another city's record has the same body as for an id that does not exist."""
    county = matrix_world["sessions"]["Co"] if "department-uploads" not in path else matrix_world["sessions"]["PW"]
    other, _, _ = build_request(matrix_world, "GET", path, "other", "Co")
    none, _, _ = build_request(matrix_world, "GET", path, "none", "Co")
    a, b = county.get(other), county.get(none)
    assert a.status_code == b.status_code == 404
    # The bodies differ only in the id they name.
    other_id, none_id = other.rsplit("/", 1)[1], none.rsplit("/", 1)[1]
    assert a.text.replace(other_id, "N") == b.text.replace(none_id, "N")
