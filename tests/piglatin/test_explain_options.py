"""EXPLAIN's documented options (Pig 0.17 test.xml, "EXPLAIN"):
``EXPLAIN [-script pigscript] [-out path] [-brief] [-dot|-xml] [-param param_name =
param_value] [-param_file file_name] [alias];`` — text is the default, -dot prints DOT graphs,
-out writes to a file or, for a directory, one file per plan (logical_plan-..., physical_plan-...,
exec_plan-..., as GruntParser.explainCurrentBatch names them), -brief does not expand nested
plans, -script explains a script file (parameter-substituted) without running it."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from piglatin.errors import PigError
from piglatin.front import ast as A
from piglatin.front.parser import parse, pretty
from piglatin.launcher import run_script

DATA = "a\t1\nb\t2\na\t3\n"
BODY = (
    "A = LOAD 'in.txt' AS (k:chararray, v:int);\n"
    "B = GROUP A BY k;\n"
    "C = FOREACH B { D = ORDER A BY v; E = LIMIT D 1; GENERATE group, COUNT(A), FLATTEN(E); };\n"
)


def run(tmp: Path, script: str, mode: str = "local") -> str:
    (tmp / "in.txt").write_text(DATA)
    out = io.StringIO()
    assert run_script(script, exec_type=mode, cwd=tmp, filename="x.pig", out=out) == 0
    return out.getvalue()


def dot_graphs(text: str) -> list[tuple[set[str], list[tuple[str, str]]]]:
    """An independent reading of DOT text: each digraph's declared nodes and its edges
    (quoted ids only), checking that braces balance and every edge joins declared nodes."""
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    unquoted = re.sub(r'"(?:[^"\\]|\\.)*"', lambda m: "Q" * len(m.group(0)), body)
    graphs, depth, start = [], 0, 0
    for i, ch in enumerate(unquoted):  # split at the braces outside quoted strings
        if ch == "{":
            depth, start = depth + 1, start if depth else i
        elif ch == "}":
            depth -= 1
            assert depth >= 0
            if depth == 0:
                assert unquoted[:start].rstrip().endswith("digraph plan")
                inner = body[start + 1 : i]
                nodes = set(re.findall(r'^"((?:[^"\\]|\\.)*)" \[', inner, re.M))
                edges = re.findall(r'^"((?:[^"\\]|\\.)*)" -> "((?:[^"\\]|\\.)*)"', inner, re.M)
                for a, b in edges:
                    assert a in nodes and b in nodes, (a, b, nodes)
                graphs.append((nodes, edges))
    assert depth == 0
    return graphs


@pytest.mark.parametrize(
    "text",
    [
        "EXPLAIN;",
        "EXPLAIN C;",
        "EXPLAIN -brief -dot C;",
        "explain -script 'x.pig' -out /tmp/o -param a=1 -param b = 2 -param_file p.txt;",
        "EXPLAIN -out out -xml C;",
        "EXPLAIN -param x='a b' -param y=\"q r\" C;",
    ],
)
def test_options_parse_and_print_back(text: str) -> None:
    script = parse(text)
    assert parse(pretty(script)) == script


def test_options_parse_to_their_values() -> None:
    s = parse("EXPLAIN -script s.pig -out o -brief -dot -param a=1 -param b = 'x y' C;")
    assert s.statements[0] == A.Explain(
        "C", script="s.pig", out="o", brief=True, format="dot", params=("a=1", "b=x y")
    )


@pytest.mark.parametrize("mode", ["local", "mapreduce"])
def test_dot_prints_three_graphs(tmp_path: Path, mode: str) -> None:
    text = run(tmp_path, BODY + "EXPLAIN -dot C;", mode)
    assert "# New Logical Plan:" in text and "# Map Reduce Plan" in text
    graphs = dot_graphs(text)
    assert len(graphs) == 3
    logical_nodes, logical_edges = graphs[0]
    assert {"A", "B", "C", "C#D", "C#E"} <= logical_nodes  # the nested plan is expanded
    assert ("A", "B") in logical_edges and ("B", "C") in logical_edges
    assert ("C#D", "C#E") in logical_edges  # E = LIMIT D 1 reads D
    assert "job1#Map" in graphs[2][0] and "job1#Reduce" in graphs[2][0]


def test_brief_does_not_expand_nested_plans(tmp_path: Path) -> None:
    full = run(tmp_path, BODY + "EXPLAIN C;")
    brief = run(tmp_path, BODY + "EXPLAIN -brief C;")
    assert "# Generated code" in full and "# Generated code" not in brief
    assert "# Map Reduce Plan" in brief
    nodes = dot_graphs(run(tmp_path, BODY + "EXPLAIN -brief -dot C;"))[0][0]
    assert nodes == {"A", "B", "C"}


@pytest.mark.parametrize("mode", ["local", "mapreduce"])
def test_out_file_gets_the_plans_and_stdout_nothing(tmp_path: Path, mode: str) -> None:
    text = run(tmp_path, BODY + "EXPLAIN -out plan.txt C;", mode)
    assert "Logical Plan" not in text
    written = (tmp_path / "plan.txt").read_text()
    assert written.startswith("#---") and "# Physical Plan:" in written
    assert "# Map Reduce Plan" in written


def test_out_directory_gets_one_file_per_plan(tmp_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    run(tmp_path, BODY + "EXPLAIN -out plans -dot C;")
    names = sorted(p.name for p in (tmp_path / "plans").iterdir())
    assert len(names) == 3
    stamps = {re.fullmatch(r"(\w+_plan)-(\d+)\.dot", n).group(2) for n in names}  # type: ignore[union-attr]
    assert len(stamps) == 1
    assert [n.split("-")[0] for n in names] == ["exec_plan", "logical_plan", "physical_plan"]
    logical = next((tmp_path / "plans").glob("logical_plan-*")).read_text()
    assert "# New Logical Plan:" in logical and len(dot_graphs(logical)) == 1


def test_script_is_explained_with_its_parameters_and_not_run(tmp_path: Path) -> None:
    (tmp_path / "other.pig").write_text(
        "X = LOAD '$input' AS (k:chararray, v:int);\nY = FILTER X BY v > $min;\n"
        "STORE Y INTO 'never';\n"
    )
    (tmp_path / "p.txt").write_text("min=1\n")
    text = run(tmp_path, "EXPLAIN -script other.pig -param input=in.txt -param_file p.txt;")
    assert "Y: (Name: LOFilter BY (v > 1)" in text
    assert "LOLoad 'in.txt'" in text
    assert not (tmp_path / "never").exists()
    with_alias = run(tmp_path, "EXPLAIN -script other.pig -param input=in.txt -param min=2 Y;")
    assert "(v > 2)" in with_alias and "LOStore" not in with_alias


def test_errors_are_named(tmp_path: Path) -> None:
    with pytest.raises(PigError, match="File not found: nope.pig"):
        run(tmp_path, "EXPLAIN -script nope.pig;")
    with pytest.raises(PigError, match="-xml is not supported"):
        run(tmp_path, BODY + "EXPLAIN -xml C;")
    with pytest.raises(PigError, match="Unable to find an operator for alias Q"):
        run(tmp_path, BODY + "EXPLAIN Q;")
