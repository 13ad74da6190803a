"""Black-box API tests for Kiln: one demo server per test session.

Environment:
  KILN_BIN            the kiln binary (default /work/main/build/kiln)
  KILN_TEST_BACKEND   sqlite (default) or postgres
  KILN_TEST_PG_URL    for postgres: an admin URL such as
                      postgresql://kiln@127.0.0.1:55432/postgres; the tests
                      create a fresh database beside it and drop it at the end.
"""

import contextlib
import hashlib
import hmac
import json
import os
import pathlib
import random
import secrets
import re
import signal
import string
import subprocess
import tempfile
import time
import uuid

import pytest
import requests

REPO = pathlib.Path(__file__).resolve().parents[1]
KILN_BIN = os.environ.get("KILN_BIN", str(REPO / "build" / "kiln"))
BACKEND = os.environ.get("KILN_TEST_BACKEND", "sqlite")
PG_URL = os.environ.get("KILN_TEST_PG_URL", "postgresql://kiln@127.0.0.1:55432/postgres")

DEMO_PASSWORD = "Kiln@2026demo"
DEMO_ENTERPRISES = 300
DEMO_SEED = 7
PROVINCE = "370000"
STARTUP_TIMEOUT_S = 60
SHUTDOWN_TIMEOUT_S = 15

# GB 32100 unified social credit code.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc_check_char(first17):
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def make_uscc(region, rng=random):
    """A valid credit code registered in `region` (6 digits)."""
    body = "MA" + "".join(rng.choice(USCC_ALPHABET) for _ in range(7))
    first17 = "91" + region + body
    assert len(first17) == 17
    return first17 + uscc_check_char(first17)


def unique_name(prefix="t"):
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


def region_prefix(code):
    """The code prefix a region's jurisdiction covers (GB/T 2260)."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def error_of(response):
    """The `error` object of an error answer, checked for the documented shape."""
    body = response.json()
    assert set(body) == {"error"}, body
    err = body["error"]
    assert set(err) <= {"code", "message", "details"}, err
    assert isinstance(err["code"], str) and err["code"]
    assert isinstance(err["message"], str) and err["message"]
    if "details" in err:
        assert isinstance(err["details"], list) and err["details"]
        for d in err["details"]:
            assert set(d) == {"field", "reason"}, d
    return err


def detail_fields(response):
    return [d["field"] for d in error_of(response).get("details", [])]


class Client(requests.Session):
    """A requests.Session bound to the server's base URL."""

    def __init__(self, base_url):
        super().__init__()
        self.base_url = base_url
        self.user = None
        self.csrf_token = None

    def request(self, method, url, *args, **kwargs):
        if url.startswith("/"):
            url = self.base_url + url
        kwargs.setdefault("timeout", 30)
        return super().request(method, url, *args, **kwargs)


class KilnServer:
    def __init__(self, base_url, log_path):
        self.base_url = base_url
        self.log_path = log_path

    def log_text(self):
        try:
            return pathlib.Path(self.log_path).read_text(errors="replace")
        except OSError as e:
            return f"(no server log: {e})"

    def client(self):
        return Client(self.base_url)

    def login_response(self, username, password=DEMO_PASSWORD):
        c = self.client()
        return c.post("/api/v1/auth/login", json={"username": username, "password": password})

    def login(self, username, password=DEMO_PASSWORD):
        """A logged-in session: cookie kiln_session plus the X-CSRF-Token header."""
        c = self.client()
        r = c.post("/api/v1/auth/login", json={"username": username, "password": password})
        assert r.status_code == 200, f"login {username}: {r.status_code} {r.text}"
        body = r.json()
        token = r.cookies.get("kiln_session")
        assert token, r.headers.get("Set-Cookie")
        c.cookies.clear()  # keep exactly one cookie, valid for whatever host name the URL uses
        c.cookies.set("kiln_session", token)
        c.headers["X-CSRF-Token"] = body["csrf_token"]
        c.csrf_token = body["csrf_token"]
        c.user = body["user"]
        return c


_SERVER = None  # for the failure hook


