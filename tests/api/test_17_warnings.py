"""Warnings: faults injected through the signed API are found, the lifecycle, who sees what, filters,
thresholds as versioned reference data, notifications.

A fresh enterprise in the demo county gets 16 days of meter data with a hole, a spike, a meter
replacement, a flat line, a point that stopped and an access-end clock that runs fast; its report
and the power company's figure for last month disagree.
"""

import datetime as dt
import json
import time

import pytest

from conftest import (FIRST_PASSWORD, detail_fields, error_of, finish_first_login, make_uscc, post_readings, sign,
                      unique_name, wait_for_warnings)

CST = dt.timezone(dt.timedelta(hours=8))
FIVE_MIN = dt.timedelta(minutes=5)
HOUR = dt.timedelta(hours=1)


def floor_5min(t):
    return t.replace(minute=t.minute - t.minute % 5, second=0, microsecond=0)


def day_at(days_ago, hour, now):
    d = (now - dt.timedelta(days=days_ago)).date()
    return dt.datetime(d.year, d.month, d.day, hour, tzinfo=CST)


@pytest.fixture(scope="module")
def faulty(server, province, anon, world):
    """The enterprise, its points, what was planted where, and when."""
    now = dt.datetime.now(CST)
    county = world["county"]
    r = province.post("/api/v1/enterprises", json={
        "uscc": make_uscc(county), "name": unique_name("预警测试企业"), "region": county, "industry": "C3011",
        "address": "测试地址9号", "lng": 117.1, "lat": 36.5, "phone": "0531-7654321", "staff": 300,
        "key_energy_unit": True})
    assert r.status_code == 201, r.text
    enterprise = r.json()
    eid = enterprise["id"]
    points = {}
    for code, kind, measures, unit, interval in (("R-01", "register", "electricity", "kWh", 300),
                                                 ("S-01", "register", "electricity", "kWh", 300),
                                                 ("D-01", "register", "natural_gas", "m3", 300),
                                                 ("I-01", "instant", "a21026", "mg/m3", 3600)):
        r = province.post(f"/api/v1/enterprises/{eid}/points", json={
            "code": code, "name": code, "kind": kind, "measures": measures, "unit": unit, "interval_s": interval,
            "in_total": code == "R-01"})
        assert r.status_code == 201, r.text
        points[code] = r.json()
    key = province.post(f"/api/v1/enterprises/{eid}/keys").json()

    end = floor_5min(now) - FIVE_MIN
    start = day_at(16, 0, now)
    gap = (day_at(5, 8, now), day_at(5, 14, now))
    spike_at = day_at(3, 14, now) + FIVE_MIN  # the interval starting here carries 30 intervals' worth
    reset_at = day_at(2, 10, now)  # the first reading of the new meter
    stopped_after = floor_5min(now - dt.timedelta(hours=8))
    drift_from = floor_5min(now - dt.timedelta(hours=6))
    flat = (day_at(4, 0, now), day_at(4, 10, now))

    rows = []
    t, i = start, 0
    register, clean, gas, replaced_at = 100000.0, 50000.0, 5000.0, 0.0
    while t <= end:
        amount = 1.0 + (i % 4) * 0.05
        register += amount + (30 if t == spike_at + FIVE_MIN else 0)
        clean += amount / 2
        if t == reset_at:
            replaced_at = register
        value = register - replaced_at + 20 if t >= reset_at else register
        if not (gap[0] <= t < gap[1]):
            rows.append({"point": "R-01", "ts": t.isoformat(), "v": round(value, 2)})
        if t < stopped_after:
            rows.append({"point": "S-01", "ts": t.isoformat(), "v": round(clean, 2)})
        gas += 0.5
        stamp = t + dt.timedelta(seconds=150) if t >= drift_from else t
        rows.append({"point": "D-01", "ts": stamp.isoformat(), "v": round(gas, 2)})
        if t.minute == 0:
            v = 55.0 if flat[0] <= t < flat[1] else 40.0 + (i * 7) % 13
            rows.append({"point": "I-01", "ts": t.isoformat(), "v": v})
        t += FIVE_MIN
        i += 1
    for k in range(0, len(rows), 4000):
        r = post_readings(anon, key, rows[k:k + 4000])
        assert r.status_code == 200 and not r.json()["rejected"], r.text
    return {"enterprise": enterprise, "points": points, "key": key, "gap": gap, "spike_at": spike_at,
            "reset_at": reset_at, "stopped_after": stopped_after, "flat": flat, "now": now}


