"""Project declarations (项目申报): an enterprise declares a new project or the completion of one under
construction; county, city and province review them level by level, and the province's approval changes
the registry (the project appears; the project becomes existing with its completion date)."""

import datetime as dt

from conftest import error_of, unique_name
from test_10_reports import CST
from test_22_reviews import decide


def declare(client, enterprise_id, body):
    return client.post(f"/api/v1/enterprises/{enterprise_id}/project-declarations", json=body)


def approve_all(as_role, item_id):
    for level in ("county", "city", "province"):
        r = decide(as_role(level), item_id, "approve", "同意")
        assert r.status_code == 200, (level, r.text)
    return r.json()


def test_a_new_project_is_declared_returned_resubmitted_and_registered(as_role, world):
    enterprise, county, city, province = (as_role(r) for r in ("enterprise", "county", "city", "province"))
    eid = world["own"]["enterprise"]["id"]
    industry = world["own"]["enterprise"]["industry"]
    name = unique_name("申报新建项目")

    # Who may declare, and what a declaration must say.
    assert declare(county, eid, {"kind": "new"}).status_code == 403, "officials edit the registry directly"
    assert declare(enterprise, world["other_city"]["enterprise"]["id"], {"kind": "new"}).status_code == 404
    r = declare(enterprise, eid, {"kind": "rebuild", "reason": "x"})
    assert r.status_code == 400 and error_of(r)["details"][0]["field"] == "kind"
    r = declare(enterprise, eid, {"kind": "new", "project": {"name": name, "industry": "X999", "state": "existing"}})
    assert r.status_code == 400
    assert {d["field"] for d in error_of(r)["details"]} == {"reason", "project.industry", "project.state"}

    body = {"kind": "new", "reason": "新建年产 30 万吨项目，已取得备案", "project": {
        "name": name, "industry": industry, "state": "under_construction", "capacity": 30, "capacity_unit": "万吨/年",
        "approval_kind": "filing", "approval_no": "2026-371403-30-03-000777", "approved_on": "2026-06-01"}}
    r = declare(enterprise, eid, body)
    assert r.status_code == 201, r.text
    item = r.json()
    assert (item["flow"], item["level"], item["subject"]["label"]) == ("project_declaration", "county", name)
    assert item["content"]["project"]["region"] == world["county"], "in the enterprise's county"
    assert declare(enterprise, eid, {**body, "project": {**body["project"], "name": name + "二期"}}).status_code == 201, \
        "several new projects may wait at once"
    assert not [p for p in province.get("/api/v1/projects", params={"q": name}).json()["items"] if p["name"] == name]

    r = decide(county, item["id"], "return", "请补充节能审查意见")
    assert r.status_code == 200 and r.json()["level"] == "enterprise"
    r = enterprise.post(f"/api/v1/reviews/{item['id']}/resubmit", json={
        "reason": "已补充节能审查意见", "project": {**body["project"], "energy_review_no": "鲁发改能审〔2026〕9号",
                                                 "energy_review_on": "2026-07-01"}})
    assert r.status_code == 200 and r.json()["version"] == 2, r.text
    assert r.json()["content"]["kind"] == "new"
    approve_all(as_role, item["id"])

    found = [p for p in province.get("/api/v1/projects", params={"q": name, "page_size": 50}).json()["items"]
             if p["name"] == name]
    assert len(found) == 1, found
    p = found[0]
    assert (p["state"], p["capacity"], p["energy_review_no"]) == ("under_construction", 30, "鲁发改能审〔2026〕9号")
    assert p["enterprise_id"] == eid
    history = province.get(f"/api/v1/projects/{p['id']}/history").json()["items"]
    assert history[-1]["action"] == "create" and history[-1]["actor"] == "province"


def test_a_completion_makes_the_project_existing_with_its_date(as_role, province, world):
    enterprise = as_role("enterprise")
    eid = world["own"]["enterprise"]["id"]
    r = province.post("/api/v1/projects", json={
        "enterprise_id": eid, "name": unique_name("在建待竣工项目"), "industry": world["own"]["enterprise"]["industry"],
        "state": "under_construction"})
    pid = r.json()["id"]
    today = dt.datetime.now(CST).date()
    r = declare(enterprise, eid, {"kind": "completion", "project_id": pid, "reason": "竣工验收完成",
                                  "completed_on": (today + dt.timedelta(days=3)).isoformat()})
    assert r.status_code == 400 and error_of(r)["details"][0]["field"] == "completed_on"
    existing = world["own"]["project"]["id"]
    r = declare(enterprise, eid, {"kind": "completion", "project_id": existing, "reason": "x",
                                  "completed_on": today.isoformat()})
    assert r.status_code == 400 and error_of(r)["details"][0]["field"] == "project_id"
    done_on = (today - dt.timedelta(days=5)).isoformat()
    r = declare(enterprise, eid, {"kind": "completion", "project_id": pid, "reason": "竣工验收完成", "completed_on": done_on})
    assert r.status_code == 201, r.text
    assert declare(enterprise, eid, {"kind": "completion", "project_id": pid, "reason": "again",
                                     "completed_on": done_on}).status_code == 409, "one completion at a time"
    assert province.get(f"/api/v1/projects/{pid}").json()["state"] == "under_construction", "not before approval"
    approve_all(as_role, r.json()["id"])
    p = province.get(f"/api/v1/projects/{pid}").json()
    assert (p["state"], p["completed_on"]) == ("existing", done_on)