def _psql(url, sql):
    subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql], check=True,
                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    global _SERVER
    assert os.access(KILN_BIN, os.X_OK), f"kiln binary not found at {KILN_BIN} (set KILN_BIN or build it)"
    workdir = tmp_path_factory.mktemp("kiln")
    config = workdir / "kiln.toml"
    # Every test logs in from 127.0.0.1, wrong passwords included: the per-address throttle is
    # tested on a server of its own (test_13_access.py).
    # /metrics is for operators only here (the default also lets loopback read it).
    # The warning rules run often, so that tests see their warnings within a second or two.
    config.write_text("[server]\nmonitoring_allow = []\n"
                      "[security]\npbkdf2_iterations = 1000\nlogin_failures_per_address = 1000000\n"
                      "login_failures_global = 1000000\n"
                      "[warnings]\ntick_ms = 200\nsettle_ms = 300\nschedule_seconds = 2\n")
    log_path = workdir / "server.log"

    store_args = []
    pg_db = None
    if BACKEND == "sqlite":
        store_args = ["--data", str(workdir / "data")]
    elif BACKEND == "postgres":
        pg_db = "kiln_api_" + "".join(random.choice(string.ascii_lowercase + string.digits) for _ in range(10))
        _psql(PG_URL, f"CREATE DATABASE {pg_db}")
        store_args = ["--db", PG_URL.rsplit("/", 1)[0] + "/" + pg_db]
    else:
        raise pytest.UsageError(f"KILN_TEST_BACKEND must be sqlite or postgres, not {BACKEND!r}")

    # Port 0: the server picks a free port and logs it; no race with other processes.
    cmd = [KILN_BIN, "demo", "--listen", "127.0.0.1:0", *store_args, "--seed", str(DEMO_SEED),
           "--enterprises", str(DEMO_ENTERPRISES), "--config", str(config), "--no-meters"]
    log = open(log_path, "wb")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    srv = None
    try:
        base_url = None
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"kiln exited with {proc.returncode} during startup:\n"
                                   + log_path.read_text(errors="replace"))
            if base_url is None:
                m = re.search(r"Kiln listening on (http://127\.0\.0\.1:\d+)", log_path.read_text(errors="replace"))
                if m:
                    base_url = m.group(1)
            if base_url:
                try:
                    if requests.get(base_url + "/healthz", timeout=2).status_code == 200:
                        break
                except requests.RequestException:
                    pass
            time.sleep(0.2)
        else:
            raise RuntimeError(f"kiln did not become healthy within {STARTUP_TIMEOUT_S} s:\n"
                               + log_path.read_text(errors="replace"))
        srv = KilnServer(base_url, log_path)
        _SERVER = srv
        # The state before any test changed it, for tests that need the pristine demo.
        province = srv.login("province")
        r = province.get("/api/v1/enterprises", params={"page_size": 500, "sort": "id"})
        assert r.status_code == 200, r.text
        srv.baseline_enterprises = r.json()
        yield srv
    finally:
        _SERVER = None
        exit_code = None
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                exit_code = proc.wait(timeout=SHUTDOWN_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        else:
            exit_code = proc.returncode
        log.close()
        if pg_db:
            try:
                _psql(PG_URL, f"DROP DATABASE IF EXISTS {pg_db} WITH (FORCE)")
            except subprocess.CalledProcessError as e:
                print(f"could not drop {pg_db}: {e.stdout!r}")
        if srv is not None:  # only judge the shutdown of a server that came up
            text = log_path.read_text(errors="replace")
            assert exit_code == 0, (f"kiln did not shut down gracefully on SIGTERM within {SHUTDOWN_TIMEOUT_S} s "
                                    f"(exit {exit_code}); server log:\n{text}")
            assert "stopped cleanly" in text, text


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if rep.failed and _SERVER is not None:
        text = _SERVER.log_text()
        tail = "\n".join(text.splitlines()[-200:])
        rep.sections.append(("kiln server log (last 200 lines)", tail))


@pytest.fixture(scope="session")
def login(server):
    """login(username, password=demo password) -> logged-in Client."""
    return server.login


@pytest.fixture(scope="session")
def anon(server):
    return server.client()


@pytest.fixture(scope="session")
def as_role(server):
    """Shared logged-in sessions of the demo accounts (never locked or changed)."""
    cache = {}

    def get(username):
        if username not in cache:
            cache[username] = server.login(username)
        return cache[username]

    return get


@pytest.fixture(scope="session")
def province(as_role):
    return as_role("province")


@pytest.fixture(scope="session")
def world(server, as_role, province):
    """Facts about the demo data the jurisdiction tests rely on."""
    city = as_role("city").user["region"]
    county = as_role("county").user["region"]
    enterprise_user = as_role("enterprise").user
    own_id = enterprise_user["enterprise_id"]
    items = server.baseline_enterprises["items"]
    own = next(e for e in items if e["id"] == own_id)
    assert own["region"] == county, "the demo county is the county of enterprise 1"
    assert county.startswith(region_prefix(city))
    same_city = [e for e in items if e["region"].startswith(region_prefix(city)) and e["region"] != county]
    other_city = [e for e in items if not e["region"].startswith(region_prefix(city))]
    assert other_city, "the demo data must have enterprises outside the demo city"

    def first_child(enterprise_id, what):
        r = province.get(f"/api/v1/enterprises/{enterprise_id}/{what}", params={"page_size": 1})
        assert r.status_code == 200, r.text
        return r.json()["items"][0]

    def target(e):
        if e is None:
            return None
        return {"enterprise": e, "project": first_child(e["id"], "projects"), "point": first_child(e["id"], "points")}

    other_city_regions = sorted({e["region"][:4] + "00" for e in other_city})
    return {
        "city": city,
        "county": county,
        "own": target(own),
        "same_city": target(same_city[0]) if same_city else None,
        "other_city": target(other_city[0]),
        "other_city_code": other_city_regions[0],
        "other_city_county": other_city[0]["region"],
    }


FIRST_PASSWORD = "First#Pass2026"


@contextlib.contextmanager
def own_demo(work, config_text, *demo_args, name="own"):
    """A `kiln demo` of its own on the backend under test (a SQLite directory in `work`, or a fresh
    PostgreSQL database), configured by `config_text`. Yields {"base", "log", "store_args", "work"}
    once it listens; stops it with SIGTERM and drops its database afterwards."""
    work = pathlib.Path(work)
    config = work / "kiln.toml"
    config.write_text(config_text)
    log_path = work / "server.log"
    store_args, pg_db = ["--data", str(work / "data")], None
    if BACKEND == "postgres":
        pg_db = f"kiln_{name}_{uuid.uuid4().hex[:10]}"
        _psql(PG_URL, f"CREATE DATABASE {pg_db}")
        store_args = ["--db", PG_URL.rsplit("/", 1)[0] + "/" + pg_db]
    log = open(log_path, "wb")
    proc = subprocess.Popen([KILN_BIN, "demo", "--listen", "127.0.0.1:0", *store_args, "--config", str(config),
                             *demo_args], stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=work)
    try:
        deadline, base = time.monotonic() + STARTUP_TIMEOUT_S, None
        while base is None:
            text = log_path.read_text(errors="replace")
            assert proc.poll() is None, text
            assert time.monotonic() < deadline, "kiln demo did not start:\n" + text
            if m := re.search(r"Kiln listening on (http://127\.0\.0\.1:\d+)", text):
                base = m.group(1)
            time.sleep(0.2)
        yield {"base": base, "log": log_path, "store_args": store_args, "work": work}
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)  # a demo with meters finishes its in-flight batches
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        if pg_db:
            _psql(PG_URL, f"DROP DATABASE IF EXISTS {pg_db} WITH (FORCE)")


