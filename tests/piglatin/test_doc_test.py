"""Pig 0.17's "Testing and Diagnostics" page (test.xml): DESCRIBE, DUMP, EXPLAIN (without
options; its -script/-out/-brief/-dot options are tested elsewhere), ILLUSTRATE and the job
summary's alias column, run as the page shows them and compared with its output. The page's
F suffixes on floats are its notation, not DUMP's; ILLUSTRATE's samples are Pig's choice, so
only what the page says about every table (which relations, which fields, which rows pass)
is compared."""

from __future__ import annotations

from pathlib import Path

from tests.piglatin.docrun import grunt, part_files, pig, rows, write

STUDENT = "John\t18\t4.0\nMary\t19\t3.7\nBill\t20\t3.9\nJoe\t22\t3.8\nJill\t20\t4.0\n"
VISITS = (
    "Amy\tyahoo.com\t19990421\nFred\tharvard.edu\t19991104\nAmy\tcnn.com\t20070218\n"
    "Frank\tnba.com\t20070305\nFred\tberkeley.edu\t20071204\nFred\tstanford.edu\t20071206\n"
)
VISITS_PIG = (
    "visits = LOAD 'visits.txt' AS (user, url, timestamp);\n"
    "recent_visits = FILTER visits BY timestamp >= '20071201';\n"
    "historical_visits = FILTER visits BY timestamp <= '20000101';\n"
    "DUMP recent_visits;\nDUMP historical_visits;\n"
    "STORE recent_visits INTO 'recent';\nSTORE historical_visits INTO 'historical';\n"
)
DESCRIBE_TYPED = (
    "A = LOAD 'student' AS (name:chararray, age:int, gpa:float);\n"
    "B = FILTER A BY name matches 'J.+';\n"
    "C = GROUP B BY name;\n"
    "D = FOREACH C GENERATE COUNT(B.age);\n"
    "DESCRIBE A;\nDESCRIBE B;\nDESCRIBE C;\nDESCRIBE D;\n"
)
DESCRIBED = [
    "A: {name: chararray,age: int,gpa: float}",
    "B: {name: chararray,age: int,gpa: float}",
    "C: {group: chararray,B: {(name: chararray,age: int,gpa: float)}}",
    "D: {long}",
]


def test_describe_with_a_schema(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path, {"student": STUDENT})
    lines, err = grunt(tmp_path, DESCRIBE_TYPED, monkeypatch)
    assert lines == DESCRIBED and "ERROR" not in err


def test_describe_without_a_schema(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path, {"student": STUDENT})
    typed = (
        "a = LOAD 'student';\nb = FILTER a BY $0 matches 'J.+';\nc = GROUP b BY $0;\n"
        "d = FOREACH c GENERATE COUNT(b.$1);\n"
        "DESCRIBE a;\nDESCRIBE b;\nDESCRIBE c;\nDESCRIBE d;\n"
    )
    lines, _ = grunt(tmp_path, typed, monkeypatch)
    assert lines == [
        "Schema for a unknown.",
        "Schema for b unknown.",
        "c: {group: bytearray,b: {null}}",
        "d: {long}",
    ]


def test_describe_a_nested_relation(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path, {"studentab10k": STUDENT})
    typed = (
        "A = LOAD 'studentab10k' AS (name, age, gpa);\nB = GROUP A BY name;\n"
        "C = FOREACH B {\n     D = DISTINCT A.age;\n     GENERATE COUNT(D), group;}\n"
        "DESCRIBE C::D;\n"
    )
    lines, err = grunt(tmp_path, typed, monkeypatch)
    assert lines == ["D: {age: bytearray}"], err


def test_dump_after_each_statement(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path, {"student": STUDENT})
    typed = (
        "A = LOAD 'student' AS (name:chararray, age:int, gpa:float);\nDUMP A;\n"
        "B = FILTER A BY name matches 'J.+';\nDUMP B;\n"
    )
    lines, _ = grunt(tmp_path, typed, monkeypatch)
    assert lines == [
        "(John,18,4.0)",
        "(Mary,19,3.7)",
        "(Bill,20,3.9)",
        "(Joe,22,3.8)",
        "(Jill,20,4.0)",
        "(John,18,4.0)",
        "(Joe,22,3.8)",
        "(Jill,20,4.0)",
    ]


def test_describe_and_dump_in_the_default_mode(tmp_path: Path) -> None:
    write(tmp_path, {"student": STUDENT})
    script = DESCRIBE_TYPED + "E = FILTER A BY name matches 'J.+';\nDUMP E;\n"
    done = pig(["-e", script], tmp_path)  # a relative input beside the script: read from there
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:4] == DESCRIBED
    assert rows(done.stdout) == ["(John,18,4.0)", "(Joe,22,3.8)", "(Jill,20,4.0)"]


def test_explain_shows_the_logical_physical_and_mapreduce_plans(
    tmp_path: Path, monkeypatch
) -> None:
    write(tmp_path, {"student": STUDENT})
    typed = (
        "A = LOAD 'student' AS (name:chararray, age:int, gpa:float);\nB = GROUP A BY name;\n"
        "C = FOREACH B GENERATE COUNT(A.age);\nEXPLAIN C;\n"
    )
    lines, err = grunt(tmp_path, typed, monkeypatch)
    text = "\n".join(lines)
    assert "ERROR" not in err
    logical, physical, mapreduce = (
        text.index("Logical Plan:"),
        text.index("Physical Plan:"),
        text.index("Map Reduce Plan"),
    )
    assert logical < physical < mapreduce
    assert "Map Plan" in text[mapreduce:] and "Reduce Plan" in text[mapreduce:]


