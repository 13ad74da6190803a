"""Department data (R-IN3): collection tasks, templates, xlsx/csv uploads with preview, matching by credit code
then name, resolution of unmatched rows, all-or-nothing commit, the original file, machine pushes signed with a
department key, and the records in the enterprise file."""

import csv
import io
import json

import openpyxl
import pytest

from conftest import finish_first_login, error_of, make_uscc, post_readings, sign, unique_name

PERIOD = "2026-09"


@pytest.fixture(scope="module")
def power_admin(make_user, login):
    username, password, _ = make_user(role="dept_admin", department="power", region="370000")
    return login(username, password)


@pytest.fixture(scope="module")
def enterprises(server):
    items = server.baseline_enterprises["items"]
    return items[0], items[1], items[2]


def csv_bytes(rows, header=("统一社会信用代码", "企业名称", "期间", "用电量（kWh）", "最大需量（kW）")):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue().encode()


def xlsx_bytes(rows, header=("统一社会信用代码", "企业名称", "期间", "用电量（kWh）", "最大需量（kW）")):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client, body, filename="power.csv", task="power_monthly"):
    return client.post(f"/api/v1/collection-tasks/{task}/uploads", params={"filename": filename}, data=body,
                       headers={"Content-Type": "application/octet-stream"})


def records_of(client, enterprise_id, task="power_monthly"):
    r = client.get(f"/api/v1/enterprises/{enterprise_id}/department-records", params={"task": task})
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    return {rec["period"]: rec for group in items for rec in group["records"]}


def test_seed_tasks_listed_and_departments_see_their_own(province, as_role, power_admin):
    r = province.get("/api/v1/collection-tasks")
    assert r.status_code == 200, r.text
    codes = {t["code"] for t in r.json()["items"]}
    assert {"tax_monthly", "power_monthly", "water_monthly", "energy_monthly", "statistics_monthly",
            "ecology_daily", "industry_yearly", "market_monthly"} <= codes
    power = next(t for t in r.json()["items"] if t["code"] == "power_monthly")
    assert power["department_name"] == "电力公司" and power["frequency"] == "monthly"
    assert [f["key"] for f in power["fields"]] == ["electricity", "max_demand"]

    mine = power_admin.get("/api/v1/collection-tasks").json()["items"]
    assert {t["department"] for t in mine} == {"power"}
    eco = as_role("dept_admin").get("/api/v1/collection-tasks").json()["items"]
    assert {t["department"] for t in eco} == {"ecology"}
    assert as_role("dept_admin").get("/api/v1/collection-tasks/power_monthly").status_code == 404


def test_templates_in_xlsx_and_csv(power_admin):
    r = power_admin.get("/api/v1/collection-tasks/power_monthly/template")
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["数据", "填写说明"]
    header = [c.value for c in wb["数据"][1]]
    assert header == ["统一社会信用代码", "企业名称", "期间", "用电量（kWh）", "最大需量（kW）"]
    r = power_admin.get("/api/v1/collection-tasks/power_monthly/template", params={"format": "csv"})
    assert r.status_code == 200
    assert r.content.startswith(b"\xef\xbb\xbf")
    assert r.content.decode("utf-8-sig").splitlines()[0] == "统一社会信用代码,企业名称,期间,用电量（kWh）,最大需量（kW）"
    assert power_admin.get("/api/v1/collection-tasks/power_monthly/template",
                           params={"format": "pdf"}).status_code == 400


def test_csv_upload_matches_by_code_then_name_and_commits(power_admin, province, enterprises):
    a, b, _ = enterprises
    body = csv_bytes([[a["uscc"], "", PERIOD, "123456.5", "800"],
                      ["", b["name"], "2026年9月", "1,000", ""]])
    r = upload(power_admin, body)
    assert r.status_code == 201, r.text
    up = r.json()
    assert up["status"] == "preview" and up["row_count"] == 2
    assert up["error_count"] == 0 and up["unmatched_count"] == 0
    rows = {row["row"]: row for row in up["rows"]}
    assert rows[2]["enterprise_id"] == a["id"] and rows[2]["matched_by"] == "credit_code"
    assert rows[3]["enterprise_id"] == b["id"] and rows[3]["matched_by"] == "name"
    assert rows[3]["period"] == PERIOD and rows[3]["values"]["electricity"] == 1000
    assert rows[2]["values"] == {"electricity": 123456.5, "max_demand": 800}

    # Nothing is stored before the commit.
    assert PERIOD not in records_of(province, a["id"])
    r = power_admin.post(f"/api/v1/department-uploads/{up['id']}/commit")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "committed"
    rec = records_of(province, a["id"])[PERIOD]
    assert rec["values"]["electricity"] == 123456.5 and rec["upload_id"] == up["id"] and rec["row"] == 2

    # The original file is kept byte for byte.
    r = power_admin.get(f"/api/v1/department-uploads/{up['id']}/original")
    assert r.status_code == 200 and r.content == body
    # A committed upload cannot be committed or changed again.
    assert power_admin.post(f"/api/v1/department-uploads/{up['id']}/commit").status_code == 409
    listed = power_admin.get("/api/v1/department-uploads").json()["items"]
    assert any(u["id"] == up["id"] and u["status"] == "committed" for u in listed)


