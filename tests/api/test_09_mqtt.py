"""Readings over MQTT: a real mosquitto broker on 127.0.0.1, the same signing scheme (METHOD "MQTT",
PATH = topic), acknowledgements published to <topic>/ack."""

import json
import secrets
import shutil
import socket
import subprocess
import time

import pytest

from conftest import DEMO_PASSWORD, KILN_BIN
from test_06_readings import sign, yesterday_cst, iso
from test_07_crash import _Kiln

pytestmark = pytest.mark.skipif(shutil.which("mosquitto") is None, reason="mosquitto not installed")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def broker(tmp_path):
    port = free_port()
    conf = tmp_path / "mosquitto.conf"
    conf.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n")
    proc = subprocess.Popen(["mosquitto", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.1)
    yield port
    proc.terminate()
    proc.wait(timeout=10)


def publish_and_wait_ack(port, topic, envelope):
    sub = subprocess.Popen(["mosquitto_sub", "-h", "127.0.0.1", "-p", str(port), "-t", topic + "/ack", "-C", "1",
                            "-W", "15", "-q", "1"], stdout=subprocess.PIPE, text=True)
    time.sleep(0.5)  # let the subscription settle
    subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", str(port), "-t", topic, "-q", "1",
                    "-m", json.dumps(envelope)], check=True, timeout=10)
    out, _ = sub.communicate(timeout=20)
    return json.loads(out)


def test_readings_over_mqtt(tmp_path, broker):
    kiln = _Kiln(tmp_path, ["--data", str(tmp_path / "data")])
    kiln.command = lambda: [KILN_BIN, "demo", "--listen", "127.0.0.1:0", "--data", str(tmp_path / "data"),
                            "--enterprises", "5", "--no-meters", "--config", str(kiln.config),
                            "--mqtt", f"tcp://127.0.0.1:{broker}"]
    try:
        server = kiln.start()
        deadline = time.monotonic() + 15
        while "mqtt: connected" not in kiln.log_text():
            assert time.monotonic() < deadline, kiln.log_text()[-2000:]
            time.sleep(0.1)
        c = server.login("province", DEMO_PASSWORD)
        enterprise = c.get("/api/v1/enterprises/1").json()
        key = c.post("/api/v1/enterprises/1/keys").json()
        topic = f"kiln/{enterprise['uscc']}/readings"
        t0 = yesterday_cst(9)
        body = json.dumps({"readings": [{"point": "E-01", "ts": iso(t0), "v": 10},
                                        {"point": "E-01", "ts": iso(t0.replace(minute=5)), "v": 17},
                                        {"point": "NOPE", "ts": iso(t0), "v": 1}]})
        envelope = {"authorization": sign(key["key_id"], key["secret"], "MQTT", topic, body.encode()), "body": body}
        ack = publish_and_wait_ack(broker, topic, envelope)
        assert ack["accepted"] == 2 and ack["rejected"][0]["code"] == "unknown_point", ack

        # The same message again: the nonce is spent.
        ack = publish_and_wait_ack(broker, topic, envelope)
        assert ack["error"]["code"] == "nonce_reused", ack

        # A key of enterprise 1 cannot publish under another enterprise's topic.
        other = c.get("/api/v1/enterprises/2").json()
        other_topic = f"kiln/{other['uscc']}/readings"
        envelope = {"authorization": sign(key["key_id"], key["secret"], "MQTT", other_topic, body.encode()),
                    "body": body}
        ack = publish_and_wait_ack(broker, other_topic, envelope)
        assert ack["error"]["code"] == "permission_denied", ack

        points = c.get("/api/v1/enterprises/1/points", params={"q": "E-01"}).json()["items"]
        e01 = next(p for p in points if p["code"] == "E-01")
        series = c.get(f"/api/v1/points/{e01['id']}/series", params={"from": t0.date().isoformat()}).json()
        assert [r["v"] for r in series["readings"]] == [10, 17]
        assert kiln.terminate() == 0
    finally:
        kiln.cleanup()
