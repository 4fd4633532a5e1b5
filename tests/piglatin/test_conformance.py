"""The Pig Latin conformance suite: every ``conformance/cases/*.pig.case`` run through the runner.

Each case's expected output was written by hand from Pig's documentation (see
conformance/README.md), never from this project's output. The launcher is imported directly:
if it cannot be imported every case fails, rather than being skipped.
"""

from __future__ import annotations

import importlib
import importlib.util
import io
import sys
from pathlib import Path

import pytest

from piglatin import launcher
from piglatin.errors import PigError

_HERE = Path(__file__).resolve().parent
_SPEC = importlib.util.spec_from_file_location("pig_conformance_harness",
                                               _HERE / "conformance" / "harness.py")
assert _SPEC is not None and _SPEC.loader is not None
harness = importlib.util.module_from_spec(_SPEC)
sys.modules[_SPEC.name] = harness
_SPEC.loader.exec_module(harness)

CASES = harness.load_cases()
MIN_CASES = 170
def _message(exc: BaseException) -> str:
    text = str(exc)
    fmt = getattr(exc, "format", None)
    if callable(fmt):
        try:
            text += "\n" + str(fmt())
        except TypeError:
            pass
    return text


def _write_files(root: Path, files: tuple[tuple[str, str], ...]) -> list[str]:
    paths = []
    for rel, content in files:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        paths.append(str(path))
    return paths


def _run(case, tmp_path: Path, exec_type: str) -> tuple[int | None, str, str | None]:
    """Run ``case``; returns (exit status, DUMP text, error message or None)."""
    _write_files(tmp_path, case.inputs)
    param_files = _write_files(tmp_path, case.param_files)
    out = io.StringIO()
    try:
        status = launcher.run_script(case.script, exec_type=exec_type, params=dict(case.params),
                                     param_files=param_files, cwd=tmp_path,
                                     filename="case.pig", out=out)
    except Exception as exc:  # noqa: BLE001 - only PigError is an accepted failure, checked below
        if not isinstance(exc, PigError):
            raise
        return None, out.getvalue(), _message(exc)
    return status, out.getvalue(), None


@pytest.mark.pig_conformance
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case, tmp_path: Path) -> None:
    _check(case, tmp_path, "local")


# The issue asks for the same results in -x local and mapreduce modes; the reduce-side operators
# are where the two differ in execution, so their cases run again on the cluster executor.
_MR_PREFIXES = ("join_", "group_", "cogroup_", "order_", "distinct_", "rank_", "cross_")
MR_CASES = [c for c in CASES if c.name.startswith(_MR_PREFIXES) and not c.expects_error]


@pytest.mark.pig_conformance  # in the default run: 80 cases in ~12 s on the embedded cluster
@pytest.mark.parametrize("case", MR_CASES, ids=[c.name for c in MR_CASES])
def test_case_mapreduce_mode(case, tmp_path: Path) -> None:
    _check(case, tmp_path, "mapreduce")


def _check(case, tmp_path: Path, exec_type: str) -> None:
    status, dumped, error = _run(case, tmp_path, exec_type)
    if case.expects_error:
        (expect,) = case.expectations
        if error is None:
            assert status not in (0, None), f"{case.name}: expected an error, script succeeded"
            error = dumped
        missing = harness.missing_substrings(expect.lines, error)
        assert not missing, f"{case.name}: error message lacks {missing!r}; message was:\n{error}"
        return
    assert error is None, f"{case.name}: unexpected error:\n{error}"
    assert status == 0, f"{case.name}: exit status {status}"
    for expect in case.expectations:
        if expect.kind == "file":
            actual = harness.read_stored(tmp_path / expect.path)
            where = f"stored {expect.path}"
        else:
            actual = [line for line in dumped.splitlines() if line.strip()]
            where = "DUMP output"
        problem = harness.compare_lines(expect.lines, actual, ordered=expect.ordered,
                                        strict_bags=expect.strict_bags)
        assert problem is None, f"{case.name} ({case.doc}): {where}: {problem}"


# ------------------------------------------------------------- the case files themselves

def test_suite_has_enough_cases() -> None:
    assert len(CASES) >= MIN_CASES, f"only {len(CASES)} cases"


def test_case_names_unique_and_match_file_names() -> None:
    names = [c.name for c in CASES]
    assert len(names) == len(set(names))
    for case in CASES:
        assert case.source == f"{case.name}.pig.case"