def test_xlsx_with_bad_row_and_unmatched_enterprise_is_all_or_nothing(power_admin, province, enterprises):
    a, b, c = enterprises
    stranger = make_uscc("370102")
    body = xlsx_bytes([[a["uscc"], a["name"], "2026-08", 5000, 10],
                       [b["uscc"], b["name"], "2026-08", "五千", 10],
                       [stranger, "不存在的企业", "2026-08", 7000, None],
                       [c["uscc"], c["name"], "2026-13", 100, None]])
    r = upload(power_admin, body, "power.xlsx")
    assert r.status_code == 201, r.text
    up = r.json()
    assert up["format"] == "xlsx"
    assert up["error_count"] == 2 and up["unmatched_count"] == 1
    rows = {row["row"]: row for row in up["rows"]}
    assert rows[3]["errors"] == [{"column": "D", "field": "electricity", "message": "用电量应为数字，收到“五千”"}]
    assert rows[4]["errors"] == [] and rows[4]["enterprise_id"] is None
    assert rows[5]["errors"][0]["column"] == "C" and "2026-13" in rows[5]["errors"][0]["message"]

    r = power_admin.post(f"/api/v1/department-uploads/{up['id']}/commit")
    assert r.status_code == 409
    details = {d["field"]: d["reason"] for d in error_of(r)["details"]}
    assert details["rows[3]"].startswith("列 D：") and details["rows[4]"] == "未匹配到企业"
    assert "2026-08" not in records_of(province, a["id"])  # the good row was not stored either

    # Resolve the unmatched row by hand; the bad rows still block the commit.
    r = power_admin.post(f"/api/v1/department-uploads/{up['id']}/rows/4/resolve", json={"enterprise_id": c["id"]})
    assert r.status_code == 200, r.text
    assert r.json()["unmatched_count"] == 0
    row4 = next(x for x in r.json()["rows"] if x["row"] == 4)
    assert row4["matched_by"] == "manual" and row4["enterprise_name"] == c["name"]
    assert power_admin.post(f"/api/v1/department-uploads/{up['id']}/commit").status_code == 409
    # An enterprise id outside the jurisdiction or unknown is refused.
    r = power_admin.post(f"/api/v1/department-uploads/{up['id']}/rows/4/resolve", json={"enterprise_id": 999999})
    assert r.status_code == 400 and error_of(r)["details"][0]["field"] == "enterprise_id"
    assert power_admin.post(f"/api/v1/department-uploads/{up['id']}/discard").status_code == 200
    assert power_admin.post(f"/api/v1/department-uploads/{up['id']}/commit").status_code == 409

    # The corrected file commits; a later delivery for the same period supersedes the earlier record.
    fixed = xlsx_bytes([[a["uscc"], a["name"], "2026-08", 5000, 10], [b["uscc"], b["name"], "2026-08", 5200, 10]])
    up2 = upload(power_admin, fixed, "power-fixed.xlsx").json()
    assert up2["error_count"] == 0 and up2["unmatched_count"] == 0
    assert power_admin.post(f"/api/v1/department-uploads/{up2['id']}/commit").status_code == 200
    again = xlsx_bytes([[a["uscc"], a["name"], "2026-08", 5100, 10]])
    up3 = upload(power_admin, again, "power-again.xlsx").json()
    assert power_admin.post(f"/api/v1/department-uploads/{up3['id']}/commit").status_code == 200
    assert records_of(province, a["id"])["2026-08"]["values"]["electricity"] == 5100
    assert records_of(province, b["id"])["2026-08"]["values"]["electricity"] == 5200


def test_gb18030_csv_and_duplicate_rows(power_admin, enterprises):
    a, _, _ = enterprises
    text = "统一社会信用代码,企业名称,期间,用电量,最大需量\r\n" + f"{a['uscc']},,2026-07,10,\r\n{a['uscc']},,2026/7,11,\r\n"
    r = upload(power_admin, text.encode("gb18030"))
    assert r.status_code == 201, r.text
    rows = r.json()["rows"]
    assert rows[0]["errors"] == [] and rows[0]["values"]["electricity"] == 10
    assert rows[1]["errors"][0]["message"] == "与第 2 行是同一企业同一期间"


