"""Where a Pig relation's rows come from: a LOAD's loader, or an intermediate output.

Owns: the loader a LOAD uses (`loader_for`), which input format reads it, reading a whole
relation outside a map task (replicated join side inputs, DUMP, ILLUSTRATE) and a merge
join's index, the configuration key naming replicated inputs' distributed-cache files, and
the plain PigStorage a job's STORE writes with (`plain_store`).
Must not touch: map pipelines (runtime.py, codegen.py) or job boundaries (mrcompiler.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from piglatin.back.storage import PigStorage, get_loader, get_storer, unpack_value
from piglatin.plan import logical as L

CACHE = "pig.cache"  # replicated input op id -> its files' names in the distributed cache

__all__ = ["CACHE", "input_format_of", "loader_for", "plain_store", "read_index", "read_source"]


def plain_store(plan: L.LogicalPlan, store_id: str | None) -> PigStorage | None:
    """The PigStorage, its schema applied, that STORE `store_id` writes with when it is
    PigStorage without options and the relation has a schema; None otherwise."""
    op = plan.op(store_id) if store_id else None
    if not isinstance(op, L.LOStore) or op.schema is None:
        return None
    storer = get_storer(op.func.name, [str(a) for a in op.func.args])
    if type(storer) is not PigStorage or storer.options:
        return None
    storer.with_schema(op.schema)
    return None if storer.nested_floats() else storer  # floats in a bag: `storer.format`'s


def loader_for(op: L.LOLoad) -> Any:
    loader = get_loader(op.func.name, [str(a) for a in op.func.args])
    plain_text = (
        op.func.name.endswith("TextLoader")
        and op.schema is not None
        and [f.dtype.value for f in op.schema] == ["chararray"]
    )
    if op.declared is not None and op.schema is not None and not plain_text:
        loader.with_schema(op.schema)
    if op.map_keys:
        loader.push_map_keys(dict(op.map_keys))
    return loader


def input_format_of(op: L.LogicalOperator) -> str:
    if isinstance(op, L.LOLoad) and not op.func.name.endswith("BinStorage"):
        return "text"
    return "records"


#: the input listing Pig's jobs use: PigFileInputFormat lists an input directory's
#: subdirectories too, hidden names skipped (MapRedUtil.getAllFileRecursively)
INPUT_CONF = {"mapreduce.input.fileinputformat.input.dir.recursive": "true"}


def input_conf() -> Any:
    """A Configuration listing inputs as Pig's jobs do (`INPUT_CONF`)."""
    from dfs.conf import Configuration

    return Configuration(dict(INPUT_CONF))


def read_source(
    op: L.LogicalOperator, url: str, conf: Any = None, on_warning: Any = None
) -> Iterator[tuple]:
    """Every row of a LOAD's input or an intermediate output (for side inputs and DUMP);
    `on_warning`: the loader's (a Pig warning's name -> None), when its warnings count."""
    from mapred.io import expand_inputs
    from mapred.localfs import open_url
    from mapred.recordfile import read_records

    if input_format_of(op) == "records":
        loader = loader_for(op) if isinstance(op, L.LOLoad) else None
        if loader is not None:
            loader.on_warning = on_warning
        for part in _data_files(url, conf):
            for _k, v in read_records(part):
                yield loader.parse_line(v) if loader is not None else unpack_value(v)
        return
    loader = loader_for(op)  # type: ignore[arg-type]
    loader.on_warning = on_warning
    for part in expand_inputs([url], conf or input_conf()):
        if hasattr(loader, "set_source"):
            loader.set_source(part)
        with open_url(part, "rt", encoding="utf-8", newline="") as f:
            for line in f:
                yield loader.parse_line(line)


def _data_files(url: str, conf: Any) -> list[str]:
    from mapred.io import expand_inputs

    return expand_inputs([url], conf or input_conf())


def read_index(location: str) -> list[tuple]:
    """Entries of a merge join's index (written by its index job at `location`)."""
    from mapred.recordfile import read_records
    from mapred.runner import part_files

    return [unpack_value(v) for part in part_files(location) for _k, v in read_records(part)]
