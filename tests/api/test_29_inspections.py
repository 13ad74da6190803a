"""Inspections (督导检查): the province or a city plans an inspection with its teams and assigns enterprises,
targeted with a reason or drawn at random; an official records the visit with its findings and photos; the
enterprise reports a finding rectified, an official reopens or verifies it; the province decides indicator
deductions against an enterprise or a region. Who may do each, and what each must say."""

import datetime as dt

import pytest

from conftest import error_of, unique_name
from test_10_reports import CST
from test_22_reviews import PDF, upload


def today(days=0):
    return (dt.datetime.now(CST).date() + dt.timedelta(days=days)).isoformat()


def plan_body(**changes):
    body = {"kind": "comprehensive", "title": unique_name("“两高”行业全面检查"), "starts_on": today(-10),
            "ends_on": today(50), "focus": "能耗、煤耗、产量与计量器具运行情况",
            "teams": [{"name": "第一联合检查组", "leader": "张组长", "members": "发改、工信、生态环境、统计"},
                      {"name": "第二联合检查组", "leader": "李组长", "members": "发改、能源、市场监管"}]}
    body.update(changes)
    return body


@pytest.fixture(scope="module")
def plan(as_role):
    r = as_role("province").post("/api/v1/inspection-plans", json=plan_body())
    assert r.status_code == 201, r.text
    return r.json()


def test_a_plan_says_what_it_inspects_and_who_plans_it(as_role, world, plan):
    province, city, county = as_role("province"), as_role("city"), as_role("county")
    assert plan["region"] == "370000" and [t["name"] for t in plan["teams"]] == ["第一联合检查组", "第二联合检查组"]
    assert plan["may"] == {"manage": True, "deduct": True} and plan["tasks"] == 0
    r = province.post("/api/v1/inspection-plans", json={"kind": "picnic", "teams": [{"name": "x"}, {"name": "x"}],
                                                         "starts_on": today(5), "ends_on": today(1), "colour": 1})
    assert r.status_code == 400
    fields = {d["field"] for d in error_of(r)["details"]}
    assert {"kind", "title", "focus", "ends_on", "teams[0].leader", "teams[1].name", "colour"} <= fields, fields
    assert county.post("/api/v1/inspection-plans", json=plan_body()).status_code == 403
    assert as_role("enterprise").post("/api/v1/inspection-plans", json=plan_body()).status_code == 403
    # A city plans for its own city only; it and its counties see the province's plans.
    r = city.post("/api/v1/inspection-plans", json=plan_body(kind="four_in", region=world["other_city_county"][:4] + "00"))
    assert r.status_code == 400 and "jurisdiction" in r.text
    r = city.post("/api/v1/inspection-plans", json=plan_body(kind="four_in", teams=[
        {"name": "四进督导组", "leader": "王组长", "members": "市工信局"}]))
    assert r.status_code == 201, r.text
    own_city_plan = r.json()
    assert own_city_plan["region"] == city.user["region"] and own_city_plan["may"]["deduct"] is False
    seen = {p["id"] for p in county.get("/api/v1/inspection-plans", params={"page_size": 500}).json()["items"]}
    assert {plan["id"], own_city_plan["id"]} <= seen
    assert as_role("enterprise").get("/api/v1/inspection-plans").status_code == 403


def test_targeted_and_random_tasks(as_role, world, plan):
    province, county, enterprise = as_role("province"), as_role("county"), as_role("enterprise")
    own = world["own"]["enterprise"]
    path = f"/api/v1/inspection-plans/{plan['id']}/tasks"
    assert county.post(path, json={"enterprise_id": own["id"], "reason": "x"}).status_code == 403
    r = province.post(path, json={"enterprise_id": own["id"]})
    assert r.status_code == 400 and {d["field"] for d in error_of(r)["details"]} == {"reason"}
    r = province.post(path, json={"enterprise_id": own["id"], "team_id": plan["teams"][1]["id"],
                                  "reason": "平台监测发现用电量与产量背离"})
    assert r.status_code == 201, r.text
    [task] = r.json()["items"]
    assert (task["selection"], task["status"], task["team"]["name"]) == ("targeted", "assigned", "第二联合检查组")
    assert province.post(path, json={"enterprise_id": own["id"], "reason": "again"}).status_code == 409

    r = province.post(path, json={"sample": 4, "region": world["county"]})
    assert r.status_code == 201, r.text
    drawn = r.json()["items"]
    assert 1 <= len(drawn) <= 4 and all(t["selection"] == "random" for t in drawn)
    assert all(t["region"] == world["county"] for t in drawn) and own["id"] not in [t["enterprise"]["id"] for t in drawn]
    assert {t["team"]["id"] for t in drawn} == {t["id"] for t in plan["teams"]} or len(drawn) == 1
    assert province.post(path, json={"sample": 0}).status_code == 400

    listed = county.get("/api/v1/inspection-tasks", params={"plan": plan["id"], "page_size": 500}).json()
    assert listed["total"] == 1 + len(drawn)
    mine = enterprise.get("/api/v1/inspection-tasks").json()["items"]
    assert {t["enterprise"]["id"] for t in mine} == {own["id"]}


