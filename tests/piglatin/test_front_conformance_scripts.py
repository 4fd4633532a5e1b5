"""The front end alone against the conformance cases' scripts.

Every case that expects output must substitute, parse and build (DESCRIBE lines it
prints must be among the expected lines); every case that expects a compile-time error
must raise a PigError carrying the expected substrings.  Errors only the runtime can
find (a missing input, an existing output) are left to test_conformance.py.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from piglatin.plan import logical as L
from piglatin.front.builder import Functions, build_text
from piglatin.errors import PigError

_HERE = Path(__file__).resolve().parent
_SPEC = importlib.util.spec_from_file_location(
    "pig_conformance_harness_front", _HERE / "conformance" / "harness.py"
)
assert _SPEC is not None and _SPEC.loader is not None
harness = importlib.util.module_from_spec(_SPEC)
sys.modules[_SPEC.name] = harness
_SPEC.loader.exec_module(harness)

CASES = harness.load_cases()
RUNTIME_ERRORS = {"error_missing_input_file", "error_output_exists"}


def _build(case, tmp_path: Path) -> L.LogicalPlan:
    for name, body in (*case.inputs, *case.param_files):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body)
    return build_text(
        case.script,
        dict(case.params),
        file="case.pig",
        param_files=[tmp_path / name for name, _ in case.param_files],
        functions=Functions(base_dir=str(tmp_path)),
    )


@pytest.mark.parametrize("case", [c for c in CASES if not c.expects_error], ids=lambda c: c.name)
def test_script_builds(case, tmp_path):
    plan = _build(case, tmp_path)
    expected = {
        line for e in case.expectations if e.kind in ("ordered", "unordered") for line in e.lines
    }
    for action in plan.actions:
        if isinstance(action, L.DescribeAction):
            assert action.text in expected


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if c.expects_error and c.name not in RUNTIME_ERRORS],
    ids=lambda c: c.name,
)
def test_compile_time_error(case, tmp_path):
    with pytest.raises(PigError) as info:
        _build(case, tmp_path)
    message = str(info.value) + "\n" + info.value.format()
    [expect] = [e for e in case.expectations if e.kind == "error"]
    assert harness.missing_substrings(expect.lines, message) == []
