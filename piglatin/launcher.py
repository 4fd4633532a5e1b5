"""Running Pig Latin: `run_script`, `PigServer` and `explain_text`.

Owns: a script session end to end — preprocess, parse, build (and optimize when
piglatin.plan.optimizer exists), then each action in script order: compile a sink into its MR job
chain (mrcompiler.py) and run it through mapred.runner (local or cluster executor), print DUMP
rows and DESCRIBE text, EXPLAIN, ILLUSTRATE (illustrate.py), SET, REGISTER, `fs`/`exec`/`run`
(commands/). Replicated join inputs go through the distributed cache; ORDER's cut points come
from its sampling job, a skewed join's hot keys from its key-count job. A job whose reducers
no PARALLEL or ``default_parallel`` chose gets them when it starts (``mapreduce.job.reduces`` if
the user set it, else Pig's estimate from the sizes of its inputs: back/reducerestimate.py); an
ORDER that gets one reducer that way skips its sampling job. Intermediate outputs
live in a temporary directory (local, or on the DFS in mapreduce mode) removed when the session
closes; its name carries the session's pid (``pig-tmp-<pid>-...``), and a session's start removes
those of sessions whose process died. A STORE's output is its job's output, published whole by
the job commit's one rename or not at all. Consecutive STOREs run as a batch (Pig's multi-query
execution, off with ``opt.multiquery=false``): their jobs that read the same input run as one job
(back/multiquery.py) whose commit publishes every output it writes, or none; a failed job
stops only what needs it (a later STORE that loads what it did not write is not run), the
script goes on and its first job failure is raised at the end, unless ``stop.on.failure``
(``pig -F``). The summary's inputs of each job are noted (Pig's InputStats). Runtime failures become
one-line PigErrors naming the job and the cause. Must not touch: the grammar, plans' semantics, the
operators' record logic, or how a task runs.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import os
import posixpath
import re
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from dfs.lazyre import LazyRegex
from dfs.runfiles import process_alive
from piglatin.back import crosschoice
from piglatin.back import reducerestimate as RE
from piglatin.back import runtime as RT
from piglatin.back import sources as SRC
from piglatin.back.jobstats import job_aliases, job_features
from piglatin.back.mrcompiler import TO_RUN, JobSpec, MRJob, compile_sink, compile_target
from piglatin.back.storage import pack_value, unpack_value
from piglatin.back.storemeta import output_compression, store_metadata
from piglatin.errors import DumpFailedError, JobFailedError, PigError
from piglatin.front import ast as A
from piglatin.model import data
from piglatin.plan import logical as L

if TYPE_CHECKING:  # multi-query execution is imported only by a batch of STOREs
    from piglatin.back import multiquery as MQ

log = logging.getLogger(__name__)

REPLICATED_MAX = "pig.join.replicated.max.bytes"
STOP_ON_FAILURE = "stop.on.failure"  # Pig's property (pig -F): the first failed job ends the run
IMPORT_PATH = "pig.import.search.path"  # where IMPORT looks for macro files
R_ORDER_CUTS = "pig.order.cuts"  # reducers.ORDER_CUTS
R_RANK_COUNTS = "pig.rank.counts"  # reducers.RANK_COUNTS
DEFAULT_REPLICATED_MAX = 1 << 30
TMP_PREFIX = "pig-tmp-"
_LOCAL_TMP = LazyRegex(r"pig-tmp-(\d+)-")  # pig-tmp-<pid>-<random>, in $TMPDIR
_DFS_TMP = LazyRegex(r"pig-(\d+)-pig-tmp-")  # /tmp/pig-<pid>-pig-tmp-<pid>-<random>, on the DFS

__all__ = ["PigServer", "explain_text", "run_script"]


class PigServer:
    """One Pig session: aliases accumulate over `register_script` calls (grunt, exec/run)."""

    def __init__(
        self,
        exec_type: str = "mapreduce",
        *,
        cwd: str | os.PathLike | None = None,
        out: TextIO | None = None,
        properties: Mapping[str, Any] | None = None,
        progress: Callable[[str, float, float], None] | None = None,
        on_job: Callable[[dict[str, Any]], None] | None = None,
        on_job_start: Callable[[L.LogicalPlan, MRJob, int, int], None] | None = None,
    ) -> None:
        """`progress(job id, map fraction, reduce fraction)` is passed to every job;
        `on_job(stats)` is called after each job (its entry of `self.stats`);
        `on_job_start(plan, job, index, count)` before each job of a sink's chain."""
        from piglatin.front.builder import Builder, Functions

        self.exec_type = "local" if exec_type.lower() == "local" else "mapreduce"
        self.cwd = str(Path(cwd or os.getcwd()).resolve())
        self.start_cwd = self.cwd  # a later `cd` (grunt's, or a script's) moves `cwd`
        self.dfs_cwd: str | None = None  # the DFS directory a `cd` went to (mapreduce mode)
        self._moved = False  # a script's `cd` ran (grunt's moves `cwd` itself)
        self.out = out if out is not None else io.StringIO()
        self.properties: dict[str, Any] = {}
        for key, value in dict(properties or {}).items():
            self.properties[key] = _checked_setting(key, value)
        if exec_type.lower() == "dask":  # mapreduce mode, jobs on Dask (kept by exec's sessions)
            self.properties["mapreduce.framework.name"] = "dask"
        self.builder = Builder(Functions(base_dir=self.cwd), None, warn_casts=True)
        self.chunks: list[list[str]] = []
        self.udfs: dict[str, str] = {}
        self.outputs: dict[str, str] = {}  # op id -> intermediate output URL
        self.scalars: dict[str, bytes] = {}
        clean_dead_sessions(tempfile.gettempdir())
        self.tmp = tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{os.getpid()}-")
        self.job_seq = 0
        self._dfs_tmp_used = False  # the first DFS temporary location cleans dead sessions'
        self.stats: list[dict[str, Any]] = []
        self.job_failures: list[PigError] = []  # failed jobs the script went on after
        self.failed_paths: set[str] = set()  # STORE paths their failed jobs did not write
        self._calls = 0  # register_script calls under way (a script's `run` nests one)
        self._raise_from = 0  # the failure the outermost call raises when it ends
        self._running_inputs: list[dict[str, Any]] = []  # the inputs of the job running
        self._warnings: dict[str, int] = {}  # the warning counters of this run's jobs, summed
        self.local_inputs = True
        self.progress = progress
        self.on_job = on_job
        self.on_job_start = on_job_start
        self._slots: tuple[int | None] | None = None  # the cluster's reduce slots, once asked

    # -- session --------------------------------------------------------------------------
    def close(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)
        if self._dfs_tmp_used:  # its DFS temporary directory, if anything was kept there
            from mapred.localfs import url_to_fs

            url = self.tmp_location("")
            fs, path = url_to_fs(url)
            try:
                if fs.exists(path):
                    fs.rm(path, recursive=True)
            except OSError as e:  # best effort: a later session may clean it
                log.debug("cannot remove %s: %s", url, e)

    def __enter__(self) -> PigServer:  # noqa: PYI034
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def register_script(
        self,
        text: str,
        params: Mapping[str, str] | None = None,
        param_files: Sequence[str] = (),
        filename: str | None = None,
        execute: bool = True,
    ) -> list[L.Action]:
        """Preprocess, parse and build `text` on top of the session; run its actions. A
        failed job does not stop the statements after it (unless ``stop.on.failure``): the
        first job failure is raised once they have run (`job_failures` holds every one)."""
        if self._calls == 0:
            self._raise_from = len(self.job_failures)
        self._calls += 1
        try:
            done = self._register(text, params, param_files, filename, execute)
        except BaseException:
            if self._calls == 1 and len(self.job_failures) > self._raise_from:
                first = self.job_failures[self._raise_from]  # not shown yet: this error wins
                log.error("%s", first.located(filename, None).format())
            raise
        finally:
            self._calls -= 1
        if self._calls == 0 and len(self.job_failures) > self._raise_from:
            raise self.job_failures[self._raise_from].located(filename, None)
        return done

    def _register(
        self,
        text: str,
        params: Mapping[str, str] | None,
        param_files: Sequence[str],
        filename: str | None,
        execute: bool,
    ) -> list[L.Action]:
        from piglatin.front.parser import parse
        from piglatin.front.preprocess import substitute
        from piglatin.front.storedschema import with_stored_schemas

        if self.builder.file is None:
            self.builder.file = filename
        try:
            source = substitute(text, params, param_files=param_files, file=filename)
            self.builder.macros.search_path = str(self.properties.get(IMPORT_PATH, ""))
            source = self.builder.macros.expand(source, filename)
            source = with_stored_schemas(source, self.location, filename)  # .pig_schema
        except PigError as e:
            raise e.located(filename, text) from None
        script = parse(source, filename)
        statements = script.statements
        done: list[L.Action] = []
        start = 0
        # statements up to each exec/run are built and performed first, so a `run` script's
        # aliases are defined for the statements after it (as in Pig); and up to each `cd`,
        # so the statements after it have their relative paths in its directory; a `quit`
        # ends the script
        cuts = [
            i + 1
            for i, st in enumerate(statements)
            if isinstance(st, A.Command) and st.kind in ("exec", "run", "cd", "quit")
        ]
        for end in [*cuts, len(statements)]:
            if end <= start:
                continue
            if (base := self.path_base()) is not None:
                source, script = self._absolute(source, script, start, end, base, filename)
                statements = script.statements
            part = dataclasses.replace(script, statements=statements[start:end])
            actions = self.builder.add(part, source)
            self.chunks.append([source, filename, start, end])
            start = end
            done.extend(actions)
            if execute:
                try:
                    self.perform_all(actions)
                except PigError as e:
                    raise e.located(filename, source) from None
            last = statements[end - 1]
            if isinstance(last, A.Command) and last.kind == "quit":
                break  # Pig's GruntParser.quit(): the script ends there
        return done

    def path_base(self) -> str | None:
        """The directory a statement's relative LOAD/STORE paths are made absolute in, once
        a `cd` moved the session (Pig makes them absolute as it parses each statement);
        None while they resolve as usual (`location`)."""
        if self.exec_type == "local":
            return self.cwd if self.cwd != self.start_cwd or self._moved else None
        return self.dfs_cwd

    def _absolute(  # noqa: PLR0913
        self, source: str, script: A.Script, start: int, end: int, base: str, filename: str | None
    ) -> tuple[str, A.Script]:
        """`source` with the relative paths of its statements `start` to `end` in `base`,
        and its parse."""
        from piglatin.front.parser import parse
        from piglatin.front.workdir import absolute_paths

        join = os.path.join if self.exec_type == "local" else posixpath.join
        text = absolute_paths(source, script.statements[start:end], lambda p: join(base, p))
        return (text, parse(text, filename)) if text != source else (source, script)

    def working_dir(self) -> str:
        """What `pwd` prints (Pig's processPWD: the active directory, qualified): `file:` and
        the local directory in local mode, else the DFS directory (`dfs://` and the user's
        home until a `cd` moves it)."""
        if self.exec_type == "local":
            return "file:" + self.cwd
        return "dfs://" + (self.dfs_cwd or f"/user/{_user()}")

    def change_dir(self, arg: str) -> None:
        """`cd dir` (grunt's, or in a script): the session's current directory, on the local
        disk in local mode, on the DFS otherwise; a bare `cd` goes home."""
        from piglatin.errors import CommandFailedError
        from piglatin.front.workdir import cd_target

        if self.exec_type == "local":
            target = cd_target(self.cwd, arg, os.path.expanduser("~"))
            if not os.path.isdir(target):
                raise CommandFailedError(f"cd: {arg.strip()}: No such file or directory")
            self.cwd = os.path.realpath(target)
            self._moved = True
            return
        from mapred.localfs import url_to_fs

        home = f"/user/{_user()}"
        target = cd_target(self.dfs_cwd or home, arg, home)
        fs, path = url_to_fs("dfs://" + target)
        if not fs.isdir(path):
            raise CommandFailedError(f"cd: {arg.strip()}: No such file or directory")
        self.dfs_cwd = target

    @property
    def plan(self) -> L.LogicalPlan:
        return RT.rebuild_plan(self.chunks, self.cwd)

    # -- actions --------------------------------------------------------------------------
    def perform_all(self, actions: Sequence[L.Action]) -> None:
        """Perform `actions` in order; consecutive STOREs run as one batch (`run_sinks`, with
        or without multi-query execution, as Pig since PIG-3882). Any other action runs the
        batch first, and so does a STORE that loads or writes a location the batch stores."""
        batch: list[str] = []
        plan: L.LogicalPlan | None = None
        for action in actions:
            if isinstance(action, L.RunSink):
                plan = plan or self.plan
                sink = plan.op(action.op_id)
                if isinstance(sink, L.LOStore):
                    if self.failed_paths and _reads_any(plan, action.op_id, self.failed_paths):
                        log.info(
                            "STORE into '%s' needs the output of a failed job: not run",
                            sink.path,
                        )
                        continue
                    stored = {plan.op(s).path for s in batch}
                    if stored and (sink.path in stored or _reads_any(plan, action.op_id, stored)):
                        self.run_sinks(batch)
                        batch = []
                    batch.append(action.op_id)
                    continue
            self.run_sinks(batch)
            batch = []
            self.perform(action)
        self.run_sinks(batch)

    def perform(self, action: L.Action) -> None:
        if isinstance(action, L.RunSink):
            try:
                self.run_sink(action.op_id)
            finally:
                self._log_warnings()
        elif isinstance(action, L.DescribeAction):
            self.print(action.text or self.plan.describe(action.alias))
        elif isinstance(action, L.IllustrateAction):
            from piglatin.back.illustrate import illustrate_statement

            illustrate_statement(self, action)
        elif isinstance(action, L.ExplainAction):
            from piglatin.back.explainopts import explain_statement

            explain_statement(self, action)
        elif isinstance(action, L.SetAction):
            self.set(action.key, action.value)
        elif isinstance(action, L.RegisterAction):
            if str(action.path).endswith(".py"):
                from piglatin.commands import check_udf_file

                check_udf_file(self.local_path(action.path))  # as Pig: errors at REGISTER
                self.udfs[action.namespace or ""] = self.local_path(action.path)
        elif isinstance(action, L.CommandAction):
            self.command(action.kind, action.args)

    def set(self, key: str, value: Any) -> None:
        text = value if not isinstance(value, str) else value.strip("'\"")
        self.properties[key] = _checked_setting(key, text)
        if key == "job.name":
            self.properties["mapreduce.job.name"] = text

    def command(self, kind: str, args: str) -> None:
        """`fs ...` (and grunt's ls/cat/mkdir/... shortcuts), `sh`, `exec` and `run`."""
        from piglatin.commands import run_command

        run_command(self, kind, args)

    def fs(self, argv: list[str]) -> int:
        """One `hadoop fs` command on the session's filesystem; output to `out`."""
        from piglatin.commands import fs

        return fs(self, argv)

    def print(self, text: str) -> None:
        self.out.write(text + "\n")

    # -- paths ----------------------------------------------------------------------------
    def local_path(self, path: str) -> str:
        return path if os.path.isabs(path) else os.path.join(self.cwd, path)

    def location(self, path: str, output: bool = False) -> str:
        """A user path as an fsspec URL for the current exec type: local files relative to
        `cwd` in local mode; DFS paths (relative ones under /user/<user>) in mapreduce mode,
        where an input found only beside the script (`cwd`) is read from there."""
        if "://" in path:
            return path
        if self.exec_type == "local":
            return self.local_path(path.removeprefix("file:"))
        if path.startswith("/"):
            return "dfs://" + path
        url = f"dfs:///user/{_user()}/{path}"
        if output or not self.local_inputs or _dfs_exists(url):
            return url
        local = self.local_path(path)
        return local if os.path.exists(local) or "*" in path else url

    def tmp_location(self, name: str) -> str:
        """Where an intermediate output goes: the session's local temporary directory, or in
        the other modes its directory under the DFS's /tmp (the first one asked for removes
        dead sessions' directories there; a session that keeps nothing on the DFS does not
        contact it at all)."""
        if self.exec_type == "local":
            return os.path.join(self.tmp, name)
        if not self._dfs_tmp_used:
            self._dfs_tmp_used = True
            _clean_dead_dfs_sessions()
        return f"dfs:///tmp/pig-{os.getpid()}-{os.path.basename(self.tmp)}/{name}"

    # -- running --------------------------------------------------------------------------
    def run_sinks(self, sink_ids: Sequence[str]) -> None:
        """Run the STOREs `sink_ids` as a batch (`_run_batch`), then log the warnings its jobs
        counted, summed over them, as Pig's MapReduceLauncher.launchPig does
        (computeWarningAggregate over the successful jobs, then logAggregate)."""
        try:
            self._run_batch(sink_ids)
        finally:
            self._log_warnings()

    def _add_warnings(self, counters: Any) -> None:
        for code, n in counters.to_dict().get(RT.WARNINGS, {}).items():
            self._warnings[code] = self._warnings.get(code, 0) + n

    def _log_warnings(self) -> None:
        """Pig's 'Encountered Warning CODE n time(s).', once per code for the jobs run since
        the last call."""
        warnings, self._warnings = self._warnings, {}
        for code, n in sorted(warnings.items()):
            log.warning("Encountered Warning %s %d time(s).", code, n)

    def _run_batch(self, sink_ids: Sequence[str]) -> None:
        """Run the STOREs `sink_ids` as a batch, as Pig does: every location is checked first;
        with multi-query execution the jobs of different STOREs that read the same input run
        as one job (`multiquery.merge_jobs`); then each STORE's remaining jobs in script
        order. A failed job does not stop the STOREs that do not need it, unless
        ``stop.on.failure`` (``pig -F``): the first failure is raised once the batch ends."""
        if len(sink_ids) < 2:
            for sink_id in sink_ids:
                try:
                    self.run_sink(sink_id)
                except JobFailedError as e:
                    self._failed([sink_id], e)
                    self.job_failed(e)
            return
        plan = self.plan
        self._clean_dead_jobs()
        for sink_id in sink_ids:
            self._check_sink(plan, sink_id)
        from piglatin.back import multiquery as MQ

        conf = self._compile_conf()
        chains, shared = self.batch_chains(plan, sink_ids, set(self.outputs), conf)
        merged = MQ.merge_jobs(plan, chains, self.location) if MQ.enabled(self.properties) else []
        failures: list[PigError] = []
        done: set[str] = set()  # STOREs written by a merged job, or lost with it
        for job in merged:
            branches = {id(j) for j in job.jobs}
            lost = [s for s, c in zip(sink_ids, chains, strict=True) if branches & set(map(id, c))]
            if not self._attempt(lambda job=job: self.run_merged(plan, job), failures, lost):
                done |= set(lost)
            done |= {j.store for j in job.jobs if j.store}
        for sink_id in sink_ids:
            if sink_id not in done:
                self._attempt(lambda s=sink_id: self.run_sink(s, shared), failures, [sink_id])
        if failures:
            log.error("Some jobs have failed! Stop running all dependent jobs")
            for failure in failures:
                self.job_failed(failure)

    def batch_chains(
        self, plan: L.LogicalPlan, sink_ids: Sequence[str], done: set[str], conf: dict
    ) -> tuple[list[list[MRJob]], frozenset[str]]:
        """The job chains of a batch of sinks, and the relations they share
        (`multiquery.shared_relations`, with or without multi-query execution, as Pig's
        split): each is computed by the first chain that needs it, the later ones read its
        file."""
        from piglatin.back import multiquery as MQ

        shared = frozenset()
        if len(sink_ids) > 1:
            merging = MQ.enabled(self.properties)
            shared = MQ.shared_relations(plan, sink_ids, done, conf, merging)
        done, chains, count = set(done), [], 0
        for sink_id in sink_ids:
            chains.append(compile_sink(plan, sink_id, done, conf, shared).jobs)
            done |= {job.output_op for job in chains[-1] if job.output_op in shared}
            for job in chains[-1] if shared else ():  # EXPLAIN: one name for each job
                count += 1
                job.name = f"job{count}"
        return chains, shared

    def _attempt(
        self, run: Callable[[], None], failures: list[PigError], sink_ids: Sequence[str]
    ) -> bool:
        """Run one STORE's (or merged) jobs; a job's failure (JobFailedError) is kept in
        `failures` instead of raised, unless ``stop.on.failure`` is true. The STOREs
        `sink_ids` it was for are noted as failed in the stats."""
        try:
            run()
        except JobFailedError as e:
            self._failed(sink_ids, e)
            if self.stop_on_failure():
                raise _stopped(e) from None
            failures.append(e)
            return False
        return True

    def stop_on_failure(self) -> bool:
        """Pig's ``stop.on.failure`` (``pig -F``): the first failed job ends the run."""
        return str(self.properties.get(STOP_ON_FAILURE, "false")).lower() == "true"

    def job_failed(self, e: PigError) -> None:
        """A failed job the script goes on after (Pig's MapReduceLauncher: the jobs that do
        not need it still run), kept in `job_failures`; raised at once with
        ``stop.on.failure`` (as Pig's ERROR 6017). Only the first of a `register_script` call
        is raised when the call ends: the others are logged here."""
        if self.stop_on_failure():
            raise _stopped(e) from None
        log.warning(
            "Ooops! Some job has failed! Specify -stop_on_failure if you want Pig to stop "
            "immediately on failure."
        )
        log.info("job %s has failed! Stop running all dependent jobs", _job_id(e))
        if len(self.job_failures) > self._raise_from or self._calls == 0:
            log.error("%s", e.format())
        self.job_failures.append(e)

    def _failed(self, sink_ids: Sequence[str], e: PigError) -> None:
        """The summary's entries of STOREs (and DUMPs) a failed job did not write (Pig's
        Failed Jobs and ``Failed to produce result in``), with the inputs it did not read (the
        first's)."""
        if not isinstance(e, JobFailedError):
            return
        plan = self.plan
        message = e.message.strip().splitlines()
        inputs = [{**i, "failed": True} for i in self._running_inputs]
        self._running_inputs = []
        for sink_id in sink_ids:
            store = plan.op(sink_id)
            if isinstance(store, (L.LOStore, L.LODump)):
                stored = isinstance(store, L.LOStore)
                if stored:
                    self.failed_paths.add(store.path)
                entry = {
                    "failed": True,
                    "job": _job_id(e) or "N/A",
                    "alias": plan.op(store.inputs[0]).alias or "",
                    "error": message[-1] if message else "",
                    "store": store.path if stored else None,
                    "output": self.location(store.path, output=True) if stored else None,
                    "inputs": inputs,
                }
                inputs = []
                self.stats.append(entry)

    def _clean_dead_jobs(self) -> None:
        """What jobs of dead processes left (mapred.runner.clean_orphaned_jobs), before the
        outputs are checked: a merged job killed between two publishes rolls back the
        outputs it had published, so the same STOREs can run again."""
        from mapred.runner import clean_orphaned_jobs, make_conf

        clean_orphaned_jobs(make_conf(self.properties))

    def _check_sink(self, plan: L.LogicalPlan, sink_id: str) -> None:
        """As Pig: every LOAD and STORE location is checked before any job."""
        from piglatin.commands import check_storage_funcs

        for op in plan.upstream(sink_id):
            if isinstance(op, L.LOLoad) and op.op_id not in self.outputs:
                self._check_scheme(self.location(op.path), op, code=2118)
        sink = plan.op(sink_id)
        if isinstance(sink, L.LOStore):
            self._check_output(sink)
        check_storage_funcs(plan)  # a bad LOAD/STORE function fails before any job

    def run_sink(self, sink_id: str, shared: frozenset[str] = frozenset()) -> None:
        """Run the jobs of sink `sink_id`; `shared`: relations of its batch to leave in
        files for the other sinks that read them (`batch_chains`)."""
        plan = self.plan
        sink = plan.op(sink_id)
        self._clean_dead_jobs()
        self._check_sink(plan, sink_id)
        conf = {**self._compile_conf(), TO_RUN: True}
        mr = compile_sink(plan, sink_id, set(self.outputs), conf, shared)
        jobs = self._without_unneeded_samplers(plan, mr.jobs)
        for i, job in enumerate(jobs):
            if self.on_job_start is not None:
                self.on_job_start(plan, job, i, len(jobs))
            try:
                self.run_job(plan, job)
            except JobFailedError as e:  # a DUMP's: Pig's openIterator throws
                if isinstance(sink, L.LODump):
                    self._failed([sink_id], e)
                    raise DumpFailedError.of(e) from None
                raise
        if isinstance(sink, L.LODump):
            self._log_warnings()  # Pig's launchPig logs them before the rows are read
            url = self.outputs.pop(sink_id)
            rows = 0
            text = data.row_formatter(sink.schema)  # a float by Float.toString
            data.set_map_table(True)  # DUMP's maps: read back from its output (BinInterSedes)
            try:
                for row in self.read_rows(url):
                    self.print(text(row))
                    rows += 1
            finally:
                data.set_map_table(None)
            if jobs:  # the summary's records of the DUMP's job: the rows printed
                self.stats[-1].update(records=rows, dump=True)

    def run_merged(self, plan: L.LogicalPlan, merged: MQ.MergedJob) -> None:
        """Run the jobs of `merged` as one job: each writes its STORE, or the intermediate
        output its STORE's later jobs read, as a named output published with the others."""
        from mapred.api import Input
        from mapred.errors import MapRedError
        from mapred.output import NamedOutput, declare_named_outputs
        from mapred.runner import run_job
        from piglatin.back import multiquery as MQ

        self.job_seq += 1
        first = merged.jobs[0]
        locations: dict[str, str] = {}
        for job in merged.jobs:
            locations.update({s: self._source_url(plan, s) for s in job.sources})
        for job in merged.jobs:  # all read one input: Pig's merged job takes the largest
            self._set_reducers(plan, job, locations)
        source = first.spec.inputs[0].source
        inputs = [Input(locations[source], SRC.input_format_of(plan.op(source)), "map0")]
        branches, outputs, written = [], [], []
        own = merged.own_reducers(plan)
        for i, job in enumerate(merged.jobs):
            store = plan.op(job.store) if job.store else None
            if isinstance(store, L.LOStore):
                url, text = self.location(store.path, output=True), _is_text(store)
                written.append({"store": store.path, "output": url, "text": text, "name": f"b{i}"})
            else:
                url, text = self.tmp_location(f"{job.name}-{self.job_seq}-{i}"), False
            branches.append(MQ.Branch(job.spec, f"b{i}", text, own[i]).to_wire())
            outputs.append(NamedOutput(f"b{i}", url, "text" if text else "records"))
        conf = self._job_conf(first, locations, False)
        del conf[RT.SPEC]
        conf.update({MQ.BRANCHES: branches, "mapreduce.job.reduces": merged.reducers})
        declare_named_outputs(conf, outputs)
        if self.on_job_start is not None:
            self.on_job_start(plan, first, 0, 1)
        output = self.tmp_location(f"multiquery-{self.job_seq}-{os.urandom(3).hex()}")
        executor = self._executor()
        self._running_inputs = self._inputs(plan, first, [source], locations)
        name = conf.get("mapreduce.job.name") or f"PigLatin:{merged.name}"
        try:
            result = run_job(
                MQ.job_class(merged, own), inputs, output, conf, executor,
                name=name, progress=self.progress,
            )  # fmt: skip
        except MapRedError as e:
            raise _runtime_error(first, e, merged.name) from None
        if not result.succeeded:
            raise _runtime_error(first, result.error, merged.name, result.job_id)
        self._merged_stats(plan, merged, result, output, written)
        for job, out in zip(merged.jobs, outputs, strict=True):
            if not job.store or not isinstance(plan.op(job.store), L.LOStore):
                self.outputs[job.store or job.output_op] = out.path
            else:
                store_metadata(plan.op(job.store), out.path)  # type: ignore[arg-type]

    def _merged_stats(
        self, plan: L.LogicalPlan, merged: MQ.MergedJob, result: Any, output: str, written: list
    ) -> None:
        from piglatin.back import multiquery as MQ

        self.stats.append(MQ.job_stats(plan, merged, result, output, written))
        self.stats[-1]["inputs"] = _inputs_read(self._running_inputs, result.counters)
        self._running_inputs = []
        self._add_warnings(result.counters)
        if self.on_job is not None:
            self.on_job(self.stats[-1])

    def _executor(self) -> str:
        dask = self.properties.get("mapreduce.framework.name") == "dask"  # -x dask, -D
        return "local" if self.exec_type == "local" else ("dask" if dask else "cluster")

    def _compile_conf(self) -> dict[str, Any]:
        keys = ("default_parallel", "pig.exec.nocombiner", crosschoice.MAX_BYTES)
        conf: dict[str, Any] = {key: self.properties.get(key) for key in keys}
        # the sizes of inputs that exist: a CROSS of small inputs runs in a map side
        conf[crosschoice.INPUT_BYTES] = lambda plan, op_id: _input_bytes(
            [self._source_url(plan, op_id)]
        )
        return conf

    def _check_output(self, sink: L.LOStore) -> None:
        """Pig's InputOutputFileValidator: ERROR 6000 for an output location that exists, or
        that cannot be opened or created, before any job runs."""
        from mapred.localfs import url_to_fs

        url = self.location(sink.path, output=True)
        self._check_scheme(url, sink, code=6000)
        fs, path = url_to_fs(url)
        why = f"Output directory {url} already exists" if fs.exists(path) else None
        if why is None and "://" not in url:
            why = _uncreatable(url)
        if why is not None:
            raise _output_error(url, why, sink)

    def _check_scheme(self, url: str, op: L.LogicalOperator, code: int) -> None:
        """Refuse a location whose filesystem cannot be opened here, before fsspec tries (for
        hdfs:// without Java, pyarrow prints a failed dlopen for every place it looks)."""
        why = unopenable(url, self.exec_type)
        if why is None:
            return
        if code == 6000:
            raise _output_error(url, why, op)
        raise PigError(why, code=code, line=op.line or None, column=op.column or None)

    def run_job(self, plan: L.LogicalPlan, job: MRJob) -> None:
        from mapred.api import Input
        from mapred.errors import MapRedError
        from mapred.runner import run_job

        self.job_seq += 1
        spec = job.spec
        locations = {op_id: self._source_url(plan, op_id) for op_id in job.sources + job.side}
        self._check_replicated(plan, job, locations)
        self._set_reducers(plan, job, locations)
        inputs = []
        for i, inp in enumerate(spec.inputs):
            src = plan.op(inp.source)
            fmt = SRC.input_format_of(src) if inp.source not in self.outputs else "records"
            inputs.append(Input(locations[inp.source], fmt, f"map{i}"))
        store = plan.op(job.store) if job.store else None
        if isinstance(store, L.LOStore):
            output = self.location(store.path, output=True)
            text = not store.func.name.endswith("BinStorage")
        else:
            output = self.tmp_location(f"{job.name}-{self.job_seq}-{os.urandom(3).hex()}")
            text = False
        conf = self._job_conf(job, locations, text)
        if isinstance(store, L.LOStore):  # PigStorage into '*.gz' / '*.bz2': compressed parts
            conf.update(output_compression(store))
        self._ship_replicated(plan, job, locations, conf)
        if spec.cuts_from and spec.kind == "rank":  # a plain RANK's counts per map task
            conf[R_RANK_COUNTS] = [list(r) for r in self.read_rows(locations[spec.cuts_from])]
        elif spec.cuts_from:
            from mapred.sampler import cut_points

            sample = [bytes(k) for k in self.read_rows(locations[spec.cuts_from])]
            conf[R_ORDER_CUTS] = cut_points(sample, job.reducers)
        if spec.strategy == "skewed":
            conf["pig.skew.hot"] = self._hot_keys(locations[spec.op + "#keys"], job.reducers)
        executor = self._executor()
        self._running_inputs = self._inputs(plan, job, [i.source for i in spec.inputs], locations)
        try:
            result = run_job(
                _job_class(spec),
                inputs,
                output,
                conf,
                executor,
                name=conf.get("mapreduce.job.name") or f"PigLatin:{job.name}",
                progress=self.progress,
            )
        except MapRedError as e:
            raise _runtime_error(job, e) from None
        if not result.succeeded:
            raise _runtime_error(job, result.error, job_id=result.job_id)
        self.stats.append(
            {
                "job": result.job_id,
                "name": job.name,
                "kind": spec.kind,
                "maps": result.stats.get("maps"),
                "reduces": result.stats.get("reduces"),
                "seconds": result.seconds,
                "hot_keys": len(conf.get("pig.skew.hot", ())),
                "counters": result.counters,
                "output": output,
                "store": store.path if isinstance(store, L.LOStore) else None,
                "text": text,
                "alias": ",".join(job_aliases(plan, job)),
                "feature": ",".join(job_features(plan, job)),
                "map_seconds": [m.get("seconds") for m in result.stats.get("map_stats", ())],
                "reduce_seconds": [r.get("seconds") for r in result.stats.get("reduce_stats", ())],
                "inputs": _inputs_read(self._running_inputs, result.counters),
            }
        )
        self._running_inputs = []
        self._add_warnings(result.counters)
        if self.on_job is not None:
            self.on_job(self.stats[-1])
        if not isinstance(store, L.LOStore):
            self.outputs[job.store if job.store else job.output_op] = output
        else:
            store_metadata(store, output)  # PigStorage -schema's .pig_schema, .pig_header
        self._read_scalar(plan, job, output)

    # -- reducers -------------------------------------------------------------------------
    def _set_reducers(self, plan: L.LogicalPlan, job: MRJob, locations: Mapping[str, str]) -> None:
        """Pig's JobControlCompiler.adjustNumReducers when `job` starts: reducers the compiler
        left to the estimate (`MRJob.estimate`) become ``mapreduce.job.reduces`` if the user
        set it, else the estimate from the sizes of the job's inputs (its map inputs, not
        replicated tables or other side files), listed now: earlier jobs' outputs included."""
        if not job.estimate:
            return

        def guess() -> int:
            urls = [locations[s] for s in dict.fromkeys(i.source for i in job.spec.inputs)]
            return self._estimate(urls, job.spec.kind == "order")

        n = RE.runtime_reducers(job.reducers, True, self.properties, guess)
        log.debug("Setting Parallelism to %d", n)
        job.reducers, job.estimate = n, False
        job.spec = dataclasses.replace(job.spec, reducers=n)

    def _estimate(self, urls: Sequence[str], sampled: bool) -> int:
        estimator = RE.Estimator.of(self.properties, self._reduce_slots(), sampled)
        size = _input_bytes(urls)
        log.debug(
            "BytesPerReducer=%d maxReducers=%d totalInputFileSize=%s",
            estimator.bytes_per_reducer,
            estimator.max_reducers,
            -1 if size is None else size,
        )
        return estimator.reducers(size)

    def _reduce_slots(self) -> int | None:
        """The reduce slots of the cluster jobs run on (Hadoop's ClusterStatus max reduce
        tasks): the JobTracker daemon's when one runs, else the embedded cluster's layout.
        None in local mode and on Dask, where the estimate keeps Pig's defaults."""
        if self._slots is None:
            self._slots = (self._ask_reduce_slots(),)
        return self._slots[0]

    def _ask_reduce_slots(self) -> int | None:
        if self._executor() != "cluster":
            return None
        from mapred.embedded import layout_for
        from mapred.remote import RemoteJobTracker, jobtracker_address
        from mapred.runner import make_conf

        conf = make_conf(self.properties)
        address = jobtracker_address(conf)
        if address is None:
            return sum(layout_for(conf, inline=False).reduce_slots)
        client = RemoteJobTracker(conf, address)
        try:
            return client.proxy.cluster_status().reduce_slots
        finally:
            client.close()

    def _without_unneeded_samplers(self, plan: L.LogicalPlan, jobs: list[MRJob]) -> list[MRJob]:
        """`jobs` without the sampling job of each ORDER whose estimated reducers come to one
        (decided when the chain starts, so progress counts the jobs that run): the ORDER then
        runs as with PARALLEL 1. Inputs that earlier jobs of the chain make are not there
        yet; the LOADs they come from stand for their size (an ORDER whose sampler is kept
        is estimated again from its real inputs when it starts)."""
        kept = list(jobs)
        for sample in [j for j in jobs if j.spec.kind == "sample"]:
            order = next((j for j in jobs if j.spec.cuts_from == sample.output_op), None)
            if order is None or not order.estimate:
                continue
            n = RE.runtime_reducers(
                order.reducers, True, self.properties, lambda o=order: self._bound(plan, o)
            )
            if n > 1:
                continue
            kept.remove(sample)
            order.side.remove(sample.output_op)
            side = tuple(s for s in order.spec.side if s != sample.output_op)
            order.spec = dataclasses.replace(order.spec, cuts_from=None, side=side, reducers=1)
            order.reducers, order.estimate = 1, False
        return kept

    def _bound(self, plan: L.LogicalPlan, job: MRJob) -> int:
        """The estimate for ORDER `job` before its chain runs: inputs that exist count their
        size, the others the size of the LOADs they are computed from."""
        urls: dict[str, None] = {}
        for source in dict.fromkeys(i.source for i in job.spec.inputs):
            op = plan.op(source)
            if source in self.outputs or isinstance(op, L.LOLoad):
                urls[self._source_url(plan, source)] = None
                continue
            for up in plan.upstream(source):
                if up.op_id in self.outputs or isinstance(up, L.LOLoad):
                    urls[self._source_url(plan, up.op_id)] = None
        return self._estimate(list(urls), True)

    def _source_url(self, plan: L.LogicalPlan, op_id: str) -> str:
        if op_id in self.outputs:
            return self.outputs[op_id]
        op = plan.op(op_id)
        if isinstance(op, L.LOLoad):
            url = self.location(op.path)
            self._check_input(url)
            return url
        raise PigError(f"no output for {op.alias or op_id}", code=2999)

    def _check_input(self, url: str) -> None:
        from mapred.errors import InputPathError
        from mapred.io import expand_inputs

        try:
            expand_inputs([url], SRC.input_conf())
        except InputPathError as e:  # Hadoop's own words: "Input path does not exist: X" or
            raise PigError(str(e), code=2118) from None  # "Input Pattern X matches 0 files"

    def _check_replicated(self, plan: L.LogicalPlan, job: MRJob, locations: dict) -> None:
        from mapred.io import expand_inputs
        from mapred.localfs import url_to_fs

        limit = int(self.properties.get(REPLICATED_MAX, DEFAULT_REPLICATED_MAX))
        for op_id in job.side:
            if not any(u == op_id for u, _s in plan.scalars if False):
                size = 0
                for url in expand_inputs([locations[op_id]], SRC.input_conf()):
                    fs, path = url_to_fs(url)
                    size += fs.size(path) or 0
                if size > limit and _is_replicated_side(plan, op_id):
                    raise PigError(
                        f"Replicated join input {plan.op(op_id).alias or op_id} is {size} bytes, "
                        f"more than {REPLICATED_MAX}={limit}; use the default hash join or "
                        "'skewed' instead of 'replicated'",
                        code=1000,
                    )

    def _ship_replicated(
        self, plan: L.LogicalPlan, job: MRJob, locations: dict, conf: dict[str, Any]
    ) -> None:
        """Hand each replicated input's files to the job's distributed cache under unique link
        names (Hadoop's ``url#name``): each TaskTracker copies them to its local directory once
        per job and every task reads its local copy. A file whose URL the cache list cannot
        carry (a ``#`` or ``,`` in it) is first copied under its link name."""
        from mapred.io import expand_inputs

        cached: dict[str, list[str]] = {}
        urls: list[str] = []
        for op_id in job.side:
            if not _is_replicated_side(plan, op_id):
                continue
            names = []
            for i, url in enumerate(expand_inputs([locations[op_id]], SRC.input_conf())):
                self.job_seq += 1
                base = os.path.basename(url.rstrip("/")).replace("#", "_").replace(",", "_")
                name = f"repl-{self.job_seq}-{i}-{base}"
                if "#" in url or "," in url:
                    urls.append(self._copied_for_cache(url, name))
                else:
                    urls.append(f"{url}#{name}")
                names.append(name)
            cached[op_id] = names
        if cached:
            conf[SRC.CACHE] = cached
            conf["mapreduce.job.cache.files"] = ",".join(urls)

    def _copied_for_cache(self, url: str, name: str) -> str:
        """A copy of `url` in the session's temporary directory, named `name`."""
        from mapred.localfs import open_url, url_to_fs

        target = self.tmp_location(f"cache/{name}")
        fs, path = url_to_fs(target)
        fs.makedirs(os.path.dirname(path), exist_ok=True)
        with open_url(url, "rb") as src, open_url(target, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        return target

    def _inputs(
        self, plan: L.LogicalPlan, job: MRJob, sources: Sequence[str], locations: Mapping
    ) -> list[dict[str, Any]]:
        """The summary's Input(s) of `job` reading `sources` (Pig's InputStats): each that
        is a LOAD of the script (not an earlier job's output), how it is read (a sampling
        job's input is "sampled", a merge join's index job's "indexed"), and whether it is
        the job's only input (the job's input counters are then its own)."""
        how = {"sample": "sampled", "keycount": "sampled", "index": "indexed"}
        return [
            {
                "location": locations[s],
                "how": how.get(job.spec.kind, "read"),
                "index": None if len(sources) == 1 else i,
            }
            for i, s in enumerate(sources)
            if s not in self.outputs and isinstance(plan.op(s), L.LOLoad)
        ]

    def _job_conf(self, job: MRJob, locations: dict, text: bool) -> dict[str, Any]:
        conf = dict(self.properties)  # every SET property travels with the job
        conf.update(
            {
                RT.SCRIPT: self.chunks,
                RT.CWD: self.cwd,
                RT.SPEC: job.spec.to_wire(),
                RT.LOCATIONS: locations,
                RT.SCALARS: dict(self.scalars),
                RT.UDFS: dict(self.udfs),
                RT.OUTFMT: "text" if text else "records",
                "mapreduce.job.reduces": job.reducers,
            }
        )
        if self.exec_type == "local":
            conf.setdefault("mapreduce.map.maxattempts", 1)
            conf.setdefault("mapreduce.reduce.maxattempts", 1)
        for key, value in SRC.INPUT_CONF.items():  # subdirectories of inputs, as Pig lists
            conf.setdefault(key, value)
        return conf

    def _hot_keys(self, url: str, reducers: int) -> list[list[Any]]:
        """Keys with more than one reducer's share of the left input, each given a run of
        reducers: [key bytes, first reducer, how many]."""
        import math

        import mmh3

        rows = list(self.read_rows(url))
        total = sum(c for _kb, c in rows)
        if reducers <= 1 or not total:
            return []
        share = total / reducers
        hot = []
        for kb, c in rows:
            if c > share:
                n = min(reducers, math.ceil(c / share))
                hot.append([kb, mmh3.hash(kb, 0, False) % reducers, n])
        log.info("skewed join: %d hot key(s) of %d", len(hot), len(rows))
        return hot

    def _read_scalar(self, plan: L.LogicalPlan, job: MRJob, output: str) -> None:
        if not any(src == job.output_op for _u, src in plan.scalars):
            return
        rows = list(self.read_rows(output))
        if len(rows) > 1:
            alias = plan.op(job.output_op).alias
            raise PigError(
                f"Scalar has more than one row in the output. 1st : {rows[0]}, "
                f"2nd :{rows[1]} (alias {alias})",
                code=1066,
            )
        self.scalars[job.output_op] = pack_value(rows[0] if rows else None)

    def read_rows(self, url: str):
        from mapred.recordfile import read_records
        from mapred.runner import part_files

        for part in part_files(url):
            for _k, v in read_records(part):
                yield unpack_value(v)

    def illustrate(self, op_id: str | None, plan: L.LogicalPlan | None = None) -> str:
        """ILLUSTRATE: example rows of every aliased relation `op_id` (None: every sink of
        the script) depends on, in `plan` (default: the session's optimized plan)."""
        from piglatin.back.illustrate import illustrate, sample_reader
        from piglatin.back.physical import Compiler

        plan = plan or self.plan
        targets = [op_id] if op_id else [s.op_id for s in plan.sinks()]
        for op in {o.op_id: o for t in targets for o in plan.upstream(t)}.values():  # ERROR 2118
            if isinstance(op, L.LOLoad) and op.op_id not in self.outputs:
                self._check_scheme(self.location(op.path), op, code=2118)
        scalars = {k: unpack_value(v) for k, v in self.scalars.items()}
        udfs = {(k or None): v for k, v in self.udfs.items()}
        compiler = Compiler(scalars, udfs, plan=plan)
        return illustrate(plan, op_id, compiler, sample_reader(self), self.cwd)

    # -- explain --------------------------------------------------------------------------
    def explain(self, op_id: str | None = None) -> str:
        return "\n".join(self.explain_parts(op_id))

    def explain_jobs(self, op_id: str | None = None) -> list[MRJob]:
        """The job chains EXPLAIN shows: of `op_id`, or of every sink."""
        plan = self.plan
        targets = [op_id] if op_id else [s.op_id for s in plan.sinks()]
        jobs: list[MRJob] = []
        stores = [t for t in targets if isinstance(plan.op(t), L.LOStore)]
        chains, _shared = self.batch_chains(plan, stores, set(), self._compile_conf())
        batch = dict(zip(stores, chains, strict=True))
        for target in targets:
            op = plan.op(target)
            if target in batch:  # a relation the STOREs share: computed once (multi-query)
                jobs.extend(batch[target])
                continue
            jobs.extend(
                compile_sink(plan, target, set(), self._compile_conf()).jobs
                if isinstance(op, L.SINKS)
                else compile_target(plan, target, self._compile_conf()).jobs
            )
        return jobs

    def explain_parts(self, op_id: str | None = None, brief: bool = False) -> list[str]:
        """EXPLAIN's texts: the logical plan, the physical plan, then the execution plan (the
        MapReduce plan, the merged jobs, and unless `brief` the generated code)."""
        plan = self.plan
        jobs = self.explain_jobs(op_id)
        from piglatin.back.explain import mr_plan_text, physical_text
        from piglatin.back.physical import Compiler

        parts = [plan.explain(op_id), physical_text(plan, jobs), mr_plan_text(plan, jobs)]
        stores = [s.op_id for s in plan.sinks() if isinstance(s, L.LOStore)]
        from piglatin.back import multiquery as MQ

        merged: list[MQ.MergedJob] = []
        if op_id is None and len(stores) > 1 and MQ.enabled(self.properties):
            conf = self._compile_conf()
            chains, _shared = self.batch_chains(plan, stores, set(), conf)
            merged = MQ.merge_jobs(plan, chains, self.location)
            parts[2] += "\n" + MQ.explain_text(plan, merged)
        if brief:
            return parts
        if merged:  # the code of a merged job's map is the merged job's, printed below
            ran = {(j.spec.output_op, j.spec.store) for m in merged for j in m.jobs}
            jobs = [j for j in jobs if (j.spec.output_op, j.spec.store) not in ran]
        scalars = {k: unpack_value(v) for k, v in self.scalars.items()}
        udfs = {(k or None): v for k, v in self.udfs.items()}
        from dfs.conf import Configuration

        pass_through = Configuration(dict(self.properties)).get_bool(RT.PASS_THROUGH, True)
        compiler = Compiler(scalars, udfs, plan=plan)
        branches = [(f"{m.name}, branch {i}", j) for m in merged for i, j in enumerate(m.jobs)]
        parts[2] += "\n" + RT.explain_code(
            plan, jobs, compiler, pass_through, self.properties, branches
        )
        if merged:
            code_conf = self._job_conf(merged[0].jobs[0], {}, False)
            parts[2] += "\n" + MQ.explain_code(plan, merged, code_conf, self.location)
        return parts


def _output_error(url: str, why: str, op: L.LogicalOperator) -> PigError:
    return PigError(
        f"Output Location Validation Failed for: '{url}' More info to follow: {why}",
        code=6000,
        line=op.line or None,
        column=op.column or None,
    )


def unopenable(url: str, exec_type: str) -> str | None:
    """Why `url`'s filesystem cannot be opened here, in Hadoop's words (`No FileSystem for
    scheme "hdfs"`), naming what works instead; None when it can (or `url` is a local path)."""
    if "://" not in url:
        return None
    scheme = url.split("://", 1)[0]
    if exec_type == "local":
        instead = "pig -x local reads and writes local paths (write a path, or file:///path)"
    else:
        instead = "this cluster's filesystem is dfs:/// (write /path or dfs:///path)"
    if scheme.lower() in ("hdfs", "viewfs", "webhdfs") and not os.environ.get("JAVA_HOME"):
        return (
            f'No FileSystem for scheme "{scheme}" ({url}): {instead}; a real HDFS is reached '
            "through pyarrow, which needs JAVA_HOME, HADOOP_HOME and CLASSPATH set"
        )
    if scheme in ("file", "local", "dfs"):  # fsspec's local filesystem and ours: always there
        return None
    import fsspec

    try:
        fsspec.get_filesystem_class(scheme)
    except (ValueError, ImportError) as e:
        return f'No FileSystem for scheme "{scheme}" ({url}): {e}; {instead}'
    return None


def _uncreatable(path: str) -> str | None:
    """Why local output directory `path` cannot be created (Hadoop's "Mkdirs failed to
    create"), found by creating and removing a probe directory in its nearest existing
    ancestor, so nothing is left behind; None when it can be."""
    parent = os.path.dirname(os.path.abspath(path))
    while parent != os.path.dirname(parent) and not os.path.lexists(parent):
        parent = os.path.dirname(parent)
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".pig-probe-", dir=parent))
    except OSError as e:
        return f"Mkdirs failed to create {path}: cannot create in {parent}: {e.strerror or e}"
    return None


