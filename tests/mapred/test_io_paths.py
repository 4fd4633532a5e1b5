"""expand_inputs: files, directories, globs and Hadoop's errors, on memory:// and local paths."""

from __future__ import annotations

import uuid

import fsspec
import pytest

from dfs.conf import Configuration
from mapred.errors import InputPathError
from mapred.io import expand_braces, expand_inputs

MEM = fsspec.filesystem("memory")
CONF = Configuration(load_site=False)
FILES = ["a/part-00000", "a/part-00001", "a/_SUCCESS", "a/.crc", "a/sub/deep", "b/x.txt", "c.txt"]


@pytest.fixture(params=["memory", "local"])
def tree(request, tmp_path):
    """A root URL holding FILES; yields (root_url, url_of(name))."""
    if request.param == "memory":
        root = f"/t{uuid.uuid4().hex}"
        for name in FILES:
            MEM.pipe(f"{root}/{name}", b"data\n")
        yield f"memory://{root}", lambda name: f"memory://{root}/{name}"
        MEM.rm(root, recursive=True)
    else:
        for name in FILES:
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_bytes(b"data\n")
        yield str(tmp_path), lambda name: f"file://{tmp_path}/{name}"


def test_directory_lists_its_visible_files_non_recursively(tree):
    root, url = tree
    assert expand_inputs([f"{root}/a"], CONF) == [url("a/part-00000"), url("a/part-00001")]


def test_recursive_listing_when_asked(tree):
    root, url = tree
    conf = Configuration(
        {"mapreduce.input.fileinputformat.input.dir.recursive": "true"}, load_site=False
    )
    found = expand_inputs([f"{root}/a"], conf)
    assert found == [url("a/part-00000"), url("a/part-00001"), url("a/sub/deep")]


def test_files_and_paths_keep_their_order(tree):
    root, url = tree
    found = expand_inputs([f"{root}/c.txt", f"{root}/b"], CONF)
    assert found == [url("c.txt"), url("b/x.txt")]


def test_comma_separated_lists_like_set_input_paths(tree):
    root, url = tree
    found = expand_inputs(f"{root}/c.txt,{root}/{{a,b}}/x.txt", CONF)
    assert found == [url("c.txt"), url("b/x.txt")]
    assert expand_inputs([f"{root}/b,{root}/c.txt"], CONF) == [url("b/x.txt"), url("c.txt")]


def test_glob(tree):
    root, url = tree
    assert expand_inputs([f"{root}/a/part-*"], CONF) == [url("a/part-00000"), url("a/part-00001")]
    # a glob matching directories expands their files; hidden matches are dropped
    assert expand_inputs([f"{root}/[ab]"], CONF) == [
        url("a/part-00000"),
        url("a/part-00001"),
        url("b/x.txt"),
    ]


def test_glob_of_hidden_files_only_matches_nothing(tree):
    root, _ = tree
    with pytest.raises(InputPathError, match=r"Input Pattern .*/a/_\* matches 0 files"):
        expand_inputs([f"{root}/a/_*"], CONF)


def test_brace_alternatives(tree):
    root, url = tree
    assert expand_inputs([f"{root}/{{b,c.txt}}"], CONF) == [url("b/x.txt"), url("c.txt")]


def test_missing_path_error_is_hadoops(tree):
    root, _ = tree
    with pytest.raises(InputPathError) as info:
        expand_inputs([f"{root}/nope"], CONF)
    assert str(info.value) == f"Input path does not exist: {root}/nope"
    assert isinstance(info.value, FileNotFoundError)


def test_glob_matching_nothing(tree):
    root, _ = tree
    with pytest.raises(InputPathError) as info:
        expand_inputs([f"{root}/zz*"], CONF)
    assert str(info.value) == f"Input Pattern {root}/zz* matches 0 files"


def test_expand_braces():
    assert expand_braces("x") == ["x"]
    assert expand_braces("{a,b}{1,2}") == ["a1", "a2", "b1", "b2"]
    assert expand_braces("p{a,b{c,d}}q") == ["paq", "pbcq", "pbdq"]
    assert expand_braces("un{closed") == ["un{closed"]