def illustrate_tables(lines: list[str]) -> dict[str, list[str]]:
    """ILLUSTRATE's tables by the name in their first cell: header then rows."""
    tables: dict[str, list[str]] = {}
    current: list[str] | None = None
    for ln in lines:
        if not ln.startswith("|"):
            continue
        first = ln.split("|")[1].strip()
        if first:
            current = tables.setdefault(first, [])
        if current is not None:
            current.append(ln)
    return tables


ILLUSTRATE_TYPED = (
    "visits = LOAD 'visits.txt' AS (user:chararray, url:chararray, timestamp:chararray);\n"
    "recent_visits = FILTER visits BY timestamp >= '20071201';\n"
    "user_visits = GROUP recent_visits BY user;\n"
    "num_user_visits = FOREACH user_visits GENERATE group, COUNT(recent_visits);\n"
    "DUMP num_user_visits;\n"
    "ILLUSTRATE num_user_visits;\n"
)


def test_illustrate_a_relation(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path, {"visits.txt": VISITS})
    lines, err = grunt(tmp_path, ILLUSTRATE_TYPED, monkeypatch)
    assert lines[0] == "(Fred,2)", err
    tables = illustrate_tables(lines[1:])
    assert list(tables) == ["visits", "recent_visits", "user_visits", "num_user_visits"]
    for name in ("user", "url", "timestamp"):
        assert name in tables["visits"][0]
    recent = [r.split("|")[-2] for r in tables["recent_visits"][1:]]  # the timestamps
    assert recent and all(cell.strip() >= "20071201" for cell in recent)
    [num] = tables["num_user_visits"][1:]
    assert [c.strip() for c in num.split("|")[2:4]] == ["Fred", "2"]


def test_illustrate_shows_every_field_of_each_relation(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path, {"visits.txt": VISITS})
    lines, _ = grunt(tmp_path, ILLUSTRATE_TYPED, monkeypatch)
    tables = illustrate_tables(lines[1:])
    assert "url" in tables["recent_visits"][0]
    user_visits = tables["user_visits"]
    assert "url" in user_visits[0] and "timestamp" in user_visits[0]
    assert "berkeley.edu" in user_visits[1] and "stanford.edu" in user_visits[1]


def test_exec_the_visits_script(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path, {"visits.txt": VISITS, "visits.pig": VISITS_PIG})
    lines, err = grunt(tmp_path, "exec visits.pig\n", monkeypatch)
    assert lines == [
        "(Fred,berkeley.edu,20071204)",
        "(Fred,stanford.edu,20071206)",
        "(Amy,yahoo.com,19990421)",
        "(Fred,harvard.edu,19991104)",
    ], err
    [recent] = part_files(tmp_path / "recent")
    [historical] = part_files(tmp_path / "historical")
    assert recent.read_text() == "Fred\tberkeley.edu\t20071204\nFred\tstanford.edu\t20071206\n"
    assert historical.read_text() == "Amy\tyahoo.com\t19990421\nFred\tharvard.edu\t19991104\n"


def test_illustrate_a_script(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path, {"visits.txt": VISITS, "visits.pig": VISITS_PIG})
    lines, err = grunt(tmp_path, "illustrate -script visits.pig;\n", monkeypatch)
    assert "ERROR" not in err
    tables = illustrate_tables(lines)
    assert {"visits", "recent_visits", "historical_visits"} <= set(tables)
    assert any(name.startswith("Store") for name in tables)


def test_job_summary_names_each_jobs_aliases(tmp_path: Path) -> None:
    # "Pig prints a summary of the execution that shows which relations (aliases) are
    # mapped to each MapReduce job": JobId ... Alias Feature Outputs
    write(tmp_path, {"student": STUDENT})
    script = (
        "A = LOAD 'student' AS (name:chararray, age:int, gpa:float);\nB = GROUP A BY age;\n"
        "C = FOREACH B GENERATE group, COUNT(A) AS n;\nD = ORDER C BY n;\n"
        "STORE D INTO 'sorted';\n"
    )
    done = pig(["-x", "local", "-e", script], tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    header = next(ln.split("\t") for ln in lines if ln.startswith("JobId"))
    assert header[:3] == ["JobId", "Maps", "Reduces"]
    assert header[-3:] == ["Alias", "Feature", "Outputs"]
    jobs = [
        dict(zip(header, ln.split("\t"), strict=False)) for ln in lines if ln.startswith("job_")
    ]
    group = next(j for j in jobs if "GROUP_BY" in j["Feature"])
    assert {"B", "C"} <= set(group["Alias"].split(",")) and "COMBINER" in group["Feature"]
    order = next(j for j in jobs if "ORDER_BY" in j["Feature"])
    assert "D" in order["Alias"].split(",") and order["Outputs"].rstrip(",").endswith("sorted")
