"""A whole file's checksum, as HDFS's ``getFileChecksum`` defines it (``hadoop fs -checksum``).

Owns the MD5-of-MD5-of-CRC32 computation only: per block, the MD5 of the block's chunk CRCs
(4 bytes each, big-endian, one per ``dfs.bytes-per-checksum`` bytes); then the MD5 of those
block MD5s, taken over Hadoop's whole ``DataOutputBuffer`` array (32 bytes, doubled as needed,
zero-padded: a quirk of ``MD5Hash.digest(md5out.getData())`` every HDFS release keeps, which is
why an empty file's checksum ends in ``70bc8f4b...``, the MD5 of 32 zero bytes). The bytes are
``bytesPerCRC`` (int), ``crcPerBlock`` (long, 0 for a one-block file) and the MD5, as
``MD5MD5CRC32FileChecksum.getBytes``.

Hadoop asks each block's datanode for the MD5 of its stored CRCs; here the client reads the
block (every read is verified against the stored CRCs) and recomputes the same CRC32s with its
own ``dfs.bytes-per-checksum``, so the result equals Hadoop's for a file written with that
chunk size and ``dfs.checksum.type=CRC32`` (this project's replicas carry CRC32, not CRC32C).
Must not touch the namespace or the replica format (dfs.checksum owns that).
"""

from __future__ import annotations

import hashlib
import struct
from array import array
from dataclasses import dataclass
from typing import Any

from dfs.checksum import chunk_crcs

_READ = 4 << 20  # bytes read at a time (a multiple of any sane bytes-per-checksum)


@dataclass(frozen=True, slots=True)
class FileChecksum:
    """What ``FileChecksum.getAlgorithmName`` and ``getBytes`` return."""

    algorithm: str
    data: bytes

    @property
    def hex(self) -> str:
        return self.data.hex()


def _be_crcs(crcs: array) -> bytes:
    be = array("I", crcs)
    if struct.pack("=I", 1) != struct.pack(">I", 1):
        be.byteswap()
    return be.tobytes()


def block_md5(stream: Any, offset: int, length: int, bytes_per_crc: int) -> tuple[bytes, int]:
    """The MD5 of one block's chunk CRCs and how many CRCs it has."""
    md5, count, done = hashlib.md5(), 0, 0
    step = max(bytes_per_crc, _READ - _READ % bytes_per_crc)
    stream.seek(offset)
    while done < length:
        data = stream.read(min(step, length - done))
        if not data:
            raise OSError(f"file ended {length - done} bytes before its block list says")
        crcs = chunk_crcs(data, bytes_per_crc)
        md5.update(_be_crcs(crcs))
        count += len(crcs)
        done += len(data)
    return md5.digest(), count


def hadoop_buffer_md5(block_md5s: list[bytes]) -> bytes:
    """MD5 over Hadoop's DataOutputBuffer backing array holding the block MD5s."""
    used = b"".join(block_md5s)
    capacity = 32
    while capacity < len(used):
        capacity *= 2
    return hashlib.md5(used + bytes(capacity - len(used))).digest()


def file_checksum(client: Any, path: str, bytes_per_crc: int) -> FileChecksum:
    """The MD5-of-MD5-of-CRC32 checksum of the file at `path`."""
    blocks = [b for b in client.block_locations(path) if b.length > 0]
    if not blocks:  # Hadoop's "magic entry" for a file without blocks
        return FileChecksum("MD5-of-0MD5-of-0CRC32", _pack(0, 0, hadoop_buffer_md5([])))
    md5s, crc_per_block = [], 0
    with client.open(path) as stream:
        for i, b in enumerate(blocks):
            digest, count = block_md5(stream, b.offset, b.length, bytes_per_crc)
            md5s.append(digest)
            if i == 0 and len(blocks) > 1:
                crc_per_block = count
    algorithm = f"MD5-of-{crc_per_block}MD5-of-{bytes_per_crc}CRC32"
    return FileChecksum(algorithm, _pack(bytes_per_crc, crc_per_block, hadoop_buffer_md5(md5s)))


def _pack(bytes_per_crc: int, crc_per_block: int, md5: bytes) -> bytes:
    return struct.pack(">iq", bytes_per_crc, crc_per_block) + md5
