"""The generators' user-error type.

Owns: ``DatasetError``, raised for a bad argument (a user mistake); the CLI prints its message
as one line. Must not touch anything else.
"""

from __future__ import annotations

__all__ = ["DatasetError"]


class DatasetError(ValueError):
    """A bad generator argument: the message names it and the fix."""
