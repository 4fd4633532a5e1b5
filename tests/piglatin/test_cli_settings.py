"""Bad values for count settings are refused where they are set, in one line naming the
setting (issue 14: they were `ERROR 2999: Unexpected internal error` or silently ignored)."""

from __future__ import annotations

import pytest

from piglatin.tools import cli
@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "n.txt").write_text("1\n2\n2\n")
    return tmp_path


SCRIPT = (
    "A = LOAD 'n.txt' AS (n:int); B = GROUP A BY n; C = FOREACH B GENERATE group, COUNT(A); DUMP C;"
)


@pytest.mark.parametrize(
    "args, setting",
    [
        (["-e", "set default_parallel abc; " + SCRIPT], "default_parallel"),
        (["-D", "mapreduce.job.reduces=abc", "-e", SCRIPT], "mapreduce.job.reduces"),
        (["-e", "set mapreduce.job.reduces '-2'; " + SCRIPT], "mapreduce.job.reduces"),
    ],
)
def test_a_bad_count_setting_is_one_clear_error(data, capsys, args, setting):
    status = cli.main(["-x", "local", *args])
    err = capsys.readouterr().err
    assert status != 0
    assert "ERROR 1000" in err and setting in err and "whole number" in err
    assert "Traceback" not in err and "ERROR 2999" not in err


def test_a_good_default_parallel_runs(data, capsys):
    status = cli.main(["-x", "local", "-e", "set default_parallel 3; " + SCRIPT])
    out = capsys.readouterr().out
    assert status == 0
    assert sorted(out.split()) == sorted(["(1,1)", "(2,2)"])
