"""The demo's simulated meters: history back-fill and live readings through the real ingest API,
with the planted faults listed next to the data."""

import datetime as dt
import json
import re
import time

import pytest

from conftest import BACKEND, DEMO_PASSWORD
from test_07_crash import _Kiln

CST = dt.timezone(dt.timedelta(hours=8))


def _demo(tmp_path, history_days):
    """`kiln demo` with its simulated meters: 40 enterprises, seed 5, on a store under tmp_path."""
    kiln = _Kiln(tmp_path, ["--data", str(tmp_path / "data")])
    kiln.command = lambda: [kiln_bin(), "demo", "--listen", "127.0.0.1:0", "--data", str(tmp_path / "data"),
                            "--seed", "5", "--enterprises", "40", "--history-days", str(history_days),
                            "--config", str(kiln.config)]
    return kiln


@pytest.mark.skipif(BACKEND != "sqlite", reason="the demo runs on the embedded store")
def test_demo_fills_history_and_plants_documented_faults(tmp_path):
    kiln = _demo(tmp_path, 12)
    try:
        server = kiln.start()
        deadline = time.monotonic() + 120
        while "demo history complete" not in kiln.log_text():
            assert time.monotonic() < deadline, kiln.log_text()[-3000:]
            time.sleep(0.5)
        assert re.search(r"demo history: 12 of 12 days back filled", kiln.log_text())

        faults = json.loads((tmp_path / "data" / "demo-faults.json").read_text())["faults"]
        kinds = {f["kind"] for f in faults}
        assert {"stopped", "gap"} & kinds, kinds

        c = server.login("province", DEMO_PASSWORD)
        points = c.get("/api/v1/enterprises/1/points", params={"page_size": 50}).json()["items"]
        e01 = next(p for p in points if p["code"] == "E-01")
        yesterday = (dt.datetime.now(CST).date() - dt.timedelta(days=1)).isoformat()
        today = dt.datetime.now(CST).date().isoformat()
        day = c.get(f"/api/v1/points/{e01['id']}/series", params={"from": yesterday, "to": today, "step": "day"}).json()
        assert len(day["items"]) == 1
        faulted = {f.get("point_id") for f in faults}
        if e01["id"] not in faulted:
            assert day["items"][0]["count"] == 288 and day["items"][0]["completeness"] == 1.0
        assert day["items"][0]["sum"] > 0, "a running plant consumes electricity"

        # A gap fault shows as missing samples on its day, nothing invented.
        gap = next((f for f in faults if f["kind"] == "gap"), None)
        if gap:
            start = gap["from"][:10]
            next_day = (dt.date.fromisoformat(start) + dt.timedelta(days=1)).isoformat()
            r = c.get(f"/api/v1/points/{gap['point_id']}/series", params={"from": start, "to": next_day, "step": "day"})
            item = r.json()["items"][0]
            assert item["count"] < item["expected"]

        # A planted spike is faster than the connection allows: flagged impossible, not counted.
        spike = next((f for f in faults if f["kind"] == "spike"), None)
        if spike:
            r = c.get(f"/api/v1/points/{spike['point_id']}/series",
                      params={"from": spike["from"], "to": spike["to"]})
            assert [i["flags"] for i in r.json()["intervals"]] == ["impossible"], r.text

        # The newest reading is at most one interval old: the demo is live from its first minute.
        recent = c.get(f"/api/v1/points/{e01['id']}/series").json()["readings"]
        newest = dt.datetime.fromisoformat(recent[-1]["ts"].replace("Z", "+00:00"))
        assert dt.datetime.now(dt.timezone.utc) - newest <= dt.timedelta(seconds=e01["interval_s"] + 60)
        assert kiln.terminate() == 0
    finally:
        kiln.cleanup()


def kiln_bin():
    from conftest import KILN_BIN
    return KILN_BIN


