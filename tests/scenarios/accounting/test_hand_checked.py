"""Accounting scenarios computed by hand, asserted to 4 significant figures against the real binary.

Factors used (data/factors.csv, data/co2_factors.csv; grid setting north_china 2023):
  electricity  0.1229 kgce/kWh (equivalent value), 0.3016 kgce/kWh (equal value), 0.6361 kgCO2/kWh
  raw coal     714.3 kgce/t, 1900.3 kgCO2/t

The scenarios use the demo enterprise of the `enterprise` account, with meters of their own, in months
no other test touches (March to June 2024).
"""

import datetime as dt
import json

import pytest

from conftest import post_readings, sign

CST = dt.timezone(dt.timedelta(hours=8))


def sig4(x):
    return float(f"{x:.4g}")


@pytest.fixture(scope="module")
def scenario(province, world, anon):
    own = world["own"]["enterprise"]["id"]
    for code, measures, unit, interval in (("E-SCN", "electricity", "kWh", 300), ("C-SCN", "raw_coal", "t", 3600)):
        r = province.post(f"/api/v1/enterprises/{own}/points", json={
            "code": code, "name": "核算场景", "measures": measures, "unit": unit, "kind": "interval",
            "interval_s": interval, "in_total": True})
        assert r.status_code == 201, r.text
    key = province.post(f"/api/v1/enterprises/{own}/keys").json()

    def send(rows):
        r = post_readings(anon, key, rows)
        assert r.status_code == 200 and not r.json()["rejected"], r.text

    def at(month, day, hour, minutes=0):
        return (dt.datetime(2024, month, day, hour, tzinfo=CST) + dt.timedelta(minutes=minutes)).isoformat()

    # March: ten 5-minute amounts of 1,000 kWh and five hourly tonnes of coal, metered only.
    send([{"point": "E-SCN", "ts": at(3, 12, 9, 5 * i), "v": 1000} for i in range(10)]
         + [{"point": "C-SCN", "ts": at(3, 12, 9 + i, 0), "v": 1} for i in range(5)])
    # April: a little metered electricity, which the approved report will stand in for.
    send([{"point": "E-SCN", "ts": at(4, 8, 10, 5 * i), "v": 1000} for i in range(3)])
    # May: 2,000 kWh metered, no report.
    send([{"point": "E-SCN", "ts": at(5, 20, 14, 5 * i), "v": 500} for i in range(4)])
    return own


def account(client, own, period):
    r = client.get(f"/api/v1/accounting/enterprises/{own}", params={"period": period})
    assert r.status_code == 200, r.text
    return r.json()


def test_metered_month(province, scenario):
    a = account(province, scenario, "2024-03")
    assert [m["source"] for m in a["months"]] == ["metered"]
    # Comprehensive, equivalent value: 10,000 x 0.1229 / 1000 = 1.229; 5 x 714.3 / 1000 = 3.5715; sum 4.8005 tce.
    assert sig4(a["comprehensive_tce"]["equivalent"]) == 4.801
    # Equal value: 10,000 x 0.3016 / 1000 = 3.016; + 3.5715 = 6.5875 tce.
    assert sig4(a["comprehensive_tce"]["equal"]) == 6.588
    # CO2: 10,000 x 0.6361 = 6,361 kg; 5 x 1,900.3 = 9,501.5 kg; 15,862.5 kg = 15.8625 t.
    assert sig4(a["co2_t"]) == 15.86
    assert a["intensity"] is None, "no value added without a report"
    assert a["grid"] == {"region": "north_china", "year": 2023}
    used = {(f["energy_type"], f["variant"]): f["kgce_per_unit"] for f in a["factors"]}
    assert used[("electricity", "equivalent")] == 0.1229 and used[("raw_coal", "")] == 714.3
    assert {f["energy_type"]: f["kg_co2_per_unit"] for f in a["co2_factors"]} == {"electricity": 0.6361, "raw_coal": 1900.3}


def approve(as_role, own, period, content, explanation):
    enterprise = as_role("enterprise")
    r = enterprise.post(f"/api/v1/enterprises/{own}/reports/monthly/{period}/submit",
                        json={"content": content, "explanation": explanation})
    assert r.status_code == 200, r.text
    rid = r.json()["id"]
    for role in ("county", "city", "province"):
        r = as_role(role).post(f"/api/v1/reports/{rid}/review", json={"action": "approve"})
        assert r.status_code == 200, r.text
    return rid


