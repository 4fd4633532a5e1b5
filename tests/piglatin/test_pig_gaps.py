"""Places where minihadoop's Pig Latin differed from Pig 0.17's code, each checked against
that code: casts in expressions count FIELD_DISCARDED_TYPE_CONVERSION_FAILED as Pig's POCast
does (CastUtils.stringToInteger/stringToDouble for a chararray, Utf8StorageConverter for a
bytearray; a double's (int) truncates without a warning); -0.0 and 0.0 as DISTINCT and
multi-column GROUP keys (tuples: BinInterSedes compares doubles with Double.compare, so -0.0
< 0.0: two keys); JsonLoader's bag of non-objects (readField: the field is null, a
UDF_WARNING_1); COR and COV of values that are not doubles (their exec's `(Double)` cast
fails: null); STREAM's INPUT and OUTPUT lists (StreamingCommand: the first INPUT spec only;
HadoopExecutableManager: OUTPUT specs after the first are secondary outputs)."""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

import pytest

from piglatin.errors import PigError
from piglatin.launcher import PigServer

FAILED = "FIELD_DISCARDED_TYPE_CONVERSION_FAILED"
WARNINGS = "org.apache.pig.PigWarning"


def run(
    tmp: Path, files: dict[str, str], script: str, codegen: str = "true", mode: str = "local"
) -> tuple[dict[str, list[str]], dict[str, int]]:
    """Each STORE's lines (sorted) and the PigWarning counters summed over the jobs (in
    mapreduce mode, the quoted names in `script` are read and written as file:// URLs)."""
    for name, text in files.items():
        (tmp / name).write_text(text)
    if mode == "mapreduce":
        script = re.sub(r"'(\w+)'", lambda m: f"'file://{tmp}/{m[1]}'", script)
    props = {"pig.codegen": codegen}
    with PigServer(mode, cwd=tmp, out=io.StringIO(), properties=props) as pig:
        pig.register_script(script)
        stats = list(pig.stats)
    warned: dict[str, int] = {}
    for s in stats:
        counters = s.get("counters")
        for k, v in (counters.to_dict().get(WARNINGS, {}) if counters else {}).items():
            warned[k] = warned.get(k, 0) + v
    outs = {}
    for d in sorted(p for p in tmp.iterdir() if p.is_dir()):
        outs[d.name] = sorted(
            x for f in sorted(d.glob("part-*")) for x in f.read_text().split("\n")[:-1]
        )
    return outs, warned


# --------------------------------------------------------------------------- casts


def test_a_double_cast_to_int_truncates_without_a_warning(tmp_path: Path) -> None:
    # POCast.getNextInteger, case DOUBLE: Integer.valueOf(d.intValue()), no warning
    script = "A = LOAD 'in' AS (d:double);\nB = FOREACH A GENERATE (int)d, (long)d;\n"
    script += "STORE B INTO 'out';\n"
    out, warned = run(tmp_path, {"in": "2.7\n-3.9\n1e3\n"}, script)
    assert out["out"] == ["-3\t-3", "1000\t1000", "2\t2"]
    assert warned == {}


def test_a_bad_field_cast_by_the_load_schema_is_counted_and_summarised(
    tmp_path: Path, caplog
) -> None:
    script = "A = LOAD 'in' AS (n:int);\nSTORE A INTO 'out';\n"
    with caplog.at_level(logging.WARNING, logger="piglatin.launcher"):
        out, warned = run(tmp_path, {"in": "1\nabc\nx\n2.5\n"}, script)
    assert out["out"] == ["", "", "1", "2"]
    assert warned == {FAILED: 2}
    # MapReduceLauncher's summary line
    assert f"Encountered Warning {FAILED} 2 time(s)." in [r.getMessage() for r in caplog.records]


@pytest.mark.parametrize("codegen", ["true", "false"])
def test_a_chararray_cast_that_fails_is_counted(tmp_path: Path, codegen: str) -> None:
    # CastUtils.stringToInteger: Integer.parseInt, else Double.valueOf(..).intValue(), else
    # null with FIELD_DISCARDED_TYPE_CONVERSION_FAILED; stringToDouble likewise
    script = "A = LOAD 'in' AS (x:chararray);\nB = FOREACH A GENERATE (int)x, (double)x;\n"
    script += "STORE B INTO 'out';\n"
    out, warned = run(tmp_path, {"in": "abc\n1.5\n7\n"}, script, codegen)
    assert out["out"] == ["\t", "1\t1.5", "7\t7.0"]
    assert warned == {FAILED: 2}


@pytest.mark.parametrize("mode", ["local", "mapreduce"])
@pytest.mark.parametrize("codegen", ["true", "false"])
def test_a_bytearray_cast_that_fails_is_counted(tmp_path: Path, codegen: str, mode: str) -> None:
    # Utf8StorageConverter.bytesToInteger: an empty field is null without a warning; in
    # mapreduce mode the count comes back from the map task as a counter
    script = "A = LOAD 'in';\nB = FOREACH A GENERATE (int)$0;\nSTORE B INTO 'out';\n"
    out, warned = run(tmp_path, {"in": "abc\n1.5\n\n"}, script, codegen, mode)
    assert out["out"] == ["", "", "1"]
    assert warned == {FAILED: 1}


# ----------------------------------------------------------------------- -0.0 keys

ZEROS = "-0.0\ta\n0.0\ta\n0.0\tb\n-0.0\tb\n1.5\ta\n"


