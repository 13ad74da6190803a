"""Holes closed by the access policy and the hardening around it. Each test here failed on the main
branch before the policy: a crash from nested JSON, officials creating or taking over accounts they
must not, login answers that told which names exist, a cross-site form logging a browser in, a small
xlsx that allocated gigabytes; then throttling, proxies, headers, limits and the audit of refusals."""

import contextlib
import io
import json
import pathlib
import re
import signal
import socket
import subprocess
import threading
import time
import zipfile

import pytest
import requests

from conftest import (KILN_BIN, PG_URL, BACKEND, DEMO_PASSWORD, error_of, finish_first_login, make_uscc, sign,
                      unique_name)

FIRST = "First#Pass2026"


def deep(n):
    return "[" * n + "]" * n


# --- The holes -----------------------------------------------------------------------------------

@pytest.mark.parametrize("method,path,body", [
    ("PUT", "/api/v1/enterprises/{own}/reports/monthly/2025-04", '{"content": %s}'),
    ("POST", "/api/v1/reference/factors", '{"energy_type": %s}'),
    ("POST", "/api/v1/reference/lists/disposal_types", '{"name": %s}'),
    ("POST", "/api/v1/users", '{"username": %s}'),
    ("PATCH", "/api/v1/enterprises/{own}", '{"name": %s}'),
])
def test_deeply_nested_json_is_refused_and_the_server_stays_up(server, as_role, world, method, path, body):
    who = as_role("enterprise") if "reports" in path else as_role("province")
    url = path.replace("{own}", str(world["own"]["enterprise"]["id"]))
    payload = (body % deep(200_000)).encode()  # a few hundred KB of '[' crashed the server before
    r = who.request(method, url, data=payload, headers={"Content-Type": "application/json"})
    assert r.status_code == 400, r.text[:300]
    err = error_of(r)
    assert "deeper than 32" in err["message"]
    assert err["details"] == [{"field": "body", "reason": "nesting deeper than 32 levels"}]
    assert server.client().get("/healthz").status_code == 200


def test_deep_json_in_a_department_push_is_refused(server, as_role):
    r = as_role("power_admin").post("/api/v1/department-keys")
    assert r.status_code == 201, r.text
    key = r.json()
    path = "/api/v1/collection-tasks/power_monthly/records"
    body = ('{"rows": %s}' % deep(100_000)).encode()
    r = server.client().post(path, data=body, headers={
        "Authorization": sign(key["key_id"], key["secret"], "POST", path, body), "Content-Type": "application/json"})
    assert r.status_code == 400
    assert "deeper than 8" in error_of(r)["message"]
    assert server.client().get("/healthz").status_code == 200


def test_a_county_creates_no_department_administrator_and_resets_no_peer(server, as_role, make_user):
    county = as_role("county")
    r = county.post("/api/v1/users", json={"username": unique_name("da"), "password": FIRST, "role": "dept_admin",
                                           "department": "ecology", "region": county.user["region"]})
    assert r.status_code == 403, r.text
    assert error_of(r)["details"] == [{"field": "role", "reason": "you cannot create a dept_admin user"}]
    audit = as_role("province").get("/api/v1/audit", params={"action": "user.create", "username": "county"}).json()
    assert any(a["result"] == "permission_denied" for a in audit["items"]), "a refused creation is audited"
    _, _, peer = make_user("county", region=county.user["region"])
    r = county.post(f"/api/v1/users/{peer['id']}/password")
    assert r.status_code == 404, r.text
    r = county.patch(f"/api/v1/users/{peer['id']}", json={"disabled": True})
    assert r.status_code == 404
    assert peer["id"] not in [u["id"] for u in county.get("/api/v1/users").json()["items"]]


def test_the_province_lists_and_administers_department_accounts(province):
    users = {u["username"]: u for u in province.get("/api/v1/users").json()["items"]}
    assert {"dept_admin", "dept_user", "power_admin"} <= set(users), sorted(users)
    assert "province" not in users and "operator" not in users