def test_an_approved_report_stands_in_for_metered_use(as_role, province, scenario):
    content = {
        "business": {"gross_output_value": 12000, "value_added": 3100, "tax": 420, "revenue": 11800, "staff": 356,
                     "total_assets": 56000},
        "production": [{"product": "水泥熟料", "unit": "t", "output": 52000}],
        # 200,000 x 0.1229 / 1000 = 24.58; 100 x 714.3 / 1000 = 71.43; 96.01 tce.
        "energy": {"electricity": 200000, "raw_coal": 100, "comprehensive": 96.01},
    }
    rid = approve(as_role, scenario, "2024-04", content, "计量点 E-SCN 只覆盖办公楼，生产用电由供电公司关口表计量")
    a = account(province, scenario, "2024-04")
    assert a["months"][0]["source"] == "report" and a["months"][0]["report_id"] == rid
    assert sig4(a["comprehensive_tce"]["equivalent"]) == 96.01
    # Equal value: 200,000 x 0.3016 / 1000 = 60.32; + 71.43 = 131.75 tce.
    assert sig4(a["comprehensive_tce"]["equal"]) == 131.8
    # CO2: 200,000 x 0.6361 = 127,220 kg; 100 x 1,900.3 = 190,030 kg; 317.25 t.
    assert sig4(a["co2_t"]) == 317.2
    # Intensity on the dual-control (equivalent) figure: 96.01 / 3,100 = 0.030971 tce per 10k yuan;
    # 317.25 / 3,100 = 0.10234 t CO2 per 10k yuan.
    assert sig4(a["intensity"]["tce_per_10k_yuan"]) == 0.03097
    assert sig4(a["intensity"]["co2_t_per_10k_yuan"]) == 0.1023


def test_a_quarter_mixes_sources_month_by_month(province, scenario):
    # Run after the April report is approved: April from the report, May and June metered.
    a = account(province, scenario, "2024-Q2")
    assert [(m["month"], m["source"]) for m in a["months"]] == [("2024-04", "report"), ("2024-05", "metered"),
                                                               ("2024-06", "metered")]
    # 96.01 (April) + 2,000 x 0.1229 / 1000 = 0.2458 (May) + 0 (June) = 96.2558 tce.
    assert sig4(a["comprehensive_tce"]["equivalent"]) == 96.26
    # CO2: 317.25 + 2,000 x 0.6361 / 1000 = 1.2722; 318.5222 t.
    assert sig4(a["co2_t"]) == 318.5
    assert a["value_added"] is None and a["intensity"] is None, "value added is known for April only"


def test_bad_periods_and_scope(as_role, province, scenario, world):
    for period in ("2024-13", "2024-Q5", "24", ""):
        r = province.get(f"/api/v1/accounting/enterprises/{scenario}", params={"period": period})
        assert r.status_code == 400, period
    foreign = world["other_city"]["enterprise"]["id"]
    assert as_role("city").get(f"/api/v1/accounting/enterprises/{foreign}", params={"period": "2024-03"}).status_code == 404
    assert as_role("enterprise").get(f"/api/v1/accounting/enterprises/{scenario}",
                                     params={"period": "2024-03"}).status_code == 200


def test_co2_by_enterprise_and_region_from_metered_use(province, scenario, world):
    # March 2024 of the scenario meters: 15.8625 t, as the enterprise account found; nothing else of the
    # enterprise is metered that month, so its CO2 total is the same, and its county's includes it.
    params = {"energy_type": "co2", "step": "month", "from": "2024-03-01", "to": "2024-04-01"}
    mine = province.get("/api/v1/energy", params={**params, "group_by": "enterprise", "enterprise": scenario}).json()
    assert mine["unit"] == "t" and mine["grid"] == {"region": "north_china", "year": 2023}
    assert sig4(mine["items"][0]["total"]) == 15.86
    assert {f["energy_type"] for f in mine["factors"]} == {"electricity", "raw_coal"}
    counties = province.get("/api/v1/energy", params={**params, "group_by": "region", "region": world["city"]}).json()
    county = next(i for i in counties["items"] if i["key"] == world["county"])
    assert county["total"] >= mine["items"][0]["total"] - 1e-9


