"""The dfs error hierarchy: one root, each error also the builtin a Python user expects.

Every error carries the path (or block) it is about, and its message is the one line a user sees.
The wire format (`to_wire`/`from_wire`) lets an error cross the RPC seam without pickle.
"""

from __future__ import annotations


class DFSError(Exception):
    """Root of every filesystem error."""

    #: Hadoop's exception name, shown by some commands (e.g. ``put: ... (AccessControlException)``)
    hadoop_name = "IOException"

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""

    def to_wire(self) -> list:
        return [type(self).__name__, self.message, self.path]


class ConfigError(DFSError, ValueError):
    """A configuration property or site file is wrong; the message names the key."""


class DFSFileNotFound(DFSError, FileNotFoundError):
    hadoop_name = "FileNotFoundException"


class DFSFileExists(DFSError, FileExistsError):
    hadoop_name = "FileAlreadyExistsException"


class DFSPermissionDenied(DFSError, PermissionError):
    hadoop_name = "AccessControlException"


class DFSInvalidPath(DFSError, ValueError):
    hadoop_name = "InvalidPathException"


class DFSNotADirectory(DFSError, NotADirectoryError):
    hadoop_name = "ParentNotDirectoryException"


class DFSIsADirectory(DFSError, IsADirectoryError):
    hadoop_name = "IOException"


class DFSDirectoryNotEmpty(DFSError, OSError):
    hadoop_name = "PathIsNotEmptyDirectoryException"


class DFSChecksumError(DFSError, OSError):
    hadoop_name = "ChecksumException"


class DFSBlockMissing(DFSError, OSError):
    hadoop_name = "BlockMissingException"


class DFSSafeMode(DFSError, OSError):
    hadoop_name = "SafeModeException"


class DFSNotFormatted(DFSError, OSError):
    """The cluster directory holds no formatted namenode."""


class DFSAlreadyFormatted(DFSError, FileExistsError):
    """`namenode -format` found an existing cluster and `-force` was not given."""


class DFSQuotaOrSpace(DFSError, OSError):
    """No datanode can take a block (all dead, full, or fewer than asked for)."""


class DFSInconsistentState(DFSError, OSError):
    """The namenode's metadata (VERSION, fsimage, edit log) is damaged: refused, never repaired
    silently; the message names the file and the way out."""

    hadoop_name = "InconsistentFSStateException"


class DFSStorageWriteError(DFSError, OSError):
    """A durable metadata write (edit log, fsimage, VERSION) failed: nothing was acknowledged."""


class DFSAlreadyBeingCreated(DFSError, OSError):
    """A create of a file that another live client is still writing (it holds the lease)."""

    hadoop_name = "AlreadyBeingCreatedException"


class DFSLimitExceeded(DFSError, OSError):
    """A namespace limit would be passed (path depth or length: HDFS's IOException)."""


class DFSPathComponentTooLong(DFSLimitExceeded):
    hadoop_name = "PathComponentTooLongException"


class DFSMaxDirectoryItemsExceeded(DFSLimitExceeded):
    hadoop_name = "MaxDirectoryItemsExceededException"


_BY_NAME = {
    cls.__name__: cls
    for cls in (
        DFSError,
        ConfigError,
        DFSFileNotFound,
        DFSFileExists,
        DFSPermissionDenied,
        DFSInvalidPath,
        DFSNotADirectory,
        DFSIsADirectory,
        DFSDirectoryNotEmpty,
        DFSChecksumError,
        DFSBlockMissing,
        DFSSafeMode,
        DFSNotFormatted,
        DFSAlreadyFormatted,
        DFSQuotaOrSpace,
        DFSLimitExceeded,
        DFSPathComponentTooLong,
        DFSMaxDirectoryItemsExceeded,
        DFSAlreadyBeingCreated,
        DFSInconsistentState,
        DFSStorageWriteError,
    )
}


def from_wire(data: list) -> DFSError:
    """Rebuild an error sent by `DFSError.to_wire`; unknown names become a plain DFSError."""
    name, message, path = data
    return _BY_NAME.get(name, DFSError)(message, path)
