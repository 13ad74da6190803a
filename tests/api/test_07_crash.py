"""Crash test: kill -9 under sustained signed ingest loses no acknowledged reading.

The test runs its own kiln process (not the session server) so it can kill it:

1. start `kiln demo` on a fresh store (SQLite data dir, or a fresh PostgreSQL
   database when KILN_TEST_BACKEND=postgres);
2. four threads, one per enterprise, post signed row-form batches of 200
   register readings for ~4 s; a batch counts as acknowledged only when it
   answered 200 with accepted == len(rows);
3. SIGKILL the server while the threads are sending, restart it on the same
   store, and check that every acknowledged (point, ts, value) is stored
   exactly once (and that nothing was stored that was never sent);
4. take the hour and day rollups, stop the server with SIGTERM, run
   `kiln admin rebuild-rollups`, start again and check the rollups kept live
   by the ingest path equal the ones rebuilt from the raw readings.
"""

import datetime as dt
import json
import os
import random
import re
import signal
import string
import subprocess
import threading
import time

import pytest
import requests

from conftest import BACKEND, KILN_BIN, PG_URL, STARTUP_TIMEOUT_S, SHUTDOWN_TIMEOUT_S, KilnServer, _psql, sign

CST = dt.timezone(dt.timedelta(hours=8))
SEED = 3
ENTERPRISES = 20
WRITER_ENTERPRISES = [1, 2, 3, 4]  # one writer thread each
ROWS_PER_BATCH = 200
INGEST_SECONDS = 4.0
STEP_S = 300  # readings 5 minutes apart
# Each point's readings fill its slots upwards from WINDOW_DAYS before
# yesterday 00:00 China time, so none is in the future and (point, ts) never
# repeats. The window is far larger than 4 s of ingest can fill.
WINDOW_DAYS = 720
RAW_CHUNK_DAYS = 30  # raw series answer at most 31 days


# --- a kiln process of our own -------------------------------------------------------------------

