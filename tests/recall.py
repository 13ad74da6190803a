"""Which warnings find which of the demo's planted faults (demo-faults.json), and which data warnings
no planted fault explains: shared by the recall test (api/test_18_warning_recall.py) and the
full-size measurement (bench/warning_recall.py)."""

import datetime as dt
from collections import defaultdict

# Which warning rules find which planted kind.
FINDS = {"gap": {"gap"}, "flatline": {"flatline"}, "spike": {"spike"}, "reset": {"register_reset"},
         "stopped": {"meter_stopped"}, "access_end_silent": {"access_end_silent"},
         "timestamp_drift": {"timestamp_drift"}, "calibration_overdue": {"calibration_overdue"},
         "under_reporting": {"source_mismatch"}, "power_over_metered": {"source_mismatch"},
         "output_under_reported": {"cross_quantity"}, "emissions_under_reported": {"cross_quantity"},
         "revenue_under_reported": {"cross_quantity"}, "over_capacity": {"cross_quantity"}}
# The cross-quantity model that shows each of the departments' faults.
MODELS = {"output_under_reported": {"electricity_per_output", "water_per_output", "revenue_per_output"},
          "emissions_under_reported": {"so2_per_coal", "nox_per_coal"},
          "revenue_under_reported": {"revenue_per_output"}, "over_capacity": {"output_over_capacity"}}
EVENTS = {"gap", "flatline", "spike", "reset"}  # these must also be found at their time
POLICY_KINDS = {"capacity_utilisation_low"}  # conditions of the registry, found by policy rules


def ts(text):
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def finds(fault, w):
    if w["rule"] not in FINDS[fault["kind"]]:
        return False
    if fault.get("point_id"):
        if w["point_id"] != fault["point_id"]:
            return False
    elif w["enterprise_id"] != fault["enterprise_id"]:
        return False
    if fault["kind"] in EVENTS:
        f_from, f_to = ts(fault["from"]), ts(fault.get("to", fault["from"]))
        w_from, w_to = ts(w["from"]), ts(w["to"]) if w["to"] else float("inf")
        if w_to < f_from - 3600 or w_from > f_to + 3600:
            return False
    if fault["kind"] == "under_reporting":
        return w["evidence"].get("off_source") == "reported"
    if fault["kind"] == "power_over_metered":
        return w["evidence"].get("off_source") == "department"
    if fault["kind"] in MODELS:
        return w["evidence"].get("model") in MODELS[fault["kind"]] and w["evidence"].get("month") == fault["month"]
    return True


def recall(faults, data_warnings):
    """({kind: [found, planted]}, missed faults, unexplained warnings) of the data faults."""
    table = defaultdict(lambda: [0, 0])
    missed = []
    data_faults = [f for f in faults if f["kind"] not in POLICY_KINDS]
    for f in data_faults:
        hit = any(finds(f, w) for w in data_warnings)
        table[f["kind"]][0] += hit
        table[f["kind"]][1] += 1
        if not hit:
            missed.append(f)
    faulty_points = {f["point_id"] for f in data_faults if f.get("point_id")}
    faulty_enterprises = {f["enterprise_id"] for f in data_faults}
    unexplained = [w for w in data_warnings
                   if not (w["point_id"] in faulty_points or
                           ((w["point_id"] is None or w["rule"] == "timestamp_drift") and
                            w["enterprise_id"] in faulty_enterprises))]
    return dict(table), missed, unexplained


def policy_found(fault, policy_warnings):
    """The policy warnings that find a condition of the registry (an under-used product)."""
    return [w for w in policy_warnings if w["rule"] == fault["kind"] and w["evidence"].get("product") == fault["product"]]
