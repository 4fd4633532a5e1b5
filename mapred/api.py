"""The job API: a job is a Python class with ``map``/``reduce`` generators and Hadoop's knobs.

Owns: ``Job`` (the base class users subclass), ``Context`` (what a running task sees), ``Input``
(one input path with its own format and mapper: Hadoop's MultipleInputs) and ``Step`` (one job of
a chain). Must not touch: how tasks are scheduled or how records are stored.

A word count in a few lines::

    class WordCount(Job):
        def map(self, offset, line):
            for word in line.split():
                yield word, 1

        def combine(self, word, counts):
            yield word, sum(counts)

        reduce = combine

Knobs (class attributes, or configuration properties where Hadoop has one):

- ``reducers``: number of reduce tasks (``mapreduce.job.reduces``; 0 = map-only; ``-D`` wins).
- ``partition(key, n)``: the partitioner; default hashes the msgpack-serialized key with mmh3 (or
  the serialized ``group_key(key)`` when a grouping key is defined). ``partitioner =
  "total_order"`` samples the input for globally sorted output (see ``mapred.sampler``).
- ``sort_key(key)`` / ``group_key(key)``: the sort and grouping comparators (secondary sort).
  ``group_bytes = GroupBytes(stop)`` (``mapred.partition``) declares the grouping as a byte
  prefix of the sort bytes instead: the reduce side groups and the partitioner hashes the cut
  bytes with no Python call per record (a ``group_key`` method, when also defined, is unused).
- ``input_format`` / ``output_format``: a name (``"text"``, ``"keyvalue"``, ``"nline"``,
  ``"records"``) or a format class. ``Input(path, format=..., mapper="map_left")`` gives one
  input its own format and mapper method.
- ``files``: distributed-cache files; each task reads them via ``self.context.cache_path(name)``
  or by name (``open(name)``, the ``#link`` of ``path#link``) in its working directory.
- ``archives``: distributed-cache archives (.zip, .jar, .tar, .tar.gz, .tgz), each unpacked
  once per job per node into a directory the task sees under the archive's name or ``#link``.
- ``map_batch(keys, values)``: optional, Hadoop's ``Mapper.run`` override. When the job defines
  it (for an input whose mapper is ``m``: ``m_batch``), the task hands it the split in batches
  instead of calling ``map`` per record: ``values`` a list, ``keys`` an iterable of theirs (zip
  the two; text formats give a decoded chunk of lines with their byte offsets), and it returns
  (or yields) the pairs of the whole batch (the total-order sampler calls it too). A failure is
  located at the batch's first record.
- ``reduce_batch(groups)``: optional, Hadoop's ``Reducer.run`` override on the reduce side.
  When the job defines it, the task hands it whole groups in batches, ``groups`` a list of
  ``(key, [values])`` in sort order (a group is never split between batches), and it returns
  (or yields) the pairs of the whole batch. A group of more than
  ``mapred.grouping.BATCH_GROUP_LIMIT`` records still goes to ``reduce`` on its own, its values
  read lazily, so ``reduce`` must also be defined. A failure is located at the batch's first key.
- ``reduce_groups(groups)``: optional, ``reduce_batch`` with the batch flat: ``groups`` a
  ``mapred.grouping.GroupRuns`` (``keys``: each group's first key; ``values``: all their values
  in order; ``ends``: where each group's values end, None when every group holds one), for a job
  that reads the values of a batch at once (no ``(key, [values])`` pair made per group). When
  both are defined, ``reduce_groups`` is used.
- ``combine(key, values)``: optional; must emit the key it was given and accept its own output.
- named outputs (Hadoop's MultipleOutputs): ``mapred.output.declare_named_outputs(conf,
  [NamedOutput(name, path, format)])`` gives the job extra output directories; a map or reduce
  writes into one with ``self.context.output(name).write(key, value)``. The job commit
  publishes them all with the main output, or none.
- ``setup()`` / ``cleanup()``: once per task, map and reduce tasks alike; ``cleanup`` may yield
  pairs (in-mapper combining). ``map_setup``/``map_cleanup`` and ``reduce_setup``/
  ``reduce_cleanup``, when defined, replace them in that kind of task (Hadoop's separate Mapper
  and Reducer classes). ``self.context.task_type`` is "m" or "r".
- ``self.context.conf`` holds, as Hadoop localizes them in each task's configuration,
  ``mapreduce.job.id``, ``mapreduce.task.id``, ``mapreduce.task.attempt.id``,
  ``mapreduce.task.ismap``, ``mapreduce.task.partition`` and, in a map,
  ``mapreduce.map.input.file``/``.start``/``.length`` (its split), under their old names too
  (``map.input.file``, ``mapred.task.id``...).

Keys and values must be msgpack-serializable; arrays come back as tuples. ``map`` may return any
iterable of pairs, or None when it emits nothing. Keys sort by ``mapred.serde.sort_bytes``
(Python's order within a type, a fixed order across types).

Running: ``mapred.runner.run_job(WordCount, ["in/"], "out/", {"mapreduce.job.reduces": 2})``
(or ``executor="local"`` to run every task in-process); ``hadoop jar module[:Class] ARGS``
calls the classmethod ``steps(args)`` (default ``IN... OUT``), which may return a chain of
``Step``s (see ``jobs/grep.py``). Job classes must live at module level: tasks import them by
reference ("module:Class" or "/path/file.py:Class") in worker processes.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import field
from typing import Any, ClassVar

from dfs.fastclass import dataclass
from mapred.counters import Counters
from mapred.errors import JobConfigError, UsageError

#: Set in a TaskTracker's child processes: the node the tracker shares with a DataNode.
TRACKER_HOST_ENV = "MINIHADOOP_TASKTRACKER_HOST"

__all__ = ["Job", "Context", "Input", "Step"]


@dataclass(frozen=True, slots=True)
class Input:
    """One job input (file, directory or glob) with an optional format and mapper method name."""

    path: str
    format: Any = None
    mapper: str | None = None


@dataclass(frozen=True, slots=True)
class Step:
    """One job of a chain: the job (class or "module:Class"), inputs, output and conf overrides.

    Inputs that name another step's output make that step a dependency."""

    job: Any
    inputs: Sequence[str | Input]
    output: str
    conf: Mapping[str, Any] = field(default_factory=dict)
    name: str = ""
    depends_on: Sequence[str] = ()


