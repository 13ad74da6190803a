"""The outbound webhook: a local receiver stands in for a province's SMS gateway.

A server of its own posts to it; the receiver refuses the first message (503) so that the retry is
seen, checks every signature with the documented KILN-HMAC-SM3 scheme, and keeps what it got. A
meter that stopped six hours ago opens a warning: one message, with the officials whose
jurisdiction holds it and who chose to hear of it; a user who turned the webhook off is no longer
named; new data clears the warning: a second message.
"""

import datetime as dt
import http.server
import json
import re
import threading
import time

import pytest
import requests

from conftest import Client, logged_in, make_uscc, own_demo, post_readings, sign, unique_name

CST = dt.timezone(dt.timedelta(hours=8))
KEY_ID, SECRET = "province-sms", "a-webhook-secret-of-32-characters"


class Receiver(http.server.ThreadingHTTPServer):
    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.messages, self.refused, self.bad_signatures = [], 0, []
        self.refuse_next = 1

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}/hooks/kiln"


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        auth = self.headers.get("Authorization", "")
        fields = dict(re.findall(r"(\w+)=([^,\s]+)", auth))
        expected = sign(KEY_ID, SECRET, "POST", self.path, body, fields.get("Timestamp"), fields.get("Nonce"))
        if auth != expected:
            self.server.bad_signatures.append(auth)
        if self.server.refuse_next > 0:
            self.server.refuse_next -= 1
            self.server.refused += 1
            self.send_response(503)
            self.end_headers()
            return
        self.server.messages.append(json.loads(body))
        self.send_response(204)
        self.end_headers()


@pytest.fixture(scope="module")
def receiver():
    r = Receiver()
    thread = threading.Thread(target=r.serve_forever, daemon=True)
    thread.start()
    yield r
    r.shutdown()


@pytest.fixture(scope="module")
def hooked(tmp_path_factory, receiver):
    config = ("[security]\npbkdf2_iterations = 1000\n"
              "[warnings]\ntick_ms = 200\nsettle_ms = 300\nschedule_seconds = 1\n"
              f"[notifications]\nwebhook_url = \"{receiver.url}\"\nwebhook_key_id = \"{KEY_ID}\"\n"
              f"webhook_secret = \"{SECRET}\"\nwebhook_retry_ms = 300\nwebhook_poll_ms = 100\n")
    with own_demo(tmp_path_factory.mktemp("webhook"), config, "--enterprises", "30", "--no-meters",
                  name="hook") as own:
        base = own["base"]
        yield {"base": base, "login": lambda username: logged_in(base, username), "log": own["log"]}


def stopped_meter(hooked, hours_ago):
    """An enterprise in the demo county whose only meter sent 5-minute readings until `hours_ago`."""
    base, province = hooked["base"], hooked["login"]("province")
    county = hooked["login"]("county").get(base + "/api/v1/me").json()["user"]["region"]
    r = province.post(base + "/api/v1/enterprises", json={
        "uscc": make_uscc(county), "name": unique_name("推送测试企业"), "region": county, "industry": "C3011",
        "address": "测试地址20号", "lng": 117.1, "lat": 36.5, "phone": "0531-7654320", "staff": 80,
        "key_energy_unit": True})
    assert r.status_code == 201, r.text
    eid = r.json()["id"]
    r = province.post(base + f"/api/v1/enterprises/{eid}/points", json={
        "code": "M-01", "name": "总表", "kind": "register", "measures": "electricity", "unit": "kWh",
        "interval_s": 300, "in_total": True})
    assert r.status_code == 201, r.text
    key = province.post(base + f"/api/v1/enterprises/{eid}/keys").json()
    now = dt.datetime.now(CST).replace(second=0, microsecond=0)
    now -= dt.timedelta(minutes=now.minute % 5)
    start, stop = now - dt.timedelta(hours=hours_ago + 3), now - dt.timedelta(hours=hours_ago)
    rows, t, v = [], start, 1000.0
    while t <= stop:
        rows.append({"point": "M-01", "ts": t.isoformat(), "v": round(v, 1)})
        t, v = t + dt.timedelta(minutes=5), v + 2.5
    session = Client(base)
    r = post_readings(session, key, rows)
    assert r.status_code == 200, r.text
    return {"enterprise_id": eid, "key": key, "session": session, "stop": stop, "v": v, "county": county}


def wait_for_message(receiver, predicate, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [m for m in receiver.messages if predicate(m)]
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"no such webhook message; got {json.dumps(receiver.messages, ensure_ascii=False)[:3000]}")


def test_a_warning_that_opens_and_clears_is_posted_signed_to_those_who_see_it(hooked, receiver):
    meter = stopped_meter(hooked, hours_ago=6)
    eid = meter["enterprise_id"]
    opened = wait_for_message(receiver, lambda m: m["event"] == "opened" and m["warning"]["enterprise_id"] == eid
                              and m["warning"]["rule"] == "access_end_silent")
    assert len(opened) == 1, opened
    m = opened[0]
    assert receiver.refused >= 1 and not receiver.bad_signatures, receiver.bad_signatures
    w = m["warning"]
    assert w["category"] == "data" and w["status"] == "open" and w["region"] == meter["county"]
    assert w["link"] == f"/warnings/{w['id']}" and w["message"] and w["from"].endswith("Z")
    told = {r["username"] for r in m["recipients"]}
    assert {"province", "city", "county"} <= told, told
    assert not told & {"enterprise", "operator", "dept_admin", "dept_user", "power_admin"}, told
    # The same warning through the API: the message is its state.
    province = hooked["login"]("province")
    api = province.get(hooked["base"] + f"/api/v1/warnings/{w['id']}").json()
    assert api["rule"] == w["rule"] and api["severity"] == w["severity"] and api["message"] == w["message"]
    metrics = requests.get(hooked["base"] + "/metrics", timeout=10).text
    assert re.search(r'kiln_webhook_messages_total\{state="failed_attempt"\} [1-9]', metrics), metrics

    # Readings up to now: the meter runs again, the warning clears and that is posted too.
    now = dt.datetime.now(CST)
    rows, t, v = [], meter["stop"] + dt.timedelta(minutes=5), meter["v"]
    while t <= now - dt.timedelta(minutes=5):
        rows.append({"point": "M-01", "ts": t.isoformat(), "v": round(v, 1)})
        t, v = t + dt.timedelta(minutes=5), v + 2.5
    assert post_readings(meter["session"], meter["key"], rows).status_code == 200
    cleared = wait_for_message(receiver, lambda m: m["event"] == "cleared" and m["warning"]["id"] == w["id"])
    assert cleared[0]["warning"]["status"] == "closed" and cleared[0]["warning"]["closed_reason"] == "cleared"
    assert not receiver.bad_signatures


def test_a_user_who_turns_the_webhook_off_is_not_named(hooked, receiver):
    county = hooked["login"]("county")
    r = county.put(hooked["base"] + "/api/v1/me/notification-prefs",
                   json={"categories": ["policy", "data", "workflow"], "min_severity": "warning", "webhook": False})
    assert r.status_code == 200, r.text
    meter = stopped_meter(hooked, hours_ago=7)
    m = wait_for_message(receiver, lambda m: m["event"] == "opened"
                         and m["warning"]["enterprise_id"] == meter["enterprise_id"])[0]
    told = {r["username"] for r in m["recipients"]}
    assert "county" not in told and {"province", "city"} <= told, told
