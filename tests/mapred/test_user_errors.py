"""A user's mistake in a job is reported in the user's terms (issue 16, item 8): a map() that
returns an int is named as such, not as a TypeError inside the map output buffer; a failing
setup() is blamed on setup(), not on a record at offset 0; tracebacks show the user's frames."""

from __future__ import annotations

import pytest

from mapred.api import Job
from mapred.runner import run_job
from mapred.usercode import explain_output_error, user_traceback


class ReturnsInt(Job):
    def map(self, offset, line):
        return len(line)


class ReturnsNonPairs(Job):
    def map(self, offset, line):
        return [1, 2]


class ReturnsTriples(Job):
    def map(self, offset, line):
        return [(line, 1, 2)]


class ReduceReturnsInt(Job):
    def map(self, offset, line):
        yield line, 1

    def reduce(self, key, values):
        return 5


class MapOnlyReturnsInt(Job):
    reducers = 0

    def map(self, offset, line):
        return 7


class SetupFails(Job):
    def setup(self):
        raise ValueError("no lookup table configured")

    def map(self, offset, line):
        yield line, 1


class ReduceSetupFails(Job):
    def map(self, offset, line):
        yield line, 1

    def reduce_setup(self):
        raise KeyError("dictionary")

    def reduce(self, key, values):
        yield key, sum(values)


class OwnTypeError(Job):
    """The user's own code raises the same TypeError: that is reported as it is."""

    def map(self, offset, line):
        for x in len(line):  # TypeError: 'int' object is not iterable, in the user's frame
            yield x, 1


def _run(tmp_path, job, executor="local", lines=("first line", "second line")):
    src = tmp_path / "in.txt"
    src.write_text("".join(f"{line}\n" for line in lines))
    conf = {
        "mapreduce.cluster.local.dir": str(tmp_path / "local"),
        "mapreduce.map.maxattempts": 1,
        "mapreduce.reduce.maxattempts": 1,
    }
    result = run_job(job, [str(src)], str(tmp_path / "out"), conf, executor=executor)
    assert result.state == "FAILED"
    return result.failed_attempt, result.error


@pytest.mark.parametrize("executor", ["local", "cluster"])
def test_map_returning_an_int_is_named_with_its_record(tmp_path, executor):
    failed, error = _run(tmp_path, ReturnsInt, executor, lines=("a", "bb", "ccc"))
    message = "map() of ReturnsInt must return an iterable of (key, value) pairs, got int"
    assert message in error
    assert failed.location.endswith("in.txt:0")  # the first record already returned an int
    assert "buffer.py" not in failed.traceback and message in failed.traceback


def test_map_returning_non_pairs_is_named(tmp_path):
    failed, error = _run(tmp_path, ReturnsNonPairs)
    assert (
        "map() of ReturnsNonPairs must return an iterable of (key, value) pairs, got an "
        "item of type int" in error
    )
    failed, error = _run(tmp_path, ReturnsTriples)
    assert (
        "map() of ReturnsTriples must return an iterable of (key, value) pairs, got an "
        "item that is not a (key, value) pair" in error
    )


def test_reduce_and_map_only_outputs_are_checked_too(tmp_path):
    failed, error = _run(tmp_path, ReduceReturnsInt)
    assert (
        "reduce() of ReduceReturnsInt must return an iterable of (key, value) pairs, "
        "got int" in error
    )
    assert failed.location == "reduce key 'first line'"
    failed, error = _run(tmp_path, MapOnlyReturnsInt)
    assert (
        "map() of MapOnlyReturnsInt must return an iterable of (key, value) pairs, got int" in error
    )


def test_failing_setup_is_blamed_on_setup_not_a_record(tmp_path):
    failed, error = _run(tmp_path, SetupFails)
    assert failed.location == "setup() of SetupFails"
    assert error.endswith("ValueError: no lookup table configured (at setup() of SetupFails)")
    # the user's frame, without the framework's
    assert 'test_user_errors.py", line' in failed.traceback and "in setup" in failed.traceback
    assert "mapred/task.py" not in failed.traceback
    failed, error = _run(tmp_path, ReduceSetupFails)
    assert failed.location == "setup() of ReduceSetupFails"


def test_the_users_own_type_error_is_not_rewritten(tmp_path):
    failed, error = _run(tmp_path, OwnTypeError)
    assert "TypeError: 'int' object is not iterable" in error
    assert "must return" not in error
    assert "for x in len(line)" in failed.traceback


def test_explain_leaves_errors_raised_outside_the_framework_alone():
    try:
        iter(5)
    except TypeError as e:
        assert explain_output_error(e, "map", "J") is None  # raised in this (user) file
        assert "map() of J" in str(explain_output_error(e, "map", "J", frameworks=(_here(),)))
    try:
        raise ValueError("something else")
    except ValueError as e:
        assert explain_output_error(e, "map", "J", frameworks=(_here(),)) is None


def test_user_traceback_keeps_a_framework_bug_whole():
    try:
        raise RuntimeError("a bug")
    except RuntimeError as e:
        text = user_traceback(e, frameworks=(_here(),))
    assert "test_user_errors.py" in text and text.endswith("RuntimeError: a bug\n")


def _here():
    import os

    return os.path.dirname(os.path.abspath(__file__))


class SlowLines(Job):
    """A plain per-record map that takes a while: its one task must show progress before it
    ends (issue 16 item 5: the job sat at 'map 0%' until a whole task finished)."""

    def map(self, offset, line):
        import time

        time.sleep(0.0005)
        yield "lines", 1

    def reduce(self, key, values):
        yield key, sum(values)


def test_a_per_record_map_reports_progress_inside_its_task(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text(("y" * 99 + "\n") * 3000)  # 1.5 s of map work in one chunk
    seen = []
    conf = {
        "mapreduce.cluster.local.dir": str(tmp_path / "local"),
        "mapreduce.input.fileinputformat.split.minsize": 100_000_000,  # one map
        "mapreduce.job.split.balance": False,
    }
    result = run_job(
        SlowLines, [str(src)], str(tmp_path / "out"), conf, executor="cluster",
        progress=lambda job_id, maps, reduces: seen.append(maps),
    )  # fmt: skip
    assert result.succeeded, result.error
    assert result.counters["Job Counters "]["Launched map tasks"] == 1
    assert any(0 < m < 1 for m in seen), seen  # moved while the one map ran
    assert seen == sorted(seen)


class Lines(Job):
    reducers = 0

    def map(self, offset, line):
        yield line, None


def test_text_that_is_not_utf8_is_counted(tmp_path):
    """Issue 16 item 12: bytes that are not UTF-8 silently became U+FFFD; now each replaced
    sequence is counted (a U+FFFD the input itself holds is not)."""
    src = tmp_path / "in.txt"
    src.write_bytes(b"caf\xe9\nok \xef\xbf\xbd\n\xff\xfe two\nplain\n")
    conf = {"mapreduce.cluster.local.dir": str(tmp_path / "local")}
    result = run_job(Lines, [str(src)], str(tmp_path / "out"), conf, executor="local")
    assert result.succeeded, result.error
    group = result.counters["File Input Format Counters "]
    # \xe9 (a truncated sequence), then \xff and \xfe (each a byte that starts none)
    assert group["Malformed UTF-8 input (replaced by U+FFFD)"] == 3
    clean = tmp_path / "clean.txt"
    clean.write_bytes("ok \ufffd\n".encode())
    result = run_job(Lines, [str(clean)], str(tmp_path / "out2"), conf, executor="local")
    assert "Malformed UTF-8 input (replaced by U+FFFD)" not in result.counters.get(
        "File Input Format Counters ", {}
    )
