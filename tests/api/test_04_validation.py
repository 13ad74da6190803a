"""Validation of registry writes, history, and list parameters."""

import random

import pytest

from conftest import USCC_ALPHABET, error_of, make_uscc, uscc_check_char, unique_name

RNG = random.Random(20260)


def enterprise_body(region, **overrides):
    body = {
        "uscc": make_uscc(region, RNG),
        "name": unique_name("测试企业"),
        "region": region,
        "industry": "C3011",
        "address": "测试地址1号",
        "lng": 117.0,
        "lat": 36.6,
        "phone": "0531-1234567",
        "staff": 120,
        "key_energy_unit": False,
    }
    body.update(overrides)
    return body


def total(client, path="/api/v1/enterprises", **params):
    r = client.get(path, params={"page_size": 1, **params})
    assert r.status_code == 200, r.text
    return r.json()["total"]


def test_uscc_check_char_matches_demo_codes(server):
    # Sanity of the Python implementation against the server's own codes.
    for e in server.baseline_enterprises["items"][:50]:
        assert uscc_check_char(e["uscc"][:17]) == e["uscc"][17]


def test_create_enterprise(as_role, world):
    county = as_role("county")
    body = enterprise_body(world["county"])
    before = total(county)
    r = county.post("/api/v1/enterprises", json=body)
    assert r.status_code == 201, r.text
    created = r.json()
    for k, v in body.items():
        assert created[k] == v, k
    assert created["status"] == "running"  # the default
    assert isinstance(created["id"], int)
    assert created["created_at"].endswith("Z")
    assert total(county) == before + 1
    r = county.get(f"/api/v1/enterprises/{created['id']}")
    assert r.status_code == 200
    assert r.json()["uscc"] == body["uscc"]
    assert r.json()["region_name"]
    history = county.get(f"/api/v1/enterprises/{created['id']}/history").json()["items"]
    assert len(history) == 1
    assert history[0]["action"] == "create"
    assert history[0]["actor"] == "county"


def test_wrong_check_character(province, world):
    body = enterprise_body(world["county"])
    right = body["uscc"][17]
    wrong = USCC_ALPHABET[(USCC_ALPHABET.index(right) + 1) % 31]
    body["uscc"] = body["uscc"][:17] + wrong
    before = total(province)
    r = province.post("/api/v1/enterprises", json=body)
    assert r.status_code == 400
    err = error_of(r)
    assert err["code"] == "invalid_argument"
    assert err["details"] == [{"field": "uscc", "reason": f"check character should be {right}"}]
    assert total(province) == before


@pytest.mark.parametrize("uscc, reason", [
    ("91371403MA1RU7NP7", "must be 18 characters, got 17"),
    ("91371403MA1RU7NPIQ", "character 17 ('I') is not allowed; use digits and capitals except I, O, Z, S, V"),
    ("91AB1403MA1RU7NP7Q", "positions 3-8 must be a 6-digit region code"),
])
def test_malformed_credit_codes(province, world, uscc, reason):
    r = province.post("/api/v1/enterprises", json=enterprise_body(world["county"], uscc=uscc))
    assert r.status_code == 400
    assert error_of(r)["details"] == [{"field": "uscc", "reason": reason}]


def test_several_wrong_fields_are_all_named(province, world):
    body = enterprise_body(world["county"])
    body["uscc"] = body["uscc"][:17] + USCC_ALPHABET[(USCC_ALPHABET.index(body["uscc"][17]) + 1) % 31]
    body.update(phone="call me", status="bogus", staff=-1, registered_on="2020-13-45", name="")
    before = total(province)
    r = province.post("/api/v1/enterprises", json=body)
    assert r.status_code == 400
    fields = {d["field"] for d in error_of(r)["details"]}
    assert fields == {"uscc", "phone", "status", "staff", "registered_on", "name"}
    assert total(province) == before


def test_missing_required_fields_are_named(province):
    r = province.post("/api/v1/enterprises", json={})
    assert r.status_code == 400
    details = error_of(r)["details"]
    assert {d["field"] for d in details} == {"uscc", "name", "region", "industry"}
    assert all(d["reason"] == "is required" for d in details)