class Context:
    """What a running task sees: configuration, counters, status, ids and cache files."""

    __slots__ = (
        "conf",
        "counters",
        "task_id",
        "job_id",
        "status",
        "split",
        "_cache",
        "partition",
        "ticks",
        "host",
        "outputs",
    )

    def __init__(
        self,
        conf: Any,
        task_id: str = "",
        job_id: str = "",
        cache: Mapping[str, str] | None = None,
        split: Any = None,
        partition: int | None = None,
    ) -> None:
        self.conf = conf
        self.counters = Counters()
        self.task_id = task_id
        self.job_id = job_id
        self.status = ""
        self.split = split
        self.partition = partition
        self._cache = dict(cache or {})
        self.ticks = 0  # progress() calls: liveness for the task timeout
        self.host = os.environ.get(TRACKER_HOST_ENV, "localhost")  # the node running the task
        self.outputs: Any = None  # the task's named outputs (mapred.multipleoutputs.TaskOutputs)

    def increment(self, group: str, name: str, n: int = 1) -> None:
        """Add `n` to the user counter `group`/`name`."""
        self.counters.increment(group, name, n)

    def set_status(self, message: str) -> None:
        self.status = message

    def progress(self) -> None:
        """Tell the framework the task is alive although it read nothing new (Hadoop's
        ``Reporter.progress()``): a task that neither reads input nor calls this for
        ``mapreduce.task.timeout`` milliseconds is killed."""
        self.ticks += 1

    def output(self, name: str) -> Any:
        """The record writer of named output `name` (Hadoop's ``MultipleOutputs.write``): a
        job declares its named outputs with ``mapred.output.declare_named_outputs(conf, ...)``,
        each its own directory, published with the main output by the job commit."""
        if self.outputs is None:
            raise JobConfigError(
                f"no named output {name!r}: this job declares none "
                "(mapred.output.declare_named_outputs in its configuration)"
            )
        return self.outputs.writer(name)

    def get(self, key: str, default: Any = None) -> Any:
        """A configuration property (user properties pass through ``-D``)."""
        return self.conf.get(key, default)

    @property
    def task_type(self) -> str:
        """ "m" in a map task, "r" in a reduce task (from the attempt id)."""
        return "r" if "_r_" in self.task_id else "m"

    @property
    def cache_files(self) -> Mapping[str, str]:
        """Distributed-cache files and archives: link name -> local path (read-only copies;
        an archive's is the directory it was unpacked into)."""
        return dict(self._cache)

    def cache_path(self, name: str) -> str:
        try:
            return self._cache[os.path.basename(name)]
        except KeyError:
            raise KeyError(
                f"{name!r} is not in the distributed cache (files: {sorted(self._cache)}); "
                "add it with -files or the job's `files` attribute"
            ) from None