@pytest.mark.skipif(BACKEND != "sqlite", reason="the demo runs on the embedded store")
def test_an_interrupted_history_back_fill_resumes_where_it_stopped(tmp_path):
    kiln = _demo(tmp_path, 8)
    progress = tmp_path / "data" / "demo-history.json"
    try:
        kiln.start()
        deadline = time.monotonic() + 120
        while not re.search(r"demo history: [2-7] of 8 days", kiln.log_text()):
            assert time.monotonic() < deadline, kiln.log_text()[-3000:]
            time.sleep(0.05)
        kiln.kill9()
        stopped = json.loads(progress.read_text())
        assert not stopped["complete"] and 2 <= stopped["days_done"] < 8, stopped
        faults_before = json.loads((tmp_path / "data" / "demo-faults.json").read_text())["faults"]

        server = kiln.start()
        deadline = time.monotonic() + 120
        while "demo history complete" not in kiln.log_text():
            assert time.monotonic() < deadline, kiln.log_text()[-3000:]
            time.sleep(0.5)
        log = kiln.log_text()
        assert f"resuming the back-fill after {stopped['days_done']} of 8 days" in log
        assert not re.search(rf"demo history: {stopped['days_done']} of 8 days", log), "days already sent are not sent again"
        assert "demo history: 8 of 8 days back filled" in log
        done = json.loads(progress.read_text())
        assert done["complete"] and done["started_at"] == stopped["started_at"], done
        assert json.loads((tmp_path / "data" / "demo-faults.json").read_text())["faults"] == faults_before

        # Every day of the history is whole across the resumed boundary: a meter outside the
        # planted faults has all its samples, and its register runs on (no reset where it resumed).
        c = server.login("province", DEMO_PASSWORD)
        faulted = {f.get("point_id") for f in faults_before}
        points = c.get("/api/v1/enterprises/1/points", params={"page_size": 50}).json()["items"]
        e01 = next(p for p in points if p["code"] == "E-01")
        if e01["id"] not in faulted:
            today = dt.datetime.now(CST).date()
            first = (today - dt.timedelta(days=7)).isoformat()
            days = c.get(f"/api/v1/points/{e01['id']}/series",
                         params={"from": first, "to": today.isoformat(), "step": "day"}).json()["items"]
            assert len(days) == 7 and all(d["count"] == 288 for d in days), days
            raw = c.get(f"/api/v1/points/{e01['id']}/series",
                        params={"from": first, "to": today.isoformat()}).json()
            assert not [i for i in raw["intervals"] if i["flags"]], "no flagged interval where the back-fill resumed"
        assert kiln.terminate() == 0
    finally:
        kiln.cleanup()


def _day_series(server, day):
    """Enterprise 1's points: code -> (count, sum, flagged intervals) of `day` and the day before it."""
    c = server.login("province", DEMO_PASSWORD)
    points = c.get("/api/v1/enterprises/1/points", params={"page_size": 50}).json()["items"]
    first = (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()
    end = (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat()
    out = {}
    for p in points:
        days = c.get(f"/api/v1/points/{p['id']}/series", params={"from": first, "to": end, "step": "day"}).json()
        raw = c.get(f"/api/v1/points/{p['id']}/series", params={"from": first, "to": end}).json()
        out[p["code"]] = ([(d["count"], d["sum"]) for d in days["items"]],
                          [i for i in raw.get("intervals", []) if i["flags"]])
    return out


@pytest.mark.skipif(BACKEND != "sqlite", reason="the demo runs on the embedded store")
def test_an_oldest_first_history_holds_the_same_readings_as_a_newest_first_one(tmp_path):
    """`--history-order oldest-first` (the benchmarks' in-order back-fill) sends the same samples,
    registers included, and the live readings follow the history instead of overtaking it."""
    yesterday = (dt.datetime.now(CST).date() - dt.timedelta(days=1)).isoformat()
    seen = {}
    for order in ("newest-first", "oldest-first"):
        work = tmp_path / order
        work.mkdir()
        kiln = _demo(work, 3)
        base_command = kiln.command
        kiln.command = lambda base_command=base_command, order=order: [*base_command(), "--history-order", order]
        try:
            server = kiln.start()
            deadline = time.monotonic() + 120
            while "demo history complete" not in kiln.log_text():
                assert time.monotonic() < deadline, kiln.log_text()[-3000:]
                time.sleep(0.5)
            log = kiln.log_text()
            days = [m.group(1) for m in re.finditer(r"demo history: \d of 3 days back filled \((\S+);", log)]
            assert days == (sorted(days) if order == "oldest-first" else sorted(days, reverse=True)), days
            assert json.loads((work / "data" / "demo-history.json").read_text())["order"] == order
            seen[order] = _day_series(server, yesterday)
            assert kiln.terminate() == 0
        finally:
            kiln.cleanup()
    assert seen["oldest-first"] == seen["newest-first"]
    assert any(sums and sums[0][0] > 0 for sums, _ in seen["oldest-first"].values())
