"""Storage directories' identity: the VERSION files of the namenode and the datanodes, durable
small-file writes, and the inspection that tells a formatted, an unformatted and a damaged
state directory apart.

Owns the VERSION format (HDFS's ``key=value`` lines: clusterID, storageType, layoutVersion, ...),
how every metadata file is written (a temporary file, `faults.write_fully`, fsync, rename, fsync
of the directory, mode 600), the modes of the namenode directory (700, like HDFS's
``dfs.namenode.name.dir``) and the refusal messages. Must not touch what the fsimage and the
edit log contain (`dfs.editlog`, `dfs.fsimage`) nor block files (`dfs.datanode`).

States of a namenode directory, and what opening it does:
- missing, or holding none of VERSION/fsimage/edits: not formatted (`DFSNotFormatted`);
- VERSION, fsimage and edits present and agreeing: opened;
- anything else (a file missing or unreadable, cluster ids that disagree): damaged
  (`DFSInconsistentState`), refused with the file's name and the ways out.
A datanode directory is adopted when it is empty; one that carries another cluster's id, or
holds block files but no VERSION, is refused (never wiped).
"""

from __future__ import annotations

import errno
import logging
import os
import time
from pathlib import Path
from typing import Any

from dfs import faults
from dfs.errors import DFSInconsistentState, DFSNotFormatted, DFSStorageWriteError

log = logging.getLogger(__name__)

#: 1: the first layout (no datanode VERSION, nested fsimage); 2: datanode VERSION, flat image
LAYOUT_VERSION = 2
DIR_MODE = 0o700
FILE_MODE = 0o600
METADATA_FILES = ("VERSION", "fsimage", "edits")

WAYS_OUT = (
    "restore the namenode directory from a backup, run `hadoop namenode -recover` to salvage "
    "what can be read, or `hadoop namenode -format -force` to erase the cluster and start over"
)


def os_reason(e: OSError) -> str:
    """The kernel's words for a failed call ("No space left on device")."""
    if e.strerror:
        return e.strerror
    return os.strerror(e.errno) if e.errno else str(e) or os.strerror(errno.EIO)