def logged_in(base, username, password=DEMO_PASSWORD):
    """A Client logged in at `base`, with its CSRF token."""
    c = Client(base)
    r = c.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return c


def all_pages(client, path, **params):
    """Every item of a list endpoint, page by page."""
    items, page = [], 1
    while True:
        r = client.get(path, params={**params, "page": page, "page_size": 500})
        assert r.status_code == 200, r.text
        body = r.json()
        items += body["items"]
        if len(items) >= body["total"] or not body["items"]:
            return items
        page += 1


def wait_for_warnings(client, timeout=30, **filters):
    """The warnings matching the filters, once there is at least one (the evaluator runs every few seconds)."""
    deadline = time.monotonic() + timeout
    while True:
        r = client.get("/api/v1/warnings", params={"page_size": 500, **filters})
        assert r.status_code == 200, r.text
        items = r.json()["items"]
        if items or time.monotonic() > deadline:
            return items
        time.sleep(0.3)


def finish_first_login(server, username, first_password, password):
    """An account made or reset by an administrator changes its one-time password before anything else."""
    c = server.login(username, first_password)
    assert c.user["must_change_password"] is True, c.user
    r = c.post("/api/v1/me/password", json={"old_password": first_password, "new_password": password})
    assert r.status_code == 200, r.text


@pytest.fixture(scope="session")
def make_user(server, province):
    """Creates a fresh user as the province (or `creator`) and completes its first login with `password`;
    returns (username, password, user json as created)."""

    def make(role="county", creator=None, password="Test#Pass123", **fields):
        creator = creator or province
        username = unique_name(role)
        body = {"username": username, "password": FIRST_PASSWORD, "role": role, **fields}
        r = creator.post("/api/v1/users", json=body)
        assert r.status_code == 201, r.text
        assert r.json()["must_change_password"] is True
        finish_first_login(server, username, FIRST_PASSWORD, password)
        return username, password, r.json()

    return make


def json_of(response):
    try:
        return response.json()
    except ValueError:
        return response.text


def pretty(obj):
    return json.dumps(obj, ensure_ascii=False, indent=1)


def sm3_hex(data: bytes) -> str:
    return hashlib.new("sm3", data).hexdigest()


def sign(key_id, secret, method, path, body: bytes, timestamp=None, nonce=None):
    """The documented KILN-HMAC-SM3 scheme, implemented independently of the server."""
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    nonce = nonce or secrets.token_hex(8)
    canonical = "\n".join([method, path, timestamp, nonce, sm3_hex(body)])
    signature = hmac.new(secret.encode(), canonical.encode(), lambda: hashlib.new("sm3")).hexdigest()
    return f"KILN-HMAC-SM3 Credential={key_id}, Timestamp={timestamp}, Nonce={nonce}, Signature={signature}"


def post_readings(client, key, rows):
    """Posts a row-form batch signed with `key` ({"key_id", "secret"}); returns the response."""
    body = json.dumps({"readings": rows}).encode()
    return client.post("/api/v1/readings", data=body, headers={
        "Authorization": sign(key["key_id"], key["secret"], "POST", "/api/v1/readings", body),
        "Content-Type": "application/json"})
