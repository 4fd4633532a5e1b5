"""The Pig back end end to end against plain-Python answers: expressions with Pig's nulls,
GROUP/aggregates (with and without the combiner), ORDER across reducers, DISTINCT, LIMIT,
scalars, UDFs, SPLIT, exec/run, and the errors a user sees."""

from __future__ import annotations

import io
import random
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.errors import PigError
from piglatin.launcher import PigServer, run_script
from tests.piglatin.pigtext import pig_text


def pig(tmp_path: Path, script: str, exec_type: str = "local") -> list[str]:
    out = io.StringIO()
    assert run_script(script, exec_type=exec_type, cwd=tmp_path, filename="t.pig", out=out) == 0
    return [line for line in out.getvalue().splitlines() if line]


def write(path: Path, rows) -> None:
    path.write_text("".join("\t".join("" if v is None else str(v) for v in r) + "\n" for r in rows))


def test_null_semantics_of_expressions(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", [(7, 2), (None, 3), (-7, 0), (2147483647, 1)])
    got = pig(
        tmp_path,
        """A = LOAD 'a.txt' AS (x:int, y:int);
        B = FOREACH A GENERATE x + y, x / y, x % 3, (x > 0 AND y > 0), (x > 0 OR y > 0),
                               (x IS NULL ? 'n' : 'v'), -x;
        DUMP B;""",
    )
    # int + wraps like Java, / truncates toward zero, % keeps the dividend's sign,
    # null propagates, division by zero is null, AND/OR are three-valued
    assert got == [
        "(9,3,1,true,true,v,-7)",
        "(,,,,true,n,)",
        "(-7,,-1,false,false,v,7)",
        "(-2147483648,2147483647,1,true,true,v,-2147483647)",
    ]


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "c", None]),
            st.one_of(st.none(), st.integers(-50, 50)),
        ),
        max_size=40,
    ),
    st.integers(1, 3),
)
def test_group_aggregates_match_python(tmp_path: Path, rows, parallel: int) -> None:
    write(tmp_path / "g.txt", rows)
    expected = defaultdict(list)
    for k, n in rows:
        expected[k].append(n)
    want = Counter()
    for k, ns in expected.items():
        vals = [n for n in ns if n is not None]
        total = sum(vals) if vals else None
        avg = total / len(vals) if vals else None
        want[
            pig_text(
                (
                    k,
                    len(ns),
                    total,
                    min(vals) if vals else None,
                    max(vals) if vals else None,
                    avg,
                )
            )
        ] += 1
    # the combiner path (all algebraic) and the plain path (a non-algebraic column) agree
    combined = pig(
        tmp_path,
        f"""A = LOAD 'g.txt' AS (k:chararray, n:int);
        B = GROUP A BY k PARALLEL {parallel};
        C = FOREACH B GENERATE group, COUNT_STAR(A), SUM(A.n), MIN(A.n), MAX(A.n), AVG(A.n);
        DUMP C;""",
    )
    plain = pig(
        tmp_path,
        f"""A = LOAD 'g.txt' AS (k:chararray, n:int);
        B = GROUP A BY k PARALLEL {parallel};
        C = FOREACH B GENERATE group, SIZE(A), SUM(A.n), MIN(A.n), MAX(A.n), AVG(A.n);
        DUMP C;""",
    )
    assert Counter(combined) == want == Counter(plain)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.tuples(st.one_of(st.none(), st.integers(-20, 20)), st.text("xyz", max_size=3)),
        max_size=60,
    )
)
def test_order_by_is_global_across_reducers(tmp_path: Path, rows) -> None:
    write(tmp_path / "o.txt", rows)
    got = pig(
        tmp_path,
        """A = LOAD 'o.txt' AS (n:int, s:chararray);
        B = ORDER A BY n DESC, s PARALLEL 3; DUMP B;""",
    )
    norm = [(n, s or None) for n, s in rows]
    # Pig: nulls last when descending; the empty field loads as null
    want = sorted(
        norm,
        key=lambda r: (r[0] is not None, r[0] if r[0] is not None else 0),
        reverse=True,
    )
    want = sorted(
        want,
        key=lambda r: (
            -(r[0] if r[0] is not None else -(10**9)),
            r[1] is not None,
            r[1] or "",
        ),
    )
    assert [g.split(",")[0] for g in got] == [pig_text(r).split(",")[0] for r in want]
    assert Counter(got) == Counter(pig_text(r) for r in norm)


