"""Malformed input against every write endpoint and upload: broken JSON, deep nesting, wrong types,
unknown keys, wrong content types, huge numbers, overlong strings, invalid credit codes,
out-of-range dates, truncated gzip, oversized and zip-bomb workbooks, GB18030 and BOM CSVs, formula
cells. Every case answers 4xx with the error shape naming what is wrong; the server stays up; and a
valid batch sent afterwards is accepted in full."""

import gzip
import io
import json
import zipfile

import pytest

from conftest import error_of, finish_first_login, make_uscc, sign, unique_name

BROKEN_JSON = {
    "empty": b"",
    "open-brace": b"{",
    "missing-value": b'{"a":}',
    "open-array": b"[1,2",
    "bare-word": b"nul",
    "trailing-comma": b'{"a":1,}',
    "single-quotes": b"{'a': 1}",
    "control-char": b'{"a": "x\x01y"}',
    "bad-utf8": b'{"a": "\xff\xfe"}',
    "leading-zero": b'{"a": 01}',
    "nan": b'{"a": NaN}',
    "infinity": b'{"a": Infinity}',
    "trailing-garbage": b"{} x",
    "huge-exponent": b'{"a": 1e400}',
    "double-colon": b'{"a"::1}',
}

DEPTHS = {"depth-33": 33, "depth-1000": 1000, "depth-100000": 100_000}

# (name, method, path, caller): the JSON write endpoints with a session. {own}, {report}, {upload},
# {user} are filled in by the fixture.
SESSION_ENDPOINTS = [
    ("create-enterprise", "POST", "/api/v1/enterprises", "province"),
    ("patch-enterprise", "PATCH", "/api/v1/enterprises/{own}", "province"),
    ("create-project", "POST", "/api/v1/projects", "province"),
    ("patch-project", "PATCH", "/api/v1/projects/{project}", "province"),
    ("create-point", "POST", "/api/v1/enterprises/{own}/points", "province"),
    ("patch-point", "PATCH", "/api/v1/points/{point}", "province"),
    ("create-user", "POST", "/api/v1/users", "province"),
    ("patch-user", "PATCH", "/api/v1/users/{user}", "province"),
    ("reset-password", "POST", "/api/v1/users/{user}/password", "province"),
    ("change-password", "POST", "/api/v1/me/password", "county"),
    ("login", "POST", "/api/v1/auth/login", None),
    ("save-report", "PUT", "/api/v1/enterprises/{own}/reports/monthly/2025-05", "enterprise"),
    ("submit-report", "POST", "/api/v1/enterprises/{own}/reports/monthly/2025-05/submit", "enterprise"),
    ("review-report", "POST", "/api/v1/reports/{report}/review", "county"),
    ("add-factor", "POST", "/api/v1/reference/factors", "province"),
    ("add-co2-factor", "POST", "/api/v1/reference/co2-factors", "province"),
    ("add-level", "POST", "/api/v1/reference/efficiency-levels", "province"),
    ("add-list-item", "POST", "/api/v1/reference/lists/disposal_types", "province"),
    ("create-task", "POST", "/api/v1/collection-tasks", "power_admin"),
    ("update-task", "PUT", "/api/v1/collection-tasks/power_monthly", "power_admin"),
    ("resolve-row", "POST", "/api/v1/department-uploads/{upload}/rows/2/resolve", "power_admin"),
    ("issue-department-key", "POST", "/api/v1/department-keys", "province"),
]
SIGNED_ENDPOINTS = [
    ("readings", "/api/v1/readings", "key"),
    ("department-push", "/api/v1/collection-tasks/power_monthly/records", "dept_key"),
]


