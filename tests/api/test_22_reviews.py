"""One review engine for every flow: the caller's to-do across flows, decisions at each level, returns
and resubmissions that keep every version, reports decided through their review item, and the
enterprise list's entry and exit (a county proposes, city and province approve, the registry changes)."""

import datetime as dt

import pytest

from conftest import error_of, make_uscc, unique_name
from test_10_reports import CST, content, url


def months_ago(n):
    d = dt.datetime.now(CST).date().replace(day=1)
    for _ in range(n):
        d = (d - dt.timedelta(days=1)).replace(day=1)
    return d.strftime("%Y-%m")


def todo(client, **params):
    r = client.get("/api/v1/reviews", params={"awaiting": "me", "page_size": 500, **params})
    assert r.status_code == 200, r.text
    return {i["id"]: i for i in r.json()["items"]}


def decide(client, item_id, action, reason=""):
    return client.post(f"/api/v1/reviews/{item_id}/decision", json={"action": action, "reason": reason})


@pytest.fixture(scope="module")
def fresh(province, world):
    """An enterprise of the demo county made for this module, listed on creation."""
    own = world["own"]["enterprise"]
    r = province.post("/api/v1/enterprises", json={
        "uscc": make_uscc(world["county"]), "name": unique_name("清单测试企业"), "region": world["county"],
        "industry": own["industry"], "status": "running"})
    assert r.status_code == 201, r.text
    assert r.json()["list_status"] == "listed"
    return r.json()


def test_a_submitted_report_is_a_review_item_on_the_awaited_levels_to_do(as_role, world):
    enterprise, county, city, province = (as_role(r) for r in ("enterprise", "county", "city", "province"))
    own = world["own"]["enterprise"]["id"]
    period = months_ago(3)
    r = enterprise.post(url(own, period) + "/submit", json={"content": content()})
    assert r.status_code == 200, r.text
    rid = r.json()["id"]

    waiting = [i for i in todo(county, flow="monthly_report").values() if i["subject"]["id"] == rid]
    assert len(waiting) == 1, "the county's to-do holds the report"
    item = waiting[0]
    assert item["flow"] == "monthly_report" and item["level"] == "county" and item["status"] == "submitted"
    assert item["subject"] == {"kind": "report", "id": rid, "label": period, "enterprise_id": own,
                               "enterprise_name": world["own"]["enterprise"]["name"]}
    assert item["due"] and item["filed_at"]
    assert item["id"] not in todo(city) and item["id"] not in todo(enterprise)

    # A decision through the review item is the report's review, and the report's own route moves the item.
    assert decide(city, item["id"], "approve").status_code == 403, "the city waits for the county"
    r = decide(county, item["id"], "approve")
    assert r.status_code == 200 and r.json()["status"] == "county_approved" and r.json()["level"] == "city", r.text
    assert province.get(f"/api/v1/reports/{rid}").json()["report"]["status"] == "county_approved"
    r = city.post(f"/api/v1/reports/{rid}/review", json={"action": "return", "reason": "用电量与电网数据不符"})
    assert r.status_code == 200, r.text
    back = todo(enterprise)
    assert item["id"] in back and back[item["id"]]["status"] == "returned" and back[item["id"]]["level"] == "enterprise"
    assert item["id"] not in todo(city)

    r = enterprise.post(url(own, period) + "/submit", json={"content": content(gross_output_value=11500)})
    assert r.status_code == 200 and r.json()["version"] == 2
    for who, status in ((county, "county_approved"), (city, "city_approved"), (province, "approved")):
        r = decide(who, item["id"], "approve")
        assert r.status_code == 200 and r.json()["status"] == status, r.text
    detail = province.get(f"/api/v1/reviews/{item['id']}").json()
    assert detail["status"] == "approved" and detail["level"] is None and detail["version"] == 2
    assert [v["version"] for v in detail["versions"]] == [1, 2]
    assert detail["versions"][1]["content"]["business"]["gross_output_value"] == 11500
    assert [(h["action"], h["level"]) for h in detail["history"]] == [
        ("file", "enterprise"), ("approve", "county"), ("return", "city"), ("resubmit", "enterprise"),
        ("approve", "county"), ("approve", "city"), ("approve", "province")]
    assert detail["history"][2]["reason"] == "用电量与电网数据不符"
    assert decide(province, item["id"], "approve").status_code == 409


def test_reviews_are_scoped_and_filters_are_checked(as_role, world, login):
    county, enterprise = as_role("county"), as_role("enterprise")
    for item in county.get("/api/v1/reviews", params={"page_size": 500}).json()["items"]:
        assert item["region"].startswith(world["county"][:6])
    for item in enterprise.get("/api/v1/reviews", params={"page_size": 500}).json()["items"]:
        assert item["subject"]["enterprise_id"] == world["own"]["enterprise"]["id"]
    r = county.get("/api/v1/reviews", params={"awaiting": "you", "flow": "weekly", "open": "maybe"})
    assert r.status_code == 400
    assert {d["field"] for d in error_of(r)["details"]} == {"awaiting", "flow", "open"}
    assert county.get("/api/v1/reviews/999999999").status_code == 404
    assert as_role("operator").get("/api/v1/reviews").status_code == 403


