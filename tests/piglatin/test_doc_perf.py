"""Pig 0.17's Performance and Efficiency page (perf.xml): what it documents that a user can
observe — PARALLEL and default_parallel (reducers = part files, in the default mode: Pig's
local mode runs one reducer), GROUP ALL's single reducer, the combiner in EXPLAIN, LIMIT and
ORDER, DISTINCT, multi-query execution (one job for the STORE example, -M, exit codes 0/2/3,
-F), EXEC as a barrier, the optimizer switches, and the specialized joins' documented
results and errors."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.piglatin.docrun import grunt, part_files, pig, rows, write

# rows (t, u, v): t repeats so GROUP has work; v is numeric
MYFILE = "".join(f"{t}\t{u}\t{v}\n" for t, u, v in zip("abcabcdeabfa", "xyzxyzxyzxyz", range(12)))


def run_local(tmp: Path, files: dict[str, str], script: str, *flags: str):
    write(tmp, {**files, "s.pig": script})
    return pig(["-x", "local", *flags, "s.pig"], tmp)


def dfs_part_count(tmp: Path, path: str) -> int:
    listed = pig(["-e", f"fs -ls {path}"], tmp)
    assert listed.returncode == 0, listed.stderr
    return sum("/part-" in ln for ln in listed.stdout.splitlines())


@pytest.mark.parametrize(
    ("statement", "reducers"),
    [
        ("B = GROUP A BY t PARALLEL 18;\nC = FOREACH B GENERATE group, COUNT(A);", 18),
        ("C = DISTINCT A PARALLEL 3;", 3),
        ("C = ORDER A BY v PARALLEL 4;", 4),
        ("A2 = LOAD 'myfile' AS (t, u, v);\nC = JOIN A BY t, A2 BY t PARALLEL 5;", 5),
        ("A2 = LOAD 'myfile' AS (t, u, v);\nC = COGROUP A BY t, A2 BY t PARALLEL 6;", 6),
        # Pig's GFCross: the rows spread over a grid of reducers (back/crossgrid.py)
        ("A2 = LOAD 'myfile' AS (t, u, v);\nC = CROSS A, A2 PARALLEL 2;", 2),
    ],
)
def test_parallel_sets_the_reducers_of_its_operator(
    tmp_path: Path, statement: str, reducers: int
) -> None:
    name = f"/doc_perf_parallel_{reducers}"
    script = f"A = LOAD 'myfile' AS (t, u, v);\n{statement}\nSTORE C INTO '{name}';\n"
    write(tmp_path, {"myfile": MYFILE, "s.pig": script})
    done = pig(["s.pig"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert dfs_part_count(tmp_path, name) == reducers


def test_parallel_overrides_default_parallel(tmp_path: Path) -> None:
    # "the value set via the PARALLEL clause will override any value set via set default
    # parallel"
    script = (
        "SET default_parallel 5;\nA = LOAD 'myfile' AS (t, u, v);\n"
        "B = GROUP A BY t PARALLEL 3;\nC = FOREACH B GENERATE group, COUNT(A);\n"
        "STORE C INTO '/doc_perf_override';\n"
        "D = DISTINCT A;\nSTORE D INTO '/doc_perf_default';\n"
    )
    write(tmp_path, {"myfile": MYFILE, "s.pig": script})
    done = pig(["s.pig"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert dfs_part_count(tmp_path, "/doc_perf_override") == 3
    assert dfs_part_count(tmp_path, "/doc_perf_default") == 5
    # the rows as plain Python counts them, whichever reducers wrote them (one merged job)
    shown = pig(["-e", "fs -cat /doc_perf_override/part-*"], tmp_path).stdout.splitlines()
    rows_in = [ln.split("\t") for ln in MYFILE.splitlines()]
    counts = Counter(t for t, _u, _v in rows_in)
    assert sorted(shown) == sorted(f"{t}\t{n}" for t, n in counts.items())
    shown = pig(["-e", "fs -cat /doc_perf_default/part-*"], tmp_path).stdout.splitlines()
    assert sorted(shown) == sorted(MYFILE.splitlines())


def test_group_all_runs_one_reducer_whatever_parallel_says(tmp_path: Path) -> None:
    # GroupByConstParallelSetter: 'Force parallel "1" for "group all" statement'
    script = (
        "A = LOAD 'myfile';\nB = GROUP A all PARALLEL 10;\nC = FOREACH B GENERATE COUNT(A);\n"
        "STORE C INTO '/doc_perf_group_all';\n"
    )
    write(tmp_path, {"myfile": MYFILE, "s.pig": script})
    done = pig(["s.pig"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert dfs_part_count(tmp_path, "/doc_perf_group_all") == 1


@pytest.mark.parametrize(
    "foreach",
    [
        "C = foreach B generate ABS(SUM(A.gpa)), COUNT(A.name), (MIN(A.gpa) + MAX(A.gpa))/2, "
        "group;\nexplain C;\n",
        "C = foreach B { D = distinct A.name; generate group, COUNT(D);}\nexplain C;\n",
        "C = foreach B { D = distinct (A.name); generate group, COUNT(D);}\nexplain C;\n",
        "C = foreach B generate group, COUNT (A);\nD = limit C 20;\nexplain D;\n",
    ],
)
def test_explain_shows_the_combiner_for_algebraic_functions(tmp_path: Path, foreach: str) -> None:
    # "You should see the combine section in the MapReduce part of the plan", also for a
    # nested DISTINCT and with a LIMIT after the FOREACH
    write(tmp_path, {"studenttab10k": "a\t1\t2.0\n"})
    load = "A = load 'studenttab10k' as (name, age, gpa);\nB = group A by age;\n"
    done = pig(["-x", "local", "-e", load + foreach], tmp_path)
    assert done.returncode == 0, done.stderr
    mapreduce = done.stdout[done.stdout.index("Map Reduce Plan") :]
    assert "Combine Plan" in mapreduce


def test_limit_after_a_grouped_foreach_keeps_its_counts(tmp_path: Path) -> None:
    # the LIMIT reads the FOREACH's rows (the FOREACH stays in the GROUP's reduce): each row
    # is one group's count as plain Python counts it, and LIMIT 3 keeps 3 of them
    script = (
        "A = LOAD 'myfile' AS (t, u, v);\nB = GROUP A BY t;\n"
        "C = FOREACH B GENERATE group, COUNT(A);\nD = LIMIT C 3;\nDUMP D;\n"
    )
    done = run_local(tmp_path, {"myfile": MYFILE}, script)
    assert done.returncode == 0, done.stderr
    counts = Counter(line.split("\t")[0] for line in MYFILE.splitlines())
    got = rows(done.stdout)
    assert len(got) == 3 and set(got) <= {f"({t},{n})" for t, n in counts.items()}


def test_limit_a_sample_and_top_results(tmp_path: Path) -> None:
    script = (
        "A = load 'myfile' as (t, u, v:int);\nB = limit A 5;\nDUMP B;\n"
        "C = order A by v DESC;\nD = limit C 3;\nDUMP D;\n"
    )
    done = run_local(tmp_path, {"myfile": MYFILE}, script)
    assert done.returncode == 0, done.stderr
    got = rows(done.stdout)
    every = {f"({t},{u},{v})" for t, u, v in zip("abcabcdeabfa", "xyzxyzxyzxyz", range(12))}
    assert len(got) == 8 and set(got[:5]) <= every
    assert got[5:] == ["(a,z,11)", "(f,y,10)", "(b,x,9)"]


def test_distinct_and_group_by_generate_agree(tmp_path: Path) -> None:
    script = (
        "A = load 'myfile' as (t, u, v);\nB = foreach A generate t;\nC = group B by t;\n"
        "D = foreach C generate group as uniquekey;\ndump D;\n"
        "E = distinct B;\ndump E;\n"
    )
    done = run_local(tmp_path, {"myfile": MYFILE}, script)
    got = rows(done.stdout)
    expected = [f"({t})" for t in sorted(set("abcabcdeabfa"))]
    assert sorted(got[:6]) == expected and sorted(got[6:]) == expected, done.stderr


STORE_EXAMPLE = (
    "A = LOAD 'input' AS (x:int, y, z);\nB = FILTER A BY x > 5;\nSTORE B INTO 'output1';\n"
    "C = FOREACH B GENERATE y, z;\nSTORE C INTO 'output2';\n"
)
INPUT = "".join(f"{x}\ty{x}\tz{x}\n" for x in range(10))


@pytest.mark.parametrize("flags", [(), ("-M",), ("-no_multiquery",)])
def test_multiquery_store_example(tmp_path: Path, flags: tuple[str, ...]) -> None:
    # "multi-query optimization will kick in allowing the entire script to be executed as a
    # single job. Two outputs are produced: output1 and output2"; -M turns it off
    done = run_local(tmp_path, {"input": INPUT}, STORE_EXAMPLE, *flags)
    assert done.returncode == 0, done.stderr
    [out1] = part_files(tmp_path / "output1")
    [out2] = part_files(tmp_path / "output2")
    assert out1.read_text() == "".join(f"{x}\ty{x}\tz{x}\n" for x in range(6, 10))
    assert out2.read_text() == "".join(f"y{x}\tz{x}\n" for x in range(6, 10))
    jobs = [ln for ln in done.stderr.splitlines() if ln.startswith("job_")]
    if not flags:
        assert len(jobs) == 1, done.stderr


BOOM = '@outputSchema("y:int")\ndef boom(x):\n    raise ValueError("boom %s" % x)\n'


def failing_script(bad_stores: int) -> str:
    lines = ["register 'boom.py' using jython as f;"]
    for i in range(2):
        lines.append(f"A{i} = LOAD 'in{i}' AS (x:int);")
        value = "f.boom(x)" if i < bad_stores else "x"
        lines.append(f"B{i} = FOREACH A{i} GENERATE {value};")
        lines.append(f"STORE B{i} INTO 'out{i}';")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("bad", "code"), [(0, 0), (1, 3), (2, 2)])
def test_exit_codes_of_a_multi_store_script(tmp_path: Path, bad: int, code: int) -> None:
    # "Return code 0: All jobs succeeded ... 2: All jobs have failed, 3: Some jobs have failed"
    files = {"boom.py": BOOM, "in0": "1\n2\n", "in1": "3\n"}
    done = run_local(tmp_path, files, failing_script(bad))
    assert done.returncode == code, done.stderr
    assert (tmp_path / "out1").exists() == (bad < 2)
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("flag", ["-F", "-stop_on_failure"])
def test_stop_on_failure_skips_the_commands_after_a_failed_store(tmp_path: Path, flag: str) -> None:
    # "file commands that come after a failed store in the script will not be executed"
    script = (
        "register 'boom.py' using jython as f;\nA = LOAD 'in0' AS (x:int);\n"
        "B = FOREACH A GENERATE f.boom(x);\nSTORE B INTO 'out';\nsh touch done\n"
    )
    done = run_local(tmp_path, {"boom.py": BOOM, "in0": "1\n"}, script, flag)
    assert done.returncode != 0
    assert not (tmp_path / "done").exists()


def test_exec_runs_the_stores_before_it(tmp_path: Path) -> None:
    # "Implicit Dependencies": EXEC triggers the statements that produce out1 before the rest
    script = (
        "A = LOAD 'input' AS (x:int, y, z);\nSTORE A INTO 'out1';\nEXEC;\n"
        "B = LOAD 'out1' AS (x:int, y, z);\nC = FILTER B BY x < 2;\nSTORE C INTO 'out2';\n"
    )
    done = run_local(tmp_path, {"input": INPUT}, script)
    assert done.returncode == 0, done.stderr
    [part] = part_files(tmp_path / "out2")
    assert part.read_text() == "0\ty0\tz0\n1\ty1\tz1\n"


@pytest.mark.parametrize(
    "flags",
    [
        ("-optimizer_off", "all"),
        ("-t", "ColumnMapKeyPrune"),
        ("-Dpig.optimizer.rules.disabled=ColumnMapKeyPrune",),
    ],
)
def test_optimizer_rules_can_be_disabled(tmp_path: Path, flags: tuple[str, ...]) -> None:
    script = (
        "set pig.optimizer.rules.disabled 'ColumnMapKeyPrune';\n"
        "A = load 'input' as (a0:int, a1, a2);\nB = ORDER A by a0;\n"
        "C = FOREACH B GENERATE a0, a1;\nD = FILTER C BY a0 > 7;\nDUMP D;\n"
    )
    done = run_local(tmp_path, {"input": INPUT}, script, *flags)
    assert done.returncode == 0, done.stderr
    assert rows(done.stdout) == ["(8,y8)", "(9,y9)"]


JOIN_FILES = {
    "big_data": "a\t1\t1\nb\t2\t2\nc\t3\t3\nd\t4\t4\n",
    "tiny_data": "a\tx\t1\nb\ty\t2\n",
    "mini_data": "a\tm\t1\nc\tn\t3\nb\to\t2\n",
}
LOAD3 = (
    "big = LOAD 'big_data' AS (b1:chararray,b2,b3);\n"
    "tiny = LOAD 'tiny_data' AS (t1:chararray,t2,t3);\n"
    "mini = LOAD 'mini_data' AS (m1:chararray,m2,m3);\n"
)


def test_replicated_join_of_a_large_and_two_small_relations(tmp_path: Path) -> None:
    script = LOAD3 + "C = JOIN big BY b1, tiny BY t1, mini BY m1 USING 'replicated';\nDUMP C;\n"
    done = run_local(tmp_path, JOIN_FILES, script)
    assert sorted(rows(done.stdout)) == ["(a,1,1,a,x,1,a,m,1)", "(b,2,2,b,y,2,b,o,2)"], done.stderr


def test_replicated_join_fails_past_its_max_bytes(tmp_path: Path) -> None:
    script = (
        "SET pig.join.replicated.max.bytes 10;\n"
        + LOAD3
        + "C = JOIN big BY b1, mini BY m1 USING 'replicated';\nDUMP C;\n"
    )
    done = run_local(tmp_path, JOIN_FILES, script)  # mini_data: 18 bytes
    assert done.returncode != 0 and rows(done.stdout) == []
    assert "pig.join.replicated.max.bytes" in done.stderr and "Traceback" not in done.stderr


def test_skewed_join_inner_and_outer(tmp_path: Path) -> None:
    script = LOAD3 + (
        "C = JOIN big BY b1, mini BY m1 USING 'skewed';\nDUMP C;\n"
        "D = JOIN big BY b1 LEFT OUTER, tiny BY t1 USING 'skewed';\nDUMP D;\n"
    )
    done = run_local(tmp_path, JOIN_FILES, script)
    got = rows(done.stdout)
    assert sorted(got[:3]) == ["(a,1,1,a,m,1)", "(b,2,2,b,o,2)", "(c,3,3,c,n,3)"], done.stderr
    assert sorted(got[3:]) == ["(a,1,1,a,x,1)", "(b,2,2,b,y,2)", "(c,3,3,,,)", "(d,4,4,,,)"]


def test_skewed_join_of_three_tables_fails_validation(tmp_path: Path) -> None:
    # "Specifying three-way (or more) joins will fail validation"
    script = LOAD3 + "C = JOIN big BY b1, tiny BY t1, mini BY m1 USING 'skewed';\nDUMP C;\n"
    done = run_local(tmp_path, JOIN_FILES, script)
    assert done.returncode != 0 and rows(done.stdout) == []
    assert "ERROR" in done.stderr and "Traceback" not in done.stderr


def test_merge_join_of_sorted_inputs(tmp_path: Path) -> None:
    # Condition A: data straight from LOAD (or ORDER), filters and key-preserving foreachs
    # between, sorted ascending on both sides, typed keys
    script = LOAD3 + (
        "T = FILTER tiny BY t2 != 'none';\n"
        "C = JOIN big BY b1, T BY t1 USING 'merge';\nDUMP C;\n"
        "S = ORDER mini BY m1;\nD = JOIN big BY b1, S BY m1 USING 'merge';\nDUMP D;\n"
    )
    done = run_local(tmp_path, JOIN_FILES, script)
    got = rows(done.stdout)
    assert got[:2] == ["(a,1,1,a,x,1)", "(b,2,2,b,y,2)"], done.stderr
    assert got[2:] == ["(a,1,1,a,m,1)", "(b,2,2,b,o,2)", "(c,3,3,c,n,3)"]


def test_merge_join_of_three_inputs_is_refused_as_pig_does(tmp_path: Path) -> None:
    # perf.xml speaks of merge joins of three or more tables, but Pig 0.17 itself refuses
    # them at parse time (LogicalPlanBuilder.buildJoinOp, TestMergeJoin.testMergeJoin3Way:
    # "Merge join can only be applied for 2-way joins"); the code is the reference here
    files = {**JOIN_FILES, "mini_data": "a\tm\t1\nb\to\t2\nc\tn\t3\n"}
    script = LOAD3 + "C = JOIN big BY b1, tiny BY t1, mini BY m1 USING 'merge';\nDUMP C;\n"
    done = run_local(tmp_path, files, script)
    assert done.returncode != 0 and rows(done.stdout) == []
    assert "Merge join can only be applied for 2-way joins" in done.stderr
    assert "Traceback" not in done.stderr


# "Backward Compatibility": paths are made absolute as statements are parsed, so a later
# `cd` does not move them
CD_SCRIPT = "cd {top};\nA = LOAD 'data1';\ncd sub;\nSTORE A INTO 'out1';\n"


def test_grunt_cd_does_not_move_paths_already_given(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path, {"top/data1": "1\n2\n", "top/sub/.keep": ""})
    _, err = grunt(tmp_path, CD_SCRIPT.format(top="top"), monkeypatch)
    assert err == ""
    [part] = part_files(tmp_path / "top" / "sub" / "out1")
    assert part.read_text() == "1\n2\n"


@pytest.mark.parametrize("mode", ["local", "mapreduce"])
def test_cd_in_a_script(tmp_path: Path, mode: str) -> None:
    if mode == "local":
        write(tmp_path, {"top/data1": "1\n2\n", "top/sub/.keep": ""})
        done = run_local(tmp_path, {}, CD_SCRIPT.format(top="top"))
        assert done.returncode == 0, done.stderr
        [part] = part_files(tmp_path / "top" / "sub" / "out1")
        assert part.read_text() == "1\n2\n"
        return
    write(tmp_path, {"data1": "1\n2\n"})
    put = pig(["-e", "fs -mkdir -p /doc_perf_cd/sub; fs -put data1 /doc_perf_cd/data1;"], tmp_path)
    assert put.returncode == 0, put.stderr
    script = CD_SCRIPT.format(top="/doc_perf_cd")
    write(tmp_path, {"s.pig": script})
    done = pig(["s.pig"], tmp_path)
    assert done.returncode == 0, done.stderr
    shown = pig(["-e", "fs -cat /doc_perf_cd/sub/out1/part-*"], tmp_path)
    assert shown.stdout.splitlines() == ["1", "2"]


def test_grunt_cd_and_pwd_on_the_dfs(tmp_path: Path, monkeypatch) -> None:
    # cmds.xml "cd": in the default mode grunt's cd moves on the distributed file system
    # (it was refused: 'only supported with -x local'); pwd prints where it is
    write(tmp_path, {"data1": "1\n2\n"})
    put = pig(
        ["-e", "fs -mkdir -p /doc_grunt_cd/sub; fs -put data1 /doc_grunt_cd/data1;"], tmp_path
    )
    assert put.returncode == 0, put.stderr
    typed = CD_SCRIPT.format(top="/doc_grunt_cd") + "pwd\ncd /no_such_dir_here\npwd\n"
    lines, err = grunt(tmp_path, typed, monkeypatch, exec_type="mapreduce")
    assert [ln for ln in lines if ln.startswith("dfs://")] == ["dfs:///doc_grunt_cd/sub"] * 2
    assert "No such file or directory" in err
    shown = pig(["-e", "fs -cat /doc_grunt_cd/sub/out1/part-*"], tmp_path)
    assert shown.stdout.splitlines() == ["1", "2"]
