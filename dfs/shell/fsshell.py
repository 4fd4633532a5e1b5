"""`FsShell`: the whole `hadoop fs` command, its families put together, and -usage/-help.

Owns the help commands (FsShell.printInstanceHelp's layout: ``usage:<TAB>first line``, then
``<TAB><TAB>`` lines from each command's docstring) and the order the families combine in.
Must not touch: any command's behaviour (the family modules own those).
"""

from __future__ import annotations

from typing import Any

from dfs.shell.base import COMMANDS, CommandSpec, command, general_usage
from dfs.shell.changes import ChangeCommands
from dfs.shell.copying import CopyCommands
from dfs.shell.errors import UsageError
from dfs.shell.listing import ListingCommands
from dfs.shell.reading import ReadingCommands


class FsShell(ListingCommands, ReadingCommands, ChangeCommands, CopyCommands):
    """Runs one ``hadoop fs`` command line; `run` returns the process exit status."""

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