@pytest.fixture(scope="module")
def july(province, world, anon, make_user, login, scenario):
    """July 2024: 5 x 1,000 kWh and 2 t of raw coal metered on the 3rd, 100 t of product output metered;
    the power company reports 6,000 kWh for the month."""
    own = scenario
    r = province.post(f"/api/v1/enterprises/{own}/points", json={
        "code": "O-SCN", "name": "熟料产量", "measures": "product_output", "unit": "t", "kind": "interval",
        "interval_s": 3600, "in_total": True})
    assert r.status_code == 201, r.text
    key = province.post(f"/api/v1/enterprises/{own}/keys").json()
    at = lambda hour, minutes=0: dt.datetime(2024, 7, 3, hour, minutes, tzinfo=CST).isoformat()
    r = post_readings(anon, key, [{"point": "E-SCN", "ts": at(9, 5 * i), "v": 1000} for i in range(5)]
                      + [{"point": "C-SCN", "ts": at(9 + i), "v": 1} for i in range(2)]
                      + [{"point": "O-SCN", "ts": at(12), "v": 100}])
    assert r.status_code == 200 and not r.json()["rejected"], r.text
    username, password, _ = make_user(role="dept_admin", department="power", region="370000")
    power = login(username, password)
    dkey = power.post("/api/v1/department-keys").json()
    uscc = province.get(f"/api/v1/enterprises/{own}").json()["uscc"]
    path = "/api/v1/collection-tasks/power_monthly/records"
    body = json.dumps({"rows": [{"credit_code": uscc, "period": "2024-07", "values": {"electricity": 6000}}]}).encode()
    r = anon.post(path, data=body, headers={"Authorization": sign(dkey["key_id"], dkey["secret"], "POST", path, body),
                                            "Content-Type": "application/json"})
    assert r.status_code == 200, r.text
    return own


def test_department_electricity_stands_in_for_metered_electricity(province, july):
    a = account(province, july, "2024-07")
    month = a["months"][0]
    assert month["source"] == "mixed"
    assert month["sources"]["electricity"]["source"] == "department"
    assert month["sources"]["electricity"]["task"] == "power_monthly"
    assert month["sources"]["raw_coal"] == {"source": "metered", "amount": 2}
    assert "product_output" not in month["amounts"] and month["output"] == 100
    # Equivalent: 6,000 x 0.1229 / 1000 = 0.7374; 2 x 714.3 / 1000 = 1.4286; 2.166 tce.
    assert sig4(a["comprehensive_tce"]["equivalent"]) == 2.166
    # Equal: 6,000 x 0.3016 / 1000 = 1.8096; + 1.4286 = 3.2382 tce.
    assert sig4(a["comprehensive_tce"]["equal"]) == 3.238
    # CO2: 6,000 x 0.6361 = 3,816.6 kg; 2 x 1,900.3 = 3,800.6 kg; 7.6172 t.
    assert sig4(a["co2_t"]) == 7.617
    # Unit consumption on the dual-control figure: 2.166 tce x 1000 / 100 t = 21.66 kgce/t.
    assert sig4(a["efficiency"]["kgce_per_t"]) == 21.66


def test_sources_side_by_side(province, july):
    r = province.get(f"/api/v1/accounting/enterprises/{july}/sources", params={"period": "2024-07"})
    assert r.status_code == 200, r.text
    month = r.json()["months"][0]
    e = month["types"]["electricity"]
    # Metered 5,000 kWh; the power company says 6,000 kWh: +20 %, beyond the 5 % tolerance.
    assert (e["metered"], e["department"], e["reported"]) == (5000, 6000, None)
    assert e["department_task"] == "power_monthly" and e["department_vs_metered_pct"] == 20
    assert month["types"]["raw_coal"]["metered"] == 2 and month["types"]["raw_coal"]["department"] is None
    assert "product_output" not in month["types"]
    assert province.get(f"/api/v1/accounting/enterprises/{july}/sources",
                        params={"period": "2024-07-03"}).status_code == 400


def test_a_day_is_metered_only(province, july):
    a = account(province, july, "2024-07-03")
    assert a["kind"] == "day" and [m["source"] for m in a["months"]] == ["metered"]
    # 5,000 x 0.1229 / 1000 = 0.6145; + 1.4286 = 2.0431 tce; per 100 t: 20.431 kgce/t.
    assert sig4(a["comprehensive_tce"]["equivalent"]) == 2.043
    assert sig4(a["efficiency"]["kgce_per_t"]) == 20.43


