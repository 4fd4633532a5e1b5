"""Builtins of Pig 0.17 that were missing: UniqueID (func.xml: "a unique id string for each
record in the alias", "taskindex-sequence"; UniqueID.java: one sequence per call, from 0),
COR and COV (COR.java/COV.java: a bag of (var_i, var_j, value) for each pair of bags, or the
DEFINE's names; COV the population covariance) and PluckTuple (PluckTuple.java: the fields
whose names start with, or match, the prefix, as a tuple `plucked`). Expected values come from
plain Python (`statistics.correlation`, sums)."""

from __future__ import annotations

import math
import re
import statistics
from collections import defaultdict
from pathlib import Path

import pytest

from piglatin.errors import PigError
from tests.piglatin.storedrun import printed_lines as run

ROWS = [(1.0, 2.0, 3), (2.0, 4.5, 1), (3.0, 7.0, 2), (4.5, 8.0, 9), (5.0, 9.5, 4)]


def data_text() -> str:
    return "".join(f"{x}\t{y}\t{z}\n" for x, y, z in ROWS)


def cov(xs: list[float], ys: list[float]) -> float:
    n = len(xs)
    return sum(x * y for x, y in zip(xs, ys, strict=True)) / n - (sum(xs) / n) * (sum(ys) / n)


def parse_triples(line: str) -> dict[tuple[str, str], float]:
    return {(a, b): float(v) for a, b, v in re.findall(r"\((\w+),(\w+),([-\d.Ee]+|NaN)\)", line)}


@pytest.mark.parametrize("mode", ["local", "mapreduce"])
def test_cor_and_cov_of_every_pair(tmp_path: Path, mode: str) -> None:
    script = (
        "A = LOAD 'd.txt' AS (x:double, y:double, z:double);\nB = GROUP A ALL;\n"
        "C = FOREACH B GENERATE COR(A.x, A.y, A.z);\nDUMP C;\n"
        "D = FOREACH B GENERATE COV(A.x, A.y, A.z);\nDUMP D;\n"
    )
    cor_line, cov_line = run(tmp_path, {"d.txt": data_text()}, script, mode)
    cols = {f"var{i}": [float(r[i]) for r in ROWS] for i in range(3)}
    cors, covs = parse_triples(cor_line), parse_triples(cov_line)
    pairs = [("var0", "var1"), ("var0", "var2"), ("var1", "var2")]
    assert list(cors) == pairs and list(covs) == pairs
    for a, b in pairs:
        assert math.isclose(cors[a, b], statistics.correlation(cols[a], cols[b]), rel_tol=1e-12)
        assert math.isclose(covs[a, b], cov(cols[a], cols[b]), rel_tol=1e-12)


def test_define_names_the_pairs_and_describe(tmp_path: Path) -> None:
    script = (
        "A = LOAD 'd.txt' AS (x:double, y:double, z:double);\nB = GROUP A ALL;\n"
        "DEFINE cor COR('x', 'y');\nC = FOREACH B GENERATE cor(A.x, A.y);\nDUMP C;\nDESCRIBE C;"
    )
    line, describe = run(tmp_path, {"d.txt": data_text()}, script)
    xs, ys = [r[0] for r in ROWS], [r[1] for r in ROWS]
    assert list(parse_triples(line)) == [("x", "y")]
    assert math.isclose(parse_triples(line)["x", "y"], statistics.correlation(xs, ys))
    assert describe == "C: {{(chararray,chararray,double)}}"


def test_cor_per_group_and_constant_column(tmp_path: Path) -> None:
    text = "a\t1\t5\na\t2\t5\nb\t1\t1\nb\t2\t3\nb\t4\t4\n"
    script = (
        "A = LOAD 'g.txt' AS (k:chararray, x:double, y:double);\nB = GROUP A BY k;\n"
        "C = FOREACH B GENERATE group, COR(A.x, A.y), COV(A.x, A.y);\nDUMP C;"
    )
    lines = dict(line.split(",", 1) for line in run(tmp_path, {"g.txt": text}, script))
    assert "(var0,var1,NaN)" in lines["(a"]  # y constant: 0/0, as Java's doubles
    b = parse_triples(lines["(b"].split("},{")[0])
    assert math.isclose(b["var0", "var1"], statistics.correlation([1, 2, 4], [1, 3, 4]))


def test_cor_of_a_null_value_is_null(tmp_path: Path) -> None:
    script = (
        "A = LOAD 'n.txt' AS (x:double, y:double);\nB = GROUP A ALL;\n"
        "C = FOREACH B GENERATE COR(A.x, A.y);\nDUMP C;"
    )
    assert run(tmp_path, {"n.txt": "1\t2\n\t3\n4\t5\n"}, script) == ["()"]


