"""Penalties and credit counted for the analysis views (seed 000 行政处罚和信用情况统计分析): what the credit
platform (development department, task credit_monthly) and the industry department (industry_yearly) deliver,
added up per city or county, or per industry, for a year, in the caller's jurisdiction."""

import datetime as dt
import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).parents[1] / "scenarios"))
from scenario_runner import own_county  # noqa: E402
from conftest import error_of, make_uscc, unique_name
from test_27_upgrade_plans import CST, deliver


@pytest.fixture(scope="module")
def credit(server, province, anon, make_user):
    year = dt.datetime.now(CST).year - 1
    county = own_county(server, anon)
    enterprises = []
    for n in range(2):
        r = province.post("/api/v1/enterprises", json={
            "uscc": make_uscc(county), "name": unique_name("信用测试企业"), "region": county, "industry": "C3011",
            "address": "测试地址28号", "lng": 117.3, "lat": 36.5, "phone": "0531-7654328", "staff": 50})
        assert r.status_code == 201, r.text
        enterprises.append(r.json())
    a, b = enterprises
    development, password, _ = make_user(role="dept_admin", department="development")
    rows = [{"credit_code": a["uscc"], "period": f"{year}-01",
             "values": {"penalties": 2, "fines": 5.5, "falsification": 0, "dishonest": 0, "summary": "超标排放"}},
            {"credit_code": a["uscc"], "period": f"{year}-03",
             "values": {"penalties": 1, "fines": 2, "falsification": 1, "dishonest": 1, "summary": "虚报产量"}},
            {"credit_code": b["uscc"], "period": f"{year}-07", "values": {"penalties": 0}},
            {"credit_code": b["uscc"], "period": f"{year + 1}-01", "values": {"penalties": 9, "fines": 90}}]
    deliver(anon, server.login(development, password), "credit_monthly", rows)
    industry, password, _ = make_user(role="dept_admin", department="industry")
    deliver(anon, server.login(industry, password), "industry_yearly",
            [{"credit_code": b["uscc"], "period": f"{year}", "values": {"energy_penalties": 1}}])
    return {"county": county, "year": year}


def test_a_years_penalties_and_credit_records_are_counted_once_per_enterprise(province, as_role, credit):
    r = province.get("/api/v1/credit/summary", params={"region": credit["county"], "year": credit["year"]})
    assert r.status_code == 200, r.text
    body = r.json()
    total = body["total"]
    assert (body["group_by"], body["year"]) == ("region", credit["year"])
    assert total == {"key": "", "name": None, "enterprises": 2, "penalties": 3, "penalised_enterprises": 1,
                     "fines_wan": 7.5, "falsification": 1, "falsifying_enterprises": 1, "dishonest_enterprises": 1,
                     "energy_penalties": 1}, total
    [county] = body["items"]
    assert county["key"] == credit["county"] and county["name"]
    by_industry = province.get("/api/v1/credit/summary", params={"region": credit["county"], "year": credit["year"],
                                                                 "group_by": "industry"}).json()
    assert [(i["key"], i["penalties"]) for i in by_industry["items"]] == [("C3011", 3)]
    this_year = province.get("/api/v1/credit/summary", params={"region": credit["county"],
                                                               "year": credit["year"] + 1}).json()["total"]
    assert (this_year["penalties"], this_year["fines_wan"]) == (9, 90)


def test_who_may_ask_and_what_a_query_must_say(as_role, credit):
    assert as_role("enterprise").get("/api/v1/credit/summary").status_code == 403
    assert as_role("dept_admin").get("/api/v1/credit/summary").status_code == 200
    r = as_role("province").get("/api/v1/credit/summary", params={"group_by": "colour", "year": 1800})
    assert r.status_code == 400
    assert {d["field"] for d in error_of(r)["details"]} == {"year"}
    r = as_role("province").get("/api/v1/credit/summary", params={"group_by": "colour"})
    assert r.status_code == 400 and {d["field"] for d in error_of(r)["details"]} == {"group_by"}
    # Another county's official sees none of this county's records.
    other = as_role("county").get("/api/v1/credit/summary", params={"region": credit["county"],
                                                                    "year": credit["year"]}).json()
    assert other["total"]["enterprises"] == 0