def write_durably(path: Path, data: bytes, tag: str, what: str) -> None:
    """Replace `path` with `data`: tmp file, `faults.write_fully`, fsync, rename, dir fsync.

    On failure the temporary file is removed, `path` is left as it was, and
    `DFSStorageWriteError` ("cannot write <what> <path>: <reason>") is raised.
    """
    tmp = path.with_name(path.name + ".tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        try:
            faults.write_fully(fd, data, tag)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise DFSStorageWriteError(f"cannot write {what} {path}: {os_reason(e)}", str(path)) from e


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# -- VERSION files ---------------------------------------------------------------------------------
def render_version(fields: dict[str, str]) -> bytes:
    stamp = time.strftime("#%a %b %d %H:%M:%S UTC %Y", time.gmtime())
    return (stamp + "\n" + "".join(f"{k}={v}\n" for k, v in fields.items())).encode()


def write_version(path: Path, fields: dict[str, str]) -> None:
    write_durably(path, render_version(fields), "version", "the storage VERSION file")


def read_version(path: Path) -> dict[str, str] | None:
    """The fields of a VERSION file, None when it does not exist; raises when unreadable."""
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as e:
        raise DFSInconsistentState(f"{path} is unreadable ({e}); {WAYS_OUT}", str(path)) from e
    fields: dict[str, str] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            key, sep, value = line.partition("=")
            if not sep:
                raise DFSInconsistentState(
                    f"{path} is damaged (the line {line!r} is not key=value); {WAYS_OUT}",
                    str(path),
                )
            fields[key.strip()] = value.strip()
    if not fields.get("clusterID"):
        raise DFSInconsistentState(f"{path} is damaged (no clusterID); {WAYS_OUT}", str(path))
    return fields


def _uuid4() -> Any:
    """A random UUID; ``uuid`` (and the ``platform`` it imports, 2 ms) is loaded only by
    what makes new storage (formatting, a new datanode), not by every command that opens
    the cluster."""
    import uuid

    return uuid.uuid4()


def new_cluster_id() -> str:
    return "CID-" + str(_uuid4())


def namenode_version(cluster_id: str, superuser: str) -> dict[str, str]:
    return {
        "namespaceID": str(_uuid4().int % (1 << 31)),
        "clusterID": cluster_id,
        "cTime": str(int(time.time() * 1000)),
        "storageType": "NAME_NODE",
        "blockpoolID": f"BP-{_uuid4().int % (1 << 31)}-{int(time.time() * 1000)}",
        "layoutVersion": str(LAYOUT_VERSION),
        "superuser": superuser,
    }


# -- the namenode directory -----------------------------------------------------------------------
def secure_namenode_dir(directory: Path) -> None:
    """Mode 700 on the directory and 600 on its files (the owner of the state directory)."""
    os.chmod(directory, DIR_MODE)
    for entry in os.scandir(directory):
        if entry.is_file(follow_symlinks=False):
            os.chmod(entry.path, FILE_MODE)


def keep_private(directory: Path) -> None:
    """Secure a namenode directory made before modes were set (one stat when already 700)."""
    try:
        if os.stat(directory).st_mode & 0o077:
            secure_namenode_dir(directory)
    except PermissionError:  # not ours to change: opening it read-only is still fine
        log.warning("cannot restrict the modes of %s (not its owner)", directory)


def has_metadata(directory: Path) -> bool:
    return any((directory / name).exists() for name in METADATA_FILES)


def check_namenode_dir(directory: Path) -> dict[str, str]:
    """The VERSION fields of a formatted namenode directory; raises when it is not formatted
    or is damaged (see the module docstring)."""
    if not has_metadata(directory):
        raise DFSNotFormatted(
            f"NameNode is not formatted: {directory} holds no namenode metadata; "
            "run `hadoop namenode -format` to create a new cluster",
            str(directory),
        )
    version = read_version(directory / "VERSION")
    if version is None:
        raise DFSInconsistentState(
            f"NameNode storage {directory} is damaged: VERSION is missing while "
            f"{_present(directory)} exist; {WAYS_OUT} (-recover rebuilds VERSION from the fsimage)",
            str(directory / "VERSION"),
        )
    for name, what in (("fsimage", "the checkpoint image"), ("edits", "the edit log")):
        if not (directory / name).exists():
            raise DFSInconsistentState(
                f"NameNode storage {directory} is damaged: {name} ({what}) is missing; {WAYS_OUT}",
                str(directory / name),
            )
    return version


def _present(directory: Path) -> str:
    return " and ".join(n for n in METADATA_FILES if (directory / n).exists())


def inconsistent_ids(directory: Path, version_id: str, image_id: str) -> DFSInconsistentState:
    return DFSInconsistentState(
        f"Inconsistent checkpoint fields in {directory}: VERSION has clusterID = {version_id} "
        f"but fsimage has clusterID = {image_id} (the files come from different clusters); "
        "restore the namenode directory from one backup, or `hadoop namenode -format -force` "
        "to erase the cluster and start over",
        str(directory / "VERSION"),
    )


# -- datanode directories -------------------------------------------------------------------------
def has_block_files(directory: Path) -> bool:
    """True when a datanode directory holds any block file (finalized or being written)."""
    if not directory.is_dir():
        return False
    for _root, _dirs, files in os.walk(directory):
        if any(name.startswith("blk_") for name in files):
            return True
    return False


def datanode_version(cluster_id: str, node_id: str) -> dict[str, str]:
    return {
        "storageID": f"DS-{node_id}-{_uuid4()}",
        "clusterID": cluster_id,
        "cTime": "0",
        "datanodeUuid": str(_uuid4()),
        "storageType": "DATA_NODE",
        "layoutVersion": str(LAYOUT_VERSION),
    }


def check_datanode_dir(directory: Path, node_id: str, cluster_id: str, legacy: bool) -> str | None:
    """Why the datanode storage in `directory` must not be used with `cluster_id` (None: fine).

    An empty or missing directory is taken (its VERSION written now), as HDFS formats a fresh
    data directory; so is one of a `legacy` cluster (made before datanodes had a VERSION).
    Nothing in the directory is ever deleted here.
    """
    path = directory / "VERSION"
    try:
        version = read_version(path)
    except DFSInconsistentState as e:
        return e.message
    if version is not None:
        theirs = version["clusterID"]
        if theirs != cluster_id:
            return (
                f"Incompatible clusterIDs in {directory}: namenode clusterID = {cluster_id}; "
                f"datanode clusterID = {theirs}"
            )
        return None
    if has_block_files(directory) and not legacy:
        return (
            f"datanode storage {directory} holds block files but no VERSION: it is not known "
            "to belong to this cluster (restore its VERSION, or move the directory away)"
        )
    directory.mkdir(parents=True, exist_ok=True)
    try:
        write_version(path, datanode_version(cluster_id, node_id))
    except DFSStorageWriteError as e:  # another command may have written it just now
        try:
            theirs = read_version(path)
        except DFSInconsistentState:
            theirs = None
        if theirs is None or theirs["clusterID"] != cluster_id:
            return e.message
    return None
