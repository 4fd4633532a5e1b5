"""`hadoop fs`: Hadoop's FileSystemShell commands over a DFSClient.

Owns: the command table (names, flags, usage text), Hadoop-style option parsing (single-dash
flags, no bundling, ``--`` ends options), per-path error reporting, and the commands themselves.
Must not touch: namespace or block logic (everything goes through the public DFSClient API),
process exit or configuration (dfs.cli does those), mapred or piglatin.

Policy, as in Hadoop's ``fs/shell/Command.java``:
- each bad path prints one line ``cmd: `path': reason`` to stderr and the command carries on;
  the command then exits 1. ``-test`` reports only through its exit status.
- a usage mistake (unknown command or flag, wrong argument count) prints ``-cmd: reason`` plus
  the command's usage line and exits -1 (255 as a process status).
- data moves in 4 MiB chunks; uploads and copies are written to ``dst._COPYING_`` and renamed.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import IO, Any

from dfs import faults, pathglob
from dfs.admin import format_percent, long2string
from dfs.conf import verify_replication
from dfs.errors import (
    DFSDirectoryNotEmpty,
    DFSError,
    DFSFileExists,
    DFSFileNotFound,
    DFSIsADirectory,
    DFSNotADirectory,
    DFSPermissionDenied,
)
from dfs.filechecksum import file_checksum
from dfs.protocol import FileStatus

log = logging.getLogger(__name__)
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

    def __init__(self, name: str, usage: str, flags: str, min_args: int, max_args: int | None,
                 method: str, valued: str = "", local: bool = False) -> None:
        self.name, self.usage, self.method, self.local = name, usage, method, local
        self.flags = tuple(flags.split())
        self.valued = tuple(valued.split())
        self.min_args, self.max_args = min_args, max_args

    def usage_line(self) -> str:
        return f"-{self.name} {self.usage}".rstrip()


COMMANDS: dict[str, CommandSpec] = {}


def command(names: str, usage: str, flags: str = "", min_args: int = 0,
            max_args: int | None = None, valued: str = "", local: bool = False
            ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a FsShell method as one or more ``-name`` commands."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        for name in names.split():
            COMMANDS[name] = CommandSpec(name, usage, flags, min_args, max_args, fn.__name__,
                                         valued, local)
        return fn

    return register


class UsageError(ValueError):
    """A command-line mistake; the shell prints ``-cmd: <message>`` and the usage line."""


class PathError(Exception):
    """One bad path; the message is already in Hadoop's words (``mkdir: `x': File exists``)."""


def quote(display: str, reason: str) -> str:
    return f"`{display}': {reason}"


_REASONS: tuple[tuple[type[BaseException], str], ...] = (
    (DFSFileNotFound, "No such file or directory"),
    (DFSFileExists, "File exists"),
    (DFSIsADirectory, "Is a directory"),
    (DFSNotADirectory, "Is not a directory"),
    (DFSDirectoryNotEmpty, "Directory is not empty"),
)
_ERRNO_REASONS = {
    errno.ENOENT: "No such file or directory",
    errno.EEXIST: "File exists",
    errno.EISDIR: "Is a directory",
    errno.ENOTDIR: "Is not a directory",
    errno.EACCES: "Permission denied",
    errno.ENOTEMPTY: "Directory is not empty",
}


def describe(exc: BaseException, display: str, resolved: str | None = None) -> str:
    """Hadoop's one-line text for an error about the path the user spelled `display`.

    DFS errors already read like ``/abs/path: reason`` (quoted Hadoop-style); the path is
    shown as the user typed it when it is the one they named, as reported otherwise.
    """
    if isinstance(exc, PathError):
        return str(exc)
    if isinstance(exc, DFSPermissionDenied):
        return exc.message
    if isinstance(exc, DFSError):
        m = _QUOTED.match(exc.message)
        if m:
            named, reason = m.groups()
            return quote(display if resolved is None or named == resolved else named, reason)
        for cls, reason in _REASONS:
            if isinstance(exc, cls):
                return quote(display, reason)
        return exc.message
    if isinstance(exc, OSError) and exc.errno in _ERRNO_REASONS:
        return quote(exc.filename or display, _ERRNO_REASONS[exc.errno])
    return str(exc) or type(exc).__name__


_QUOTED = re.compile(r"^`(.*?)': (.*)$", re.DOTALL)
_PATH_FIRST = frozenset(
    "status exists listdir mkdirs mkdir delete set_permission set_owner set_replication set_times "
    "touchz content_summary fsck block_locations wait_replication open create resolve".split()
)


class DotPaths:
    """Wraps a DFSClient so shell paths may use ``.`` and ``..`` (the client rejects them)."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def fix(self, path: str) -> str:
        if "." not in path:
            return path
        prefix, rest = "", path
        if "://" in path:
            scheme, _, tail = path.partition("://")
            slash = tail.find("/")
            prefix, rest = scheme + "://" + (tail[:slash] if slash >= 0 else tail), (
                tail[slash:] if slash >= 0 else "/")
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
        elif name in spec.valued and rest:
            opts[name] = rest.pop(0)
        else:
            raise UsageError(f"Illegal option {arg}")
    if len(rest) < spec.min_args:
        raise UsageError(f"Not enough arguments: expected {spec.min_args} but got {len(rest)}")
    if spec.max_args is not None and len(rest) > spec.max_args:
        raise UsageError(f"Too many arguments: expected {spec.max_args} but got {len(rest)}")
    return opts, rest


