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
