"""`hadoop fs` commands that print a file's bytes: -cat, -text, -checksum, -head, -tail (and
-tail -f, following a growing file).

Owns reading to standard output. Must not touch: local files or the namespace.
"""

from __future__ import annotations

import os
import time
from typing import Any

from dfs.shell.base import Item, ShellBase, command, file_uri_path
from dfs.shell.errors import PathError, UsageError, quote

#: how long ``-tail -f`` sleeps between looks at the file (Hadoop's Tail: 5 s; ``-s`` sets it)
FOLLOW_DELAY_MS = 5000


class ReadingCommands(ShellBase):
    """Commands that read files to standard output."""

    @command("cat", "[-ignoreCrc] <src> ...", "ignoreCrc", min_args=1)
    def cmd_cat(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Copy files to standard output.
        A file: URI reads a local file, as Hadoop's FsShell reads any filesystem:
        hadoop fs -cat file:///file3 /user/hadoop/file4"""
        self._cat_all(client, args, decode=False)

    @command("text", "[-ignoreCrc] <src> ...", "ignoreCrc", min_args=1)
    def cmd_text(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Copy files to standard output, decompressed: gzip (by its magic bytes), bzip2
        (.bz2) and zlib deflate (.deflate) files; file: URIs are local files."""
        self._cat_all(client, args, decode=True)

    def _cat_all(self, client: Any, args: list[str], decode: bool) -> None:
        for arg in args:
            local = file_uri_path(arg)
            if local is not None:
                self._cat_local(arg, local, decode)
                continue
            for item in self.each_item(client, [arg]):
                self.guarded(client, item.display, lambda i=item: self._cat(client, i, decode))

    def _cat(self, client: Any, item: Item, decode: bool) -> None:
        if item.status.is_dir:
            raise PathError(quote(item.display, "Is a directory"))
        with client.open(item.display) as stream:
            self._copy_out(stream, item.display, decode)

    def _cat_local(self, arg: str, path: str, decode: bool) -> None:
        """A file: argument: its local files (a glob expanded), with the shell's error lines."""
        import glob

        matches = sorted(glob.glob(path)) if glob.has_magic(path) else [path]
        if not matches or not os.path.exists(matches[0]):
            self.error(quote(arg, "No such file or directory"))
            return
        for match in matches:
            shown = arg if match == path else "file:" + match
            if os.path.isdir(match):
                self.error(quote(shown, "Is a directory"))
                continue
            try:
                with open(match, "rb") as stream:
                    self._copy_out(stream, match, decode)
            except OSError as e:
                self.error(quote(shown, e.strerror or str(e)))

    def _copy_out(self, stream: Any, name: str, decode: bool) -> None:
        """Display.Cat (the bytes) or Display.Text (gzip by its magic, else the codec the
        file name says: .bz2, .deflate)."""
        if decode and stream.read(2) == b"\x1f\x8b":
            import gzip

            stream.seek(0)
            with gzip.GzipFile(fileobj=stream) as unzipped:
                self.pump(unzipped, self.out)
            return
        stream.seek(0)
        base = name.rsplit("/", 1)[-1]
        if decode and base.endswith(".bz2"):
            import bz2

            with bz2.BZ2File(stream) as unzipped:
                self.pump(unzipped, self.out)
            return
        if decode and base.endswith(".deflate"):
            from dfs.deflate import DeflateReader

            self.pump(DeflateReader(stream), self.out)
            return
        self.pump(stream, self.out)

    @command("checksum", "[-v] <src> ...", "v", min_args=1)
    def cmd_checksum(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Print each file's checksum: path, algorithm and hex bytes (-v adds BlockSize=N).
        The algorithm is HDFS's MD5-of-MD5-of-CRC32 (per block the MD5 of its 512-byte
        chunks' CRC32s, then the MD5 of those), computed by this client from the file's
        verified data with its dfs.bytes-per-checksum: it equals Hadoop's for a file
        written with that chunk size and dfs.checksum.type=CRC32 (not Hadoop's default
        CRC32C). It reads the whole file."""
        from dfs.filechecksum import file_checksum  # lazy: hashlib takes ~10M instructions

        bpc = client.conf.get_int("dfs.bytes-per-checksum")
        for item in self.each_item(client, args):
            if item.status.is_dir:
                self.error(quote(item.display, "Is a directory"))
                continue
            cs = self.guarded(
                client, item.display, lambda i=item: file_checksum(client, i.display, bpc)
            )
            if cs is not None:
                size = f"\tBlockSize={item.status.blocksize}" if opts["v"] else ""
                self.print(f"{item.display}\t{cs.algorithm}\t{cs.hex}{size}")

    @command("tail", "[-f] [-s <sleep interval>] <file>", "f", 1, 1, valued="s")
    def cmd_tail(self, client: Any, opts: dict[str, Any], args: list[str]) -> int:
        """Show the last 1KB of the file.
        -f: Shows appended data as the file grows (until interrupted: Ctrl-C).
        -s: With -f, defines the sleep interval between iterations in milliseconds
        (default 5000)."""
        delay_ms = FOLLOW_DELAY_MS
        if opts["s"] is not None:
            if not opts["s"].isdigit():
                raise UsageError(f"-s: the sleep interval is a number of milliseconds: {opts['s']}")
            delay_ms = int(opts["s"])
        offset = self._ends(client, args[0], tail=True)
        if not opts["f"] or offset is None:
            return 0
        try:
            while True:  # as Hadoop's Tail: poll the length, print what is new
                self.out.flush()
                time.sleep(delay_ms / 1000)
                offset = self.guarded(
                    client, args[0], lambda o=offset: self._more(client, args[0], o)
                )
                if offset is None:
                    return 1
        except KeyboardInterrupt:  # the way out of -f: quietly, with the shell's status
            self.out.flush()
            return 130

    @command("head", "<file>", min_args=1, max_args=1)
    def cmd_head(self, client: Any, opts: dict[str, Any], args: list[str]) -> None:
        """Show the first kilobyte of a file."""
        self._ends(client, args[0], tail=False)

    def _ends(self, client: Any, path: str, tail: bool) -> int | None:
        """As Hadoop's Head and Tail (their expandArgument): the path is literal, no glob.
        Returns the offset reached (None when nothing could be read)."""
        st = self.guarded(client, path, lambda: client.status(path))
        if st is None:
            return None
        if st.is_dir:
            self.error(quote(path, "Is a directory"))
            return None

        def show() -> int:
            with client.open(path) as stream:
                start = max(0, st.length - 1024) if tail else 0
                stream.seek(start)
                return start + self.pump(stream, self.out, limit=1024)

        return self.guarded(client, path, show)

    def _more(self, client: Any, path: str, offset: int) -> int:
        """Print what lies past `offset` (Tail.dumpFromOffset); a shorter file restarts at
        its new end. Returns the new offset."""
        length = client.status(path).length
        if length <= offset:
            return length
        with client.open(path) as stream:
            stream.seek(offset)
            return offset + self.pump(stream, self.out)
