"""Pig 0.17's Control Structures page (cont.xml): parameter substitution (-param,
-param_file, %declare, %default, back-tick commands, precedence, escapes, -dryrun, exec/run
with parameters, parameters anywhere in a statement), the macro examples, and embedded Pig,
which minihadoop refuses with a message (a Python file given as the script)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.piglatin.docrun import STUDENT, grunt, pig, rows, write

MYDATA = "1\t2\t3\n4\t2\t1\n8\t3\t4\n"
MYSCRIPT = "A = LOAD '$data' USING PigStorage() AS (f1:int, f2:int, f3:int);\nDUMP A;\n"
DOC_ROWS = ["(1,2,3)", "(4,2,1)", "(8,3,4)"]


def run_local(tmp: Path, files: dict[str, str], args: list[str]):
    write(tmp, files)
    return pig(["-x", "local", *args], tmp)


def test_parameter_on_the_command_line(tmp_path: Path) -> None:
    # "$ pig –param data=mydata myscript.pig"
    done = run_local(
        tmp_path,
        {"mydata": MYDATA, "myscript.pig": MYSCRIPT},
        ["-param", "data=mydata", "myscript.pig"],
    )
    assert done.returncode == 0, done.stderr
    assert rows(done.stdout) == DOC_ROWS


def test_parameter_on_the_command_line_in_the_default_mode(tmp_path: Path) -> None:
    write(tmp_path, {"mydata": MYDATA, "myscript.pig": MYSCRIPT})
    done = pig(["-param", "data=mydata", "myscript.pig"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert rows(done.stdout) == DOC_ROWS


def test_a_parameter_without_a_value_is_an_error(tmp_path: Path) -> None:
    # "If the script has a parameter and no value is supplied or substituted, an error will
    # result"
    done = run_local(tmp_path, {"mydata": MYDATA, "myscript.pig": MYSCRIPT}, ["myscript.pig"])
    assert done.returncode != 0 and rows(done.stdout) == []
    assert "ERROR" in done.stderr and "data" in done.stderr and "Traceback" not in done.stderr


def test_an_unused_parameter_is_ignored_and_the_last_value_wins(tmp_path: Path) -> None:
    # "If you pass a parameter to a script that the script does not use, this parameter is
    # silently ignored"; "If the same parameter is specified multiple times, the last value
    # will be used and a warning will be generated"
    args = ["-param", "data=nothere", "-param", "data=mydata", "-param", "unused=1", "myscript.pig"]
    done = run_local(tmp_path, {"mydata": MYDATA, "myscript.pig": MYSCRIPT}, args)
    assert done.returncode == 0, done.stderr
    assert rows(done.stdout) == DOC_ROWS
    warnings = [ln for ln in done.stderr.splitlines() if "WARN" in ln]
    assert any("data" in ln for ln in warnings) and not any("unused" in ln for ln in warnings)


def test_parameter_file_with_comments_blank_lines_and_a_command(tmp_path: Path) -> None:
    # myparams: "# my parameters", "data1 = mydata1", "cmd = `generate_name`"
    files = {
        "mydata1": MYDATA,
        "myparams": "# my parameters\n\ndata1 = mydata1\ncmd = `echo generated`\n",
        "script2.pig": (
            "A = LOAD '$data1' AS (f1:int);\nB = FOREACH A GENERATE f1, '$cmd';\nDUMP B;\n"
        ),
    }
    done = run_local(tmp_path, files, ["-param_file", "myparams", "script2.pig"])
    assert done.returncode == 0, done.stderr
    assert rows(done.stdout) == ["(1,generated)", "(4,generated)", "(8,generated)"]


def test_parameter_files_and_command_line_precedence(tmp_path: Path) -> None:
    # the value from the last file wins; command line parameters take precedence
    files = {
        "mydata": MYDATA,
        "f1": "v = one\n",
        "f2": "v = two\n",
        "s.pig": (
            "A = LOAD 'mydata' AS (f1:int);\nB = LIMIT A 1;\n"
            "C = FOREACH B GENERATE '$v';\nDUMP C;\n"
        ),
    }
    done = run_local(tmp_path, files, ["-param_file", "f1", "-param_file", "f2", "s.pig"])
    assert rows(done.stdout) == ["(two)"], done.stderr
    done = run_local(tmp_path, {}, ["-param_file", "f2", "-param", "v=cli", "s.pig"])
    assert rows(done.stdout) == ["(cli)"], done.stderr


DECLARE_SCRIPT = (
    "%default DATE '20090101';\n"
    "%declare DES 'Joe\\'s URL';\n"
    "A = LOAD 'data' AS (name, description, url);\n"
    "B = FILTER A BY description == '$DES';\n"
    "C = FOREACH B GENERATE name, '$DATE';\n"
    "DUMP C;\n"
)
DECLARE_DATA = "joe\tJoe's URL\thttp://j\nann\tAnn's URL\thttp://a\n"


def test_default_and_declare_with_an_escaped_quote(tmp_path: Path) -> None:
    done = run_local(tmp_path, {"data": DECLARE_DATA, "s.pig": DECLARE_SCRIPT}, ["s.pig"])
    assert done.returncode == 0, done.stderr
    assert rows(done.stdout) == ["(joe,20090101)"]


def test_precedence_declare_over_command_line_over_default(tmp_path: Path) -> None:
    # "Highest - parameters defined using the declare statement; Next - parameters defined
    # in the command line; Lowest - parameters defined in a script" (%default)
    files = {"data": DECLARE_DATA, "s.pig": DECLARE_SCRIPT}
    done = run_local(
        tmp_path, files, ["-param", "DATE=20110101", "-param", "DES=Ann's URL", "s.pig"]
    )
    assert rows(done.stdout) == ["(joe,20110101)"], done.stderr


def test_declare_in_terms_of_other_parameters_and_as_a_command(tmp_path: Path) -> None:
    # "%declare CMD '$mycmd $date'": the value expressed in terms of other parameters; a
    # value in back ticks is a command whose stdout is the value
    script = (
        "%declare CMD '$mycmd $date';\n"
        "%declare OUT `echo $date | cut -c1-4`;\n"
        "A = LOAD 'mydata' AS (f1:int);\nB = FILTER A BY f1 == 8;\n"
        "C = FOREACH B GENERATE '$CMD', '$OUT';\nDUMP C;\n"
    )
    args = ["-param", "mycmd=gen", "-param", "date=20090101", "s.pig"]
    done = run_local(tmp_path, {"mydata": MYDATA, "s.pig": script}, args)
    assert rows(done.stdout) == ["(gen 20090101,2009)"], done.stderr


def test_declare_scope_runs_to_the_next_declare(tmp_path: Path) -> None:
    script = (
        "%declare X 'first';\nA = LOAD 'mydata' AS (f1:int);\nB = FILTER A BY f1 == 1;\n"
        "C = FOREACH B GENERATE '$X';\n%declare X 'second';\n"
        "D = FOREACH C GENERATE $0, '$X';\nDUMP D;\n"
    )
    done = run_local(tmp_path, {"mydata": MYDATA, "s.pig": script}, ["s.pig"])
    assert rows(done.stdout) == ["(first,second)"], done.stderr


def test_an_escaped_dollar_is_not_substituted(tmp_path: Path) -> None:
    script = (
        "%default X 'x';\nA = LOAD 'mydata' AS (f1:int);\nB = FILTER A BY f1 == 1;\n"
        "C = FOREACH B GENERATE '\\$X', '$X';\nDUMP C;\n"
    )
    done = run_local(tmp_path, {"mydata": MYDATA, "s.pig": script}, ["s.pig"])
    assert rows(done.stdout) == ["($X,x)"], done.stderr


def test_parameters_anywhere_in_a_statement(tmp_path: Path) -> None:
    # test.xml's top_queries.pig: `LIMIT queries_ordered $n;`, run with n=2
    script = (
        "data =\n    LOAD 'input'\n    AS (query:CHARARRAY);\n\n"
        "queries_group =\n    GROUP data\n    BY query;\n\n"
        "queries_count =\n    FOREACH queries_group\n    GENERATE\n"
        "        group AS query,\n        COUNT(data) AS total;\n\n"
        "queries_ordered =\n    ORDER queries_count\n    BY total DESC, query;\n\n"
        "queries_limit =\n    LIMIT queries_ordered $n;\n\n"
        "STORE queries_limit INTO 'output';\n"
    )
    queries = "yahoo\nyahoo\nyahoo\ntwitter\nfacebook\nfacebook\nlinkedin\n"
    done = run_local(
        tmp_path,
        {"input": queries, "top_queries.pig": script},
        ["-param", "n=2", "top_queries.pig"],
    )
    assert done.returncode == 0, done.stderr
    [part] = sorted((tmp_path / "output").glob("part-*"))
    assert part.read_text() == "yahoo\t3\nfacebook\t2\n"  # the page's (yahoo,3), (facebook,2)


def test_dryrun_does_not_run_the_script(tmp_path: Path) -> None:
    files = {"mydata": MYDATA, "s.pig": "A = LOAD '$data' AS (f1:int);\nSTORE A INTO 'out';\n"}
    done = run_local(tmp_path, files, ["-dryrun", "-param", "data=mydata", "s.pig"])
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "out").exists()


def test_dryrun_writes_the_substituted_script(tmp_path: Path) -> None:
    files = {"mydata": MYDATA, "s.pig": "A = LOAD '$data' AS (f1:int);\nSTORE A INTO 'out';\n"}
    done = run_local(tmp_path, files, ["-dryrun", "-param", "data=mydata", "s.pig"])
    text = (tmp_path / "s.pig.substituted").read_text()
    assert "LOAD 'mydata'" in text and "$data" not in text
    # Pig's Main logs where the file went (INFO, on the console)
    assert "Dry run completed. Substituted pig script is at s.pig.substituted" in done.stderr


def test_exec_and_run_with_a_parameter_file(tmp_path: Path, monkeypatch) -> None:
    # cmds.xml: exec/run [–param_file file_name]; parameters in files as on the command line
    files = {
        "student": STUDENT,
        "p.txt": "# who\nwho = luke\n",
        "s.pig": (
            "a = LOAD 'student' AS (name, age, gpa);\nb = FILTER a BY name == '$who';\nDUMP b;\n"
        ),
    }
    write(tmp_path, files)
    lines, err = grunt(
        tmp_path, "exec -param_file p.txt s.pig\nrun -param_file p.txt s.pig\n", monkeypatch
    )
    assert lines == ["(luke,18,4.00)", "(luke,18,4.00)"], err


def test_macros_with_parameters_and_returns(tmp_path: Path) -> None:
    script = (
        "DEFINE group_and_count (A, group_key, reducers) RETURNS B {\n"
        "   D = GROUP $A BY $group_key PARALLEL $reducers;\n"
        "   $B = FOREACH D GENERATE group, COUNT($A);\n};\n"
        "X = LOAD 'users' AS (user, age, zip);\n"
        "Y = group_and_count (X, user, 20);\nZ = group_and_count (X, age, 30);\n"
        "STORE Y into 'byuser';\nSTORE Z into 'byage';\n"
    )
    users = "u1\t20\t9\nu2\t30\t9\nu1\t30\t8\n"
    done = run_local(tmp_path, {"users": users, "s.pig": script}, ["s.pig"])
    assert done.returncode == 0, done.stderr

    def stored(name: str) -> list[str]:
        return sorted(
            ln for p in (tmp_path / name).glob("part-*") for ln in p.read_text().splitlines()
        )

    assert stored("byuser") == ["u1\t2", "u2\t1"]
    assert stored("byage") == ["20\t1", "30\t2"]


def test_macro_calling_a_macro_and_a_void_macro(tmp_path: Path) -> None:
    script = (
        "DEFINE foreach_count(A, C) RETURNS B {\n"
        "   $B = FOREACH $A GENERATE group, COUNT($C);\n};\n"
        "DEFINE group_with_parallel (A, group_key, reducers) RETURNS B {\n"
        "   C = GROUP $A BY $group_key PARALLEL $reducers;\n"
        "   $B = foreach_count(C, $A);\n};\n"
        "DEFINE my_macro(A, sortkey) RETURNS void {\n"
        "      C = ORDER $A BY $sortkey;\n      STORE C INTO 'my_output';\n};\n"
        "X = LOAD 'users' AS (user, age, zip);\n"
        "Y = group_with_parallel (X, user, 23);\nDUMP Y;\n"
        "my_macro(X, 'user');\n"
    )
    users = "u1\t20\t9\nu2\t30\t9\nu1\t30\t8\n"
    done = run_local(tmp_path, {"users": users, "s.pig": script}, ["s.pig"])
    assert done.returncode == 0, done.stderr
    assert sorted(rows(done.stdout)) == ["(u1,2)", "(u2,1)"]
    [part] = sorted((tmp_path / "my_output").glob("part-*"))
    assert part.read_text().splitlines()[-1] == "u2\t30\t9"


def test_macro_name_collision_is_an_error(tmp_path: Path) -> None:
    # "Pig will throw an exception when name collision is detected" (AliasMasker.g)
    script = (
        "DEFINE my_macro(A, sortkey) RETURNS E {\n"
        "      B = FILTER $A BY $0 is not null;\n      C = ORDER B BY $sortkey;\n"
        "      D = LOAD 'in' as (B:bag{});\n   $E = FOREACH D GENERATE COUNT(B);\n   };\n"
        "X = LOAD 'users';\nY = my_macro(X, $0);\nDUMP Y;\n"
    )
    done = run_local(tmp_path, {"users": "u1\n", "in": "{(1),(2)}\n", "s.pig": script}, ["s.pig"])
    assert done.returncode != 0 and "ERROR" in done.stderr
    assert "conflicts with alias name: B" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("name", ["myembedded.py", "myembedded.js"])
def test_embedded_pig_is_refused_clearly(tmp_path: Path, name: str) -> None:
    # "$ pig myembedded.py": embedding is not supported; the refusal names the file
    body = (
        "#!/usr/bin/python\nfrom org.apache.pig.scripting import Pig\n"
        "P = Pig.compile(\"a = load '$in'; store a into '$out';\")\n"
    )
    done = run_local(tmp_path, {name: body}, [name])
    assert done.returncode != 0
    err = done.stderr.strip()
    assert err.startswith("ERROR") and name in err and "Traceback" not in err
    assert len(err.splitlines()) <= 3