def test_a_department_administrator_bound_to_a_county_stays_in_its_county(server, province, world):
    county = world["county"]
    admin = unique_name("da")
    r = province.post("/api/v1/users", json={"username": admin, "password": FIRST, "role": "dept_admin",
                                             "department": "ecology", "region": county})
    assert r.status_code == 201, r.text
    finish_first_login(server, admin, FIRST, "County#Admin2026")
    s = server.login(admin, "County#Admin2026")
    # A department user without a region would cover the whole province.
    r = s.post("/api/v1/users", json={"username": unique_name("du"), "password": FIRST, "role": "dept_user",
                                      "region": "370000"})
    assert r.status_code == 403, r.text
    assert error_of(r)["details"] == [{"field": "region", "reason": "outside your jurisdiction"}]
    r = s.post("/api/v1/users", json={"username": unique_name("du"), "password": FIRST, "role": "dept_user",
                                      "permissions": "enterprise.read"})
    assert r.status_code == 201, r.text
    assert r.json()["region"] == county
    # The county-bound administrator sees only its county's records.
    assert s.get(f"/api/v1/enterprises/{world['other_city']['enterprise']['id']}").status_code == 404
    assert s.get(f"/api/v1/enterprises/{world['own']['enterprise']['id']}").status_code == 200


def report_content():
    return {"business": {"gross_output_value": 100, "value_added": 30, "tax": 4, "revenue": 95, "staff": 5,
                         "total_assets": 900},
            "production": [{"product": "水泥熟料", "unit": "t", "output": 1000}],
            "energy": {"electricity": 100000, "comprehensive": 12.29}}


def test_who_reset_a_password_does_not_review_that_accounts_report(server, province, as_role, world, make_user):
    own = world["own"]["enterprise"]
    username = unique_name("filer")
    r = province.post("/api/v1/users", json={"username": username, "password": FIRST, "role": "enterprise",
                                             "enterprise": own["uscc"]})
    assert r.status_code == 201, r.text
    uid = r.json()["id"]
    finish_first_login(server, username, FIRST, "Owner#Pass2026")
    county = as_role("county")
    # The county resets the account, takes the one-time password, must change it, then files.
    r = county.post(f"/api/v1/users/{uid}/password")
    assert r.status_code == 200, r.text
    otp = r.json()["one_time_password"]
    taken = server.login(username, otp)
    assert taken.get(f"/api/v1/enterprises/{own['id']}").status_code == 403
    assert taken.post("/api/v1/me/password", json={"old_password": otp, "new_password": "Taken#Over2026"}).status_code == 200
    r = taken.post(f"/api/v1/enterprises/{own['id']}/reports/monthly/2025-03/submit", json={"content": report_content()})
    assert r.status_code == 200, r.text
    report_id = r.json()["id"]
    r = county.post(f"/api/v1/reports/{report_id}/review", json={"action": "approve"})
    assert r.status_code == 403, r.text
    assert error_of(r)["code"] == "separation_of_duties"
    assert county.get(f"/api/v1/reports/{report_id}").json()["can"]["review"] is True
    # Another official of the same county reviews it.
    other, password, _ = make_user("county", region=county.user["region"])
    r = server.login(other, password).post(f"/api/v1/reports/{report_id}/review", json={"action": "approve"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "county_approved"
    audit = province.get("/api/v1/audit", params={"action": "report.approve", "limit": 50}).json()["items"]
    assert any(a["result"] == "separation_of_duties" and a["target"] == f"reports:{report_id}" for a in audit)


def test_login_answers_alike_for_unknown_names_and_wrong_passwords(server, make_user):
    username, password, _ = make_user("county", region="370102")
    unknown = server.login_response(unique_name("ghost"), "Some#Pass2026")
    wrong = server.login_response(username, "Some#Pass2026")
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json() == {"error": {"code": "unauthenticated", "message": "wrong username or password"}}


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; b=x",
                                          None])
