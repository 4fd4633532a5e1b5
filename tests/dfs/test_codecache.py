"""dfs.codecache: compiled texts are kept as marshal data keyed by the interpreter
build and the text; a damaged, foreign or missing file means compiling, never an error."""

from __future__ import annotations

import marshal
import sys

import pytest

from dfs import codecache
from dfs.codecache import CodeCache

TEXT = "def __create_fn__(x):\n def f(a:x)->None:\n  return a + 1\n return f\n"


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("MINIHADOOP_NO_CODE_CACHE", raising=False)
    return tmp_path


def run(code) -> int:
    scope: dict = {}
    exec(code, {}, scope)  # noqa: S102 - test text
    fn = scope["__create_fn__"](int)
    assert fn.__annotations__ == {"a": int, "return": None}  # no inherited __future__ flags
    return fn(1)


def forbid_compiling(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("compiled")

    monkeypatch.setattr(codecache, "compile", refuse, raising=False)


def test_a_saved_text_is_loaded_by_the_next_process_without_compiling(cache_home, monkeypatch):
    first = CodeCache("t")
    assert run(first.code(TEXT)) == 2
    first.save()
    assert first.path().parent == cache_home / "minihadoop"
    forbid_compiling(monkeypatch)
    again = CodeCache("t")
    code = again.code(TEXT)
    assert run(code) == 2
    assert code.co_code == compile(TEXT, "<string>", "exec", dont_inherit=True).co_code


def test_a_damaged_file_is_compiled_around_and_rewritten(cache_home):
    cache = CodeCache("t")
    cache.path().parent.mkdir(parents=True)
    cache.path().write_bytes(b"\x00not marshal data")
    assert run(cache.code(TEXT)) == 2
    cache.save()
    assert TEXT in marshal.loads(cache.path().read_bytes())


def test_entries_that_are_not_code_are_ignored(cache_home):
    cache = CodeCache("t")
    cache.path().parent.mkdir(parents=True)
    cache.path().write_bytes(marshal.dumps({TEXT: "not code", "other": 3}))
    assert run(cache.code(TEXT)) == 2


def test_another_interpreter_build_uses_another_file(cache_home, monkeypatch):
    here = CodeCache("t").path()
    monkeypatch.setattr(sys, "version", sys.version + " (another build)")
    assert CodeCache("t").path() != here


def test_the_cache_can_be_turned_off(cache_home, monkeypatch):
    monkeypatch.setenv("MINIHADOOP_NO_CODE_CACHE", "1")
    cache = CodeCache("t")
    assert run(cache.code(TEXT)) == 2
    cache.save()
    assert not cache.path().exists()


def test_an_unwritable_directory_means_no_cache(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file: no directory under it
    monkeypatch.delenv("MINIHADOOP_NO_CODE_CACHE", raising=False)
    cache = CodeCache("t")
    assert run(cache.code(TEXT)) == 2
    cache.save()  # no error
    assert not cache.path().exists()


# -- CodeFiles: one file per text ---------------------------------------------------------------
PIPE = "def batch(rows):\n    return [r * 2 for r in rows]\n"


def batch_of(code) -> list:
    scope: dict = {}
    exec(code, scope)  # noqa: S102 - test text
    return scope["batch"]([1, 2])


def test_a_pipeline_compiled_once_is_loaded_by_the_next_process(cache_home, monkeypatch):
    from dfs.codecache import CodeFiles

    first = CodeFiles("p")
    code = first.code(PIPE, "<pig pipeline batch>")
    assert batch_of(code) == [2, 4]
    assert len(list(first.directory().iterdir())) == 1
    forbid_compiling(monkeypatch)
    again = CodeFiles("p").code(PIPE, "<pig pipeline batch>")  # a new process's cache
    assert batch_of(again) == [2, 4]
    assert again.co_filename == "<pig pipeline batch>"


def test_the_file_name_is_part_of_the_key(cache_home):
    from dfs.codecache import CodeFiles

    files = CodeFiles("p")
    a = files.code(PIPE, "<pig pipeline a>")
    b = CodeFiles("p").code(PIPE, "<pig pipeline b>")
    assert (a.co_filename, b.co_filename) == ("<pig pipeline a>", "<pig pipeline b>")


def test_a_file_holding_another_key_or_damaged_is_compiled_around(cache_home):
    from dfs.codecache import CodeFiles

    files = CodeFiles("p")
    files.code(PIPE, "<pig pipeline batch>")
    (entry,) = files.directory().iterdir()
    entry.write_bytes(
        marshal.dumps(("<pig pipeline other>\0x = 1\n", compile("x = 1", "s", "exec")))
    )
    assert batch_of(CodeFiles("p").code(PIPE, "<pig pipeline batch>")) == [2, 4]
    entry.write_bytes(b"\x00garbage")
    assert batch_of(CodeFiles("p").code(PIPE, "<pig pipeline batch>")) == [2, 4]
    key, _ = marshal.loads(entry.read_bytes())  # rewritten
    assert key == f"<pig pipeline batch>\0{PIPE}"


def test_flags_apply_and_the_switch_turns_files_off(cache_home, monkeypatch):
    import __future__

    from dfs.codecache import CodeFiles

    text = "def f(a: int) -> int:\n    return a\n"
    code = CodeFiles("p", __future__.annotations.compiler_flag).code(text, "<f>")
    scope: dict = {}
    exec(code, scope)  # noqa: S102 - test text
    assert scope["f"].__annotations__ == {"a": "int", "return": "int"}
    monkeypatch.setenv("MINIHADOOP_NO_CODE_CACHE", "1")
    off = CodeFiles("q")
    off.code(text, "<f>")
    assert not off.directory().exists()


def test_the_directory_is_kept_to_its_size(cache_home, monkeypatch):
    from dfs.codecache import CodeFiles

    monkeypatch.setattr(codecache.os, "urandom", lambda n: b"\x00" * n)  # prune on every write
    files = CodeFiles("p", max_files=4)
    for i in range(9):
        files.code(f"x = {i}\n", "<t>")
    assert len(list(files.directory().iterdir())) <= 4
