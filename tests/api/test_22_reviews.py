"""One review engine for every flow: the caller's to-do across flows, decisions at each level, returns
and resubmissions that keep every version, reports decided through their review item, and the
enterprise list's entry and exit (a county proposes, city and province approve, the registry changes)."""

import datetime as dt

import pytest

from conftest import error_of, make_uscc, sm3_hex, unique_name
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
    assert r.json()["due"] > item["due"], "the county has its own days to send it again"
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
    timeline = province.get(f"/api/v1/enterprises/{eid}/timeline").json()["items"]
    flows = {(e.get("flow"), e["action"]) for e in timeline if e["kind"] == "review"}
    assert {("list_exit", "file"), ("list_exit", "return"), ("list_exit", "approve"), ("list_entry", "file")} <= flows
    assert any(e["kind"] == "record" and "list_status" in e["detail"] for e in timeline)
    assert as_role("county").get(f"/api/v1/enterprises/{world['other_city']['enterprise']['id']}/timeline").status_code == 404


def test_a_proposal_outside_the_county_is_not_found(as_role, world):
    foreign = world["other_city"]["enterprise"]["id"]
    r = as_role("county").post(f"/api/v1/enterprises/{foreign}/list-proposals",
                               json={"change": "exit", "reason": "x"})
    assert r.status_code == 404


PDF = b"%PDF-1.4\n% a closure document\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def upload(client, name, data):
    return client.post("/api/v1/attachments", params={"filename": name}, data=data,
                       headers={"Content-Type": "application/octet-stream"})


def test_attachments_are_stored_once_by_hash_typed_by_their_bytes_and_seen_with_their_item(server, as_role, province,
                                                                                          world, make_user):
    county, city, enterprise = as_role("county"), as_role("city"), as_role("enterprise")
    r = upload(county, "关停文件.pdf", PDF)
    assert r.status_code == 201, r.text
    pdf = r.json()
    assert pdf["id"] == sm3_hex(PDF) and pdf["media_type"] == "application/pdf" and pdf["size"] == len(PDF)
    assert pdf["preview"] is True and pdf["name"] == "关停文件.pdf"
    again = upload(county, "copy.pdf", PDF).json()
    assert again["id"] == pdf["id"] and again["name"] == "关停文件.pdf", "the same bytes are stored once"

    # Refused: what the bytes are not, nothing at all, too much, and who may not attach.
    r = upload(county, "photo.pdf", b"<html><script>alert(1)</script>")
    assert r.status_code == 400 and error_of(r)["details"][0]["field"] == "file", r.text
    assert "PDF, PNG, JPEG" in error_of(r)["details"][0]["reason"]
    assert upload(county, "empty.pdf", b"").status_code == 400
    r = upload(county, "big.pdf", b"%PDF-" + b"0" * (6 * 1024 * 1024))
    assert r.status_code == 400 and "at most" in error_of(r)["details"][0]["reason"]
    assert upload(as_role("operator"), "x.pdf", PDF).status_code == 403
    assert upload(as_role("dept_admin"), "x.pdf", PDF).status_code == 403

    # Until it is attached to something, only its uploader sees it.
    assert county.get(f"/api/v1/attachments/{pdf['id']}").status_code == 200
    assert city.get(f"/api/v1/attachments/{pdf['id']}").status_code == 404

    r = province.post("/api/v1/enterprises", json={
        "uscc": make_uscc(world["county"]), "name": unique_name("附件测试企业"), "region": world["county"],
        "industry": world["own"]["enterprise"]["industry"], "status": "running"})
    eid = r.json()["id"]
    r = county.post(f"/api/v1/enterprises/{eid}/list-proposals",
                    json={"change": "exit", "reason": "关停", "attachments": ["f" * 64]})
    assert r.status_code == 400 and "not an uploaded attachment" in r.text
    r = county.post(f"/api/v1/enterprises/{eid}/list-proposals",
                    json={"change": "exit", "reason": "关停", "attachments": ["not-a-hash"]})
    assert r.status_code == 400 and error_of(r)["details"][0]["field"] == "attachments"
    r = county.post(f"/api/v1/enterprises/{eid}/list-proposals",
                    json={"change": "exit", "reason": "关停", "attachments": [pdf["id"]]})
    assert r.status_code == 201, r.text
    assert r.json()["content"]["attachments"] == [pdf["id"]]
    detail = city.get(f"/api/v1/reviews/{r.json()['id']}").json()
    assert [(a["id"], a["name"], a["version"], a["preview"]) for a in detail["attachments"]] == [
        (pdf["id"], "关停文件.pdf", 1, True)]

    # Now whoever sees the item sees the file: the city and province, not another city's county.
    for who in (city, province):
        got = who.get(f"/api/v1/attachments/{pdf['id']}")
        assert got.status_code == 200 and got.content == PDF
        assert got.headers["Content-Type"].startswith("application/pdf")
        assert got.headers["Content-Disposition"].startswith("inline")
    other_county, password, _ = make_user(role="county", region=world["other_city_county"])
    assert server.login(other_county, password).get(f"/api/v1/attachments/{pdf['id']}").status_code == 404
    assert enterprise.get(f"/api/v1/attachments/{pdf['id']}").status_code == 404, "not the enterprise's item"
    assert province.get(f"/api/v1/attachments/{'0' * 64}").status_code == 404
    assert county.get("/api/v1/attachments/XYZ").status_code == 400


