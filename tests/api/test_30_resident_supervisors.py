"""Resident supervisors (驻企监管, seed 001): the city or county appoints a person to an output-controlled steel or
coking enterprise; officials record the supervisor's visits (the day's output, whether the meters ran sealed);
the appointment ends. Who may do each, and what each must say."""

import datetime as dt

import pytest

from conftest import error_of, make_uscc, unique_name
from test_10_reports import CST


def today(days=0):
    return (dt.datetime.now(CST).date() + dt.timedelta(days=days)).isoformat()


@pytest.fixture(scope="module")
def steelworks(province, world):
    r = province.post("/api/v1/enterprises", json={
        "uscc": make_uscc(world["county"]), "name": unique_name("驻企监管钢铁"), "region": world["county"],
        "industry": "C31", "address": "钢城路1号", "lng": 117.0, "lat": 36.6, "phone": "0531-7654330", "staff": 2000})
    assert r.status_code == 201, r.text
    return r.json()


def test_a_supervisor_is_appointed_visits_and_leaves(as_role, world, steelworks):
    county, city, province, enterprise = (as_role(r) for r in ("county", "city", "province", "enterprise"))
    path = f"/api/v1/enterprises/{steelworks['id']}/resident-supervisors"
    body = {"name": "赵监管", "unit": "县工业和信息化局", "phone": "13800001111", "appointed_on": today(-20)}
    assert province.post(path, json=body).status_code == 403, "the city or county appoints"
    r = county.post(path, json=dict(body, appointed_on=today(1), colour="red"))
    assert r.status_code == 400 and {d["field"] for d in error_of(r)["details"]} == {"appointed_on", "colour"}
    own = world["own"]["enterprise"]
    r = county.post(f"/api/v1/enterprises/{own['id']}/resident-supervisors", json=body)
    assert r.status_code == 400 and "steel" in r.text, "only output-controlled steel and coking enterprises"
    r = county.post(path, json=body)
    assert r.status_code == 201, r.text
    s = r.json()
    assert (s["active"], s["visits"], s["last_visit"], s["appointed_by"]) == (True, 0, None, "county")
    assert county.post(path, json=body).status_code == 409

    visits = f"/api/v1/resident-supervisors/{s['id']}/visits"
    assert enterprise.post(visits, json={"visited_on": today(), "meters_ok": True, "note": "x"}).status_code == 404
    r = county.post(visits, json={"visited_on": today(-30), "note": "x"})
    assert r.status_code == 400 and {d["field"] for d in error_of(r)["details"]} == {"visited_on", "meters_ok"}
    r = county.post(visits, json={"visited_on": today(-1), "output_t": 8200, "meters_ok": True,
                                  "note": "高炉、转炉计量器具运行正常，铅封完好"})
    assert r.status_code == 201, r.text
    r = city.post(visits, json={"visited_on": today(), "output_t": 9100, "meters_ok": False,
                                "note": "转炉煤气流量计铅封破损，已要求企业报检"})
    assert r.status_code == 201, r.text
    got = county.get(visits).json()
    assert [v["visited_on"] for v in got["items"]] == [today(), today(-1)] and got["items"][0]["meters_ok"] is False
    assert (got["supervisor"]["visits"], got["supervisor"]["last_visit"]) == (2, today())
    listed = county.get("/api/v1/resident-supervisors", params={"enterprise": steelworks["id"]}).json()["items"]
    assert [x["id"] for x in listed] == [s["id"]]

    end = f"/api/v1/resident-supervisors/{s['id']}/end"
    assert county.post(end, json={"ended_on": today(-40), "reason": "x"}).status_code == 400
    r = city.post(end, json={"ended_on": today(), "reason": "企业产量控制措施落实到位，调整驻企人员"})
    assert r.status_code == 200 and r.json()["active"] is False, r.text
    assert city.post(end, json={"ended_on": today(), "reason": "again"}).status_code == 409
    r = county.post(visits, json={"visited_on": today(), "meters_ok": True, "note": "x"})
    assert r.status_code == 409, "no visits after the appointment ended"
    active = county.get("/api/v1/resident-supervisors", params={"active": "true"}).json()["items"]
    assert s["id"] not in [x["id"] for x in active]
