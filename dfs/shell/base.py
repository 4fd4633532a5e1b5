"""The frame of `hadoop fs`: the command table, option parsing, error lines, path expansion and
data movement that every command family (dfs.shell.listing, .reading, .changes, .copying) uses.

Owns: `COMMANDS` and the `command` decorator (names, flags, usage text), Hadoop-style option
parsing (single-dash flags, no bundling, ``--`` ends options), `ShellBase` (running one command
line, per-path error reporting, globbing, tree walks, the ``._COPYING_`` write), and the small
helpers the families share. Must not touch: namespace or block logic (everything goes through
the public DFSClient API), process exit or configuration (dfs.cli does those), mapred or
piglatin. Imports nothing from the families (they import this).

Policy, as in Hadoop's ``fs/shell/Command.java``:
- each bad path prints one line ``cmd: `path': reason`` to stderr and the command carries on;
  the command then exits 1. ``-test`` reports only through its exit status.
- a usage mistake (unknown command or flag, wrong argument count) prints ``-cmd: reason`` plus
  the command's usage line and exits -1 (255 as a process status).
- data moves in 4 MiB chunks; uploads and copies are written to ``dst._COPYING_`` and renamed.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import IO, Any

from dfs import faults, pathglob
from dfs.errors import (
    DFSError,
    DFSFileNotFound,
)
from dfs.protocol import FileStatus
from dfs.shell.errors import (
    PathError,
    UsageError,
    check_scheme,
    describe,
    quote,
)

log = logging.getLogger("dfs.shell")  # one logger for every family (the command logs)
CHUNK = 4 << 20
USAGE_ERROR = 255
COPYING = "._COPYING_"

PUT_BEFORE_RENAME = faults.register(
    "shell.put.before_rename",
    "put/cp: the target's ._COPYING_ file is written and closed, the rename onto it not yet made",
)


class Item:
    """A path as the user spelled it (`display`) with its status."""

    __slots__ = ("display", "status")

    def __init__(self, display: str, status: FileStatus) -> None:
        self.display = display
        self.status = status


class CommandSpec:
    """One shell command: its flags, argument counts, usage text and handler."""

    __slots__ = ("name", "usage", "flags", "valued", "min_args", "max_args", "local", "method")

    def __init__(
        self,
        name: str,
        usage: str,
        flags: str,
        min_args: int,
        max_args: int | None,
        method: str,
        valued: str = "",
        local: bool = False,
    ) -> None:
        self.name, self.usage, self.method, self.local = name, usage, method, local
        self.flags = tuple(flags.split())
        self.valued = tuple(valued.split())
        self.min_args, self.max_args = min_args, max_args

    def usage_line(self) -> str:
        return f"-{self.name} {self.usage}".rstrip()


COMMANDS: dict[str, CommandSpec] = {}
#: Hadoop's deprecated commands (Ls.Lsr, Delete.Rmr, FsUsage.Dus): name -> (command, flag)
DEPRECATED: dict[str, tuple[str, str]] = {
    "lsr": ("ls", "R"),
    "rmr": ("rm", "r"),
    "dus": ("du", "s"),
}


def command(
    names: str,
    usage: str,
    flags: str = "",
    min_args: int = 0,
    max_args: int | None = None,
    valued: str = "",
    local: bool = False,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a FsShell method as one or more ``-name`` commands."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        for name in names.split():
            COMMANDS[name] = CommandSpec(
                name, usage, flags, min_args, max_args, fn.__name__, valued, local
            )
        return fn

    return register


_PATH_FIRST = frozenset(
    [
        "status",
        "exists",
        "listdir",
        "mkdirs",
        "mkdir",
        "delete",
        "set_permission",
        "set_owner",
        "set_replication",
        "set_times",
        "touchz",
        "content_summary",
        "fsck",
        "block_locations",
        "wait_replication",
        "open",
        "create",
        "resolve",
    ]
)


class DotPaths:
    """Wraps a DFSClient so shell paths may use ``.`` and ``..`` (the client rejects them)."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def fix(self, path: str) -> str:
        check_scheme(path)
        if "." not in path:
            return path
        prefix, rest = "", path
        if "://" in path:
            scheme, _, tail = path.partition("://")
            slash = tail.find("/")
            prefix, rest = (
                scheme + "://" + (tail[:slash] if slash >= 0 else tail),
                (tail[slash:] if slash >= 0 else "/"),
            )
        if not rest.startswith("/"):
            rest = self._client.home + "/" + rest
        parts: list[str] = []
        for part in rest.split("/"):
            if part == "..":
                if parts:
                    parts.pop()
            elif part not in ("", "."):
                parts.append(part)
        return prefix + "/" + "/".join(parts)

    def rename(self, src: str, dst: str, overwrite: bool | None = None) -> str:
        return self._client.rename(self.fix(src), self.fix(dst), overwrite)

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._client, name)
        if name not in _PATH_FIRST:
            return attr

        def call(path: str, *args: Any, **kwargs: Any) -> Any:
            return attr(self.fix(path), *args, **kwargs)

        return call