@pytest.fixture(scope="module")
def m(server, as_role, province, world):
    own = world["own"]
    w = {"own": own["enterprise"]["id"], "project": own["project"]["id"], "point": own["point"]["id"],
         "point_code": own["point"]["code"]}
    username = unique_name("mal")
    r = province.post("/api/v1/users", json={"username": username, "password": "First#Pass2026",
                                             "role": "enterprise", "enterprise": own["enterprise"]["uscc"]})
    assert r.status_code == 201, r.text
    w["user"] = r.json()["id"]
    r = as_role("enterprise").put(f"/api/v1/enterprises/{w['own']}/reports/monthly/2025-06", json={"content": {}})
    assert r.status_code == 200, r.text
    w["report"] = r.json()["id"]
    power = as_role("power_admin")
    header = power.get("/api/v1/collection-tasks/power_monthly/template", params={"format": "csv"}).content
    header = header.decode("utf-8-sig").splitlines()[0]
    r = power.post("/api/v1/collection-tasks/power_monthly/uploads", params={"filename": "m.csv"},
                   data=(header + "\r\n").encode(), headers={"Content-Type": "application/octet-stream"})
    assert r.status_code in (201, 400), r.text
    if r.status_code == 201:
        w["upload"] = r.json()["id"]
    else:
        w["upload"] = 999_999_999
    w["csv_header"] = header
    r = province.post(f"/api/v1/enterprises/{w['own']}/keys")
    assert r.status_code == 201
    w["key"] = r.json()
    r = power.post("/api/v1/department-keys")
    assert r.status_code == 201
    w["dept_key"] = r.json()
    w["uscc"] = own["enterprise"]["uscc"]
    return w


def fill(path, w):
    for k in ("own", "project", "point", "user", "report", "upload"):
        path = path.replace("{" + k + "}", str(w[k]))
    return path


def send_session(server, as_role, m, method, path, caller, body, content_type="application/json"):
    client = as_role(caller) if caller else server.client()
    headers = {"Content-Type": content_type} if content_type else {}
    return client.request(method, fill(path, m), data=body, headers=headers)


def send_signed(server, m, path, who, body, content_type="application/json", encoding=None):
    key = m[who]
    headers = {"Authorization": sign(key["key_id"], key["secret"], "POST", path, body)}
    if content_type:
        headers["Content-Type"] = content_type
    if encoding:
        headers["Content-Encoding"] = encoding
    return server.client().post(path, data=body, headers=headers)


def assert_refused(r, server, *, statuses=(400,), field=None, text=None):
    assert r.status_code in statuses, f"{r.status_code} {r.text[:300]}"
    err = error_of(r)
    if field is not None:
        assert field in [d["field"] for d in err.get("details", [])], err
    if text is not None:
        assert text in err["message"] or any(text in d["reason"] for d in err.get("details", [])), err
    assert server.client().get("/healthz").status_code == 200


# --- JSON syntax and nesting, every endpoint -------------------------------------------------------

@pytest.mark.parametrize("case", list(BROKEN_JSON))
@pytest.mark.parametrize("name,method,path,caller", SESSION_ENDPOINTS, ids=[e[0] for e in SESSION_ENDPOINTS])
def test_broken_json(server, as_role, m, name, method, path, caller, case):
    body = BROKEN_JSON[case]
    r = send_session(server, as_role, m, method, path, caller, body)
    if case == "empty" and name == "reset-password":
        # A reset takes no body: the call itself goes through.
        assert r.status_code == 200, r.text
        return
    if case == "empty" and name == "issue-department-key":
        assert_refused(r, server, field="department")  # the province must name the department
        return
    assert_refused(r, server, field="body" if case != "empty" or name != "login" else "body")


@pytest.mark.parametrize("case", list(DEPTHS))
@pytest.mark.parametrize("name,method,path,caller", SESSION_ENDPOINTS, ids=[e[0] for e in SESSION_ENDPOINTS])
def test_deep_nesting(server, as_role, m, name, method, path, caller, case):
    n = DEPTHS[case]
    body = ('{"x": ' + "[" * n + "]" * n + "}").encode()
    r = send_session(server, as_role, m, method, path, caller, body)
    assert_refused(r, server, field="body", text="deeper than 32")


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "text/html", None])
@pytest.mark.parametrize("name,method,path,caller", SESSION_ENDPOINTS, ids=[e[0] for e in SESSION_ENDPOINTS])
def test_wrong_content_type(server, as_role, m, name, method, path, caller, content_type):
    r = send_session(server, as_role, m, method, path, caller, b"{}", content_type=content_type)
    assert_refused(r, server, statuses=(415,), field="Content-Type")