def test_wrong_types_and_references(province, world):
    r = province.post("/api/v1/enterprises", json=enterprise_body(world["county"], staff="many", key_energy_unit=1))
    assert r.status_code == 400
    assert sorted(error_of(r)["details"], key=lambda d: d["field"]) == [
        {"field": "key_energy_unit", "reason": "must be true or false"},
        {"field": "staff", "reason": "must be an integer"},
    ]
    r = province.post("/api/v1/enterprises", json=enterprise_body(world["county"], industry="X9999"))
    assert r.status_code == 400
    assert error_of(r)["details"] == [{"field": "industry", "reason": "no industry with code X9999"}]
    r = province.post("/api/v1/enterprises", json=enterprise_body(world["county"], lat=None))
    assert r.status_code == 400
    assert error_of(r)["details"] == [{"field": "lat", "reason": "lng and lat must be given together"}]
    r = province.post("/api/v1/enterprises", json=enterprise_body("370100"))
    assert r.status_code == 400
    assert "region" in {d["field"] for d in error_of(r)["details"]}


def test_duplicate_uscc_conflict(province, world):
    existing = world["other_city"]["enterprise"]["uscc"]
    before = total(province)
    r = province.post("/api/v1/enterprises", json=enterprise_body(world["county"], uscc=existing))
    assert r.status_code == 409
    err = error_of(r)
    assert err["code"] == "conflict"
    assert err["details"] == [{"field": "uscc", "reason": "already exists"}]
    assert existing in err["message"]
    assert total(province) == before


def test_unknown_and_read_only_fields(province, world):
    before = total(province)
    r = province.post("/api/v1/enterprises", json=enterprise_body(world["county"], colour="red"))
    assert r.status_code == 400
    assert error_of(r)["details"] == [{"field": "colour", "reason": "unknown field"}]
    r = province.post("/api/v1/enterprises", json=enterprise_body(world["county"], id=5))
    assert r.status_code == 400
    assert error_of(r)["details"] == [{"field": "id", "reason": "is read-only"}]
    r = province.post("/api/v1/enterprises", json=[1, 2])
    assert r.status_code == 400
    assert total(province) == before


def test_create_outside_jurisdiction_403(as_role, province, world):
    before = total(province)
    for role, region in (("county", world["other_city_county"]), ("city", world["other_city_county"])):
        r = as_role(role).post("/api/v1/enterprises", json=enterprise_body(region))
        assert r.status_code == 403, (role, r.text)
        err = error_of(r)
        assert err["code"] == "permission_denied"
        assert err["details"] == [{"field": "region", "reason": "outside your jurisdiction"}]
    if world["same_city"]:
        r = as_role("county").post("/api/v1/enterprises",
                                   json=enterprise_body(world["same_city"]["enterprise"]["region"]))
        assert r.status_code == 403
    assert total(province) == before


def test_patch_records_history(as_role, world):
    city = as_role("city")
    target = world["same_city"] or world["own"]
    eid = target["enterprise"]["id"]
    old = city.get(f"/api/v1/enterprises/{eid}").json()
    new_contact = unique_name("联系人")
    r = city.patch(f"/api/v1/enterprises/{eid}", json={"contact": new_contact, "staff": old["staff"]})
    assert r.status_code == 200, r.text
    assert r.json()["contact"] == new_contact
    assert r.json()["updated_at"] >= old["updated_at"]
    history = city.get(f"/api/v1/enterprises/{eid}/history").json()["items"]
    latest = history[0]
    assert latest["action"] == "update"
    assert latest["actor"] == "city"
    assert latest["at"].endswith("Z")
    # Only the field that changed is recorded.
    assert latest["changes"] == [{"field": "contact", "old": old["contact"], "new": new_contact}]
    assert history[-1]["action"] == "create"


def test_patch_validates(province, world):
    eid = world["other_city"]["enterprise"]["id"]
    before = province.get(f"/api/v1/enterprises/{eid}").json()
    r = province.patch(f"/api/v1/enterprises/{eid}", json={"phone": "nope", "status": "gone", "colour": 1})
    assert r.status_code == 400
    assert {d["field"] for d in error_of(r)["details"]} == {"colour"}
    r = province.patch(f"/api/v1/enterprises/{eid}", json={"phone": "nope", "status": "gone"})
    assert r.status_code == 400
    assert {d["field"] for d in error_of(r)["details"]} == {"phone", "status"}
    r = province.patch(f"/api/v1/enterprises/{eid}", json={"created_at": "2020-01-01T00:00:00Z"})
    assert r.status_code == 400
    assert error_of(r)["details"] == [{"field": "created_at", "reason": "is read-only"}]
    assert province.get(f"/api/v1/enterprises/{eid}").json() == before