def test_drilldown_names_every_input(province, july):
    r = province.get(f"/api/v1/accounting/enterprises/{july}/drilldown", params={"period": "2024-07"})
    assert r.status_code == 200, r.text
    d = r.json()
    terms = {t["energy_type"]: t for t in d["terms"]}
    assert set(terms) == {"electricity", "raw_coal"}
    e = terms["electricity"]
    assert e["input"]["source"] == "department" and e["input"]["record_id"] and e["input"]["upload_id"]
    assert e["equivalent"]["kgce_per_unit"] == 0.1229 and e["equal"]["kgce_per_unit"] == 0.3016
    assert e["co2_factor"]["kg_co2_per_unit"] == 0.6361
    assert sig4(e["tce_equivalent"]) == 0.7374 and sig4(e["co2_kg"]) == 3817
    c = terms["raw_coal"]
    assert c["input"]["source"] == "metered"
    # Every coal meter that counts toward the total is listed, those without data in July with 0 samples.
    points = {p["code"]: (p["amount"], p["samples"]) for p in c["input"]["points"]}
    assert points["C-SCN"] == (2, 2)
    assert sum(a for a, _ in points.values()) == c["input"]["amount"] == 2
    assert c["equivalent"]["version"] == 1
    assert "折标系数" in d["formula"]["comprehensive"]
    only = province.get(f"/api/v1/accounting/enterprises/{july}/drilldown",
                        params={"period": "2024-07", "energy_type": "raw_coal"}).json()
    assert [t["energy_type"] for t in only["terms"]] == ["raw_coal"]


def test_groups_add_up_the_enterprises(province, as_role, july, world):
    r = province.get("/api/v1/accounting", params={"group_by": "enterprise", "region": world["county"],
                                                   "period": "2024-07"})
    assert r.status_code == 200, r.text
    body = r.json()
    mine = next(i for i in body["items"] if i["key"] == str(july))
    assert sig4(mine["tce_equivalent"]) == 2.166 and mine["month_sources"] == {"mixed": 1}
    assert mine["name"]
    assert body["total"]["tce_equivalent"] == pytest.approx(sum(i["tce_equivalent"] for i in body["items"]))
    counties = province.get("/api/v1/accounting", params={"group_by": "region", "region": world["city"],
                                                          "period": "2024-07"}).json()
    county = next(i for i in counties["items"] if i["key"] == world["county"])
    assert county["tce_equivalent"] >= mine["tce_equivalent"] - 1e-9
    assert county["name"]
    assert counties["total"]["enterprises"] == sum(i["enterprises"] for i in counties["items"])
    cities = province.get("/api/v1/accounting", params={"group_by": "region", "period": "2024-07"}).json()
    assert all(len(i["key"]) == 6 and i["key"].endswith("00") for i in cities["items"])
    industries = province.get("/api/v1/accounting", params={"group_by": "industry", "period": "2024-Q3"}).json()
    assert industries["total"]["tce_equivalent"] == pytest.approx(cities["total"]["tce_equivalent"])
    # Scope: a city cannot add up another city; an enterprise has no regional view; bad queries name the field.
    assert as_role("city").get("/api/v1/accounting", params={"region": world["other_city_code"],
                                                             "period": "2024-07"}).status_code == 404
    assert as_role("enterprise").get("/api/v1/accounting", params={"period": "2024-07"}).status_code == 403
    r = province.get("/api/v1/accounting", params={"group_by": "planet", "period": "2024-7"})
    assert r.status_code == 400
    assert {d["field"] for d in r.json()["error"]["details"]} == {"group_by", "period"}


