"""`hadoop fs` commands that change the namespace in place: -mkdir, -touchz, -touch, -expunge,
-rm, -rmdir, -setrep, -chmod, -chown, -chgrp (with the mode parser).

Owns those commands and `parse_mode`. Must not touch: data movement (dfs.shell.copying).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from dfs import pathglob
from dfs.conf import verify_replication
from dfs.errors import (
    DFSDirectoryNotEmpty,
    DFSError,
    DFSFileNotFound,
)
from dfs.shell import trash
from dfs.shell.base import Item, ShellBase, _parent, command
from dfs.shell.errors import PathError, UsageError, describe, quote


class ChangeCommands(ShellBase):
    """Namespace changes."""

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
        if st is None and path.rsplit("/", 1)[-1] in (".", ".."):  # names a directory
            raise PathError(quote(path, "No such file or directory"))
        parent = _parent(client.resolve(path))  # a bare name's parent is the home directory
        if st is None and parent is not None and not client.exists(parent):
            raise PathError(quote(path, "No such file or directory"))
        client.touchz(path)

    @command("touch", "[-a] [-m] [-t TIMESTAMP ] [-c] <path> ...", "a m c", min_args=1, valued="t")
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
            self.guarded(
                client, arg, lambda a=arg: self._touch(client, pathglob.unescape(a), opts, when)
            )

    def _touch(self, client: Any, path: str, opts: dict[str, Any], when: int) -> None:
        st = self.stat_or_none(client, path)
        if st is not None and st.is_dir:
            raise PathError(quote(path, "Is a directory"))
        if st is None and path.rsplit("/", 1)[-1] in (".", ".."):  # names a directory
            raise PathError(quote(path, "No such file or directory"))
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
        """Delete trash checkpoints older than fs.trash.interval minutes and checkpoint the
        trash's Current directory (-immediate: delete everything in the trash now)."""
        trash.expunge(client, opts["immediate"], self.err)

    @command(
        "rm", "[-f] [-r|-R] [-skipTrash] [-safely] <src> ...", "f r R skipTrash safely", min_args=1
    )
    def cmd_rm(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Delete files (-r: directories recursively; -f: no error for missing paths). With
        fs.trash.interval > 0 they move to /user/<you>/.Trash/Current instead, unless
        -skipTrash."""
        recursive = opts["r"] or opts["R"]
        for pattern in args:
            try:
                items = self.expand(client, pattern)
            except (DFSFileNotFound, PathError) as e:
                if not opts["f"]:
                    self.error(describe(e, pattern))
                continue
            for item in items:
                self.guarded(
                    client,
                    item.display,
                    lambda i=item: self._rm(client, i, recursive, opts["skipTrash"]),
                )

    def _rm(self, client: Any, item: Item, recursive: bool, skip_trash: bool) -> None:
        """Delete.Rm.processPath: into the trash when it is on (fs.trash.interval > 0) and
        not skipped, else deleted with ``Deleted path``."""
        if item.status.is_dir and not recursive:
            raise PathError(quote(item.display, "Is a directory"))
        if not skip_trash and trash.move_to_trash(client, client.resolve(item.display), self.err):
            return
        client.delete(item.display, recursive=recursive)
        self.print(f"Deleted {item.display}")

    @command(
        "rmdir", "[--ignore-fail-on-non-empty] <dir> ...", "-ignore-fail-on-non-empty", min_args=1
    )
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

    @command("setrep", "[-R] [-w] <rep> <path> ...", "R w", min_args=2)
    def cmd_setrep(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Set the replication of files (every file below a directory); -w waits for it."""
        text = args.pop(0)
        if not text.isdigit() or int(text) < 1:
            raise UsageError(f"Illegal replication, a positive integer expected: {text}")
        rep, waiting = int(text), []
        for item in self.each_item(client, args):
            for f in self._files_under(client, item):
                done = self.guarded(
                    client,
                    f.display,
                    lambda f=f: (
                        verify_replication(client.conf, rep, f.display),
                        client.set_replication(f.display, rep),
                    ),
                )
                if done is not None:
                    self.print(f"Replication {rep} set: {f.display}")
                    waiting.append(f)
        if opts["w"]:
            for f in waiting:
                self.out.write(f"Waiting for {f.display} ...".encode())
                self.out.flush()
                done = self.guarded(
                    client, f.display, lambda f=f: client.wait_replication(f.display)
                )
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
        self._apply(
            client,
            args,
            opts["R"],
            lambda it: client.set_permission(
                it.display, parse_mode(spec, it.status.mode, it.status.is_dir)
            ),
        )

    @command("chown", "[-R] [OWNER][:[GROUP]] PATH...", "R", min_args=2)
    def cmd_chown(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Change owner and/or group (superuser only); -R recursively."""
        owner, _, group = args.pop(0).partition(":")
        if not (owner or group) or not _valid_names(owner, group):
            raise UsageError(
                f"'{owner}:{group}' does not match expected pattern for [owner][:group]."
            )
        self._apply(
            client,
            args,
            opts["R"],
            lambda it: client.set_owner(it.display, owner=owner or None, group=group or None),
        )

    @command("chgrp", "[-R] GROUP PATH...", "R", min_args=2)
    def cmd_chgrp(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Change the group; -R recursively."""
        group = args.pop(0)
        if not _valid_names("", group) or not group:
            raise UsageError(f"'{group}' does not match expected pattern for group")
        self._apply(client, args, opts["R"], lambda it: client.set_owner(it.display, group=group))

    def _apply(
        self, client: Any, patterns: list[str], recursive: bool, fn: Callable[[Item], Any]
    ) -> None:
        for item in self.each_item(client, patterns):
            stack = [item]
            while stack:  # each item before its children, depth first, without recursion
                it = stack.pop()
                if self.guarded(client, it.display, lambda it=it: fn(it) or True) is None:
                    continue
                if recursive and it.status.is_dir:
                    kids = self.guarded(client, it.display, lambda it=it: self.children(client, it))
                    stack.extend(reversed(kids or []))


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