def test_city_cannot_move_enterprise_out(as_role, world):
    eid = world["own"]["enterprise"]["id"]
    r = as_role("city").patch(f"/api/v1/enterprises/{eid}", json={"region": world["other_city_county"]})
    assert r.status_code == 403
    assert error_of(r)["details"] == [{"field": "region", "reason": "outside your jurisdiction"}]
    assert as_role("city").get(f"/api/v1/enterprises/{eid}").json()["region"] == world["county"]


# The enterprise's status is reviewed instead (test_22_reviews.py).
@pytest.mark.parametrize("field", ["uscc", "region", "industry", "key_energy_unit"])
def test_enterprise_user_cannot_change_official_fields(as_role, province, world, field):
    eid = world["own"]["enterprise"]["id"]
    current = province.get(f"/api/v1/enterprises/{eid}").json()
    new_value = {
        "uscc": make_uscc(world["county"], RNG),
        "region": world["same_city"]["enterprise"]["region"] if world["same_city"] else "370102",
        "industry": "C3011" if current["industry"] != "C3011" else "C31",
        "key_energy_unit": not current["key_energy_unit"],
    }[field]
    r = as_role("enterprise").patch(f"/api/v1/enterprises/{eid}", json={field: new_value})
    assert r.status_code == 403, r.text
    err = error_of(r)
    assert err["code"] == "permission_denied"
    assert err["details"] == [{"field": field, "reason": "only officials can change this field"}]
    assert province.get(f"/api/v1/enterprises/{eid}").json()[field] == current[field]


def test_enterprise_user_changes_address(as_role, world):
    ent = as_role("enterprise")
    eid = world["own"]["enterprise"]["id"]
    old = ent.get(f"/api/v1/enterprises/{eid}").json()
    new_address = unique_name("新地址")
    # Unchanged official fields may be sent along (e.g. a form that posts the whole record).
    r = ent.patch(f"/api/v1/enterprises/{eid}",
                  json={"address": new_address, "uscc": old["uscc"], "region": old["region"],
                        "industry": old["industry"], "status": old["status"]})
    assert r.status_code == 200, r.text
    assert r.json()["address"] == new_address
    latest = ent.get(f"/api/v1/enterprises/{eid}/history").json()["items"][0]
    assert latest["actor"] == "enterprise"
    assert latest["changes"] == [{"field": "address", "old": old["address"], "new": new_address}]


def test_enterprise_user_may_echo_unchanged_key_energy_unit(as_role, world):
    ent = as_role("enterprise")
    eid = world["own"]["enterprise"]["id"]
    current = ent.get(f"/api/v1/enterprises/{eid}").json()
    r = ent.patch(f"/api/v1/enterprises/{eid}",
                  json={"address": current["address"], "key_energy_unit": current["key_energy_unit"]})
    assert r.status_code == 200, r.text


def test_enterprise_user_cannot_change_project_enterprise(as_role, world):
    pid = world["own"]["project"]["id"]
    r = as_role("enterprise").patch(f"/api/v1/projects/{pid}",
                                    json={"enterprise_id": world["other_city"]["enterprise"]["id"]})
    assert r.status_code == 400
    assert error_of(r)["details"] == [{"field": "enterprise_id", "reason": "cannot be changed after creation"}]


# --- projects -----------------------------------------------------------------------------------------------