def test_distinct_limit_and_rank(tmp_path: Path) -> None:
    rows = [(random.Random(i).randint(1, 9),) for i in range(200)]
    write(tmp_path / "d.txt", rows)
    got = pig(
        tmp_path,
        """A = LOAD 'd.txt' AS (n:int);
        B = DISTINCT A PARALLEL 2; C = ORDER B BY n; D = LIMIT C 3; DUMP D;
        E = RANK B BY n DESC DENSE; F = FILTER E BY $0 == 1; DUMP F;""",
    )
    values = sorted({r[0] for r in rows})
    assert got == [f"({v})" for v in values[:3]] + [f"(1,{values[-1]})"]


def test_scalar_from_a_one_row_relation(tmp_path: Path) -> None:
    write(tmp_path / "s.txt", [(1,), (2,), (5,)])
    got = pig(
        tmp_path,
        """A = LOAD 's.txt' AS (n:int);
        T = FOREACH (GROUP A ALL) GENERATE SUM(A.n) AS total;
        B = FOREACH A GENERATE n, (double) n / T.total; DUMP B;""",
    )
    assert got == ["(1,0.125)", "(2,0.25)", "(5,0.625)"]


def test_python_udf_and_split_and_union(tmp_path: Path) -> None:
    (tmp_path / "u.py").write_text(
        "@outputSchema('w:chararray')\ndef tag(s):\n    return s + '!'\n"
    )
    write(tmp_path / "w.txt", [("a", 1), ("b", 5), ("c", 9)])
    got = pig(
        tmp_path,
        """REGISTER 'u.py' USING jython AS f;
        A = LOAD 'w.txt' AS (s:chararray, n:int);
        SPLIT A INTO lo IF n < 5, hi OTHERWISE;
        L = FOREACH lo GENERATE f.tag(s); H = FOREACH hi GENERATE s;
        U = UNION L, H; DUMP U;""",
    )
    assert sorted(got) == ["(a!)", "(b)", "(c)"]