def test_an_enterprise_users_change_of_supervised_fields_waits_for_county_city_and_province(as_role, world):
    enterprise, county, city, province = (as_role(r) for r in ("enterprise", "county", "city", "province"))
    eid = world["own"]["enterprise"]["id"]
    r = enterprise.post("/api/v1/projects", json={
        "enterprise_id": eid, "name": unique_name("扩能项目"), "industry": world["own"]["enterprise"]["industry"],
        "capacity": 100, "capacity_unit": "万吨/年"})
    assert r.status_code == 201, r.text
    pid = r.json()["id"]

    # The investment is the enterprise's to keep; the capacity is supervised.
    r = enterprise.patch(f"/api/v1/projects/{pid}", json={"capacity": 120, "investment": 5000})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["investment"] == 5000 and body["capacity"] == 100, "only the unsupervised field applied"
    pending = body["pending_review"]
    assert pending["flow"] == "info_change" and pending["level"] == "county" and pending["version"] == 1
    iid = pending["id"]
    r = enterprise.patch(f"/api/v1/projects/{pid}", json={"capacity": 130})
    assert r.status_code == 409 and f"item {iid}" in error_of(r)["message"], r.text
    r = enterprise.patch(f"/api/v1/projects/{pid}", json={"capacity": 100, "investment": 5100})
    assert r.status_code == 200 and "pending_review" not in r.json(), "an unchanged supervised value is no change"
    r = enterprise.patch(f"/api/v1/projects/{pid}", json={"capacity": -5})
    assert r.status_code == 400 and error_of(r)["details"][0]["field"] == "capacity"

    item = county.get(f"/api/v1/reviews/{iid}").json()
    assert item["content"]["changes"] == {"capacity": {"old": 100, "new": 120}}
    assert item["subject"] == {"kind": "project", "id": pid, "label": body["name"], "enterprise_id": eid,
                               "enterprise_name": world["own"]["enterprise"]["name"]}
    assert iid in todo(county)
    assert decide(county, iid, "approve").status_code == 200
    r = decide(city, iid, "return", "扩能需附节能审查意见")
    assert r.status_code == 200 and r.json()["level"] == "enterprise"
    assert iid in todo(enterprise), "back with the enterprise"
    r = county.post(f"/api/v1/reviews/{iid}/resubmit", json={"reason": "x"})
    assert r.status_code == 409, "a file change is sent again by editing the record"

    r = enterprise.patch(f"/api/v1/projects/{pid}", json={"capacity": 115})
    assert r.status_code == 200 and r.json()["pending_review"] == {
        "id": iid, "flow": "info_change", "status": "submitted", "level": "county", "version": 2}
    for who in (county, city):
        assert decide(who, iid, "approve").status_code == 200
    assert province.get(f"/api/v1/projects/{pid}").json()["capacity"] == 100, "not before the province"
    assert decide(province, iid, "approve").status_code == 200
    assert province.get(f"/api/v1/projects/{pid}").json()["capacity"] == 115
    history = province.get(f"/api/v1/projects/{pid}/history").json()["items"]
    assert history[0]["actor"] == "province"
    assert history[0]["changes"] == [{"field": "capacity", "old": 100, "new": 115}]
    detail = province.get(f"/api/v1/reviews/{iid}").json()
    assert [v["content"]["changes"]["capacity"]["new"] for v in detail["versions"]] == [120, 115]

    # Officials change supervised fields directly.
    r = county.patch(f"/api/v1/projects/{pid}", json={"capacity": 118})
    assert r.status_code == 200 and r.json()["capacity"] == 118 and "pending_review" not in r.json()

    # The project's timeline: its record's changes and every step of the review, newest first.
    timeline = county.get(f"/api/v1/projects/{pid}/timeline").json()["items"]
    assert [e["at"] for e in timeline] == sorted((e["at"] for e in timeline), reverse=True)
    assert (timeline[0]["kind"], timeline[0]["action"], timeline[0]["actor"]) == ("record", "update", "county")
    steps = [(e["action"], e["level"]) for e in timeline if e["kind"] == "review"]
    assert steps == [("approve", "province"), ("approve", "city"), ("approve", "county"), ("resubmit", "enterprise"),
                     ("return", "city"), ("approve", "county"), ("file", "enterprise")]
    assert all(e["review_id"] == iid and e["flow_name"] == "信息变更" for e in timeline if e["kind"] == "review")
    assert timeline[-1]["kind"] == "record" and timeline[-1]["action"] == "create"
    assert enterprise.get(f"/api/v1/projects/{pid}/timeline", params={"limit": 0}).status_code == 400
    mine = enterprise.get(f"/api/v1/enterprises/{eid}/timeline", params={"limit": 1000}).json()["items"]
    assert any(e.get("review_id") == iid for e in mine), "the enterprise's timeline holds its projects' reviews"
    assert not [e for e in mine if e["kind"] == "warning"], "an enterprise reads its warnings on the warnings page"