def test_a_visit_its_findings_their_rectification_and_a_deduction(server, as_role, world, plan):
    province, city, county, enterprise = (as_role(r) for r in ("province", "city", "county", "enterprise"))
    own = world["own"]["enterprise"]
    task = next(t for t in county.get("/api/v1/inspection-tasks", params={"plan": plan["id"]}).json()["items"]
                if t["enterprise"]["id"] == own["id"])
    photo = upload(county, "现场照片.pdf", PDF.replace(b"a closure document", b"a meter photo"))
    assert photo.status_code == 201, photo.text
    visit = {"visited_on": today(), "summary": "现场核查计量器具和台账",
             "findings": [{"category": "metering", "description": "总进线电能表检定过期", "severity": "major",
                           "requirement": "30 日内完成检定并上传证书", "deadline": today(30),
                           "attachments": [photo.json()["id"]]},
                          {"category": "reporting", "description": "月报产量与台账不一致",
                           "requirement": "更正月报", "deadline": today(15)}]}
    path = f"/api/v1/inspection-tasks/{task['id']}/visit"
    assert enterprise.post(path, json=visit).status_code == 403
    bad = dict(visit, visited_on=today(2), findings=[{"category": "gossip", "deadline": today(-30)}])
    r = county.post(path, json=bad)
    assert r.status_code == 400
    fields = {d["field"] for d in error_of(r)["details"]}
    assert {"visited_on", "findings[0].category", "findings[0].description", "findings[0].requirement"} <= fields
    r = county.post(path, json=visit)
    assert r.status_code == 200, r.text
    detail = r.json()
    assert detail["status"] == "visited" and [f["state"] for f in detail["findings"]] == ["open", "open"]
    assert detail["findings"][0]["events"][0]["attachments"] == [photo.json()["id"]]
    assert county.post(path, json=visit).status_code == 409, "one visit per task"

    # The enterprise sees its findings and the photo; another city's county does not.
    assert enterprise.get(f"/api/v1/attachments/{photo.json()['id']}").status_code == 200
    seen = enterprise.get(f"/api/v1/inspection-tasks/{task['id']}").json()
    assert seen["may"] == {"visit": False, "rectify": True, "verify": False}
    finding = detail["findings"][0]["id"]
    fixed = f"/api/v1/inspection-findings/{finding}/rectification"
    check = f"/api/v1/inspection-findings/{finding}/verification"
    assert county.post(check, json={"action": "accept", "note": "x"}).status_code == 409, "not rectified yet"
    assert enterprise.post(fixed, json={}).status_code == 400
    r = enterprise.post(fixed, json={"note": "已完成检定，证书见附件", "attachments": [photo.json()["id"]]})
    assert r.status_code == 200 and r.json()["findings"][0]["state"] == "rectified", r.text
    assert enterprise.post(fixed, json={"note": "again"}).status_code == 409
    assert enterprise.post(check, json={"action": "accept", "note": "x"}).status_code == 403
    r = county.post(check, json={"action": "reopen", "note": "证书日期与现场不符"})
    assert r.status_code == 200 and r.json()["findings"][0]["state"] == "open"
    assert enterprise.post(fixed, json={"note": "重新检定"}).status_code == 200
    r = city.post(check, json={"action": "accept", "note": "复核通过"})
    assert r.status_code == 200, r.text
    f0 = r.json()["findings"][0]
    assert f0["state"] == "verified"
    assert [e["kind"] for e in f0["events"]] == ["recorded", "rectified", "reopened", "rectified", "verified"]
    counted = province.get(f"/api/v1/inspection-plans/{plan['id']}").json()
    assert (counted["visited"], counted["findings"], counted["open_findings"]) == (1, 2, 1)

    # The province cuts the enterprise's energy indicator for what was found.
    deduct = f"/api/v1/inspection-plans/{plan['id']}/deductions"
    body = {"indicator": "energy", "year": dt.datetime.now(CST).year, "amount": 5000,
            "reason": "计量器具长期未检定，能耗数据不实", "enterprise_id": own["id"], "finding_id": finding}
    assert city.post(deduct, json=body).status_code == 403
    r = province.post(deduct, json=dict(body, region=world["county"]))
    assert r.status_code == 400, "an enterprise or a region, not both"
    r = province.post(deduct, json=dict(body, amount=0, indicator="luck"))
    assert r.status_code == 400 and {d["field"] for d in error_of(r)["details"]} == {"amount", "indicator"}
    r = province.post(deduct, json=body)
    assert r.status_code == 201, r.text
    d = r.json()
    assert (d["region"], d["unit"], d["enterprise"]["id"], d["finding_id"]) == (world["county"], "tce", own["id"],
                                                                               finding)
    r = province.post(deduct, json={"indicator": "output", "year": dt.datetime.now(CST).year, "amount": 20000,
                                    "reason": "全市钢铁产量超控制目标", "region": world["city"]})
    assert r.status_code == 201 and r.json()["unit"] == "t", r.text
    def of_plan(client):
        items = client.get("/api/v1/indicator-deductions", params={"year": dt.datetime.now(CST).year}).json()["items"]
        return [x["id"] for x in items if x["plan_id"] == plan["id"]]
    assert of_plan(county) == [d["id"]], "the county sees what is charged in it, not its city's"
    assert len(of_plan(city)) == 2
    assert enterprise.get("/api/v1/indicator-deductions").status_code == 403
    assert len(province.get(f"/api/v1/inspection-plans/{plan['id']}").json()["deductions"]) == 2

    # The enterprise's timeline has the assignment, the visit and every step of the findings.
    events = enterprise.get(f"/api/v1/enterprises/{own['id']}/timeline").json()["items"]
    steps = [e["action"] for e in events if e.get("inspection_task_id") == task["id"]]
    assert steps.count("recorded") == 2 and steps[0] == "verified" and steps[-1] == "assigned", steps
