"""Pig's shell-like statements: `fs`; `ls`, `cat`, `mkdir`, `rm`, `rmf`, `cp`, `mv`,
`copyFromLocal` and `copyToLocal` (Pig's own: GruntParser.processLS, processCat, processMkdir,
processRemove, processCopy, processMove, processCopyFromLocal/ToLocal), `sh`, `cd`, `pwd`,
`exec`, `run`, `set` alone, `help`, `history`, `clear` and `kill`; and the client-side check of
a REGISTERed Python file.

Owns: running those statements for a `launcher.PigServer` session, in a script as Pig's
GruntParser runs them for a script's lines and typed ones alike (grunt.py uses the same
`print_properties`, `HELP` and `kill_job`) — `run` shares the session (its aliases stay
defined), `exec` runs a separate session (its jobs count in this one's summary and exit
status); `fs` runs `hadoop fs` on the DFS (on local files in local mode: the copies here,
-ls -cat -text -mkdir -rm -rmdir -test -touchz -tail -head -count -stat -du through dfs.shell's
FsShell over piglatin.commands.localshell's client). A command that fails (an `sh` command's
non-zero exit, an `fs` command's error) raises CommandFailedError naming it and its own message, as
Pig's "sh command '...' failed" (a script stops there; grunt reports it and goes on).
`check_udf_file` (functions.udf's, re-exported) loads a REGISTERed Python file once in the
client, as Pig evaluates a Jython script at REGISTER; `check_storage_funcs` instantiates a plan's
LOAD and STORE functions in the client before its jobs run, as Pig does when it builds the
plan. Must not touch: building or running plans.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path
from typing import Any

from dfs.lazyre import LazyRegex
from piglatin.errors import CommandFailedError, PigError
from piglatin.functions.udf import check_udf_file  # REGISTER's check, here for the launcher

__all__ = [
    "HELP",
    "check_storage_funcs",
    "check_udf_file",
    "fs",
    "history",
    "kill_job",
    "print_properties",
    "run_command",
]


def run_command(server: Any, kind: str, args: str) -> None:
    """`fs ...`, Pig's own file commands, `sh`, `exec` and `run`."""
    import shlex

    if kind in ("exec", "run"):
        from piglatin.front.preprocess import load_param_files, parse_run_args

        params, files, script = parse_run_args(args)
        if script is None and kind == "exec" and not (params or files):
            return  # a bare EXEC: a barrier; the launcher ran every statement before it
        if script is None:
            raise PigError(f"{kind} needs a script file", code=1000)
        path = server.local_path(script)
        if not os.path.isfile(path):
            raise PigError(
                f"{kind}: script file '{script}' does not exist"
                f"{'' if script == path else f' (looked for {path})'}",
                code=101,
            )
        text = Path(path).read_text(encoding="utf-8")
        params = {**load_param_files(files), **params} if files else params
        if kind == "run":  # same session: its aliases stay defined
            server.register_script(text, params, filename=path)
            return
        _exec(server, text, params, path)
        return
    if kind in _OWN:
        _OWN[kind](server, args)
        return
    argv = shlex.split(args)
    fs(server, argv if kind == "fs" else ["-" + kind, *argv])


def _exec(server: Any, text: str, params: dict[str, str], path: str) -> None:
    """`exec script`: a separate session (Pig's new batch); its jobs are the run's jobs (in
    the summary), and a failed one is this session's failed job (the script goes on)."""
    from piglatin.errors import JobFailedError

    with type(server)(
        server.exec_type,
        cwd=server.cwd,
        out=server.out,
        properties=server.properties,
        progress=server.progress,
        on_job=server.on_job,
        on_job_start=server.on_job_start,
    ) as child:
        try:
            child.register_script(text, params, filename=path)
        except JobFailedError as e:
            server.job_failed(e)
        finally:
            server.stats.extend(child.stats)


def print_properties(server: Any, args: str = "") -> None:
    """`set` alone (Pig's GruntParser.processSet()): every property of the session as
    key=value, sorted by that text (Pig then lists the JVM's system properties with a
    ``system: `` prefix; a Python session has none)."""
    for line in sorted(f"{k}={v}" for k, v in server.properties.items()):
        server.print(line)


def _pwd(server: Any, args: str) -> None:
    server.print(server.working_dir())  # Pig's processPWD: the active directory


def _help(server: Any, args: str) -> None:
    server.out.write(HELP)


