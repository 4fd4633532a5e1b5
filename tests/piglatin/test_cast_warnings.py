"""IMPLICIT_CAST_TO_* warnings: one per cast Pig's type checker inserts
(TypeCheckingExpVisitor.insertCast -> collectCastWarning; TypeCheckingRelVisitor's
insertAtomicCastForInnerPlan for GROUP/JOIN keys), logged per kind as PigServer does:
'Encountered Warning IMPLICIT_CAST_TO_INT n time(s).'"""

from __future__ import annotations

import io
import logging

import pytest

from piglatin.launcher import PigServer


def _warnings(tmp_path, script: str, caplog: pytest.LogCaptureFixture) -> list[str]:
    (tmp_path / "d").write_text("1\ta\t2\n")
    with (
        caplog.at_level(logging.WARNING, logger="piglatin.front.builder"),
        PigServer("local", cwd=tmp_path, out=io.StringIO()) as pig,
    ):
        pig.register_script(script, execute=False)
    return [r.getMessage() for r in caplog.records if "IMPLICIT_CAST" in r.getMessage()]


@pytest.mark.parametrize(
    ("generate", "want"),
    [
        # UPPER(bytearray): its one mapping is (chararray): the argument is cast
        ("UPPER(a1)", ["CHARARRAY 1"]),
        # a null branch of a bincond takes the other's type; NOT/AND of a null: boolean
        ("(a0 IS NULL ? null : 'x')", ["CHARARRAY 1"]),
        ("(a0 IS NULL AND null)", ["BOOLEAN 1"]),
        # a long compared with an int constant: the constant is cast (folded, still counted)
        ("((long)a2 > 1)", ["LONG 1"]),
        # -bytearray: double; a map lookup of a bytearray: map
        ("-a0, a1#'k'", ["DOUBLE 1", "MAP 1"]),
        # no cast: the same types
        ("(int)a0 + 1", []),
    ],
)
def test_one_warning_per_inserted_cast(tmp_path, caplog, generate: str, want: list[str]) -> None:
    script = f"A = LOAD 'd' AS (a0, a1, a2);\nB = FOREACH A GENERATE {generate};\n"
    got = _warnings(tmp_path, script, caplog)
    assert got == [f"Encountered Warning IMPLICIT_CAST_TO_{w} time(s)." for w in want]


def test_group_keys_of_different_types(tmp_path, caplog) -> None:
    # COGROUP by an int and a long: the int key is cast to long
    script = "A = LOAD 'd' AS (x:int);\nB = LOAD 'd' AS (y:long);\nC = COGROUP A BY x, B BY y;\n"
    assert _warnings(tmp_path, script, caplog) == [
        "Encountered Warning IMPLICIT_CAST_TO_LONG 1 time(s)."
    ]


def test_grunt_warns_again_after_a_rejected_statement(tmp_path, monkeypatch) -> None:
    # a rejected statement makes grunt rebuild its session (quietly): the statements after
    # it still warn
    from piglatin.tools.grunt import run_grunt

    monkeypatch.chdir(tmp_path)
    (tmp_path / "d").write_text("1\n")
    records: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda r: records.append(r.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("piglatin.front.builder")
    logger.addHandler(handler)
    try:
        text = (
            "A = LOAD 'd' AS (a0);\nB = FOREACH A GENERATE nosuch(a0);\n"
            "C = FOREACH A GENERATE a0 + 1;\n"
        )
        out, err = io.StringIO(), io.StringIO()
        run_grunt("local", stdin=io.StringIO(text), out=out, err=err)
    finally:
        logger.removeHandler(handler)
    assert records == ["Encountered Warning IMPLICIT_CAST_TO_INT 1 time(s)."]
