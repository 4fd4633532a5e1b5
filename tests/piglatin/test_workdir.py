"""piglatin.workdir: `cd` targets and a statement's relative paths made absolute (perf.xml's
"Backward Compatibility"); expected texts written by hand."""

from __future__ import annotations

import doctest

from piglatin.front import workdir
from piglatin.front.parser import parse
from piglatin.front.workdir import absolute_paths, cd_target


def test_module_doctests() -> None:
    assert doctest.testmod(workdir).failed == 0


def test_only_relative_load_and_store_paths_move() -> None:
    text = (
        "A = LOAD 'in' AS (x);\nB = LOAD '/abs/in';\nC = LOAD 'file:///x';\n"
        "D = FILTER A BY x == 'in';\nSTORE D INTO 'it''s';\nSTORE B INTO 'hdfs://nn/out';\n"
    )
    text = text.replace("'it''s'", "'it\\'s'")
    got = absolute_paths(text, parse(text).statements, lambda p: "/top/" + p)
    assert got == text.replace("LOAD 'in'", "LOAD '/top/in'").replace(
        "INTO 'it\\'s'", "INTO '/top/it\\'s'"
    )


def test_cd_targets() -> None:
    assert cd_target("/a/b", "c", "/home") == "/a/b/c"
    assert cd_target("/a/b", "..", "/home") == "/a"
    assert cd_target("/a/b", "/x/y/", "/home") == "/x/y"
    assert cd_target("/a/b", "  ", "/home") == "/home"
    assert cd_target("/a/b", "'q'", "/home") == "/a/b/q"