def test_create_project_defaults_to_enterprise_location(as_role, world):
    ent = as_role("enterprise")
    e = world["own"]["enterprise"]
    body = {"enterprise_id": e["id"], "name": unique_name("项目"), "industry": e["industry"],
            "capacity": 10, "capacity_unit": "万吨/年"}
    r = ent.post("/api/v1/projects", json=body)
    assert r.status_code == 201, r.text
    p = r.json()
    assert p["region"] == e["region"]
    assert p["lng"] == e["lng"] and p["lat"] == e["lat"]
    assert p["state"] == "existing" and p["equipment_category"] == "allowed"
    r = ent.post("/api/v1/projects", json={**body, "capacity_unit": None})
    assert r.status_code == 400
    assert error_of(r)["details"] == [{"field": "capacity_unit", "reason": "is required when capacity is given"}]
    # The project's name is the enterprise's own to keep; its state waits for review (test_22_reviews.py).
    r = ent.patch(f"/api/v1/projects/{p['id']}", json={"name": p["name"] + "（二期）", "state": "planned"})
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "existing" and r.json()["pending_review"]["flow"] == "info_change"
    history = ent.get(f"/api/v1/projects/{p['id']}/history").json()["items"]
    assert history[0]["changes"] == [{"field": "name", "old": p["name"], "new": p["name"] + "（二期）"}]
    assert history[0]["actor"] == "enterprise"


# --- metering points ----------------------------------------------------------------------------------------


def point_body(**overrides):
    body = {"code": unique_name("M").replace("_", "-"), "name": "测试电表", "measures": "electricity",
            "unit": "kWh", "kind": "register", "interval_s": 900, "rollover": 999999.0}
    body.update(overrides)
    return body


def test_create_point_and_duplicate_code(as_role, world):
    ent = as_role("enterprise")
    eid = world["own"]["enterprise"]["id"]
    path = f"/api/v1/enterprises/{eid}/points"
    before = total(ent, path)
    body = point_body()
    r = ent.post(path, json=body)
    assert r.status_code == 201, r.text
    point = r.json()
    assert point["enterprise_id"] == eid
    assert point["code"] == body["code"]
    assert total(ent, path) == before + 1

    r = ent.post(path, json=point_body(code=body["code"]))
    assert r.status_code == 409
    err = error_of(r)
    assert err["code"] == "conflict"
    assert err["details"] == [{"field": "code", "reason": "already exists"}]
    # A demo code that every enterprise has.
    r = ent.post(path, json=point_body(code="E-01"))
    assert r.status_code == 409
    assert total(ent, path) == before + 1
    # The same code at another enterprise is fine.
    other = world["other_city"]["enterprise"]["id"]
    r = as_role("province").post(f"/api/v1/enterprises/{other}/points", json=point_body(code=body["code"]))
    assert r.status_code == 201, r.text

    r = ent.patch(f"/api/v1/points/{point['id']}", json={"name": "改名电表"})
    assert r.status_code == 200
    assert r.json()["name"] == "改名电表"
    history = ent.get(f"/api/v1/points/{point['id']}/history").json()["items"]
    assert history[0]["changes"] == [{"field": "name", "old": "测试电表", "new": "改名电表"}]
    r = ent.patch(f"/api/v1/points/{point['id']}", json={"code": "OTHER-1"})
    assert r.status_code == 400
    assert error_of(r)["details"] == [{"field": "code", "reason": "cannot be changed after creation"}]


def test_point_rollover_only_for_registers(as_role, world):
    ent = as_role("enterprise")
    path = f"/api/v1/enterprises/{world['own']['enterprise']['id']}/points"
    before = total(ent, path)
    r = ent.post(path, json=point_body(kind="interval", rollover=1000.0))
    assert r.status_code == 400
    assert error_of(r)["details"] == [
        {"field": "rollover", "reason": "only a register (kind=register) has a rollover maximum"}]
    r = ent.post(path, json=point_body(code="bad code!", interval_s=0, calibrated_on="2025-05-01",
                                       calibration_due="2024-01-01"))
    assert r.status_code == 400
    assert {d["field"] for d in error_of(r)["details"]} == {"code", "interval_s"}
    r = ent.post(path, json=point_body(calibrated_on="2025-05-01", calibration_due="2024-01-01"))
    assert r.status_code == 400
    assert error_of(r)["details"] == [{"field": "calibration_due", "reason": "must not be before calibrated_on"}]
    assert total(ent, path) == before