def _clear(server: Any, args: str) -> None:
    server.out.write("\033[H\033[2J")


#: the statements Pig keeps in its history (those GruntParser hands to PigServer.registerQuery)
_NOT_HISTORY = ("Dump", "Describe", "Explain", "Illustrate", "SetStmt", "Register", "Command")


def history(server: Any) -> list[str]:
    """The Pig Latin statements the session has run (Pig's PigServer.printHistory: the
    queries, not DUMP/DESCRIBE/EXPLAIN/ILLUSTRATE, SET, REGISTER or shell commands), each
    as its source text."""
    from piglatin.front.parser import parse

    out = []
    for chunk in server.chunks:
        source, file = chunk[0], chunk[1]
        statements = parse(source, file).statements
        start, end = (chunk[2], chunk[3]) if len(chunk) >= 4 else (0, len(statements))
        lines = source.splitlines(keepends=True)
        offsets = [0]
        for line in lines:
            offsets.append(offsets[-1] + len(line))
        where = [offsets[st.line - 1] + st.column - 1 for st in statements] + [len(source)]
        for i in range(start, end):
            if type(statements[i]).__name__ not in _NOT_HISTORY:
                out.append(_statement_text(source[where[i] : where[i + 1]]))
    return out


def _statement_text(text: str) -> str:
    """A statement's source up to its final `;`, without the comments and blank lines that
    follow it (the source between two statements' starts)."""
    kept = [ln for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("--")]
    text = "\n".join(kept).strip()
    end = text.rfind(";")
    return text[: end + 1] if end >= 0 else text


def _history(server: Any, args: str) -> None:
    numbered = args.strip() != "-n"  # history -n: without line numbers
    for n, stmt in enumerate(history(server), 1):
        server.print(f"{n}   {stmt}" if numbered else stmt)


def kill_job(server: Any, args: str) -> None:
    """`kill job_...` (Pig's processKill): as `hadoop job -kill`."""
    import contextlib
    import sys

    from dfs.conf import Configuration
    from mapred.jobclient import job_main

    job_id = args.strip()
    if not job_id.startswith("job_") or " " in job_id:
        raise CommandFailedError("kill: give the job's id, e.g. kill job_local1234_0001")
    with contextlib.redirect_stdout(server.out):  # an unknown job: the client's answer, and
        job_main(Configuration({}), ["-kill", job_id])  # the script goes on (Pig's killJob)
    sys.stdout.flush()


def _sh(server: Any, args: str) -> None:
    """`sh cmd`: its output to the session's `out`, its errors to stderr, as Pig's
    StreamPrinters; a non-zero exit is a failure (Pig's "sh command '...' failed")."""
    import subprocess
    import sys

    if not args.strip():
        raise CommandFailedError("sh needs a shell command, e.g. sh ls -l")
    done = subprocess.run(
        args, shell=True, capture_output=True, text=True, cwd=server.cwd, check=False
    )
    server.out.write(done.stdout)
    sys.stderr.write(done.stderr)
    if done.returncode:
        raise CommandFailedError(
            f"sh command '{args}' failed with exit status {done.returncode}"
            f"{_last_line(done.stderr)}"
        )


def _last_line(text: str) -> str:
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return f": {lines[-1].strip()}" if lines else ""


def _cd(server: Any, args: str) -> None:
    server.change_dir(args)  # Pig's GruntParser.processCD, in a script as in grunt


def _element(server: Any, kind: str, args: str) -> tuple[Any, str, str]:
    """(filesystem, path, the qualified name Pig prints) of `ls`/`cat`/`mkdir`'s one path
    argument (`ls` without one: the current directory, as processLS's active container)."""
    import shlex

    argv = shlex.split(args)
    if len(argv) > 1 or (kind != "ls" and not argv):
        at_most = "a path at most" if kind == "ls" else "one path"
        raise CommandFailedError(f"{kind} takes {at_most}, e.g. {kind} out")
    return _resolve(server, argv[0] if argv else "")


def _resolve(server: Any, given: str) -> tuple[Any, str, str]:
    """(filesystem, path, qualified name) of a path Pig's own commands take: local files in
    local mode, else the DFS; relative to the directory a `cd` went to ("": that directory)."""
    from mapred.localfs import url_to_fs

    if server.exec_type == "local":
        given = url_to_fs(given)[1] if given.startswith("file:") else given
        full = os.path.abspath(server.local_path(given) if given else server.cwd)
        return (*url_to_fs(full), "file:" + full)
    from piglatin.front.workdir import cd_target

    home = f"/user/{_user()}"
    full = cd_target(server.dfs_cwd or home, given.removeprefix("dfs://") or ".", home)
    return (*url_to_fs("dfs://" + full), "dfs://" + full)