def parse_options(spec: CommandSpec, args: list[str]) -> tuple[dict[str, Any], list[str]]:
    """Hadoop's ``CommandFormat.parse``: leading ``-flag`` words, then positional arguments."""
    opts: dict[str, Any] = {flag: False for flag in spec.flags}
    opts.update({name: None for name in spec.valued})
    rest = list(args)
    while rest:
        arg = rest[0]
        if not arg.startswith("-") or arg == "-":
            break
        rest.pop(0)
        if arg == "--":
            break
        name = arg[1:]
        if name in spec.flags:
            opts[name] = True
        elif name[:1] == "p" and "p[topax]" in spec.usage and _preserve_letters(name[1:]):
            opts["p"] = name[1:]  # Cp's popPreserveOption: -p followed by attribute letters
        elif name in spec.valued and rest:
            opts[name] = rest.pop(0)
        else:
            raise UsageError(f"Illegal option {arg}")
    if len(rest) < spec.min_args:
        raise UsageError(f"Not enough arguments: expected {spec.min_args} but got {len(rest)}")
    if spec.max_args is not None and len(rest) > spec.max_args:
        raise UsageError(f"Too many arguments: expected {spec.max_args} but got {len(rest)}")
    return opts, rest


def _preserve_letters(letters: str) -> bool:
    """Whether `letters` name attributes -cp's ``-p`` may be followed by (CommandWithDestination
    .FileAttribute: timestamps, ownership, permission, ACL, XAttr), each once or more."""
    return bool(letters) and all(ch in "topax" for ch in letters)


