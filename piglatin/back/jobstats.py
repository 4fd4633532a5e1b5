"""What Pig's end-of-run summary says about a finished job (Pig's MRJobStats/OutputStats).

Owns: a job's aliases and features (from the logical plan and its MR job), its task times
as Pig prints them, and the records a job stored, counted from the files it wrote: one
text line per row of a PigStorage-style store, the block record counts of a record file
(BinStorage). The Hadoop counters cannot tell: the back end may write many rows of a group
in one write. Must not touch: running jobs (launcher.py) or printing (cli.py); the files
are only read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from piglatin.plan import logical as L

if TYPE_CHECKING:
    from piglatin.back.mrcompiler import MRJob

__all__ = [
    "PIG_FEATURES",
    "job_aliases",
    "job_features",
    "job_ops",
    "output_records",
    "records_written",
    "task_times",
]

_CHUNK = 1 << 20


def records_written(stat: dict[str, Any]) -> int | None:
    """The rows job `stat` (an entry of ``PigServer.stats``) stored: the rows a DUMP printed,
    else counted from the stored output, once (the count is kept in `stat` as its
    ``records``: the summary asks for each output twice, and an ORDER's output is the size
    of its input); None when the output is gone (a temporary one)."""
    if stat.get("records") is not None:
        return int(stat["records"])
    if not stat.get("store"):
        return None
    try:
        stat["records"] = output_records(stat["output"], bool(stat.get("text")))
    except OSError:
        return None
    return stat["records"]


def output_records(url: str, text: bool) -> int:
    """Records in the part files of output directory `url`: lines of a text output, the
    sum of the block headers' record counts of a record-file output."""
    from mapred.localfs import open_url
    from mapred.runner import part_files

    total = 0
    for part in part_files(url):
        with open_url(part, "rb", compression="infer") as f:
            total += _lines(f) if text else _block_records(f, part)
    return total


def _lines(f: Any) -> int:
    n = 0
    while chunk := f.read(_CHUNK):
        n += chunk.count(b"\n")
    return n


def _block_records(f: Any, name: str) -> int:
    from mapred.recordfile import BLOCK_HEADER, BLOCK_OVERHEAD, SYNC_SIZE, read_header

    sync = read_header(f, name)
    n = 0
    while len(head := f.read(BLOCK_OVERHEAD)) == BLOCK_OVERHEAD and head[:SYNC_SIZE] == sync:
        count, size = BLOCK_HEADER.unpack_from(head, SYNC_SIZE)
        n += count
        f.seek(size, 1)
    return n


# -- the Job Stats table ---------------------------------------------------------------------
#: Pig's ScriptState.PIG_FEATURE, in its order (a job's features print in this order).
PIG_FEATURES = [
    "UNKNOWN",
    "MERGE_JOIN",
    "MERGE_SPARSE_JOIN",
    "REPLICATED_JOIN",
    "SKEWED_JOIN",
    "HASH_JOIN",
    "COLLECTED_GROUP",
    "MERGE_COGROUP",
    "COGROUP",
    "GROUP_BY",
    "ORDER_BY",
    "RANK",
    "DISTINCT",
    "STREAMING",
    "SAMPLER",
    "INDEXER",
    "MULTI_QUERY",
    "FILTER",
    "MAP_ONLY",
    "CROSS",
    "LIMIT",
    "UNION",
    "COMBINER",
    "NATIVE",
    "MAP_PARTIALAGG",
]
_KIND_FEATURES = {
    "order": "ORDER_BY",
    "sample": "SAMPLER",
    "rankcount": "RANK",
    "keycount": "SAMPLER",
    "index": "INDEXER",
    "distinct": "DISTINCT",
    "cross": "CROSS",
    "limit": "LIMIT",
    "rank": "RANK",
    "stream": "STREAMING",
}


def job_ops(plan: L.LogicalPlan, job: MRJob) -> list[L.LogicalOperator]:
    """The operators job `job` runs: the LOADs it reads, its map chains, its blocking
    operator and its reduce chain (not the outputs of earlier jobs it reads, not sinks)."""
    ids: list[str] = []
    for inp in job.spec.inputs:
        ids.append(inp.source)
        ids.extend(op_id for op_id, _slot in inp.chain)
    ids.extend([job.spec.op or "", *job.spec.reduce_chain])
    if job.spec.kind == "stream":  # a STREAM's job computes the STREAM (streaming.py)
        ids.append(job.spec.output_op)
    ids.extend(job.side)
    known = {op.op_id: op for op in plan.operators}
    ops = [known[i] for i in dict.fromkeys(ids) if i in known]
    inputs = {inp.source for inp in job.spec.inputs} | set(job.side)
    return [
        op
        for op in ops
        if not isinstance(op, L.SINKS) and (op.op_id not in inputs or isinstance(op, L.LOLoad))
    ]


def job_aliases(plan: L.LogicalPlan, job: MRJob) -> list[str]:
    """Pig's Alias column: the aliases of the relations the job computes, sorted."""
    return sorted({op.alias for op in job_ops(plan, job) if op.alias})


def job_features(plan: L.LogicalPlan, job: MRJob) -> list[str]:
    """Pig's Feature column (MRScriptState.getPigFeature): the job's blocking operator
    (GROUP_BY or COGROUP, HASH_JOIN, SKEWED_JOIN, ORDER_BY, DISTINCT, ...; its sampler job
    SAMPLER, a merge join's index job INDEXER), COMBINER when partial aggregates are
    combined, REPLICATED_JOIN/MERGE_JOIN in a map side, MAP_ONLY without reducers. CROSS,
    LIMIT and RANK name our jobs for those operators (Pig's MR plan marks them no other way).
    """
    spec = job.spec
    found: set[str] = set()
    op = plan.op(spec.op) if spec.op and spec.kind in ("group", "join") else None
    if isinstance(op, L.LOCogroup):
        regular = "COGROUP" if len(op.inputs) > 1 else "GROUP_BY"
        found.add(
            {"collected": "COLLECTED_GROUP", "merge": "MERGE_COGROUP"}.get(op.strategy, regular)
        )
    elif isinstance(op, L.LOJoin):
        found.add("SKEWED_JOIN" if op.strategy == "skewed" else "HASH_JOIN")
    if spec.kind in _KIND_FEATURES:
        found.add(_KIND_FEATURES[spec.kind])
    if spec.combine:
        found.add("COMBINER")
    for chained in job_ops(plan, job):
        if isinstance(chained, L.LOJoin) and chained.strategy == "replicated":
            found.add("REPLICATED_JOIN")
        elif isinstance(chained, L.LOJoin) and chained.strategy == "merge":
            found.add("MERGE_JOIN")
    if not job.reducers:
        found.add("MAP_ONLY")
    return [f for f in PIG_FEATURES if f in found]


def task_times(seconds: list[float]) -> list[str]:
    """Max, min, average and median of task durations as Pig prints them (whole seconds,
    truncated); ``n/a`` when the durations are not known."""
    if not seconds:
        return ["n/a"] * 4
    ms = sorted(int(s * 1000) for s in seconds)
    mid = len(ms) // 2
    median = ms[mid] if len(ms) % 2 else (ms[mid - 1] + ms[mid]) // 2
    return [str(v // 1000) for v in (ms[-1], ms[0], sum(ms) // len(ms), median)]
