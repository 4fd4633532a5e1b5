"""`hadoop fs` commands that list and describe paths: -ls, -du, -df, -count, -stat, -test,
-find, -getfacl, with Hadoop's layouts (Ls, FsUsage's table, Count's columns, Stat's conversions).

Owns the listing commands and their formats. Must not touch: anything that changes the
namespace or moves data (dfs.shell.changes, dfs.shell.copying).
"""

from __future__ import annotations

import re
import time
from typing import Any

from dfs import pathglob
from dfs.admin import format_percent, long2string
from dfs.errors import DFSFileNotFound, DFSPermissionDenied
from dfs.protocol import FileStatus
from dfs.shell.base import Item, ShellBase, command
from dfs.shell.errors import PathError, UsageError


class ListingCommands(ShellBase):
    """Listing and information commands."""

    # ================================ listing and information ================================
    @command(
        "ls",
        "[-C] [-d] [-h] [-q] [-R] [-t] [-S] [-r] [-u] [-e] [<path> ...]",
        "C d h q R t S r u e",
    )
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
        field = "atime" if opts["u"] else "mtime"

        def key(i: Item) -> Any:
            if opts["t"]:
                return -getattr(i.status, field)
            return -i.status.length if opts["S"] else i.display

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
            display = _printable(it.display) if opts["q"] else it.display
            if opts["C"]:
                self.print(display)
            else:
                repl = "-" if st.is_dir else str(st.replication)
                when = st.atime if opts["u"] else st.mtime
                policy = " Replicated " if opts["e"] else ""  # Ls -e: every file is
                self.print(
                    f"{st.permission} {repl:>{w[0]}} {policy}{st.owner:<{w[1]}} {st.group:<{w[2]}} "
                    f"{human(st.length, opts['h']):>{w[3]}} {ls_date(when)} {display}"
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
                    rows.append(
                        (
                            human(cs.length, opts["h"]),
                            human(cs.space_consumed, opts["h"]),
                            t.display,
                        )
                    )
        self._table(rows, right=())

    @command("df", "[-h] [<path> ...]", "h")
    def cmd_df(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Show the capacity, used and available space of the filesystem."""
        rows = [("Filesystem", "Size", "Used", "Available", "Use%")]
        for _item in self.each_item(client, args or ["/"]):
            fs = client.disk_status()
            pct = format_percent(fs.used / fs.capacity if fs.capacity else float("nan"), 0)
            rows.append(
                (
                    _fs_uri(client),
                    human(fs.capacity, opts["h"]),
                    human(fs.used, opts["h"]),
                    human(fs.remaining, opts["h"]),
                    pct,
                )
            )
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

    @command("count", "[-q] [-h] [-v] [-u] [-x] [-e] <path> ...", "q h v u x e", min_args=1)
    def cmd_count(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Count directories, files and bytes under each path (-q adds quota columns, -u
        shows only them; -x leaves out snapshots, of which there are none here; -e adds the
        erasure coding policy, Replicated for every file here)."""
        h = opts["h"]
        if opts["x"] and (opts["q"] or opts["u"]):  # Count.processOptions, on stdout
            self.print("q or u option is given, the -x option is ignored.")
        if opts["v"]:
            quota_head = _columns(("QUOTA", "REM_QUOTA", "SPACE_QUOTA", "REM_SPACE_QUOTA"))
            head = _columns(("DIR_COUNT", "FILE_COUNT", "CONTENT_SIZE"))
            if opts["u"]:
                head = ""
            policy = "ERASURECODING_POLICY " if opts["e"] else ""
            self.print((quota_head if opts["q"] or opts["u"] else "") + head + policy + "PATHNAME")
        for item in self.each_item(client, args):
            cs = self.guarded(
                client, item.display, lambda i=item: client.content_summary(i.display)
            )
            if cs is None:
                continue
            line = ""
            if opts["q"] or opts["u"]:
                line += _quota_columns(cs, h)
            if not opts["u"]:
                line += _columns((cs.directory_count, cs.file_count, human(cs.length, h)))
            if opts["e"]:
                line += "Replicated "
            self.print(line + item.display)

    @command("stat", "[format] <path> ...", min_args=1)
    def cmd_stat(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Print statistics in a format: %a %A %b %F %g %n %o %r %u %x %X %y %Y (default %y)."""
        fmt = "%y"
        if len(args) > 1 and "%" in args[0]:
            fmt = args.pop(0)
        for item in self.each_item(client, args):
            self.print(stat_format(fmt, item.status))

    @command("getfacl", "[-R] <path>", "R")
    def cmd_getfacl(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Displays the Access Control Lists (ACLs) of files and directories. If a directory
        has a default ACL, then getfacl also displays the default ACL.
        -R: List the ACLs of all files and directories recursively.
        <path>: File or directory to list.
        (No path here has ACL entries beyond its permission bits: the minimal ACL.)"""
        if not args:
            raise UsageError("<path> is missing")
        if len(args) > 1:
            raise UsageError("Too many arguments")

        def visit(it: Item) -> list[Item]:
            self.out.write(_acl_text(it).encode("utf-8", "surrogateescape"))
            if opts["R"] and it.status.is_dir:
                return sorted(self.children(client, it), key=lambda k: k.display)
            return []

        for item in self.each_item(client, args):
            self.guarded(client, item.display, lambda i=item: self._tree(client, i, _shown, visit))

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
        except DFSPermissionDenied as e:  # a directory above it: Command.run's displayError
            self.error(e.message)
            return 1
        st = items[0].status
        flag = chosen[0]
        if flag in "rw":  # Test.testAccess: FileSystem.access, the NameNode's own check
            return _access(client, items[0].display, st, 4 if flag == "r" else 2)
        checks = {
            "e": True,
            "d": st.is_dir,
            "f": not st.is_dir,
            "s": st.length > 0,
            "z": st.length == 0,
        }
        return 0 if checks[flag] else 1

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
        regexes = [
            re.compile(pathglob.component_regex(p).pattern, re.DOTALL | (re.I if i else 0))
            for p, i in tests
        ]

        def visit(it: Item) -> list[Item]:
            if all(rx.fullmatch(it.status.name or it.display) for rx in regexes):
                self.out.write((it.display + end).encode("utf-8", "surrogateescape"))
            return self.children(client, it) if it.status.is_dir else []

        for item in self.each_item(client, paths or ["."]):
            self.guarded(
                client,
                item.display,
                lambda i=item: self._tree(client, i, lambda n: n.display, visit),
            )


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
    return _columns((quota, rem, space, srem))


def _columns(cells: tuple[Any, ...]) -> str:
    """Count's columns, right-aligned as Java's ``%12s %15s %15s %15s `` (quota columns) and
    ``%12s %12s %18s `` (counts), each followed by one space."""
    widths = (12, 15, 15, 15) if len(cells) == 4 else (12, 12, 18)
    return "".join(f"{cell!s:>{w}} " for cell, w in zip(cells, widths, strict=True))


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


def _shown(item: Item) -> str:
    return item.display


def _acl_text(item: Item) -> str:
    """GetfaclCommand.processPath for a path with no extended ACL entries: the file, owner and
    group lines, ``# flags: --t`` (``--T`` without other's execute) for the sticky bit, the
    minimal ACL from the permission bits, and a blank line."""
    st = item.status
    lines = [f"# file: {item.display}", f"# owner: {st.owner}", f"# group: {st.group}"]
    if st.mode & 0o1000:
        lines.append("# flags: --" + ("t" if st.mode & 0o001 else "T"))
    for name, shift in (("user", 6), ("group", 3), ("other", 0)):
        bits = st.mode >> shift & 7
        lines.append(
            f"{name}::" + "".join(ch if bits & b else "-" for ch, b in zip("rwx", (4, 2, 1)))
        )
    return "\n".join(lines) + "\n\n"


def _printable(path: str) -> str:
    """``-ls -q`` (Hadoop's PrintableString): each control, format, private-use, surrogate or
    unassigned character shown as ``?``."""
    import unicodedata

    return "".join(
        "?" if unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs", "Cn") else ch for ch in path
    )


def _access(client: Any, path: str, st: FileStatus, bit: int) -> int:
    """-test -r/-w's status: 0 when the filesystem grants permission `bit` (4 read, 2 write)
    on `path`. A client without an access check (local files) uses FileSystem's default
    checkAccessPermissions: the owner's bits if the user owns it, the group's if the user is
    in its group, the other bits: any of them granting is enough."""
    try:
        check = client.check_access
    except AttributeError:
        owner = st.owner == client.user and st.mode >> 6 & bit
        group = st.mode >> 3 & bit and st.group in _unix_groups(client.user)
        return 0 if owner or group or st.mode & bit else 1
    try:
        check(path, bit)
    except (DFSPermissionDenied, DFSFileNotFound):
        return 1
    return 0


def _unix_groups(user: str) -> tuple[str, ...]:
    """The operating system's groups of `user` (Hadoop's ShellBasedUnixGroupsMapping)."""
    from dfs.conf import ClusterSettings, user_groups

    return user_groups(user, ClusterSettings())


def ls_date(ms: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(ms / 1000.0))


def utc_date(ms: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(ms / 1000.0))


def human(n: int, on: bool) -> str:
    return long2string(n, "", 1) if on else str(n)