def test_run_defines_aliases_for_later_statements(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", [(1,), (2,)])
    (tmp_path / "part.pig").write_text("B = FILTER A BY n > $min;\n")
    got = pig(
        tmp_path,
        """A = LOAD 'a.txt' AS (n:int);
        run -param min=1 part.pig;
        DUMP B;""",
    )
    assert got == ["(2)"]


def test_intermediate_files_are_removed(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", [(1,), (2,)])
    with PigServer("local", cwd=tmp_path, out=io.StringIO()) as server:
        server.register_script("A = LOAD 'a.txt' AS (n:int); B = ORDER A BY n; DUMP B;")
        tmp = Path(server.tmp)
        assert tmp.exists()
    assert not tmp.exists()


def test_store_output_exists_is_error_6000(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", [(1,)])
    (tmp_path / "out").mkdir()
    with pytest.raises(PigError) as e:
        pig(tmp_path, "A = LOAD 'a.txt'; STORE A INTO 'out';")
    assert e.value.code == 6000 and "already exists" in str(e.value)


def test_missing_input_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(PigError, match="nosuch.txt") as e:
        pig(tmp_path, "A = LOAD 'nosuch.txt'; DUMP A;")
    assert e.value.code == 2118


def test_runtime_failure_is_one_line_naming_the_job(tmp_path: Path) -> None:
    (tmp_path / "u.py").write_text("@outputSchema('x:int')\ndef boom(n):\n    return 1 // 0\n")
    write(tmp_path / "a.txt", [(1,)])
    with pytest.raises(PigError) as e:
        pig(
            tmp_path,
            "REGISTER 'u.py' USING jython AS f; A = LOAD 'a.txt' AS (n:int);"
            "B = FOREACH A GENERATE f.boom(n); DUMP B;",
        )
    text = str(e.value)
    assert e.value.code == 2997 and "\n" not in text
    assert "job1" in text and "ZeroDivisionError" in text


def test_same_results_in_local_and_mapreduce_modes(tmp_path: Path) -> None:
    rows = [(i % 7, f"w{i % 3}") for i in range(100)]
    write(tmp_path / "a.txt", rows)
    groups = defaultdict(list)
    for n, s in rows:
        groups[s].append(n)
    want = [f"({s},{len(ns)},{sum(ns)})" for s, ns in sorted(groups.items())]
    script = """A = LOAD 'a.txt' AS (n:int, s:chararray);
        B = GROUP A BY s; C = FOREACH B GENERATE group, COUNT(A), SUM(A.n);
        D = JOIN A BY s, C BY group; E = FOREACH D GENERATE A::n, C::group;
        F = ORDER C BY group; DUMP F; G = DISTINCT E; DUMP G;"""
    local = pig(tmp_path, script, "local")
    mapreduce = pig(tmp_path, script, "mapreduce")
    assert local[:3] == mapreduce[:3] == want
    assert (
        Counter(local[3:]) == Counter(mapreduce[3:]) == Counter(pig_text(r) for r in set(rows))
    )


def test_combiner_runs_on_spills_and_keeps_results(tmp_path: Path) -> None:
    rnd = random.Random(5)
    rows = [(f"k{rnd.randint(1, 3000)}", rnd.randint(-5, 100)) for _ in range(8000)]
    write(tmp_path / "agg.txt", rows)
    out = io.StringIO()
    with PigServer("local", cwd=tmp_path, out=out) as server:
        server.register_script("""SET mapreduce.task.io.sort.mb 0.01;
            SET mapreduce.map.combine.minspills 1;
            A = LOAD 'agg.txt' AS (k:chararray, n:int);
            B = GROUP A BY k PARALLEL 2;
            C = FOREACH B GENERATE group, COUNT(A), SUM(A.n), AVG(A.n), MIN(A.n), MAX(A.n);
            DUMP C;""")
        counters = server.stats[0]["counters"].to_dict()["Map-Reduce Framework"]
    assert counters["Combine input records"] > 0
    groups = defaultdict(list)
    for k, n in rows:
        groups[k].append(n)
    want = Counter(
        pig_text((k, len(v), sum(v), sum(v) / len(v), min(v), max(v)))
        for k, v in groups.items()
    )
    assert Counter(out.getvalue().split()) == want


_FIELD_TEXT = st.one_of(
    st.text("ab1 2-.,é_+eE", max_size=8),
    st.integers(-(2**64), 2**64).map(str),
    st.sampled_from(["NaN", "Infinity", "-0", "1e3", "12L", "٣", "[a#1,b#]", "{(1),(x)}", "(1,)"]),
)
_FIELD_TYPES = ["chararray", "int", "long", "double", "float", "bytearray", "boolean",
                "map[]", "{(x:int)}", "(a:int,b:chararray)"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_FIELD_TEXT, min_size=0, max_size=5).map("\t".join),
    st.lists(st.sampled_from(_FIELD_TYPES), min_size=1, max_size=4),
    st.data(),
)
def test_line_parser_and_pushed_projection_equal_pigstorage(line, types, draw) -> None:
    """PigStorage's str-level parser gives what its bytes parser gives, warnings included;
    with a projection pushed down it gives exactly those columns of the full parse."""
    from piglatin.front.builder import build_text
    from piglatin.back.sources import loader_for

    schema = ", ".join(f"f{i}:{t}" for i, t in enumerate(types))
    op = build_text(f"A = LOAD 'x' AS ({schema}); DUMP A;").alias("A")
    full = loader_for(op)
    want = full.parse_line(line.encode("utf-8"))
    fast = loader_for(op)
    assert repr(fast.line_parser()(line)) == repr(want)  # repr: NaN equals NaN, -0.0 != 0.0
    assert fast.warnings == full.warnings
    cols = draw.draw(st.lists(st.integers(0, len(types) - 1), min_size=1, unique=True))
    pushed = loader_for(op)
    assert pushed.push_projection(cols)
    assert repr(pushed.line_parser()(line)) == repr(tuple(want[c] for c in cols))
    assert repr(pushed.parse_line(line)) == repr(tuple(want[c] for c in cols))


def test_unused_fields_are_never_converted(tmp_path: Path) -> None:
    """Projection push-down: only the columns the script uses are converted, so a bad
    field in an unused column is no warning (Pig casts a LOAD's fields lazily, where they
    are used); a bad field in a used one still is."""
    (tmp_path / "w.txt").write_text("1\t[broken\tx\n2\t[k#v]\ty\nz\t[k#w]\tq\n")
    out = io.StringIO()
    with PigServer("local", cwd=tmp_path, out=out) as server:
        server.register_script(
            "A = LOAD 'w.txt' AS (n:int, m:map[], s:chararray);"
            "B = FOREACH A GENERATE s, n; DUMP B;"
        )
        counters = server.stats[0]["counters"].to_dict()
    assert out.getvalue().split() == ["(x,1)", "(y,2)", "(q,)"]
    assert counters["org.apache.pig.PigWarning"] == {"FIELD_DISCARDED_TYPE_CONVERSION_FAILED": 1}


def test_bad_fields_become_null_and_are_counted(tmp_path: Path) -> None:
    (tmp_path / "w.txt").write_text("1\tx\nabc\ty\n2\tz\n")
    out = io.StringIO()
    with PigServer("local", cwd=tmp_path, out=out) as server:
        server.register_script("A = LOAD 'w.txt' AS (n:int, s:chararray); DUMP A;")
        counters = server.stats[0]["counters"].to_dict()
    assert out.getvalue().split() == ["(1,x)", "(,y)", "(2,z)"]
    assert counters["org.apache.pig.PigWarning"] == {"FIELD_DISCARDED_TYPE_CONVERSION_FAILED": 1}


@given(
    st.one_of(st.text(), st.integers(-(2**63), 2**63 - 1), st.none(), st.floats(allow_nan=False))
)
def test_key_bytes_equal_pig_sort_bytes(key) -> None:
    from piglatin.model.data import sort_bytes
    from piglatin.back.exprs import key_bytes

    assert key_bytes(key) == sort_bytes(key)


def test_illustrate_shows_example_rows_of_each_alias(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", [(1, "x"), (2, "y"), (1, "z")])
    got = pig(
        tmp_path,
        """A = LOAD 'a.txt' AS (k:int, s:chararray);
        B = GROUP A BY k; C = FOREACH B GENERATE group, COUNT(A) AS n; ILLUSTRATE C;""",
    )
    text = "\n".join(got)
    assert "| A " in text and "| B " in text and "| C " in text
    assert "k:int" in text and "n:long" in text
    c_rows = [
        [cell.strip() for cell in line.strip("|").split("|")[1:]]
        for line in text.split("| C ")[1].splitlines()
        if line.startswith("|   ")
    ]
    assert sorted(c_rows) == [["1", "2"], ["2", "1"]]


def test_mapreduce_mode_stores_on_the_dfs_and_reads_it_back(tmp_path: Path) -> None:
    import uuid

    import fsspec

    from dfs.conf import current_user

    write(tmp_path / "a.txt", [(3, "c"), (1, "a"), (2, "b")])
    name = f"pigtest-{uuid.uuid4().hex[:8]}"
    got = pig(
        tmp_path,
        f"""A = LOAD 'a.txt' AS (n:int, s:chararray);
        B = ORDER A BY n PARALLEL 2; STORE B INTO '{name}';
        C = LOAD '{name}' AS (n:int, s:chararray); D = FILTER C BY n > 1; DUMP D;
        fs -cat {name}/part-r-00001;""",
        "mapreduce",
    )
    assert got[:2] == ["(2,b)", "(3,c)"]  # the DFS copy, read back in order
    fs = fsspec.filesystem("dfs")
    base = f"/user/{current_user()}/{name}"
    parts = [fs.cat_file(f"{base}/part-r-0000{i}").decode() for i in range(2)]
    assert "".join(parts).splitlines() == ["1\ta", "2\tb", "3\tc"]
    assert got[2:] == parts[1].splitlines()  # what `fs -cat` printed
    fs.rm(base, recursive=True)


def _pig_tokens(line: str) -> list[str]:
    """TOKENIZE's documented delimiters: space, double quote, comma, parentheses, star."""
    for c in '",()*':
        line = line.replace(c, " ")
    return [w for w in line.split(" ") if w]


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet='ab "(),*\t', max_size=12), min_size=1, max_size=30))
def test_word_count_of_tokenize_matches_python(tmp_path: Path, lines: list[str]) -> None:
    """FLATTEN(TOKENIZE(..)) into GROUP/COUNT (the words are counted without building rows)
    and STORE of a (chararray, long) row, checked against plain Python."""
    (tmp_path / "in.txt").write_text("".join(line + "\n" for line in lines))
    out = tmp_path / "out"
    shutil.rmtree(out, ignore_errors=True)  # tmp_path is shared by the examples
    script = f"""lines = LOAD 'in.txt' USING TextLoader() AS (line:chararray);
    words = FOREACH lines GENERATE FLATTEN(TOKENIZE(line)) AS w;
    grouped = GROUP words BY w;
    counts = FOREACH grouped GENERATE group, COUNT(words), COUNT_STAR(words);
    STORE counts INTO '{out}';"""
    assert run_script(script, exec_type="local", cwd=tmp_path, out=io.StringIO()) == 0
    got = sorted(p for f in sorted(out.glob("part-*")) for p in f.read_text().splitlines())
    expected = Counter(w for line in lines for w in _pig_tokens(line))
    assert got == sorted(f"{w}\t{n}\t{n}" for w, n in expected.items())


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet='ab "(),*\t\r\x1f\u2003é', max_size=12), max_size=99))
def test_tokens_of_a_batch_of_lines_are_tokenize_per_line(lines: list[str]) -> None:
    from piglatin.functions.builtins import tokens_of_lines

    assert tokens_of_lines(lines) == [w for line in lines for w in _pig_tokens(line)]


