"""The ready jobs, word counts and the study's joins once more, on JobTracker and TaskTracker
daemons (issue 13, item 7, daemon half), and (slow) on the embedded multi-tracker cluster.

The original modules run their jobs with ``executor="local"``: the in-command runner, one
inline tracker. Here one MiniMRCluster per module and mode (a NameNode, four DataNodes on two
racks, and with daemons a JobTracker and a TaskTracker per DataNode, all real processes) is this
process's cluster: ``MINIHADOOP_HOME`` points at it, and the job-running functions the imported
tests call are re-bound so that ``"local"`` becomes ``"cluster"``: `run_job` then submits to the
JobTracker daemon over RPC (daemons) or drives the embedded JobTracker and its four trackers
(embedded). After each test the JobTracker's history under the cluster home must list new jobs:
daemon job ids (``job_<stamp>_NNNN``, never ``job_local...``) written by the daemon's pid (or,
embedded, ``job_local<this pid>_NNNN``), every attempt on one of the cluster's trackers.

Left out: ``test_join_steps_buffer_the_smaller_input`` and
``test_singleton_reloads_when_the_relation_changes`` run no job (nothing to re-run).
"""

from __future__ import annotations

import functools
import inspect
import itertools
import os
from typing import Any

import pytest

from dfs import runfiles
from mapred import history
from mapred.daemons import JOBTRACKER
from mapred.embedded import shutdown_clusters
from mapred.minicluster import MiniMRCluster
from tests.dfs.daemon_mode import slow
from tests.jobs import test_joins, test_ready_jobs, test_wordcount
from tests.jobs.test_joins import (  # noqa: F401 - collected here, on the daemons
    _fresh_singleton_cache,
    test_empty_inputs_give_empty_output,
    test_every_strategy_on_the_dfs_with_the_cluster_executor,
    test_singleton_loads_the_relation_once_per_worker_process,
)
from tests.jobs.test_wordcount import (  # noqa: F401
    test_textbook_spills_and_combines,
)


def default_only(test: Any, *keep: str) -> Any:
    """A copy of the imported parametrized `test` whose cases other than `keep` (pytest ids,
    such as ``"left-inner-2"``) are marked slow: the default run keeps a few on the daemons.
    A slow mark of the original is dropped (its `keep` cases join the default run)."""
    params = [m for m in test.pytestmark if m.name == "parametrize"]
    others = [m for m in test.pytestmark if m.name not in ("parametrize", "slow")]
    cases, ids = [], set()
    for combo in itertools.product(*(_ids_and_values(m) for m in params)):
        case_id = "-".join(i for i, _ in combo)
        ids.add(case_id)
        marks = () if case_id in keep else (pytest.mark.slow,)
        values = [v for _, vs in combo for v in vs]
        cases.append(pytest.param(*values, id=case_id, marks=marks))
    assert set(keep) <= ids, f"no such case of {test.__name__}: {set(keep) - ids}"

    @functools.wraps(test)
    def copy(*args: Any, **kwargs: Any) -> Any:
        return test(*args, **kwargs)

    names = ",".join(n if isinstance(n, str) else ",".join(n) for n in (m.args[0] for m in params))
    copy.pytestmark = [*others, pytest.mark.parametrize(names, cases).mark]
    return copy


def _ids_and_values(mark: Any) -> list[tuple[str, tuple]]:
    """(pytest id, the values of its argument names) of each case of a parametrize mark."""
    names = mark.args[0]
    several = len(names.split(",") if isinstance(names, str) else names) > 1
    values = [tuple(v) if several else (v,) for v in mark.args[1]]
    ids = mark.kwargs.get("ids") or ["-".join(_id(x) for x in v) for v in values]
    return list(zip(ids, values))


def _id(value: Any) -> str:
    return getattr(value, "__name__", str(value))


test_sort_total_order = default_only(test_ready_jobs.test_sort_total_order, "7")
test_secondary_sort = default_only(test_ready_jobs.test_secondary_sort, "2")
test_grep_chain = default_only(test_ready_jobs.test_grep_chain, "2")
test_reduce_side_join = default_only(test_ready_jobs.test_reduce_side_join, "right-leftouter-2")
test_wordcount_matches_counter = default_only(
    test_wordcount.test_wordcount_matches_counter, "2-WordCount", "7-WordCountTextbook"
)
test_handmade_tables_every_strategy_matches_plain_python = default_only(
    test_joins.test_handmade_tables_every_strategy_matches_plain_python, "3"
)
test_generated_tables_every_strategy_matches_plain_python = slow(
    test_joins.test_generated_tables_every_strategy_matches_plain_python
)
test_relation_split_over_several_part_files = slow(
    test_joins.test_relation_split_over_several_part_files
)

