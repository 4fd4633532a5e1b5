"""The distributed cache on a node: unpacking ``-archives`` and linking cache entries by name.

Owns: unpacking one localized archive into its directory (``unpack_archive``: .zip and .jar by
``zipfile``, .tar, .tar.gz and .tgz by ``tarfile``; an entry that would land outside the
directory is refused, as Hadoop's FileUtil.unZip/unTar do; another name is kept as it is inside
the directory, as FSDownload.unpack does), and the symbolic links a task's working directory
holds, one per cache file or archive under its name or ``#link`` (``link_entries``,
``remove_links``). Must not touch: copying from storage (``tasktracker.copy_cache_file``),
which job a tracker runs, or where a task's working directory lives (``mapred.child``; the
local runner links in its client's working directory, as Hadoop's LocalDistributedCacheManager).
"""

from __future__ import annotations

import logging
import os
import shutil
import tarfile
import zipfile

__all__ = ["ArchiveError", "link_entries", "remove_links", "unpack_archive"]

log = logging.getLogger(__name__)

_ZIPS = (".zip", ".jar")
_TARS = (".tar", ".tar.gz", ".tgz")


class ArchiveError(OSError):
    """A cache archive that cannot be unpacked (corrupt, or an entry escaping its directory)."""


def unpack_archive(path: str, name: str, target: str) -> str:
    """Unpack the archive at `path` (its format read from `name`, the archive's own file name)
    into the new directory `target`, built beside it and renamed into place; returns
    `target`. Raises ArchiveError naming `name` when it cannot be unpacked."""
    lower = name.lower()
    building = f"{target}.unpacking{os.getpid()}"
    shutil.rmtree(building, ignore_errors=True)
    os.makedirs(building)
    try:
        if lower.endswith(_ZIPS):
            _unzip(path, building)
        elif lower.endswith(_TARS):
            with tarfile.open(path, "r:" if lower.endswith(".tar") else "r:gz") as tar:
                tar.extractall(building, filter="data")
        else:  # not an archive Hadoop unpacks: kept whole inside the directory
            shutil.copyfile(path, os.path.join(building, os.path.basename(name)))
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, ValueError, OSError) as e:
        shutil.rmtree(building, ignore_errors=True)
        detail = " ".join(str(e).split()) or type(e).__name__
        raise ArchiveError(
            f"cannot unpack archive {name}: {detail} (-archives takes .zip, .jar, .tar, "
            ".tar.gz and .tgz files whose entries stay inside the archive)"
        ) from None
    shutil.rmtree(target, ignore_errors=True)
    os.replace(building, target)
    return target


def _unzip(path: str, directory: str) -> None:
    root = os.path.realpath(directory)
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            where = os.path.realpath(os.path.join(root, info.filename))
            if where != root and not where.startswith(root + os.sep):
                raise ArchiveError(f"entry {info.filename!r} would be outside the directory")
        archive.extractall(root)


def link_entries(entries: dict[str, str], directory: str) -> list[str]:
    """Make a symbolic link in `directory` per cache entry (``{link name: local path}``);
    a name already there is left alone, as Hadoop's local runner does. Returns the links made."""
    made = []
    for name, target in entries.items():
        link = os.path.join(directory, name)
        if os.path.lexists(link):
            log.info("not linking %s to %s: the name is taken", link, target)
            continue
        try:
            os.symlink(os.path.abspath(target), link)
        except OSError as e:
            log.warning("failed to create symlink %s <- %s: %s", target, link, e)
            continue
        made.append(link)
    return made


def remove_links(names: list[str], directory: str, under: str) -> None:
    """Remove the links among `names` in `directory` that point below `under` (a job's local
    directory): those the job made, never a user's own file of the same name."""
    prefix = os.path.join(under, "")
    for name in names:
        link = os.path.join(directory, name)
        try:
            if os.path.islink(link) and os.readlink(link).startswith(prefix):
                os.unlink(link)
        except OSError as e:
            log.warning("failed to delete symlink %s made for the job: %s", link, e)