@pytest.mark.parametrize("mode", ["local", "mapreduce"])
def test_unique_id_is_task_index_dash_sequence(tmp_path: Path, mode: str) -> None:
    files = {"in/a.txt": "".join(f"a{i}\n" for i in range(5)),
             "in/b.txt": "".join(f"b{i}\n" for i in range(3))}  # fmt: skip
    script = "A = LOAD 'in' AS (name:chararray);\nB = FOREACH A GENERATE name, UniqueID();\n"
    script += "DUMP B;\nDESCRIBE B;"
    lines = run(tmp_path, files, script, mode)
    assert lines[-1] == "B: {name: chararray,uniqueid: chararray}"
    rows = [re.fullmatch(r"\((\w+),(\d+)-(\d+)\)", line).groups() for line in lines[:-1]]  # type: ignore[union-attr]
    assert sorted(r[0] for r in rows) == sorted(f"a{i}" for i in range(5)) + sorted(
        f"b{i}" for i in range(3)
    )
    by_task: dict[str, list[int]] = defaultdict(list)
    files_of: dict[str, set[str]] = defaultdict(set)
    for name, task, seq in rows:
        by_task[task].append(int(seq))
        files_of[task].add(name[0])
    assert len(by_task) == 2  # one map task per file
    for task, seqs in by_task.items():
        assert sorted(seqs) == list(range(len(seqs)))
        assert len(files_of[task]) == 1


def test_each_unique_id_call_counts_on_its_own(tmp_path: Path) -> None:
    script = (
        "A = LOAD 'x.txt' AS (n:chararray);\n"
        "B = FOREACH A GENERATE n, UniqueID(), UniqueID(n);\nDUMP B;"
    )
    assert run(tmp_path, {"x.txt": "p\nq\n"}, script) == ["(p,0-0,0-0)", "(q,0-1,0-1)"]


def test_pluck_tuple_as_its_javadoc(tmp_path: Path) -> None:
    files = {"a": "1\tx\n2\ty\n", "b": "1\tu\n2\tv\n"}
    script = (
        "a = load 'a' as (x, y);\nb = load 'b' as (x, y);\nc = join a by x, b by x;\n"
        "DEFINE pluck PluckTuple('a::');\nd = foreach c generate FLATTEN(pluck(*));\n"
        "describe d;\nDUMP d;\n"
        "DEFINE pluck2 PluckTuple('.*::y');\ne = foreach c generate FLATTEN(pluck2(*));\n"
        "describe e;\n"
        "DEFINE pluck3 PluckTuple('a::', 'false');\nf = foreach c generate pluck3(*);\n"
        "describe f;\nDUMP f;\n"
    )
    lines = run(tmp_path, files, script)
    assert lines[0] == "d: {plucked::a::x: bytearray,plucked::a::y: bytearray}"
    assert sorted(lines[1:3]) == ["(1,x)", "(2,y)"]
    assert lines[3] == "e: {plucked::a::y: bytearray,plucked::b::y: bytearray}"
    assert lines[4] == "f: {plucked: (b::x: bytearray,b::y: bytearray)}"
    assert sorted(lines[5:]) == ["((1,u))", "((2,v))"]


def test_pluck_tuple_needs_a_prefix(tmp_path: Path) -> None:
    with pytest.raises(PigError, match="PluckTuple needs a prefix"):
        run(tmp_path, {"a": "1\n"}, "a = load 'a' as (x);\nb = foreach a generate PluckTuple(*);")


@pytest.mark.parametrize("mode", ["local", "mapreduce"])
def test_build_bloom_then_bloom_from_the_stored_file(tmp_path: Path, mode: str) -> None:
    """func.xml's Bloom example shape: BuildBloom in a GROUP ALL, STORE, exec, then
    DEFINE bloom Bloom('mybloom') in a FILTER; and the scalar form Bloom(C.f, key)."""
    small = "".join(f"k{i}\t{i}\n" for i in range(0, 200, 2))
    large = "".join(f"k{i}\tv{i}\n" for i in range(200))
    script = (
        "define bb BuildBloom('jenkins', '1000', '0.01');\n"
        "small = load 'small.txt' as (x:chararray, y:int);\ngrpd = group small all;\n"
        f"fltrd = foreach grpd generate bb(small.x);\nstore fltrd into 'bf_{tmp_path.name}';\n"
        f"exec;\ndefine bloom Bloom('bf_{tmp_path.name}');\n"
        "large = load 'large.txt' as (a:chararray, b);\n"
        "flarge = filter large by bloom(a);\nDUMP flarge;\n"
    )
    lines = run(tmp_path, {"small.txt": small, "large.txt": large}, script, mode)
    kept = {line.split(",")[0][1:] for line in lines}
    wanted = {f"k{i}" for i in range(0, 200, 2)}
    assert wanted <= kept  # a Bloom filter never drops a member
    assert len(kept - wanted) <= 10  # 1% false positives of 100 asked; allow 10


