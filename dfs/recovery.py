"""``hadoop namenode -recover``: HDFS's metadata recovery mode for a damaged namenode directory.

Owns the operator's side of recovery: keeping a copy of every metadata file before anything is
changed (``edits.corrupt-<timestamp>``, ...), rebuilding what can be rebuilt (a lost or
unreadable VERSION from the fsimage's cluster id; a lost edit log as an empty one after the
last checkpoint), asking what to do about each damaged edit, and saving the result as a new
checkpoint so the directory loads again. Must not touch block files or the running cluster.

The choices are HDFS's (MetaRecoveryContext), asked for each damaged edit:
``c`` continue, skipping the bad record (the first choice: ``-force`` takes it without asking),
``s`` stop reading the edit log here, abandoning any later edits, ``q`` quit without saving,
``a`` always take the first choice from now on. Records after a skipped one are still applied
when they fit; each one that no longer fits is asked about in turn. What was dropped is
reported. A damaged fsimage cannot be salvaged here: restore it from a backup.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dfs import editlog, storage
from dfs.conf import Configuration
from dfs.errors import DFSError, DFSInconsistentState, DFSNotFormatted
from dfs.namenode import NameNode

WARNING = (
    "You have selected Metadata Recovery mode. This mode is intended to recover lost metadata "
    "on a corrupt filesystem. Metadata recovery mode often permanently deletes data from your "
    "filesystem: a copy of every metadata file is kept before anything is changed."
)
PROMPT = (
    "Enter 'c' to continue, skipping the bad record in the log\n"
    "Enter 's' to stop reading the edit log here, abandoning any later edits\n"
    "Enter 'q' to quit without saving\n"
    "Enter 'a' to always select the first choice in the future without prompting. (c/s/q/a)"
)


class RecoveryQuit(DFSError):
    """The operator chose to quit: nothing was changed."""


@dataclass(slots=True)
class RecoveryReport:
    kept: list[Path] = field(default_factory=list)  # copies of the files as they were
    actions: list[str] = field(default_factory=list)  # what was rebuilt or dropped
    txid: int = 0  # the last transaction in the saved checkpoint

    @property
    def changed(self) -> bool:
        return bool(self.actions)


def _policy(ask: Callable[[str], str] | None) -> Callable[[str], str]:
    """The NameNode's recovery callback: "skip" or "stop" per damaged edit."""
    always = ask is None

    def decide(problem: str) -> str:
        nonlocal always
        if always:
            return "skip"
        answer = ask(f"{problem}\n{PROMPT}").strip().lower()[:1]  # type: ignore[misc]
        if answer == "s":
            return "stop"
        if answer == "q":
            raise RecoveryQuit("recovery stopped on request: nothing was changed")
        always = answer == "a"
        return "skip"

    return decide


def _keep_copies(directory: Path) -> list[Path]:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    kept = []
    for name in storage.METADATA_FILES:
        path = directory / name
        if path.exists():
            copy = directory / f"{name}.corrupt-{stamp}"
            shutil.copy2(path, copy)
            os.chmod(copy, storage.FILE_MODE)
            kept.append(copy)
    return kept


def _rebuild(directory: Path, report: RecoveryReport) -> None:
    """Put back a missing or unreadable VERSION and a missing edit log (from the image)."""
    image_path = directory / "fsimage"
    if not image_path.exists():
        raise DFSInconsistentState(
            f"the fsimage {image_path} is missing: recovery needs the last checkpoint; restore "
            "the namenode directory from a backup, or `hadoop namenode -format -force`",
            str(image_path),
        )
    image = editlog.read_image(image_path)  # a damaged image is refused with its own words
    image_id = str(image.get("cluster_id") or "")
    try:
        version = storage.read_version(directory / "VERSION")
    except DFSInconsistentState:
        version = None
    if version is not None and image_id and version["clusterID"] != image_id:
        raise storage.inconsistent_ids(directory, version["clusterID"], image_id)
    if version is None:
        cluster_id = image_id or storage.new_cluster_id()
        fields = storage.namenode_version(cluster_id, str(image.get("superuser", "")))
        storage.write_version(directory / "VERSION", fields)
        report.actions.append(f"VERSION rebuilt from the fsimage (clusterID = {cluster_id})")
    edits = directory / "edits"
    if not edits.exists():
        editlog.EditLog(edits).create(start_txid=int(image.get("txid", 0)) + 1)
        report.actions.append(
            f"the edit log was missing: started an empty one; operations after txid "
            f"{image.get('txid')} (the last checkpoint) are lost"
        )


def _refuse_if_in_use(directory: Path) -> None:
    """Recovery rewrites the metadata: refuse while a command holds the namespace lock."""
    lock = directory / "lock"
    if not lock.exists():
        return
    fd = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise DFSError(
            f"{directory} is in use by another command (its lock is held); stop every command "
            "and job using this cluster, then run `hadoop namenode -recover` again",
            str(directory),
        ) from None
    finally:
        os.close(fd)  # closing drops the probe's lock: the namenode below takes its own


def recover(
    directory: Path, conf: Configuration, ask: Callable[[str], str] | None = None
) -> RecoveryReport:
    """Recover a damaged namenode directory; `ask` None takes the first choice (``-force``)."""
    directory = Path(directory)
    if not storage.has_metadata(directory):
        raise DFSNotFormatted(
            f"NameNode is not formatted: {directory} holds no namenode metadata to recover; "
            "run `hadoop namenode -format` to create a new cluster",
            str(directory),
        )
    _refuse_if_in_use(directory)
    report = RecoveryReport(kept=_keep_copies(directory))
    try:
        _rebuild(directory, report)
        edits = directory / "edits"
        found = editlog.scan(edits)
        size = edits.stat().st_size
        nn = NameNode(directory, conf, recovery=_policy(ask))
    except BaseException:
        if not report.actions:
            for copy in report.kept:
                copy.unlink(missing_ok=True)
        raise
    if found.end < size:
        report.actions.append(
            f"dropped a torn write of {size - found.end} bytes at the end of {edits} "
            "(a write that never completed, never acknowledged)"
        )
    report.actions += nn.recovered
    if report.changed:
        nn.checkpoint()  # the salvaged namespace as a new image, and a fresh edit log
    else:
        for copy in report.kept:
            copy.unlink(missing_ok=True)
        report.kept = []
    report.txid = nn.txid
    nn.close()
    return report