class FsShell:
    """Runs one ``hadoop fs`` command line; `run` returns the process exit status."""

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
        spec = COMMANDS.get(command[1:]) if command.startswith("-") else None
        if spec is None:
            self.err.write(f"{command}: Unknown command\n")
            if not command.startswith("-") and f"{command}" in COMMANDS:
                self.err.write(f"Did you mean -{command}?  This command begins with a dash.\n")
            self.err.write(general_usage())
            return USAGE_ERROR
        self.name = spec.name
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

    def _tree(self, client: Any, root: Any, display: Callable[[Any], str],
              visit: Callable[[Any], list], after: Callable[[Any], Any] | None = None) -> None:
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
        """Copy in CHUNK-sized reads; returns the byte count."""
        total = 0
        while limit is None or total < limit:
            want = CHUNK if limit is None else min(CHUNK, limit - total)
            chunk = src.read(want)
            if not chunk:
                break
            dst.write(chunk)
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

    # ================================ listing and information ================================
    @command("ls", "[-C] [-d] [-h] [-q] [-R] [-t] [-S] [-r] [-u] [<path> ...]", "C d h q R t S r u")
    def cmd_ls(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """List directory entries: permissions, replication, owner, group, size, date, path."""
        self._widths = [3, 0, 0, 10]  # replication, owner, group, size: grow only, as Hadoop
        for item in self.each_item(client, args or ["."]):
            if item.status.is_dir and not opts["d"]:
                self.guarded(client, item.display, lambda it=item: self._ls_dir(client, it, opts))
            else:
                self._ls_print([item], opts)

    def _ls_dir(self, client: Any, item: Item, opts: dict[str, Any]) -> None:
        """A directory's entries; with -R each subdirectory's follow its own line."""

        def visit(it: Item) -> list[Item]:
            if it is not item:
                self._ls_print([it], opts, widen=False)
                if not (opts["R"] and it.status.is_dir):
                    return []
            kids = self._ls_sorted(self.children(client, it), opts)
            if kids and not opts["R"] and not opts["C"]:
                self.print(f"Found {len(kids)} items")
            self._ls_widen(kids)
            return kids

        self._tree(client, item, lambda it: it.display, visit)

    @staticmethod
    def _ls_sorted(items: list[Item], opts: dict[str, Any]) -> list[Item]:
        if opts["t"]:
            field = "atime" if opts["u"] else "mtime"
            key: Callable[[Item], Any] = lambda i: -getattr(i.status, field)
        elif opts["S"]:
            key = lambda i: -i.status.length
        else:
            key = lambda i: i.display
        return sorted(items, key=key, reverse=bool(opts["r"]))

    def _ls_widen(self, items: list[Item]) -> None:
        w = self._widths
        for it in items:
            st = it.status
            w[0] = max(w[0], len(str(st.replication)))
            w[1], w[2] = max(w[1], len(st.owner)), max(w[2], len(st.group))
            w[3] = max(w[3], len(str(st.length)))

    def _ls_print(self, items: list[Item], opts: dict[str, Any], widen: bool = True) -> None:
        if widen:
            self._ls_widen(items)
        w = self._widths
        for it in items:
            st = it.status
            if opts["C"]:
                self.print(it.display)
            else:
                repl = "-" if st.is_dir else str(st.replication)
                when = st.atime if opts["u"] else st.mtime
                self.print(
                    f"{st.permission} {repl:>{w[0]}} {st.owner:<{w[1]}} {st.group:<{w[2]}} "
                    f"{human(st.length, opts['h']):>{w[3]}} {ls_date(when)} {it.display}"
                )

    @command("du", "[-s] [-h] [-v] [-x] <path> ...", "s h v x")
    def cmd_du(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Show size and space consumed with all replicas, one level deep (-s: totals)."""
        rows: list[tuple[str, ...]] = []
        if opts["v"]:
            rows.append(("SIZE", "DISK_SPACE_CONSUMED_WITH_ALL_REPLICAS", "FULL_PATH_NAME"))
        for item in self.each_item(client, args or ["."]):
            targets = [item]
            if item.status.is_dir and not opts["s"]:
                kids = self.guarded(client, item.display, lambda i=item: self.children(client, i))
                targets = kids or []
            for t in targets:
                cs = self.guarded(client, t.display, lambda t=t: client.content_summary(t.display))
                if cs is not None:
                    rows.append((human(cs.length, opts["h"]), human(cs.space_consumed, opts["h"]),
                                 t.display))
        self._table(rows, right=())

    @command("df", "[-h] [<path> ...]", "h")
    def cmd_df(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Show the capacity, used and available space of the filesystem."""
        rows = [("Filesystem", "Size", "Used", "Available", "Use%")]
        for _item in self.each_item(client, args or ["/"]):
            fs = client.disk_status()
            pct = format_percent(fs.used / fs.capacity if fs.capacity else float("nan"), 0)
            rows.append((_fs_uri(client), human(fs.capacity, opts["h"]), human(fs.used, opts["h"]),
                         human(fs.remaining, opts["h"]), pct))
        if len(rows) > 1:
            self._table(rows, right=(1, 2, 3, 4))

    def _table(self, rows: list[tuple[str, ...]], right: tuple[int, ...]) -> None:
        """Hadoop's FsUsage.TableBuilder: columns two spaces apart, last column unpadded."""
        if not rows:
            return
        widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
        last = len(widths) - 1
        for row in rows:
            cells = [
                f"{v:>{widths[c]}}" if c in right else (v if c == last else f"{v:<{widths[c]}}")
                for c, v in enumerate(row)
            ]
            self.print("  ".join(cells))

    @command("count", "[-q] [-h] [-v] [-u] <path> ...", "q h v u x e", min_args=1)
    def cmd_count(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Count directories, files and bytes under each path (-q adds quota columns)."""
        h = opts["h"]
        if opts["v"]:
            quota_head = "%12s %15s %15s %15s " % ("QUOTA", "REM_QUOTA", "SPACE_QUOTA",
                                                   "REM_SPACE_QUOTA")
            head = "%12s %12s %18s " % ("DIR_COUNT", "FILE_COUNT", "CONTENT_SIZE")
            if opts["u"]:
                head = ""
            self.print((quota_head if opts["q"] or opts["u"] else "") + head + "PATHNAME")
        for item in self.each_item(client, args):
            cs = self.guarded(client, item.display,
                              lambda i=item: client.content_summary(i.display))
            if cs is None:
                continue
            line = ""
            if opts["q"] or opts["u"]:
                line += _quota_columns(cs, h)
            if not opts["u"]:
                line += "%12s %12s %18s " % (cs.directory_count, cs.file_count,
                                             human(cs.length, h))
            self.print(line + item.display)

    @command("stat", "[format] <path> ...", min_args=1)
    def cmd_stat(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Print statistics in a format: %a %A %b %F %g %n %o %r %u %x %X %y %Y (default %y)."""
        fmt = "%y"
        if len(args) > 1 and "%" in args[0]:
            fmt = args.pop(0)
        for item in self.each_item(client, args):
            self.print(stat_format(fmt, item.status))

    @command("test", "-[defswrz] <path>", "d e f s w r z", min_args=1, max_args=1)
    def cmd_test(self, client: Any, opts: dict[str, Any], args: list[str]) -> int:
        """Exit 0 when true: -e exists, -d dir, -f file, -s non-empty, -z empty, -r/-w access."""
        chosen = [f for f in "defswrz" if opts[f]]
        if len(chosen) != 1:
            raise UsageError("Only one test flag is allowed" if chosen else "No test flag given")
        try:
            items = self.expand(client, args[0])
        except (DFSFileNotFound, PathError):
            return 1
        st, user = items[0].status, client.user
        checks = {
            "e": True, "d": st.is_dir, "f": not st.is_dir, "s": st.length > 0,
            "z": st.length == 0, "r": _may(st, user, 4), "w": _may(st, user, 2),
        }
        return 0 if checks[chosen[0]] else 1

    @command("cat", "[-ignoreCrc] <src> ...", "ignoreCrc", min_args=1)
    def cmd_cat(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Copy files to standard output."""
        for item in self.each_item(client, args):
            self.guarded(client, item.display, lambda i=item: self._cat(client, i, False))

    @command("text", "[-ignoreCrc] <src> ...", "ignoreCrc", min_args=1)
    def cmd_text(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Copy files to standard output, decompressing gzip files."""
        for item in self.each_item(client, args):
            self.guarded(client, item.display, lambda i=item: self._cat(client, i, True))

    def _cat(self, client: Any, item: Item, decode: bool) -> None:
        if item.status.is_dir:
            raise PathError(quote(item.display, "Is a directory"))
        with client.open(item.display) as stream:
            if decode and stream.read(2) == b"\x1f\x8b":
                import gzip

                stream.seek(0)
                with gzip.GzipFile(fileobj=stream) as unzipped:
                    self.pump(unzipped, self.out)
                return
            stream.seek(0)
            self.pump(stream, self.out)

    @command("checksum", "[-v] <src> ...", "v", min_args=1)
    def cmd_checksum(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Print each file's checksum: path, algorithm and hex bytes (-v adds BlockSize=N).
        The algorithm is HDFS's MD5-of-MD5-of-CRC32 (per block the MD5 of its 512-byte
        chunks' CRC32s, then the MD5 of those), computed by this client from the file's
        verified data with its dfs.bytes-per-checksum: it equals Hadoop's for a file
        written with that chunk size and dfs.checksum.type=CRC32 (not Hadoop's default
        CRC32C). It reads the whole file."""
        bpc = client.conf.get_int("dfs.bytes-per-checksum")
        for item in self.each_item(client, args):
            if item.status.is_dir:
                self.error(quote(item.display, "Is a directory"))
                continue
            cs = self.guarded(client, item.display,
                              lambda i=item: file_checksum(client, i.display, bpc))
            if cs is not None:
                size = f"\tBlockSize={item.status.blocksize}" if opts["v"] else ""
                self.print(f"{item.display}\t{cs.algorithm}\t{cs.hex}{size}")

    @command("tail", "<file>", min_args=1, max_args=1)
    def cmd_tail(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Show the last kilobyte of a file."""
        self._ends(client, args[0], tail=True)

    @command("head", "<file>", min_args=1, max_args=1)
    def cmd_head(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Show the first kilobyte of a file."""
        self._ends(client, args[0], tail=False)

    def _ends(self, client: Any, path: str, tail: bool) -> None:
        """As Hadoop's Head and Tail (their expandArgument): the path is literal, no glob."""
        st = self.guarded(client, path, lambda: client.status(path))
        for item in [Item(path, st)] if st is not None else []:
            if item.status.is_dir:
                self.error(quote(item.display, "Is a directory"))
                continue

            def show(i: Item = item) -> None:
                with client.open(i.display) as stream:
                    if tail:
                        stream.seek(max(0, i.status.length - 1024))
                    self.pump(stream, self.out, limit=1024)

            self.guarded(client, item.display, show)

    @command("find", "<path> ... <expression> ...", "print print0", valued="name iname")
    def cmd_find(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Find files and directories below each path (default: the current directory), in
        pre-order, that match every expression, and print them.
        -name PATTERN / -iname PATTERN: the last path component matches the glob (-iname
        ignores case). -print: a newline after each path (the default); -print0: a NUL."""
        paths = []
        while args and not args[0].startswith("-"):
            paths.append(args.pop(0))
        tests = [(opts[k], k == "iname") for k in ("name", "iname") if opts[k] is not None]
        end = "\0" if opts["print0"] else "\n"
        while args:
            word = args.pop(0)
            if word in ("-name", "-iname") and args:
                tests.append((args.pop(0), word == "-iname"))
            elif word in ("-print", "-print0"):
                end = "\0" if word == "-print0" else "\n"
            elif word not in ("-a", "-and"):
                raise UsageError(f"Unexpected argument: {word}")
        regexes = [re.compile(pathglob.component_regex(p).pattern, re.DOTALL | (re.I if i else 0))
                   for p, i in tests]

        def visit(it: Item) -> list[Item]:
            if all(rx.fullmatch(it.status.name or it.display) for rx in regexes):
                self.out.write((it.display + end).encode("utf-8", "surrogateescape"))
            return self.children(client, it) if it.status.is_dir else []

        for item in self.each_item(client, paths or ["."]):
            self.guarded(client, item.display,
                         lambda i=item: self._tree(client, i, lambda n: n.display, visit))

    # ================================ namespace changes ======================================
    @command("mkdir", "[-p] <path> ...", "p", min_args=1)
    def cmd_mkdir(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Create directories (-p: parents too, no error if present)."""
        for arg in args:
            path = pathglob.unescape(arg)
            self.guarded(client, arg, lambda p=path: self._mkdir(client, p, opts["p"]))

    def _mkdir(self, client: Any, path: str, parents: bool) -> None:
        st = self.stat_or_none(client, path)
        if st is not None:
            if not st.is_dir:
                raise PathError(quote(path, "Is not a directory"))
            if not parents:
                raise PathError(quote(path, "File exists"))
            return
        if parents:
            client.mkdirs(path)
            return
        parent = _parent(path)
        if parent is not None and not client.exists(parent):
            raise PathError(quote(path, "No such file or directory"))
        client.mkdir(path)

    @command("touchz", "<path> ...", min_args=1)
    def cmd_touchz(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Create empty files (an existing non-empty file is an error)."""
        for arg in args:
            self.guarded(client, arg, lambda a=arg: self._touchz(client, pathglob.unescape(a)))

    def _touchz(self, client: Any, path: str) -> None:
        st = self.stat_or_none(client, path)
        if st is not None and st.is_dir:
            raise PathError(quote(path, "Is a directory"))
        if st is not None and st.length:
            raise PathError(quote(path, "Not a zero-length file"))
        parent = _parent(client.resolve(path))  # a bare name's parent is the home directory
        if st is None and parent is not None and not client.exists(parent):
            raise PathError(quote(path, "No such file or directory"))
        client.touchz(path)

    @command("touch", "[-a] [-m] [-t TIMESTAMP ] [-c] <path> ...", "a m c", min_args=1,
             valued="t")
    def cmd_touch(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Set the access and modification times of each path to now; a missing file is
        created empty (the time is then set only with -t). -a: only the access time;
        -m: only the modification time; -t yyyyMMdd:HHmmss: that local time instead of now;
        -c: create no file."""
        when = int(time.time() * 1000)
        if opts["t"] is not None:
            try:
                when = int(time.mktime(time.strptime(opts["t"], "%Y%m%d:%H%M%S"))) * 1000
            except ValueError:
                raise UsageError(f"Unable to parse the specified timestamp {opts['t']}") from None
        for arg in args:
            self.guarded(client, arg,
                         lambda a=arg: self._touch(client, pathglob.unescape(a), opts, when))

    def _touch(self, client: Any, path: str, opts: dict[str, Any], when: int) -> None:
        st = self.stat_or_none(client, path)
        if st is not None and st.is_dir:
            raise PathError(quote(path, "Is a directory"))
        if st is None:
            parent = _parent(client.resolve(path))
            if parent is not None and not client.exists(parent):
                raise PathError(quote(path, "No such file or directory"))
            if opts["c"]:
                return
            client.touchz(path)
            if opts["t"] is None:
                return
            st = client.status(path)
        only_atime, only_mtime = opts["a"] and not opts["m"], opts["m"] and not opts["a"]
        client.set_times(path, st.mtime if only_atime else when, st.atime if only_mtime else when)

    @command("expunge", "[-immediate] [-fs <path>]", "immediate", valued="fs", max_args=0)
    def cmd_expunge(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Empty the trash. This filesystem keeps no trash (-rm deletes at once, as Hadoop
        with fs.trash.interval=0), so there is nothing to empty and nothing is printed."""

    @command("rm", "[-f] [-r|-R] [-skipTrash] [-safely] <src> ...", "f r R skipTrash safely",
             min_args=1)
    def cmd_rm(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Delete files (-r: directories recursively; -f: no error for missing paths)."""
        recursive = opts["r"] or opts["R"]
        for pattern in args:
            try:
                items = self.expand(client, pattern)
            except (DFSFileNotFound, PathError) as e:
                if not opts["f"]:
                    self.error(describe(e, pattern))
                continue
            for item in items:
                self.guarded(client, item.display, lambda i=item: self._rm(client, i, recursive))

    def _rm(self, client: Any, item: Item, recursive: bool) -> None:
        if item.status.is_dir and not recursive:
            raise PathError(quote(item.display, "Is a directory"))
        client.delete(item.display, recursive=recursive)
        self.print(f"Deleted {item.display}")

    @command("rmdir", "[--ignore-fail-on-non-empty] <dir> ...", "-ignore-fail-on-non-empty",
             min_args=1)
    def cmd_rmdir(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Delete empty directories."""
        for item in self.each_item(client, args):
            if not item.status.is_dir:
                self.error(quote(item.display, "Is not a directory"))
                continue
            try:
                client.delete(item.display, recursive=False)
            except DFSDirectoryNotEmpty:
                if not opts["-ignore-fail-on-non-empty"]:
                    self.error(quote(item.display, "Directory is not empty"))
            except DFSError as e:
                self.error(describe(e, item.display))

    @command("mv", "<src> ... <dst>", min_args=2)
    def cmd_mv(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Move (rename) paths; several sources need a directory destination."""
        self._transfer(client, args, move=True, force=False, direct=True)

    @command("cp", "[-f] [-p | -p[topax]] [-d] <src> ... <dst>", "f p d", min_args=2)
    def cmd_cp(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Copy files and directories (-f overwrites, -p preserves); file: URIs name local
        paths, so local sources go up as -put and a local destination comes down as -get."""
        local = [_file_uri_path(a) for a in args]
        if any(p is not None for p in local):
            sources_local = all(p is not None for p in local[:-1])
            if sources_local and local[-1] is None:
                self.cmd_put(client, {**opts, "l": False}, [str(p) for p in local[:-1]] + args[-1:])
            elif local[-1] is not None and not any(p is not None for p in local[:-1]):
                get_opts = {"f": opts["f"], "p": opts["p"], "ignoreCrc": False, "crc": False}
                self.cmd_get(client, get_opts, [*args[:-1], local[-1]])
            else:
                self.error("file: sources need a dfs destination (as -put), a file: "
                           "destination dfs sources (as -get); use cp for local copies")
            return
        self._transfer(client, args, move=False, force=opts["f"], direct=opts["d"],
                       preserve=opts["p"])

    def _transfer(self, client: Any, args: list[str], *, move: bool, force: bool, direct: bool,
                  preserve: bool = False) -> None:
        dst = pathglob.unescape(args[-1])
        dst_st = self.guarded(client, dst, lambda: self._dst_status(client, dst))
        if dst_st is False:
            return
        items = list(self.each_item(client, args[:-1]))  # each bad source: one line, first
        if not self._many_into_dir(dst, dst_st, len(items)):
            return
        for item in items:
            target = pathglob.join(dst, item.status.name) if dst_st and dst_st.is_dir else dst
            if move:
                self.guarded(client, item.display, lambda i=item, t=target: self._mv(client, i, t))
            else:
                self.guarded(client, item.display, lambda i=item, t=target: self._cp(
                    client, i, t, force, direct, preserve))

    def _dst_status(self, client: Any, dst: str) -> FileStatus | bool | None:
        """The destination's status (None: not there); False after printing why nothing can
        go there (a path below a file: one line, not one per source)."""
        try:
            return self.stat_or_none(client, dst)
        except (DFSError, PathError, OSError) as e:
            self.error(describe(e, dst, _safe_resolve(client, dst)))
            return False

    def _many_into_dir(self, dst: str, dst_st: FileStatus | None, sources: int) -> bool:
        """Hadoop's CommandWithDestination.processArguments: once the sources are expanded,
        several of them need an existing directory; else one line and nothing is written."""
        if sources > 1 and (dst_st is None or not dst_st.is_dir):
            self.error(quote(dst, "Is not a directory" if dst_st else "No such file or directory"))
            return False
        return True

    def _check_target(self, client: Any, item: Item, target: str, force: bool) -> FileStatus | None:
        src_abs, dst_abs = client.resolve(item.display), client.resolve(target)
        if src_abs == dst_abs or dst_abs.startswith(src_abs.rstrip("/") + "/"):
            raise PathError(f"`{item.display}' to `{target}': is a subdirectory of itself"
                            if src_abs != dst_abs else quote(target, "File exists"))
        st = self.stat_or_none(client, target)
        if st is not None and (not force or st.is_dir):
            raise PathError(quote(target, "File exists"))
        parent = _parent(dst_abs)
        if parent is not None and not client.exists(parent):
            raise PathError(quote(target, "No such file or directory"))
        return st

    def _mv(self, client: Any, item: Item, target: str) -> None:
        self._check_target(client, item, target, force=False)
        client.rename(item.display, target)

    def _cp(self, client: Any, item: Item, target: str, force: bool, direct: bool,
            preserve: bool) -> None:
        def visit(node: tuple[Item, str]) -> list[tuple[Item, str]]:
            it, dst = node
            self._check_target(client, it, dst, force)
            if it.status.is_dir:
                client.mkdirs(dst)
                return [(k, pathglob.join(dst, k.status.name)) for k in self.children(client, it)]
            with client.open(it.display) as src:
                self.write_dfs(client, dst, src, force=force, direct=direct)
            return []

        after = (lambda node: _preserve(client, node[1], node[0].status)) if preserve else None
        self._tree(client, (item, target), lambda node: node[0].display, visit, after)

    @command("setrep", "[-R] [-w] <rep> <path> ...", "R w", min_args=2)
    def cmd_setrep(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Set the replication of files (every file below a directory); -w waits for it."""
        text = args.pop(0)
        if not text.isdigit() or int(text) < 1:
            raise UsageError(f"Illegal replication, a positive integer expected: {text}")
        rep, waiting = int(text), []
        for item in self.each_item(client, args):
            for f in self._files_under(client, item):
                done = self.guarded(client, f.display, lambda f=f: (
                    verify_replication(client.conf, rep, f.display),
                    client.set_replication(f.display, rep)))
                if done is not None:
                    self.print(f"Replication {rep} set: {f.display}")
                    waiting.append(f)
        if opts["w"]:
            for f in waiting:
                self.out.write(f"Waiting for {f.display} ...".encode())
                self.out.flush()
                done = self.guarded(client, f.display,
                                    lambda f=f: client.wait_replication(f.display))
                self.print(" done" if done else " timed out")

    def _files_under(self, client: Any, item: Item) -> Iterator[Item]:
        stack = [item]
        while stack:  # depth first in name order, without recursion
            it = stack.pop()
            if not it.status.is_dir:
                yield it
                continue
            kids = self.guarded(client, it.display, lambda it=it: self.children(client, it))
            stack.extend(reversed(kids or []))

    @command("chmod", "[-R] <MODE[,MODE]... | OCTALMODE> PATH...", "R", min_args=2)
    def cmd_chmod(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Change permissions: octal (755) or symbolic (u+x,go-w); -R recursively."""
        spec = args.pop(0)
        if parse_mode(spec, 0o644, False) is None:
            raise UsageError(f"chmod : mode '{spec}' does not match the expected pattern.")
        self._apply(client, args, opts["R"], lambda it: client.set_permission(
            it.display, parse_mode(spec, it.status.mode, it.status.is_dir)))

    @command("chown", "[-R] [OWNER][:[GROUP]] PATH...", "R", min_args=2)
    def cmd_chown(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Change owner and/or group (superuser only); -R recursively."""
        owner, _, group = args.pop(0).partition(":")
        if not (owner or group) or not _valid_names(owner, group):
            raise UsageError(
                f"'{owner}:{group}' does not match expected pattern for [owner][:group]."
            )
        self._apply(client, args, opts["R"], lambda it: client.set_owner(
            it.display, owner=owner or None, group=group or None))

    @command("chgrp", "[-R] GROUP PATH...", "R", min_args=2)
    def cmd_chgrp(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Change the group; -R recursively."""
        group = args.pop(0)
        if not _valid_names("", group) or not group:
            raise UsageError(f"'{group}' does not match expected pattern for group")
        self._apply(client, args, opts["R"], lambda it: client.set_owner(it.display, group=group))

    def _apply(self, client: Any, patterns: list[str], recursive: bool,
               fn: Callable[[Item], Any]) -> None:
        for item in self.each_item(client, patterns):
            stack = [item]
            while stack:  # each item before its children, depth first, without recursion
                it = stack.pop()
                if self.guarded(client, it.display, lambda it=it: fn(it) or True) is None:
                    continue
                if recursive and it.status.is_dir:
                    kids = self.guarded(client, it.display, lambda it=it: self.children(client, it))
                    stack.extend(reversed(kids or []))

    # ================================ local <-> DFS ==========================================
    @command("put copyFromLocal", "[-f] [-p] [-l] [-d] <localsrc> ... <dst>", "f p l d",
             min_args=1)
    def cmd_put(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Copy local files (or - for stdin) into the filesystem (-f overwrites)."""
        srcs, dst = (args[:-1], pathglob.unescape(args[-1])) if len(args) > 1 else (args, ".")
        dst_st = self.guarded(client, dst, lambda: self._dst_status(client, dst))
        if dst_st is False:
            return
        sources = _local_glob(srcs)
        if not self._many_into_dir(dst, dst_st, len(sources)):
            return
        for src in sources:
            into_dir = dst_st is not None and dst_st.is_dir and src != "-"
            target = pathglob.join(dst, os.path.basename(src.rstrip("/"))) if into_dir else dst
            self.guarded(client, src, lambda s=src, t=target: self._put_one(client, s, t, opts))

    @command("moveFromLocal", "[-f] [-p] [-l] [-d] <localsrc> ... <dst>", "f p l d",
             min_args=1)
    def cmd_move_from_local(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Same as -put, except that the source is deleted after it's copied (an existing
        directory at the target is an error: a move does not merge directories)."""
        self.cmd_put(client, {**opts, "move": True}, args)

    def _put_one(self, client: Any, src: str, target: str, opts: dict[str, Any]) -> None:
        if src == "-":
            stdin = self.stdin if self.stdin is not None else sys.stdin.buffer
            self._put_check(client, target, opts["f"])
            self.write_dfs(client, target, stdin, force=opts["f"], direct=opts["d"])
            return

        def after(node: tuple[str, str]) -> None:
            """Once a path (and all below it) is up: -p's times and mode; a move's delete."""
            if opts["p"]:
                st = os.stat(node[0])
                client.set_times(node[1], int(st.st_mtime * 1000), int(st.st_atime * 1000))
                client.set_permission(node[1], st.st_mode & 0o7777)
            if opts.get("move"):  # as Hadoop's MoveFromLocal.postProcessPath: not recursive
                (os.rmdir if os.path.isdir(node[0]) else os.unlink)(node[0])

        self._tree(client, (src, target), lambda node: node[0],
                   lambda node: self._put_entry(client, node[0], node[1], opts),
                   after if opts["p"] or opts.get("move") else None)

    def _put_entry(self, client: Any, src: str, target: str,
                   opts: dict[str, Any]) -> list[tuple[str, str]]:
        """Upload one local file, or make one directory and return its entries."""
        if not os.path.exists(src):
            raise PathError(quote(src, "No such file or directory"))
        if os.path.isdir(src):
            existing = self.stat_or_none(client, target)
            if existing is not None and (not existing.is_dir or opts.get("move")):
                raise PathError(quote(target, "File exists"))
            if existing is None:
                self._put_check(client, target, False)
                client.mkdirs(target)
            names = sorted(os.listdir(src))
            return [(os.path.join(src, n), pathglob.join(target, n)) for n in names]
        self._put_check(client, target, opts["f"])
        with open(src, "rb") as stream:
            self.write_dfs(client, target, stream, force=opts["f"], direct=opts["d"])
        return []

    def _put_check(self, client: Any, target: str, force: bool) -> None:
        st = self.stat_or_none(client, target)
        if st is not None and (st.is_dir or not force):
            raise PathError(quote(target, "File exists"))
        parent = _parent(client.resolve(target))
        if parent is not None and not client.exists(parent):
            raise PathError(quote(target, "No such file or directory"))

    @command("appendToFile", "[-n] <localsrc> ... <dst>", "n")
    def cmd_append_to_file(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Append the local files (or - for stdin, alone) to dst, which is created if it does
        not exist. Files here are write-once, so dst is rewritten: its bytes, then the new
        ones, go to dst._COPYING_, which replaces it keeping its replication, block size and
        mode. -n (Hadoop: start a new block) is accepted and changes nothing here."""
        if len(args) < 2:
            self.error("missing destination argument")
            return
        srcs, dst = args[:-1], pathglob.unescape(args[-1])
        if "-" in srcs and len(srcs) > 1:
            self.error("stdin (-) must be the sole input argument when present")
            return
        bad = [s for s in srcs if s != "-" and not os.path.isfile(s)]
        for s in bad:  # before anything is written, unlike Hadoop (which creates dst first)
            self.error(quote(s, "Is a directory" if os.path.isdir(s) else
                             "No such file or directory"))
        if not bad:
            self.guarded(client, dst, lambda: self._append_to(client, srcs, dst))

    def _append_to(self, client: Any, srcs: list[str], dst: str) -> None:
        st = self.stat_or_none(client, dst)
        if st is not None and st.is_dir:
            raise PathError(quote(dst, "Is a directory"))

        def fill(out: IO[bytes]) -> None:
            if st is not None:
                with client.open(dst) as old:
                    self.pump(old, out)
            for src in srcs:
                if src == "-":
                    self.pump(self.stdin if self.stdin is not None else sys.stdin.buffer, out)
                    continue
                with open(src, "rb") as stream:
                    self.pump(stream, out)

        self._rewrite(client, dst, st, fill)

    def _rewrite(self, client: Any, dst: str, st: FileStatus | None,
                 fill: Callable[[IO[bytes]], None]) -> None:
        """Replace `dst` by what `fill` writes, through ``dst._COPYING_`` and one rename,
        keeping the old file's replication, block size and mode (files are write-once)."""
        conf, tmp = client.conf, dst + COPYING
        kwargs = {"replication": st.replication if st else conf.get_int("dfs.replication"),
                  "blocksize": st.blocksize if st else conf.get_bytes("dfs.blocksize")}
        created = False
        try:
            with client.create(tmp, overwrite=True, **kwargs) as out:
                created = True
                fill(out)
            client.rename(tmp, dst, overwrite=True)
        except BaseException:
            if created:
                _quiet_delete(client, tmp)
            raise
        if st is not None:
            client.set_permission(dst, st.mode)

    @command("truncate", "[-w] <length> <path> ...", "w", min_args=2)
    def cmd_truncate(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Truncate each file to <length> bytes. Files are write-once here, so each is
        rewritten with its first <length> bytes (replication, block size and mode kept) and
        is done at once: -w (wait for block recovery) is accepted and never needs to wait."""
        text = args.pop(0)
        if not text.isdigit():
            raise UsageError(f'For input string: "{text}"')
        length = int(text)
        for item in self.each_item(client, args):
            if item.status.is_dir:
                self.error(quote(item.display, "Is a directory"))
                continue
            if length > item.status.length:
                raise UsageError(f"Cannot truncate to a larger file size. Current size: "
                                 f"{item.status.length}, truncate size: {length}.")

            def cut(out: IO[bytes], i: Item = item) -> None:
                with client.open(i.display) as old:
                    self.pump(old, out, limit=length)

            done = self.guarded(client, item.display, lambda i=item, c=cut: self._rewrite(
                client, i.display, i.status, c) or True)
            if done:
                self.print(f"Truncated {item.display} to length: {length}")

    @command("moveToLocal", "<src> <localdst>", local=True)
    def cmd_move_to_local(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Not implemented yet (as in Hadoop)."""
        self.error("Option '-moveToLocal' is not implemented yet.")

    @command("get copyToLocal", "[-f] [-p] [-ignoreCrc] [-crc] <src> ... <localdst>",
             "f p ignoreCrc crc", min_args=1)
    def cmd_get(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Copy files to the local filesystem (-f overwrites)."""
        srcs, dst = (args[:-1], args[-1]) if len(args) > 1 else (args, ".")
        items = list(self.each_item(client, srcs))  # each bad source: one line, first
        if len(items) > 1 and not os.path.isdir(dst):
            self.error(quote(dst, "Is not a directory" if os.path.exists(dst)
                             else "No such file or directory"))
            return
        for item in items:
            target = os.path.join(dst, item.status.name) if os.path.isdir(dst) else dst
            self.guarded(client, item.display, lambda i=item, t=target: self._get_one(
                client, i, t, opts))

    def _get_one(self, client: Any, item: Item, target: str, opts: dict[str, Any]) -> None:
        self._tree(client, (item, target), lambda node: node[0].display,
                   lambda node: self._get_entry(client, node[0], node[1], opts))

    def _get_entry(self, client: Any, item: Item, target: str,
                   opts: dict[str, Any]) -> list[tuple[Item, str]]:
        """Download one file, or make one local directory and return its entries."""
        if item.status.is_dir:
            os.makedirs(target, exist_ok=True)
            kids = self.children(client, item)
            return [(k, os.path.join(target, k.status.name)) for k in kids]
        if os.path.lexists(target) and (not opts["f"] or os.path.isdir(target)):
            raise PathError(quote(target, "File exists"))
        with client.open(item.display) as src:  # the source exists before anything local
            _write_local(target, lambda out: self.pump(src, out))
        if opts["p"]:
            st = item.status
            os.utime(target, ns=(st.atime * 1_000_000, st.mtime * 1_000_000))
            os.chmod(target, st.mode & 0o7777)
        return []

    @command("getmerge", "[-nl] [-skip-empty-file] <src> <localdst>", "nl skip-empty-file",
             min_args=2, max_args=2)
    def cmd_getmerge(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Concatenate a directory's files (or a glob's) into one local file (-nl: newlines)."""
        files: list[Item] = []
        for item in self.each_item(client, args[:1]):
            kids = self.children(client, item) if item.status.is_dir else [item]
            files.extend(k for k in kids if not k.status.is_dir)
        if self.errors:  # as Hadoop: a source that is not there creates no output
            return
        files = [f for f in files if f.status.length or not opts["skip-empty-file"]]

        def merge(out: IO[bytes]) -> bool:
            before = self.errors
            for f in files:
                self.guarded(client, f.display, lambda f=f: self._append(client, f, out, opts))
            return self.errors == before  # a source that failed: no merged file at all

        self.guarded(client, args[1], lambda: _write_local(args[1], merge))

    def _append(self, client: Any, f: Item, out: IO[bytes], opts: dict[str, Any]) -> None:
        with client.open(f.display) as src:
            self.pump(src, out)
        if opts["nl"]:
            out.write(b"\n")

    # ================================ help ===================================================
    @command("usage", "[cmd ...]", local=True)
    def cmd_usage(self, client: Any, opts: dict[str, Any], args: list[str]) -> int:
        """Show the usage of commands."""
        if not args:
            self.out.write(general_usage().encode())
            return 0
        for name in args:
            spec = COMMANDS.get(name.lstrip("-"))
            if spec is None:  # Hadoop's UnknownCommandException: a usage error
                raise UsageError(f"`{name}': Unknown command")
            self.print(f"Usage: hadoop fs [generic options] {spec.usage_line()}")
        return 0

    @command("help", "[cmd ...]", local=True)
    def cmd_help(self, client: Any, opts: dict[str, Any], args: list[str]) -> int:
        """Show help for commands."""
        specs = []
        for name in args:
            spec = COMMANDS.get(name.lstrip("-"))
            if spec is None:  # Hadoop's UnknownCommandException: a usage error
                raise UsageError(f"`{name}': Unknown command")
            specs.append(spec)
        if args:
            for spec in specs:
                self._help(spec)
            return 0
        usage, _, generic = general_usage().partition("\n\n")
        self.print(usage)
        for name in sorted(COMMANDS):
            self.print("")
            self._help(COMMANDS[name])
        self.print("")
        self.out.write(generic.encode())
        return 0

    def _help(self, spec: CommandSpec) -> None:
        """FsShell.printInstanceHelp: ``usage:<TAB>line``, then ``<TAB><TAB>line``."""
        doc = getattr(type(self), spec.method).__doc__ or ""
        lines = [line.strip() for line in doc.strip().splitlines() if line.strip()] or [""]
        self.print(f"{spec.usage_line()}:\t{lines[0]}")
        for line in lines[1:]:
            self.print("\t\t" + line)


def _discard_output(stream: IO[bytes]) -> None:
    """After a closed pipe: point the stream's descriptor at /dev/null so exit stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _write_local(target: str, fill: Callable[[IO[bytes]], bool | None]) -> None:
    """Write a local file through ``target._COPYING_``, renamed over `target` only when `fill`
    finished (and did not return False): a failed or killed copy never truncates `target`."""
    tmp = target + COPYING
    created = done = False
    parent = os.path.dirname(os.path.abspath(target))
    if not os.path.isdir(parent):  # named as the user spelled it, not as the temporary file
        raise PathError(quote(target, "No such file or directory"))
    try:
        with open(tmp, "wb") as out:
            created = True
            keep = fill(out) is not False
        if keep:
            os.replace(tmp, target)
            done = True
    finally:
        if created and not done:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _file_uri_path(arg: str) -> str | None:
    """The local path a ``file:`` URI names (``file:///a``, ``file://host/a``, ``file:a``);
    None for any other path."""
    if not arg.startswith("file:"):
        return None
    rest = arg[len("file:"):]
    if rest.startswith("//"):
        slash = rest.find("/", 2)
        rest = rest[slash:] if slash >= 0 else "/"
    return rest or "."


def _quiet_delete(client: Any, path: str) -> None:
    with contextlib.suppress(DFSError, OSError):
        client.delete(path, recursive=False)


def _safe_resolve(client: Any, path: str) -> str | None:
    if client is None:
        return None
    try:
        return client.resolve(pathglob.unescape(path))
    except (DFSError, ValueError):
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


def ls_date(ms: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(ms / 1000.0))


def utc_date(ms: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(ms / 1000.0))


def human(n: int, on: bool) -> str:
    return long2string(n, "", 1) if on else str(n)


def local_exists(path: str) -> bool:
    return os.path.lexists(path)


__all__ = [
    "FsShell",
    "UsageError",
    "PathError",
    "describe",
    "parse_options",
    "general_usage",
    "format_percent",
]


# ---- helpers of the commands -------------------------------------------------------------------
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


def _fs_uri(client: Any) -> str:
    uri = str(client.conf.get("fs.defaultFS") or "dfs:///")
    return uri if uri.count("/") > 2 or not uri.endswith("/") else uri.rstrip("/") + "/"


def _quota_columns(cs: Any, h: bool) -> str:
    if cs.quota is not None and cs.quota >= 0:
        quota, rem = str(cs.quota), str(cs.quota - cs.directory_count - cs.file_count)
    else:
        quota, rem = "none", "inf"
    if cs.space_quota is not None and cs.space_quota >= 0:
        space, srem = human(cs.space_quota, h), human(cs.space_quota - cs.space_consumed, h)
    else:
        space, srem = "none", "inf"
    return "%12s %15s %15s %15s " % (quota, rem, space, srem)


def stat_format(fmt: str, st: FileStatus) -> str:
    """Expand ``-stat`` conversions (%a %A %b %F %g %n %o %r %u %x %X %y %Y)."""
    values = {
        "a": lambda: f"{st.mode & 0o7777:o}",
        "A": lambda: st.permission,
        "b": lambda: str(st.length),
        "F": lambda: "directory" if st.is_dir else "regular file",
        "g": lambda: st.group,
        "n": lambda: st.name,
        "o": lambda: str(st.blocksize),
        "r": lambda: str(0 if st.is_dir else st.replication),
        "u": lambda: st.owner,
        "x": lambda: utc_date(st.atime),
        "X": lambda: str(st.atime),
        "y": lambda: utc_date(st.mtime),
        "Y": lambda: str(st.mtime),
    }
    out, i = [], 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == "%" and i + 1 < len(fmt) and fmt[i + 1] in values:
            out.append(values[fmt[i + 1]]())
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _may(st: FileStatus, user: str, bit: int) -> bool:
    """Whether `user` has permission `bit` (4 read, 2 write) by owner/other bits."""
    shift = 6 if st.owner == user else 0
    return bool(st.mode >> shift & bit)


_WHO = {"u": 0o4700, "g": 0o2070, "o": 0o1007}
_PERM_BITS = {"r": 0o444, "w": 0o222, "x": 0o111, "t": 0o1000}


def parse_mode(spec: str, mode: int, is_dir: bool) -> int | None:
    """Apply an octal (``755``, ``1777``) or symbolic (``u+x,go-w``, ``a=r``) mode to `mode`.

    >>> oct(parse_mode("u+x,go-w", 0o666, False)), oct(parse_mode("1777", 0, True))
    ('0o744', '0o1777')
    >>> parse_mode("u+q", 0o644, False) is None
    True
    """
    if spec.isdigit():
        return int(spec, 8) if len(spec) <= 4 and set(spec) <= set("01234567") else None
    result = mode & 0o7777
    for clause in spec.split(","):
        parsed = _apply_clause(clause, result, is_dir)
        if parsed is None:
            return None
        result = parsed
    return result


def _apply_clause(clause: str, mode: int, is_dir: bool) -> int | None:
    i = 0
    while i < len(clause) and clause[i] in "ugoa":
        i += 1
    who = clause[:i] or "a"
    if i >= len(clause) or clause[i] not in "+-=":
        return None
    op, perms = clause[i], clause[i + 1 :]
    if any(p not in "rwxXt" for p in perms):
        return None
    mask = 0
    for w in who:
        mask |= 0o7777 if w == "a" else _WHO[w]
    bits = 0
    for p in perms:
        if p == "X":
            bits |= 0o111 if (is_dir or mode & 0o111) else 0
        else:
            bits |= _PERM_BITS[p]
    bits &= mask
    if op == "+":
        return mode | bits
    if op == "-":
        return mode & ~bits
    cleared = mask & 0o777 | (0o1000 if "a" in who or "o" in who else 0)
    return (mode & ~cleared) | bits


def _valid_names(owner: str, group: str) -> bool:
    allowed = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-@$")
    return set(owner) <= allowed and set(group) <= allowed


def _preserve(client: Any, target: str, st: FileStatus) -> None:
    client.set_times(target, st.mtime, st.atime)
    client.set_permission(target, st.mode)


def _local_glob(patterns: list[str]) -> list[str]:
    """Expand local source patterns; a pattern matching nothing is kept (and fails later)."""
    import glob

    out: list[str] = []
    for pattern in patterns:
        matches = sorted(glob.glob(pattern)) if pattern != "-" and glob.has_magic(pattern) else []
        out.extend(matches or [pattern])
    return out
