"""Projects against the energy-efficiency levels (标杆 / 基准) of their product."""

import pytest


def expected_class(value, level):
    # Lower is better: at or under 标杆 advanced; up to 基准 between; above it below the benchmark.
    if value <= level["advanced"]:
        return "advanced"
    if value <= level["benchmark"]:
        return "between"
    return "below_benchmark"


def test_levels_are_reference_data_with_sources(anon):
    levels = anon.get("/api/v1/reference/efficiency-levels").json()["items"]
    clinker = next(l for l in levels if l["product"] == "水泥熟料")
    assert (clinker["advanced"], clinker["benchmark"], clinker["indicator_unit"]) == (100, 117, "kgce/t")
    assert all(l["source"] and l["status"] in ("verified", "to_be_confirmed") for l in levels)


def test_every_demo_project_is_classified_against_its_product(province):
    levels = {l["product"]: l for l in province.get("/api/v1/reference/efficiency-levels").json()["items"]}
    projects = province.get("/api/v1/projects", params={"page_size": 500}).json()["items"]
    seen = set()
    for p in projects:
        r = province.get(f"/api/v1/projects/{p['id']}/efficiency")
        assert r.status_code == 200, r.text
        e = r.json()
        level = levels.get(p["product"])
        if level is None:
            assert e["class"] is None and e["unclassified"] == "no_level"
        elif p["efficiency_value"] is None:
            assert e["class"] is None and e["unclassified"] == "no_value"
        elif p["efficiency_unit"] != level["indicator_unit"]:
            assert e["unclassified"] == "unit_mismatch"
        else:
            assert e["class"] == expected_class(p["efficiency_value"], level), p
            seen.add(e["class"])
    assert seen >= {"advanced", "between", "below_benchmark"}, f"the demo spans the classes: {seen}"


def test_efficiency_follows_jurisdiction(as_role, world):
    foreign = world["other_city"]["project"]["id"]
    assert as_role("city").get(f"/api/v1/projects/{foreign}/efficiency").status_code == 404
    assert as_role("operator").get(f"/api/v1/projects/{foreign}/efficiency").status_code in (403, 404)


def test_the_province_adds_versions_of_levels_and_co2_factors(province, as_role):
    body = {"product": "水泥熟料", "process": "水泥熟料", "indicator_unit": "kgce/t", "advanced": 98, "benchmark": 112,
            "status": "to_be_confirmed", "source": "测试：假设的新版标杆水平"}
    assert as_role("city").post("/api/v1/reference/efficiency-levels", json=body).status_code == 403
    r = province.post("/api/v1/reference/efficiency-levels", json={**body, "benchmark": 90, "source": ""})
    assert r.status_code == 400
    assert {d["field"] for d in r.json()["error"]["details"]} == {"benchmark", "source"}
    r = province.post("/api/v1/reference/efficiency-levels", json=body)
    assert r.status_code == 201, r.text
    v2 = r.json()["version"]
    assert v2 >= 2
    history = [l for l in province.get("/api/v1/reference/efficiency-levels").json()["items"] if l["product"] == "水泥熟料"]
    assert [l["version"] for l in history] == list(range(1, v2 + 1)) and history[0]["benchmark"] == 117
    current = province.get("/api/v1/reference/efficiency-levels", params={"current": "true"}).json()["items"]
    assert [l["benchmark"] for l in current if l["product"] == "水泥熟料"] == [112]
    projects = province.get("/api/v1/projects", params={"page_size": 500}).json()["items"]
    cement = next(p for p in projects if p["product"] == "水泥熟料" and p["efficiency_value"] is not None)
    e = province.get(f"/api/v1/projects/{cement['id']}/efficiency").json()
    assert e["level"]["version"] == v2 and e["class"] == expected_class(cement["efficiency_value"], body)
    # Back to the published levels, as a further version: history is never rewritten.
    r = province.post("/api/v1/reference/efficiency-levels", json={**body, "advanced": 100, "benchmark": 117,
                                                                   "source": "恢复 2023 年版"})
    assert r.status_code == 201 and r.json()["version"] == v2 + 1

    co2 = {"energy_type": "electricity", "grid_region": "east_china", "year": 2023, "kg_co2_per_unit": 0.5703,
           "valid_from": "2024-01-01", "status": "verified", "source": "测试：华东区域电网 2023 年"}
    r = province.post("/api/v1/reference/co2-factors", json=co2)
    assert r.status_code == 201, r.text
    added = r.json()
    assert added["version"] >= 2 and added["unit"] == "kgCO2/kWh"
    r = province.post("/api/v1/reference/co2-factors", json={**co2, "grid_region": "", "year": None})
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "grid_region"
    listed = province.get("/api/v1/reference/co2-factors").json()["items"]
    east = [f for f in listed if f.get("grid_region") == "east_china" and f.get("year") == 2023]
    assert [f["version"] for f in east] == list(range(1, added["version"] + 1))
    audit = province.get("/api/v1/audit", params={"action": "reference."}).json()["items"]
    assert {"reference.level.add", "reference.co2.add"} <= {a["action"] for a in audit}


