"""Dual-control targets and the year-end forecast, hand-computed.

A fresh enterprise in a county with no other enterprise gets the power company's monthly figures:
last year, month m used L(m) = 100 000 x (1 + m/10) kWh; this year every known month used 1.1 x L(m).
Electricity counts for dual control at its equivalent value, 0.1229 kgce/kWh (GB/T 2589-2020), so

    last year          sum L = 100 000 x (12 + 7.8) = 1 980 000 kWh = 243.342 tce
    year to date (K)   1.1 x 100 000 x (K + K(K+1)/20) kWh x 0.1229 / 1000
    forecast           seasonal: this year's known months, then last year's remaining months x the
                       ratio of this year to last year over the known months (1.1), i.e. 1.1 x 243.342
                       = 267.6762 tce whatever K is.

K is the number of complete months of the current year (China time); in January there is none and
the view says no_data. The province's targets for the county then move the status through on_track,
approaching (at 95 % of the target, the target_forecast threshold), exceeding, and back; the
target_forecast warning follows, one warning for one target, closed by itself when it clears.
"""

import datetime as dt
import json
import pathlib
import sys
import time

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).parents[1] / "scenarios"))
from scenario_runner import own_county  # noqa: E402
from conftest import all_pages, error_of, detail_fields, make_uscc, sign, unique_name, wait_for_warnings

CST = dt.timezone(dt.timedelta(hours=8))
KGCE_PER_KWH = 0.1229


def last_year_kwh(m):
    return 100000 * (1 + m / 10)


def tce(kwh):
    return kwh * KGCE_PER_KWH / 1000


@pytest.fixture(scope="module")
def county_with_data(server, province, anon, as_role):
    today = dt.datetime.now(CST).date()
    year, known = today.year, today.month - 1
    county = own_county(server, anon)
    r = province.post("/api/v1/enterprises", json={
        "uscc": make_uscc(county), "name": unique_name("双控测试企业"), "region": county, "industry": "C3011",
        "address": "测试地址19号", "lng": 117.2, "lat": 36.6, "phone": "0531-7654319", "staff": 120,
        "key_energy_unit": True})
    assert r.status_code == 201, r.text
    enterprise = r.json()
    rows = [{"credit_code": enterprise["uscc"], "period": f"{year - 1}-{m:02}",
             "values": {"electricity": last_year_kwh(m)}} for m in range(1, 13)]
    rows += [{"credit_code": enterprise["uscc"], "period": f"{year}-{m:02}",
              "values": {"electricity": round(1.1 * last_year_kwh(m), 3)}} for m in range(1, known + 1)]
    key = as_role("power_admin").post("/api/v1/department-keys").json()
    path = "/api/v1/collection-tasks/power_monthly/records"
    body = json.dumps({"rows": rows}).encode()
    r = anon.post(path, data=body, headers={"Authorization": sign(key["key_id"], key["secret"], "POST", path, body),
                                            "Content-Type": "application/json"})
    assert r.status_code == 200, r.text
    assert r.json()["accepted"] == len(rows)
    ytd = tce(sum(1.1 * last_year_kwh(m) for m in range(1, known + 1)))
    return {"county": county, "year": year, "known": known, "enterprise": enterprise,
            "ytd": ytd, "forecast": tce(1.1 * 1980000)}


def set_target(province, county, year, value, source="测试：县级能耗总量目标"):
    r = province.post("/api/v1/targets", json={"region": county, "year": year, "indicator": "energy_total",
                                               "value": value, "source": source})
    assert r.status_code == 201, r.text
    return r.json()


def view_of(client, county, year):
    r = client.get("/api/v1/dual-control", params={"year": year, "region": county})
    assert r.status_code == 200, r.text
    items = [i for i in r.json()["items"] if i["target"]["region"] == county
             and i["target"]["indicator"] == "energy_total"]
    assert len(items) == 1, r.json()
    return r.json(), items[0]


