"""Energy-efficiency upgrade plans (一企一策): an enterprise's plan for its projects below the benchmark level,
reviewed county → city → province with a return between, progress and completion, and the acceptance the
county files with the saving measured before and after, approved by the city and the province.

A fresh cement enterprise in a county of its own has one existing clinker project declared at 125 kgce/t
(benchmark 117, advanced 100). The departments deliver its months: the statistics office 10 000 t of clinker
a month, the power company its electricity. Electricity counts for dual control at 0.1229 kgce/kWh, so

    baseline (the 12 months before the plan was adopted)  10 170 870.6 kWh a month = 125 kgce/t
    after (the 4 full months since the works were done)    8 950 366.1 kWh a month = 110 kgce/t
    measured saving  (125 − 110) kgce/t × 10 000 t × 12 months / 1000 = 1 800 tce a year
"""

import datetime as dt
import json
import pathlib
import sys
import time

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).parents[1] / "scenarios"))
from scenario_runner import own_county  # noqa: E402
from conftest import error_of, make_uscc, sign, unique_name, wait_for_warnings
from test_22_reviews import PDF, decide, upload

CST = dt.timezone(dt.timedelta(hours=8))
KGCE_PER_KWH = 0.1229
OUTPUT_T = 10000


def month_shift(date, months):
    index = date.year * 12 + date.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def kwh_for(kgce_per_t):
    return round(kgce_per_t * OUTPUT_T / KGCE_PER_KWH, 1)


def deliver(anon, client, task, rows):
    key = client.post("/api/v1/department-keys").json()
    path = f"/api/v1/collection-tasks/{task}/records"
    body = json.dumps({"rows": rows}).encode()
    r = anon.post(path, data=body, headers={"Authorization": sign(key["key_id"], key["secret"], "POST", path, body),
                                            "Content-Type": "application/json"})
    assert r.status_code == 200, r.text
    assert r.json()["accepted"] == len(rows), r.text


@pytest.fixture(scope="module")
def plant(server, province, anon, as_role, make_user):
    today = dt.datetime.now(CST).date()
    this_month = month_shift(today, 0)
    county = own_county(server, anon)
    city = county[:4] + "00"
    r = province.post("/api/v1/enterprises", json={
        "uscc": make_uscc(county), "name": unique_name("能效改造测试水泥"), "region": county, "industry": "C3011",
        "address": "测试地址27号", "lng": 117.3, "lat": 36.5, "phone": "0531-7654327", "staff": 300,
        "key_energy_unit": True})
    assert r.status_code == 201, r.text
    enterprise = r.json()

    def project(**fields):
        body = {"enterprise_id": enterprise["id"], "name": unique_name("熟料生产线"), "industry": "C3011",
                "state": "existing", "product": "水泥熟料", "capacity": 120, "capacity_unit": "万吨/年",
                "efficiency_value": 125, "efficiency_unit": "kgce/t", **fields}
        r = province.post("/api/v1/projects", json=body)
        assert r.status_code == 201, r.text
        return r.json()

    line = project()
    planned = project(state="planned", efficiency_value=110)

    adopted = month_shift(this_month, -5)
    baseline = [month_shift(adopted, -k) for k in range(12, 0, -1)]
    after = [month_shift(this_month, -k) for k in range(4, 0, -1)]
    power = [{"credit_code": enterprise["uscc"], "period": m.strftime("%Y-%m"),
              "values": {"electricity": kwh_for(125 if m < adopted else 110)}} for m in baseline + after]
    deliver(anon, as_role("power_admin"), "power_monthly", power)
    statistician, password, _ = make_user(role="dept_admin", department="statistics")
    output = [{"credit_code": enterprise["uscc"], "period": m.strftime("%Y-%m"),
               "values": {"product": "水泥熟料", "output": OUTPUT_T}} for m in baseline + after]
    deliver(anon, server.login(statistician, password), "statistics_monthly", output)

    users = {}
    for role, region in (("county", county), ("city", city)):
        username, password, _ = make_user(role=role, region=region)
        users[role] = server.login(username, password)
    username, password, _ = make_user(role="enterprise", enterprise=enterprise["uscc"])
    users["enterprise"] = server.login(username, password)
    users["province"] = province
    return {"enterprise": enterprise, "line": line, "planned": planned, "county": county, "users": users,
            "adopted": adopted, "today": today, "baseline": baseline, "after": after}