def test_a_cross_site_form_cannot_log_a_browser_in(server, content_type):
    body = json.dumps({"username": "province", "password": DEMO_PASSWORD})
    headers = {"Content-Type": content_type} if content_type else {}
    r = requests.post(server.base_url + "/api/v1/auth/login", data=body.encode(), headers=headers, timeout=10)
    if content_type is None:
        # requests sends no Content-Type for raw bytes: still not JSON.
        assert r.status_code == 415
    else:
        assert r.status_code == 415, r.text
    assert "Set-Cookie" not in r.headers
    err = error_of(r)
    assert err["code"] == "unsupported_media_type"
    assert err["details"] == [{"field": "Content-Type", "reason": "must be application/json"}]


def test_session_writes_need_json_content_type(as_role, world):
    r = as_role("province").patch(f"/api/v1/enterprises/{world['own']['enterprise']['id']}", data=b"{}",
                                  headers={"Content-Type": "text/plain"})
    assert r.status_code == 415


def xlsx_with_cell(ref, text):
    """A minimal xlsx whose first sheet has one inline-string cell at `ref`."""
    files = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                           'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                           '<sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                                      '<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                                    '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>统一社会信用代码</t></is></c></row>'
                                    f'<row r="{re.sub("[A-Z]", "", ref)}"><c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c></row>'
                                    '</sheetData></worksheet>',
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


def upload(client, body, task="power_monthly"):
    return client.post(f"/api/v1/collection-tasks/{task}/uploads", params={"filename": "x.xlsx"}, data=body,
                       headers={"Content-Type": "application/octet-stream"})


def test_a_small_xlsx_with_a_far_away_cell_is_refused_without_allocating(server, as_role):
    body = xlsx_with_cell("XFD1048576", "far")
    assert len(body) < 2000
    r = upload(as_role("power_admin"), body)
    assert r.status_code == 413, r.text
    err = error_of(r)
    assert err["code"] == "payload_too_large"
    assert "beyond row 20001" in err["message"]
    before = len(as_role("power_admin").get("/api/v1/department-uploads").json()["items"])
    assert server.client().get("/healthz").status_code == 200
    assert len(as_role("power_admin").get("/api/v1/department-uploads").json()["items"]) == before, "nothing kept"


def test_a_zip_bomb_is_refused_by_its_inflated_size(as_role):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook><sheets><sheet r:id='x' xmlns:r='r'/></sheets></workbook>")
        z.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData>" + " " * (80 << 20) + "</sheetData></worksheet>")
    body = out.getvalue()
    assert len(body) < 200_000
    r = upload(as_role("power_admin"), body)
    assert r.status_code == 413, r.text
    assert "unpacks to more than" in error_of(r)["message"]


# --- Limits, headers, strict parameters ----------------------------------------------------------

@pytest.mark.parametrize("path,param", [("/api/v1/enterprises", "page"), ("/api/v1/enterprises", "page_size"),
                                        ("/api/v1/reports", "page"), ("/api/v1/completeness", "page_size"),
                                        ("/api/v1/energy", "limit"), ("/api/v1/audit", "limit"),
                                        ("/api/v1/department-uploads", "limit"), ("/api/v1/audit", "before_id")])
@pytest.mark.parametrize("junk", ["abc", "1e3", "5x", "", "-", "99999999999999999999", "0x10", " 5"])
def test_integer_parameters_are_strict(as_role, path, param, junk):
    r = as_role("province").get(path, params={param: junk})
    assert r.status_code == 400, (path, param, junk, r.text[:200])
    assert param in [d["field"] for d in error_of(r)["details"]]


def test_security_headers_on_every_answer(server, anon, as_role):
    for r in (anon.get("/healthz"), anon.get("/api/v1/no-such"), as_role("province").get("/api/v1/me"),
              anon.post("/api/v1/auth/login", json={})):
        assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
        assert r.headers["X-Frame-Options"] == "DENY"
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in r.headers, "plain HTTP without a trusted proxy saying HTTPS"


