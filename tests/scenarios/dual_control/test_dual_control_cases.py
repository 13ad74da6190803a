"""Dual-control scenarios from cases/*.json: targets, the year-end forecast and its warning, each with
its hand computation (scenario_runner.py)."""

import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).parents[1]))
from scenario_runner import Scenario, load  # noqa: E402

CASES = load(pathlib.Path(__file__).parent / "cases")


@pytest.mark.parametrize("name,spec", CASES, ids=[c[0] for c in CASES])
def test_scenario(server, province, as_role, world, anon, name, spec):
    assert spec.get("hand"), f"{name}: a scenario says how its figures were computed by hand"
    scenario = Scenario(server, province, as_role, world, anon, spec)
    if reason := scenario.skip_reason():
        pytest.skip(reason)
    scenario.build()
    failures = scenario.check()
    assert not failures, f"{spec['name']}:\n  " + "\n  ".join(failures) + "\n\nBy hand:\n  " + "\n  ".join(spec["hand"])