def _remove(server: Any, args: str, force: bool) -> None:
    """Pig's GruntParser.processRemove (`rm`; `rmf`: force): each path deleted with what is
    under it (FileSystem.delete: not into the trash), silently; a missing one is an error
    unless forced."""
    import shlex

    paths = shlex.split(args)
    if not paths:
        raise CommandFailedError(f"{'rmf' if force else 'rm'} needs a path, e.g. rm out")
    for given in paths:
        fs, path, _shown = _resolve(server, given)
        if fs.exists(path):
            fs.rm(path, recursive=True)
        elif not force:
            raise CommandFailedError(f"File or directory {given} does not exist.")


def _copy_command(kind: str) -> Any:
    """Pig's processCopy (cp), processMove (mv), processCopyFromLocal, processCopyToLocal:
    `kind SRC DST` on the session's filesystem (local files for copyFromLocal's SRC and
    copyToLocal's DST), silently; a missing SRC is 'File or directory SRC does not exist.'."""

    def run(server: Any, args: str) -> None:
        import shlex

        argv = shlex.split(args)
        if len(argv) != 2:
            raise CommandFailedError(f"{kind} takes two paths, e.g. {kind} src dst")
        src = _on_local(server, argv[0]) if kind == "copyfromlocal" else _resolve(server, argv[0])
        dst = _on_local(server, argv[1]) if kind == "copytolocal" else _resolve(server, argv[1])
        if not src[0].exists(src[1]):
            raise CommandFailedError(f"File or directory {argv[0]} does not exist.")
        try:
            if kind == "mv":
                src[0].mv(src[1], dst[1])  # FileSystem.rename: into DST when it is a directory
            else:
                _copy(src[0], src[1], dst[0], dst[1])
        except OSError as e:
            raise CommandFailedError(f"Failed to {kind} {argv[0]} to {argv[1]}: {e}") from None

    return run


def _on_local(server: Any, given: str) -> tuple[Any, str, str]:
    """(local filesystem, absolute path, its file: name) of a local path of the session."""
    from mapred.localfs import url_to_fs

    given = url_to_fs(given)[1] if given.startswith("file:") else given
    full = os.path.abspath(server.local_path(given))
    return (*url_to_fs(full), "file:" + full)


def _copy(sfs: Any, src: str, dfs_: Any, dst: str) -> None:
    """Hadoop's FileUtil.copy (overwrite): into DST when it is a directory, directories with
    everything under them."""
    if dfs_.exists(dst) and dfs_.info(dst)["type"] == "directory":
        dst = dst.rstrip("/") + "/" + src.rstrip("/").rsplit("/", 1)[-1]
    if sfs.info(src)["type"] == "directory":
        dfs_.makedirs(dst, exist_ok=True)
        for entry in sorted(sfs.ls(src, detail=True), key=lambda e: e["name"]):
            name = entry["name"].rstrip("/").rsplit("/", 1)[-1]
            _copy(sfs, entry["name"], dfs_, dst.rstrip("/") + "/" + name)
        return
    with sfs.open(src, "rb") as f, dfs_.open(dst, "wb") as g:
        shutil.copyfileobj(f, g, 1 << 20)


def _mkdir(server: Any, args: str) -> None:
    """Pig's GruntParser.processMkdir: FileSystem.mkdirs (parents too; an existing directory
    is fine), silently."""
    fs, path, _shown = _element(server, "mkdir", args)
    if fs.exists(path) and fs.info(path)["type"] != "directory":
        raise CommandFailedError(f"mkdir: Path is not a directory: {args.strip()}")
    fs.makedirs(path, exist_ok=True)


def _user() -> str:
    from dfs.conf import current_user

    return current_user()


def _children(fs: Any, path: str, shown: str) -> list[tuple[str, dict[str, Any]]]:
    """(qualified name, fsspec info) of each entry of the directory `path`, by name."""
    entries = sorted(fs.ls(path, detail=True), key=lambda e: e["name"])
    return [(shown.rstrip("/") + "/" + e["name"].rstrip("/").rsplit("/", 1)[-1], e)
            for e in entries]