def test_list_exit_and_entry_pass_city_and_province_with_a_return_between(as_role, fresh, world):
    county, city, province, enterprise = (as_role(r) for r in ("county", "city", "province", "enterprise"))
    eid = fresh["id"]
    propose = lambda who, body: who.post(f"/api/v1/enterprises/{eid}/list-proposals", json=body)

    # Who may propose, and what a proposal must say.
    for who in (city, province):
        r = propose(who, {"change": "exit", "reason": "已关停"})
        assert r.status_code == 403, (who.user["role"], r.text)
    assert enterprise.post(f"/api/v1/enterprises/{eid}/list-proposals",
                           json={"change": "exit", "reason": "x"}).status_code == 404
    r = propose(county, {"change": "exit"})
    assert r.status_code == 400 and [d["field"] for d in error_of(r)["details"]] == ["reason"]
    r = propose(county, {"change": "exit", "reason": "关停", "effective_on": "2026-02-30", "colour": "red"})
    assert {d["field"] for d in error_of(r)["details"]} == {"effective_on", "colour"}
    r = propose(county, {"change": "remove", "reason": "关停"})
    assert r.status_code == 400 and error_of(r)["details"][0]["field"] == "change"
    r = propose(county, {"change": "entry", "reason": "新建项目投产"})
    assert r.status_code == 409, "already listed"

    effective = (dt.datetime.now(CST).date() - dt.timedelta(days=2)).isoformat()
    r = propose(county, {"change": "exit", "reason": "主体设备已拆除，企业关停", "effective_on": effective})
    assert r.status_code == 201, r.text
    item = r.json()
    assert (item["flow"], item["status"], item["level"], item["version"]) == ("list_exit", "submitted", "city", 1)
    assert item["subject"]["kind"] == "enterprise" and item["subject"]["id"] == eid
    assert propose(county, {"change": "exit", "reason": "重复"}).status_code == 409, "one open proposal at a time"
    iid = item["id"]

    assert iid in todo(city) and iid not in todo(county) and iid not in todo(province)
    assert decide(county, iid, "approve").status_code == 403, "the county filed it; the city decides"
    assert decide(province, iid, "approve").status_code == 403, "the province waits for the city"
    r = decide(city, iid, "return")
    assert r.status_code == 400 and error_of(r)["details"][0]["field"] == "reason"
    r = decide(city, iid, "maybe", "x")
    assert r.status_code == 400 and error_of(r)["details"][0]["field"] == "action"
    r = decide(city, iid, "return", "请附拆除现场照片和关停文件")
    assert r.status_code == 200 and r.json()["status"] == "returned" and r.json()["level"] == "county"
    assert iid in todo(county), "back on the county's to-do"
    detail = county.get(f"/api/v1/reviews/{iid}").json()
    assert detail["may"] == {"decide": False, "resubmit": True}
    assert city.post(f"/api/v1/reviews/{iid}/resubmit", json={"reason": "x"}).status_code == 403

    r = county.post(f"/api/v1/reviews/{iid}/resubmit",
                    json={"reason": "主体设备已拆除，附关停文件", "effective_on": effective})
    assert r.status_code == 200 and r.json()["version"] == 2 and r.json()["level"] == "city", r.text
    r = decide(city, iid, "approve", "同意")
    assert r.status_code == 200 and r.json()["status"] == "city_approved"
    assert province.get(f"/api/v1/enterprises/{eid}").json()["list_status"] == "listed", "not before the province"
    r = decide(province, iid, "approve")
    assert r.status_code == 200 and r.json()["status"] == "approved" and r.json()["level"] is None

    record = province.get(f"/api/v1/enterprises/{eid}").json()
    assert record["list_status"] == "delisted" and record["delisted_on"] == effective
    assert record["list_decision"] == iid
    history = province.get(f"/api/v1/enterprises/{eid}/history").json()["items"]
    changed = {c["field"]: c["new"] for h in history for c in h["changes"]}
    assert changed["list_status"] == "delisted" and changed["delisted_on"] == effective
    detail = province.get(f"/api/v1/reviews/{iid}").json()
    assert [v["content"]["reason"] for v in detail["versions"]] == ["主体设备已拆除，企业关停", "主体设备已拆除，附关停文件"]
    assert [(h["action"], h["level"]) for h in detail["history"]] == [
        ("file", "county"), ("return", "city"), ("resubmit", "county"), ("approve", "city"), ("approve", "province")]
    audit = province.get("/api/v1/audit", params={"action": "review."}).json()["items"]
    assert {a["action"] for a in audit if a["target"] == f"reviews:{iid}" and a["result"] == "ok"} >= {
        "review.file", "review.return", "review.resubmit", "review.approve"}

    # And back on the list.
    r = propose(county, {"change": "entry", "reason": "复产并新增产能"})
    assert r.status_code == 201, r.text
    entry = r.json()["id"]
    for who in (city, province):
        assert decide(who, entry, "approve").status_code == 200
    record = province.get(f"/api/v1/enterprises/{eid}").json()
    assert record["list_status"] == "listed" and record["listed_on"] == dt.datetime.now(CST).date().isoformat()
    assert record["delisted_on"] is None and record["list_decision"] == entry


def test_a_proposal_outside_the_county_is_not_found(as_role, world):
    foreign = world["other_city"]["enterprise"]["id"]
    r = as_role("county").post(f"/api/v1/enterprises/{foreign}/list-proposals",
                               json={"change": "exit", "reason": "x"})
    assert r.status_code == 404
