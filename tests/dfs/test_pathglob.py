"""Glob expansion over a fake directory tree, checked against fnmatch and hand-written answers."""

from __future__ import annotations

import fnmatch
import posixpath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dfs.pathglob import component_regex, expand_braces, glob, has_glob, join, unescape

TREE = {
    "/": ["data", "logs", ".hidden", "a*b"],
    "/data": ["part-00000", "part-00001", "part-00010", "_SUCCESS", "sub"],
    "/data/sub": ["x.txt", "y.csv"],
    "/logs": ["2024-01-01.log", "2024-02-01.log", "2025-01-01.log"],
    "/.hidden": [],
    "/a*b": [],
}
FILES = {"/data/part-00000", "/data/part-00001", "/data/part-00010", "/data/_SUCCESS",
         "/data/sub/x.txt", "/data/sub/y.csv", "/logs/2024-01-01.log", "/logs/2024-02-01.log",
         "/logs/2025-01-01.log"}


def _key(path: str) -> str:
    """The tree key of a test path: drop ``dfs://authority``, normalize."""
    if "://" in path:
        rest = path.split("://", 1)[1]
        path = rest[rest.find("/"):] if "/" in rest else "/"
    return posixpath.normpath(path) if path not in ("", "/") else "/"


def list_names(path: str) -> list[str]:
    if _key(path) not in TREE:
        raise FileNotFoundError(path)
    return list(TREE[_key(path)])


def exists(path: str) -> bool:
    return _key(path) in TREE or _key(path) in FILES


def g(pattern: str) -> list[str]:
    return glob(pattern, list_names, exists)


@pytest.mark.parametrize("pattern, expected", [
    ("/data/part-*", ["/data/part-00000", "/data/part-00001", "/data/part-00010"]),
    ("/data/part-0000?", ["/data/part-00000", "/data/part-00001"]),
    ("/data/part-000[01]0", ["/data/part-00000", "/data/part-00010"]),
    ("/data/part-0000[^0]", ["/data/part-00001"]),
    ("/data/part-0000[!0]", ["/data/part-00001"]),
    ("/logs/{2024-01,2025-01}-01.log", ["/logs/2024-01-01.log", "/logs/2025-01-01.log"]),
    ("/logs/202{4,5}-0[1-2]-*", ["/logs/2024-01-01.log", "/logs/2024-02-01.log",
                                  "/logs/2025-01-01.log"]),
    ("/*/sub/*.{txt,csv}", ["/data/sub/x.txt", "/data/sub/y.csv"]),
    ("/{data/sub,logs}/x*", ["/data/sub/x.txt"]),  # a brace alternative may span '/'
    ("/*", ["/.hidden", "/a*b", "/data", "/logs"]),  # '*' matches dot names in HDFS
    ("/a\\*b", ["/a*b"]),  # an escaped wildcard is a literal
    ("/data/nothing*", []),
    ("/nodir/*", []),
    ("/data/part-00000/*", []),  # a file has no children
    ("/data/sub", ["/data/sub"]),
    ("/missing", []),
    ("dfs:///data/sub/*", ["dfs:///data/sub/x.txt", "dfs:///data/sub/y.csv"]),
])
def test_glob_cases(pattern, expected):
    assert g(pattern) == expected


def test_relative_patterns_keep_their_spelling():
    tree = {".": ["a1", "a2", "b"], "a1": ["f"], "a2": [], "b": []}

    def names(p):
        return tree[p]

    assert glob("a*", names, lambda p: p in tree) == ["a1", "a2"]
    assert glob("a*/f", names, lambda p: p in tree or p == "a1/f") == ["a1/f"]


def test_helpers():
    assert expand_braces("{a,b}{1,2}") == ["a1", "a2", "b1", "b2"]
    assert expand_braces("x{a,{b,c}}y") == ["xay", "xby", "xcy"]
    assert expand_braces(r"a\{b,c}") == [r"a\{b,c}"]
    with pytest.raises(ValueError):
        expand_braces("/a/{b,c")
    assert has_glob("/a/[x]") and not has_glob(r"/a/\[x]")
    assert unescape(r"a\*b\?") == "a*b?"
    assert join("/", "x") == "/x" and join("/a", "x") == "/a/x" and join(".", "x") == "x"
    assert component_regex("*.log").fullmatch("a.log")
    assert not component_regex("*.log").fullmatch("a.log.gz")
    assert component_regex("a.b").fullmatch("a.b") and not component_regex("a.b").fullmatch("axb")


NAME = st.text(alphabet="abcxyz019.-_", min_size=1, max_size=6)
PIECE = st.one_of(st.sampled_from(["*", "?", "[abc]", "[0-9]", "[a-y]"]),
                  st.text(alphabet="abcxyz019.-_", min_size=1, max_size=3))


@settings(max_examples=200, deadline=None)
@given(names=st.sets(NAME, max_size=12), pieces=st.lists(PIECE, min_size=1, max_size=4))
def test_component_matching_agrees_with_fnmatch(names, pieces):
    """For patterns fnmatch also understands, one directory level selects exactly the names
    fnmatch selects (fnmatch never crosses '/' here: names hold none)."""
    pattern = "".join(pieces)
    tree = {"/": sorted(names)}
    got = glob("/" + pattern, lambda p: tree.get(p, []), lambda p: p == "/" or p[1:] in names)
    expected = sorted("/" + n for n in names if fnmatch.fnmatchcase(n, pattern))
    assert got == expected
