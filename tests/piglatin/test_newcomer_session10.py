"""Issue 16 re-checked at session 10's HEAD: what a newcomer still met with `pig`.

- ILLUSTRATE of a LOAD from a filesystem that cannot be opened here (``hdfs://`` without Java,
  an unknown scheme) went straight to fsspec: pyarrow's failed ``dlopen`` lines, then ``ERROR
  2999: Unexpected internal error``. DUMP and STORE of the same LOAD get Pig's ERROR 2118
  before any work (test_newcomer_locations); ILLUSTRATE reads the same inputs, so it gets the
  same check.
- A cluster set-up mistake found while the script runs (``MINIHADOOP_HOME`` pointing at a file)
  printed a clear ``ERROR 6000`` line but exited 8, Pig's status for an unexpected Throwable; the
  same kind of mistake (a state directory never formatted) exits 5, Pig's IOException status,
  as every other error of the cluster's storage does.
"""

from __future__ import annotations

import pytest

from piglatin.tools import cli

URLS = ["hdfs://host:9000/x", "viewfs://cluster/x", "s3://bucket/x", "foo://b/x"]


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    return tmp_path


def one_error(err: str) -> str:
    errors = [line for line in err.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1, err
    assert "Traceback" not in err and "dlopen" not in err and "ERROR 2999" not in err, err
    return errors[0]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("target", ["A", "B"])
def test_illustrate_of_a_load_that_cannot_be_opened(work, capfd, url, target):
    script = f"A = LOAD '{url}' AS (a:int);\nB = FILTER A BY a > 1;\nILLUSTRATE {target};\n"
    (work / "q.pig").write_text(script)
    status = cli.main(["-x", "local", "q.pig"])
    err = capfd.readouterr().err
    line = one_error(err)
    scheme = url.split(":", 1)[0]
    assert status == 6, err  # Pig's PigException status, as DUMP of the same LOAD
    assert line.startswith("ERROR 2118: ") and f'No FileSystem for scheme "{scheme}"' in line
    assert url in line and "line 1" in line


def test_illustrate_of_a_readable_load_still_shows_its_rows(work, capsys):
    (work / "in.txt").write_text("1\tx\n2\ty\n")
    (work / "q.pig").write_text("A = LOAD 'in.txt' AS (n:int, s:chararray);\nILLUSTRATE A;\n")
    assert cli.main(["-x", "local", "q.pig"]) == 0
    out = capsys.readouterr().out
    assert "| A | n:int | s:chararray |" in out and "| 2     | y" in out


def _mapreduce_status(home, monkeypatch, capfd) -> tuple[int, str]:
    monkeypatch.setenv("MINIHADOOP_HOME", str(home))
    status = cli.main(["-x", "mapreduce", "-e", "A = LOAD '/x'; DUMP A;"])
    return status, capfd.readouterr().err


def test_a_state_directory_that_is_a_file_is_an_io_error_not_a_throwable(work, monkeypatch, capfd):
    blocker = work / "a-file"
    blocker.write_text("x")
    status, err = _mapreduce_status(blocker, monkeypatch, capfd)
    line = one_error(err)
    assert "(MINIHADOOP_HOME) is not a directory" in line, err
    assert status == 5, err
    unformatted, err = _mapreduce_status(work / "never-formatted", monkeypatch, capfd)
    assert "NameNode is not formatted" in one_error(err)
    assert unformatted == status


# ---- a misspelled UDF of a REGISTERed file ------------------------------------------------------
# Pig resolves `u.name` against the functions its REGISTER found in the file and refuses an
# unknown one at build time (ERROR 1070: Could not resolve u.nosuch using imports). Here the
# job ran and every task failed with `AttributeError: module '_pig_udf_8422974512581105465' has
# no attribute 'nosuch' (at setup() of PigJob)`, ERROR 2997, exit 2.
UDFS = """\
@outputSchema("y:int")
def double(x):
    return None if x is None else 2 * x

twice = double
"""


def _run_udf_script(work, capfd, call: str) -> tuple[int, str, str]:
    (work / "udfs.py").write_text(UDFS)
    (work / "in.txt").write_text("1\tx\n2\ty\n")
    (work / "q.pig").write_text(
        "REGISTER 'udfs.py' USING jython AS u;\n"
        "A = LOAD 'in.txt' AS (n:int, s:chararray);\n"
        f"B = FOREACH A GENERATE {call}(n);\n"
        "DUMP B;\n"
    )
    status = cli.main(["-x", "local", "q.pig"])
    got = capfd.readouterr()
    return status, got.out, got.err


def test_an_unknown_function_of_a_registered_file_is_error_1070(work, capfd):
    status, out, err = _run_udf_script(work, capfd, "u.doubel")
    line = one_error(err)
    assert status == 6, err
    assert line.startswith("ERROR 1070: ") and "line 3" in line, line
    assert "Could not resolve u.doubel" in line and "Did you mean 'u.double'?" in line, line
    assert "_pig_udf_" not in err and "HadoopJobId" not in err  # refused before any job
    assert out == ""


@pytest.mark.parametrize("call", ["u.double", "u.twice"])
def test_the_functions_of_a_registered_file_still_run(work, capfd, call):
    status, out, err = _run_udf_script(work, capfd, call)
    assert status == 0, err
    assert out.splitlines() == ["(2)", "(4)"]


# ---- too many arguments for a storage function --------------------------------------------------
# Python counts `self` among a constructor's positional arguments: four arguments to PigStorage
# were reported as "PigStorage.__init__() takes from 1 to 3 positional arguments but 5 were
# given". The user wrote four, and PigStorage takes at most two (delimiter, options).
@pytest.mark.parametrize(
    ("script", "name", "count"),
    [
        ("A = LOAD 'in.txt';\nSTORE A INTO 'o' USING PigStorage('a','b','c','d');\n",
         "PigStorage", "from 0 to 2 arguments but 4 were given"),
        ("B = LOAD 'in.txt' USING TextLoader('x');\nDUMP B;\n",
         "TextLoader", "0 arguments but 1 was given"),
    ],
)  # fmt: skip
def test_too_many_arguments_are_counted_as_the_user_wrote_them(work, capfd, script, name, count):
    (work / "in.txt").write_text("1\tx\n")
    (work / "q.pig").write_text(script)
    status = cli.main(["-x", "local", "q.pig"])
    line = one_error(capfd.readouterr().err)
    assert status == 6 and line.startswith("ERROR 1200: "), line
    assert line.endswith(f"{name} takes {count}"), line
