"""Several kiln nodes on one PostgreSQL database: every acknowledged reading counts exactly once,
whichever node took it, and both nodes then show the same figures.

Before ownership of enterprises by node (ingest/ownership), two nodes each kept their own
in-memory newest block of a point and wrote it over the other's: two nodes taking every other
5-minute batch of one register point kept half the readings."""

import datetime as dt
import json
import re
import signal
import subprocess
import threading
import time

import pytest
import requests

from conftest import BACKEND, DEMO_PASSWORD, KILN_BIN, PG_URL, _psql, sign, unique_name

pytestmark = pytest.mark.skipif(BACKEND != "postgres", reason="several nodes share a PostgreSQL database")

CST = dt.timezone(dt.timedelta(hours=8))


class Node:
    def __init__(self, proc, base, log_path):
        self.proc, self.base, self.log_path = proc, base, log_path

    def log(self):
        return self.log_path.read_text(errors="replace")


def start_node(tmp_path, name, db_url, demo=False, extra=""):
    cfg = tmp_path / f"{name}.toml"
    cfg.write_text(f"[cluster]\nnode_name = \"{name}\"\n{extra}[security]\npbkdf2_iterations = 1000\n")
    log_path = tmp_path / f"{name}.log"
    args = [KILN_BIN, "demo" if demo else "serve", "--listen", "127.0.0.1:0", "--db", db_url, "--config", str(cfg)]
    if demo:
        args += ["--enterprises", "3", "--no-meters", "--seed", "5"]
    log = open(log_path, "wb")
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        m = re.search(r"Kiln listening on (http://127\.0\.0\.1:\d+)", log_path.read_text(errors="replace"))
        if m:
            try:
                if requests.get(m.group(1) + "/healthz", timeout=2).status_code == 200:
                    return Node(proc, m.group(1), log_path)
            except requests.RequestException:
                pass
        assert proc.poll() is None, log_path.read_text(errors="replace")
        time.sleep(0.2)
    raise AssertionError(f"node {name} did not start:\n" + log_path.read_text(errors="replace"))


def stop(node):
    if node.proc.poll() is None:
        node.proc.send_signal(signal.SIGTERM)
        try:
            node.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            node.proc.kill()