@pytest.mark.parametrize("name,method,path,caller", SESSION_ENDPOINTS, ids=[e[0] for e in SESSION_ENDPOINTS])
def test_body_over_the_json_limit(server, as_role, m, name, method, path, caller):
    body = b'{"x": "' + b"a" * (1024 * 1024 + 10) + b'"}'
    r = send_session(server, as_role, m, method, path, caller, body)
    assert_refused(r, server, statuses=(413,), text="the limit is 1048576 bytes")


@pytest.mark.parametrize("name,method,path,caller",
                         [e for e in SESSION_ENDPOINTS if e[0] not in ("reset-password", "issue-department-key")],
                         ids=[e[0] for e in SESSION_ENDPOINTS if e[0] not in ("reset-password", "issue-department-key")])
def test_not_an_object(server, as_role, m, name, method, path, caller):
    for body in (b"[]", b"1", b'"text"', b"null", b"true"):
        r = send_session(server, as_role, m, method, path, caller, body)
        assert_refused(r, server, statuses=(400,))


# --- Signed endpoints ------------------------------------------------------------------------------

@pytest.mark.parametrize("case", list(BROKEN_JSON) + list(DEPTHS))
@pytest.mark.parametrize("name,path,who", SIGNED_ENDPOINTS, ids=[e[0] for e in SIGNED_ENDPOINTS])
def test_signed_broken_bodies(server, m, name, path, who, case):
    body = BROKEN_JSON.get(case)
    if body is None:
        n = DEPTHS[case]
        body = ('{"readings": ' + "[" * n + "]" * n + "}").encode()
    r = send_signed(server, m, path, who, body)
    assert_refused(r, server, statuses=(400, 413))


@pytest.mark.parametrize("name,path,who", SIGNED_ENDPOINTS, ids=[e[0] for e in SIGNED_ENDPOINTS])
def test_signed_wrong_content_type(server, m, name, path, who):
    r = send_signed(server, m, path, who, b"{}", content_type="text/plain")
    assert_refused(r, server, statuses=(415,), field="Content-Type")


def test_unknown_fields_in_meter_batches(server, m):
    body = json.dumps({"readings": [], "extra": 1}).encode()
    r = send_signed(server, m, "/api/v1/readings", "key", body)
    assert_refused(r, server, statuses=(400,), field="extra")
    rows = [{"point": m["point_code"], "ts": "2026-01-04T00:00:00+08:00", "v": 1, "unit": "kWh"},
            {"point": m["point_code"], "start": "2026-01-04T01:00:00+08:00", "step_s": 300, "values": [1]}]
    r = send_signed(server, m, "/api/v1/readings", "key", json.dumps({"readings": rows}).encode())
    assert r.status_code == 200, r.text
    rejected = r.json()["rejected"]
    assert [x["index"] for x in rejected] == [0, 1]
    assert all(x["code"] == "invalid_row" and "unknown field" in x["message"] for x in rejected), rejected


