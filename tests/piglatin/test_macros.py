"""Pig macros, as Pig Latin's Control Structures page documents them ("Pig Macros": DEFINE
(macros), expansion, IMPORT): its examples run here and give what plain Python computes over
the same rows; local aliases are renamed macro_<name>_<alias>_<n>; errors name the macro."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest

from piglatin.errors import PigError
from piglatin.launcher import PigServer

USERS = [("u1", 20, 100), ("u2", 30, 200), ("u1", 40, 300), ("u3", 30, 100)]


def session(tmp: Path) -> PigServer:
    (tmp / "users").write_text("".join(f"{u}\t{a}\t{z}\n" for u, a, z in USERS))
    return PigServer("local", cwd=tmp, out=io.StringIO())


def lines(path: Path) -> list[str]:
    out: list[str] = []
    for part in sorted(path.glob("part-*")):
        out += part.read_text().splitlines()
    return sorted(out)


def test_group_and_count_expanded_twice(tmp_path: Path) -> None:
    script = """
DEFINE group_and_count (A, group_key, reducers) RETURNS B {
   D = GROUP $A BY $group_key PARALLEL $reducers;
   $B = FOREACH D GENERATE group, COUNT($A);
};

X = LOAD 'users' AS (user, age, zip);
Y = group_and_count (X, user, 20);
Z = group_and_count (X, age, 30);
STORE Y into 'byuser';
STORE Z into 'byage';
"""
    with session(tmp_path) as pig:
        pig.register_script(script)
    by_user = Counter(u for u, _, _ in USERS)
    by_age = Counter(a for _, a, _ in USERS)
    assert lines(tmp_path / "byuser") == sorted(f"{k}\t{n}" for k, n in by_user.items())
    assert lines(tmp_path / "byage") == sorted(f"{k}\t{n}" for k, n in by_age.items())


def test_macro_without_parameters(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("1\t8\t3\n4\t2\t1\n8\t3\t4\n7\t2\t5\n")
    script = """
DEFINE my_macro() returns B {
   D = LOAD 'data' AS (a0:int, a1:int, a2:int);
   $B = FILTER D BY ($1 == 8) OR (NOT ($0+$2 > $1));
};

X = my_macro();
STORE X INTO 'output';
"""
    with session(tmp_path) as pig:
        pig.register_script(script)
    rows = [(1, 8, 3), (4, 2, 1), (8, 3, 4), (7, 2, 5)]
    want = [r for r in rows if r[1] == 8 or not (r[0] + r[2] > r[1])]
    assert lines(tmp_path / "output") == sorted("\t".join(map(str, r)) for r in want)


def test_void_macros_calling_macros_with_quoted_parameters(tmp_path: Path) -> None:
    script = """
-- A: an alias; outfile: output file path (quoted string)
DEFINE my_macro1(A, outfile) RETURNS void {
       STORE $A INTO '$outfile';
   };

DEFINE my_macro2(A, sortkey, outfile) RETURNS void {
      B = FILTER $A BY age > 25;
      C = ORDER B BY $sortkey;
      my_macro1(C, '$outfile');
   };

alpha = LOAD 'users' AS (user, age:int, zip:int);
my_macro2(alpha, 'zip', 'order_by_zip.txt');
"""
    with session(tmp_path) as pig:
        pig.register_script(script)
    want = sorted((z, u, a) for u, a, z in USERS if a > 25)
    got = (tmp_path / "order_by_zip.txt" / "part-r-00000").read_text().splitlines()
    assert [int(line.split("\t")[2]) for line in got] == [z for z, _, _ in want]


def test_macro_referring_to_a_macro_and_the_documented_names(tmp_path: Path) -> None:
    script = """
DEFINE foreach_count(A, C) RETURNS B {
   $B = FOREACH $A GENERATE group, COUNT($C);
};

DEFINE group_with_parallel (A, group_key, reducers) RETURNS B {
   C = GROUP $A BY $group_key PARALLEL $reducers;
   $B = foreach_count(C, $A);
};

X = LOAD 'users' AS (user, age, zip);
Y = group_with_parallel (X, user, 23);
STORE Y INTO 'byuser';
"""
    with session(tmp_path) as pig:
        pig.register_script(script)
        # "Because alias C is not visible from the outside it is renamed" macro_..._C_0
        assert "macro_group_with_parallel_C_0" in pig.builder.aliases
        assert "C" not in pig.builder.aliases
    want = Counter(u for u, _, _ in USERS)
    assert lines(tmp_path / "byuser") == sorted(f"{k}\t{n}" for k, n in want.items())


def test_local_aliases_do_not_collide_with_the_script(tmp_path: Path) -> None:
    script = """
