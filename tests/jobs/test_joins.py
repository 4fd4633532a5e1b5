"""The study's MapReduce joins against a plain-Python semantic expansion of the same tables."""

from __future__ import annotations

import collections
import random

import pytest

from datasets.ncbo import generate_ncbo
from jobs.joins import STRATEGIES, run_join, singleton
from mapred.embedded import shutdown_clusters


def expected_rows(annotations: list[str], relation: list[str]) -> collections.Counter:
    """Plain Python: one row per (annotation, ancestor) of its concept; inner join."""
    ancestors = collections.defaultdict(list)
    for line in relation:
        _, concept, parent, level = line.split("\t")
        ancestors[concept].append((parent, level))
    rows: collections.Counter = collections.Counter()
    for line in annotations:
        fields = line.split("\t")
        for parent, level in ancestors.get(fields[0], ()):
            rows["\t".join((fields[1], fields[0], parent, level))] += 1
    return rows


def write_lines(path, lines: list[str]) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


def handmade(seed: int = 5) -> tuple[list[str], list[str]]:
    """A relation of 40 concepts (0-6 ancestors each, root concepts have none) and annotations
    with a hot concept (half the rows), concepts absent from the relation, and root concepts."""
    rng = random.Random(seed)
    relation, row_id = [], 10_000_001
    for c in range(40):
        for level in range(1, c % 7 + 1):
            relation.append(f"{row_id}\t{8_000_000 + c}\t{9_000_000 + c * 10 + level}\t{level}")
            row_id += 1
    rng.shuffle(relation)  # the joins must not depend on the relation's order
    annotations = []
    for i in range(3000):
        if i % 2 == 0:
            concept = 8_000_006  # the hot concept: 6 ancestors
        elif i % 11 == 0:
            concept = 7_000_000 + i  # absent from the relation
        else:
            concept = 8_000_000 + rng.randrange(40)
        annotations.append(f"{concept}\t{1_000_000 + i // 5}\t{i % 4}\t11\t{i}\t3\t9\t2")
    return annotations, relation


def conf(tmp_path, reducers: int) -> dict:
    return {
        "mapreduce.job.reduces": reducers,
        "mapreduce.task.io.sort.mb": "0.01",
        "mapreduce.task.io.sort.factor": 3,
        "mapreduce.cluster.local.dir": str(tmp_path / "local"),
        "mapreduce.input.fileinputformat.split.maxsize": 20_000,
    }


def run_all(tmp_path, ann: str, rel: str, reducers: int = 2, executor: str = "local") -> dict:
    got = {}
    for strategy in STRATEGIES:
        result = run_join(
            strategy,
            ann,
            rel,
            str(tmp_path / f"out-{strategy}"),
            conf(tmp_path, reducers),
            executor=executor,
        )
        assert result.succeeded, result.error
        got[strategy] = collections.Counter(f"{k}\t{v}" for k, v in result.read_output())
    return got


@pytest.fixture(autouse=True)
def _fresh_singleton_cache():
    singleton.clear_cache()
    yield
    singleton.clear_cache()


@pytest.mark.parametrize("reducers", [1, 3])
def test_handmade_tables_every_strategy_matches_plain_python(tmp_path, reducers):
    annotations, relation = handmade()
    write_lines(tmp_path / "ann" / "part-00000", annotations)
    write_lines(tmp_path / "rel" / "part-00000", relation)
    expected = expected_rows(annotations, relation)
    assert sum(expected.values()) > 9000  # the hot concept alone gives 1500 x 6 rows
    for strategy, rows in run_all(
        tmp_path, str(tmp_path / "ann"), str(tmp_path / "rel"), reducers
    ).items():
        assert rows == expected, strategy


def test_generated_tables_every_strategy_matches_plain_python(tmp_path):
    stats = generate_ncbo(str(tmp_path / "data"), ["wp"], scale=0.0001, seed=3, progress=False)
    ann_url, rel_url = stats["annotations_wp"].url, stats["relation"].url
    annotations = (tmp_path / "data" / "annotations_wp" / "part-00000").read_text().splitlines()
    relation = (tmp_path / "data" / "relation" / "part-00000").read_text().splitlines()
    expected = expected_rows(annotations, relation)
    concepts = {line.split("\t")[1] for line in relation}
    assert any(line.split("\t")[0] not in concepts for line in annotations)  # missing concepts
    for strategy, rows in run_all(tmp_path, ann_url, rel_url).items():
        assert rows == expected, strategy


@pytest.mark.parametrize("empty", ["annotations", "relation", "both"])
def test_empty_inputs_give_empty_output(tmp_path, empty):
    annotations, relation = handmade()
    ann = write_lines(tmp_path / "ann" / "part-00000", [] if empty != "relation" else annotations)
    rel = write_lines(tmp_path / "rel" / "part-00000", [] if empty != "annotations" else relation)
    for strategy, rows in run_all(tmp_path, ann, rel).items():
        assert rows == collections.Counter(), strategy