def _ls(server: Any, args: str) -> None:
    """Pig's GruntParser.processLS: for each entry of a directory (or the one file) a line
    ``<qualified path><r REPLICATION>\tLENGTH``, or ``<qualified path>\t<dir>`` for a
    directory; without a path, the current directory."""
    fs, path, shown = _element(server, "ls", args)
    if not fs.exists(path):
        raise CommandFailedError(f"File or directory {args.strip() or shown} does not exist.")
    info = fs.info(path)
    entries = _children(fs, path, shown) if info["type"] == "directory" else [(shown, info)]
    for name, e in entries:
        if e["type"] == "directory":
            server.print(f"{name}\t<dir>")
        else:  # a local file's replication is 1, as Hadoop's RawLocalFileSystem reports
            server.print(f"{name}<r {e.get('replication', 1)}>\t{e['size']}")


def _cat(server: Any, args: str) -> None:
    """Pig's GruntParser.processCat: a file's bytes, or those of every file directly in a
    directory (a STORE's part files; subdirectories skipped), in name order."""
    fs, path, _shown = _element(server, "cat", args)
    if not fs.exists(path):
        raise CommandFailedError(f"Directory {args.strip()} does not exist.")
    if fs.info(path)["type"] == "directory":
        files = [e["name"] for _, e in _children(fs, path, "") if e["type"] != "directory"]
    else:
        files = [path]
    import codecs

    for name in files:
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        with fs.open(name, "rb") as f:
            while chunk := f.read(1 << 16):
                server.out.write(decoder.decode(chunk))
        server.out.write(decoder.decode(b"", final=True))


#: the commands run here rather than as `fs` commands
_OWN = {
    "sh": _sh,
    "cd": _cd,
    "pwd": _pwd,
    "ls": _ls,
    "cat": _cat,
    "mkdir": _mkdir,
    "rm": lambda server, args: _remove(server, args, force=False),
    "rmf": lambda server, args: _remove(server, args, force=True),
    "cp": _copy_command("cp"),
    "mv": _copy_command("mv"),
    "copyfromlocal": _copy_command("copyfromlocal"),
    "copytolocal": _copy_command("copytolocal"),
    "help": _help,
    "history": _history,
    "set": print_properties,
    "clear": _clear,
    "kill": kill_job,
    "quit": lambda server, args: None,  # the launcher ends the script there
}

HELP = """\
Commands:
<pig latin statement>; - any Pig Latin statement, ended by ';' (it may span lines)
File system commands:
    fs <fs arguments> - a `hadoop fs` command on the session's file system, e.g. fs -ls /
    ls [<path>] - list a directory: path<r replication>\\tlength, or path\\t<dir>
    cat <path> - print a file, or every file directly in a directory (a STORE's output)
    mkdir <path> - make a directory (and its parents; an existing one is fine)
    rm <path> ..., rmf <path> ... - delete, with what is under them (rmf: a missing path is fine)
    cp, mv <src> <dst> - copy (a directory with what is under it) or move; into dst if it is a
        directory
    copyFromLocal, copyToLocal <src> <dst> - cp from local files, or to local files
    cd <dir>, pwd - change or print the current directory (a DFS one in the default mode)
Diagnostic commands:
    describe <alias>[::<alias>] - print the schema of the alias
    explain [<alias>] - print the logical, physical and MapReduce plans
    illustrate <alias> - show example rows at each step that computes the alias
    dump <alias> - compute the alias and print its rows
    \\de, \\e, \\i, \\d [<alias>] - describe, explain, illustrate, dump: the shortcuts;
        these commands need no ';', and without an alias act on the last one defined
Utility commands:
    exec [-param <name>=<value>] [-param_file <file>] <script> -
        run the script in a new session (the shell's aliases are not visible to it)
    run [-param <name>=<value>] [-param_file <file>] <script> -
        run the script in this session: its aliases stay defined afterwards
    sh <shell command> - run a shell command; a non-zero exit is reported as an error
    kill <job_id> - kill a MapReduce job, as hadoop job -kill
    set <key> <value> - set a property for the session's jobs, e.g. set default_parallel 4
    set - print the session's properties, one key=value a line
    history [-n] - list the statements run so far (-n: without line numbers)
    help - print this message
    clear - clear the screen
    quit - leave the shell (so do \\q, exit and Ctrl-D; Ctrl-C cancels the running statement)
"""


