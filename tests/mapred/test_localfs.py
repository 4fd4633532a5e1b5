"""mapred.localfs answers as fsspec's own LocalFileSystem and fsspec.open do.

Every case asks both the same question on the same files (fsspec is the independent answer):
normalized paths for every spelling of a local URL, which URLs are local, info/ls/exists/
isdir/isfile/size on files, directories and links, the changes (makedirs, rm, mv) and the
open modes, and the same exception type and message for every failure.
"""

from __future__ import annotations

import gzip

import fsspec
import fsspec.core
import pytest
from fsspec.implementations.local import LocalFileSystem as FsspecLocal
from hypothesis import given, settings
from hypothesis import strategies as st

from mapred import localfs
from mapred.localfs import LOCAL, infer_compression, is_local, open_url, url_to_fs


def outcome(call, *args, **kwargs):
    """('ok', result) or (exception type, message)."""
    try:
        return ("ok", call(*args, **kwargs))
    except Exception as e:  # noqa: BLE001 - the failure is what is compared
        return (type(e), str(e))


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """tmp/{f.txt, d/{g.txt, sub/}, link -> f.txt, dangling -> nowhere, d.gz}; cwd = tmp."""
    (tmp_path / "f.txt").write_bytes(b"hello\nworld\n")
    (tmp_path / "d" / "sub").mkdir(parents=True)
    (tmp_path / "d" / "g.txt").write_text("g\r\nh\n")
    (tmp_path / "link").symlink_to(tmp_path / "f.txt")
    (tmp_path / "dlink").symlink_to(tmp_path / "d")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    (tmp_path / "z.gz").write_bytes(gzip.compress(b"zipped\n"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


SPELLINGS = [
    "f.txt", "./f.txt", ".", "", "d/", "d//", "/", "//", "~", "~/x", "a://b", "x:/y",
    "file:///tmp/a/", "file:/tmp/a", "file://rel/a", "file:rel", "local:///tmp/b", "local:b",
    "/tmp/./a/../b/", "../up",
]  # fmt: skip


@pytest.mark.parametrize("url", SPELLINGS)
def test_paths_are_fsspecs(tree, url):
    theirs_fs, theirs = fsspec.core.url_to_fs(url)
    ours_fs, ours = url_to_fs(url)
    assert isinstance(theirs_fs, FsspecLocal) and is_local(url)
    assert ours == theirs
    assert ours_fs.unstrip_protocol(url) == theirs_fs.unstrip_protocol(url)


@given(st.text(alphabet="/.~:af*", max_size=12))
@settings(max_examples=300, deadline=None)
def test_any_local_spelling_strips_as_fsspec(text):
    for url in (text, "file://" + text, "file:" + text, "local://" + text):
        assert LOCAL.strip_protocol(url) == FsspecLocal._strip_protocol(url)


@pytest.mark.parametrize(
    "url",
    ["memory://x", "s3://b/c", "simplecache::file:///tmp/x", "data:text/plain,hi"],
)
def test_other_schemes_go_to_fsspec(url):  # dfs:// has its own: tests/dfs/test_files.py
    def answer(to_fs):
        result = outcome(to_fs, url)
        return type(result[1][0]) if result[0] == "ok" else result  # a filesystem, or the error

    assert not is_local(url)
    assert answer(url_to_fs) == answer(fsspec.core.url_to_fs)


QUESTIONS = ["f.txt", "d", "d/sub", "link", "dlink", "dangling", "missing", "d/missing/x", "z.gz"]


@pytest.mark.parametrize("name", QUESTIONS)
def test_metadata_answers_are_fsspecs(tree, name):
    theirs = FsspecLocal()
    for url in (name, str(tree / name), "file://" + str(tree / name)):
        for method in ("info", "exists", "isdir", "isfile", "size"):
            assert outcome(getattr(LOCAL, method), url) == outcome(getattr(theirs, method), url)
        for detail in (False, True):
            ours = outcome(LOCAL.ls, url, detail=detail)
            want = outcome(theirs.ls, url, detail=detail)
            if ours[0] == "ok" and want[0] == "ok":
                key = (lambda e: e["name"]) if detail else None
                ours, want = sorted(ours[1], key=key), sorted(want[1], key=key)
            assert ours == want


@pytest.mark.parametrize(
    ("method", "args", "kwargs"),
    [
        ("makedirs", ("d",), {}),
        ("makedirs", ("d",), {"exist_ok": True}),
        ("makedirs", ("new/deep",), {}),
        ("makedirs", ("f.txt/x",), {"exist_ok": True}),
        ("rm", ("d",), {}),
        ("rm", ("d",), {"recursive": True}),
        ("rm", ("f.txt",), {}),
        ("rm", ("missing",), {}),
        ("rm", (["f.txt", "link"],), {}),
        ("rm", ("dlink",), {"recursive": True}),
        ("rm", (".",), {"recursive": True}),
        ("mv", ("d", "moved"), {"recursive": True}),
        ("mv", ("f.txt", "d"), {}),
        ("mv", ("missing", "x"), {}),
    ],
)
def test_changes_are_fsspecs(tmp_path, monkeypatch, method, args, kwargs):
    results, trees = [], []
    for name, fs in (("ours", LOCAL), ("theirs", FsspecLocal())):
        root = tmp_path / name
        root.mkdir()
        (root / "f.txt").write_text("x")
        (root / "d" / "sub").mkdir(parents=True)
        (root / "link").symlink_to(root / "f.txt")
        (root / "dlink").symlink_to(root / "d")
        monkeypatch.chdir(root)
        result = outcome(getattr(fs, method), *args, **kwargs)
        results.append(result if result[0] == "ok" else (result[0], result[1].replace(name, "")))
        trees.append(sorted(str(p.relative_to(root)) for p in root.rglob("*")))
    assert results[0] == results[1]
    assert trees[0] == trees[1]


def _read(fs_open, *args, **kwargs):
    with fs_open(*args, **kwargs) as f:
        return f.read()


def test_open_modes_are_fsspecs(tree):
    theirs = FsspecLocal()
    for fs_open in (LOCAL.open, theirs.open):
        with fs_open("d/out.bin", "wb") as f:
            f.write(b"a\r\nb\n")
    modes = [("rb", {}), ("rt", {}), ("r", {"newline": ""}), ("rt", {"encoding": "latin-1"})]
    for mode, kwargs in modes:
        for name in ("f.txt", "d/g.txt", "d/out.bin", "z.gz"):
            assert outcome(_read, LOCAL.open, name, mode, **kwargs) == outcome(
                _read, theirs.open, name, mode, **kwargs
            )
        with LOCAL.open("z.gz", "rb", compression="infer") as a:
            assert a.read() == b"zipped\n"
    for name, mode in [("missing", "rb"), ("d", "rb"), ("nodir/x", "wb")]:
        assert outcome(LOCAL.open, name, mode) == outcome(theirs.open, name, mode)
    assert outcome(LOCAL.open, "f.txt", compression="nope") == outcome(
        theirs.open, "f.txt", compression="nope"
    )


@pytest.mark.parametrize(
    ("name", "mode", "kwargs"),
    [
        ("f.txt", "rb", {}),
        ("f.txt", "rt", {}),
        ("d/g.txt", "rt", {"newline": ""}),
        ("d/g.txt", "r", {"encoding": "latin-1"}),
        ("z.gz", "rb", {"compression": "infer"}),
        ("z.gz", "rt", {"compression": "gzip"}),
        ("f.txt", "rb", {"compression": "infer"}),
        ("file:///nonexistent/x", "rb", {}),
        ("missing*", "rb", {}),
        ("d", "rb", {}),
        ("f.txt", "rb", {"compression": "nope"}),
    ],
)
def test_open_url_reads_as_fsspec_open(tree, name, mode, kwargs):
    def read(opener):
        with opener(name, mode, **kwargs) as f:
            return f.read()

    assert outcome(read, open_url) == outcome(read, lambda *a, **k: fsspec.open(*a, **k).open())


def test_open_url_writes_as_fsspec_open(tree):
    for opener, name in ((open_url, "ours"), (fsspec.open, "theirs")):
        with opener(f"{name}/new/deep/x.txt", "wt") as f:  # parents made, as fsspec.open does
            f.write("é\n")
    assert (tree / "ours/new/deep/x.txt").read_bytes() == "é\n".encode()
    assert (tree / "theirs/new/deep/x.txt").read_bytes() == "é\n".encode()


@pytest.mark.parametrize(
    "name",
    ["a.gz", "a.GZ", "a.bz2", "a.xz", "a.lzma", "a.zip", "a.zst", "a.lz4", "a.txt", "a", "gz"],
)
def test_compression_is_inferred_as_fsspec_infers_it(name):
    from fsspec.utils import infer_compression as theirs

    assert infer_compression(name) == theirs(name)
    assert localfs.is_local(name)


def test_local_files_do_not_load_fsspec(tmp_path):
    """In a fresh interpreter: a local job's file calls leave fsspec unimported."""
    import subprocess
    import sys

    code = f"""
import sys
from mapred.localfs import url_to_fs, open_url
fs, path = url_to_fs({str(tmp_path / "o")!r})
fs.makedirs(path + "/a", exist_ok=True)
with open_url("file://" + path + "/a/x.txt", "wt") as f:
    f.write("x")
assert fs.ls(path, detail=True)[0]["type"] == "directory"
fs.mv(path + "/a", path + "/b")
assert fs.exists(path + "/b/x.txt") and not fs.exists(path + "/a")
fs.rm(path, recursive=True)
print("fsspec" in sys.modules, "asyncio" in sys.modules)
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]
