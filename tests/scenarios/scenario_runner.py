"""Runs scenario files: inputs, the expected figures and the hand computation behind them, as data.

A scenario is a JSON file; adding a case is adding a file. Each scenario gets an enterprise of its
own (in the demo county, created through the API), so scenarios never see each other's data and
run in any order. Fields:

  "name"          what it shows
  "hand"          the hand computation, as text lines (the reason each expected figure is what it is)
  "industry"      the enterprise's industry (default C3011)
  "points"        metering points to create: {"code", "measures", "unit", "kind", "interval_s"}
  "projects"      projects of the enterprise: {"name", "state", "product", "capacity", "capacity_unit", …}
  "readings"      {"point", "start" (ISO 8601 with offset), "step_s", "values": [...]}: sent signed
  "reports"       monthly reports the enterprise files, approved county -> city -> province unless
                  "approve": false: {"period", "content", "explanation"}
  "department"    department records pushed with a department's key (the power company's unless
                  "department" names another): {"task", "period", "values", "department"}
  "region"        "own_county": the enterprise goes to a county of its own, with no other enterprise
                  (for figures of a region); the demo county by default
  "targets"       control targets the province sets for the scenario's county, this year:
                  {"indicator", "value", "source"}
  "known_months"  the scenario needs this many complete months of the current year (it is skipped
                  in January otherwise); department periods of this year's months not complete yet
                  are left out
  "checks"        {"get": path with {enterprise}, "params": {...}, "status": 200 (default), "retry_s":
                   seconds to keep asking until the check holds (default 0),
                   "expect": {path: expected}}. A path is dotted, with [n] for an item, [*] for
                   every item (as a list) and [key=value] for the item whose key has that value:
                   `months[0].source`, `terms[*].energy_type`, `terms[energy_type=raw_coal].input`.
                   "{enterprise}" in the path, a parameter or an expected path is the scenario's
                   enterprise id (`items[key={enterprise}].co2_t`). An
                   expected {"sig4": x} compares to 4 significant figures, {"approx": x} within
                   1e-9, {"contains": x} a member of a list, a key of an object or part of a text,
                   {"contains_all": [...]} each of them, {"lacks": x} none of it, {"present": true}
                   anything but null; anything else exactly.
In any text, {year} and {last_year} are the current year (China time) and the one before, {month-k}
the month k months before the current one ("YYYY-MM"; {month-1} is the last complete month), {region} the
scenario's county and {enterprise} its enterprise id.
"""

import datetime as dt
import json
import pathlib
import re
import time

from conftest import finish_first_login, make_uscc, post_readings, sign, unique_name


def sig4(x):
    return float(f"{x:.4g}")


def at_path(value, path):
    """The value at a dotted path with [n] and [*] steps."""
    steps = re.findall(r"[^.\[\]]+|\[[^\]]*\]", path)
    values, spread = [value], False
    for step in steps:
        nxt = []
        for v in values:
            if step == "[*]":
                nxt.extend(v)
                spread = True
            elif step.startswith("[") and "=" in step:
                key, wanted = step[1:-1].split("=", 1)  # the key may be a dotted path: [evidence.product=焦炭]
                nxt.append(next(item for item in v if str(at_path(item, key)) == wanted))
            elif step.startswith("["):
                nxt.append(v[int(step[1:-1])])
            else:
                nxt.append(v[step])
        values = nxt
    return values if spread else values[0]


def matches(actual, expected):
    if isinstance(expected, dict) and set(expected) == {"sig4"}:
        return actual is not None and sig4(actual) == expected["sig4"]
    if isinstance(expected, dict) and set(expected) == {"approx"}:
        return actual is not None and abs(actual - expected["approx"]) <= 1e-9
    if isinstance(expected, dict) and set(expected) == {"contains"}:
        return expected["contains"] in actual
    if isinstance(expected, dict) and set(expected) == {"contains_all"}:
        return all(x in actual for x in expected["contains_all"])
    if isinstance(expected, dict) and set(expected) == {"lacks"}:
        return expected["lacks"] not in actual
    if isinstance(expected, dict) and set(expected) == {"present"}:
        return actual is not None
    return actual == expected


