"""A small real filesystem for full-disk tests: a tmpfs mounted for one test, then unmounted.

Mounting needs root (CI and the project's machines run as root); elsewhere the test is skipped
with the reason mount gave.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def mounted_tmpfs(mnt: Path, size: str, mode: str | None = None) -> Iterator[Path]:
    """Mount a tmpfs of `size` (``1m``, ``2m``) at `mnt` (created), yield it, unmount it."""
    mnt.mkdir(parents=True, exist_ok=True)
    options = f"size={size}" + (f",mode={mode}" if mode else "")
    try:
        p = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(mnt)],
            capture_output=True,
            text=True,
            timeout=20,
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        pytest.skip(f"cannot mount a tmpfs here: {e}")
    if p.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {p.stderr.strip() or p.returncode}")
    try:
        yield mnt
    finally:
        if subprocess.run(["umount", str(mnt)], capture_output=True, timeout=20).returncode:
            subprocess.run(["umount", "-l", str(mnt)], capture_output=True, timeout=20)