class Job:
    """Base class of every job. Subclass and override ``map`` and/or ``reduce``."""

    reducers: ClassVar[int | None] = None
    input_format: ClassVar[Any] = "text"
    output_format: ClassVar[Any] = "text"
    partitioner: ClassVar[str | None] = None  # None (hash) or "total_order"
    files: ClassVar[Sequence[str]] = ()
    archives: ClassVar[Sequence[str]] = ()
    context: Context

    # -- task life cycle -----------------------------------------------------------------------
    def setup(self) -> None:
        """Called once per task before the first record."""

    def cleanup(self) -> Iterable[tuple[Any, Any]] | None:
        """Called once per task after the last record; may yield pairs."""
        return None

    def map(self, key: Any, value: Any) -> Iterable[tuple[Any, Any]] | None:
        """Identity map."""
        yield key, value

    def reduce(self, key: Any, values: Iterator[Any]) -> Iterable[tuple[Any, Any]] | None:
        """Identity reduce."""
        for value in values:
            yield key, value

    # combine(self, key, values) is optional: define it to get a combiner.
    # partition(self, key, n) -> int, sort_key(self, key), group_key(self, key) likewise.

    # -- command line ------------------------------------------------------------------------------
    @classmethod
    def steps(cls, args: Sequence[str]) -> list[Step]:
        """The job (or chain) `hadoop jar` runs for `args`; default: INPUT... OUTPUT."""
        if len(args) < 2:
            raise UsageError(f"Usage: {cls.__name__} <in> [<in>...] <out>")
        return [Step(cls, list(args[:-1]), args[-1])]


def has_method(job_cls: type, name: str) -> bool:
    """True when the job class (not the Job base) defines `name`."""
    attr = getattr(job_cls, name, None)
    return attr is not None and getattr(Job, name, None) is not attr


# -- finding a job by reference -----------------------------------------------------------------
_resolved: dict[str, type] = {}


def job_ref(job: Any) -> str:
    """A reference a worker process can import: ``module:Class`` or ``/path/file.py:Class``.

    Accepts a job class or an existing reference string (returned as is)."""
    if isinstance(job, str):
        return job
    if not (isinstance(job, type) and issubclass(job, Job)):
        raise JobConfigError(f"{job!r} is not a job class (a subclass of mapred.api.Job)")
    qual = job.__qualname__
    if "<locals>" in qual:
        raise JobConfigError(
            f"job class {qual} is defined inside a function; define it at module level so "
            "worker processes can import it"
        )
    module = sys.modules.get(job.__module__)
    path = getattr(module, "__file__", None)
    if job.__module__ != "__main__" and _importable(job.__module__, path):
        ref = f"{job.__module__}:{qual}"
    elif path:
        ref = f"{os.path.abspath(path)}:{qual}"
    else:
        raise JobConfigError(f"cannot find the module of job class {qual}")
    _resolved.setdefault(ref, job)
    return ref


def _importable(module_name: str, path: str | None) -> bool:
    if module_name.startswith(_FILE_MODULE):  # loaded by path: no other process has the name
        return False
    spec = importlib.util.find_spec(module_name) if module_name else None
    if spec is None or not spec.origin:
        return False
    return path is None or os.path.abspath(spec.origin) == os.path.abspath(path)