def check_storage_funcs(plan: Any) -> None:
    """Instantiate every LOAD and STORE function of `plan` once in the client, as Pig does
    when it builds the plan: an unknown one is ERROR 1070 (with the closest name), bad
    arguments ERROR 1200 "could not instantiate", at the statement, before any job runs."""
    from piglatin.back.storage import get_loader, get_storer
    from piglatin.functions.builtins import UnknownFunctionError
    from piglatin.plan import logical as L

    for op in plan.operators:
        if not isinstance(op, (L.LOLoad, L.LOStore)):
            continue
        make = get_loader if isinstance(op, L.LOLoad) else get_storer
        args = [str(a) for a in op.func.args]
        where = {"line": op.line or None, "column": op.column or None}
        try:
            make(op.func.name, args)
        except UnknownFunctionError as e:
            raise PigError(str(e), code=1070, **where) from None
        except (TypeError, ValueError) as e:
            shown = ", ".join(repr(a) for a in args)
            raise PigError(
                f"could not instantiate '{op.func.name}' with arguments ({shown}): "
                f"{_without_self(op.func.name, str(e))}",
                code=1200,
                **where,
            ) from None


def _without_self(name: str, message: str) -> str:
    """Python's count of a constructor's arguments includes `self`: say it as the user wrote
    the call (``PigStorage takes from 0 to 2 arguments but 4 were given``).

    >>> _without_self("Txt", "LoadFunc.__init__() takes 1 positional argument but 2 were given")
    'Txt takes 0 arguments but 1 was given'
    """
    import re

    m = re.fullmatch(
        r"\S*__init__\(\) takes (?:from (\d+) to )?(\d+) positional arguments? "
        r"but (\d+) (?:was|were) given",
        message,
    )
    if m is None:
        return message
    low, high, given = (int(g) - 1 if g is not None else None for g in m.groups())
    takes = f"from {low} to {high}" if low is not None else str(high)
    return (
        f"{name} takes {takes} argument{'' if high == 1 else 's'} but {given} "
        f"{'was' if given == 1 else 'were'} given"
    )


def fs(server: Any, argv: list[str]) -> int:
    """One `hadoop fs` command on the session's filesystem (the DFS; in local mode a few
    commands on local files); output to `out`."""
    from piglatin.commands.localshell import SHELL_COMMANDS, run_fs  # rare: not at start-up

    buf, err = io.BytesIO(), io.StringIO()
    if server.exec_type == "local" and argv and argv[0].lstrip("-") in SHELL_COMMANDS:
        status = run_fs(argv, server.cwd, buf, err)
    elif server.exec_type == "local":
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
        raise CommandFailedError(
            f"fs command '{' '.join(argv)}' failed{_last_line(err.getvalue())}"
        )
    return status


_GLOB = LazyRegex(r"[*?[]")
_LOCAL_COPIES = {
    "cp": shutil.copy,
    "copyFromLocal": shutil.copy,
    "put": shutil.copy,
    "copyToLocal": shutil.copy,
    "get": shutil.copy,
    "mv": shutil.move,
}


def _local_fs(argv: list[str], buf: io.BytesIO, err: io.StringIO) -> int:
    """A few `fs` commands on local files (-x local), paths with globs expanded; errors in
    Hadoop's shell's words, one line per bad path (``cat: `/x': No such file or
    directory``)."""
    import glob

    cmd, paths = argv[0].lstrip("-"), [a for a in argv[1:] if not a.startswith("-")]
    paths = [m for p in paths for m in (sorted(glob.glob(p)) if _GLOB.search(p) else [p]) or [p]]
    if cmd in _LOCAL_COPIES and len(paths) >= 2:  # cmds.xml: fs -copyFromLocal file-x file-y
        try:
            for src in paths[:-1]:
                _LOCAL_COPIES[cmd](src, paths[-1])
        except OSError as e:
            err.write(f"{cmd}: `{e.filename or paths[0]}': {e.strerror or e}\n")
            return 1
        return 0
    from piglatin.commands.localshell import SHELL_COMMANDS

    copies = "cp, mv, put, get, copyFromLocal, copyToLocal, "
    available = copies + ", ".join(sorted(SHELL_COMMANDS))
    err.write(f"-{cmd}: not available in local mode ({available} are)\n")
    return 1