def test_an_enterprise_status_change_is_reviewed_and_contacts_apply_at_once(as_role, world):
    enterprise, county, city, province = (as_role(r) for r in ("enterprise", "county", "city", "province"))
    eid = world["own"]["enterprise"]["id"]
    before = province.get(f"/api/v1/enterprises/{eid}").json()
    target = "stopped" if before["status"] == "running" else "running"
    contact = unique_name("联系人")[:20]
    r = enterprise.patch(f"/api/v1/enterprises/{eid}", json={"status": target, "contact": contact,
                                                            "business_scope": "水泥熟料生产；建材销售",
                                                            "enterprise_type": "有限责任公司",
                                                            "legal_representative_phone": "0534-1234567",
                                                            "remarks": "信息变更测试"})
    assert r.status_code == 200, r.text
    record = r.json()
    assert record["contact"] == contact and record["status"] == before["status"]
    assert record["business_scope"] == "水泥熟料生产；建材销售" and record["enterprise_type"] == "有限责任公司"
    assert record["legal_representative_phone"] == "0534-1234567" and record["remarks"] == "信息变更测试"
    iid = record["pending_review"]["id"]
    r = enterprise.patch(f"/api/v1/enterprises/{eid}", json={"legal_representative_phone": "call me"})
    assert r.status_code == 400 and error_of(r)["details"][0]["field"] == "legal_representative_phone"
    for who in (county, city, province):
        assert decide(who, iid, "approve").status_code == 200
    assert province.get(f"/api/v1/enterprises/{eid}").json()["status"] == target
    # Put it back for whatever runs after (an official's edit applies at once).
    assert province.patch(f"/api/v1/enterprises/{eid}", json={"status": before["status"]}).status_code == 200


def test_an_overdue_review_item_is_a_workflow_warning_until_it_is_decided(as_role):
    """The demo files list exits weeks ago; those past their 15 days warn until the awaited level acts."""
    from conftest import wait_for_warnings
    province = as_role("province")
    found = wait_for_warnings(province, rule="review_overdue", status="open")
    assert found, "the demo's overdue list work raises warnings"
    waiting = {i["id"]: i for i in province.get("/api/v1/reviews", params={"awaiting": "me", "page_size": 500}).json()["items"]}
    warning = next((w for w in found if w["evidence"]["review_id"] in waiting), None)
    assert warning, "one of them waits for the province"
    item = waiting[warning["evidence"]["review_id"]]
    assert item["overdue"] is True and warning["category"] == "workflow"
    assert "已超过办理期限" in warning["message"] and "省级审核" in warning["message"]
    assert warning["evidence"]["links"][0]["href"] == f"/todo?item={item['id']}"
    assert decide(province, item["id"], "approve", "同意").status_code == 200
    import time
    deadline = time.monotonic() + 30
    while True:
        now = province.get(f"/api/v1/warnings/{warning['id']}").json()
        if now["status"] == "closed":
            break
        assert time.monotonic() < deadline, now
        time.sleep(0.5)
    assert now["closed_reason"] == "cleared"