def test_every_case_has_script_doc_and_expectation() -> None:
    for case in CASES:
        assert case.script.strip() and case.doc and case.expectations, case.name
        for expect in case.expectations:
            if expect.kind in ("unordered", "ordered", "error"):
                assert expect.lines or expect.kind != "error", case.name


def test_every_dump_case_dumps_and_every_store_case_stores() -> None:
    for case in CASES:
        text = case.script.upper()
        for expect in case.expectations:
            if expect.kind in ("unordered", "ordered") and expect.lines:
                assert "DUMP" in text or "DESCRIBE" in text, case.name
            if expect.kind == "file":
                assert "STORE" in text and expect.path in case.script, case.name


def test_inputs_are_named_in_scripts() -> None:
    for case in CASES:
        named = case.script + "".join(v for _k, v in case.params)
        named += "".join(content for _p, content in case.param_files)
        for name, _content in case.inputs:
            top, base = name.split("/")[0], name.rsplit("/", 1)[-1]
            assert name in named or top in named or base in named, (case.name, name)


def test_parse_case_reads_every_section() -> None:
    text = ("#== name: tiny\n#== doc: here\n#== input: a.txt\n1\tx\n\n#== param: k=v\n"
            "#== param_file: p.txt\nz=1\n#== script\nA = LOAD 'a.txt';\nDUMP A;\n"
            "#== expect unordered\n(1,x)\n\n")
    case = harness.parse_case(text)
    assert case.name == "tiny" and case.inputs == (("a.txt", "1\tx\n"),)
    assert case.params == (("k", "v"),) and case.param_files == (("p.txt", "z=1\n"),)
    assert case.script == "A = LOAD 'a.txt';\nDUMP A;\n"
    assert case.expectations[0].lines == ("(1,x)",) and not case.expectations[0].ordered


@pytest.mark.parametrize("bad", [
    "#== name: x\n#== doc: d\n#== expect unordered\n(1)\n",            # no script
    "#== name: x\n#== doc: d\n#== script\nDUMP A;\n",                   # no expectation
    "#== name: X-Y\n#== doc: d\n#== script\nDUMP A;\n#== expect ordered\n(1)\n",
    "#== name: x\n#== script\nDUMP A;\n#== expect ordered\n(1)\n",      # no doc
    "#== name: x\n#== doc: d\n#== script\nDUMP A;\n#== expect sorted\n(1)\n",
    "#== name: x\n#== doc: d\n#== script\nDUMP A;\n#== expect error\n",
    "stray\n#== name: x\n",
])
def test_parse_case_rejects_malformed(bad: str) -> None:
    with pytest.raises(harness.CaseFormatError):
        harness.parse_case(bad)


def test_canonical_sorts_bags_and_maps_only() -> None:
    assert harness.canonical("(1,{(3),(2)},[b#1,a#2])") == "(1,{(2),(3)},[a#2,b#1])"
    assert harness.canonical("({(b,{(2),(1)}),(a,{})})") == "({(a,{}),(b,{(1),(2)})})"
    assert harness.canonical("(,)") == "(,)"
    assert harness.canonical("1\t{(c),(a)}\t[n#1]") == "1\t{(a),(c)}\t[n#1]"
    assert harness.canonical("B: {group: int,A: {(a: int)}}") == "B: {group: int,A: {(a: int)}}"


def test_compare_lines_multiset_and_order() -> None:
    assert harness.compare_lines(["(1)", "(2)"], ["(2)", "(1)"], ordered=False) is None
    assert harness.compare_lines(["(1)", "(1)"], ["(1)"], ordered=False) is not None
    assert harness.compare_lines(["(1)", "(2)"], ["(2)", "(1)"], ordered=True) is not None
    assert harness.compare_lines(["({(1),(2)})"], ["({(2),(1)})"], ordered=True) is None
    assert harness.compare_lines(["({(1),(2)})"], ["({(2),(1)})"], ordered=True,
                                 strict_bags=True) is not None


def test_read_stored_concatenates_part_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "part-r-00001").write_text("b\t2\n")
    (out / "part-r-00000").write_text("a\t1\n")
    (out / "_SUCCESS").write_text("")
    assert harness.read_stored(out) == ["a\t1", "b\t2"]