CST = dt.timezone(dt.timedelta(hours=8))


def today():
    return dt.datetime.now(CST).date()


def fill(value, names):
    """`value` with {name} placeholders in every string replaced."""
    if isinstance(value, str):
        for k, v in names.items():
            value = value.replace("{" + k + "}", str(v))
        return value
    if isinstance(value, list):
        return [fill(v, names) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, names) for k, v in value.items()}
    return value


_own_counties = set()


def own_county(server, anon):
    """A county of the province with no demo enterprise and no other scenario's."""
    used = {e["region"] for e in server.baseline_enterprises["items"]} | _own_counties
    r = anon.get("/api/v1/regions")
    assert r.status_code == 200, r.text
    regions = r.json()["items"] if isinstance(r.json(), dict) else r.json()
    free = sorted(x["code"] for x in regions if x.get("level") == "county" and x["code"] not in used)
    assert free, "the province has counties without enterprises"
    _own_counties.add(free[-1])
    return free[-1]


def load(folder):
    files = sorted(pathlib.Path(folder).glob("*.json"))
    return [(f.stem, json.loads(f.read_text(encoding="utf-8"))) for f in files]


_registrar = {}


def registrar(server, province, as_role):
    """A city official of the demo city who only registers accounts (made once per server)."""
    if server.base_url not in _registrar:
        username = unique_name("registrar")
        r = province.post("/api/v1/users", json={"username": username, "password": "First#Pass2026", "role": "city",
                                                 "region": as_role("city").user["region"]})
        assert r.status_code == 201, r.text
        finish_first_login(server, username, "First#Pass2026", "Registrar#2026")
        _registrar[server.base_url] = server.login(username, "Registrar#2026")
    return _registrar[server.base_url]