def test_bloom_scalar_form_and_murmur_fixed_size(tmp_path: Path) -> None:
    script = (
        "define bb BuildBloom('murmur', 'fixed', '4096', '5');\n"
        "s = load 'small.txt' as (x:chararray);\ng = group s all;\n"
        "c = foreach g generate bb(s.x) as bf;\nl = load 'large.txt' as (a:chararray);\n"
        "f = filter l by Bloom(c.bf, a);\nDUMP f;"
    )
    files = {"small.txt": "ann\nbob\n", "large.txt": "ann\ncy\nbob\ndee\n"}
    kept = run(tmp_path, files, script)
    assert {"(ann)", "(bob)"} <= set(kept) and len(kept) <= 3


def test_build_bloom_parameters_are_checked(tmp_path: Path) -> None:
    script = (
        "define bb BuildBloom('sha1', '10', '0.1');\na = load 'x' as (k);\n"
        "g = group a all;\nb = foreach g generate bb(a.k);"
    )
    with pytest.raises(PigError, match="Unknown hash type sha1"):
        run(tmp_path, {"x": "1\n"}, script)


def test_dynamic_invokers(tmp_path: Path) -> None:
    """func.xml's example (URLDecoder.decode), a Math method, an array argument (a bag of
    one-field tuples) with StatUtils, and the result types of the five invokers."""
    import urllib.parse

    encoded = ["a%20b%2Bc", "caf%C3%A9", "x%26y"]
    files = {"enc.txt": "".join(f"{e}\t{-1.5 * i}\n" for i, e in enumerate(encoded))}
    script = (
        "DEFINE UrlDecode InvokeForString('java.net.URLDecoder.decode', 'String String');\n"
        "DEFINE Pow InvokeForDouble('java.lang.Math.pow', 'double double');\n"
        "DEFINE Mean InvokeForDouble('org.apache.commons.math.stat.StatUtils.mean', 'double[]');\n"
        "DEFINE ParseInt InvokeForInt('java.lang.Integer.parseInt', 'String');\n"
        "encoded_strings = LOAD 'enc.txt' as (encoded:chararray, d:double);\n"
        "decoded = FOREACH encoded_strings GENERATE UrlDecode(encoded, 'UTF-8'), Pow(d, 2.0),"
        " ParseInt('42');\nDUMP decoded;\nDESCRIBE decoded;\n"
        "g = GROUP encoded_strings ALL;\nm = FOREACH g GENERATE Mean(encoded_strings.d);\nDUMP m;"
    )
    lines = run(tmp_path, files, script)
    expected = [
        f"({urllib.parse.unquote_plus(e)},{(-1.5 * i) ** 2},42)" for i, e in enumerate(encoded)
    ]
    assert lines[:3] == expected
    assert lines[3] == "decoded: {chararray,double,int}"
    assert lines[4] == f"({sum(-1.5 * i for i in range(3)) / 3})"


def test_unknown_invoker_method_is_named(tmp_path: Path) -> None:
    script = (
        "DEFINE F InvokeForString('java.lang.System.getenv', 'String');\n"
        "a = load 'x' as (k:chararray);\nb = foreach a generate F(k);"
    )
    with pytest.raises(PigError, match="no Java method java.lang.System.getenv"):
        run(tmp_path, {"x": "1\n"}, script)


def test_hive_udfs_are_refused_by_name(tmp_path: Path) -> None:
    script = "DEFINE upper HiveUDF('upper');\na = load 'x' as (k:chararray);\n"
    script += "b = foreach a generate upper(k);"
    with pytest.raises(PigError, match="HiveUDF runs Hive's Java functions"):
        run(tmp_path, {"x": "1\n"}, script)


@pytest.mark.parametrize("mode", ["local", "mapreduce"])
def test_pigdump_stores_what_dump_prints(tmp_path: Path, mode: str) -> None:
    """func.xml's PigDump: 'Stores data in UTF-8 format', one tuple a line as DUMP shows it."""
    script = (
        "A = LOAD 'p.txt' AS (k:chararray, v:int);\nB = GROUP A BY k;\n"
        f"STORE B INTO 'pd_{tmp_path.name}' USING PigDump();\n"
        f"X = LOAD 'pd_{tmp_path.name}' USING TextLoader();\nDUMP X;"
    )
    lines = run(tmp_path, {"p.txt": "a\t1\nb\t2\na\t3\n"}, script, mode)
    assert sorted(lines) == ["((a,{(a,1),(a,3)}))", "((b,{(b,2)}))"]