def test_patch_point_to_interval_with_rollover_400(as_role, world):
    pid = world["own"]["point"]["id"]
    point = as_role("enterprise").get(f"/api/v1/points/{pid}").json()
    if point["rollover"] is None:
        pytest.skip("first demo point has no rollover")
    r = as_role("enterprise").patch(f"/api/v1/points/{pid}", json={"kind": "interval"})
    assert r.status_code == 400
    assert error_of(r)["details"][0]["field"] == "rollover"


# --- lists ----------------------------------------------------------------------------------------------------


def test_sort_descending_by_name(province):
    r = province.get("/api/v1/enterprises", params={"sort": "-name", "page_size": 500})
    assert r.status_code == 200
    names = [e["name"] for e in r.json()["items"]]
    assert len(names) == r.json()["total"] or len(names) == 500
    assert names == sorted(names, reverse=True)
    r = province.get("/api/v1/enterprises", params={"sort": "name", "page_size": 50})
    names = [e["name"] for e in r.json()["items"]]
    assert names == sorted(names)


def test_paging(province):
    everything = province.get("/api/v1/enterprises", params={"sort": "-name", "page_size": 500}).json()
    r = province.get("/api/v1/enterprises", params={"sort": "-name", "page_size": 10, "page": 3})
    assert r.status_code == 200
    body = r.json()
    assert body["page"] == 3 and body["page_size"] == 10
    assert body["total"] == everything["total"]
    assert [e["id"] for e in body["items"]] == [e["id"] for e in everything["items"][20:30]]
    beyond = province.get("/api/v1/enterprises", params={"page": 1000, "page_size": 10}).json()
    assert beyond["items"] == [] and beyond["total"] == everything["total"]
    default = province.get("/api/v1/enterprises").json()
    assert default["page"] == 1 and default["page_size"] == 20 and len(default["items"]) == 20


def test_page_size_limits(province):
    assert province.get("/api/v1/enterprises", params={"page_size": 500}).status_code == 200
    for params, field in (({"page_size": 501}, "page_size"), ({"page_size": 0}, "page_size"),
                          ({"page": 0}, "page"), ({"page": "x"}, "page"), ({"sort": "colour"}, "sort"),
                          ({"sort": "-address"}, "sort"), ({"key_energy_unit": "maybe"}, "key_energy_unit")):
        r = province.get("/api/v1/enterprises", params=params)
        assert r.status_code == 400, (params, r.text)
        err = error_of(r)
        assert err["code"] == "invalid_argument"
        assert [d["field"] for d in err["details"]] == [field], params


def test_status_filter(province):
    r = province.get("/api/v1/enterprises", params={"status": "bogus"})
    assert r.status_code == 400
    assert error_of(r)["details"][0]["field"] == "status"
    running = province.get("/api/v1/enterprises", params={"status": "running", "page_size": 500}).json()
    stopped = province.get("/api/v1/enterprises", params={"status": "stopped", "page_size": 500}).json()
    assert all(e["status"] == "running" for e in running["items"])
    assert all(e["status"] == "stopped" for e in stopped["items"])
    assert running["total"] > 0 and stopped["total"] > 0
    r = province.get("/api/v1/projects", params={"status": "planned", "page_size": 100})
    assert r.status_code == 200
    assert all(p["state"] == "planned" for p in r.json()["items"])


def test_filters_industry_and_key_unit(province):
    r = province.get("/api/v1/enterprises", params={"industry": "C3011", "key_energy_unit": "true",
                                                     "page_size": 500})
    assert r.status_code == 200
    items = r.json()["items"]
    assert items
    assert all(e["industry"] == "C3011" and e["key_energy_unit"] is True for e in items)
    assert all(e["industry_name"] for e in items)


def test_text_search(server, province):
    target = server.baseline_enterprises["items"][17]
    part = target["name"][2:6]
    r = province.get("/api/v1/enterprises", params={"q": part, "page_size": 500})
    assert r.status_code == 200
    body = r.json()
    assert target["id"] in [e["id"] for e in body["items"]]
    assert all(part in e["name"] or part in e["uscc"] for e in body["items"])
    assert body["total"] == len(body["items"])
    # By credit code too, and LIKE wildcards are taken literally.
    r = province.get("/api/v1/enterprises", params={"q": target["uscc"]})
    assert [e["id"] for e in r.json()["items"]] == [target["id"]]
    assert province.get("/api/v1/enterprises", params={"q": "%"}).json()["total"] == 0
    underscored = province.get("/api/v1/enterprises", params={"q": "_", "page_size": 500}).json()["items"]
    assert all("_" in e["name"] or "_" in e["uscc"] for e in underscored)


