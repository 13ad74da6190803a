"""A project's process units (装置) with their class in the industrial structure catalogue: officials keep
them, the enterprise reads them, and the project's class is the most restrictive of them (read-only then)."""

from conftest import error_of, unique_name


def new_project(province, world):
    enterprise = world["own"]["enterprise"]
    r = province.post("/api/v1/projects", json={
        "enterprise_id": enterprise["id"], "name": unique_name("装置测试项目"), "industry": enterprise["industry"],
        "equipment_category": "encouraged"})
    assert r.status_code == 201, r.text
    return r.json()


def test_units_decide_the_projects_class(as_role, province, world):
    county, enterprise = as_role("county"), as_role("enterprise")
    p = new_project(province, world)
    pid = p["id"]
    add = lambda who, body: who.post(f"/api/v1/projects/{pid}/equipment", json=body)

    assert add(enterprise, {"name": "1号焦炉"}).status_code == 403, "officials keep the units"
    r = add(county, {"name": "", "category": "obsolete", "capacity": 60})
    assert r.status_code == 400
    assert {d["field"] for d in error_of(r)["details"]} == {"name", "category"}
    r = add(county, {"name": "1号焦炉", "capacity": 60})
    assert r.status_code == 400 and error_of(r)["details"][0]["field"] == "capacity_unit"
    r = add(county, {"name": "x", "project_id": 5})
    assert r.status_code == 400 and error_of(r)["details"][0]["field"] == "project_id", "the URL names the project"
    r = add(county, {"name": "1号焦炉", "category": "eliminated", "capacity": 60, "capacity_unit": "万吨/年"})
    assert r.status_code == 400 and error_of(r)["details"][0]["field"] == "elimination_deadline"

    r = add(county, {"name": "1号焦炉", "process": "炼焦", "model": "JN43-80", "capacity": 60,
                     "capacity_unit": "万吨/年", "category": "restricted", "commissioned_on": "2012-05-01"})
    assert r.status_code == 201, r.text
    first = r.json()
    assert (first["project_id"], first["enterprise_id"], first["status"]) == (pid, p["enterprise_id"], "running")
    assert province.get(f"/api/v1/projects/{pid}").json()["equipment_category"] == "restricted"
    r = add(county, {"name": "2号焦炉", "capacity": 40, "capacity_unit": "万吨/年", "category": "eliminated",
                     "elimination_deadline": "2027-12-31"})
    assert r.status_code == 201, r.text
    second = r.json()
    assert province.get(f"/api/v1/projects/{pid}").json()["equipment_category"] == "eliminated"

    # Read-only now: officials and the enterprise change units, not the class.
    r = province.patch(f"/api/v1/projects/{pid}", json={"equipment_category": "allowed"})
    assert r.status_code == 400 and error_of(r)["details"][0]["field"] == "equipment_category"
    r = enterprise.patch(f"/api/v1/projects/{pid}", json={"equipment_category": "allowed"})
    assert r.status_code == 400 and error_of(r)["details"][0]["field"] == "equipment_category"

    # The unit to be eliminated is dismantled: the project is restricted again, with history.
    r = county.patch(f"/api/v1/equipment/{second['id']}", json={"status": "dismantled"})
    assert r.status_code == 200 and r.json()["status"] == "dismantled", r.text
    assert province.get(f"/api/v1/projects/{pid}").json()["equipment_category"] == "restricted"
    assert enterprise.patch(f"/api/v1/equipment/{first['id']}", json={"category": "allowed"}).status_code == 403
    history = province.get(f"/api/v1/projects/{pid}/history").json()["items"]
    changes = [c for h in history if h["action"] == "update" for c in h["changes"]
               if c["field"] == "equipment_category"]
    assert [(c["old"], c["new"]) for c in reversed(changes)] == [
        ("encouraged", "restricted"), ("restricted", "eliminated"), ("eliminated", "restricted")]
    assert province.get(f"/api/v1/equipment/{second['id']}/history").json()["items"][0]["changes"][0]["new"] == \
        "dismantled"

    listed = enterprise.get(f"/api/v1/projects/{pid}/equipment").json()
    assert listed["total"] == 2 and {u["name"] for u in listed["items"]} == {"1号焦炉", "2号焦炉"}
    assert enterprise.get(f"/api/v1/equipment/{first['id']}").json()["model"] == "JN43-80"
    timeline = province.get(f"/api/v1/projects/{pid}/timeline").json()["items"]
    assert any(e["kind"] == "record" and e["subject"] == "2号焦炉" for e in timeline)


def test_units_are_scoped_like_their_project(as_role, world):
    county = as_role("county")
    foreign = world["other_city"]["project"]["id"]
    assert county.get(f"/api/v1/projects/{foreign}/equipment").status_code == 404
    assert county.post(f"/api/v1/projects/{foreign}/equipment", json={"name": "x"}).status_code == 404
    units = as_role("province").get(f"/api/v1/projects/{foreign}/equipment").json()["items"]
    assert units, "the demo's projects have their units"
    assert county.get(f"/api/v1/equipment/{units[0]['id']}").status_code == 404
    assert county.patch(f"/api/v1/equipment/{units[0]['id']}", json={"name": "x"}).status_code == 404
    assert county.get("/api/v1/equipment/999999999").status_code == 404


def test_the_demo_projects_class_is_that_of_their_units(province):
    for p in province.get("/api/v1/projects", params={"page_size": 30}).json()["items"]:
        units = province.get(f"/api/v1/projects/{p['id']}/equipment").json()["items"]
        assert units, p["name"]
        order = ["encouraged", "allowed", "restricted", "eliminated"]
        live = [u for u in units if u["status"] != "dismantled"]
        assert p["equipment_category"] == max((u["category"] for u in live), key=order.index), p
        assert all(u["elimination_deadline"] for u in units if u["category"] == "eliminated")