def _is_replicated_side(plan: L.LogicalPlan, op_id: str) -> bool:
    return any(
        isinstance(op, L.LOJoin) and op.strategy == "replicated" and op_id in op.inputs[1:]
        for op in plan.operators
    )


def _job_class(spec: JobSpec) -> type:
    """A STREAM's job class (streaming.py, imported only by a script that streams), else the
    runtime's."""
    if spec.kind == "stream":
        from piglatin.back import streaming

        return streaming.job_class(spec)
    return RT.job_class(spec)


def _runtime_error(
    job: MRJob, cause: Any, name: str = "", job_id: str | None = None
) -> JobFailedError:
    text = str(cause).strip().splitlines()[-1] if str(cause).strip() else repr(cause)
    streaming = re.search(r"StreamingError: ERROR (\d+): (.*?)(?: \(at .*\))?$", text)
    if streaming:  # a STREAM's command failed: Pig's own error (ERROR 2055)
        error = JobFailedError(streaming.group(2), code=int(streaming.group(1)))
    else:
        error = JobFailedError(f"Encountered a failure running {name or job.name}: {text}")
    error.job_id = job_id or (m.group(0) if (m := re.search(r"\bjob_\w+", text)) else None)
    return error


def _stopped(e: PigError) -> PigError:
    """Pig's MapReduceLauncher.checkStopOnFailure with stop.on.failure: ERROR 6017 naming
    the failed job and why, which ends the run (Main: PIG_EXCEPTION)."""
    return PigError(f"JobID: {_job_id(e) or 'N/A'} Reason: {e.message}", code=6017)


