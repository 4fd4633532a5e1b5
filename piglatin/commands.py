"""Pig's shell-like statements: `fs` (and grunt's ls/cat/mkdir/... shortcuts), `sh`, `exec`
and `run`.

Owns: running those statements for a `launcher.PigServer` session — `run` shares the session
(its aliases stay defined), `exec` runs a separate session; `fs` runs `hadoop fs` on the DFS (on
local files, a few commands, in local mode). Must not touch: building or running plans.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path
from typing import Any

from piglatin.errors import PigError

__all__ = ["fs", "run_command"]


def run_command(server: Any, kind: str, args: str) -> None:
    """`fs ...` (and grunt's ls/cat/mkdir/... shortcuts), `sh`, `exec` and `run`."""
    import shlex

    if kind in ("exec", "run"):
        from piglatin.front.preprocess import load_param_files, parse_run_args

        params, files, script = parse_run_args(args)
        if script is None:
            raise PigError(f"{kind} needs a script file", code=1000)
        path = server.local_path(script)
        text = Path(path).read_text(encoding="utf-8")
        params = {**load_param_files(files), **params} if files else params
        if kind == "run":  # same session: its aliases stay defined
            server.register_script(text, params, filename=path)
            return
        with type(server)(
            server.exec_type,
            cwd=server.cwd,
            out=server.out,
            properties=server.properties,
        ) as child:
            child.register_script(text, params, filename=path)
        return
    if kind == "sh":
        import subprocess

        done = subprocess.run(
            args,
            shell=True,
            capture_output=True,
            text=True,
            cwd=server.cwd,
            check=False,
        )
        server.out.write(done.stdout)
        return
    argv = shlex.split(args)
    if kind != "fs":
        argv = ["-" + kind, *argv]
    fs(server, argv)


def fs(server: Any, argv: list[str]) -> int:
    """One `hadoop fs` command on the session's filesystem (the DFS; in local mode a few
    commands on local files); output to `out`."""
    buf, err = io.BytesIO(), io.StringIO()
    if server.exec_type == "local":
        argv = [
            argv[0],
            *[a if a.startswith("-") else server.local_path(a) for a in argv[1:]],
        ]
        status = _local_fs(argv, buf, err)
    else:
        from dfs.cluster import connect
        from dfs.shell import FsShell

        status = FsShell(lambda: connect(None), out=buf, err=err).run(argv)
    server.out.write(buf.getvalue().decode("utf-8", "replace"))
    if status:
        raise PigError(
            f"fs command {' '.join(argv)} failed: {err.getvalue().strip()}",
            code=2999,
        )
    return status


def _local_fs(argv: list[str], buf: io.BytesIO, err: io.StringIO) -> int:
    cmd, paths = argv[0].lstrip("-"), [a for a in argv[1:] if not a.startswith("-")]
    try:
        for p in paths:
            if cmd == "ls":
                buf.writelines(
                    (os.path.join(p, name) if os.path.isdir(p) else p).encode() + b"\n"
                    for name in (sorted(os.listdir(p)) if os.path.isdir(p) else [p])
                )
            elif cmd == "cat":
                buf.write(Path(p).read_bytes())
            elif cmd == "mkdir":
                os.makedirs(p, exist_ok=True)
            elif cmd in ("rm", "rmr", "rmf"):
                if os.path.isdir(p):
                    shutil.rmtree(p)
                elif os.path.exists(p) or cmd != "rmf":
                    os.remove(p)
            else:
                err.write(f"-{cmd}: not available in local mode\n")
                return 1
    except OSError as e:
        err.write(f"-{cmd}: {e}\n")
        return 1
    return 0