def test_forwarded_headers_are_ignored_without_a_trusted_proxy(server, province):
    name = unique_name("xff")
    r = requests.post(server.base_url + "/api/v1/auth/login", json={"username": name, "password": "x"},
                      headers={"X-Forwarded-For": "203.0.113.77", "X-Forwarded-Proto": "https"}, timeout=10)
    assert r.status_code == 401
    assert "Strict-Transport-Security" not in r.headers
    audit = province.get("/api/v1/audit", params={"username": name}).json()["items"]
    assert audit and all(a["address"] == "127.0.0.1" for a in audit), audit


def test_spreadsheet_exports_neutralise_formulas(as_role, province, world):
    own = world["own"]["enterprise"]
    r = province.patch(f"/api/v1/enterprises/{own['id']}", json={"address": "=HYPERLINK(\"http://x\",\"y\")"})
    assert r.status_code == 200, r.text
    try:
        r = province.get("/api/v1/enterprises/export", params={"format": "csv", "q": own["uscc"]})
        assert r.status_code == 200
        text = r.content.decode("utf-8-sig")
        assert "'=HYPERLINK" in text
        assert ",=HYPERLINK" not in text
    finally:
        province.patch(f"/api/v1/enterprises/{own['id']}", json={"address": own.get("address")})


def test_refusals_of_existing_records_and_bad_signatures_are_audited(server, as_role, province, world):
    other = world["other_city"]["enterprise"]
    assert as_role("county").get(f"/api/v1/enterprises/{other['id']}").status_code == 404
    denied = province.get("/api/v1/audit", params={"action": "access.denied", "username": "county"}).json()["items"]
    assert any(a["target"] == f"enterprises:{other['id']}" and a["result"] == "not_found" for a in denied)
    # A missing record is no refusal and leaves no entry.
    assert as_role("county").get("/api/v1/enterprises/999999999").status_code == 404
    denied = province.get("/api/v1/audit", params={"action": "access.denied", "username": "county"}).json()["items"]
    assert not any(a["target"] == "enterprises:999999999" for a in denied)
    body = b'{"readings": []}'
    r = server.client().post("/api/v1/readings", data=body, headers={
        "Authorization": sign("MK-nope", "0" * 64, "POST", "/api/v1/readings", body), "Content-Type": "application/json"})
    assert r.status_code == 401
    failed = province.get("/api/v1/audit", params={"action": "machine.auth_failed"}).json()["items"]
    assert any(a["result"] == "unknown_key" for a in failed)


# --- A server of its own: throttling, proxies, monitoring, caps -----------------------------------