def test_unreadable_files_and_wrong_headers_are_refused(power_admin):
    r = upload(power_admin, b"PK\x03\x04not really a zip", "broken.xlsx")
    assert r.status_code == 400
    assert error_of(r)["details"][0]["field"] == "file"
    r = upload(power_admin, csv_bytes([["x", "y", "1"]], header=("统一社会信用代码", "企业名称", "用电量")))
    assert r.status_code == 400
    reasons = {d["field"]: d["reason"] for d in error_of(r)["details"]}
    assert reasons["period"] == "缺少“期间”列"
    r = upload(power_admin, csv_bytes([], header=("统一社会信用代码", "期间")))
    assert r.status_code == 400 and error_of(r)["details"][0]["reason"] == "缺少必填列“用电量”"
    r = upload(power_admin, b"")
    assert r.status_code == 400
    r = upload(power_admin, b'"unterminated,1\r\n')
    assert r.status_code == 400 and "quoted" in error_of(r)["details"][0]["reason"]


def test_who_may_upload(server, as_role, make_user, login, enterprises):
    a, _, _ = enterprises
    body = csv_bytes([[a["uscc"], "", "2026-06", 1, ""]])
    for role in ("enterprise", "county", "province"):
        assert upload(as_role(role), body).status_code == 403, role
    # Another department cannot see, let alone fill, the power company's task.
    assert upload(as_role("dept_admin"), body).status_code == 404
    # A department user uploads only once granted department.upload.
    admin_user, admin_pw, _ = make_user(role="dept_admin", department="power", region="370000")
    admin = login(admin_user, admin_pw)
    username = unique_name("pu")
    r = admin.post("/api/v1/users", json={"username": username, "password": "First#Pass123", "role": "dept_user",
                                          "permissions": "enterprise.read"})
    assert r.status_code == 201, r.text
    finish_first_login(server, username, "First#Pass123", "Test#Pass123")
    user = login(username, "Test#Pass123")
    assert upload(user, body).status_code == 403
    assert admin.patch(f"/api/v1/users/{r.json()['id']}",
                       json={"permissions": "enterprise.read,department.upload"}).status_code == 200
    user = login(username, "Test#Pass123")
    assert upload(user, body).status_code == 201


def test_city_department_matches_only_its_city(make_user, login, world):
    username, password, _ = make_user(role="dept_admin", department="power", region=world["city"])
    city_dept = login(username, password)
    other = world["other_city"]["enterprise"]
    own = world["own"]["enterprise"]
    up = upload(city_dept, csv_bytes([[other["uscc"], other["name"], "2026-06", 1, ""],
                                      [own["uscc"], "", "2026-06", 2, ""]])).json()
    rows = {r["row"]: r for r in up["rows"]}
    assert rows[2]["enterprise_id"] is None  # outside the city: not matched, and not revealed
    assert rows[3]["enterprise_id"] == own["id"]
    r = city_dept.post(f"/api/v1/department-uploads/{up['id']}/rows/2/resolve", json={"enterprise_id": other["id"]})
    assert r.status_code == 400
    r = city_dept.post(f"/api/v1/department-uploads/{up['id']}/rows/2/resolve", json={"skip": True})
    assert r.status_code == 200 and r.json()["unmatched_count"] == 0
    assert city_dept.post(f"/api/v1/department-uploads/{up['id']}/commit").status_code == 200
    # The province department's uploads are not this one's to see.
    assert city_dept.get(f"/api/v1/department-uploads/{up['id'] - 1}").status_code in (404,)


def push(client, key, task, payload):
    path = f"/api/v1/collection-tasks/{task}/records"
    body = json.dumps(payload).encode()
    return client.post(path, data=body, headers={"Authorization": sign(key["key_id"], key["secret"], "POST", path, body),
                                                  "Content-Type": "application/json"})