class Scenario:
    """Builds a scenario's enterprise and inputs through the API, then runs its checks."""

    def __init__(self, server, province, as_role, world, anon, spec):
        self.server, self.province, self.as_role, self.anon = server, province, as_role, anon
        county = own_county(server, anon) if spec.get("region") == "own_county" else world["county"]
        self.names = {"year": today().year, "last_year": today().year - 1, "region": county}
        for k in range(1, 37):  # {month-1}: the last complete month, {month-2} the one before …
            index = today().year * 12 + today().month - 1 - k
            self.names[f"month-{k}"] = f"{index // 12:04}-{index % 12 + 1:02}"
        self.spec = fill(spec, self.names)
        r = province.post("/api/v1/enterprises", json={
            "uscc": make_uscc(county), "name": unique_name("场景企业"), "region": county,
            "industry": spec.get("industry", "C3011"), "address": "场景路1号", "lng": 117.0, "lat": 36.6,
            "key_energy_unit": True})
        assert r.status_code == 201, r.text
        self.enterprise = r.json()
        self.names["enterprise"] = self.enterprise["id"]

    def skip_reason(self):
        """Why the scenario cannot run today, or None."""
        known = today().month - 1
        if self.spec.get("known_months", 0) > known:
            return f"needs {self.spec['known_months']} complete months of {today().year}, {known} so far"
        return None

    def build(self):
        spec, province = self.spec, self.province
        eid = self.enterprise["id"]
        for p in spec.get("points", []):
            r = province.post(f"/api/v1/enterprises/{eid}/points", json={
                "name": "场景计量点", "in_total": True, "kind": "interval", **p})
            assert r.status_code == 201, r.text
        for project in spec.get("projects", []):
            r = province.post("/api/v1/projects", json={"enterprise_id": eid, "industry": self.enterprise["industry"],
                                                        **project})
            assert r.status_code == 201, r.text
        if spec.get("readings"):
            key = province.post(f"/api/v1/enterprises/{eid}/keys").json()
            rows = []
            for series in spec["readings"]:
                start = dt.datetime.fromisoformat(series["start"])
                for i, v in enumerate(series["values"]):
                    ts = start + dt.timedelta(seconds=i * series["step_s"])
                    rows.append({"point": series["point"], "ts": ts.isoformat(), "v": v})
            r = post_readings(self.anon, key, rows)
            assert r.status_code == 200 and not r.json()["rejected"], r.text
        if spec.get("reports"):
            filer = self.enterprise_user()
            for report in spec["reports"]:
                r = filer.post(f"/api/v1/enterprises/{eid}/reports/monthly/{report['period']}/submit",
                               json={"content": report["content"], "explanation": report.get("explanation", "")})
                assert r.status_code == 200, r.text
                if report.get("approve", True):
                    for role in ("county", "city", "province"):
                        r = self.as_role(role).post(f"/api/v1/reports/{r.json()['id']}/review",
                                                    json={"action": "approve"})
                        assert r.status_code == 200, r.text
        if spec.get("department"):
            keys = {}  # by department: its administrator issues the key
            for delivery in spec["department"]:
                if delivery["period"] >= f"{today().year}-{today().month:02}":
                    continue  # a month not complete yet has no figures
                department = delivery.get("department", "power")
                if department not in keys:
                    # A department's own administrator where the demo has one; else the province.
                    admin = {"power": "power_admin", "ecology": "dept_admin"}.get(department)
                    issuer = self.as_role(admin) if admin else province
                    r = issuer.post("/api/v1/department-keys", json={"department": department})
                    assert r.status_code == 201, r.text
                    keys[department] = r.json()
                key = keys[department]
                path = f"/api/v1/collection-tasks/{delivery['task']}/records"
                body = json.dumps({"rows": [{"credit_code": self.enterprise["uscc"], "period": delivery["period"],
                                             "values": delivery["values"]}]}).encode()
                r = self.anon.post(path, data=body, headers={
                    "Authorization": sign(key["key_id"], key["secret"], "POST", path, body),
                    "Content-Type": "application/json"})
                assert r.status_code == 200, r.text
        for target in spec.get("targets", []):
            r = province.post("/api/v1/targets", json={"region": self.names["region"], "year": today().year, **target})
            assert r.status_code == 201, r.text

    def enterprise_user(self):
        # The filer's account is made by a registrar of the city, not by any official who then reviews
        # its reports: whoever set an account's password may not review them (separation of duties).
        username = unique_name("filer")
        r = registrar(self.server, self.province, self.as_role).post("/api/v1/users", json={
            "username": username, "password": "First#Pass2026", "role": "enterprise",
            "enterprise": self.enterprise["uscc"]})
        assert r.status_code == 201, r.text
        finish_first_login(self.server, username, "First#Pass2026", "Filer#Pass2026")
        return self.server.login(username, "Filer#Pass2026")

    def check(self):
        failures = []
        for check in self.spec["checks"]:
            # A check with "retry_s" is asked again until it holds (what the evaluator finds in a while).
            deadline = time.monotonic() + check.get("retry_s", 0)
            while True:
                found = self.check_one(check)
                if not found or time.monotonic() >= deadline:
                    break
                time.sleep(0.3)
            failures += found
        return failures

    def check_one(self, check):
        failures = []
        path = fill(check["get"], self.names)
        params = {k: fill(str(v), self.names) for k, v in check.get("params", {}).items()}
        r = self.province.get(path, params=params)
        if r.status_code != check.get("status", 200):
            return [f"{path} {params}: {r.status_code} {r.text[:200]}"]
        body = r.json() if r.status_code == 200 else {}
        for field, expected in check.get("expect", {}).items():
            try:
                actual = at_path(body, fill(field, self.names))
            except (KeyError, IndexError, TypeError, StopIteration) as e:
                failures.append(f"{path} {params}: {field} missing ({e!r})")
                continue
            if not matches(actual, expected):
                failures.append(f"{path} {params}: {field} is {actual!r}, expected {expected!r}")
        return failures
