"""Enterprise monthly reports: drafts, checks, submission, county -> city -> province review, versions,
late and missing lists. Every transition is tried by every role that may and may not take it."""

import datetime as dt

import pytest

from conftest import error_of, post_readings

CST = dt.timezone(dt.timedelta(hours=8))


def last_month():
    today = dt.datetime.now(CST).date()
    first = today.replace(day=1) - dt.timedelta(days=1)
    return first.strftime("%Y-%m")


def this_month():
    return dt.datetime.now(CST).date().strftime("%Y-%m")


def content(electricity=200000.0, raw_coal=100.0, comprehensive=None, **business):
    # Hand check: 200,000 kWh x 0.1229 kgce/kWh = 24,580 kgce = 24.58 tce;
    # 100 t raw coal x 714.3 kgce/t = 71,430 kgce = 71.43 tce; together 96.01 tce.
    if comprehensive is None:
        comprehensive = round(electricity * 0.1229 / 1000 + raw_coal * 714.3 / 1000, 4)
    b = {"gross_output_value": 12000.5, "value_added": 3100, "tax": 420, "revenue": 11800, "staff": 356,
         "total_assets": 56000, "rd_spend": 300}
    b.update(business)
    return {"business": b,
            "production": [{"product": "水泥熟料", "unit": "t", "raw_material": "石灰石", "output": 52000,
                            "output_value": 9800, "capacity": 60000, "price": 360}],
            "energy": {"electricity": electricity, "raw_coal": raw_coal, "comprehensive": comprehensive}}


@pytest.fixture(scope="module")
def own(world):
    return world["own"]["enterprise"]["id"]


def url(enterprise_id, period, kind="monthly"):
    return f"/api/v1/enterprises/{enterprise_id}/reports/{kind}/{period}"


def test_an_empty_report_is_prefilled_and_shows_its_deadline(as_role, own):
    period = last_month()
    r = as_role("enterprise").get(url(own, period))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["report"] is None and body["can"] == {"fill": True, "review": False}
    assert set(body["content"]) == {"business", "production", "energy"}
    # Due by the end of the 5th of the next month, China time.
    this = dt.datetime.now(CST).date().replace(day=6)
    due = dt.datetime(this.year, this.month, 6, tzinfo=CST).astimezone(dt.timezone.utc)
    assert body["due_at"] == due.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    assert body["late"] == (dt.datetime.now(CST).day > 5)


def test_bad_kind_period_and_scope(as_role, own, world):
    enterprise = as_role("enterprise")
    r = enterprise.get(url(own, "2026-13"))
    assert r.status_code == 400 and error_of(r)["details"][0]["field"] == "period"
    r = enterprise.get(url(own, "2026", kind="weekly"))
    assert r.status_code == 400 and error_of(r)["details"][0]["field"] == "kind"
    foreign = world["other_city"]["enterprise"]["id"]
    assert enterprise.get(url(foreign, last_month())).status_code == 404
    assert as_role("city").get(url(foreign, last_month())).status_code == 404
    assert as_role("province").get(url(foreign, last_month())).status_code == 200


def test_only_the_enterprise_fills_its_report(as_role, own):
    body = {"content": content()}
    for role in ("county", "city", "province"):
        r = as_role(role).put(url(own, last_month()), json=body)
        assert r.status_code == 403, (role, r.text)
        r = as_role(role).post(url(own, last_month()) + "/submit", json=body)
        assert r.status_code == 403, (role, r.text)