def test_word_count_of_one_count_reads_text_in_batches(tmp_path: Path) -> None:
    """GROUP/COUNT of FLATTEN(TOKENIZE(line)) counts whole batches of lines at once (the job's
    map_batch); plain and awkward lines alike give Python's count of Pig's tokens."""
    rng = random.Random(5)
    pieces = ["w1", "w2", "w3", "x,y", "(p)", "q*r", '"s"', "\tt", "é", "u\u2003v", "", "  "]
    lines = [" ".join(rng.choices(pieces, k=rng.randint(0, 9))) for _ in range(5000)]
    (tmp_path / "in.txt").write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    out = tmp_path / "out"
    script = f"""lines = LOAD 'in.txt' USING TextLoader() AS (line:chararray);
    words = FOREACH lines GENERATE FLATTEN(TOKENIZE(line)) AS w;
    grouped = GROUP words BY w PARALLEL 3;
    counts = FOREACH grouped GENERATE group, COUNT(words);
    STORE counts INTO '{out}';"""
    assert run_script(script, exec_type="local", cwd=tmp_path, out=io.StringIO()) == 0
    got = sorted(p for f in sorted(out.glob("part-*")) for p in f.read_text().splitlines())
    expected = Counter(w for line in lines for w in _pig_tokens(line))
    assert got == sorted(f"{w}\t{n}" for w, n in expected.items())