class ShellBase:
    """Runs one ``hadoop fs`` command line (`run` returns the process exit status), with what
    every command needs; the command families add the ``cmd_*`` methods."""

    def __init__(
        self,
        open_client: Callable[[], AbstractContextManager[Any]],
        *,
        out: IO[bytes] | None = None,
        err: IO[str] | None = None,
        stdin: IO[bytes] | None = None,
    ) -> None:
        self._open_client = open_client
        self.out = out if out is not None else sys.stdout.buffer
        self.err = err if err is not None else sys.stderr
        self.stdin = stdin
        self.errors = 0
        self.name = ""
        self._widths = [3, 0, 0, 10]

    # ---- entry point ------------------------------------------------------------------------
    def run(self, argv: list[str]) -> int:
        if not argv:
            self.err.write(general_usage())
            return USAGE_ERROR
        command = argv[0]
        deprecated = DEPRECATED.get(command[1:]) if command.startswith("-") else None
        if deprecated is not None:  # Command.run: warn, then run as the replacement
            replacement, flag = deprecated
            self.err.write(
                f"{command[1:]}: DEPRECATED: Please use '{replacement} -{flag}' instead.\n"
            )
            argv = [f"-{replacement}", f"-{flag}", *argv[1:]]
        spec = COMMANDS.get(argv[0][1:]) if command.startswith("-") else None
        if spec is None:
            self.err.write(f"{command}: Unknown command\n")
            if not command.startswith("-") and f"{command}" in COMMANDS:
                self.err.write(f"Did you mean -{command}?  This command begins with a dash.\n")
            self.err.write(general_usage())
            return USAGE_ERROR
        self.name = command[1:] if deprecated is not None else spec.name  # lsr: `/x': ...
        try:
            opts, args = parse_options(spec, argv[1:])
            if spec.local:
                status = getattr(self, spec.method)(None, opts, args) or 0
            else:
                with self._open_client() as client:
                    status = getattr(self, spec.method)(DotPaths(client), opts, args) or 0
            self.out.flush()
        except UsageError as e:
            self.out.flush()
            self.err.write(f"{command}: {e}\n")
            self.err.write(f"Usage: hadoop fs [generic options] {spec.usage_line()}\n")
            return USAGE_ERROR
        except BrokenPipeError:
            _discard_output(self.out)
            self.error("Unable to write to output stream.")
            return 1
        return 1 if self.errors else status

    # ---- output -----------------------------------------------------------------------------
    def print(self, line: str) -> None:
        self.out.write(line.encode("utf-8", "surrogateescape") + b"\n")

    def error(self, message: str) -> None:
        self.out.flush()
        log.info("%s: %s", self.name, message)  # the command's log file (dfs.cmdlog)
        self.err.write(f"{self.name}: {message}\n")
        self.err.flush()
        self.errors += 1

    # ---- paths --------------------------------------------------------------------------------
    def expand(self, client: Any, pattern: str) -> list[Item]:
        """Glob `pattern` into items; no match raises the ``No such file or directory`` line."""
        check_scheme(pattern)
        if not pathglob.has_glob(pattern):  # escapes dropped, as PathData.expandAsGlob
            path = pathglob.unescape(pattern)
            try:
                return [Item(path, client.status(path))]
            except DFSFileNotFound:
                raise PathError(quote(path, "No such file or directory")) from None

        def names(path: str) -> list[str]:
            if not client.status(path).is_dir:
                return []
            return [st.name for st in client.listdir(path)]

        matches = pathglob.glob(pattern, names, client.exists)
        if not matches:
            raise PathError(quote(pattern, "No such file or directory"))
        return [Item(m, client.status(m)) for m in matches]

    def each_item(self, client: Any, patterns: list[str]) -> Iterator[Item]:
        """Expand every pattern, printing one error line for each that matches nothing."""
        for pattern in patterns:
            try:
                items = self.expand(client, pattern)
            except (DFSError, PathError, ValueError) as e:
                self.error(describe(e, pattern, _safe_resolve(client, pattern)))
                continue
            yield from items

    def guarded(self, client: Any, item_display: str, fn: Callable[[], Any]) -> Any:
        """Run `fn`, turning a DFS/local error into one error line about `item_display`."""
        try:
            return fn()
        except BrokenPipeError:
            raise
        except (DFSError, PathError, OSError) as e:
            self.error(describe(e, item_display, _safe_resolve(client, item_display)))
            return None

    def children(self, client: Any, item: Item) -> list[Item]:
        return [
            Item(pathglob.join(item.display, st.name), st) for st in client.listdir(item.display)
        ]

    def _tree(
        self,
        client: Any,
        root: Any,
        display: Callable[[Any], str],
        visit: Callable[[Any], list],
        after: Callable[[Any], Any] | None = None,
    ) -> None:
        """Walk a tree depth first, in the order `visit` returns children, with an explicit
        stack (never recursing on the depth of a path). `visit(node)` does a node's work and
        returns its children; `after(node)` runs once the node's subtree is done. The root's
        errors propagate; any other node's print one line and skip that node's subtree."""
        stack: list[tuple[Any, bool]] = [(root, False)]
        while stack:
            node, done = stack.pop()
            step = (lambda n=node: after(n)) if done else (lambda n=node: visit(n))  # type: ignore[misc]
            result = step() if node is root else self.guarded(client, display(node), step)
            if done or result is None:
                continue
            if after is not None:
                stack.append((node, True))
            stack.extend((kid, False) for kid in reversed(result))

    def stat_or_none(self, client: Any, path: str) -> FileStatus | None:
        try:
            return client.status(path)
        except DFSFileNotFound:
            return None

    # ---- data movement -------------------------------------------------------------------------
    @staticmethod
    def pump(src: IO[bytes], dst: IO[bytes], limit: int | None = None) -> int:
        """Copy in CHUNK-sized reads; returns the byte count. A short write is retried with
        the rest: a buffered writer may take only part of a large chunk (stdout into a pipe
        whose reader has gone takes what the pipe held), and the retry is what raises the
        BrokenPipeError, where the output would otherwise end short in silence."""
        total = 0
        while limit is None or total < limit:
            want = CHUNK if limit is None else min(CHUNK, limit - total)
            chunk = src.read(want)
            if not chunk:
                break
            view = memoryview(chunk)
            while view:
                n = dst.write(view)
                if n is None or n >= len(view):
                    break
                if n <= 0:
                    raise OSError(f"short write: {len(view)} bytes not taken")
                view = view[n:]
            total += len(chunk)
        return total

    def write_dfs(
        self, client: Any, target: str, source: IO[bytes], *, force: bool, direct: bool
    ) -> None:
        """Write `source` to DFS `target` through ``target._COPYING_`` (unless `direct`).

        The copy becomes the target by one rename (with OVERWRITE when `force`): a kill at any
        moment leaves `target` naming the old file or the new one, never neither."""
        conf = client.conf
        kwargs = {
            "replication": conf.get_int("dfs.replication"),
            "blocksize": conf.get_bytes("dfs.blocksize"),
        }
        if direct:
            with client.create(target, overwrite=force, **kwargs) as out:
                self.pump(source, out)
            return
        tmp = target + COPYING
        created = False  # another live writer's ._COPYING_ (create refused) is not ours to delete
        try:
            with client.create(tmp, overwrite=True, **kwargs) as out:
                created = True
                self.pump(source, out)
            faults.crash_point(PUT_BEFORE_RENAME)
            client.rename(tmp, target, overwrite=force)
        except BaseException:
            if created:
                _quiet_delete(client, tmp)
            raise