def test_submission_checks_name_the_fields(as_role, own):
    enterprise = as_role("enterprise")
    period = last_month()
    wrong = content(comprehensive=50)
    r = enterprise.post(url(own, period) + "/submit", json={"content": wrong})
    assert r.status_code == 400, r.text
    details = {d["field"]: d["reason"] for d in error_of(r)["details"]}
    assert details["energy.comprehensive"] == "must equal the conversion of the lines: 96.0100 tce"
    partial = content()
    del partial["business"]["tax"]
    partial["business"]["staff"] = 35.5
    partial["energy"]["coke"] = -1
    partial["production"][0].pop("output")
    r = enterprise.post(url(own, period) + "/submit", json={"content": partial})
    details = {d["field"]: d["reason"] for d in error_of(r)["details"]}
    assert details["business.tax"] == "is required"
    assert details["business.staff"] == "must be a whole number"
    assert details["energy.coke"] == "must be zero or more"
    assert details["production[0].output"] == "is required"
    r = enterprise.post(url(own, this_month()) + "/submit", json={"content": content()})
    assert r.status_code == 400 and error_of(r)["details"][0] == {"field": "period", "reason": "has not ended yet"}
    r = enterprise.put(url(own, period), json={"content": {"energy": {"electricity": "lots"}, "extra": 1}})
    details = {d["field"]: d["reason"] for d in error_of(r)["details"]}
    assert details == {"extra": "unknown section", "energy.electricity": "must be a number"}
    r = enterprise.put(url(own, period), data="{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400


def test_a_report_walks_from_draft_to_province_with_a_return_between(as_role, own, province):
    enterprise, county, city = as_role("enterprise"), as_role("county"), as_role("city")
    period = last_month()
    draft = content()
    draft["business"]["tax"] = None
    r = enterprise.put(url(own, period), json={"content": draft})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "draft" and r.json()["version"] == 0
    r = enterprise.post(url(own, period) + "/submit", json={"content": content()})
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["status"] == "submitted" and report["version"] == 1 and report["awaiting"] == "county"
    rid = report["id"]
    review = lambda who, action, reason="": who.post(f"/api/v1/reports/{rid}/review", json={"action": action, "reason": reason})

    # Only the level the report waits for may act on it.
    for who in (city, province, enterprise):
        assert review(who, "approve").status_code == 403
    assert enterprise.put(url(own, period), json={"content": content()}).status_code == 409, "under review"
    queue = county.get("/api/v1/reports", params={"awaiting": "me"}).json()
    assert rid in [i["id"] for i in queue["items"]]
    assert rid not in [i["id"] for i in city.get("/api/v1/reports", params={"awaiting": "me"}).json()["items"]]
    r = review(county, "approve")
    assert r.status_code == 200 and r.json()["status"] == "county_approved" and r.json()["awaiting"] == "city"
    assert review(county, "approve").status_code == 403, "the county has done its part"
    r = review(city, "return")
    assert r.status_code == 400 and error_of(r)["details"][0]["field"] == "reason"
    r = review(city, "return", "产值与上月差异过大，请核实")
    assert r.status_code == 200 and r.json()["status"] == "returned"

    # Back to the enterprise: a corrected second version.
    file = enterprise.get(url(own, period)).json()
    assert file["can"]["fill"] is True
    assert file["actions"][-1]["reason"] == "产值与上月差异过大，请核实"
    r = enterprise.post(url(own, period) + "/submit", json={"content": content(gross_output_value=11000)})
    assert r.status_code == 200 and r.json()["version"] == 2 and r.json()["status"] == "submitted"
    for who, status in ((county, "county_approved"), (city, "city_approved"), (province, "approved")):
        r = review(who, "approve")
        assert r.status_code == 200 and r.json()["status"] == status, r.text

    final = province.get(f"/api/v1/reports/{rid}").json()
    assert final["report"]["status"] == "approved" and final["can"] == {"fill": False, "review": False}
    assert [v["version"] for v in final["versions"]] == [1, 2]
    assert final["versions"][0]["content"]["business"]["gross_output_value"] == 12000.5, "every version kept"
    assert final["versions"][1]["content"]["business"]["gross_output_value"] == 11000
    assert final["versions"][1]["comprehensive_tce"] == pytest.approx(96.01)
    factors = {(f["energy_type"], f["variant"]): f["version"] for f in final["versions"][1]["factors"]}
    assert ("electricity", "equivalent") in factors and ("raw_coal", "") in factors
    trail = [(a["action"], a["level"]) for a in final["actions"]]
    assert trail == [("save", "enterprise"), ("submit", "enterprise"), ("approve", "county"), ("return", "city"),
                     ("submit", "enterprise"), ("approve", "county"), ("approve", "city"), ("approve", "province")]
    assert review(province, "approve").status_code == 409, "nothing left to review"
    assert enterprise.put(url(own, period), json={"content": content()}).status_code == 409
    audit = province.get("/api/v1/audit", params={"action": "report."}).json()["items"]
    actions = [a["action"] for a in audit if a["target"] == f"reports:{rid}" and a["result"] == "ok"]
    assert actions.count("report.approve") == 4 and actions.count("report.submit") == 2
    assert actions.count("report.return") == 1


def test_late_and_missing_reports_per_jurisdiction(as_role, own):
    county = as_role("county")
    period = last_month()
    r = county.get("/api/v1/reports/late", params={"period": period})
    assert r.status_code == 200, r.text
    body = r.json()
    county_code = county.user["region"]
    assert all(i["region"] == county_code for i in body["items"])
    ids = {i["enterprise_id"]: i for i in body["items"]}
    # The walk above submitted the enterprise's report; anyone else in the county has not.
    if own in ids:
        assert ids[own]["missing"] is False and ids[own]["late"] == (dt.datetime.now(CST).day > 5)
    assert all(i["missing"] for e, i in ids.items() if e != own)
    mine = as_role("enterprise").get("/api/v1/reports/late", params={"period": period}).json()
    assert all(i["enterprise_id"] == own for i in mine["items"])
    r = county.get("/api/v1/reports/late", params={"period": "last"})
    assert r.status_code == 400 and error_of(r)["details"][0]["field"] == "period"


def test_metered_use_must_agree_within_five_percent_or_be_explained(as_role, own, province, anon):
    r = province.post(f"/api/v1/enterprises/{own}/points", json={
        "code": "E-RPT", "name": "报表校核电表", "measures": "electricity", "unit": "kWh", "kind": "interval",
        "interval_s": 300, "in_total": True})
    assert r.status_code == 201, r.text
    key = province.post(f"/api/v1/enterprises/{own}/keys").json()
    period = dt.date.fromisoformat(last_month() + "-01").replace(year=dt.date.fromisoformat(last_month() + "-01").year - 1)
    start = dt.datetime(period.year, period.month, 10, 8, tzinfo=CST)
    rows = [{"point": "E-RPT", "ts": (start + dt.timedelta(minutes=5 * i)).isoformat(), "v": 1000} for i in range(10)]
    r = post_readings(anon, key, rows)
    assert r.status_code == 200 and r.json()["accepted"] == 10, r.text
    enterprise = as_role("enterprise")
    old = period.strftime("%Y-%m")
    file = enterprise.get(url(own, old)).json()
    assert file["metered"]["electricity"] == 10000
    assert file["content"]["energy"]["electricity"] == 10000, "the draft is pre-filled from metered use"
    r = enterprise.post(url(own, old) + "/submit", json={"content": content(electricity=5000)})
    details = {d["field"]: d["reason"] for d in error_of(r)["details"]}
    assert details["energy.electricity"] == "differs from the metered 10000.00 by 50.0%; give an explanation"
    r = enterprise.post(url(own, old) + "/submit", json={"content": content(electricity=9800)})
    assert r.status_code == 200, "within 5 % needs no explanation"


def test_a_difference_from_metered_use_may_be_explained_instead(as_role, own, province, anon):
    period = dt.date.fromisoformat(last_month() + "-01")
    period = period.replace(year=period.year - 2)
    key = province.post(f"/api/v1/enterprises/{own}/keys").json()
    start = dt.datetime(period.year, period.month, 3, 9, tzinfo=CST)
    rows = [{"point": "E-RPT", "ts": (start + dt.timedelta(minutes=5 * i)).isoformat(), "v": 2000} for i in range(5)]
    r = post_readings(anon, key, rows)
    assert r.status_code == 200, r.text
    enterprise = as_role("enterprise")
    old = period.strftime("%Y-%m")
    why = "电表 E-RPT 计量范围含代管的相邻企业用电，已另行报备"
    r = enterprise.post(url(own, old) + "/submit", json={"content": content(electricity=5000), "explanation": why})
    assert r.status_code == 200, r.text
    file = enterprise.get(url(own, old)).json()
    assert file["versions"][-1]["explanation"] == why and file["explanation"] == why
    assert file["late"] is True, "two years after its deadline"
