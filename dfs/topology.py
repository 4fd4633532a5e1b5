"""The state directory's cluster layout, read without loading the DFS itself: whether it was
formatted, and its ``topology`` file (one ``dnN /rackM`` line per datanode).

Owns: reading those two facts for callers that only need the layout (the embedded MapReduce
cluster places one TaskTracker per datanode). Must not touch: formatting or any other state
(dfs/cluster.py writes the topology when it formats).
"""

from __future__ import annotations

import re
from pathlib import Path

from dfs import storage
from dfs.conf import Configuration, home_dir
from dfs.errors import DFSInconsistentState

__all__ = ["NODE_ID", "is_formatted", "read_topology"]

NODE_ID = re.compile(r"[A-Za-z0-9_-]+")  # a datanode's directory name: nothing else


def is_formatted(conf: Configuration) -> bool:
    return storage.has_metadata(home_dir(conf) / "namenode")


def read_topology(home: Path) -> list[tuple[str, str]]:
    """(node id, rack) of every datanode, from ``<home>/topology``; refused when damaged."""
    path = home / "topology"
    try:
        lines = path.read_text().splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise DFSInconsistentState(
            f"the cluster topology {path} cannot be read ({e}); restore it from a backup "
            "(one `dnN /rackM` line per datanode), or `hadoop namenode -format -force`",
            str(path),
        ) from e
    nodes = []
    for line in filter(str.strip, lines):
        fields = line.split()
        if len(fields) != 2 or not NODE_ID.fullmatch(fields[0]) or fields[1][:1] != "/":
            raise DFSInconsistentState(
                f"the cluster topology {path} is damaged: {line!r} is not a `dnN /rackM` line; "
                "restore it from a backup",
                str(path),
            )
        nodes.append((fields[0], fields[1]))
    return nodes
