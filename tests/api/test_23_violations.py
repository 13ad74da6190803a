"""Violating projects (违规项目整改): marking with a violation and disposal type, progress reports with
attachments, escalation of overdue cases, closure filed by the county and approved by the city and the
province on the review engine, deadline warnings, the timeline, and who may do each of these."""

import datetime as dt

import pytest

from conftest import error_of, unique_name, wait_for_warnings
from test_10_reports import CST
from test_22_reviews import PDF, decide, todo, upload

SITE_PHOTOS = PDF.replace(b"a closure document", b"photos of the rectified site")


def today(days=0):
    return (dt.datetime.now(CST).date() + dt.timedelta(days=days)).isoformat()


def mark_body(**changes):
    body = {"violation_type": "built_without_approval", "disposal_type": "rectify_by_deadline",
            "measures": "补办节能审查手续，办结前停止建设", "deadline": today(30), "responsible_unit": "县发展和改革局"}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


@pytest.fixture()
def project(province, world):
    """A project of the demo county's own enterprise made for one test."""
    enterprise = world["own"]["enterprise"]
    r = province.post("/api/v1/projects", json={
        "enterprise_id": enterprise["id"], "name": unique_name("违规测试项目"), "industry": enterprise["industry"],
        "state": "under_construction", "capacity": 50, "capacity_unit": "万吨/年"})
    assert r.status_code == 201, r.text
    return r.json()


def test_marking_checks_who_marks_and_what_a_case_must_say(as_role, project, world):
    county, enterprise, operator = as_role("county"), as_role("enterprise"), as_role("operator")
    pid = project["id"]
    mark = lambda who, body: who.post(f"/api/v1/projects/{pid}/violations", json=body)

    assert mark(enterprise, mark_body()).status_code == 403, "an enterprise does not mark its own project"
    assert mark(operator, mark_body()).status_code == 404, "no jurisdiction: nothing is found"
    foreign = world["other_city"]["project"]["id"]
    assert county.post(f"/api/v1/projects/{foreign}/violations", json=mark_body()).status_code == 404
    assert county.post("/api/v1/projects/999999999/violations", json=mark_body()).status_code == 404

    r = mark(county, {"violation_type": "parked_wrong", "disposal_type": "shoot", "deadline": today(-1),
                      "colour": "red"})
    assert r.status_code == 400
    fields = {d["field"]: d["reason"] for d in error_of(r)["details"]}
    assert set(fields) == {"violation_type", "disposal_type", "measures", "deadline", "responsible_unit", "colour"}
    assert "rectify_by_deadline" in fields["disposal_type"] and "built_without_approval" in fields["violation_type"]
    assert "after" in fields["deadline"]
    assert mark(county, mark_body(deadline="2026-02-30")).status_code == 400
    assert mark(county, mark_body(measures="x" * 2001)).status_code == 400

    r = mark(county, mark_body(note="专项排查发现"))
    assert r.status_code == 201, r.text
    v = r.json()
    assert v["project"]["id"] == pid and v["enterprise"]["id"] == project["enterprise_id"]
    assert (v["state"], v["progress"], v["overdue"], v["escalations"]) == ("not_started", 0, False, 0)
    assert (v["violation_type_name"], v["disposal_type_name"]) == ("未批先建", "限期整改")
    assert v["marked_by"] == "county" and v["region"] == world["county"]
    r = mark(as_role("city"), mark_body())
    assert r.status_code == 409 and "open violation" in r.text, "one open case per project"

    # The enterprise sees its case; another city's county does not.
    assert enterprise.get(f"/api/v1/violations/{v['id']}").status_code == 200
    mine = enterprise.get("/api/v1/violations", params={"page_size": 500}).json()["items"]
    assert {i["enterprise"]["id"] for i in mine} == {project["enterprise_id"]}
    listed = county.get("/api/v1/violations", params={"project": pid}).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == v["id"]