def _discard_output(stream: IO[bytes]) -> None:
    """After a closed pipe: point the stream's descriptor at /dev/null so exit stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _quiet_delete(client: Any, path: str) -> None:
    with contextlib.suppress(DFSError, OSError):
        client.delete(path, recursive=False)


def _safe_resolve(client: Any, path: str) -> str | None:
    if client is None:
        return None
    try:
        return client.resolve(pathglob.unescape(path))
    except (DFSError, PathError, ValueError):
        return None


def general_usage() -> str:
    lines = ["Usage: hadoop fs [generic options]"]
    lines += [f"\t[{COMMANDS[name].usage_line()}]" for name in sorted(COMMANDS)]
    lines += [
        "",
        "Generic options supported are:",
        "-conf <configuration file>        specify an application configuration file",
        "-D <property=value>               define a value for a given property",
        "-fs <dfs:///|file:///>            specify default filesystem URL to use",
        "--debug                           show tracebacks for errors",
        "",
        "The general command line syntax is:",
        "command [genericOptions] [commandOptions]",
    ]
    return "\n".join(lines) + "\n"


def _parent(path: str) -> str | None:
    """Parent of an absolute or relative path; None for ``/`` and bare relative names."""
    stripped = path.rstrip("/")
    if not stripped:
        return None
    head = stripped.rsplit("/", 1)[0] if "/" in stripped else None
    if head == "":
        return "/"
    if head is None:
        return None
    return head if not head.endswith(":/") and not head.endswith("://") else head + "/"


def file_uri_path(arg: str) -> str | None:
    """The local path a ``file:`` URI names (``file:///a``, ``file://host/a``, ``file:a``);
    None for any other path."""
    if not arg.startswith("file:"):
        return None
    rest = arg[len("file:") :]
    if rest.startswith("//"):
        slash = rest.find("/", 2)
        rest = rest[slash:] if slash >= 0 else "/"
    return rest or "."