def resolve_job(ref: str | type) -> type:
    """The job class named by `ref` (``module:Class``, ``module`` or ``file.py[:Class]``)."""
    if isinstance(ref, type):
        return ref
    cls = _resolved.get(ref)
    if cls is not None:
        return cls
    target, _, name = ref.rpartition(":") if _has_class_part(ref) else (ref, "", "")
    module = _load_module(target)
    if name:
        cls = module
        for part in name.split("."):
            cls = getattr(cls, part, None)
            if cls is None:
                hint = _classes_hint(module, target, name)
                raise JobConfigError(f"{target} has no job class {name}{hint}")
    else:
        cls = default_job_of(module, target)
    if not (isinstance(cls, type) and issubclass(cls, Job)):
        raise JobConfigError(f"{ref} is not a job class (a subclass of mapred.api.Job)")
    _resolved[ref] = cls
    return cls


_FILE_MODULE = "_mrjob_"  # the prefix of a job file's module name (``hadoop jar job.py``)


def _has_class_part(ref: str) -> bool:
    head, sep, tail = ref.rpartition(":")
    return bool(sep) and bool(tail) and "/" not in tail and "\\" not in tail and len(head) > 1


def _load_module(target: str) -> Any:
    if target.endswith(".py") or os.sep in target or "/" in target:
        path = os.path.abspath(target)
        for module in list(sys.modules.values()):
            if getattr(module, "__file__", None) and os.path.abspath(module.__file__) == path:
                return module
        if not os.path.exists(path):
            raise JobConfigError(f"job file {target} does not exist")
        name = _FILE_MODULE + os.path.splitext(os.path.basename(path))[0].replace("-", "_")
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module
    try:
        return importlib.import_module(target)
    except ImportError as e:
        hint = _modules_hint(target) if e.name and target.startswith(e.name) else ""
        raise JobConfigError(f"cannot import job module {target}: {e}{hint}") from None


def _job_classes(module: Any) -> list[str]:
    return sorted(
        name
        for name, obj in vars(module).items()
        if isinstance(obj, type) and issubclass(obj, Job) and obj.__module__ == module.__name__
    )


def _classes_hint(module: Any, target: str, name: str) -> str:
    """``; Did you mean m:C?`` for a close class name, and the module's job classes."""
    import difflib  # the hints' imports are here: only a job that cannot be found needs them

    names = _job_classes(module)
    if not names:
        return "; it defines no job class (a subclass of mapred.api.Job)"
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    guess = f". Did you mean {target}:{close[0]}?" if close else ""
    return f"{guess} (its job classes: {', '.join(names)})"


def _modules_hint(target: str) -> str:
    """``. Did you mean jobs.wordcount?`` when a module beside `target`, or one of the bundled
    jobs (the ``jobs`` package), has a close name."""
    import difflib
    import pkgutil

    parent = target.rpartition(".")[0]
    candidates = {f"jobs.{m.name}" for m in pkgutil.iter_modules(_package_path("jobs"))}
    if parent and parent != "jobs":
        candidates |= {f"{parent}.{m.name}" for m in pkgutil.iter_modules(_package_path(parent))}
    close = difflib.get_close_matches(target, sorted(candidates), n=1, cutoff=0.6)
    return f". Did you mean {close[0]}?" if close else ""


def _package_path(name: str) -> list[str]:
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return []
    return list(spec.submodule_search_locations or []) if spec is not None else []


def default_job_of(module: Any, target: str) -> type:
    """A module's job: its ``JOB`` attribute, else the one Job subclass it defines."""
    explicit = getattr(module, "JOB", None)
    if explicit is not None:
        return explicit
    found = [
        obj
        for obj in vars(module).values()
        if isinstance(obj, type) and issubclass(obj, Job) and obj.__module__ == module.__name__
    ]
    if len(found) == 1:
        return found[0]
    if not found:
        raise JobConfigError(f"{target} defines no job class (a subclass of mapred.api.Job)")
    names = ", ".join(sorted(c.__name__ for c in found))
    raise JobConfigError(f"{target} defines several jobs ({names}); name one as {target}:CLASS")