def test_progress_to_closure_with_a_return_between(as_role, project, world):
    county, city, province, enterprise = (as_role(r) for r in ("county", "city", "province", "enterprise"))
    r = county.post(f"/api/v1/projects/{project['id']}/violations", json=mark_body(disposal_type="stop_construction"))
    assert r.status_code == 201, r.text
    vid = r.json()["id"]
    progress = lambda who, body: who.post(f"/api/v1/violations/{vid}/progress", json=body)
    close = lambda body: county.post(f"/api/v1/violations/{vid}/closure", json=body)

    # Progress: the enterprise and its county report; others may not; bad reports name the field.
    assert progress(city, {"state": "in_progress", "note": "x"}).status_code == 403
    r = progress(enterprise, {"state": "closed", "progress": 140, "extra": 1})
    assert r.status_code == 400
    assert {d["field"] for d in error_of(r)["details"]} == {"state", "progress", "note", "extra"}
    assert progress(enterprise, {"state": "partly_done", "progress": 100, "note": "x"}).status_code == 400
    photo = upload(enterprise, "整改现场.pdf", SITE_PHOTOS).json()["id"]
    r = progress(enterprise, {"state": "in_progress", "progress": 30, "note": "已停止建设，正在补办手续",
                              "attachments": [photo]})
    assert r.status_code == 200 and (r.json()["state"], r.json()["progress"]) == ("in_progress", 30), r.text
    assert close({"reason": "整改完成"}).status_code == 409, "only a rectified case is filed for closure"
    r = progress(county, {"state": "partly_done", "progress": 60, "note": "县级核查：节能审查已受理"})
    assert r.status_code == 200 and r.json()["state"] == "partly_done"
    r = progress(enterprise, {"state": "done", "note": "节能审查意见已取得，整改完成"})
    assert r.status_code == 200 and (r.json()["state"], r.json()["progress"]) == ("done", 100)

    # Closure: filed by the county, reviewed by the city, returned, filed again, approved to the end.
    assert enterprise.post(f"/api/v1/violations/{vid}/closure", json={"reason": "x"}).status_code == 403
    assert city.post(f"/api/v1/violations/{vid}/closure", json={"reason": "x"}).status_code == 403
    r = close({})
    assert r.status_code == 400 and error_of(r)["details"][0]["field"] == "reason"
    r = close({"reason": "经现场核验整改到位，申请销号", "attachments": [photo]})
    assert r.status_code == 201, r.text
    item = r.json()
    assert (item["flow"], item["status"], item["level"]) == ("violation_closure", "submitted", "city")
    iid = item["id"]
    assert close({"reason": "again"}).status_code == 409, "one closure at a time"
    assert progress(enterprise, {"state": "in_progress", "note": "x"}).status_code == 409, "frozen under review"
    assert iid in todo(city) and iid not in todo(province)
    detail = city.get(f"/api/v1/reviews/{iid}").json()
    assert detail["subject"]["kind"] == "project" and detail["subject"]["id"] == project["id"]
    assert detail["content"]["violation_id"] == vid and detail["flow_name"] == "违规项目销号"
    assert decide(county, iid, "approve").status_code == 403
    r = decide(city, iid, "return", "请补充节能审查意见原件")
    assert r.status_code == 200 and r.json()["level"] == "county"

    # Back with the county: it may report again and resubmit, but not file a second closure.
    assert close({"reason": "x"}).status_code == 409
    state = county.get(f"/api/v1/violations/{vid}").json()
    assert state["may"] == {"report": True, "escalate": False, "close": False}
    assert [c["status"] for c in state["closures"]] == ["returned"]
    r = county.post(f"/api/v1/reviews/{iid}/resubmit", json={"reason": "已补充节能审查意见原件"})
    assert r.status_code == 200 and r.json()["version"] == 2, r.text
    assert r.json()["content"]["violation_id"] == vid, "the resubmission keeps the case it closes"
    assert decide(city, iid, "approve", "同意").status_code == 200
    assert county.get(f"/api/v1/violations/{vid}").json()["state"] == "done", "not closed before the province"
    r = decide(province, iid, "approve", "同意销号")
    assert r.status_code == 200 and r.json()["status"] == "approved"

    closed = province.get(f"/api/v1/violations/{vid}").json()
    assert (closed["state"], closed["progress"]) == ("closed", 100) and closed["closed_at"]
    assert [e["kind"] for e in closed["events"]] == ["mark", "progress", "progress", "progress", "closed"]
    assert closed["events"][1]["attachments"] == [photo]
    assert [a["id"] for a in closed["attachments"]] == [photo]
    assert closed["events"][-1]["level"] == "province" and closed["events"][-1]["actor"] == "province"
    assert progress(enterprise, {"state": "done", "note": "x"}).status_code == 409
    # The files: whoever sees the case sees its attachments; another city's officials do not.
    assert city.get(f"/api/v1/attachments/{photo}").status_code == 200
    # A closed case does not stop a new one on the same project.
    assert county.post(f"/api/v1/projects/{project['id']}/violations", json=mark_body()).status_code == 201

    timeline = province.get(f"/api/v1/projects/{project['id']}/timeline").json()["items"]
    kinds = {(e["kind"], e["action"]) for e in timeline}
    assert {("violation", "mark"), ("violation", "progress"), ("violation", "closed"), ("review", "file"),
            ("review", "return"), ("review", "resubmit"), ("review", "approve")} <= kinds
    audit = province.get("/api/v1/audit", params={"action": "violation."}).json()["items"]
    assert {a["action"] for a in audit if a["target"] == f"violations:{vid}" and a["result"] == "ok"} >= {
        "violation.mark", "violation.progress"}


