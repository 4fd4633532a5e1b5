"""What a command loads before it needs it: guards against heavy imports creeping back into
the start of `pig` and `hadoop`.

Each case imports a module (or does one step) in a fresh interpreter and lists which of a few
heavy modules it pulled in: fsspec (~0.1 s of CPU: asyncio, ssl, entry points), the embedded
MapReduce cluster (JobTracker, TaskTrackers, multiprocessing) and the DataNode's code. These
are needed once a job runs or a DFS file is opened, not to start a session, list a directory
or check whether a process is alive. A positive case checks that the probe does see a heavy
module when one is really imported, so the absences mean something.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HEAVY = (
    "fsspec",
    "asyncio",
    "mapred.embedded",
    "mapred.jobtracker",
    "mapred.tasktracker",
    "multiprocessing",
    "dfs.datanode",
    "dfs.protocol",
)


def loaded_after(code: str) -> set[str]:
    """The HEAVY modules in sys.modules after running `code` in a new interpreter."""
    report = f"import json, sys\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    probe = f"{code}\n{report}"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_the_probe_sees_a_heavy_import():
    assert {"fsspec", "asyncio"} <= loaded_after("import fsspec")
    assert {"mapred.embedded", "mapred.jobtracker"} <= loaded_after("import mapred.embedded")


@pytest.mark.parametrize(
    ("code", "must_not_load"),
    [
        # a Pig session (pig, grunt) before its first job
        ("import piglatin.launcher", HEAVY),
        # the job client's helpers (hadoop job -list asks which jobs' processes are alive)
        ("import mapred.runner", ("fsspec", "mapred.embedded", "dfs.datanode", "dfs.protocol")),
        # input/output formats: fsspec comes with the first file opened
        ("import mapred.io, mapred.output, mapred.recordfile", ("fsspec", "asyncio")),
        # is a pid alive: no daemon code
        ("from dfs.runfiles import pid_alive, process_alive", ("dfs.datanode", "dfs.protocol")),
    ],
)
def test_import_does_not_load(code, must_not_load):
    assert loaded_after(code).isdisjoint(must_not_load)


def test_a_new_pig_session_cleans_dead_sessions_without_the_cluster_code(tmp_path):
    code = (
        "import os, tempfile\n"
        "from piglatin.launcher import PigServer\n"
        f"os.environ['TMPDIR'] = {str(tmp_path)!r}; tempfile.tempdir = None\n"
        f"s = PigServer('local', cwd={str(tmp_path)!r}); s.close()"
    )
    assert loaded_after(code).isdisjoint(HEAVY)


def test_opening_a_local_file_does_not_load_fsspec_but_another_scheme_does(tmp_path):
    path = tmp_path / "in.txt"
    path.write_text("a\n")
    code = f"from mapred.io import open_input\nopen_input({str(path)!r}).close()"
    assert loaded_after(code).isdisjoint(("fsspec", "asyncio"))  # mapred.localfs serves it
    code = (
        "from mapred.io import open_input, url_to_fs\n"
        "fs, path = url_to_fs('memory://in.txt')\n"
        "fs.pipe(path, b'a')\n"
        "open_input('memory://in.txt').close()"
    )
    assert "fsspec" in loaded_after(code)


def compiled_class_code(cache: str, build_inits: bool = True) -> int:
    """How many generated functions of frozen dataclasses (their __init__ and __setattr__
    name FrozenInstanceError or call __dataclass_builtins_object__.__setattr__) a fresh
    interpreter compiles or execs as text while importing the syntax tree, the logical plan
    (their ~100 node classes), the builtin functions' table, the builder and the lexer, then
    (`build_inits`) reading the ``__init__`` of every dataclass of the tree and the plan.
    (builder.Functions is a mutable dataclass, the library's own.)"""
    probe = (
        "import builtins, piglatin.model.schema, piglatin.front.larklib\n"
        "seen = []\n"
        "real_compile, real_exec = builtins.compile, builtins.exec\n"
        "def generated(src):\n"
        "    text = src.decode() if isinstance(src, bytes) else src\n"
        "    if not (isinstance(text, str) and text.startswith('def __create_fn__')):\n"
        "        return False\n"
        "    marks = ('FrozenInstanceError', '__dataclass_builtins_object__.__setattr__(')\n"
        "    return any(mark in text for mark in marks)\n"
        "def compile_(src, *a, **k):\n"
        "    if generated(src): seen.append(src)\n"
        "    return real_compile(src, *a, **k)\n"
        "def exec_(src, *a, **k):\n"
        "    if generated(src): seen.append(src)\n"
        "    return real_exec(src, *a, **k)\n"
        "builtins.compile, builtins.exec = compile_, exec_\n"
        "import piglatin.front.ast, piglatin.plan.logical, piglatin.functions.builtins\n"
        "import piglatin.front.builder, piglatin.front.lexer\n"
        f"if {build_inits}:\n"
        "    for module in (piglatin.front.ast, piglatin.plan.logical):\n"
        "        for c in list(vars(module).values()):\n"
        "            if isinstance(c, type) and '__dataclass_fields__' in vars(c):\n"
        "                c.__init__\n"
        "print(len(seen))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "MINIHADOOP_NO_CODE_CACHE"}
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=dict(env, XDG_CACHE_HOME=cache),
    )
    assert done.returncode == 0, done.stderr
    return int(done.stdout.strip().splitlines()[-1])


def test_the_node_classes_are_built_without_compiling_code(tmp_path):
    """The standard library compiles three to six functions per frozen dataclass (~0.1 ms each,
    about 300 for these classes); frozen_dataclass shares the methods it can and loads each
    __init__ from the code cache the first run wrote."""
    first = compiled_class_code(str(tmp_path))
    assert first >= 50  # the probe sees the cold cache's compilations (one per distinct text)
    assert compiled_class_code(str(tmp_path)) == 0


def test_importing_the_node_classes_builds_no_init(tmp_path):
    """A class's __init__ is made when first read (most classes a command imports never make
    an instance): with an empty code cache, importing them compiles a few functions (the
    instances made at import, the library's own classes), reading every __init__ many more."""
    imported = compiled_class_code(str(tmp_path / "a"), build_inits=False)
    built = compiled_class_code(str(tmp_path / "b"))
    assert built >= 50 and imported <= built // 10


def _loaded(code: str, names: tuple[str, ...], env: dict[str, str]) -> tuple[list[str], str]:
    """(which of `names` are in sys.modules after running `code` in a new interpreter, what
    `code` printed)."""
    report = f"import json, sys\nprint(json.dumps([m for m in {names!r} if m in sys.modules]))"
    done = subprocess.run(
        [sys.executable, "-c", f"{code}\n{report}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    *printed, last = done.stdout.strip().splitlines()
    return json.loads(last), "\n".join(printed)


def test_a_listing_on_the_embedded_cluster_imports_no_socket_code(tmp_path):
    """`hadoop fs -ls` on the embedded cluster calls its NameNode in-process (dfs.localrpc):
    the TCP client and server (dfs.rpc, dfs.rpcserver), sockets, their thread pools and the
    handshake's hmac and hashlib (~10M instructions to import) stay out; the probe sees them
    once the TCP client is imported."""
    env = dict(os.environ, MINIHADOOP_HOME=str(tmp_path / "home"))
    for args in (["namenode", "-format"], ["fs", "-mkdir", "/d"]):
        subprocess.run(
            [sys.executable, "-m", "mapred.cli", *args], env=env, timeout=120, check=True
        )
    names = ("socket", "hashlib", "hmac", "concurrent.futures", "dfs.rpc", "dfs.rpcserver")
    listing = (
        "from mapred.cli import main\n"
        "try:\n"
        "    main(['fs', '-ls', '/'])\n"
        "except SystemExit as e:\n"
        "    assert e.code in (0, None), e.code\n"
    )
    loaded, printed = _loaded(listing, names, env)
    assert " /d\n" in printed and loaded == [], printed
    assert _loaded("import dfs.rpc", names, env)[0] == list(names)