def test_patch_duplicate_uscc_conflict(as_role, world):
    if not world["same_city"]:
        pytest.skip("no second enterprise in the demo city")
    city = as_role("city")
    eid = world["same_city"]["enterprise"]["id"]
    history_before = city.get(f"/api/v1/enterprises/{eid}/history").json()["items"]
    r = city.patch(f"/api/v1/enterprises/{eid}", json={"uscc": world["own"]["enterprise"]["uscc"]})
    assert r.status_code == 409
    assert error_of(r)["details"] == [{"field": "uscc", "reason": "already exists"}]
    assert city.get(f"/api/v1/enterprises/{eid}/history").json()["items"] == history_before
    assert city.get(f"/api/v1/enterprises/{eid}").json()["uscc"] == world["same_city"]["enterprise"]["uscc"]


def test_official_cannot_place_project_outside_jurisdiction(as_role, world):
    e = world["own"]["enterprise"]
    r = as_role("city").post("/api/v1/projects", json={"enterprise_id": e["id"], "name": unique_name("项目"),
                                                        "industry": e["industry"],
                                                        "region": world["other_city_county"]})
    assert r.status_code == 403
    assert error_of(r)["details"] == [{"field": "region", "reason": "outside your jurisdiction"}]
    r = as_role("county").patch(f"/api/v1/projects/{world['own']['project']['id']}",
                                json={"region": world["other_city_county"]})
    assert r.status_code == 403
    assert error_of(r)["details"] == [{"field": "region", "reason": "outside your jurisdiction"}]


def _enterprise_project(as_role, world):
    e = world["own"]["enterprise"]
    r = as_role("enterprise").post("/api/v1/projects", json={"enterprise_id": e["id"], "name": unique_name("项目"),
                                                              "industry": e["industry"]})
    assert r.status_code == 201, r.text
    assert r.json()["region"] == world["county"]
    return r.json()


def test_enterprise_user_cannot_move_project_out_of_its_county(as_role, world):
    project = _enterprise_project(as_role, world)
    r = as_role("enterprise").patch(f"/api/v1/projects/{project['id']}", json={"region": world["other_city_county"]})
    assert r.status_code in (400, 403), r.text
    assert "region" in [d["field"] for d in error_of(r)["details"]]
    assert as_role("county").get(f"/api/v1/projects/{project['id']}").status_code == 200


def test_enterprise_user_cannot_create_project_in_other_city(as_role, world):
    e = world["own"]["enterprise"]
    before = as_role("county").get("/api/v1/projects", params={"page_size": 1}).json()["total"]
    r = as_role("enterprise").post("/api/v1/projects", json={"enterprise_id": e["id"], "name": unique_name("项目"),
                                                              "industry": e["industry"],
                                                              "region": world["other_city_county"]})
    assert r.status_code in (400, 403), r.text
    assert "region" in [d["field"] for d in error_of(r)["details"]]
    assert as_role("county").get("/api/v1/projects", params={"page_size": 1}).json()["total"] == before


def test_enterprise_export_follows_filter_and_scope(as_role, tmp_path):
    import subprocess
    import zipfile
    city = as_role("city")
    listed = city.get("/api/v1/enterprises", params={"status": "running"}).json()
    r = city.get("/api/v1/enterprises/export", params={"status": "running", "format": "xlsx"})
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    path = tmp_path / "e.xlsx"
    path.write_bytes(r.content)
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        strings = z.read("xl/sharedStrings.xml").decode()
    assert sheet.count("<row ") == listed["total"] + 1
    assert "统一社会信用代码" in strings and "停产" not in strings
    csv = city.get("/api/v1/enterprises/export", params={"status": "running", "format": "csv"})
    assert csv.status_code == 200
    lines = csv.content.decode("utf-8-sig").strip().split("\r\n")
    assert len(lines) == listed["total"] + 1
    assert city.get("/api/v1/enterprises/export", params={"format": "pdf"}).status_code == 400
    assert as_role("operator").get("/api/v1/enterprises/export").status_code == 403
