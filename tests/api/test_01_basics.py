"""Health, metrics, OpenAPI, routing errors and the error body shape."""

import re
import socket
from urllib.parse import urlparse

from conftest import BACKEND, error_of


def test_healthz(anon):
    r = anon.get("/healthz")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["store"] == ("sqlite" if BACKEND == "sqlite" else "postgres")
    assert isinstance(body["schema_version"], int) and body["schema_version"] >= 1


def test_metrics(anon, as_role):
    anon.get("/healthz")
    # The test server's monitoring allow-list is empty: only an operator's session reads /metrics.
    assert anon.get("/metrics").status_code == 401
    assert as_role("province").get("/metrics").status_code == 403
    r = as_role("operator").get("/metrics")
    assert r.status_code == 200
    assert "kiln_audit_write_failures_total 0" in r.text
    assert r.headers["Content-Type"].startswith("text/plain")
    assert "kiln_http_requests_total" in r.text
    assert "kiln_store_pool_connections" in r.text
    assert re.search(r'kiln_http_requests_total\{route="/healthz",method="GET",status="200"\} \d+', r.text)


def test_openapi_is_json(anon):
    r = anon.get("/api/v1/openapi.json")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    doc = r.json()
    assert "openapi" in doc


def test_unknown_route_404(anon):
    r = anon.get("/api/v1/no-such-thing")
    assert r.status_code == 404
    err = error_of(r)
    assert err["code"] == "not_found"
    assert "/api/v1/no-such-thing" in err["message"]


def test_unknown_route_outside_api_404(anon):
    r = anon.get("/nothing-here")
    assert r.status_code == 404
    assert error_of(r)["code"] == "not_found"


def test_wrong_method_405_with_allow(anon):
    r = anon.delete("/api/v1/enterprises")
    assert r.status_code == 405
    assert error_of(r)["code"] == "method_not_allowed"
    assert {m.strip() for m in r.headers["Allow"].split(",")} == {"GET", "POST"}

    r = anon.put("/healthz")
    assert r.status_code == 405
    assert r.headers["Allow"] == "GET"

    r = anon.get("/api/v1/auth/login")
    assert r.status_code == 405
    assert r.headers["Allow"] == "POST"


def test_malformed_json_names_byte_position(anon):
    body = '{"username": "x", oops}'  # the 'o' is byte 19
    r = anon.post("/api/v1/auth/login", data=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    err = error_of(r)
    assert err["code"] == "invalid_argument"
    assert "byte 19" in err["message"]
    assert err["details"] == [{"field": "body", "reason": "malformed JSON at byte 19"}]


def test_empty_body_400(anon):
    r = anon.post("/api/v1/auth/login", data=b"", headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert error_of(r)["code"] == "invalid_argument"


def _raw_request(base_url, head, body_part):
    """Sends a request by hand and returns (status, headers text, body text)."""
    u = urlparse(base_url)
    with socket.create_connection((u.hostname, u.port), timeout=15) as s:
        s.sendall(head.encode())
        try:
            s.sendall(body_part)
        except OSError:
            pass  # the server may answer and close before reading the body
        data = b""
        while True:
            try:
                chunk = s.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            data += chunk
            if b"\r\n\r\n" in data:
                header, _, rest = data.partition(b"\r\n\r\n")
                m = re.search(rb"content-length:\s*(\d+)", header, re.I)
                if m and len(rest) >= int(m.group(1)):
                    break
    header, _, rest = data.partition(b"\r\n\r\n")
    status = int(header.split(b" ", 2)[1])
    return status, header.decode(errors="replace"), rest.decode(errors="replace")


def test_oversized_body_413(server):
    size = 8 * 1024 * 1024 + 1
    head = (f"POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {size}\r\nConnection: close\r\n\r\n")
    status, _, body = _raw_request(server.base_url, head, b"{" + b" " * 65536)
    assert status == 413
    assert '"payload_too_large"' in body
    assert "8388608" in body


def test_oversized_body_413_via_requests(anon):
    # A whole 9 MiB body sent by an ordinary client: 413 or, if the server closes
    # before the client finished sending, a reset; never a 2xx/400.
    import requests
    try:
        r = anon.post("/api/v1/auth/login", data=b"x" * (9 * 1024 * 1024),
                      headers={"Content-Type": "application/json"})
    except requests.ConnectionError:
        return
    assert r.status_code == 413
    assert error_of(r)["code"] == "payload_too_large"


def test_body_at_limit_is_read(anon):
    # Exactly 8 MiB passes the transport limit and reaches the JSON parser, whose own limit (1 MiB) refuses it.
    body = b"[" + b" " * (8 * 1024 * 1024 - 1)
    r = anon.post("/api/v1/auth/login", data=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    err = error_of(r)
    assert err["code"] == "payload_too_large"
    assert "the limit is 1048576 bytes" in err["message"]
    body = b"[" + b" " * 1000
    r = anon.post("/api/v1/auth/login", data=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert re.search(r"malformed JSON at byte \d+", error_of(r)["message"])


def test_public_reference_lists(anon):
    for path in ("/api/v1/regions", "/api/v1/industries", "/api/v1/departments"):
        r = anon.get(path)
        assert r.status_code == 200, path
        assert r.json()["items"], path
    r = anon.get("/api/v1/regions", params={"level": "province"})
    assert [i["code"] for i in r.json()["items"]] == ["370000"]