@pytest.mark.parametrize("flush_every", [None, 3])
@pytest.mark.parametrize("by", ["w", "x"])
def test_count_of_plain_and_null_keys_across_map_tasks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, by: str, flush_every: int | None
) -> None:
    """GROUP/COUNT over many map tasks and spills, where some tasks see only plain chararray
    keys (their counts travel as bare numbers) and others a null key too (general partial
    rows): each group's COUNT (rows whose first field is not null) as plain Python counts it.
    Flushing the map-side counts every 3 keys makes the combiner meet both kinds at once."""
    if flush_every is not None:
        from piglatin.back import aggregates
        monkeypatch.setattr(aggregates, "AGG_KEYS", flush_every)
    rng = random.Random(11)
    words = ["a", "b", "c", "dé", "e\u2003f"]
    rows = [(rng.choice(["1", "2", ""]), rng.choice(words)) for _ in range(6000)]
    rows += [(rng.choice(["1", ""]), rng.choice(["a", "b", ""])) for _ in range(2000)]
    (tmp_path / "in.txt").write_text("".join(f"{x}\t{w}\n" for x, w in rows), encoding="utf-8")
    out = tmp_path / "out"
    script = f"""SET mapreduce.input.fileinputformat.split.maxsize 9000;
    SET mapreduce.task.io.sort.mb 0.002;
    a = LOAD 'in.txt' AS (x:chararray, w:chararray);
    g = GROUP a BY {by} PARALLEL 2;
    c = FOREACH g GENERATE group, COUNT(a);
    STORE c INTO '{out}';"""
    assert run_script(script, exec_type="local", cwd=tmp_path, out=io.StringIO()) == 0
    got = sorted(p for f in sorted(out.glob("part-*")) for p in f.read_text().splitlines())
    expected: Counter = Counter()
    for x, w in rows:
        key = (x if by == "x" else w) or ""
        expected[key] += 1 if x else 0
    assert got == sorted(f"{k}\t{n}" for k, n in expected.items())


def test_flatten_of_a_null_bag_counts_under_the_null_group(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", [("x y x",), (None,), ("y",)])
    got = pig(
        tmp_path,
        """a = LOAD 'a.txt' AS (s:chararray);
        w = FOREACH a GENERATE FLATTEN(TOKENIZE(s)) AS w;
        g = GROUP w BY w;
        c = FOREACH g GENERATE group, COUNT(w), COUNT_STAR(w);
        DUMP c;""",
    )
    # TOKENIZE(null) is null; its FLATTEN is one null row: COUNT skips it, COUNT_STAR does not
    assert sorted(got) == ["(,0,1)", "(x,2,2)", "(y,2,2)"]


@given(
    st.lists(
        st.one_of(st.text(max_size=6), st.integers(-(2**63), 2**63 - 1), st.none()), max_size=20
    )
)
def test_keys_bytes_equal_key_bytes(keys) -> None:
    keys = keys + ["a\x00b", "\ud800x"] if keys and keys[0] == "" else keys
    from piglatin.back.exprs import key_bytes, keys_bytes

    for sample in (keys, [k for k in keys if type(k) is str]):
        assert list(keys_bytes(sample)) == [key_bytes(k) for k in sample]