def test_relation_split_over_several_part_files(tmp_path):
    annotations, relation = handmade(seed=9)
    ann = write_lines(tmp_path / "ann" / "part-00000", annotations)
    half = len(relation) // 2
    write_lines(tmp_path / "rel" / "part-00000", relation[:half])
    write_lines(tmp_path / "rel" / "part-00001", relation[half:])
    write_lines(tmp_path / "rel" / "_SUCCESS", [])
    expected = expected_rows(annotations, relation)
    for strategy, rows in run_all(tmp_path, ann, str(tmp_path / "rel")).items():
        assert rows == expected, strategy


def test_singleton_loads_the_relation_once_per_worker_process(tmp_path):
    annotations, relation = handmade()
    ann = write_lines(tmp_path / "ann" / "part-00000", annotations)
    rel = write_lines(tmp_path / "rel" / "part-00000", relation)
    shutdown_clusters()  # fresh task processes: nothing inherited from earlier tests
    loads_here = singleton.load_count()
    # One map slot on each of the 4 trackers: each tracker runs its map tasks in one warm
    # child process, so at most 4 processes load the relation, however many maps run.
    workers = 4
    job_conf = {**conf(tmp_path, 0), "mapreduce.tasktracker.map.tasks.maximum": 1}
    first = singleton.run(ann, rel, str(tmp_path / "o1"), job_conf, executor="cluster")
    assert first.succeeded, first.error
    maps = first.stats["maps"]
    assert maps > workers  # more map tasks than processes: some must reuse a loaded map
    counts = first.counters["Singleton join"]
    assert 1 <= counts["Relation loads"] <= workers
    assert counts["Relation loads"] + counts.get("Relation cache hits", 0) == maps
    second = singleton.run(ann, rel, str(tmp_path / "o2"), job_conf, executor="cluster")
    assert second.succeeded, second.error
    again = second.counters["Singleton join"]
    # the same processes keep it: a second job loads it only in a worker the first job's
    # maps never reached (the scheduler need not use every tracker), never twice per worker
    assert counts["Relation loads"] + again.get("Relation loads", 0) <= workers
    assert again.get("Relation loads", 0) + again["Relation cache hits"] == second.stats["maps"]
    assert singleton.load_count() == loads_here  # the client process never loaded it
    rows = collections.Counter(f"{k}\t{v}" for k, v in second.read_output())
    assert rows == expected_rows(annotations, relation)
    assert all(p.name.startswith("part-m-") for p in (tmp_path / "o2").glob("part-*"))