def test_truncated_and_corrupt_gzip(server, m):
    batch = json.dumps({"readings": [{"point": m["point_code"], "ts": "2026-01-02T00:00:00+08:00", "v": 1}]}).encode()
    whole = gzip.compress(batch)
    for body, why in ((whole[: len(whole) // 2], "truncated"), (b"\x1f\x8b" + b"\x00" * 30, "corrupt"),
                      (b"not gzip at all", "not gzip")):
        r = send_signed(server, m, "/api/v1/readings", "key", body, encoding="gzip")
        assert_refused(r, server, statuses=(400,)), why
    r = send_signed(server, m, "/api/v1/readings", "key", batch, encoding="br")
    assert_refused(r, server, statuses=(400,), field="Content-Encoding")


def test_gzip_bomb_is_refused_by_its_inflated_size(server, m):
    bomb = gzip.compress(b'{"readings": [' + b" " * (80 << 20) + b"]}", compresslevel=9)
    assert len(bomb) < 200_000
    r = send_signed(server, m, "/api/v1/readings", "key", bomb, encoding="gzip")
    assert_refused(r, server, statuses=(413,))


# --- Fields: wrong types, unknown keys, huge numbers, overlong strings, codes, dates ----------------

FIELD_CASES = [
    # (id, method, path, caller, body, field)
    ("enterprise-uscc-invalid", "POST", "/api/v1/enterprises", "province",
     {"uscc": "91370102MA0000000X", "name": "x", "region": "370102", "industry": "C3011", "status": "running"}, "uscc"),
    ("enterprise-uscc-short", "POST", "/api/v1/enterprises", "province", {"uscc": "123"}, "uscc"),
    ("enterprise-name-type", "PATCH", "/api/v1/enterprises/{own}", "province", {"name": 12}, "name"),
    ("enterprise-name-overlong", "PATCH", "/api/v1/enterprises/{own}", "province", {"name": "企" * 20000}, "name"),
    ("enterprise-unknown-key", "PATCH", "/api/v1/enterprises/{own}", "province", {"colour": "red"}, "colour"),
    ("enterprise-capital-huge", "PATCH", "/api/v1/enterprises/{own}", "province", {"registered_capital": 1e300},
     "registered_capital"),
    ("enterprise-region-bad", "PATCH", "/api/v1/enterprises/{own}", "province", {"region": "999999"}, "region"),
    ("enterprise-lat-range", "PATCH", "/api/v1/enterprises/{own}", "province", {"lat": 200}, "lat"),
    ("project-state-bad", "PATCH", "/api/v1/projects/{project}", "province", {"state": "exploding"}, "state"),
    ("project-unknown-key", "PATCH", "/api/v1/projects/{project}", "province", {"x": 1}, "x"),
    ("point-interval-type", "PATCH", "/api/v1/points/{point}", "province", {"interval_s": "often"}, "interval_s"),
    ("point-interval-negative", "PATCH", "/api/v1/points/{point}", "province", {"interval_s": -5}, "interval_s"),
    ("user-username-type", "POST", "/api/v1/users", "province", {"username": 5}, "username"),
    ("user-role-unknown", "POST", "/api/v1/users", "province",
     {"username": "u_x1", "password": "First#Pass2026", "role": "emperor"}, "role"),
    ("user-weak-password", "POST", "/api/v1/users", "province",
     {"username": "u_x2", "password": "weak", "role": "county", "region": "370102"}, "password"),
    ("user-region-level", "POST", "/api/v1/users", "province",
     {"username": "u_x3", "password": "First#Pass2026", "role": "county", "region": "370100"}, "region"),
    ("user-enterprise-uscc", "POST", "/api/v1/users", "province",
     {"username": "u_x4", "password": "First#Pass2026", "role": "enterprise", "enterprise": "nonsense"}, "enterprise"),
    ("user-unknown-key", "POST", "/api/v1/users", "province", {"admin": True}, "admin"),
    ("user-overlong", "POST", "/api/v1/users", "province", {"display_name": "x" * 300}, "display_name"),
    ("patch-user-disabled-type", "PATCH", "/api/v1/users/{user}", "province", {"disabled": "yes"}, "disabled"),
    ("patch-user-grant", "PATCH", "/api/v1/users/{user}", "province", {"permissions": "enterprise.read"}, "permissions"),
    ("reset-chosen-password", "POST", "/api/v1/users/{user}/password", "province", {"password": "Mine#2026pw"},
     "password"),
    ("login-unknown-key", "POST", "/api/v1/auth/login", None, {"username": "a", "password": "b", "otp": "1"}, "otp"),
    ("login-overlong", "POST", "/api/v1/auth/login", None, {"username": "a" * 2000, "password": "b"}, "username"),
    ("password-type", "POST", "/api/v1/me/password", "county", {"old_password": 1, "new_password": 2}, "old_password"),
    ("report-content-type", "PUT", "/api/v1/enterprises/{own}/reports/monthly/2025-05", "enterprise",
     {"content": []}, "content"),
    ("report-unknown-section", "PUT", "/api/v1/enterprises/{own}/reports/monthly/2025-05", "enterprise",
     {"content": {"secret": {}}}, "secret"),
    ("report-unknown-item-key", "PUT", "/api/v1/enterprises/{own}/reports/monthly/2025-05", "enterprise",
     {"content": {"production": [{"product": "p", "owner": "me"}]}}, "production[0].owner"),
    ("report-negative", "PUT", "/api/v1/enterprises/{own}/reports/monthly/2025-05", "enterprise",
     {"content": {"energy": {"electricity": -1}}}, "energy.electricity"),
    ("report-huge", "PUT", "/api/v1/enterprises/{own}/reports/monthly/2025-05", "enterprise",
     {"content": {"energy": {"electricity": 1e300}}}, "energy.electricity"),
    ("report-string-number", "PUT", "/api/v1/enterprises/{own}/reports/monthly/2025-05", "enterprise",
     {"content": {"business": {"staff": "many"}}}, "business.staff"),
    ("report-fraction-staff", "PUT", "/api/v1/enterprises/{own}/reports/monthly/2025-05", "enterprise",
     {"content": {"business": {"staff": 2.5}}}, "business.staff"),
    ("report-unknown-body-key", "PUT", "/api/v1/enterprises/{own}/reports/monthly/2025-05", "enterprise",
     {"content": {}, "approve": True}, "approve"),
    ("report-bad-period", "PUT", "/api/v1/enterprises/{own}/reports/monthly/2025-13", "enterprise",
     {"content": {}}, "period"),
    ("report-bad-kind", "PUT", "/api/v1/enterprises/{own}/reports/weekly/2025-05", "enterprise",
     {"content": {}}, "kind"),
    ("report-old-period", "PUT", "/api/v1/enterprises/{own}/reports/monthly/1999-01", "enterprise",
     {"content": {}}, "period"),
    ("report-overlong-explanation", "PUT", "/api/v1/enterprises/{own}/reports/monthly/2025-05", "enterprise",
     {"content": {}, "explanation": "x" * 3000}, "explanation"),
    ("review-action", "POST", "/api/v1/reports/{report}/review", "county", {"action": "maybe"}, "action"),
    ("review-unknown-key", "POST", "/api/v1/reports/{report}/review", "county", {"action": "approve", "x": 1}, "x"),
    ("factor-date", "POST", "/api/v1/reference/factors", "province",
     {"energy_type": "raw_coal", "variant": "", "valid_from": "2026-13-01", "status": "verified", "source": "s",
      "kgce_per_unit": 714.3}, "valid_from"),
    ("factor-type", "POST", "/api/v1/reference/factors", "province", {"kgce_per_unit": "lots"}, "kgce_per_unit"),
    ("factor-unknown-key", "POST", "/api/v1/reference/factors", "province", {"unit": "t"}, "unit"),
    ("co2-year-type", "POST", "/api/v1/reference/co2-factors", "province", {"year": "2026"}, "year"),
    ("co2-year-huge", "POST", "/api/v1/reference/co2-factors", "province", {"year": 10**12}, "year"),
    ("level-numbers", "POST", "/api/v1/reference/efficiency-levels", "province", {"advanced": None}, "advanced"),
    ("list-code", "POST", "/api/v1/reference/lists/disposal_types", "province",
     {"code": "1bad code", "name": "n", "status": "verified", "source": "s"}, "code"),
    ("list-active-type", "POST", "/api/v1/reference/lists/disposal_types", "province", {"active": "yes"}, "active"),
    ("task-unknown-key", "POST", "/api/v1/collection-tasks", "power_admin", {"owner": "me"}, "owner"),
    ("task-field-unknown-key", "PUT", "/api/v1/collection-tasks/power_monthly", "power_admin",
     {"name": "n", "frequency": "monthly", "fields": [{"key": "a", "label": "b", "type": "number", "x": 1}]},
     "fields[0].x"),
    ("task-frequency", "PUT", "/api/v1/collection-tasks/power_monthly", "power_admin",
     {"name": "n", "frequency": "hourly", "fields": [{"key": "a", "label": "b", "type": "number"}]}, "frequency"),
    ("resolve-types", "POST", "/api/v1/department-uploads/{upload}/rows/2/resolve", "power_admin",
     {"skip": "yes"}, "skip"),
    ("department-key-type", "POST", "/api/v1/department-keys", "province", {"department": 7}, "department"),
    ("department-key-unknown", "POST", "/api/v1/department-keys", "province", {"department": "nope"}, "department"),
]


@pytest.mark.parametrize("case", FIELD_CASES, ids=[c[0] for c in FIELD_CASES])
def test_fields_are_named(server, as_role, m, case):
    _, method, path, caller, body, field = case
    r = send_session(server, as_role, m, method, path, caller, json.dumps(body).encode())
    assert_refused(r, server, statuses=(400,), field=field)


# --- Uploads -----------------------------------------------------------------------------------------

def upload(as_role, body, task="power_monthly"):
    return as_role("power_admin").post(f"/api/v1/collection-tasks/{task}/uploads", params={"filename": "f"}, data=body,
                                       headers={"Content-Type": "application/octet-stream"})


def test_gb18030_and_bom_csv_are_read(as_role, m):
    header = m["csv_header"]
    row = f"{m['uscc']},,2025-11,1000,"
    for encoding, prefix in (("gb18030", b""), ("utf-8", b"\xef\xbb\xbf")):
        body = prefix + (header + "\r\n" + row + "\r\n").encode(encoding)
        r = upload(as_role, body)
        assert r.status_code == 201, (encoding, r.text)
        assert r.json()["row_count"] == 1
        assert as_role("power_admin").post(f"/api/v1/department-uploads/{r.json()['id']}/discard").status_code == 200


def test_formula_cells_are_data_not_formulas(as_role, m):
    header = m["csv_header"]
    body = (header + "\r\n" + f"{m['uscc']},,2025-11,=1+1,\r\n").encode()
    r = upload(as_role, body)
    assert r.status_code == 201, r.text
    row = r.json()["rows"][0]
    assert row["errors"], "a formula where a number belongs is an error on that cell"
    assert as_role("power_admin").post(f"/api/v1/department-uploads/{r.json()['id']}/discard").status_code == 200


@pytest.mark.parametrize("case", ["garbage", "zip-not-xlsx", "oversized", "too-many-rows", "too-many-columns",
                                  "unterminated-quote", "binary"])
def test_bad_files(server, as_role, m, case):
    header = m["csv_header"]
    if case == "garbage":
        body, statuses = b"PK\x03\x04" + b"\x00" * 100, (400,)
    elif case == "zip-not-xlsx":
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("readme.txt", "hello")
        body, statuses = out.getvalue(), (400,)
    elif case == "oversized":
        body, statuses = b"a" * (9 * 1024 * 1024), (413,)
    elif case == "too-many-rows":
        body, statuses = (header + "\r\n" + "x,,2025-11,1,\r\n" * 20_001).encode(), (400, 413)
    elif case == "too-many-columns":
        body, statuses = (header + "," * 400 + "\r\n").encode(), (413,)
    elif case == "unterminated-quote":
        body, statuses = (header + '\r\n"open,1\r\n').encode(), (400,)
    else:
        body, statuses = bytes(range(256)) * 10, (400,)
    try:
        r = upload(as_role, body)
    except Exception:  # the server may close a 9 MiB upload before it is sent
        assert case == "oversized"
        return
    assert_refused(r, server, statuses=statuses)


# --- Afterwards ----------------------------------------------------------------------------------------

def test_a_valid_batch_after_all_of_it_is_accepted_in_full(server, m):
    rows = [{"point": m["point_code"], "ts": f"2026-01-03T0{h}:00:00+08:00", "v": 100 + h} for h in range(6)]
    body = json.dumps({"readings": rows}).encode()
    r = send_signed(server, m, "/api/v1/readings", "key", body)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["accepted"] + out.get("duplicates", 0) + out.get("revised", 0) == 6, out
    assert out["rejected"] == [] or out.get("rejected", 0) == 0, out
