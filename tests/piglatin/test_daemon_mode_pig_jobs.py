"""Pig in mapreduce mode once more, on JobTracker and TaskTracker daemons (issue 13, item 7,
daemon half): the conformance cases of the reduce-side operators, the back end's join strategies
and mapreduce-mode tests, and the `pig` command's and grunt shell's job-running tests.

One MiniMRCluster per module and mode (a NameNode, four DataNodes on two racks, a JobTracker and
a TaskTracker per DataNode, all real processes; and, the fixture's second parameter, the same
DFS with the embedded JobTracker and its four trackers) is this process's cluster:
``MINIHADOOP_HOME`` points at it (subprocesses inherit it), so every Pig job is submitted to the
JobTracker daemon over RPC (or runs on the embedded trackers). Tests written for ``-x local``
are re-bound to mapreduce mode (the test modules' script runners default to it, the CLI's
``-x local`` becomes ``-x mapreduce``, grunt's "local" "mapreduce"); their inputs are local
files beside the script, which mapreduce mode reads from there. After each test the
JobTracker's history must list new jobs with its job ids, written by its process, attempts on
the cluster's trackers, all SUCCEEDED (FAILED for the test of a failing task).

Left out: test_replicated_inputs_come_from_the_distributed_cache (spies on a function inside
this process; the tasks run in the trackers' children); test_skewed_join_splits_the_hot_key
(asks PigServer for local mode itself); test_stored_join_lines_match_reference (reads its
STORE output from the local disk, which mapreduce mode writes to the DFS); the join tests that
expect a refusal before any job runs; the CLI's error tests (no job reaches a JobTracker).
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from piglatin.tools import grunt
from tests.dfs.daemon_mode import slow
from tests.jobs.test_daemon_mode_jobs import (  # noqa: F401 - the module's cluster
    assert_jobs_went_to_the_daemons,
    daemon_jobs,
    default_only,
    mr_cluster,
)
from tests.piglatin import (
    test_backend_joins,
    test_backend_runtime,
    test_cli,
    test_conformance,
    test_grunt,
)
from tests.piglatin.test_backend_joins import (  # noqa: F401 - collected here, on the daemons
    inputs,
)
from tests.piglatin.test_backend_runtime import (  # noqa: F401
    test_flatten_of_a_null_bag_counts_under_the_null_group,
    test_mapreduce_mode_stores_on_the_dfs_and_reads_it_back,
    test_python_udf_and_split_and_union,
    test_run_defines_aliases_for_later_statements,
    test_runtime_failure_is_one_line_naming_the_job,
    test_same_results_in_local_and_mapreduce_modes,
    test_scalar_from_a_one_row_relation,
)
from tests.piglatin.test_cli import (  # noqa: F401
    test_group_count_job_reports_reduces,
    test_script_dumps_rows_and_prints_summary,
    work,
)
from tests.piglatin.test_grunt import (  # noqa: F401
    test_aliases_persist_and_sinks_run_as_they_come,
    test_run_shares_aliases,
)

test_case_mapreduce_mode = default_only(
    test_conformance.test_case_mapreduce_mode,
    "join_hotkey_skewed",
    "join_sorted_merge",
    "join_left_outer_replicated",
    "group_count_nulls",
    "cogroup_three_relations",
    "order_parallel_global_order",
    "rank_dense",
)
test_strategy_matches_reference = default_only(
    test_backend_joins.test_strategy_matches_reference, "skewed-full", "merge-left"
)
# several jobs each, 4-6 s on daemons
test_hash_join_spills_a_hot_key = slow(test_backend_joins.test_hash_join_spills_a_hot_key)
test_three_way_replicated_and_hash_agree = slow(
    test_backend_joins.test_three_way_replicated_and_hash_agree
)
test_distinct_limit_and_rank = slow(test_backend_runtime.test_distinct_limit_and_rank)
# hypothesis: several scripts each, 5-12 s on daemons
test_group_aggregates_match_python = slow(test_backend_runtime.test_group_aggregates_match_python)
test_order_by_is_global_across_reducers = slow(
    test_backend_runtime.test_order_by_is_global_across_reducers
)
test_param_substitution = default_only(test_cli.test_param_substitution, "-p")
test_an_error_is_reported_and_the_shell_goes_on = slow(
    test_grunt.test_an_error_is_reported_and_the_shell_goes_on
)
test_undefined_alias_does_not_poison_the_session = slow(
    test_grunt.test_undefined_alias_does_not_poison_the_session
)
test_mapreduce_mode_on_the_embedded_cluster = slow(
    test_cli.test_mapreduce_mode_on_the_embedded_cluster  # two pig processes: ~5 s
)


_ALSO_LOCAL = {"test_same_results_in_local_and_mapreduce_modes"}  # runs -x local too, on purpose
_FAILS = {"test_runtime_failure_is_one_line_naming_the_job"}  # its job fails, on purpose
_SUBPROCESS = {"test_mapreduce_mode_on_the_embedded_cluster"}  # jobs of a `pig` process


def mapreduce_by_default(run: Any) -> Any:
    """A test module's script runner whose default exec type is mapreduce instead of local (an
    exec type the caller names, as in the local-against-mapreduce tests, is kept)."""
    signature = inspect.signature(run)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(*args, **kwargs)
        bound.arguments.setdefault("exec_type", "mapreduce")
        return run(*bound.args, **bound.kwargs)

    return wrapper


def mapreduce_run_main(run_main: Any) -> Any:
    """The CLI tests' `run_main` with ``-x local`` replaced by ``-x mapreduce``."""

    def wrapper(args: list[str], capsys: Any) -> Any:
        args = list(args)
        for i in range(len(args) - 1):
            if args[i] in ("-x", "-exectype") and args[i + 1] == "local":
                args[i + 1] = "mapreduce"
        return run_main(args, capsys)

    return wrapper