def warnings_of(client, eid, **filters):
    r = client.get("/api/v1/warnings", params={"enterprise": eid, "page_size": 500, **filters})
    assert r.status_code == 200, r.text
    return r.json()["items"]


def wait_rules(client, eid, rules, timeout=40):
    deadline = time.monotonic() + timeout
    while True:
        items = warnings_of(client, eid)
        have = {w["rule"] for w in items}
        if rules <= have or time.monotonic() > deadline:
            return items
        time.sleep(0.3)


def ts(text):
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_faults_injected_through_the_signed_api_are_found_where_they_are(province, faulty):
    eid, points = faulty["enterprise"]["id"], faulty["points"]
    items = wait_rules(province, eid, {"gap", "spike", "register_reset", "flatline", "meter_stopped",
                                       "timestamp_drift"})
    by_rule = {}
    for w in items:
        by_rule.setdefault(w["rule"], []).append(w)
    gap = by_rule["gap"]
    assert [w["point_id"] for w in gap] == [points["R-01"]["id"]], gap
    assert ts(gap[0]["from"]) == faulty["gap"][0] and ts(gap[0]["to"]) == faulty["gap"][1]
    assert gap[0]["evidence"]["missing_samples"] == 72
    assert gap[0]["category"] == "data" and gap[0]["severity"] == "warning" and gap[0]["status"] == "open"
    assert gap[0]["enterprise_name"] == faulty["enterprise"]["name"] and gap[0]["point_code"] == "R-01"
    assert any(link["href"].startswith(f"/points/{points['R-01']['id']}?") for link in gap[0]["evidence"]["links"])

    spike = by_rule["spike"]
    assert [w["point_id"] for w in spike] == [points["R-01"]["id"]], spike
    assert ts(spike[0]["from"]) == faulty["spike_at"]
    assert spike[0]["evidence"]["ratio"] > 20

    reset = by_rule["register_reset"]
    assert [w["point_id"] for w in reset] == [points["R-01"]["id"]], reset
    assert ts(reset[0]["to"]) == faulty["reset_at"]
    assert reset[0]["evidence"]["after"] < 100 < reset[0]["evidence"]["before"]

    flat = by_rule["flatline"]
    assert [w["point_id"] for w in flat] == [points["I-01"]["id"]], flat
    assert ts(flat[0]["from"]) == faulty["flat"][0]
    assert flat[0]["evidence"]["value"] == 55

    stopped = by_rule["meter_stopped"]
    assert [w["point_id"] for w in stopped] == [points["S-01"]["id"]], stopped
    assert stopped[0]["to"] is None and stopped[0]["evidence"]["silent_hours"] >= 7

    # One warning for the access-end's clock, naming the point whose samples are off the grid.
    drift = by_rule["timestamp_drift"]
    assert [(w["point_id"], w["enterprise_id"]) for w in drift] == [(None, faulty["enterprise"]["id"])], drift
    assert drift[0]["evidence"]["offset_s"] == 150
    assert [p["code"] for p in drift[0]["evidence"]["points"]] == ["D-01"], drift[0]["evidence"]
    assert drift[0]["evidence"]["points_total"] == 4 and "1/4 个计量点" in drift[0]["message"]
    # Nothing else: the access-end as a whole still reports, the clean points have no data warnings.
    assert "access_end_silent" not in by_rule
    data = [w for w in items if w["category"] == "data"]
    # Run soon after China midnight, the stopped meter's silence began yesterday and may take that whole
    # day under 90 % complete: then, and only then, yesterday has its completeness warning too.
    midnight = faulty["now"].replace(hour=0, minute=0, second=0, microsecond=0)
    completeness = [w for w in data if w["rule"] == "day_completeness"]
    if faulty["stopped_after"] < midnight:
        assert all(ts(w["from"]) == midnight - dt.timedelta(days=1) for w in completeness), completeness
        data = [w for w in data if w["rule"] != "day_completeness"]
    assert len(data) == 6, [(w["rule"], w["point_code"]) for w in data]