@pytest.mark.parametrize("codegen", ["true", "false"])
def test_minus_zero_and_zero_are_two_tuple_keys(tmp_path: Path, codegen: str) -> None:
    script = (
        "A = LOAD 'z' AS (d:double, s:chararray);\nB = FOREACH A GENERATE d;\n"
        "C = DISTINCT B;\nSTORE C INTO 'distinct';\n"
        "D = DISTINCT A;\nSTORE D INTO 'rows';\n"
        "G = GROUP A BY (d, s);\nH = FOREACH G GENERATE FLATTEN(group), A.s;\n"
        "STORE H INTO 'groups';\n"
        "Z = LOAD 'z' AS (d:double, s:chararray);\nJ = JOIN A BY (d, s), Z BY (d, s);\n"
        "STORE J INTO 'joined';\n"
    )
    out, _ = run(tmp_path, {"z": ZEROS}, script, codegen)
    assert out["distinct"] == ["-0.0", "0.0", "1.5"]
    assert out["rows"] == ["-0.0\ta", "-0.0\tb", "0.0\ta", "0.0\tb", "1.5\ta"]
    assert out["groups"] == [
        "-0.0\ta\t{(a)}", "-0.0\tb\t{(b)}", "0.0\ta\t{(a)}", "0.0\tb\t{(b)}", "1.5\ta\t{(a)}"
    ]  # fmt: skip
    assert out["joined"] == [f"{r}\t{r}" for r in out["rows"]]  # a tuple key: -0.0 != 0.0


def test_minus_zero_and_zero_are_one_key_of_one_double(tmp_path: Path) -> None:
    # a key of one double is a NullableDoubleWritable: DoubleWritable's comparators use
    # `<` and `==`, so -0.0 == 0.0 (one group; its key is one of the two)
    script = "A = LOAD 'z' AS (d:double, s:chararray);\nG = GROUP A BY d;\n"
    script += "H = FOREACH G GENERATE COUNT(A);\nSTORE H INTO 'out';\n"
    out, _ = run(tmp_path, {"z": ZEROS}, script)
    assert out["out"] == ["1", "4"]


ALGEBRAIC = "G = GROUP A BY (d, s);\nH = FOREACH G GENERATE FLATTEN(group), COUNT(A);\n"


@pytest.mark.parametrize("codegen", ["true", "false"])
def test_minus_zero_and_zero_are_two_keys_of_an_algebraic_group(
    tmp_path: Path, codegen: str
) -> None:
    script = "A = LOAD 'z' AS (d:double, s:chararray);\n" + ALGEBRAIC
    script += "STORE H INTO 'groups';\n"
    out, _ = run(tmp_path, {"z": ZEROS}, script, codegen)
    assert out["groups"] == ["-0.0\ta\t1", "-0.0\tb\t1", "0.0\ta\t1", "0.0\tb\t1", "1.5\ta\t1"]


# ------------------------------------------------------------------------ JsonLoader


def test_json_bag_of_non_objects_warns_udf_warning_1(tmp_path: Path) -> None:
    script = (
        "J = LOAD 'in.json' USING JsonLoader('k:chararray, tags:{(t:chararray)}');\n"
        "STORE J INTO 'out';\n"
    )
    lines = '{"k":"a","tags":["x","y"]}\n{"k":"b","tags":[{"t":"z"}]}\n{"k":"c","tags":[]}\n'
    out, warned = run(tmp_path, {"in.json": lines}, script)
    assert out["out"] == ["a\t", "b\t{(z)}", "c\t{}"]
    assert warned == {"UDF_WARNING_1": 1}


# ------------------------------------------------------------------------- COR, COV


def test_cor_and_cov_of_values_that_are_not_doubles_are_null(tmp_path: Path) -> None:
    text = "1\t2\t1.0\t2.0\n2\t4\t2.0\t4.0\n3\t7\t3.0\t7.0\n"
    script = (
        "A = LOAD 'd' AS (i:int, j:int, x:double, y:double);\n"
        "R = LOAD 'd';\nB = GROUP A ALL;\nS = GROUP R ALL;\n"
        "C = FOREACH B GENERATE COR(A.i, A.j), COV(A.i, A.j), COR(A.x, A.y);\n"
        "STORE C INTO 'typed';\n"
        "D = FOREACH S GENERATE COR(R.$2, R.$3);\nSTORE D INTO 'untyped';\n"
    )
    out, _ = run(tmp_path, {"d": text}, script)
    i_cor, i_cov, x_cor = out["typed"][0].split("\t")
    assert (i_cor, i_cov) == ("", "")  # ints: `(Double)` fails, exec returns null
    assert x_cor.startswith("{(var0,var1,0.99")  # doubles: the correlation
    assert out["untyped"] == [""]  # bytearrays (an untyped LOAD): null too


# ---------------------------------------------------------------------------- STREAM

LOAD = "A = LOAD 'people' AS (name:chararray, age:int);\n"


@pytest.mark.parametrize(
    "clause", ["INPUT(stdin, 'more.txt') OUTPUT(stdout)", "OUTPUT(stdout, 'side.txt')"]
)
def test_stream_with_several_input_or_output_specs_is_refused(tmp_path: Path, clause) -> None:
    # Pig uses the first INPUT spec (StreamingCommand.getInputSpec) and copies each further
    # OUTPUT file to <output>/<file>/part-NNNNN (HadoopExecutableManager.close); neither is
    # done here: the DEFINE is refused before any job runs, naming it
    script = LOAD + f"DEFINE c `cat` {clause};\nB = STREAM A THROUGH c;\nSTORE B INTO 'out';\n"
    with pytest.raises(PigError, match="DEFINE c: only one INPUT and one OUTPUT are supported"):
        run(tmp_path, {"people": "ann\t31\n"}, script)
    assert not (tmp_path / "out").exists()