def mapreduce_grunt(run_grunt: Any) -> Any:
    """`run_grunt` with the grunt tests' ``"local"`` replaced by ``"mapreduce"``."""

    def wrapper(exec_type: str = "mapreduce", *args: Any, **kwargs: Any) -> int:
        return run_grunt("mapreduce" if exec_type == "local" else exec_type, *args, **kwargs)

    return wrapper


def _empty(mr: Any) -> None:
    client = mr.dfs.client()
    for st in client.listdir("/"):
        client.delete(st.path, recursive=True)


@pytest.fixture(autouse=True)
def _on_the_daemons(mr_cluster, monkeypatch, request):  # noqa: F811
    """Every Pig job of the test goes to the JobTracker daemon; checked in its history."""
    from dfs.filesystem import DFSFileSystem

    monkeypatch.setenv("MINIHADOOP_HOME", str(mr_cluster.home))
    DFSFileSystem.clear_instance_cache()
    _empty(mr_cluster)  # STORE outputs of relative names land under /user/<user>
    monkeypatch.setattr(test_backend_joins, "_run", mapreduce_by_default(test_backend_joins._run))
    monkeypatch.setattr(test_backend_runtime, "pig", mapreduce_by_default(test_backend_runtime.pig))
    monkeypatch.setattr(test_cli, "run_main", mapreduce_run_main(test_cli.run_main))
    monkeypatch.setattr(grunt, "run_grunt", mapreduce_grunt(grunt.run_grunt))
    before = set(daemon_jobs(mr_cluster))
    yield
    DFSFileSystem.clear_instance_cache()
    name = request.node.originalname
    state = "FAILED" if name in _FAILS else "SUCCEEDED"
    assert_jobs_went_to_the_daemons(
        mr_cluster, before, name in _ALSO_LOCAL, state, subprocess=name in _SUBPROCESS
    )
    _empty(mr_cluster)