def test_a_warning_is_acknowledged_then_closed_each_step_recorded(as_role, province, faulty):
    county = as_role("county")
    eid = faulty["enterprise"]["id"]
    gap = wait_for_warnings(county, enterprise=eid, rule="gap")[0]
    r = county.post(f"/api/v1/warnings/{gap['id']}/acknowledge", json={"note": "已通知企业检查采集器"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "acknowledged" and r.json()["acknowledged_by"] == "county"
    r = county.post(f"/api/v1/warnings/{gap['id']}/acknowledge", json={})
    assert r.status_code == 409 and error_of(r)["code"] == "conflict"
    r = county.post(f"/api/v1/warnings/{gap['id']}/close", json={"resolution": "dismissed"})
    assert r.status_code == 400 and "note" in detail_fields(r)
    r = county.post(f"/api/v1/warnings/{gap['id']}/close", json={"resolution": "maybe", "note": "x"})
    assert r.status_code == 400 and "resolution" in detail_fields(r)
    r = county.post(f"/api/v1/warnings/{gap['id']}/close", json={"note": "x", "extra": 1})
    assert r.status_code == 400 and "extra" in detail_fields(r)
    r = county.post(f"/api/v1/warnings/{gap['id']}/close", json={"note": "采集器断电，已恢复"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "closed" and r.json()["closed_reason"] == "resolved"
    r = county.post(f"/api/v1/warnings/{gap['id']}/close", json={"note": "again"})
    assert r.status_code == 409
    detail = county.get(f"/api/v1/warnings/{gap['id']}").json()
    assert [(e["action"], e["actor"]) for e in detail["history"]] == [
        ("opened", "system"), ("acknowledged", "county"), ("resolved", "county")]
    assert detail["history"][2]["note"] == "采集器断电，已恢复"
    assert detail["can"]["handle"] is True
    # The user's steps are in the audit log too.
    audit = province.get("/api/v1/audit", params={"action": "warning.", "username": "county"}).json()["items"]
    assert {e["action"] for e in audit} >= {"warning.acknowledged", "warning.resolved"}
    # A closed warning stays closed: the next evaluations leave it (its condition is still in the data).
    time.sleep(2.5)
    assert county.get(f"/api/v1/warnings/{gap['id']}").json()["status"] == "closed"


def test_dismissing_needs_a_reason_and_bulk_acknowledge_reports_each(as_role, faulty):
    county = as_role("county")
    eid = faulty["enterprise"]["id"]
    items = wait_rules(county, eid, {"spike", "flatline"})
    spike = next(w for w in items if w["rule"] == "spike")
    flat = next(w for w in items if w["rule"] == "flatline")
    r = county.post("/api/v1/warnings/acknowledge", json={"ids": [spike["id"], flat["id"], 999999999]})
    assert r.status_code == 200, r.text
    results = {x["id"]: x for x in r.json()["results"]}
    assert r.json()["acknowledged"] == 2
    assert results[999999999]["ok"] is False and results[999999999]["error"] == "not_found"
    r = county.post("/api/v1/warnings/acknowledge", json={"ids": []})
    assert r.status_code == 400 and "ids" in detail_fields(r)
    r = county.post("/api/v1/warnings/acknowledge", json={"ids": ["1"]})
    assert r.status_code == 400
    r = county.post(f"/api/v1/warnings/{spike['id']}/close",
                    json={"resolution": "dismissed", "note": "计量点检修期间人工走字，非真实用量"})
    assert r.status_code == 200 and r.json()["closed_reason"] == "dismissed"


def test_a_condition_that_goes_away_closes_itself_and_what_it_left_is_found(province, anon, faulty):
    eid, s01 = faulty["enterprise"]["id"], faulty["points"]["S-01"]
    stopped = wait_for_warnings(province, enterprise=eid, rule="meter_stopped")[0]
    # The meter sends again from now on: it is no longer stopped, and the hole it left is a gap.
    t = floor_5min(dt.datetime.now(CST)) - 2 * FIVE_MIN
    rows = [{"point": "S-01", "ts": (t + k * FIVE_MIN).isoformat(), "v": 999999 + k} for k in range(2)]
    r = post_readings(anon, faulty["key"], rows)
    assert r.status_code == 200 and not r.json()["rejected"], r.text
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        w = province.get(f"/api/v1/warnings/{stopped['id']}").json()
        if w["status"] == "closed":
            break
        time.sleep(0.3)
    assert w["status"] == "closed" and w["closed_reason"] == "cleared", w
    assert w["history"][-1]["action"] == "cleared" and w["history"][-1]["actor"] == "system"
    assert w["note"]  # why it closed
    gaps = wait_for_warnings(province, enterprise=eid, rule="gap", point=s01["id"])
    assert len(gaps) == 1 and ts(gaps[0]["from"]) <= faulty["stopped_after"] + FIVE_MIN


def test_enterprise_users_see_their_meters_warnings_and_nothing_else(server, province, as_role, faulty, world):
    eid = faulty["enterprise"]["id"]
    wait_for_warnings(province, enterprise=eid, rule="flatline")
    username = unique_name("ew")
    r = province.post("/api/v1/users", json={"username": username, "password": FIRST_PASSWORD, "role": "enterprise",
                                             "enterprise": faulty["enterprise"]["uscc"]})
    assert r.status_code == 201, r.text
    finish_first_login(server, username, FIRST_PASSWORD, "Warn#Pass2026")
    user = server.login(username, "Warn#Pass2026")
    mine = user.get("/api/v1/warnings", params={"page_size": 500}).json()["items"]
    assert mine and all(w["enterprise_id"] == eid for w in mine)
    assert {w["rule"] for w in mine} <= {"gap", "meter_stopped", "access_end_silent", "flatline", "spike",
                                         "register_reset", "timestamp_drift", "day_completeness",
                                         "calibration_overdue", "daily_data_late"}
    rules = {x["rule"] for x in user.get("/api/v1/warnings/rules").json()["items"]}
    assert "report_late" not in rules and "source_mismatch" not in rules and "gap" in rules
    # A supervision finding about the enterprise is not shown to it, as if it did not exist.
    r = user.get("/api/v1/warnings", params={"rule": "source_mismatch"})
    assert r.status_code == 200 and r.json()["total"] == 0
    # Another enterprise's warning does not exist for it; its own it may read but not handle.
    other = province.get("/api/v1/warnings", params={"enterprise": world["other_city"]["enterprise"]["id"],
                                                     "page_size": 1}).json()["items"]
    if other:
        assert user.get(f"/api/v1/warnings/{other[0]['id']}").status_code == 404
    own = mine[0]
    detail = user.get(f"/api/v1/warnings/{own['id']}")
    assert detail.status_code == 200 and detail.json()["can"]["handle"] is False
    r = user.post(f"/api/v1/warnings/{own['id']}/acknowledge", json={})
    assert r.status_code == 403


def test_filters_summary_and_export(as_role, faulty):
    county, city = as_role("county"), as_role("city")
    eid = faulty["enterprise"]["id"]
    wait_rules(county, eid, {"gap", "flatline"})
    r = county.get("/api/v1/warnings", params={"category": "bogus"})
    assert r.status_code == 400 and "category" in detail_fields(r)
    for bad in ({"status": "done"}, {"severity": "high"}, {"rule": "nope"}, {"region": "12"}, {"page_size": 0},
                {"enterprise": "x"}, {"from": "yesterday"}):
        r = county.get("/api/v1/warnings", params=bad)
        assert r.status_code == 400, (bad, r.text)
        assert set(detail_fields(r)) & set(bad), (bad, r.text)
    data = county.get("/api/v1/warnings", params={"enterprise": eid, "category": "data", "page_size": 500}).json()
    assert data["total"] == len(data["items"]) and all(w["category"] == "data" for w in data["items"])
    both = county.get("/api/v1/warnings", params={"enterprise": eid, "rule": "gap,flatline"}).json()["items"]
    assert {w["rule"] for w in both} <= {"gap", "flatline"} and len({w["rule"] for w in both}) == 2
    # Counts by rule add up to the list's totals.
    summary = county.get("/api/v1/warnings/summary", params={"group_by": "rule", "enterprise": eid}).json()
    total = county.get("/api/v1/warnings", params={"enterprise": eid, "page_size": 1}).json()["total"]
    assert summary["totals"]["total"] == total == sum(g["total"] for g in summary["groups"])
    # By region: the city sees its counties.
    by_region = city.get("/api/v1/warnings/summary", params={"group_by": "region"}).json()
    assert by_region["groups"] and all(len(g["key"]) == 6 for g in by_region["groups"])
    assert any(g["key"] == faulty["enterprise"]["region"] for g in by_region["groups"])
    # Every county of the city is there, those without warnings with zero, for the map.
    city_region = city.get("/api/v1/me").json()["user"]["region"]
    counties = [r["code"] for r in city.get("/api/v1/regions").json()["items"]
                if r.get("parent") == city_region]
    assert counties and set(counties) <= {g["key"] for g in by_region["groups"]}, by_region["groups"]
    assert all(g["name"] for g in by_region["groups"])
    cities = [r["code"] for r in city.get("/api/v1/regions", params={"level": "city"}).json()["items"]]
    province_view = as_role("province").get("/api/v1/warnings/summary", params={"group_by": "region"}).json()
    assert len(cities) == 16 and set(cities) <= {g["key"] for g in province_view["groups"]}
    assert county.get("/api/v1/warnings/summary", params={"group_by": "colour"}).status_code == 400
    # A region outside the county's jurisdiction filters everything out; it is not an error.
    r = county.get("/api/v1/warnings", params={"region": "110000"})
    assert r.status_code == 200 and r.json()["total"] == 0
    csv = county.get("/api/v1/warnings/export", params={"format": "csv", "enterprise": eid})
    assert csv.status_code == 200 and "attachment" in csv.headers["Content-Disposition"]
    assert faulty["enterprise"]["name"] in csv.content.decode("utf-8-sig")
    assert county.get("/api/v1/warnings/export", params={"format": "pdf"}).status_code == 400


def test_thresholds_are_versioned_reference_data_and_the_rules_follow_them(province, as_role, faulty):
    eid, i01 = faulty["enterprise"]["id"], faulty["points"]["I-01"]["id"]
    flat = wait_for_warnings(province, enterprise=eid, rule="flatline")[0]
    assert flat["status"] != "closed", "another test closed the flat line this one needs"
    r = as_role("city").post("/api/v1/warnings/thresholds", json={"rule": "flatline", "name": "min_hours",
                                                                  "value": 12, "source": "x"})
    assert r.status_code == 403
    for bad, field in (({"rule": "flatline", "name": "min_hours", "value": -1, "source": "x"}, "value"),
                       ({"rule": "flatline", "name": "min_hours", "value": 12}, "source"),
                       ({"rule": "flatline", "name": "min_hours", "value": 12, "source": "x", "unit": "h"}, "unit")):
        r = province.post("/api/v1/warnings/thresholds", json=bad)
        assert r.status_code == 400 and field in detail_fields(r), r.text
    r = province.post("/api/v1/warnings/thresholds", json={"rule": "flatline", "name": "colour", "value": 1,
                                                           "source": "x"})
    assert r.status_code == 404
    r = province.post("/api/v1/warnings/thresholds", json={"rule": "flatline", "name": "min_hours", "value": 12,
                                                           "source": "测试：恒值须持续 12 小时"})
    assert r.status_code == 201, r.text
    raised = r.json()
    assert raised["version"] >= 2 and raised["unit"] == "h" and raised["changed_by"] == "province"
    try:
        # The ten-hour flat line is below the new threshold: its warning clears.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            w = province.get(f"/api/v1/warnings/{flat['id']}").json()
            if w["status"] == "closed":
                break
            time.sleep(0.3)
        assert w["status"] == "closed" and w["closed_reason"] == "cleared", w
    finally:
        r = province.post("/api/v1/warnings/thresholds", json={"rule": "flatline", "name": "min_hours", "value": 6,
                                                               "source": "恢复默认"})
        assert r.status_code == 201, r.text
    # Back at six hours the condition is there again: the same warning reopens.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        w = province.get(f"/api/v1/warnings/{flat['id']}").json()
        if w["status"] == "open":
            break
        time.sleep(0.3)
    assert w["status"] == "open" and w["reopened"] == 1, w
    assert [e["action"] for e in w["history"]][-2:] == ["cleared", "reopened"]
    versions = [t for t in province.get("/api/v1/warnings/thresholds").json()["items"]
                if t["rule"] == "flatline" and t["name"] == "min_hours"]
    assert [t["value"] for t in versions][-2:] == [12, 6]
    assert versions[0]["changed_by"] == "data/warning_thresholds.csv"
    audit = province.get("/api/v1/audit", params={"action": "reference.threshold"}).json()["items"]
    assert audit and audit[0]["target"] == "warning_thresholds:flatline:min_hours"


def test_reported_and_department_figures_that_disagree_name_the_source_that_is_off(server, province, as_role, anon,
                                                                                   faulty):
    eid, uscc = faulty["enterprise"]["id"], faulty["enterprise"]["uscc"]
    today = dt.datetime.now(CST).date()
    first = today.replace(day=1) - dt.timedelta(days=1)
    period = f"{first.year:04}-{first.month:02}"
    username = unique_name("filer")
    r = as_role("city").post("/api/v1/users", json={"username": username, "password": FIRST_PASSWORD,
                                                    "role": "enterprise", "enterprise": uscc})
    assert r.status_code == 201, r.text
    finish_first_login(server, username, FIRST_PASSWORD, "Filer#Pass2026")
    filer = server.login(username, "Filer#Pass2026")
    r = filer.post(f"/api/v1/enterprises/{eid}/reports/monthly/{period}/submit", json={"content": {
        "business": {"gross_output_value": 12000, "value_added": 3100, "tax": 420, "revenue": 11800, "staff": 300,
                     "total_assets": 56000},
        "production": [{"product": "水泥熟料", "unit": "t", "output": 52000}],
        "energy": {"electricity": 85000, "comprehensive": 10.45}}})
    assert r.status_code == 200, r.text
    key = as_role("power_admin").post("/api/v1/department-keys").json()
    path = "/api/v1/collection-tasks/power_monthly/records"
    body = json.dumps({"rows": [{"credit_code": uscc, "period": period, "values": {"electricity": 100000}}]}).encode()
    r = anon.post(path, data=body, headers={"Authorization": sign(key["key_id"], key["secret"], "POST", path, body),
                                            "Content-Type": "application/json"})
    assert r.status_code == 200, r.text
    found = wait_for_warnings(province, enterprise=eid, rule="source_mismatch")
    assert len(found) == 1, found
    w = found[0]
    assert w["evidence"]["off_source"] == "reported" and w["evidence"]["pct"] == -15
    assert w["evidence"]["reported"] == 85000 and w["evidence"]["department"] == 100000
    assert w["severity"] == "warning" and "企业报表" in w["message"] and "15.0%" in w["message"]
    assert any(link["href"] == f"/reports/{eid}/monthly/{period}" for link in w["evidence"]["links"])


def test_notifications_follow_each_users_choices(as_role, faulty):
    county = as_role("county")
    eid = faulty["enterprise"]["id"]
    wait_rules(county, eid, {"gap", "flatline"})
    n = county.get("/api/v1/me/notifications").json()
    assert n["prefs"]["categories"] == ["policy", "data", "workflow"] and n["prefs"]["min_severity"] == "warning"
    open_warnings = county.get("/api/v1/warnings", params={"status": "open", "severity": "warning,critical",
                                                           "page_size": 1}).json()["total"]
    assert n["todo"] == open_warnings and len(n["recent"]) <= 10
    try:
        r = county.put("/api/v1/me/notification-prefs", json={"categories": ["workflow"], "min_severity": "critical"})
        assert r.status_code == 200 and r.json()["categories"] == ["workflow"]
        n = county.get("/api/v1/me/notifications").json()
        assert all(w["category"] == "workflow" and w["severity"] == "critical" for w in n["recent"])
        assert county.post("/api/v1/me/notifications/read", json={}).status_code == 200
        assert county.get("/api/v1/me/notifications").json()["unread"] == 0
        for bad, field in (({"categories": ["spam"]}, "categories"), ({"categories": "data"}, "categories"),
                           ({"categories": [], "min_severity": "loud"}, "min_severity"), ({}, "categories"),
                           ({"categories": [], "sms": True}, "sms")):
            r = county.put("/api/v1/me/notification-prefs", json=bad)
            assert r.status_code == 400 and field in detail_fields(r), (bad, r.text)
    finally:
        county.put("/api/v1/me/notification-prefs", json={"categories": ["policy", "data", "workflow"],
                                                          "min_severity": "warning"})