def test_singleton_reloads_when_the_relation_changes(tmp_path):
    _, relation = handmade()
    rel_path = tmp_path / "rel" / "part-00000"
    write_lines(rel_path, relation)
    first, loaded = singleton.relation_map(str(tmp_path / "rel"))
    again, loaded_again = singleton.relation_map(str(tmp_path / "rel"))
    assert loaded and not loaded_again and again is first
    write_lines(rel_path, relation[: len(relation) // 2])
    changed, reloaded = singleton.relation_map(str(tmp_path / "rel"))
    assert reloaded
    assert sum(len(v) for v in changed.values()) == len(relation) // 2


def test_every_strategy_on_the_dfs_with_the_cluster_executor(tmp_path, mini_cluster, monkeypatch):
    from dfs.filesystem import DFSFileSystem

    monkeypatch.setenv("MINIHADOOP_HOME", str(mini_cluster.home))
    DFSFileSystem.clear_instance_cache()
    shutdown_clusters()  # workers fork with this cluster's home in their environment
    try:
        annotations, relation = handmade(seed=11)
        client = mini_cluster.client()
        client.write_bytes("/t/ann/part-00000", "".join(a + "\n" for a in annotations).encode())
        client.write_bytes("/t/rel/part-00000", "".join(r + "\n" for r in relation).encode())
        expected = expected_rows(annotations, relation)
        for strategy in STRATEGIES:
            result = run_join(
                strategy,
                "dfs:///t/ann",
                "dfs:///t/rel",
                f"dfs:///t/out-{strategy}",
                {
                    "mapreduce.job.reduces": 2,
                    "mapreduce.cluster.local.dir": str(tmp_path / "local"),
                },
                executor="cluster",
            )
            assert result.succeeded, result.error
            assert result.stats["maps"] >= 2  # 64 KiB blocks: the annotations span blocks
            got = collections.Counter(f"{k}\t{v}" for k, v in result.read_output())
            assert got == expected, strategy
    finally:
        shutdown_clusters()
        DFSFileSystem.clear_instance_cache()


@pytest.mark.parametrize("executor", ["local", "cluster"])
def test_naive_user_join_matches_plain_python(tmp_path, executor):
    """The obvious user-written join (jobs.joins.naive: one mapper tagging rows by table, a
    reducer pairing the two lists), on both executors."""
    from mapred.runner import run_job

    annotations, relation = handmade()
    ann = write_lines(tmp_path / "annotations" / "part-00000", annotations)
    rel = write_lines(tmp_path / "relation" / "part-00000", relation)
    result = run_job(
        "jobs.joins.naive:NaiveJoin",
        [ann, rel],
        str(tmp_path / "out"),
        conf(tmp_path, 2),
        executor=executor,
    )
    assert result.succeeded, result.error
    rows = collections.Counter(f"{k}\t{v}" for k, v in result.read_output())
    assert rows == expected_rows(annotations, relation)


def expected_outer_rows(annotations: list[str], relation: list[str]) -> collections.Counter:
    """The inner rows, plus ``element<TAB>concept<TAB>`` for an annotation whose concept has no
    ancestor (a left outer join of the annotations)."""
    rows = expected_rows(annotations, relation)
    known = {line.split("\t")[1] for line in relation}
    for line in annotations:
        concept, element = line.split("\t")[:2]
        if concept not in known:
            rows[f"{element}\t{concept}\t"] += 1
    return rows


@pytest.mark.parametrize(
    ("buffered", "join_type"), [("left", "inner"), ("left", "leftouter"), ("right", "leftouter")]
)
def test_reduce_side_join_in_its_other_configurations(tmp_path, buffered, join_type):
    """jobs.joins.reduce_side held rows (several rows per tagged record) reach the generic join
    one by one when the annotations are buffered or the join is outer; tiny sort buffers make
    the maps flush their held rows many times over."""
    from jobs.join_reduce_side import BUFFERED, JOIN_TYPE
    from jobs.joins import reduce_side

    annotations, relation = handmade(seed=7)
    ann = write_lines(tmp_path / "ann" / "part-00000", annotations)
    rel = write_lines(tmp_path / "rel" / "part-00000", relation)
    job_conf = {**conf(tmp_path, 3), BUFFERED: buffered, JOIN_TYPE: join_type}
    result = reduce_side.run(ann, rel, str(tmp_path / "out"), job_conf, executor="local")
    assert result.succeeded, result.error
    rows = collections.Counter(f"{k}\t{v}" for k, v in result.read_output())
    want = expected_outer_rows if join_type == "leftouter" else expected_rows
    assert rows == want(annotations, relation)


def test_keyed_pieces_deal_a_hot_key_into_shares_and_keep_every_value():
    """In-mapper combining (jobs.joins.KeyedPieces): a key seen in many batches with many
    bytes comes out as 8 (key, share) records, a small key as one; every value exactly once."""
    from jobs.joins import KeyedPieces

    groups = KeyedPieces(1 << 30, "\t", spread=8)
    hot, cold = [], []
    for b in range(10):
        values = [f"e{b}-{i:05d}" for i in range(300)]
        hot += values
        cold.append(f"c{b}")
        assert groups.add(["hot"] * 300 + ["cold"], values + [f"c{b}"]) is None
    out = groups.flush()
    shares = sorted(key[1] for key, _ in out if key[0] == "hot")
    assert shares == list(range(8))
    got_hot = [v for key, text in out if key[0] == "hot" for v in text.split("\t")]
    assert sorted(got_hot) == sorted(hot)
    assert [(key, text.split("\t")) for key, text in out if key[0] == "cold"] == [
        (("cold", 0), cold)
    ]
    assert groups.flush() == []


def test_keyed_pieces_flush_when_past_their_budget():
    from jobs.joins import KeyedPieces

    groups = KeyedPieces(2000, "\n")
    flushed = [
        groups.add([f"k{i % 7}" for i in range(50)], [f"row {b} {i}" for i in range(50)])
        for b in range(20)
    ]
    assert any(flushed) and not all(flushed)  # flushed now and then, not every batch
    rows = [row for out in flushed if out for _, text in out for row in text.split("\n")]
    rows += [row for _, text in groups.flush() for row in text.split("\n")]
    assert sorted(rows) == sorted(f"row {b} {i}" for b in range(20) for i in range(50))


def test_singleton_map_joins_each_annotation_with_every_ancestor():
    job = singleton.SingletonJoin()
    job.relation = {"c": ["c\tp1\t1", "c\tp2\t2"]}
    lines = ["c\te1\tx", "unknown\te9", "c\te2", "no tab here"]
    rows = sorted(job.map_batch(range(len(lines)), lines))
    assert rows == sorted((e, r) for e in ("e1", "e2") for r in job.relation["c"])
    assert sorted(r for line in lines for r in (job.map(0, line) or [])) == rows