def test_a_project_counts_the_meters_that_belong_to_it(province, as_role, anon, scenario, world):
    own = scenario
    r = province.post("/api/v1/projects", json={
        "enterprise_id": own, "name": "核算场景熟料线", "industry": world["own"]["enterprise"]["industry"],
        "state": "existing", "product": "水泥熟料", "capacity": 100000, "capacity_unit": "吨/年"})
    assert r.status_code == 201, r.text
    project = r.json()["id"]
    for code, measures, unit in (("E-PRJ", "electricity", "kWh"), ("O-PRJ", "product_output", "t")):
        r = province.post(f"/api/v1/enterprises/{own}/points", json={
            "code": code, "name": "熟料线", "measures": measures, "unit": unit, "kind": "interval",
            "interval_s": 3600, "in_total": True, "project_id": project})
        assert r.status_code == 201, r.text
    foreign = world["other_city"]["project"]["id"]
    r = province.post(f"/api/v1/enterprises/{own}/points", json={
        "code": "X-PRJ", "name": "错", "measures": "water", "unit": "t", "kind": "interval", "interval_s": 3600,
        "project_id": foreign})
    assert r.status_code == 400 and r.json()["error"]["details"] == [
        {"field": "project_id", "reason": "is not a project of this enterprise"}]
    key = province.post(f"/api/v1/enterprises/{own}/keys").json()
    at = lambda hour: dt.datetime(2024, 8, 10, hour, tzinfo=CST).isoformat()
    r = post_readings(anon, key, [{"point": "E-PRJ", "ts": at(h), "v": 4000} for h in range(5)]
                      + [{"point": "O-PRJ", "ts": at(12), "v": 250}])
    assert r.status_code == 200 and not r.json()["rejected"], r.text
    r = province.get(f"/api/v1/accounting/projects/{project}", params={"period": "2024-08"})
    assert r.status_code == 200, r.text
    a = r.json()
    assert a["project_name"] == "核算场景熟料线" and [m["source"] for m in a["months"]] == ["metered"]
    # 5 x 4,000 kWh = 20,000 kWh x 0.1229 / 1000 = 2.458 tce; per 250 t: 9.832 kgce/t, under 标杆 100.
    assert sig4(a["comprehensive_tce"]["equivalent"]) == 2.458
    assert sig4(a["efficiency"]["kgce_per_t"]) == 9.832
    assert a["efficiency"]["product"] == "水泥熟料" and a["efficiency"]["class"] == "advanced"
    d = province.get(f"/api/v1/accounting/projects/{project}/drilldown", params={"period": "2024-08"}).json()
    assert [(p["code"], p["amount"]) for p in d["terms"][0]["input"]["points"]] == [("E-PRJ", 20000)]
    assert as_role("city").get(f"/api/v1/accounting/projects/{foreign}", params={"period": "2024-08"}).status_code == 404
    assert province.get("/api/v1/accounting/projects/999999", params={"period": "2024-08"}).status_code == 404


def test_zz_a_new_factor_version_never_rewrites_a_published_report(as_role, province, scenario):
    # Last in the session on purpose: it changes the raw-coal coefficient from April 2024 on.
    r = as_role("city").post("/api/v1/reference/factors", json={
        "energy_type": "raw_coal", "kgce_per_unit": 700, "valid_from": "2024-04-01", "status": "to_be_confirmed",
        "source": "test"})
    assert r.status_code == 403, "only the province edits reference data"
    r = province.post("/api/v1/reference/factors", json={
        "energy_type": "raw_coal", "kgce_per_unit": 700, "valid_from": "2024-13-01", "status": "maybe", "source": ""})
    assert r.status_code == 400
    assert {d["field"] for d in r.json()["error"]["details"]} == {"valid_from", "status", "source"}
    r = province.post("/api/v1/reference/factors", json={
        "energy_type": "raw_coal", "kgce_per_unit": 700, "valid_from": "2024-04-01", "status": "to_be_confirmed",
        "source": "省统计局 2024 年煤质抽检（测试）"})
    assert r.status_code == 201, r.text
    added = r.json()
    assert added["version"] == 2 and added["unit"] == "kgce/t"

    # March (metered, before the new version): unchanged at 4.8005 tce.
    assert sig4(account(province, scenario, "2024-03")["comprehensive_tce"]["equivalent"]) == 4.801
    # April is a published report: it keeps raw coal at 714.3 -> still 96.01 tce.
    april = account(province, scenario, "2024-04")
    assert sig4(april["comprehensive_tce"]["equivalent"]) == 96.01
    assert {(f["energy_type"], f["version"]) for f in april["factors"]} >= {("raw_coal", 1)}
    # Recomputing is an explicit look: 24.58 + 100 x 700 / 1000 = 94.58 tce, 1.43 less than published.
    rid = april["months"][0]["report_id"]
    again = province.get(f"/api/v1/reports/{rid}/recompute").json()
    assert again["published"]["comprehensive_tce"] == pytest.approx(96.01)
    assert sig4(again["current"]["comprehensive_tce"]) == 94.58
    assert again["difference_tce"] == pytest.approx(-1.43)
    assert ("raw_coal", 2) in {(f["energy_type"], f["version"]) for f in again["current"]["factors"]}
    audit = province.get("/api/v1/audit", params={"action": "reference."}).json()["items"]
    assert any(a["action"] == "reference.factor.add" and "v2 700" in a["detail"] for a in audit)
