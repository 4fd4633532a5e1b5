"""What a STORE leaves beside its part files: PigStorage('<delim>', '-schema')'s and
JsonStorage's `.pig_schema` and `.pig_header` (Pig's StoreMetadata.storeSchema, called once the
job's output is committed).

Owns: deciding from a STORE's function and arguments whether and what to write. Must not
touch: the rows (storage.py) or the job's commit (mapred.committer).
"""

from __future__ import annotations

from piglatin.back.storage import parse_delimiter
from piglatin.functions.resourceschema import write_files
from piglatin.plan import logical as L

__all__ = ["is_pigstorage", "output_compression", "pigstorage_args", "store_metadata"]


def is_pigstorage(func: L.FuncSpec) -> bool:
    return func.name.rsplit(".", 1)[-1] == "PigStorage"


def pigstorage_args(func: L.FuncSpec) -> tuple[str, list[str]]:
    """PigStorage's field delimiter and its options (``'-schema -noschema'`` split)."""
    delimiter = parse_delimiter(str(func.args[0])) if func.args else "\t"
    options = str(func.args[1]).split() if len(func.args) > 1 else []
    return delimiter, options


def output_compression(store: L.LOStore) -> dict[str, object]:
    """The job settings of a PigStorage STORE into a path ending in .gz, or .bz2/.bz (func.xml
    "Handling Compression"; PigStorage.setStoreLocation): gzip or bzip2 part files."""
    if not is_pigstorage(store.func):
        return {}
    path = store.path.rstrip("/")
    if path.endswith((".bz2", ".bz")):
        codec = "org.apache.hadoop.io.compress.BZip2Codec"
    elif path.endswith(".gz"):
        codec = "org.apache.hadoop.io.compress.GzipCodec"
    else:
        return {}
    return {
        "mapreduce.output.fileoutputformat.compress": True,
        "mapreduce.output.fileoutputformat.compress.codec": codec,
    }


def store_metadata(store: L.LOStore, url: str) -> None:
    """After `store`'s output at `url` is committed: its schema files, if it asks for them
    (PigStorage with '-schema'; JsonStorage always, with a tab-separated header, as Pig's
    JsonStorage.storeSchema)."""
    if store.schema is None:
        return
    if store.func.name.rsplit(".", 1)[-1] == "JsonStorage":
        write_files(url, store.schema, "\t")
        return
    if not is_pigstorage(store.func):
        return
    delimiter, options = pigstorage_args(store.func)
    if "-schema" in options:
        write_files(url, store.schema, delimiter)
