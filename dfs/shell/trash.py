"""The trash of `hadoop fs -rm` and `-expunge`: Hadoop's TrashPolicyDefault over a DFSClient.

Owns where deleted paths go while ``fs.trash.interval`` (minutes, 0: no trash, the default) is
above zero, and the checkpoints -expunge makes and removes. Must not touch: the commands
themselves (dfs.shell.changes) or namespace logic (everything goes through the public client).

Policy, as TrashPolicyDefault:
- the trash of a user is ``/user/<user>/.Trash``; a deleted ``/a/b`` goes to
  ``.Trash/Current/a/b`` (directories made with mode 700); when that name is taken the move
  gets the current time in milliseconds appended to it;
- a path already inside the trash is not moved (the caller deletes it for good); a path that
  holds the user's trash (``/user/<user>`` or above) is refused;
- ``-expunge`` deletes the checkpoints (``.Trash/yyMMddHHmmss``) older than the interval, then
  renames ``Current`` to a new checkpoint named after the time; ``-expunge -immediate`` makes
  the checkpoint and deletes every checkpoint at once.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import IO, Any

from dfs import pathglob
from dfs.errors import DFSError
from dfs.shell.errors import PathError

log = logging.getLogger("dfs.shell")
CURRENT = "Current"
TRASH_MODE = 0o700
_CHECKPOINT = "%y%m%d%H%M%S"
_SKIP_TRASH = "Consider using -skipTrash option"


def interval_minutes(conf: Any) -> float:
    """``fs.trash.interval``: minutes a deleted path stays in the trash; 0 turns it off."""
    return conf.get_float("fs.trash.interval", 0.0)


def trash_root(client: Any) -> str:
    return f"/user/{client.user}/.Trash"


def _info(err: IO[str] | None, message: str) -> None:
    """Hadoop's log line on the console (log4j's INFO to stderr) and in the command's log."""
    log.info("%s", message)
    stamp = time.strftime("%Y-%m-%d %H:%M:%S,000")
    (err or sys.stderr).write(f"{stamp} INFO fs.TrashPolicyDefault: {message}\n")


def move_to_trash(client: Any, path: str, err: IO[str] | None = None) -> bool:
    """Move `path` (absolute, existing) into the trash; False when the trash is off or the path
    is already in it, so the caller deletes it. Raises PathError when it cannot be moved."""
    if interval_minutes(client.conf) <= 0:
        return False
    root = trash_root(client)
    if path == root or path.startswith(root + "/"):
        return False  # already in the trash
    home = root.rsplit("/", 1)[0]
    if path == "/" or home == path or home.startswith(path.rstrip("/") + "/"):
        raise PathError(
            f'Cannot move "{path}" to the trash, as it contains the trash. {_SKIP_TRASH}'
        )
    target = root + "/" + CURRENT + path
    try:
        client.mkdirs(target.rsplit("/", 1)[0], TRASH_MODE)
        original = target
        while client.exists(target):
            target = f"{original}{int(time.time() * 1000)}"
        client.rename(path, target)
    except DFSError as e:  # Delete.Rm.moveToTrash's wording
        raise PathError(f"Failed to move to trash: dfs://{path}: {e}. {_SKIP_TRASH}") from e
    _info(err, f"Moved: 'dfs://{path}' to trash at: dfs://{target}")
    return True


def expunge(client: Any, immediate: bool, err: IO[str] | None = None) -> None:
    """Delete the old checkpoints and checkpoint ``Current`` (-immediate: every checkpoint)."""
    root = trash_root(client)
    if not client.exists(root):
        return
    if immediate:  # deleteCheckpointsImmediately
        _checkpoint(client, root, err)
        _delete_checkpoints(client, root, None, err)
        return
    _delete_checkpoints(client, root, interval_minutes(client.conf), err)
    _checkpoint(client, root, err)


def _checkpoint(client: Any, root: str, err: IO[str] | None) -> None:
    current = root + "/" + CURRENT
    if not client.exists(current):
        return
    name = time.strftime(_CHECKPOINT)
    checkpoint, attempt = root + "/" + name, 0
    while client.exists(checkpoint):
        attempt += 1
        checkpoint = f"{root}/{name}-{attempt}"
    client.rename(current, checkpoint)
    _info(err, f"Created trash checkpoint: {checkpoint}")


def _delete_checkpoints(client: Any, root: str, minutes: float | None, err: IO[str] | None) -> None:
    """Delete the checkpoints made more than `minutes` ago (None: all of them)."""
    now = time.time()
    for st in client.listdir(root):
        if not st.is_dir or st.name == CURRENT:
            continue
        try:
            made = time.mktime(time.strptime(st.name.split("-")[0], _CHECKPOINT))
        except ValueError:
            log.warning("Unexpected item in trash: %s. Ignoring.", pathglob.join(root, st.name))
            continue
        if minutes is None or now - minutes * 60 > made:
            client.delete(pathglob.join(root, st.name), recursive=True)
            _info(err, f"Deleted trash checkpoint: {pathglob.join(root, st.name)}")