@contextlib.contextmanager
def own_server(tmp_path, config):
    data = tmp_path / "data"
    cfg = tmp_path / "kiln.toml"
    cfg.write_text(config)
    log_path = tmp_path / "server.log"
    user = subprocess.run([KILN_BIN, "admin", "create-user", "--data", str(data), "--config", str(cfg),
                           "--username", "boss", "--password", FIRST, "--role", "province", "--region", "370000"],
                          capture_output=True, text=True, timeout=120)
    assert user.returncode == 0, user.stderr
    log = open(log_path, "wb")
    proc = subprocess.Popen([KILN_BIN, "serve", "--listen", "127.0.0.1:0", "--data", str(data), "--config", str(cfg)],
                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        base = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and base is None:
            m = re.search(r"Kiln listening on (http://127\.0\.0\.1:\d+)", log_path.read_text(errors="replace"))
            base = m.group(1) if m else None
            assert proc.poll() is None, log_path.read_text(errors="replace")
            time.sleep(0.1)
        assert base, log_path.read_text(errors="replace")
        yield base
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def login(base, username, password, **headers):
    return requests.post(base + "/api/v1/auth/login", json={"username": username, "password": password},
                         headers=headers, timeout=30)


def test_failed_logins_are_throttled_per_address_and_globally(tmp_path):
    config = ("[server]\ntrusted_proxies = [\"127.0.0.1\"]\n[security]\npbkdf2_iterations = 1000\n"
              "login_failures_per_address = 3\nlogin_failures_global = 5\n")
    with own_server(tmp_path, config) as base:
        a = {"X-Forwarded-For": "198.51.100.1"}
        for _ in range(3):
            assert login(base, "boss", "Wrong#Pass1", **a).status_code == 401
        r = login(base, "boss", FIRST, **a)
        assert r.status_code == 429, r.text
        assert r.headers["Retry-After"] == "1"
        assert error_of(r)["code"] == "too_many_attempts"
        # Another client behind the same proxy is not throttled by the first one's failures.
        b = {"X-Forwarded-For": "198.51.100.2"}
        assert login(base, "boss", FIRST, **b).status_code == 200
        for _ in range(2):
            assert login(base, "boss", "Wrong#Pass1", **b).status_code == 401
        # Five failures in all: the whole server refuses logins for the window.
        r = login(base, "boss", FIRST, **{"X-Forwarded-For": "198.51.100.3"})
        assert r.status_code == 429
        assert "on this server" in error_of(r)["message"]


def test_a_login_flood_answers_503_instead_of_taking_every_thread(tmp_path):
    config = ("[security]\npbkdf2_iterations = 1500000\nlogin_hashing_slots = 1\nlogin_hashing_waiters = 0\n"
              "login_failures_per_address = 1000\nlogin_failures_global = 1000\n")
    with own_server(tmp_path, config) as base:
        results = []

        def attempt():
            results.append(login(base, "boss", "Wrong#Pass1").status_code)

        threads = [threading.Thread(target=attempt) for _ in range(4)]
        for t in threads:
            t.start()
        # The API still answers while logins hash.
        time.sleep(0.05)
        assert requests.get(base + "/healthz", timeout=5).status_code == 200
        for t in threads:
            t.join()
        assert 503 in results and 401 in results, results


def test_a_trusted_proxy_decides_address_https_and_monitoring(tmp_path):
    config = "[server]\ntrusted_proxies = [\"127.0.0.1\"]\n[security]\npbkdf2_iterations = 1000\n"
    with own_server(tmp_path, config) as base:
        # Loopback reads /metrics by default; a client forwarded from elsewhere does not.
        assert requests.get(base + "/metrics", timeout=5).status_code == 200
        assert requests.get(base + "/metrics", headers={"X-Forwarded-For": "203.0.113.5"}, timeout=5).status_code == 401
        r = login(base, "boss", FIRST, **{"X-Forwarded-For": "203.0.113.5", "X-Forwarded-Proto": "https"})
        assert r.status_code == 200, r.text
        assert r.json()["user"]["must_change_password"] is True, "kiln admin create-user sets a one-time password"
        assert "Secure" in r.headers["Set-Cookie"]
        assert r.headers["Strict-Transport-Security"].startswith("max-age=")
        s = requests.Session()
        s.cookies.set("kiln_session", r.cookies["kiln_session"])
        s.headers["X-CSRF-Token"] = r.json()["csrf_token"]
        assert s.post(base + "/api/v1/me/password", json={"old_password": FIRST, "new_password": "Boss#Chosen2026"},
                      timeout=10).status_code == 200
        audit = s.get(base + "/api/v1/audit", params={"action": "auth.login", "username": "boss"}, timeout=10).json()
        assert audit["items"][0]["address"] == "203.0.113.5"


def test_connections_over_the_cap_are_refused(tmp_path):
    config = "[server]\nmax_connections = 3\nthreads = 2\n[security]\npbkdf2_iterations = 1000\n"
    with own_server(tmp_path, config) as base:
        host, port = base.removeprefix("http://").split(":")
        held = [socket.create_connection((host, int(port)), timeout=5) for _ in range(3)]
        time.sleep(0.2)
        extra = socket.create_connection((host, int(port)), timeout=5)
        extra.settimeout(5)
        answer = extra.recv(4096).decode(errors="replace")
        assert answer.startswith("HTTP/1.1 503"), answer
        assert "too many connections" in answer
        for s in held + [extra]:
            s.close()
        time.sleep(0.2)
        assert requests.get(base + "/healthz", timeout=5).status_code == 200
