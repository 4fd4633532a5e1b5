"""STREAM's execution: a process per map task that reads the rows and writes the new ones
(Pig's POStream and ExecutableManager).

Owns: the job of a STREAM (mrcompiler gives it kind "stream": its map side is the chain that
feeds the STREAM, its output the STREAM's rows), the process it runs and the two conversions:
rows go to the command's stdin as PigStreaming text (PigStorage's line for the row, fields
joined by the delimiter, '\\t' unless `PigStreaming('<d>')`), and each line it prints becomes a
row as PigStorage would load it (bytearrays, cast by the STREAM's AS schema). Also INPUT('f')
(the rows are written to the file, the command runs once they all are) and OUTPUT('f') (the
rows are read from the file once the command exits), SHIP and CACHE (files copied into a work
directory that is the command's working directory and on its PATH) and STDERR (the last of
its stderr in the task log; Pig keeps it on the DFS).
The command runs as Pig runs it: ``bash -c "exec <command>"``, the text the user wrote and
nothing else, with the job's settings in its environment (names with every character not a
letter or a digit made `_`) and the session's directory on its PATH; its working directory is
the session's directory, or the work directory when files are shipped. A non-zero exit status
fails the task with Pig's ERROR 2055. Writing to a command that stopped reading (``head -1``)
is not an error: the remaining rows are dropped, as Pig's.
Must not touch: which rows reach the STREAM (the compiled chain) or where its rows go (the
job's output format).
"""

from __future__ import annotations

import collections
import contextlib
import logging
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Callable
from typing import Any

from piglatin.back import runtime as RT
from piglatin.back.mrcompiler import JobSpec
from piglatin.back.storage import get_loader, get_storer, parse_delimiter
from piglatin.plan import logical as L

__all__ = ["PigStreamJob", "StreamingError", "StreamProcess", "job_class", "pig_argv_text"]

log = logging.getLogger(__name__)

_STDERR_KEEP = 64 * 1024  # the last bytes of a command's stderr kept for the log
_ENV_NAME = re.compile(r"[^0-9A-Za-z]")
_ARG = re.compile(r"""(?:[^\s'"]+|'[^']*'?|"[^"]*"?)+""")


class StreamingError(RuntimeError):
    """A streaming command failed (Pig's ERROR 2055)."""


def job_class(spec: JobSpec) -> type:
    """The job class of a compiled job: a STREAM's own, else the runtime's."""
    return PigStreamJob if spec.kind == "stream" else RT.job_class(spec)


def pig_argv_text(command: str) -> str:
    """The command as Pig's messages show it: its arguments joined by spaces, with a space
    after the last (ExecutableManager's argvAsString)."""
    return "".join(arg + " " for arg in _ARG.findall(command))


class PigStreamJob(RT.PigJob):
    """A STREAM's job: the map side's rows go to the command; its rows are the output."""

    def _tail(self) -> Callable[[tuple], list]:
        emit = super()._tail()
        op = self.plan.op(self.spec.output_op)
        assert isinstance(op, L.LOStream)
        self.streaming = StreamProcess(op, self.context.conf, emit)
        return self.streaming.feed

    def setup(self) -> None:
        super().setup()
        self.add_flush(self.streaming.finish)


def _delimiter(io: L.StreamIO | None) -> str:
    if io is None or not io.func.args:
        return "\t"
    return parse_delimiter(str(io.func.args[0]))