def plan_body(plant, **changes):
    body = {"projects": [{"project_id": plant["line"]["id"], "target_level": "benchmark",
                          "expected_saving_tce": 1500}],
            "measures": "更换高效篦冷机，窑头窑尾余热发电改造，变频改造",
            "investment": 2400,
            "adopted_on": plant["adopted"].isoformat(),
            "completion_due": (plant["adopted"] + dt.timedelta(days=200)).isoformat(),
            "milestones": [{"title": "完成设备招标", "due": (plant["adopted"] + dt.timedelta(days=60)).isoformat()},
                           {"title": "改造完成并试运行", "due": (plant["adopted"] + dt.timedelta(days=150)).isoformat()}]}
    body.update(changes)
    return body


def approve_through(users, item_id, levels=("county", "city", "province")):
    for level in levels:
        r = decide(users[level], item_id, "approve")
        assert r.status_code == 200, (level, r.text)
    return r.json()


def test_a_plan_goes_from_filing_to_acceptance_with_its_measured_saving(plant):
    u = plant["users"]
    enterprise, county = u["enterprise"], u["county"]
    eid = plant["enterprise"]["id"]

    # Only the existing project below the benchmark is a candidate.
    r = enterprise.get(f"/api/v1/enterprises/{eid}/upgrade-candidates")
    assert r.status_code == 200, r.text
    candidates = r.json()["items"]
    assert [c["project_id"] for c in candidates] == [plant["line"]["id"]]
    assert (candidates[0]["benchmark"], candidates[0]["advanced"], candidates[0]["plan_id"]) == (117, 100, None)

    # What a plan must say, and who files it.
    r = enterprise.post(f"/api/v1/enterprises/{eid}/upgrade-plans", json={"colour": "green"})
    assert r.status_code == 400
    fields = {d["field"] for d in error_of(r)["details"]}
    assert fields == {"projects", "measures", "investment", "completion_due", "colour"}, fields
    r = enterprise.post(f"/api/v1/enterprises/{eid}/upgrade-plans", json=plan_body(
        plant, projects=[{"project_id": plant["planned"]["id"], "target_level": "top", "expected_saving_tce": -1}],
        adopted_on=(plant["today"] + dt.timedelta(days=3)).isoformat()))
    assert r.status_code == 400
    fields = {d["field"]: d["reason"] for d in error_of(r)["details"]}
    assert "below the benchmark" in fields["projects[0].project_id"] and "adopted_on" in fields
    assert county.post(f"/api/v1/enterprises/{eid}/upgrade-plans", json=plan_body(plant)).status_code == 403

    r = enterprise.post(f"/api/v1/enterprises/{eid}/upgrade-plans", json=plan_body(plant))
    assert r.status_code == 201, r.text
    plan = r.json()
    pid = plan["id"]
    assert (plan["status"], plan["start_month"], plan["expected_saving_tce"]) == (
        "filed", plant["adopted"].strftime("%Y-%m"), 1500)
    assert plan["plan"]["projects"][0]["benchmark"] == 117 and len(plan["plan"]["milestones"]) == 2
    assert plan["may"] == {"report": False, "complete": False, "accept": False}
    [filing] = plan["reviews"]
    assert (filing["flow"], filing["level"]) == ("upgrade_plan", "county")
    r = enterprise.post(f"/api/v1/enterprises/{eid}/upgrade-plans", json=plan_body(plant))
    assert r.status_code == 409 and "one plan per enterprise" in r.text
    r = enterprise.post(f"/api/v1/upgrade-plans/{pid}/progress", json={"progress": 10, "note": "开始招标"})
    assert r.status_code == 409, "progress waits for the approval"

    # County approves, the city returns it, the enterprise sends a new version, all three approve.
    assert decide(county, filing["id"], "approve").status_code == 200
    assert decide(u["city"], filing["id"], "return", "预期节能量依据不足，请补充测算").status_code == 200
    r = enterprise.post(f"/api/v1/reviews/{filing['id']}/resubmit",
                        json=plan_body(plant, projects=[{"project_id": plant["line"]["id"], "target_level": "advanced",
                                                          "expected_saving_tce": 1600}], reason="已补充节能量测算"))
    assert r.status_code == 200, r.text
    approve_through(u, filing["id"])
    plan = enterprise.get(f"/api/v1/upgrade-plans/{pid}").json()
    assert (plan["status"], plan["expected_saving_tce"]) == ("in_progress", 1600)
    assert plan["plan"]["projects"][0]["target_level"] == "advanced"
    assert plan["may"] == {"report": True, "complete": True, "accept": False}
    assert [e["kind"] for e in plan["events"]] == ["filed", "approved"]

    # Progress, then completion.
    r = enterprise.post(f"/api/v1/upgrade-plans/{pid}/progress", json={"progress": 100, "note": "x"})
    assert r.status_code == 400, "completion is reported on its own"
    r = enterprise.post(f"/api/v1/upgrade-plans/{pid}/progress", json={"progress": 40, "note": "篦冷机已到货"})
    assert r.status_code == 200 and r.json()["progress"] == 40, r.text
    assert county.post(f"/api/v1/upgrade-plans/{pid}/progress", json={"progress": 50, "note": "x"}).status_code == 403
    r = county.post(f"/api/v1/upgrade-plans/{pid}/acceptance", json={"reason": "现场核查"})
    assert r.status_code == 409, "the works are not done yet"
    before = (plant["adopted"] - dt.timedelta(days=1)).isoformat()
    assert enterprise.post(f"/api/v1/upgrade-plans/{pid}/completion",
                           json={"completed_on": before, "note": "x"}).status_code == 400
    future = (plant["today"] + dt.timedelta(days=1)).isoformat()
    assert enterprise.post(f"/api/v1/upgrade-plans/{pid}/completion",
                           json={"completed_on": future, "note": "x"}).status_code == 400
    done_on = (plant["adopted"] + dt.timedelta(days=9)).isoformat()
    r = enterprise.post(f"/api/v1/upgrade-plans/{pid}/completion", json={"completed_on": done_on,
                                                                      "note": "改造完成，试运行正常"})
    assert r.status_code == 200, r.text
    plan = r.json()
    assert (plan["status"], plan["progress"], plan["completed_on"]) == ("completed", 100, done_on)

    # The measurement: the 12 baseline months and the 4 since, from the departments' figures.
    m = plan["measurement"]
    assert (m["baseline_from"], m["baseline_to"]) == (plant["baseline"][0].strftime("%Y-%m"),
                                                      plant["baseline"][-1].strftime("%Y-%m"))
    assert (m["after_from"], m["after_to"]) == (plant["after"][0].strftime("%Y-%m"),
                                                plant["after"][-1].strftime("%Y-%m"))
    [p] = m["projects"]
    assert p["baseline"]["with_figures"] == 12 and p["after"]["with_figures"] == 4
    assert {x["source"] for x in p["baseline"]["months"] + p["after"]["months"]} == {"department"}
    assert p["baseline"]["kgce_per_t"] == pytest.approx(125, abs=0.01)
    assert p["after"]["kgce_per_t"] == pytest.approx(110, abs=0.01)
    assert (p["class_before"], p["class_after"]) == ("below_benchmark", "between")
    assert m["measured_saving_tce"] == pytest.approx(1800, abs=0.5) and m["expected_saving_tce"] == 1600
    assert m["ready"] is True and m["problems"] == []
    assert plan["may"]["accept"] is False and county.get(f"/api/v1/upgrade-plans/{pid}").json()["may"]["accept"]

    # The county files the acceptance; the city and the province approve it.
    assert enterprise.post(f"/api/v1/upgrade-plans/{pid}/acceptance", json={"reason": "x"}).status_code == 403
    assert county.post(f"/api/v1/upgrade-plans/{pid}/acceptance", json={}).status_code == 400
    report = upload(county, "验收报告.pdf", PDF.replace(b"a closure document", b"an acceptance report"))
    assert report.status_code == 201, report.text
    r = county.post(f"/api/v1/upgrade-plans/{pid}/acceptance", json={"reason": "现场核查，改造内容与方案一致",
                                                                     "attachments": [report.json()["id"]]})
    assert r.status_code == 201, r.text
    acceptance = r.json()
    assert (acceptance["flow"], acceptance["level"]) == ("upgrade_acceptance", "city")
    r = county.post(f"/api/v1/upgrade-plans/{pid}/acceptance", json={"reason": "again"})
    assert r.status_code == 409
    approve_through(u, acceptance["id"], ("city", "province"))
    plan = enterprise.get(f"/api/v1/upgrade-plans/{pid}").json()
    assert plan["status"] == "accepted" and plan["accepted_at"]
    assert plan["measured_saving_tce"] == pytest.approx(1800, abs=0.5)
    assert plan["measurement"]["projects"][0]["after"]["with_figures"] == 4
    assert [e["kind"] for e in plan["events"]] == ["filed", "approved", "progress", "completed", "accepted"]
    assert [r["flow"] for r in plan["reviews"]] == ["upgrade_plan", "upgrade_acceptance"]
    assert report.json()["id"] in [a["id"] for a in plan["attachments"]], "the acceptance's files are the plan's"
    assert enterprise.get(f"/api/v1/attachments/{report.json()['id']}").status_code == 200

    # The enterprise's and the project's timelines have every step.
    for path in (f"/api/v1/enterprises/{eid}/timeline", f"/api/v1/projects/{plant['line']['id']}/timeline"):
        events = county.get(path).json()["items"]
        steps = [e["action"] for e in events if e["kind"] == "upgrade" and e.get("upgrade_plan_id") == pid]
        assert steps == ["accepted", "completed", "progress", "approved", "filed"], (path, steps)

    # Lists, counts and the enterprise's candidates see it.
    listed = county.get("/api/v1/upgrade-plans", params={"status": "accepted"}).json()
    assert [i["id"] for i in listed["items"]] == [pid]
    assert county.get("/api/v1/upgrade-plans", params={"status": "bogus"}).status_code == 400
    summary = u["province"].get("/api/v1/upgrade-plans/summary",
                                params={"group_by": "region", "region": plant["county"]}).json()
    total = summary["total"]
    assert (total["below_benchmark"], total["below_accepted"], total["plans"]) == (1, 1, {"accepted": 1})
    assert total["measured_saving_tce"] == pytest.approx(1800, abs=0.5) and summary["advanced_share_goal"] == 0.3
    assert enterprise.get("/api/v1/upgrade-plans/summary").status_code == 403
    c = enterprise.get(f"/api/v1/enterprises/{eid}/upgrade-candidates").json()["items"][0]
    assert (c["plan_id"], c["plan_status"]) == (pid, "accepted")