@pytest.fixture()
def cluster(tmp_path):
    db = "kiln_nodes_" + unique_name("d").split("_")[1]
    _psql(PG_URL, f"CREATE DATABASE {db}")
    url = PG_URL.rsplit("/", 1)[0] + "/" + db
    nodes = []
    try:
        nodes.append(start_node(tmp_path, "node-a", url, demo=True))
        nodes.append(start_node(tmp_path, "node-b", url))
        yield url, nodes
    finally:
        for n in nodes:
            stop(n)
        _psql(PG_URL, f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")


def login(base):
    s = requests.Session()
    r = s.post(base + "/api/v1/auth/login", json={"username": "province", "password": DEMO_PASSWORD}, timeout=10)
    assert r.status_code == 200, r.text
    s.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return s


def register_point(session, base):
    enterprise = session.get(base + "/api/v1/enterprises", params={"page_size": 1, "sort": "id"}).json()["items"][0]
    points = session.get(base + f"/api/v1/enterprises/{enterprise['id']}/points", params={"page_size": 100}).json()
    point = next(p for p in points["items"] if p["kind"] == "register" and p["measures"] == "electricity")
    return enterprise, point


def post(base, key, rows):
    body = json.dumps({"readings": rows}).encode()
    return requests.post(base + "/api/v1/readings", data=body, timeout=30, headers={
        "Authorization": sign(key["key_id"], key["secret"], "POST", "/api/v1/readings", body),
        "Content-Type": "application/json"})


def hourly(session, base, point_id, start):
    r = session.get(base + f"/api/v1/points/{point_id}/series",
                    params={"from": start.isoformat(), "to": (start + dt.timedelta(hours=2)).isoformat(), "step": "hour"})
    assert r.status_code == 200, r.text
    return [(i["count"], i["sum"]) for i in r.json()["items"]]


def settled(check, timeout=30):
    """Polls `check` until it holds: a reader on one node sees what another node acknowledged once that
    node has materialised it (within ingest.materialise_after; under load it once took over 10 s in CI,
    cause not yet known)."""
    deadline = time.monotonic() + timeout
    while True:
        ok, detail = check()
        if ok or time.monotonic() > deadline:
            return ok, detail
        time.sleep(0.2)


def test_a_second_node_with_the_same_name_is_refused(cluster, tmp_path):
    url, _ = cluster
    cfg = tmp_path / "twin.toml"
    cfg.write_text('[cluster]\nnode_name = "node-a"\n[security]\npbkdf2_iterations = 1000\n')
    out = subprocess.run([KILN_BIN, "serve", "--listen", "127.0.0.1:0", "--db", url, "--config", str(cfg)],
                         capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert out.returncode != 0
    assert "another kiln node named node-a is running" in out.stderr + out.stdout


def test_two_nodes_taking_every_other_batch_keep_every_reading(cluster):
    url, (a, b) = cluster
    sa, sb = login(a.base), login(b.base)
    enterprise, point = register_point(sa, a.base)
    r = sa.post(a.base + f"/api/v1/enterprises/{enterprise['id']}/keys")
    assert r.status_code == 201, r.text
    key = r.json()
    step = point["interval_s"]
    per_hour = 3600 // step
    start = dt.datetime.now(CST).replace(minute=0, second=0, microsecond=0) - dt.timedelta(hours=4)
    # Two hours of readings, one batch each, alternating between the nodes: 10 kWh a step.
    for i in range(2 * per_hour + 1):
        node = a if i % 2 == 0 else b
        ts = start + dt.timedelta(seconds=i * step)
        r = post(node.base, key, [{"point": point["code"], "ts": ts.isoformat(), "v": 1000 + 10 * i}])
        assert r.status_code == 200, r.text
        assert r.json()["accepted"] == 1, r.text
    expected = [(per_hour, 10.0 * per_hour), (per_hour, 10.0 * per_hour)]
    for session, node in ((sa, a), (sb, b)):
        ok, got = settled(lambda: (lambda h: (h == expected, h))(hourly(session, node.base, point["id"], start)))
        assert ok, f"{node.base}: hourly counts and sums {got}, expected {expected}"


def test_two_nodes_receiving_one_enterprise_at_once_lose_nothing(cluster):
    url, (a, b) = cluster
    sa = login(a.base)
    enterprise, point = register_point(sa, a.base)
    key = sa.post(a.base + f"/api/v1/enterprises/{enterprise['id']}/keys").json()
    step = point["interval_s"]
    per_hour = 3600 // step
    start = dt.datetime.now(CST).replace(minute=0, second=0, microsecond=0) - dt.timedelta(hours=8)
    # Both nodes at the same time, each its own half of the steps, in time order per node.
    failures = []

    def send(node, parity):
        for i in range(parity, 2 * per_hour + 1, 2):
            ts = start + dt.timedelta(seconds=i * step)
            for attempt in range(20):
                r = post(node.base, key, [{"point": point["code"], "ts": ts.isoformat(), "v": 5000 + 10 * i}])
                if r.status_code != 503:
                    break
                time.sleep(0.1)
            if r.status_code != 200 or r.json()["accepted"] + r.json()["duplicates"] != 1:
                failures.append(r.text)

    threads = [threading.Thread(target=send, args=(a, 0)), threading.Thread(target=send, args=(b, 1))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, failures
    expected = [(per_hour, 10.0 * per_hour), (per_hour, 10.0 * per_hour)]
    sb = login(b.base)
    for session, node in ((sa, a), (sb, b)):
        ok, got = settled(lambda: (lambda h: (h == expected, h))(hourly(session, node.base, point["id"], start)))
        assert ok, f"{node.base}: hourly counts and sums {got}, expected {expected}"


def test_a_killed_node_loses_nothing_it_acknowledged(tmp_path):
    """kill -9 a node holding acknowledged, unwritten readings: the other node takes its enterprises
    over with their journal, on the next batch of the enterprise or by itself."""
    db = "kiln_nodes_" + unique_name("k").split("_")[1]
    _psql(PG_URL, f"CREATE DATABASE {db}")
    url = PG_URL.rsplit("/", 1)[0] + "/" + db
    fast = "heartbeat_ms = 200\nnode_timeout_ms = 1000\n"
    nodes = []
    try:
        # Node A keeps what it acknowledges in its journal for a minute: the kill finds it unwritten.
        a = start_node(tmp_path, "node-a", url, demo=True, extra=fast + "[ingest]\nmaterialise_after_ms = 60000\n")
        nodes.append(a)
        b = start_node(tmp_path, "node-b", url, extra=fast)
        nodes.append(b)
        sa = login(a.base)
        enterprises = sa.get(a.base + "/api/v1/enterprises", params={"page_size": 2, "sort": "id"}).json()["items"]
        targets = []
        for e in enterprises:
            points = sa.get(a.base + f"/api/v1/enterprises/{e['id']}/points", params={"page_size": 100}).json()["items"]
            point = next(p for p in points if p["kind"] == "register")
            key = sa.post(a.base + f"/api/v1/enterprises/{e['id']}/keys").json()
            targets.append((e, point, key))
        start = dt.datetime.now(CST).replace(minute=0, second=0, microsecond=0) - dt.timedelta(hours=3)
        for e, point, key in targets:
            for i in range(6):
                ts = start + dt.timedelta(seconds=i * point["interval_s"])
                r = post(a.base, key, [{"point": point["code"], "ts": ts.isoformat(), "v": 100 + i}])
                assert r.status_code == 200 and r.json()["accepted"] == 1, r.text
        a.proc.kill()
        a.proc.wait()
        time.sleep(1.5)
        sb = login(b.base)
        # The first enterprise gets a new batch on node B: B takes it over with A's journal at once.
        e, point, key = targets[0]
        ts = start + dt.timedelta(seconds=6 * point["interval_s"])
        r = post(b.base, key, [{"point": point["code"], "ts": ts.isoformat(), "v": 106}])
        assert r.status_code == 200, r.text

        def readings(point_id):
            r = sb.get(b.base + f"/api/v1/points/{point_id}/series",
                       params={"from": start.isoformat(), "to": (start + dt.timedelta(hours=1)).isoformat()})
            assert r.status_code == 200, r.text
            return len(r.json()["readings"])

        ok, got = settled(lambda: (lambda n: (n == 7, n))(readings(targets[0][1]["id"])))
        assert ok, f"{got} readings of the first enterprise, expected 7"
        # The second gets nothing new: B's periodic check takes it over by itself.
        ok, got = settled(lambda: (lambda n: (n == 6, n))(readings(targets[1][1]["id"])), timeout=15)
        assert ok, f"{got} readings of the second enterprise, expected 6"
        assert "took over enterprise" in b.log()
    finally:
        for n in nodes:
            stop(n)
        _psql(PG_URL, f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
