"""`hadoop fs` commands that move data: -mv, -cp, -put/-copyFromLocal, -moveFromLocal,
-appendToFile, -truncate, -get/-copyToLocal, -moveToLocal, -getmerge.

Owns Hadoop's CommandWithDestination rules (several sources need an existing directory, checked
before anything is written), local writes through ``._COPYING_``, and rewriting a write-once
file (-appendToFile, -truncate). Must not touch: listing or permission commands.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from typing import IO, Any

from dfs import pathglob
from dfs.errors import (
    DFSError,
)
from dfs.protocol import FileStatus
from dfs.shell.base import (
    COPYING,
    Item,
    ShellBase,
    _parent,
    _quiet_delete,
    _safe_resolve,
    command,
    file_uri_path,
)
from dfs.shell.errors import PathError, UsageError, describe, quote

PRESERVE_ALL = "top"  # a bare -p: timestamps, ownership, permission


class CopyCommands(ShellBase):
    """Commands with a destination, and local <-> DFS transfers."""

    @command("mv", "<src> ... <dst>", min_args=2)
    def cmd_mv(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Move (rename) paths; several sources need a directory destination."""
        self._transfer(client, args, move=True, force=False, direct=True)

    @command(
        "cp",
        "[-f] [-p | -p[topax]] [-d] [-t <thread count>] [-q <thread pool queue size>] "
        "<src> ... <dst>",
        "f p d",
        min_args=2,
        valued="t q",
    )
    def cmd_cp(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Copy files and directories (-f overwrites; -p keeps times, owner and permission,
        -p[topax] the attributes named); file: URIs name local paths, so local sources go up
        as -put and a local destination comes down as -get."""
        _thread_options(opts)
        local = [file_uri_path(a) for a in args]
        if any(p is not None for p in local):
            sources_local = all(p is not None for p in local[:-1])
            if sources_local and local[-1] is None:
                self.cmd_put(client, {**opts, "l": False}, [str(p) for p in local[:-1]] + args[-1:])
            elif local[-1] is not None and not any(p is not None for p in local[:-1]):
                get_opts = {"f": opts["f"], "p": opts["p"], "ignoreCrc": False, "crc": False}
                self.cmd_get(client, get_opts, [*args[:-1], local[-1]])
            else:
                self.error(
                    "file: sources need a dfs destination (as -put), a file: "
                    "destination dfs sources (as -get); use cp for local copies"
                )
            return
        self._transfer(
            client, args, move=False, force=opts["f"], direct=opts["d"], preserve=opts["p"]
        )

    def _transfer(
        self,
        client: Any,
        args: list[str],
        *,
        move: bool,
        force: bool,
        direct: bool,
        preserve: bool | str = False,
    ) -> None:
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
                self.guarded(
                    client,
                    item.display,
                    lambda i=item, t=target: self._cp(client, i, t, force, direct, preserve),
                )

    def _dst_status(self, client: Any, dst: str) -> FileStatus | bool | None:
        """The destination's status (None: not there); False after printing why nothing can
        go there (a path below a file: one line, not one per source; a missing ``.`` or
        ``..``, which can only name a directory: `.': No such file or directory, as Hadoop
        says to ``-put f`` before the home directory exists)."""
        try:
            st = self.stat_or_none(client, dst)
        except (DFSError, PathError, OSError) as e:
            self.error(describe(e, dst, _safe_resolve(client, dst)))
            return False
        if st is None and dst.rsplit("/", 1)[-1] in (".", ".."):
            self.error(quote(dst, "No such file or directory"))
            return False
        return st

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
            raise PathError(
                f"`{item.display}' to `{target}': is a subdirectory of itself"
                if src_abs != dst_abs
                else quote(target, "File exists")
            )
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

    def _cp(
        self, client: Any, item: Item, target: str, force: bool, direct: bool, preserve: bool | str
    ) -> None:
        def visit(node: tuple[Item, str]) -> list[tuple[Item, str]]:
            it, dst = node
            self._check_target(client, it, dst, force)
            if it.status.is_dir:
                client.mkdirs(dst)
                return [(k, pathglob.join(dst, k.status.name)) for k in self.children(client, it)]
            with client.open(it.display) as src:
                self.write_dfs(client, dst, src, force=force, direct=direct)
            return []

        attrs = PRESERVE_ALL if preserve is True else preserve or ""
        after = (lambda node: _preserve(client, node[1], node[0].status, attrs)) if attrs else None
        self._tree(client, (item, target), lambda node: node[0].display, visit, after)

    # ================================ local <-> DFS ==========================================
    @command(
        "put copyFromLocal",
        "[-f] [-p] [-l] [-d] [-t <thread count>] [-q <threadPool queue size>] <localsrc> ... <dst>",
        "f p l d",
        min_args=1,
        valued="t q",
    )
    def cmd_put(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Copy local files (or - for stdin) into the filesystem (-f overwrites; -t and -q,
        Hadoop's copy threads and their queue, are checked and the copy stays sequential)."""
        _thread_options(opts)
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

    @command("moveFromLocal", "[-f] [-p] [-l] [-d] <localsrc> ... <dst>", "f p l d", min_args=1)
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

        before: dict[str, os.stat_result] = {}  # -p: each local path's status before reading

        def visit(node: tuple[str, str]) -> list[tuple[str, str]]:
            if opts["p"] and os.path.exists(node[0]):
                before[node[0]] = os.stat(node[0])
            return self._put_entry(client, node[0], node[1], opts)

        def after(node: tuple[str, str]) -> None:
            """Once a path (and all below it) is up: -p's times and mode; a move's delete."""
            if opts["p"]:  # Put's -p: times, ownership and permission the local path had
                st = before.pop(node[0], None) or os.stat(node[0])
                client.set_times(node[1], int(st.st_mtime * 1000), int(st.st_atime * 1000))
                _set_owner_as(client, node[1], *_local_owner(st))
                client.set_permission(node[1], st.st_mode & 0o7777)
            if opts.get("move"):  # as Hadoop's MoveFromLocal.postProcessPath: not recursive
                (os.rmdir if os.path.isdir(node[0]) else os.unlink)(node[0])

        self._tree(
            client,
            (src, target),
            lambda node: node[0],
            visit,
            after if opts["p"] or opts.get("move") else None,
        )

    def _put_entry(
        self, client: Any, src: str, target: str, opts: dict[str, Any]
    ) -> list[tuple[str, str]]:
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
            self.error(
                quote(s, "Is a directory" if os.path.isdir(s) else "No such file or directory")
            )
        if not bad:
            self.guarded(client, dst, lambda: self._append_to(client, srcs, dst))

    def _append_to(self, client: Any, srcs: list[str], dst: str) -> None:
        st = self.stat_or_none(client, dst)
        if st is not None and st.is_dir:
            raise PathError(quote(dst, "Is a directory"))
        if st is None and dst.rsplit("/", 1)[-1] in (".", ".."):  # names a directory
            raise PathError(quote(dst, "No such file or directory"))

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

    @command("concat", "<target path> <src path> <src path> ...")
    def cmd_concat(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Concatenate existing source files into the target file. Target file and source
        files should be in the same directory.
        (HDFS moves the blocks; files here are write-once, so the target is rewritten with
        its bytes and then each source's, and the sources are deleted.)"""
        items = list(self.each_item(client, args))
        if self.errors:
            return
        usage = "<target path> <src path> <src path> ..."
        target, srcs = (items[0], items[1:]) if items else (None, [])
        if target is None:
            problem = f"Target path not specified. {usage}"
        elif len(srcs) < 2:  # Concat.processArguments: the target and two sources at least
            problem = f"The number of source paths is less than 2. {usage}"
        elif target.status.is_dir:
            problem = f"Target path {target.display} does not exist or is not file."
        else:
            dirs = [s.display for s in srcs if s.status.is_dir]
            problem = f"{dirs[0]} does not exist or is not file." if dirs else ""
        if problem or target is None:
            self.error(problem)
            return
        self.guarded(client, target.display, lambda: self._concat(client, target, srcs))

    def _concat(self, client: Any, target: Item, srcs: list[Item]) -> None:
        """FSDirConcatOp's checks, then the rewrite and the sources' deletion."""
        target_path = client.resolve(target.display)
        where, seen = _parent(target_path), set()
        for src in srcs:
            path = client.resolve(src.display)
            if path == target_path:
                raise PathError(
                    f"concat: the src file {path} is the same with the target file {target_path}"
                )
            if path in seen:
                raise PathError("concat: at least two of the source files are the same")
            seen.add(path)
            if _parent(path) != where:
                raise PathError(
                    f"Source file {path} is not in the same directory with the target {target_path}"
                )
            if src.status.length == 0:
                raise PathError(
                    f"concat: source file {path} is invalid or empty or underConstruction"
                )

        def fill(out: IO[bytes]) -> None:
            for item in (target, *srcs):
                with client.open(item.display) as stream:
                    self.pump(stream, out)

        self._rewrite(client, target.display, target.status, fill)
        for src in srcs:
            client.delete(src.display)

    def _rewrite(
        self, client: Any, dst: str, st: FileStatus | None, fill: Callable[[IO[bytes]], None]
    ) -> None:
        """Replace `dst` by what `fill` writes, through ``dst._COPYING_`` and one rename,
        keeping the old file's replication, block size and mode (files are write-once)."""
        conf, tmp = client.conf, dst + COPYING
        kwargs = {
            "replication": st.replication if st else conf.get_int("dfs.replication"),
            "blocksize": st.blocksize if st else conf.get_bytes("dfs.blocksize"),
        }
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
                raise UsageError(
                    f"Cannot truncate to a larger file size. Current size: "
                    f"{item.status.length}, truncate size: {length}."
                )

            def cut(out: IO[bytes], i: Item = item) -> None:
                with client.open(i.display) as old:
                    self.pump(old, out, limit=length)

            done = self.guarded(
                client,
                item.display,
                lambda i=item, c=cut: self._rewrite(client, i.display, i.status, c) or True,
            )
            if done:
                self.print(f"Truncated {item.display} to length: {length}")

    @command("moveToLocal", "<src> <localdst>", local=True)
    def cmd_move_to_local(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Not implemented yet (as in Hadoop)."""
        self.error("Option '-moveToLocal' is not implemented yet.")

    @command(
        "get copyToLocal",
        "[-f] [-p] [-ignoreCrc] [-crc] [-t <thread count>] [-q <thread pool queue size>] "
        "<src> ... <localdst>",
        "f p ignoreCrc crc",
        min_args=1,
        valued="t q",
    )
    def cmd_get(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Copy files to the local filesystem (-f overwrites; -t/-q as for -put)."""
        _thread_options(opts)
        srcs, dst = (args[:-1], args[-1]) if len(args) > 1 else (args, ".")
        items = list(self.each_item(client, srcs))  # each bad source: one line, first
        if len(items) > 1 and not os.path.isdir(dst):
            self.error(
                quote(
                    dst,
                    "Is not a directory" if os.path.exists(dst) else "No such file or directory",
                )
            )
            return
        for item in items:
            target = os.path.join(dst, item.status.name) if os.path.isdir(dst) else dst
            self.guarded(
                client, item.display, lambda i=item, t=target: self._get_one(client, i, t, opts)
            )

    def _get_one(self, client: Any, item: Item, target: str, opts: dict[str, Any]) -> None:
        self._tree(
            client,
            (item, target),
            lambda node: node[0].display,
            lambda node: self._get_entry(client, node[0], node[1], opts),
        )

    def _get_entry(
        self, client: Any, item: Item, target: str, opts: dict[str, Any]
    ) -> list[tuple[Item, str]]:
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

    @command(
        "getmerge",
        "[-nl] [-skip-empty-file] <src> <localdst>",
        "nl skip-empty-file",
        min_args=2,
    )
    def cmd_getmerge(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Concatenate the files of the sources (a directory's files one level down, or a
        glob's) into one local file, the last argument (-nl: a newline after each file)."""
        if os.path.isdir(args[-1]):  # Merge.processOptions, before any source is looked at
            self.error(quote(args[-1], "Is a directory"))
            return
        files: list[Item] = []
        for item in self.each_item(client, args[:-1]):  # Merge: every argument but the last
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

        self.guarded(client, args[-1], lambda: _write_local(args[-1], merge))

    def _append(self, client: Any, f: Item, out: IO[bytes], opts: dict[str, Any]) -> None:
        with client.open(f.display) as src:
            self.pump(src, out)
        if opts["nl"]:
            out.write(b"\n")


def _thread_options(opts: dict[str, Any]) -> None:
    """CopyCommandWithMultiThread's -t (threads) and -q (queue size) are numbers
    (Integer.parseInt); what they tune, a pool of copy threads, is not here."""
    for name in ("t", "q"):
        value = opts.get(name)
        if value is not None and not value.lstrip("-").isdigit():
            raise UsageError(f'For input string: "{value}"')


def _preserve(client: Any, target: str, st: FileStatus, attrs: str = PRESERVE_ALL) -> None:
    """CommandWithDestination.preserveAttributes in its order: times (t), owner and group (o),
    permission (p, or a: ACLs hold the permission; this filesystem has no ACL entries or
    xattrs beyond it, so x has nothing to copy)."""
    if "t" in attrs:
        client.set_times(target, st.mtime, st.atime)
    if "o" in attrs:
        _set_owner_as(client, target, st.owner, st.group)
    if "p" in attrs or "a" in attrs:
        client.set_permission(target, st.mode)


def _set_owner_as(client: Any, target: str, owner: str, group: str) -> None:
    """setOwner(target, owner, group), leaving out a name the copy already has (Hadoop asks
    for both; an unchanged name is no change, and a user outside the file's group may keep
    it without the NameNode's "does not belong to" refusal)."""
    now = client.status(target)
    new_owner = owner if owner and owner != now.owner else None
    new_group = group if group and group != now.group else None
    if new_owner or new_group:
        client.set_owner(target, owner=new_owner, group=new_group)


def _local_owner(st: os.stat_result) -> tuple[str, str]:
    """A local file's owner and group names (the numbers when the system has no name)."""
    import grp
    import pwd

    try:
        owner = pwd.getpwuid(st.st_uid).pw_name
    except KeyError:
        owner = str(st.st_uid)
    try:
        group = grp.getgrgid(st.st_gid).gr_name
    except KeyError:
        group = str(st.st_gid)
    return owner, group


def _local_glob(patterns: list[str]) -> list[str]:
    """Expand local source patterns; a pattern matching nothing is kept (and fails later)."""
    import glob

    out: list[str] = []
    for pattern in patterns:
        matches = sorted(glob.glob(pattern)) if pattern != "-" and glob.has_magic(pattern) else []
        out.extend(matches or [pattern])
    return out


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