def test_the_months_and_the_forecast_are_the_hand_computed_figures(province, county_with_data):
    d = county_with_data
    target = set_target(province, d["county"], d["year"], round(d["forecast"] * 2, 3))
    assert target["unit"] == "tce" and target["example"] is False and target["region_name"]
    whole, item = view_of(province, d["county"], d["year"])
    assert whole["months_known"] == d["known"]
    for m in range(1, 13):
        assert item["last_year"][m - 1] == pytest.approx(tce(last_year_kwh(m)), abs=0.001), m
        expected = tce(1.1 * last_year_kwh(m)) if m <= d["known"] else None
        assert item["actual"][m - 1] == (pytest.approx(expected, abs=0.001) if expected else None), m
    if d["known"] == 0:
        assert item["status"] == "no_data" and item["forecast"] is None
        pytest.skip("January: no month of the year is complete yet")
    f = item["forecast"]
    assert f["method"] == "seasonal" and f["ratio"] == pytest.approx(1.1, abs=1e-4) and f["months_missing"] == 0
    assert f["year_to_date"] == pytest.approx(d["ytd"], abs=0.001)
    assert f["forecast"] == pytest.approx(267.6762, abs=0.001)
    assert item["status"] == "on_track" and item["share_of_target_pct"] == pytest.approx(50, abs=0.1)
    # The remaining months are last year's times the ratio.
    for m in range(d["known"] + 1, 13):
        assert f["projected"][m - 1] == pytest.approx(1.1 * tce(last_year_kwh(m)), abs=0.001)
    # The band is what the back-test measured, at least 2 %, and low/high are the forecast within it.
    assert f["band_pct"] >= 2 if d["known"] < 12 else f["band_pct"] == 0
    assert f["low"] == pytest.approx(f["forecast"] * (1 - f["band_pct"] / 100), rel=1e-3)
    assert f["high"] == pytest.approx(f["forecast"] * (1 + f["band_pct"] / 100), rel=1e-3)
    assert f["crossing_month"] is None
    energy = [b for b in whole["backtest"] if b["indicator"] == "energy_total"]
    assert energy and energy[0]["year"] == d["year"] - 1


def test_the_status_and_its_warning_follow_the_target(province, county_with_data):
    d = county_with_data
    if d["known"] == 0:
        pytest.skip("January: no month of the year is complete yet")
    county, year = d["county"], d["year"]
    set_target(province, county, year, round(d["forecast"] / 0.97, 3))
    _, item = view_of(province, county, year)
    assert item["status"] == "approaching" and item["share_of_target_pct"] == pytest.approx(97, abs=0.1)
    found = wait_for_warnings(province, rule="target_forecast", region=county, status="open")
    assert len(found) == 1, found
    w = found[0]
    assert w["category"] == "policy" and w["severity"] == "warning" and w["enterprise_id"] is None
    assert w["region"] == county and w["evidence"]["forecast"] == pytest.approx(267.68, abs=0.01)
    assert w["evidence"]["method"] == "seasonal" and "能源消费总量" in w["message"]

    # Below what is already used: exceeding, the same warning now critical, with the month it was passed.
    target = round(d["ytd"] * 0.9, 3)
    set_target(province, county, year, target)
    _, item = view_of(province, county, year)
    assert item["status"] == "exceeding"
    running, crossing = 0.0, None
    for m in range(1, 13):
        running += item["forecast"]["projected"][m - 1]
        if crossing is None and running > target:
            crossing = m
    assert item["forecast"]["crossing_month"] == crossing and crossing <= d["known"]
    for _ in range(50):
        found = wait_for_warnings(province, rule="target_forecast", region=county, status="open")
        if found and found[0]["severity"] == "critical":
            break
        time.sleep(0.2)
    assert len(found) == 1 and found[0]["id"] == w["id"] and found[0]["severity"] == "critical", found

    # Raised well above the forecast: on track, and the warning closes by itself.
    set_target(province, county, year, round(d["forecast"] * 3, 3))
    for _ in range(100):
        r = province.get(f"/api/v1/warnings/{w['id']}")
        if r.json()["status"] == "closed":
            break
        time.sleep(0.2)
    closed = r.json()
    assert closed["status"] == "closed", closed


def test_who_sees_the_targets(as_role, province, county_with_data, world):
    d = county_with_data
    year = d["year"]
    mine = province.get("/api/v1/targets", params={"year": year}).json()["items"]
    assert any(t["region"] == d["county"] for t in mine)
    assert all(t["year"] == year for t in mine)
    county_items = as_role("county").get("/api/v1/targets", params={"year": year}).json()["items"]
    assert all(t["region"].startswith(world["county"][:6]) for t in county_items)
    assert not any(t["region"] == d["county"] for t in county_items)
    r = as_role("county").get("/api/v1/dual-control", params={"year": year, "region": d["county"]})
    assert r.status_code == 200 and r.json()["items"] == []
    assert as_role("enterprise").get("/api/v1/targets").json()["items"] == []
    assert as_role("city").post("/api/v1/targets", json={}).status_code == 403


