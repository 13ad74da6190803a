#!/usr/bin/env python3
"""Recall of the warnings against the demo's planted faults at full size (the pytest does it on a
small demo): builds a demo province with `kiln demo`, waits until its history is in and the
evaluator has worked it off, then prints, per planted kind, how many faults a warning found, and
how many data warnings no planted fault explains.

    bench/warning_recall.py [--enterprises 1200] [--days 90] [--seed 1] [--keep DIR]

--keep DIR keeps the demo's data directory there (bench/warnings_bench.sh takes it as BENCH_DATA).
"""

import argparse
import json
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import requests

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from recall import POLICY_KINDS, policy_found, recall  # noqa: E402

DEMO_PASSWORD = "Kiln@2026demo"


def all_pages(session, base, path, **params):
    items, page = [], 1
    while True:
        r = session.get(base + path, params={**params, "page": page, "page_size": 500}, timeout=120)
        r.raise_for_status()
        body = r.json()
        items += body["items"]
        if len(items) >= body["total"] or not body["items"]:
            return items
        page += 1


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--enterprises", type=int, default=1200)
    ap.add_argument("--days", type=int, default=90)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", help="keep the demo's data directory here")
    ap.add_argument("--kiln", default=str(ROOT / "build" / "kiln"))
    args = ap.parse_args()

    work = pathlib.Path(tempfile.mkdtemp(prefix="kiln-recall."))
    data = pathlib.Path(args.keep) if args.keep else work / "data"
    log_path = work / "demo.log"
    started = time.monotonic()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([args.kiln, "demo", "--listen", "127.0.0.1:0", "--data", str(data),
                                 "--enterprises", str(args.enterprises), "--history-days", str(args.days),
                                 "--seed", str(args.seed)], stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, cwd=work)
        try:
            base, last_note = None, 0
            while True:
                text = log_path.read_text(errors="replace")
                if proc.poll() is not None:
                    sys.exit("kiln demo stopped:\n" + text[-3000:])
                if base is None and (m := re.search(r"Kiln listening on (http://127\.0\.0\.1:\d+)", text)):
                    base = m.group(1)
                if "demo history complete" in text:
                    break
                if time.monotonic() - last_note > 60:
                    days = re.findall(r"demo history: (\d+) of (\d+) days", text)
                    print(f"  {time.monotonic() - started:.0f} s: history {days[-1][0] if days else 0} of "
                          f"{args.days} days", flush=True)
                    last_note = time.monotonic()
                time.sleep(2)
            history_s = time.monotonic() - started
            print(f"history in after {history_s:.0f} s; waiting for the evaluator", flush=True)
            while not re.search(r"^kiln_warnings_backlog_points 0$", requests.get(base + "/metrics", timeout=30).text,
                                re.M):
                time.sleep(2)
            time.sleep(75)  # one more run of the scheduled and monthly rules
            session = requests.Session()
            r = session.post(base + "/api/v1/auth/login", json={"username": "province", "password": DEMO_PASSWORD},
                             timeout=30)
            r.raise_for_status()
            session.headers["X-CSRF-Token"] = r.json()["csrf_token"]
            faults = json.loads((data / "demo-faults.json").read_text())["faults"]
            warnings = all_pages(session, base, "/api/v1/warnings", category="data")
            table, missed, unexplained = recall(faults, warnings)
            print(f"\n== warning recall, demo of {args.enterprises} enterprises, {args.days} days, seed {args.seed} ==")
            print(f"{'kind':28} {'found':>6} {'planted':>8} {'recall':>8}")
            for kind, (found, planted) in sorted(table.items()):
                print(f"{kind:28} {found:6} {planted:8} {found / planted:8.1%}")
            for f in faults:
                if f["kind"] in POLICY_KINDS:
                    hits = policy_found(f, all_pages(session, base, "/api/v1/warnings", rule=f["kind"]))
                    print(f"{f['kind']:28} {'found' if hits else 'MISSED':>6}  ({f['product']})")
            by_rule = {}
            for w in warnings:
                by_rule[w["rule"]] = by_rule.get(w["rule"], 0) + 1
            print(f"data warnings: {len(warnings)} {dict(sorted(by_rule.items()))}")
            print(f"on points and enterprises without a planted fault: {len(unexplained)} "
                  f"({len(unexplained) / max(1, len(warnings)):.1%})")
            for w in unexplained[:15]:
                print("   ", w["rule"], w["message"])
            for f in missed[:15]:
                print("   missed:", f["kind"], f.get("point_code", ""), f["enterprise_id"], f["note"])
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=120)
            except subprocess.TimeoutExpired:
                proc.kill()
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
