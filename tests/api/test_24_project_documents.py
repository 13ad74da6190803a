"""A project's approval documents (核准/备案, 节能审查, 环评 with numbers and dates) and design figures:
stored, validated, changed with history, and not held for review when the enterprise keeps them."""

from conftest import error_of, unique_name


def new_project(client, world, **fields):
    enterprise = world["own"]["enterprise"]
    body = {"enterprise_id": enterprise["id"], "name": unique_name("手续测试项目"), "industry": enterprise["industry"],
            "capacity": 120, "capacity_unit": "万吨/年", **fields}
    return client.post("/api/v1/projects", json=body)


def test_documents_and_design_figures_are_stored_and_checked(province, world):
    r = new_project(province, world, approval_kind="approval", approval_no="鲁发改产业〔2024〕88号",
                    approved_on="2024-03-05", energy_review_no="鲁发改能审〔2024〕12号", energy_review_on="2024-04-10",
                    eia_no="鲁环审〔2024〕31号", eia_on="2024-06-01", design_capacity=150, design_energy_tce=96000,
                    design_coal_t=80000)
    assert r.status_code == 201, r.text
    p = r.json()
    assert (p["approval_kind"], p["approval_no"], p["approved_on"]) == ("approval", "鲁发改产业〔2024〕88号", "2024-03-05")
    assert (p["energy_review_no"], p["energy_review_on"]) == ("鲁发改能审〔2024〕12号", "2024-04-10")
    assert (p["eia_no"], p["eia_on"]) == ("鲁环审〔2024〕31号", "2024-06-01")
    assert (p["design_capacity"], p["design_energy_tce"], p["design_coal_t"]) == (150, 96000, 80000)
    assert province.get(f"/api/v1/projects/{p['id']}").json()["eia_no"] == "鲁环审〔2024〕31号"

    r = new_project(province, world, approval_kind="permit", energy_review_on="2024-02-30", design_coal_t=-1,
                    eia_no="x" * 101)
    assert r.status_code == 400
    assert {d["field"] for d in error_of(r)["details"]} == {"approval_kind", "energy_review_on", "design_coal_t",
                                                            "eia_no"}

    # Cleared and changed with history; without them a project is still valid (older records have none).
    r = province.patch(f"/api/v1/projects/{p['id']}", json={"approval_kind": None, "eia_on": "2024-06-02"})
    assert r.status_code == 200, r.text
    assert r.json()["approval_kind"] is None and r.json()["eia_on"] == "2024-06-02"
    history = province.get(f"/api/v1/projects/{p['id']}/history").json()["items"]
    changed = {c["field"] for h in history for c in h["changes"]}
    assert {"approval_kind", "eia_on"} <= changed
    r = new_project(province, world)
    assert r.status_code == 201 and r.json()["approval_kind"] is None and r.json()["design_energy_tce"] is None


def test_an_enterprise_keeps_its_documents_without_review(as_role, province, world):
    p = new_project(province, world).json()
    r = as_role("enterprise").patch(f"/api/v1/projects/{p['id']}",
                                    json={"approval_kind": "filing", "approval_no": "2024-371403-30-03-123456"})
    assert r.status_code == 200, r.text
    assert "pending_review" not in r.json()
    assert r.json()["approval_kind"] == "filing" and r.json()["approval_no"] == "2024-371403-30-03-123456"


def test_the_demo_projects_carry_their_documents(province):
    items = province.get("/api/v1/projects", params={"page_size": 200}).json()["items"]
    with_docs = [p for p in items if p["approval_no"]]
    assert len(with_docs) == len(items), "every demo project has its 核准 or 备案"
    assert {p["approval_kind"] for p in items} == {"approval", "filing"}
    assert any(p["eia_no"] for p in items) and any(p["design_energy_tce"] for p in items)
    for p in items:
        if p["energy_review_on"]:
            assert p["energy_review_on"] > p["approved_on"], p
