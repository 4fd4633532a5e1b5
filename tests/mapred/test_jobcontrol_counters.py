"""Job chain ordering (graphlib) and Hadoop-style counter printing."""

from __future__ import annotations

import pytest

from mapred.api import Input, Step
from mapred.counters import Counters
from mapred.errors import JobConfigError
from mapred.jobcontrol import order_steps


def test_steps_ordered_by_data_dependencies():
    steps = [
        Step("m:C", ["b-out", "a-out"], "c-out", name="c"),
        Step("m:B", [Input("a-out/")], "b-out", name="b"),
        Step("m:A", ["input"], "a-out", name="a"),
        Step("m:D", ["input"], "d-out", name="d", depends_on=["c"]),
    ]
    order = order_steps(steps)
    assert order.index("a") < order.index("b") < order.index("c") < order.index("d")


def test_cycle_and_unknown_dependency_are_named():
    with pytest.raises(JobConfigError, match="cycle"):
        order_steps([Step("m:A", ["y"], "x", name="a"), Step("m:B", ["x"], "y", name="b")])
    with pytest.raises(JobConfigError, match="unknown step"):
        order_steps([Step("m:A", ["in"], "x", name="a", depends_on=["zzz"])])
    with pytest.raises(JobConfigError, match="unique"):
        order_steps([Step("m:A", ["in"], "x", name="a"), Step("m:A", ["in"], "y", name="a")])


def test_counters_merge_and_print_like_hadoop():
    a = Counters({"Map-Reduce Framework": {"Map output records": 2, "Map input records": 1}})
    a.merge({"Map-Reduce Framework": {"Map input records": 4}, "Mine": {"x": 1}})
    a.increment("Job Counters ", "Launched map tasks", 2)
    assert a["Map-Reduce Framework"]["Map input records"] == 5
    assert a.find("x") == 1 and a.find("nope") == 0
    assert a.format() == (
        "Counters: 4\n"
        "\tJob Counters\n\t\tLaunched map tasks=2\n"
        "\tMap-Reduce Framework\n\t\tMap input records=5\n\t\tMap output records=2\n"
        "\tMine\n\t\tx=1"
    )


def test_peak_memory_counters_merge_by_max():
    """Hadoop 3's "Peak Map/Reduce Physical memory (bytes)": the largest task's, not a sum."""
    from mapred import counters as C

    a = Counters({C.TASK_GROUP: {C.PEAK_MAP_MEMORY: 50, C.MAP_INPUT_RECORDS: 1}})
    a.merge({C.TASK_GROUP: {C.PEAK_MAP_MEMORY: 70, C.MAP_INPUT_RECORDS: 1}})
    a.merge({C.TASK_GROUP: {C.PEAK_MAP_MEMORY: 60, C.PEAK_REDUCE_MEMORY: 9}})
    assert a[C.TASK_GROUP][C.PEAK_MAP_MEMORY] == 70
    assert a[C.TASK_GROUP][C.PEAK_REDUCE_MEMORY] == 9
    assert a[C.TASK_GROUP][C.MAP_INPUT_RECORDS] == 2