def test_acceptance_names_the_months_without_figures(server, province, anon, as_role, make_user, plant):
    """A second enterprise with no delivered figures: its acceptance is refused, naming what is missing."""
    county = plant["county"]
    r = province.post("/api/v1/enterprises", json={
        "uscc": make_uscc(county), "name": unique_name("无数据水泥"), "region": county, "industry": "C3011",
        "address": "测试地址27号", "lng": 117.3, "lat": 36.5, "phone": "0531-7654328", "staff": 100})
    assert r.status_code == 201, r.text
    enterprise = r.json()
    r = province.post("/api/v1/projects", json={
        "enterprise_id": enterprise["id"], "name": unique_name("熟料线"), "industry": "C3011", "state": "existing",
        "product": "水泥熟料", "capacity": 60, "capacity_unit": "万吨/年", "efficiency_value": 130,
        "efficiency_unit": "kgce/t"})
    assert r.status_code == 201, r.text
    line = r.json()
    username, password, _ = make_user(role="enterprise", enterprise=enterprise["uscc"])
    filer = server.login(username, password)
    users = dict(plant["users"], enterprise=filer)

    # Below the benchmark with no plan: a warning, which the filing of a plan closes.
    def unaccepted(status="open"):
        return [w for w in wait_for_warnings(province, timeout=20, rule="upgrade_unaccepted",
                                             enterprise=enterprise["id"], status=status)]
    [missing] = unaccepted()
    assert missing["evidence"]["plan_id"] is None and missing["evidence"]["project_id"] == line["id"]
    assert "尚无" in missing["message"] and missing["severity"] == "warning" and missing["category"] == "policy"

    # A plan adopted 300 days ago that was due 10 days later is past its completion date and 120 days.
    adopted = plant["today"] - dt.timedelta(days=300)
    body = plan_body(plant, projects=[{"project_id": line["id"], "target_level": "benchmark",
                                       "expected_saving_tce": 300}], adopted_on=adopted.isoformat(),
                     completion_due=(adopted + dt.timedelta(days=10)).isoformat(), milestones=[])
    r = filer.post(f"/api/v1/enterprises/{enterprise['id']}/upgrade-plans", json=body)
    assert r.status_code == 201, r.text
    plan = r.json()
    deadline = time.monotonic() + 20
    while not (late := [w for w in unaccepted() if w["evidence"]["plan_id"] == plan["id"]]):
        assert time.monotonic() < deadline, unaccepted()
        time.sleep(0.3)
    assert len(late) == 1 and "逾期未验收" in late[0]["message"], late
    closed = [w["id"] for w in unaccepted("closed")]
    assert missing["id"] in closed, "the warning of the missing plan closed itself"
    approve_through(users, plan["reviews"][0]["id"])
    r = filer.post(f"/api/v1/upgrade-plans/{plan['id']}/completion",
                   json={"completed_on": (adopted + dt.timedelta(days=9)).isoformat(), "note": "完成"})
    assert r.status_code == 200, r.text
    assert r.json()["measurement"]["ready"] is False
    r = users["county"].post(f"/api/v1/upgrade-plans/{plan['id']}/acceptance", json={"reason": "申请验收"})
    assert r.status_code == 409, r.text
    reasons = [d["reason"] for d in error_of(r)["details"] if d["field"] == "measurement"]
    first_baseline = month_shift(adopted, -12).strftime("%Y-%m")
    assert any("baseline months" in x and first_baseline in x for x in reasons), reasons
    assert any("fewer than 3 full months" in x for x in reasons), reasons
    # Another enterprise's user sees neither plan.
    assert plant["users"]["enterprise"].get(f"/api/v1/upgrade-plans/{plan['id']}").status_code == 404
