"""EXPLAIN of each PigMix query prints every generated function its run calls (map side, the
merged multi-query function included), and the run's stores equal the plain-Python reference
(scripts/pigmix/l<N>.py, compared as scripts/bench_pigmix.py compares them)."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from datasets.pigmix import generate_pigmix
from piglatin.launcher import PigServer
from tests.piglatin.pipelines import record_calls

ROOT = Path(__file__).parents[2]
PIGMIX = ROOT / "scripts" / "pigmix"
MAP_SIDE = re.compile(r"map\d+_batch|multiquery_map")

QUERIES = list(range(1, 18))


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pigmix")
    generate_pigmix(str(out), 2000, 1, progress=False)
    return out


@pytest.fixture(scope="module")
def bench():  # scripts/bench_pigmix.py: its output comparison
    spec = importlib.util.spec_from_file_location(
        "bench_pigmix", ROOT / "scripts" / "bench_pigmix.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _called(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The sources of the generated functions called from now on, by their name."""
    return record_calls(monkeypatch)


@pytest.mark.parametrize("n", QUERIES)
def test_pigmix_explain_prints_the_map_code_that_runs(n, data, bench, tmp_path, monkeypatch):
    script = PIGMIX / f"l{n}.pig"
    text = script.read_text()
    params = {"data": str(data), "out": str(tmp_path / "pig")}
    with PigServer("local", cwd=str(tmp_path)) as server:
        server.register_script(text, params, [], str(script), execute=False)
        explained = server.explain()
    called = _called(monkeypatch)
    with PigServer("local", cwd=str(tmp_path)) as server:
        server.register_script(text, params, [], str(script))
    ran = {s: name for s, name in called.items() if MAP_SIDE.fullmatch(name)}
    assert ran, "the run called no generated map code"
    missing = sorted(name for s, name in called.items() if s.rstrip("\n") not in explained)
    assert missing == [], f"L{n}: generated code that ran is not printed by EXPLAIN"
    ref = tmp_path / "ref"
    subprocess.run([sys.executable, str(PIGMIX / f"l{n}.py"), str(data), str(ref)], check=True)
    bench.check_outputs(f"L{n}", tmp_path / "pig", ref)
