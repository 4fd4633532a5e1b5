"""ASSERT, as Pig Latin Basics documents it ("ASSERT alias BY expression [, message]";
"Processing fails if any of the records violate the condition") and as Pig builds it: the
alias becomes the relation filtered by the Assert builtin, which throws "Assertion violated:
<message>" (or "Assertion violated. " without one) at the first row whose condition is false."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from piglatin.errors import PigError
from piglatin.launcher import PigServer

DOC_ROWS = [(1, 2, 3), (4, 2, 1), (8, 3, 4), (4, 3, 3), (7, 2, 5), (8, 4, 3)]


def run(tmp: Path, rows, body: str, mode: str = "local") -> list[str]:
    tmp.mkdir(parents=True, exist_ok=True)
    text = "".join("\t".join("" if v is None else str(v) for v in r) + "\n" for r in rows)
    (tmp / "data").write_text(text)
    data, out = (tmp / "data").as_uri(), (tmp / "out").as_uri()
    script = f"A = LOAD '{data}' AS (a0:int,a1:int,a2:int);\n{body}\nSTORE B INTO '{out}';"
    with PigServer(mode, cwd=tmp, out=io.StringIO()) as pig:
        pig.register_script(script)
    lines: list[str] = []
    for part in sorted((tmp / "out").glob("part-*")):
        lines += part.read_text().splitlines()
    return sorted(lines)


@pytest.mark.parametrize("mode", ["local", "mapreduce"])
def test_documented_assert_passes_and_keeps_every_row(tmp_path: Path, mode: str) -> None:
    body = "ASSERT A by a0 > 0, 'a0 should be greater than 0';\nB = FOREACH A GENERATE a0, a2;"
    got = run(tmp_path, DOC_ROWS, body, mode)
    assert got == sorted(f"{a}\t{c}" for a, _, c in DOC_ROWS)


@pytest.mark.parametrize(
    "message, said",
    [(", 'a0 should be greater than 0'", "Assertion violated: a0 should be greater than 0"),
     ("", "Assertion violated. ")],
)  # fmt: skip
def test_a_violation_fails_the_job_and_leaves_no_output(tmp_path, message, said) -> None:
    rows = [*DOC_ROWS, (0, 1, 1)]
    body = f"ASSERT A BY a0 > 0{message};\nB = FOREACH A GENERATE a0;"
    with pytest.raises(PigError, match=said.replace(".", r"\.")):
        run(tmp_path, rows, body)
    assert not (tmp_path / "out").exists()


def test_a_null_condition_fails_too(tmp_path: Path) -> None:
    # Pig's Assert unboxes the condition: a null fails the job (a NullPointerException there)
    with pytest.raises(PigError, match="Assertion violated"):
        run(tmp_path, [(None, 1, 1)], "ASSERT A BY a0 > 0;\nB = FOREACH A GENERATE a1;")


def test_the_condition_must_be_boolean(tmp_path: Path) -> None:
    with pytest.raises(PigError, match="condition must evaluate to boolean"):
        run(tmp_path, DOC_ROWS, "ASSERT A BY a0 + 1;\nB = FOREACH A GENERATE a1;")


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(-3, 9), st.integers(0, 5), st.integers(0, 5)), max_size=12))
def test_assert_then_a_group_equals_plain_python(tmp_path_factory, rows) -> None:
    tmp = tmp_path_factory.mktemp("assert")
    body = (
        "ASSERT A BY a0 >= 0, 'negative a0';\n"
        "B = FOREACH (GROUP A BY a1) GENERATE group, SUM(A.a0);"
    )
    if any(a < 0 for a, _, _ in rows):
        with pytest.raises(PigError, match="Assertion violated: negative a0"):
            run(tmp, rows, body)
        return
    sums: dict[int, int] = {}
    for a, b, _ in rows:
        sums[b] = sums.get(b, 0) + a
    assert run(tmp, rows, body) == sorted(f"{k}\t{v}" for k, v in sums.items())