@pytest.mark.parametrize("body,field", [
    ({"region": "999999", "year": 2026, "indicator": "energy_total", "value": 1, "source": "x"}, "region"),
    ({"region": "370000", "year": 1999, "indicator": "energy_total", "value": 1, "source": "x"}, "year"),
    ({"region": "370000", "year": 2026, "indicator": "water_total", "value": 1, "source": "x"}, "indicator"),
    ({"region": "370000", "year": 2026, "indicator": "energy_total", "value": -5, "source": "x"}, "value"),
    ({"region": "370000", "year": 2026, "indicator": "energy_total", "value": "1", "source": "x"}, "value"),
    ({"region": "370000", "year": 2026, "indicator": "energy_total", "value": 1, "source": "  "}, "source"),
    ({"region": "370000", "year": 2026, "indicator": "energy_total", "value": 1}, "source"),
    ({"region": "370000", "year": 2026, "indicator": "output_cap", "value": 1, "source": "x"}, "product"),
    ({"region": "370000", "year": 2026, "indicator": "energy_total", "product": "水泥熟料", "value": 1,
      "source": "x"}, "product"),
    ({"region": "370000", "year": 2026, "indicator": "energy_total", "value": 1, "source": "x", "extra": 1},
     "extra"),
])
def test_a_bad_target_names_the_field(province, body, field):
    r = province.post("/api/v1/targets", json=body)
    assert r.status_code == 400, r.text
    assert field in detail_fields(r), (error_of(r), r.text)


def expected_efficiency_findings(province):
    """Below-benchmark projects and products short of the advanced-share goal, computed here from the
    projects, the levels in force and the threshold: existing projects whose indicator is in the level's
    unit; a value above the 基准 level is below benchmark; at or under the 标杆 level is advanced."""
    levels = {l["product"]: l for l in province.get("/api/v1/reference/efficiency-levels",
                                                    params={"current": "true"}).json()["items"]}
    thresholds = province.get("/api/v1/warnings/thresholds").json()["items"]
    goal = max((t for t in thresholds if t["rule"] == "advanced_share_low" and t["name"] == "goal_pct"),
               key=lambda t: t["version"])["value"]
    below, rated, advanced = set(), {}, {}
    for p in all_pages(province, "/api/v1/projects"):
        level = levels.get(p["product"])
        if p["state"] != "existing" or not level or p["efficiency_value"] is None:
            continue
        if p["efficiency_unit"] != level["indicator_unit"]:
            continue
        tonnes = p["capacity"] * {"万吨/年": 10000, "吨/年": 1, "t/a": 1}.get(p["capacity_unit"], 0)
        rated[p["product"]] = rated.get(p["product"], 0) + tonnes
        if p["efficiency_value"] <= level["advanced"]:
            advanced[p["product"]] = advanced.get(p["product"], 0) + tonnes
        if p["efficiency_value"] > level["benchmark"]:
            below.add(p["id"])
    short = {product: round(advanced.get(product, 0) / t * 100, 1) for product, t in rated.items()
             if t > 0 and advanced.get(product, 0) / t * 100 < goal}
    return below, short


def test_projects_below_benchmark_and_products_short_of_the_advanced_share_are_warned(province):
    deadline = time.monotonic() + 60
    while True:
        below, short = expected_efficiency_findings(province)
        warned = all_pages(province, "/api/v1/warnings", rule="below_benchmark", status="open,acknowledged")
        shares = all_pages(province, "/api/v1/warnings", rule="advanced_share_low", status="open,acknowledged")
        got_below = {w["evidence"]["project_id"] for w in warned}
        got_short = {w["evidence"]["product"]: w["evidence"]["pct"] for w in shares}
        if (got_below, got_short) == (below, short) or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert below and got_below == below
    assert got_short == short
    for w in warned[:20]:
        assert w["category"] == "policy" and w["enterprise_id"] and w["evidence"]["value"] > w["evidence"]["benchmark"]
        assert "未达基准水平" in w["message"]
    for w in shares:
        assert w["severity"] == "info" and w["enterprise_id"] is None and "标杆水平" in w["message"]
