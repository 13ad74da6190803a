"""Accounting queries beyond one enterprise's figures: scope and the groups that add enterprises up.
The enterprise of the department_electricity scenario gives a known figure to find in the groups."""

import json
import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).parents[1]))
from scenario_runner import Scenario, sig4  # noqa: E402

SPEC = json.loads((pathlib.Path(__file__).parent / "cases" / "department_electricity.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def july(server, province, as_role, world, anon):
    scenario = Scenario(server, province, as_role, world, anon, SPEC)
    scenario.build()
    return scenario.enterprise["id"]


def test_scope_of_an_enterprise_account(as_role, province, world):
    own = world["own"]["enterprise"]["id"]
    foreign = world["other_city"]["enterprise"]["id"]
    for period in ("2024-13", "2024-Q5", "24", ""):
        assert province.get(f"/api/v1/accounting/enterprises/{own}", params={"period": period}).status_code == 400
    assert as_role("city").get(f"/api/v1/accounting/enterprises/{foreign}", params={"period": "2024-03"}).status_code == 404
    assert as_role("enterprise").get(f"/api/v1/accounting/enterprises/{own}",
                                     params={"period": "2024-03"}).status_code == 200


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
