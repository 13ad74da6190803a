"""Scenario files, each with its inputs, the figures expected and the hand computation behind them:
*/cases/*.json (accounting, dual control, warnings), run by scenario_runner.py on an enterprise of
their own. Adding a case is adding a file."""

import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from scenario_runner import Scenario, load  # noqa: E402

HERE = pathlib.Path(__file__).parent
CASES = [(f"{folder.parent.name}/{name}", spec) for folder in sorted(HERE.glob("*/cases"))
         for name, spec in load(folder)]


@pytest.mark.parametrize("name,spec", CASES, ids=[c[0] for c in CASES])
def test_scenario(server, province, as_role, world, anon, name, spec):
    assert spec.get("hand"), f"{name}: a scenario says how its figures were computed by hand"
    scenario = Scenario(server, province, as_role, world, anon, spec)
    if reason := scenario.skip_reason():
        pytest.skip(reason)
    scenario.build()
    failures = scenario.check()
    assert not failures, f"{spec['name']}:\n  " + "\n  ".join(failures) + "\n\nBy hand:\n  " + "\n  ".join(spec["hand"])