DEFINE older(A, min) RETURNS R {
   B = FILTER $A BY age >= $min;
   $R = FOREACH B GENERATE user;
};
B = LOAD 'users' AS (user:chararray, age:int, zip:int);
R1 = older(B, 30);
R2 = older(B, 40);
STORE R1 INTO 'r1';
STORE R2 INTO 'r2';
STORE B INTO 'b';
"""
    with session(tmp_path) as pig:
        pig.register_script(script)
        assert {"macro_older_B_0", "macro_older_B_1"} <= set(pig.builder.aliases)
    assert lines(tmp_path / "r1") == sorted(u for u, a, _ in USERS if a >= 30)
    assert lines(tmp_path / "r2") == sorted(u for u, a, _ in USERS if a >= 40)
    assert len(lines(tmp_path / "b")) == len(USERS)


def test_import_and_macros_kept_for_the_session(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "my_macros.pig").write_text(
        "-- macros only\nDEFINE keep_user(A) RETURNS B {\n  $B = FOREACH $A GENERATE user;\n};\n"
    )
    with session(tmp_path) as pig:
        pig.register_script("IMPORT 'lib/my_macros.pig';\nX = LOAD 'users' AS (user, age, zip);")
        pig.register_script("Y = keep_user(X);\nSTORE Y INTO 'users_only';")
    assert lines(tmp_path / "users_only") == sorted(u for u, _, _ in USERS)


@pytest.mark.parametrize(
    "script, message",
    [
        (
            "DEFINE m(A, k) RETURNS B { $B = FILTER $A BY $k > 1; };\n"
            "X = LOAD 'users' AS (a:int);\nY = m(X);",
            "macro m: it takes 2 parameter",
        ),
        (
            "DEFINE m(A) RETURNS B { $B = FILTER $A BY a > 1; };\n"
            "X = LOAD 'users' AS (a:int);\nm(X);",
            "macro m: it returns 1 alias",
        ),
        (
            "DEFINE m(A) RETURNS B { $B = FILTER $A BY a > 1; };\n"
            "DEFINE m(A) RETURNS B { $B = $A; };",
            "Macro m is defined twice",
        ),
        ("IMPORT 'nowhere.pig';", "Can not find the macro file 'nowhere.pig'"),
    ],
)
def test_macro_mistakes_are_named(tmp_path: Path, script: str, message: str) -> None:
    with pytest.raises(PigError, match=message), session(tmp_path) as pig:
        pig.register_script(script)


def test_line_numbers_after_a_definition_are_the_scripts(tmp_path: Path) -> None:
    script = (
        "DEFINE m(A) RETURNS B {\n  $B = FILTER $A BY age > 1;\n};\n"
        "X = LOAD 'users' AS (user, age:int);\nY = m(X);\nZ = FOREACH Y GENERATE nosuch;\n"
    )
    with pytest.raises(PigError) as info, session(tmp_path) as pig:
        pig.register_script(script)
    assert "nosuch" in str(info.value) and info.value.line == 6


def test_macros_in_grunt_outlive_a_rejected_statement(tmp_path: Path, monkeypatch) -> None:
    from piglatin.tools.grunt import run_grunt

    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.txt").write_text("1\ta\n2\tb\n3\tc\n")
    text = (
        "DEFINE big(A, n) RETURNS B {\n  $B = FILTER $A BY x > $n;\n};\n"
        "A = LOAD 'in.txt' AS (x:int, y:chararray);\n"
        "C = FOREACH A GENERATE nosuch;\n"  # rejected: the session is rebuilt
        "D = big(A, 1);\nDUMP D;\n"
    )
    out, err = io.StringIO(), io.StringIO()
    run_grunt("local", stdin=io.StringIO(text), out=out, err=err)
    assert "(2,b)" in out.getvalue() and "(3,c)" in out.getvalue(), err.getvalue()
    assert "(1,a)" not in out.getvalue()


def test_import_along_the_search_path(tmp_path: Path) -> None:
    lib = tmp_path / "macro_lib"
    lib.mkdir()
    (lib / "users.pig").write_text("DEFINE ages(A) RETURNS B { $B = FOREACH $A GENERATE age; };\n")
    (tmp_path / "users").write_text("".join(f"{u}\t{a}\t{z}\n" for u, a, z in USERS))
    props = {"pig.import.search.path": f"/nonexistent,{lib}"}
    with PigServer("local", cwd=tmp_path, out=io.StringIO(), properties=props) as pig:
        pig.register_script(
            "IMPORT 'users.pig';\nX = LOAD 'users' AS (user, age, zip);\n"
            "Y = ages(X);\nSTORE Y INTO 'ages';"
        )
    assert lines(tmp_path / "ages") == sorted(str(a) for _, a, _ in USERS)
