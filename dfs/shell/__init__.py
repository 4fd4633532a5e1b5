"""`hadoop fs`: Hadoop's FileSystemShell commands over a DFSClient.

The package, by command family (imports go one way: errors <- base <- the families <- fsshell):
- `dfs.shell.errors`: usage and path errors, and their Hadoop-worded lines;
- `dfs.shell.base`: the command table, option parsing, globbing, tree walks and the
  ``._COPYING_`` write every family uses (`ShellBase`);
- `dfs.shell.listing` (-ls -du -df -count -stat -test -find), `dfs.shell.reading` (-cat -text
  -checksum -head -tail), `dfs.shell.changes` (-mkdir -touchz -touch -expunge -rm -rmdir
  -setrep -chmod -chown -chgrp), `dfs.shell.copying` (-mv -cp -put -moveFromLocal
  -appendToFile -truncate -get -moveToLocal -getmerge), `dfs.shell.trash` (where -rm puts
  paths while fs.trash.interval > 0, and -expunge's checkpoints);
- `dfs.shell.fsshell`: `FsShell`, the families together, and -usage/-help.
Must not touch: namespace or block logic (everything goes through the public DFSClient API),
process exit or configuration (dfs.cli does those), mapred or piglatin.
"""

from __future__ import annotations

from dfs.admin import format_percent
from dfs.shell.base import (
    COMMANDS,
    PUT_BEFORE_RENAME,
    USAGE_ERROR,
    CommandSpec,
    Item,
    general_usage,
    parse_options,
)
from dfs.shell.changes import parse_mode
from dfs.shell.errors import PathError, UsageError, describe
from dfs.shell.fsshell import FsShell
from dfs.shell.listing import stat_format

__all__ = [
    "COMMANDS",
    "PUT_BEFORE_RENAME",
    "USAGE_ERROR",
    "CommandSpec",
    "FsShell",
    "Item",
    "PathError",
    "UsageError",
    "describe",
    "format_percent",
    "general_usage",
    "parse_mode",
    "parse_options",
    "stat_format",
]
