"""The rules on monthly figures wait while readings of a complete month are still arriving: a gateway
back-filling last month, day by day, does not raise a source mismatch against the power company's
figure for the part of the month not yet in (it would clear itself once the month is whole), and the
comparison runs once the readings have settled. On a server of its own whose points settle after 4 s.
"""

import datetime as dt
import json
import time

import pytest

from conftest import Client, logged_in, make_uscc, own_demo, post_readings, sign, unique_name

CST = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(scope="module")
def slow_settle(tmp_path_factory):
    config = ("[security]\npbkdf2_iterations = 1000\n"
              "[warnings]\ntick_ms = 200\nsettle_ms = 4000\nschedule_seconds = 1\n")
    with own_demo(tmp_path_factory.mktemp("settle"), config, "--enterprises", "3", "--no-meters", "--seed", "11",
                  name="settle") as demo:
        base = demo["base"]
        yield {"base": base, "province": logged_in(base, "province"), "power": logged_in(base, "power_admin"),
               "anon": Client(base)}


def push_power(env, uscc, period, kwh):
    key = env["power"].post("/api/v1/department-keys").json()
    path = "/api/v1/collection-tasks/power_monthly/records"
    body = json.dumps({"rows": [{"credit_code": uscc, "period": period, "values": {"electricity": kwh}}]}).encode()
    r = env["anon"].post(path, data=body, headers={
        "Authorization": sign(key["key_id"], key["secret"], "POST", path, body), "Content-Type": "application/json"})
    assert r.status_code == 200, r.text


def mismatches(env, eid):
    r = env["province"].get("/api/v1/warnings", params={"enterprise": eid, "rule": "source_mismatch",
                                                        "page_size": 100})
    assert r.status_code == 200, r.text
    return r.json()["items"]


def test_a_back_filled_month_is_compared_once_it_is_whole(slow_settle):
    env = slow_settle
    province = env["province"]
    county = province.get("/api/v1/enterprises", params={"page_size": 1}).json()["items"][0]["region"]
    r = province.post("/api/v1/enterprises", json={
        "uscc": make_uscc(county), "name": unique_name("补传测试企业"), "region": county, "industry": "C3011",
        "address": "测试地址1号", "lng": 117.1, "lat": 36.5, "phone": "0531-7654321", "staff": 100,
        "key_energy_unit": True})
    assert r.status_code == 201, r.text
    eid, uscc = r.json()["id"], r.json()["uscc"]
    r = province.post(f"/api/v1/enterprises/{eid}/points", json={
        "code": "E-01", "name": "总表", "kind": "register", "measures": "electricity", "unit": "kWh",
        "interval_s": 300})
    assert r.status_code == 201, r.text
    key = province.post(f"/api/v1/enterprises/{eid}/keys").json()

    # Last month: 100 kWh every 5 minutes; the power company has the whole month.
    today = dt.datetime.now(CST).date()
    last = today.replace(day=1) - dt.timedelta(days=1)
    first = last.replace(day=1)
    period = f"{first.year:04}-{first.month:02}"
    start = dt.datetime(first.year, first.month, first.day, tzinfo=CST)
    end = dt.datetime(today.year, today.month, 1, tzinfo=CST)
    intervals = int((end - start) / dt.timedelta(minutes=5))
    push_power(env, uscc, period, intervals * 100)

    # The gateway back-fills it newest day first, a day every 0.3 s (well within the 4 s a point
    # takes to settle); the comparison runs every second meanwhile.
    seen = []
    day_end = end
    while day_end > start:
        day_start = day_end - dt.timedelta(days=1)
        rows = []
        t = day_end
        while t > day_start:  # the register at t: 100 kWh for each interval since the month began
            rows.append({"point": "E-01", "ts": t.isoformat(), "v": 1_000_000 + 100 * ((t - start) / dt.timedelta(minutes=5))})
            t -= dt.timedelta(minutes=5)
        if day_start == start:
            rows.append({"point": "E-01", "ts": start.isoformat(), "v": 1_000_000})
        r = post_readings(env["anon"], key, rows)
        assert r.status_code == 200 and not r.json()["rejected"], r.text
        seen += mismatches(env, eid)
        time.sleep(0.3)
        day_end = day_start
    assert not seen, [w["message"] for w in seen]

    # Once settled, the month agrees with the power company: nothing. A figure 20 % above it is found.
    time.sleep(8)
    assert not mismatches(env, eid)
    push_power(env, uscc, period, intervals * 120)
    deadline = time.monotonic() + 30
    while not (found := mismatches(env, eid)) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert found and found[0]["evidence"]["off_source"] == "department", found
    assert found[0]["evidence"]["month"] == period