def _job_id(e: PigError) -> str | None:
    return getattr(e, "job_id", None)


def _inputs_read(inputs: list[dict[str, Any]], counters: Any) -> list[dict[str, Any]]:
    """`inputs` (PigServer._inputs) with the records and bytes a finished job read, as Pig's
    MRJobStats.addInputStatistics: the job's map input records and bytes read when it has
    one input; else each input's records (mapred's per-input counter, 0 for an empty one)
    and no bytes."""
    from mapred.counters import BYTES_READ, MAP_INPUT_RECORDS, MULTI_INPUT_GROUP

    each = counters.to_dict().get(MULTI_INPUT_GROUP, {})
    return [
        {
            **i,
            "records": counters.find(MAP_INPUT_RECORDS)
            if i["index"] is None
            else each.get(f"Input records from _{i['index']}", 0),
            "bytes": counters.find(BYTES_READ) if i["index"] is None else None,
        }
        for i in inputs
    ]


def _input_bytes(urls: Sequence[str]) -> int | None:
    """Bytes of the files the job reads at `urls` (directories' files, glob matches): one
    listing each, no read; None when one cannot be listed (Pig then uses one reducer)."""
    from mapred.errors import InputPathError
    from mapred.io import expand_inputs
    from mapred.localfs import url_to_fs

    total = 0
    try:
        for url in expand_inputs(list(urls), SRC.input_conf()):
            fs, path = url_to_fs(url)
            total += fs.size(path) or 0
    except (OSError, InputPathError) as e:
        log.debug("cannot size the input %s: %s", ",".join(urls), e)
        return None
    return total