class _Kiln:
    """Starts, kills and stops `kiln demo` on one store; every start logs to its own file."""

    def __init__(self, workdir, store_args):
        self.workdir = workdir
        self.store_args = store_args
        self.config = workdir / "kiln.toml"
        self.config.write_text("[security]\npbkdf2_iterations = 1000\n")
        self.proc = None
        self.log = None
        self.log_path = None
        self.starts = 0

    def command(self):
        return [KILN_BIN, "demo", "--listen", "127.0.0.1:0", *self.store_args, "--seed", str(SEED),
                "--enterprises", str(ENTERPRISES), "--config", str(self.config), "--no-meters"]

    def start(self):
        assert self.proc is None or self.proc.poll() is not None, "previous kiln still running"
        self.starts += 1
        self.log_path = self.workdir / f"server-{self.starts}.log"
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(self.command(), stdout=self.log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        base_url = None
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"kiln (start #{self.starts}) exited with {self.proc.returncode} during "
                                     f"startup:\n{self.log_text()}")
            if base_url is None:
                m = re.search(r"Kiln listening on (http://127\.0\.0\.1:\d+)", self.log_text())
                if m:
                    base_url = m.group(1)
            if base_url:
                try:
                    if requests.get(base_url + "/healthz", timeout=2).status_code == 200:
                        return KilnServer(base_url, self.log_path)
                except requests.RequestException:
                    pass
            time.sleep(0.1)
        raise AssertionError(f"kiln (start #{self.starts}) not healthy within {STARTUP_TIMEOUT_S} s:\n"
                             f"{self.log_text()}")

    def log_text(self):
        try:
            return self.log_path.read_text(errors="replace")
        except OSError as e:
            return f"(no log: {e})"

    def kill9(self):
        os.kill(self.proc.pid, signal.SIGKILL)
        code = self.proc.wait(timeout=SHUTDOWN_TIMEOUT_S)
        self.log.close()
        return code

    def terminate(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=SHUTDOWN_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            code = None
        self.log.close()
        return code

    def cleanup(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.log is not None and not self.log.closed:
            self.log.close()


# --- time helpers ---------------------------------------------------------------------------------

def _iso(epoch_s):
    return dt.datetime.fromtimestamp(epoch_s, CST).isoformat()


def _epoch(text):
    return int(dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


# --- the writers ----------------------------------------------------------------------------------

class _Writer(threading.Thread):
    """Posts signed batches for one enterprise until told to stop (or the server dies)."""

    def __init__(self, base_url, key, points, window_start, window_end, stop, rng):
        super().__init__(daemon=True)
        self.base_url = base_url
        self.key = key
        self.points = points  # [(id, code)], register points only
        self.window_start = window_start
        self.slots = (window_end - window_start) // STEP_S
        self.stop = stop
        self.rng = rng
        self.next_slot = {pid: 0 for pid, _ in points}
        self.value = {pid: 1000 + rng.randint(0, 1000) for pid, _ in points}
        self.acknowledged = {}  # (point id, ts) -> value
        self.sent = {}  # everything ever put on the wire: (point id, ts) -> value
        self.batches = 0  # acknowledged batches
        self.in_flight = 0  # batches whose request failed after the stop signal (the kill)
        self.exhausted = False
        self.errors = []  # anything unexpected while the server was supposed to be up

    def make_batch(self):
        rows, keys = [], []
        for j in range(ROWS_PER_BATCH):
            pid, code = self.points[j % len(self.points)]
            slot = self.next_slot[pid]
            if slot >= self.slots:
                self.exhausted = True
                return None, None
            self.next_slot[pid] = slot + 1
            self.value[pid] += self.rng.randint(1, 20)  # integers: sums stay exact
            ts = self.window_start + slot * STEP_S
            rows.append({"point": code, "ts": _iso(ts), "v": self.value[pid]})
            keys.append((pid, ts, self.value[pid]))
        return rows, keys

    def run(self):
        session = requests.Session()
        try:
            while not self.stop.is_set():
                rows, keys = self.make_batch()
                if rows is None:
                    return
                for pid, ts, v in keys:
                    self.sent[(pid, ts)] = v
                body = json.dumps({"readings": rows}).encode()
                headers = {"Authorization": sign(self.key["key_id"], self.key["secret"], "POST",
                                                  "/api/v1/readings", body),
                           "Content-Type": "application/json"}
                try:
                    r = session.post(self.base_url + "/api/v1/readings", data=body, headers=headers, timeout=30)
                except requests.RequestException as e:
                    if self.stop.is_set():  # the server was killed under this request
                        self.in_flight += 1
                    else:
                        self.errors.append(f"request failed before the kill: {e!r}")
                    return
                if r.status_code == 200 and r.json().get("accepted") == len(rows):
                    for pid, ts, v in keys:
                        self.acknowledged[(pid, ts)] = v
                    self.batches += 1
                elif r.status_code == 503:
                    time.sleep(0.05)  # queue full: not acknowledged, move on with fresh readings
                else:
                    self.errors.append(f"unexpected answer {r.status_code}: {r.text[:500]}")
                    return
        except Exception as e:  # noqa: BLE001 - reported by the test
            self.errors.append(f"writer crashed: {e!r}")


# --- reading the store back -----------------------------------------------------------------------

def _raw_series(client, pid, start, end):
    """All readings of a point in [start, end) as {ts: [values]}; chunk edges sit between slots."""
    found = {}
    lo = start - STEP_S // 2
    while lo < end:
        hi = min(lo + RAW_CHUNK_DAYS * 86400, end + STEP_S // 2)
        r = client.get(f"/api/v1/points/{pid}/series", params={"from": _iso(lo), "to": _iso(hi), "step": "raw"})
        assert r.status_code == 200, f"series of point {pid}: {r.status_code} {r.text[:500]}"
        for item in r.json()["readings"]:
            found.setdefault(_epoch(item["ts"]), []).append(item["v"])
        lo = hi
    return found


ROLLUP_FIELDS = ("start", "sum", "count", "expected", "min", "max", "first", "last", "flagged")


def _rollups(client, pids, start, end):
    out = {}
    for pid in pids:
        for step in ("hour", "day"):
            r = client.get(f"/api/v1/points/{pid}/series", params={"from": _iso(start), "to": _iso(end), "step": step})
            assert r.status_code == 200, f"{step} rollups of point {pid}: {r.status_code} {r.text[:500]}"
            out[(pid, step)] = [{f: item[f] for f in ROLLUP_FIELDS} for item in r.json()["items"]]
    return out


def _diff_rollups(before, after, limit=10):
    lines = []
    for key in sorted(before):
        b, a = before[key], after.get(key)
        if b == a:
            continue
        lines.append(f"point {key[0]} step={key[1]}: {len(b)} rows before rebuild, {len(a or [])} after")
        b_by, a_by = {x["start"]: x for x in b}, {x["start"]: x for x in a or []}
        for start in sorted(set(b_by) | set(a_by)):
            if b_by.get(start) != a_by.get(start):
                lines.append(f"  {start}: live {b_by.get(start)} != rebuilt {a_by.get(start)}")
                if len(lines) > limit:
                    return lines
    return lines


# --- the test ---------------------------------------------------------------------------------------

def test_acknowledged_readings_survive_kill_9_and_rollups_equal_a_rebuild(tmp_path, capsys):
    assert os.access(KILN_BIN, os.X_OK), f"kiln binary not found at {KILN_BIN}"
    pg_db = None
    if BACKEND == "sqlite":
        store_args = ["--data", str(tmp_path / "data")]
        admin_store_args = store_args
    elif BACKEND == "postgres":
        pg_db = "kiln_crash_" + "".join(random.choice(string.ascii_lowercase + string.digits) for _ in range(10))
        _psql(PG_URL, f"CREATE DATABASE {pg_db}")
        db_url = PG_URL.rsplit("/", 1)[0] + "/" + pg_db
        store_args = ["--db", db_url]
        admin_store_args = store_args
    else:
        raise pytest.UsageError(f"KILN_TEST_BACKEND must be sqlite or postgres, not {BACKEND!r}")

    kiln = _Kiln(tmp_path, store_args)
    writers = []
    stop = threading.Event()
    try:
        # 1. a server of our own
        srv = kiln.start()
        province = srv.login("province")

        # 2. a machine key and the register points of each writer enterprise
        today = dt.datetime.now(CST).date()
        window_end = int(dt.datetime(today.year, today.month, today.day, tzinfo=CST).timestamp()) - 86400
        window_start = window_end - WINDOW_DAYS * 86400  # yesterday 00:00 CST, going back
        rng = random.Random(20261125)
        for eid in WRITER_ENTERPRISES:
            r = province.post(f"/api/v1/enterprises/{eid}/keys")
            assert r.status_code == 201, r.text
            key = r.json()
            r = province.get(f"/api/v1/enterprises/{eid}/points", params={"page_size": 100})
            assert r.status_code == 200, r.text
            points = [(p["id"], p["code"]) for p in r.json()["items"] if p["kind"] == "register"]
            assert points, f"enterprise {eid} has no register point"
            writers.append(_Writer(srv.base_url, key, points, window_start, window_end, stop,
                                   random.Random(rng.random())))

        # 3.-4. sustained ingest, then kill -9 while the writers are sending
        for w in writers:
            w.start()
        time.sleep(INGEST_SECONDS)
        errors = [e for w in writers for e in w.errors]
        assert not errors, f"writers failed while the server was up: {errors}"
        assert not any(w.exhausted or not w.is_alive() for w in writers), "a writer stopped before the kill"
        stop.set()  # from here on a failed request means the kill caught it in flight
        code = kiln.kill9()
        for w in writers:
            w.join(timeout=60)
        assert not any(w.is_alive() for w in writers), "a writer hangs after the kill"
        assert code == -signal.SIGKILL, f"kiln exit {code} after SIGKILL"
        errors = [e for w in writers for e in w.errors]
        assert not errors, f"writers failed while the server was up: {errors}"

        acknowledged, sent = {}, {}
        for w in writers:
            acknowledged.update(w.acknowledged)
            sent.update(w.sent)
        batches = sum(w.batches for w in writers)
        in_flight = sum(w.in_flight for w in writers)
        assert batches > 0 and acknowledged, "no batch was acknowledged before the kill"
        assert len(acknowledged) == batches * ROWS_PER_BATCH  # (point, ts) unique across all threads
        span_end = max(ts for _, ts in sent) + STEP_S
        pids = sorted({pid for pid, _ in sent})

        # 5. restart on the same store
        srv = kiln.start()
        province = srv.login("province")

        # 6. every acknowledged reading is there exactly once, with its value
        missing, wrong, duplicated, unknown = [], [], [], []
        for pid in pids:
            found = _raw_series(province, pid, window_start, span_end)
            for ts, values in found.items():
                if len(values) != 1:
                    duplicated.append((pid, _iso(ts), values))
                if (pid, ts) not in sent or any(v != sent[(pid, ts)] for v in values):
                    unknown.append((pid, _iso(ts), values, sent.get((pid, ts))))
            for (p, ts), v in acknowledged.items():
                if p != pid:
                    continue
                if ts not in found:
                    missing.append((pid, _iso(ts), v))
                elif found[ts][0] != v:
                    wrong.append((pid, _iso(ts), v, found[ts]))
        assert not missing, f"{len(missing)} acknowledged readings lost after kill -9, e.g. {missing[:10]}"
        assert not wrong, f"{len(wrong)} acknowledged readings stored with another value, e.g. {wrong[:10]}"
        assert not duplicated, f"{len(duplicated)} readings stored more than once, e.g. {duplicated[:10]}"
        assert not unknown, f"{len(unknown)} stored readings were never sent, e.g. {unknown[:10]}"

        # 7. the live rollups equal a rebuild from the raw readings
        rollup_end = window_end + 86400
        live = _rollups(province, pids, window_start, rollup_end)
        assert any(live.values()), "no rollups at all"
        code = kiln.terminate()
        assert code == 0, f"kiln exit {code} on SIGTERM:\n{kiln.log_text()[-5000:]}"
        rebuild = subprocess.run([KILN_BIN, "admin", "rebuild-rollups", *admin_store_args],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
        assert rebuild.returncode == 0, f"rebuild-rollups exit {rebuild.returncode}:\n{rebuild.stdout.decode()}"
        srv = kiln.start()
        province = srv.login("province")
        rebuilt = _rollups(province, pids, window_start, rollup_end)
        diff = _diff_rollups(live, rebuilt)
        assert not diff, "live rollups differ from a rebuild after kill -9:\n" + "\n".join(diff)
        code = kiln.terminate()
        assert code == 0, f"kiln exit {code} on SIGTERM:\n{kiln.log_text()[-5000:]}"

        # 8. the figures
        with capsys.disabled():
            print(f"\n[{BACKEND}] kill -9 under ingest: {len(acknowledged)} acknowledged readings in {batches} "
                  f"batches over {len(pids)} points, {in_flight} batches in flight at the kill; "
                  f"all present exactly once; rollups equal a rebuild")
    except BaseException:
        if kiln.log_path is not None:
            print(f"--- last kiln log ({kiln.log_path}) ---\n" + "\n".join(kiln.log_text().splitlines()[-100:]))
        raise
    finally:
        stop.set()
        kiln.cleanup()
        for w in writers:
            if w.is_alive():
                w.join(timeout=30)
        if pg_db:
            try:
                _psql(PG_URL, f"DROP DATABASE IF EXISTS {pg_db} WITH (FORCE)")
            except subprocess.CalledProcessError as e:
                print(f"could not drop {pg_db}: {e.stdout!r}")