def test_machine_push_with_department_key(power_admin, province, anon, enterprises, world):
    a, b, c = enterprises
    r = power_admin.post("/api/v1/department-keys")
    assert r.status_code == 201, r.text
    key = r.json()
    assert key["key_id"].startswith("DK") and key["department"] == "power"
    assert any(k["key_id"] == key["key_id"] for k in power_admin.get("/api/v1/department-keys").json()["items"])

    rows = [{"credit_code": a["uscc"], "period": "2026-05", "values": {"electricity": 100}},
            {"name": b["name"], "period": "2026-05", "values": {"electricity": 200, "max_demand": 5}}]
    r = push(anon, key, "power_monthly", {"rows": rows})
    assert r.status_code == 200, r.text
    assert r.json()["accepted"] == 2 and r.json()["status"] == "committed"
    assert records_of(province, b["id"])["2026-05"]["values"] == {"electricity": 200, "max_demand": 5}

    # One bad row refuses the whole request and names it.
    bad = rows + [{"credit_code": c["uscc"], "period": "2026-05", "values": {"electricity": -1}}]
    r = push(anon, key, "power_monthly", {"rows": bad})
    assert r.status_code == 400
    assert error_of(r)["details"][0]["field"] == "rows[2].electricity"
    assert "2026-05" not in records_of(province, c["id"])

    # A full sync replaces the period: b, absent from it, drops out.
    r = push(anon, key, "power_monthly", {"sync": "full", "rows": rows[:1]})
    assert r.status_code == 200, r.text
    assert "2026-05" not in records_of(province, b["id"])
    assert "2026-05" in records_of(province, a["id"])

    # Keys are kept to their purpose.
    assert push(anon, key, "tax_monthly", {"rows": rows}).status_code == 404
    ent_key = province.post(f"/api/v1/enterprises/{a['id']}/keys").json()
    assert push(anon, ent_key, "power_monthly", {"rows": rows}).status_code == 403
    r = post_readings(anon, key, [{"point": "P-0001", "ts": "2026-11-22T10:15:00+08:00", "v": 1}])
    assert r.status_code == 403
    assert power_admin.post(f"/api/v1/department-keys/{key['key_id']}/revoke").status_code == 200
    assert push(anon, key, "power_monthly", {"rows": rows}).status_code == 401


def test_tasks_are_versioned_and_edited_by_their_department(power_admin, province, as_role, enterprises):
    task = power_admin.get("/api/v1/collection-tasks/power_monthly").json()
    assert task["can_edit"] and task["can_upload"]
    fields = task["fields"] + [{"key": "peak_share", "label": "峰段电量占比", "unit": "%", "type": "number",
                                "min": 0, "max": 100}]
    body = {"name": task["name"], "frequency": "monthly", "fields": fields, "department": "power"}
    # Another department does not even see the task.
    assert as_role("dept_admin").put("/api/v1/collection-tasks/power_monthly", json=body).status_code == 404
    bad = dict(body, fields=fields + [{"key": "peak_share", "label": "重复", "type": "number"}])
    r = power_admin.put("/api/v1/collection-tasks/power_monthly", json=bad)
    assert r.status_code == 400 and error_of(r)["details"][0]["field"] == "fields[3].key"
    r = power_admin.put("/api/v1/collection-tasks/power_monthly", json=body)
    assert r.status_code == 200, r.text
    assert r.json()["version"] == task["version"] + 1
    after = province.get("/api/v1/collection-tasks/power_monthly").json()
    assert [h["version"] for h in after["history"]] == list(range(1, after["version"] + 1))
    a, _, _ = enterprises
    up = upload(power_admin, csv_bytes([[a["uscc"], "", "2026-04", 1, "", "150"]],
                                       header=("统一社会信用代码", "企业名称", "期间", "用电量", "最大需量", "峰段电量占比"))).json()
    assert up["task_version"] == after["version"]
    assert up["rows"][0]["errors"][0] == {"column": "F", "field": "peak_share", "message": "峰段电量占比不能大于 100%，收到 150"}
    # The province may create a task for any department.
    r = province.post("/api/v1/collection-tasks", json={"code": unique_name("t").replace("-", "_").lower(),
                                                        "department": "water", "name": "中水回用", "frequency": "quarterly",
                                                        "fields": [{"key": "reuse", "label": "中水量", "unit": "m³"}]})
    assert r.status_code == 201, r.text
    assert r.json()["version"] == 1


def test_admin_cli_issues_department_keys(tmp_path):
    import subprocess
    from conftest import KILN_BIN
    store = ["--data", str(tmp_path / "data")]
    subprocess.run([KILN_BIN, "admin", "migrate", *store], check=True, capture_output=True)
    subprocess.run([KILN_BIN, "admin", "load-reference", *store], check=True, capture_output=True)
    r = subprocess.run([KILN_BIN, "admin", "issue-key", *store, "--department", "tax", "--region", "370100"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    key = json.loads(r.stdout)
    assert key["key_id"].startswith("DK") and len(key["secret"]) == 64
    assert key["department"] == "tax" and key["region"] == "370100"
    r = subprocess.run([KILN_BIN, "admin", "issue-key", *store, "--department", "nope", "--region", "370100"],
                       capture_output=True, text=True)
    assert r.returncode != 0 and "no department nope" in r.stderr
    r = subprocess.run([KILN_BIN, "admin", "issue-key", *store, "--department", "tax", "--region", "37"],
                       capture_output=True, text=True)
    assert r.returncode != 0 and "--region" in r.stderr