def test_industries_and_disposal_types_are_lists_with_history(province, as_role, anon):
    disposal = anon.get("/api/v1/reference/lists/disposal_types").json()["items"]
    assert [d["name"] for d in disposal] == ["限期整改", "停工整改", "停产整改", "依法关停"]
    assert all(d["version"] == 1 and d["source"] and d["status"] == "to_be_confirmed" for d in disposal)
    industries = anon.get("/api/v1/reference/lists/industries").json()["items"]
    assert len(industries) == 16 and industries[0]["name"] == "炼化"
    assert anon.get("/api/v1/reference/lists/planets").status_code == 404

    edit = {"code": "stop_production", "name": "停产整顿", "description": "停止生产并整顿", "sort_order": 3,
            "status": "verified", "source": "测试：省发改委通知"}
    assert as_role("city").post("/api/v1/reference/lists/disposal_types", json=edit).status_code == 403
    r = province.post("/api/v1/reference/lists/disposal_types", json={**edit, "code": "9x", "source": "", "status": "?"})
    assert r.status_code == 400
    assert {d["field"] for d in r.json()["error"]["details"]} == {"code", "status", "source"}
    r = province.post("/api/v1/reference/lists/disposal_types", json=edit)
    assert r.status_code == 201, r.text
    assert r.json()["version"] == 2 and r.json()["changed_by"] == "province"
    after = {d["code"]: d for d in anon.get("/api/v1/reference/lists/disposal_types").json()["items"]}
    assert after["stop_production"]["name"] == "停产整顿"
    assert [h["name"] for h in after["stop_production"]["history"]] == ["停产整改", "停产整顿"]

    # An industry edit reaches the registry's industry names; history keeps the old one.
    cement = next(i for i in industries if i["name"] == "水泥")
    # Only the editable fields go back; what the server keeps (version, history, who, when) is refused.
    r = province.post("/api/v1/reference/lists/industries", json={**cement, "name": "水泥熟料制造"})
    assert r.status_code == 400
    assert {d["field"] for d in r.json()["error"]["details"]} == {"version", "history", "changed_by", "changed_at"}
    cement = {k: cement[k] for k in ("code", "name", "description", "sort_order", "active", "status", "source")}
    r = province.post("/api/v1/reference/lists/industries", json={**cement, "name": "水泥熟料制造"})
    assert r.status_code == 201, r.text
    names = {i["code"]: i["name"] for i in anon.get("/api/v1/industries").json()["items"]}
    assert names[cement["code"]] == "水泥熟料制造"
    r = province.post("/api/v1/reference/lists/industries", json={**cement, "source": "恢复"})
    assert r.status_code == 201 and r.json()["version"] == 3
    assert {i["code"]: i["name"] for i in anon.get("/api/v1/industries").json()["items"]}[cement["code"]] == "水泥"