def _is_text(store: L.LOStore) -> bool:
    return not store.func.name.endswith("BinStorage")


def clean_dead_sessions(directory: str) -> list[str]:
    """Remove the ``pig-tmp-<pid>-*`` directories in `directory` whose session's process is
    gone (never a live one's, never one whose owner cannot be told). Returns their names.
    A directory holding a merged job's publish record (the job died between two publishes)
    stays until that job is rolled back (`PigServer._clean_dead_jobs`, before any output is
    checked); a later session removes it."""
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    removed = []
    for name in names:
        m = _LOCAL_TMP.match(name)
        if m and not process_alive(int(m.group(1))):
            path = os.path.join(directory, name)
            if _publishing(os.listdir(path) if os.path.isdir(path) else []):
                continue
            shutil.rmtree(path, ignore_errors=True)
            removed.append(name)
    return removed


def _publishing(names: list[str]) -> bool:
    """Is one of `names` a multi-output job's publish record (mapred.committer)?"""
    prefix = "_publishing_"  # mapred.committer.PUBLISHING_PREFIX, not imported at start-up
    return any(os.path.basename(n.rstrip("/")).startswith(prefix) for n in names)


def _clean_dead_dfs_sessions() -> None:
    """The DFS side of `clean_dead_sessions`: dead sessions' ``/tmp/pig-<pid>-...``."""
    from mapred.localfs import url_to_fs  # dfs:// without fsspec, one DFS client a process

    try:
        fs, root = url_to_fs("dfs:///tmp")
        if not fs.exists(root):
            return
        for path in fs.ls(root, detail=False):
            m = _DFS_TMP.match(posixpath.basename(path))
            dead = m is not None and not process_alive(int(m.group(1)))
            if dead and not _publishing(fs.ls(path, detail=False)):
                fs.rm(path, recursive=True)
    except (OSError, ValueError) as e:  # best effort: a later session tries again
        log.debug("cannot clean dead sessions' temporary files on the DFS: %s", e)