# (module, name of the job-running function its tests call)
_RUNNERS = [
    (test_ready_jobs, "run_job"),
    (test_ready_jobs, "run_chain"),
    (test_wordcount, "run_job"),
    (test_joins, "run_join"),
]


@pytest.fixture(
    scope="module", params=["daemons", pytest.param("embedded", marks=pytest.mark.slow)]
)
def mr_cluster(request, tmp_path_factory):
    """The module's cluster: daemons, or (slow: the daemons keep the default run short) the
    embedded JobTracker with one TaskTracker per DataNode in this process, the
    `executor="cluster"` path the original tests never take."""
    daemons = request.param == "daemons"
    base = tmp_path_factory.mktemp(f"mr-{request.param}")
    cluster = MiniMRCluster(base, blocksize=64 * 1024, daemons=daemons)
    try:
        yield cluster
    finally:
        try:
            cluster.close()
        finally:
            if not daemons:
                shutdown_clusters()  # this home's warm children


@pytest.fixture
def mini_cluster(mr_cluster):
    """The DFS of the daemon cluster, emptied around the test (the tests/conftest one is a
    fresh embedded MiniCluster per test)."""
    _empty(mr_cluster)
    yield mr_cluster.dfs
    _empty(mr_cluster)


def _empty(mr: MiniMRCluster) -> None:
    client = mr.dfs.client()
    for st in client.listdir("/"):
        if st.path.rstrip("/") != "/tmp":  # the JobTracker's own staging, if any
            client.delete(st.path, recursive=True)


def on_cluster(fn: Any) -> Any:
    """`fn` with ``executor="local"`` (or none) replaced by ``"cluster"``."""
    signature = inspect.signature(fn)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(*args, **kwargs)
        if bound.arguments.get("executor") in (None, "local"):
            bound.arguments["executor"] = "cluster"
        return fn(*bound.args, **bound.kwargs)

    return wrapper


def daemon_jobs(mr: MiniMRCluster) -> dict[str, dict[str, Any]]:
    return {r["job_id"]: r for r in history.read_summaries(mr.conf)}


@pytest.fixture(autouse=True)
def _on_the_daemons(mr_cluster, monkeypatch):
    """Every job of the test goes to the JobTracker daemon; checked in its history after."""
    from dfs.filesystem import DFSFileSystem

    monkeypatch.setenv("MINIHADOOP_HOME", str(mr_cluster.home))
    DFSFileSystem.clear_instance_cache()
    for module, name in _RUNNERS:
        monkeypatch.setattr(module, name, on_cluster(getattr(module, name)))
    before = set(daemon_jobs(mr_cluster))
    yield
    DFSFileSystem.clear_instance_cache()
    assert_jobs_went_to_the_daemons(mr_cluster, before)


def assert_jobs_went_to_the_daemons(
    mr: MiniMRCluster,
    before: set[str],
    local_too: bool = False,
    state: str = "SUCCEEDED",
    subprocess: bool = False,
) -> None:
    """Jobs not in `before` are in the cluster's JobTracker history: ids and pid of the daemon
    (or, embedded, of this process, or with `subprocess` of the command that ran them), attempts
    on the cluster's trackers, ended in `state`. With `local_too`, jobs of the in-command local
    runner (its one tracker_localhost) may be there too (a test comparing local against cluster
    runs), but at least one job ran on the cluster."""
    if mr.daemons:
        assert runfiles.is_running(mr.home, JOBTRACKER), "the JobTracker daemon died"
        pid = runfiles.read_pid(mr.home, JOBTRACKER)
    else:
        pid = os.getpid()
    trackers = {f"tracker_{node}" for node in mr.nodes}
    new = {}
    for job_id, record in daemon_jobs(mr).items():
        if job_id in before:
            continue
        events = history.read_events(mr.conf, job_id)
        ran_on = {e["tracker"] for e in events if e["event"] == "ATTEMPT_STARTED"}
        if local_too and ran_on == {"tracker_localhost"}:
            continue
        assert ran_on <= trackers, (job_id, ran_on)
        new[job_id] = record
    assert new, "no job reached the cluster's JobTracker"
    for job_id, record in new.items():
        if mr.daemons:
            assert job_id.startswith("job_") and "local" not in job_id, job_id
        else:
            assert job_id.startswith(f"job_local{record['pid']}_"), job_id
        if not (subprocess and not mr.daemons):
            assert record["pid"] == pid, (job_id, record["pid"], pid)  # that JobTracker wrote it
        assert record["state"] == state, (job_id, record["state"], record["error"])