class StreamProcess:
    """One task's run of a streaming command: `feed(row)` gives the rows it has printed so
    far (through `emit`), `finish()` the rest once it exits."""

    def __init__(self, op: L.LOStream, conf: Any, emit: Callable[[tuple], list]) -> None:
        self.op = op
        self.emit = emit
        first_in = op.inputs_io[0] if op.inputs_io else None
        first_out = op.outputs_io[0] if op.outputs_io else None
        self.format = get_storer("PigStorage", [_delimiter(first_in)]).format
        loader = get_loader("PigStorage", [_delimiter(first_out)])
        self.parse = loader.with_schema(op.schema).parse_line
        self.input_file = first_in.target if first_in is not None and first_in.is_file else None
        self.output_file = first_out.target if first_out is not None and first_out.is_file else None
        self.cwd = str(conf.get(RT.CWD) or ".")
        self.workdir: str | None = None
        if op.ship or op.cache or self.input_file or self.output_file:
            self.workdir = tempfile.mkdtemp(prefix="pig-stream-")
            self._ship()
        self.env = self._environment(conf)
        self.lines: collections.deque[bytes] = collections.deque()
        self.stderr = bytearray()
        self.accepting = True
        self.proc: Any = None  # the subprocess.Popen
        self.rows_file: Any = None
        self.threads: list[threading.Thread] = []
        if self.input_file is None:
            self._start(piped=True)
        else:
            self.rows_file = open(os.path.join(self.workdir or ".", self.input_file), "wb")  # noqa: SIM115

    # -- set-up ---------------------------------------------------------------------------
    def _local(self, path: str) -> str:
        return path if os.path.isabs(path) else os.path.join(self.cwd, path)

    def _ship(self) -> None:
        """SHIP'd files, and CACHE'd ones ('path#name'), into the work directory."""
        assert self.workdir is not None
        for path in self.op.ship or ():
            src = self._local(path)
            try:
                shutil.copy2(src, os.path.join(self.workdir, os.path.basename(path)))
            except OSError as e:
                raise StreamingError(f"Cannot ship {path} for '{self.op.command}': {e}") from e
        for item in self.op.cache:
            path, _, name = item.partition("#")
            target = os.path.join(self.workdir, name or os.path.basename(path))
            try:
                _fetch(path, self._local(path), target)
            except OSError as e:
                raise StreamingError(f"Cannot cache {item} for '{self.op.command}': {e}") from e

    def _environment(self, conf: Any) -> dict[str, str]:
        """The task's environment, the job's settings (as Pig's addJobConfToEnvironment)
        and the work and session directories at the end of PATH."""
        env = dict(os.environ)
        for key, value in conf.items():
            if isinstance(value, (str, int, float, bool)):
                env[_ENV_NAME.sub("_", key)] = str(value)
        extra = [d for d in (self.workdir, self.cwd) if d]
        env["PATH"] = os.pathsep.join([env.get("PATH", ""), *extra]).lstrip(os.pathsep)
        return env

    def _start(self, piped: bool) -> None:
        """Start the command; its stdin the rows (`piped`) or nothing (INPUT('file'))."""
        import subprocess  # here: only a STREAM's task runs a process

        stdin = subprocess.PIPE if piped else subprocess.DEVNULL
        argv = ["bash", "-c", "exec " + self.op.command]
        out = subprocess.DEVNULL if self.output_file else subprocess.PIPE
        try:
            self.proc = subprocess.Popen(  # noqa: S603 - the command the script gives
                argv,
                stdin=stdin,
                stdout=out,
                stderr=subprocess.PIPE,
                cwd=self.workdir or self.cwd,
                env=self.env,
            )
        except OSError as e:
            raise StreamingError(f"Cannot run '{self.op.command}': {e}") from e
        if self.proc.stdout is not None:
            self._thread(self._read_stdout, self.proc.stdout)
        self._thread(self._read_stderr, self.proc.stderr)

    def _thread(self, fn: Callable[[Any], None], stream: Any) -> None:
        t = threading.Thread(target=fn, args=(stream,), daemon=True)
        t.start()
        self.threads.append(t)

    def _read_stdout(self, stream: Any) -> None:
        for line in stream:
            self.lines.append(line)

    def _read_stderr(self, stream: Any) -> None:
        for chunk in iter(lambda: stream.read(8192), b""):
            self.stderr += chunk
            if len(self.stderr) > 2 * _STDERR_KEEP:
                del self.stderr[:-_STDERR_KEEP]

    # -- rows -----------------------------------------------------------------------------
    def feed(self, row: tuple) -> list:
        """Send one row; the rows the command printed since the last call."""
        line = self.format(row) + b"\n"
        if self.rows_file is not None:
            self.rows_file.write(line)
            return []
        if self.accepting:
            try:
                self.proc.stdin.write(line)  # type: ignore[union-attr]
            except (BrokenPipeError, ValueError):
                self.accepting = False  # it stopped reading: the rest are dropped, as Pig's
        return self._drain() if self.lines else []

    def _drain(self) -> list:
        out: list = []
        lines, parse, emit = self.lines, self.parse, self.emit
        while lines:
            out += emit(parse(lines.popleft()))
        return out

    def finish(self) -> list:
        """End of the task's rows: close the command's input, wait for it, and give the
        rows it printed since; a non-zero exit status fails the task (ERROR 2055)."""
        try:
            if self.rows_file is not None:
                self.rows_file.close()
                self.rows_file = None
                self._start(piped=False)
            elif self.accepting:
                with contextlib.suppress(BrokenPipeError):
                    self.proc.stdin.close()  # type: ignore[union-attr]
            assert self.proc is not None
            code = self.proc.wait()
            for t in self.threads:
                t.join()
            self._log_stderr(code)
            if code != 0:
                raise StreamingError(
                    "ERROR 2055: Received Error while processing the map plan: "
                    f"'{pig_argv_text(self.op.command)}' failed with exit status: {code}"
                )
            if self.output_file is not None:
                with open(os.path.join(self.workdir or ".", self.output_file), "rb") as f:
                    self.lines.extend(f)
            return self._drain()
        finally:
            if self.workdir is not None:
                shutil.rmtree(self.workdir, ignore_errors=True)

    def _log_stderr(self, code: int) -> None:
        if not self.stderr:
            return
        text = bytes(self.stderr[-_STDERR_KEEP:]).decode("utf-8", "replace")
        level = logging.WARNING if code != 0 or self.op.stderr is not None else logging.DEBUG
        log.log(level, "stderr of '%s':\n%s", self.op.command, text.rstrip("\n"))


def _fetch(path: str, local: str, target: str) -> None:
    """A CACHE file: a URL or a DFS path, else the local file of that name."""
    if "://" not in path and os.path.exists(local):
        shutil.copyfile(local, target)
        return
    from mapred.localfs import url_to_fs

    url = path if "://" in path else "dfs://" + (path if path.startswith("/") else "/" + path)
    fs, p = url_to_fs(url)
    with fs.open(p, "rb") as src, open(target, "wb") as dst:
        shutil.copyfileobj(src, dst)