def _dfs_exists(url: str) -> bool:
    from mapred.localfs import url_to_fs

    fs, path = url_to_fs(url)
    try:
        return bool(fs.exists(path))
    except OSError:
        return False


def _user() -> str:
    from dfs.conf import current_user

    return current_user()


def _reads_any(plan: L.LogicalPlan, sink_id: str, paths: set[str]) -> bool:
    """multiquery.reads_any (imported once a batch has a STORE before this one)."""
    from piglatin.back.multiquery import reads_any

    return reads_any(plan, sink_id, paths)


def run_script(
    script_text: str,
    exec_type: str = "local",
    params: Mapping[str, str] | None = None,
    param_files: Sequence[str] = (),
    cwd: str | os.PathLike | None = None,
    filename: str | None = None,
    out: TextIO | None = None,
) -> int:
    """Run a whole Pig script; DUMP and DESCRIBE lines go to `out`. Returns 0, or raises
    PigError for a user error."""
    server = PigServer(exec_type, cwd=cwd, out=out)
    try:
        server.register_script(script_text, params, list(param_files), filename)
    finally:
        server.close()
    return 0


def explain_text(
    script_text: str,
    alias: str | None = None,
    exec_type: str = "local",
    params: Mapping[str, str] | None = None,
    cwd: str | None = None,
) -> str:
    """EXPLAIN of a script without running it: logical, physical and MapReduce plans."""
    server = PigServer(exec_type, cwd=cwd)
    try:
        server.register_script(script_text, params, execute=False)
        for action in server.builder.actions:
            if isinstance(action, (L.SetAction, L.RegisterAction)):
                server.perform(action)
        op_id = dict(server.plan.aliases)[alias] if alias else None
        return server.explain(op_id)
    finally:
        server.close()


#: Settings that must be whole numbers of at least the given value (Pig's own and the Hadoop
#: ones a script sets most); a bad value is refused where it is set, naming the setting.
_COUNT_SETTINGS = {
    "default_parallel": 0,
    "mapreduce.job.reduces": 0,
    "mapreduce.map.maxattempts": 1,
    "mapreduce.reduce.maxattempts": 1,
    "pig.join.replicated.max.bytes": 0,
    "pig.exec.mapPartAgg.minReduction": 1,
    RE.BYTES_PER_REDUCER: 1,
    RE.MAX_REDUCERS: 1,
}


def _checked_setting(key: str, value: Any) -> Any:
    """`value` for setting `key`, refused with Pig's ERROR 1000 when `key` takes a count and
    `value` is not one."""
    from piglatin.errors import PigError

    least = _COUNT_SETTINGS.get(key)
    if least is None or isinstance(value, int):
        return value
    text = str(value).strip()
    if not (text.lstrip("-").isdigit() and int(text) >= least):
        raise PigError(
            f"Invalid value {text!r} for {key}: expected a whole number >= {least}", code=1000
        )
    return text