def test_an_overdue_case_escalates_by_the_city_and_raises_a_warning(as_role, world):
    county, city, province = as_role("county"), as_role("city"), as_role("province")
    overdue = county.get("/api/v1/violations", params={"overdue": "true", "page_size": 500}).json()["items"]
    assert overdue, "the demo county has a case past its deadline"
    v = overdue[0]
    assert v["overdue"] is True and v["deadline"] < today()
    warned = wait_for_warnings(province, rule="violation_overdue", enterprise=v["enterprise"]["id"])
    assert any(w["evidence"]["violation_id"] == v["id"] for w in warned), warned
    w = next(w for w in warned if w["evidence"]["violation_id"] == v["id"])
    assert w["severity"] == "critical" and w["category"] == "workflow" and "逾期" in w["message"]

    vid = v["id"]
    escalate = lambda who, body: who.post(f"/api/v1/violations/{vid}/escalate", json=body)
    assert escalate(county, {"reason": "x", "deadline": today(30)}).status_code == 403, "the county does not escalate"
    r = escalate(city, {"reason": "", "deadline": today(-3), "disposal_type": "rectify_by_deadline"})
    assert r.status_code == 400
    assert {d["field"] for d in error_of(r)["details"]} == {"reason", "deadline", "disposal_type"}
    detail = city.get(f"/api/v1/violations/{vid}").json()
    assert detail["may"]["escalate"] is True
    stricter = {"rectify_by_deadline": "stop_production", "stop_construction": "close_down",
                "stop_production": "close_down", "close_down": None}[v["disposal_type"]]
    body = {"reason": "逾期未整改，升级处置", "deadline": today(45)}
    if stricter:
        body["disposal_type"] = stricter
    r = escalate(city, body)
    assert r.status_code == 200, r.text
    after = r.json()
    assert after["escalations"] == v["escalations"] + 1 and after["deadline"] == today(45)
    assert after["overdue"] is False and after["disposal_type"] == (stricter or v["disposal_type"])
    again = escalate(city, {"reason": "再次升级", "deadline": today(60)})
    assert again.status_code == 409 and error_of(again)["details"][0]["field"] == "deadline", "no longer overdue"
    events = province.get(f"/api/v1/violations/{vid}").json()["events"]
    assert events[-1]["kind"] == "escalate" and events[-1]["note"] == "逾期未整改，升级处置"

    # The overdue warning clears; the new deadline is more than the warning days away.
    deadline = dt.datetime.now().timestamp() + 30
    while dt.datetime.now().timestamp() < deadline:
        found = province.get("/api/v1/warnings", params={"rule": "violation_overdue", "status": "open",
                                                          "enterprise": v["enterprise"]["id"]}).json()["items"]
        if not any(w["evidence"]["violation_id"] == vid for w in found):
            break
    else:
        pytest.fail("the overdue warning did not clear after the escalation")


def test_a_deadline_coming_up_is_warned_before_it_passes(as_role, province, world):
    county = as_role("county")
    soon = [v for v in county.get("/api/v1/violations", params={"open": "true", "page_size": 500}).json()["items"]
            if today() <= v["deadline"] <= today(15) and v["state"] != "done"]
    assert soon, "the demo county has a case due within 15 days"
    warned = wait_for_warnings(province, rule="violation_due_soon", enterprise=soon[0]["enterprise"]["id"])
    assert any(w["evidence"]["violation_id"] == soon[0]["id"] for w in warned)
    assert all(w["severity"] == "warning" for w in warned)


def test_lists_filters_and_summaries_are_scoped(as_role, world):
    county, province, enterprise = as_role("county"), as_role("province"), as_role("enterprise")
    for v in county.get("/api/v1/violations", params={"page_size": 500}).json()["items"]:
        assert v["region"] == world["county"]
    r = county.get("/api/v1/violations", params={"state": "fixed", "overdue": "maybe", "page_size": 0})
    assert r.status_code == 400
    assert {d["field"] for d in error_of(r)["details"]} == {"state", "overdue", "page_size"}
    closed = province.get("/api/v1/violations", params={"state": "closed", "page_size": 500}).json()
    assert closed["total"] > 0 and all(v["state"] == "closed" and v["closed_at"] for v in closed["items"])

    summary = province.get("/api/v1/violations/summary", params={"group_by": "region"}).json()
    total = summary["total"]
    assert total["total"] == province.get("/api/v1/violations", params={"page_size": 1}).json()["total"]
    assert total["total"] == sum(g["total"] for g in summary["items"])
    assert set(total["by_disposal"]) == {"rectify_by_deadline", "stop_construction", "stop_production", "close_down"}
    assert set(total["by_state"]) == {"not_started", "in_progress", "partly_done", "done", "closed"}
    assert total["closure_rate"] == round(total["closed"] / total["total"], 3)
    assert all(len(g["key"]) == 4 and g["name"].endswith("市") for g in summary["items"])
    by_type = province.get("/api/v1/violations/summary", params={"group_by": "disposal_type"}).json()
    assert {g["key"]: g["total"] for g in by_type["items"]} == total["by_disposal"]
    current = {i["code"]: i["name"] for i in province.get("/api/v1/reference/lists/disposal_types").json()["items"]}
    assert {g["key"]: g["name"] for g in by_type["items"]} == {k: current[k] for k in total["by_disposal"]}
    mine = county.get("/api/v1/violations/summary", params={"group_by": "region"}).json()
    assert [g["key"] for g in mine["items"]] in ([world["county"]], [])
    assert province.get("/api/v1/violations/summary", params={"group_by": "colour"}).status_code == 400
    assert enterprise.get("/api/v1/violations/summary").status_code == 403
    assert as_role("operator").get("/api/v1/violations").status_code == 403
