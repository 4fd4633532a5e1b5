"""The `pig` command: Pig's command-line options, console logging, error reporting and the
run summary.

Owns: parsing `pig [-x local|mapreduce] [-param k=v]... [-param_file f]... [-D k=v]...
[-e 'stmt' | -f script.pig | script.pig] [--debug]` and Pig's other single-dash flags
(`-version`, `-help`, `-check`, `-dryrun`, `-optimizer_off`, `-propertyFile`, `-logfile`,
`-debug LEVEL`, `-brief`, `-verbose`, ...; each long one also with two dashes, so `--help`
and `--version` answer as a newcomer expects); the console log of a run (Pig's own lines at
INFO on stderr, as Pig's log4j layout; the job progress comes from tools/progress.py);
turning every error into Pig's one-line `ERROR nnnn: ...` with the details in Pig's log file
(tools/report.py) and an exit status from Pig's return codes; printing the job summary at
the end. With no script it starts the grunt shell (grunt.py).
Must not touch: compiling or running scripts (launcher.py does that), the shell loop.

Exit statuses follow Pig's ReturnCode: 0 success, 2 a job failed, 3 some jobs failed and
others succeeded, 4 bad arguments, 5 an I/O error, 6 a Pig error, 7 a parse error, 8 anything
unexpected.
"""

from __future__ import annotations

# first: its exit handler must be registered before any other of the command's (fastexit.py)
from piglatin.tools import fastexit  # isort: skip

# next: in the `pig` process the collector waits from here while the modules import (startup.py)
from piglatin.tools import startup  # isort: skip

import contextlib
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import field
from pathlib import Path
from typing import Any, TextIO

from dfs.fastclass import dataclass
from piglatin.errors import suggest
from piglatin.tools.printstream import PrintStream
from piglatin.tools.report import (
    FAILURE,
    ILLEGAL_ARGS,
    SUCCESS,
    THROWABLE,
    log_file_path,
    report_error,
    summary,
)

log = logging.getLogger("piglatin.tools.cli")  # not __name__: "__main__" under python -m

PIG_VERSION = "0.17.0"
PARTIAL_FAILURE = 3  # Pig's ReturnCode: some jobs failed, others succeeded
LOGFILE = "pig.logfile"  # the property -l sets

USAGE = """\
Apache Pig version {version} (minihadoop)

USAGE: pig [options] [-]                      start the interactive grunt shell
       pig [options] -e[xecute] cmd [cmd ...]  run the statements given on the command line
       pig [options] [-f[ile]] file            run the statements of a script file
  options:
    -e, -execute STMTS   run the rest of the command line as Pig Latin statements
    -f, -file SCRIPT     run the script file SCRIPT
    -x, -exectype MODE   where jobs run: local (local files, one process) or mapreduce
                         (the cluster's DFS; the default); dask: mapreduce's jobs on Dask
    -p, -param K=V       define parameter $K for the script (repeatable)
    -m, -param_file F    read parameters from file F, one K=V a line (repeatable)
    -D key=value         set a Pig or Hadoop property (also -Dkey=value)
    -P, -propertyFile F  read properties from a Java-style properties file
    -c, -check           check the script's syntax and schemas, run nothing
    -r, -dryrun          write the script with its parameters substituted to
                         <script>.substituted (print it, for -e), run nothing
    -t, -optimizer_off R turn optimizer rule R off (repeatable; All turns off all):
                         PushUpFilter, MergeFilter, LimitOptimizer, ColumnMapKeyPrune,
                         MergeForEach, RemoveRedundantDistinct, and minihadoop's own
                         RemoveUnseenNested (a nested ORDER/DISTINCT no output can see),
                         JoinGroupFusion (a GROUP on a join's key in the join's job),
                         DistinctGroupFusion (a GROUP of a DISTINCT's rows in its job) and
                         CubePreAggregate (a CUBE's aggregates from partials per distinct
                         dimension tuple), All
    -l, -logfile PATH    where error details go: a file, or a directory for
                         pig_<millis>.log (default: pig_<millis>.log in the current directory)
    -d, -debug LEVEL     Pig's log level on stderr: ERROR, WARN, INFO (default) or DEBUG
    -b, -brief           log lines without timestamps
    -v, -verbose         print error details (the traceback) on the screen too
    -w, -warning         print each warning (accepted; warnings are counted per job)
    -F, -stop_on_failure stop at the first failed job (by default the STOREs of a batch
                         that do not need the failed job still run)
    -M, -no_multiquery   run each STORE's jobs on their own (SET opt.multiquery false); by
                         default STOREs that read the same input share one job
    -N, -no_fetch, -4, -log4jconf F
                         accepted for compatibility with Pig; no effect
    -h, -help [properties]  print this message, or the properties Pig reads
    -i, -version         print the version
    --debug              print Python tracebacks for every error (for reporting a bug)
  GNU spellings work too: --help, --version, --exectype local, --param K=V, ...
"""

PROPERTIES_HELP = """\
The following properties are supported (set with -D key=value, -P file, or SET in a script):
    default_parallel - reducers for reduce-side operators without PARALLEL
    pig.exec.reducers.bytes.per.reducer - input bytes per reducer when neither is set
        (1 GB with -x local; 16 MB on the cluster, at most 0.95 x its reduce slots)
    pig.exec.reducers.max - the most reducers that estimate gives (999)
    job.name - name of the MapReduce jobs of the script
    pig.join.replicated.max.bytes - largest input a replicated join may hold in memory
    pig.optimizer.rules.disabled - comma-separated optimizer rules to switch off
    pig.exec.nocombiner - true turns the combiner off
    opt.multiquery - false runs each STORE's jobs on their own (as -M)
    pig.logfile - the log file (same as -l)
    mapreduce.job.reduces, mapreduce.task.io.sort.mb, ... - any Hadoop property
"""

# option spellings -> canonical name; the value says whether the option takes an argument
_OPTIONS: dict[str, tuple[str, bool]] = {}
for _names, _canon, _valued in (
    ("-x -exectype", "exectype", True),
    ("-p -param", "param", True),
    ("-m -param_file", "param_file", True),
    ("-e -execute", "execute", False),
    ("-f -file", "file", True),
    ("-h -help", "help", False),
    ("-i -version", "version", False),
    ("-c -check", "check", False),
    ("-r -dryrun", "dryrun", False),
    ("-t -optimizer_off", "optimizer_off", True),
    ("-d -debug", "loglevel", True),
    ("-l -logfile", "logfile", True),
    ("-P -propertyFile", "property_file", True),
    ("-D", "define", True),
    ("-b -brief", "brief", False),
    ("-v -verbose", "verbose", False),
    ("-M -no_multiquery", "no_multiquery", False),
    ("-F -stop_on_failure", "stop_on_failure", False),
    ("-w -warning -N -no_fetch", "ignored", False),
    ("-4 -log4jconf", "ignored_value", True),
    ("--debug", "traceback", False),
):
    for _n in _names.split():
        _OPTIONS[_n] = (_canon, _valued)
        if _n.startswith("-") and not _n.startswith("--") and len(_n) > 2:
            _OPTIONS.setdefault("-" + _n, (_canon, _valued))  # --param, --help, ...
#: Pig's log levels (log4j names) -> Python's
LOG_LEVELS = {
    "OFF": logging.CRITICAL + 10,
    "FATAL": logging.CRITICAL,
    "ERROR": logging.ERROR,
    "WARN": logging.WARNING,
    "WARNING": logging.WARNING,
    "INFO": logging.INFO,
    "DEBUG": logging.DEBUG,
    "TRACE": logging.DEBUG,
    "ALL": logging.DEBUG,
}


class UsageError(ValueError):
    """A bad command line; printed as one line, exit status 4."""


@dataclass(slots=True)
class Options:
    exectype: str = "mapreduce"
    params: list[str] = field(default_factory=list)
    param_files: list[str] = field(default_factory=list)
    execute: str | None = None
    file: str | None = None
    help: bool = False
    help_topic: str | None = None
    version: bool = False
    check: bool = False
    dryrun: bool = False
    optimizer_off: list[str] = field(default_factory=list)
    loglevel: str | None = None
    property_files: list[str] = field(default_factory=list)
    defines: dict[str, str] = field(default_factory=dict)
    traceback: bool = False
    verbose: bool = False
    brief: bool = False
    logfile: str | None = None


def _define(opts: Options, text: str) -> None:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise UsageError(f"Bad -D '{text}': expected -D key=value")
    opts.defines[key.strip()] = value


#: Pig's rule names that have no rule here (accepted, as turning off nothing)
_PIG_ONLY_RULES = [
    "ConstantCalculator",
    "SplitFilter",
    "PushDownForeachFlatten",
    "GroupByConstParallelSetter",
    "PartitionFilterOptimizer",
    "PredicatePushdownOptimizer",
]


def _optimizer_rule(name: str) -> str:
    """`name` if it is an optimizer rule Pig knows (any case), else a UsageError naming
    the closest one."""
    from piglatin.back.distinctgroup import RULE as DISTINCT_GROUP
    from piglatin.back.joingroup import RULE as JOIN_GROUP
    from piglatin.plan.optimizer import RULE_NAMES

    known = [*RULE_NAMES, JOIN_GROUP, DISTINCT_GROUP, *_PIG_ONLY_RULES, "All"]
    if name.strip().lower() in {k.lower() for k in known}:
        return name.strip()
    raise UsageError(
        f"Unknown optimizer rule '{name}' for -t;{suggest(name, known)} "
        f"The rules are {', '.join(known)}"
    )


def _take(opts: Options, canon: str, value: str) -> None:
    if canon == "exectype":
        if value.lower() not in ("local", "mapreduce", "mr", "dask"):
            raise UsageError(f"Unknown exec type '{value}'; use -x local, mapreduce or dask")
        opts.exectype = value.lower() if value.lower() in ("local", "dask") else "mapreduce"
    elif canon == "param":
        opts.params.append(value)
    elif canon == "param_file":
        opts.param_files.append(value)
    elif canon == "file":
        opts.file = value
    elif canon == "optimizer_off":
        opts.optimizer_off.extend(_optimizer_rule(v) for v in value.split(",") if v)
    elif canon == "loglevel":
        if value.upper() not in LOG_LEVELS:
            raise UsageError(
                f"Unknown log level '{value}' for -debug; use one of ERROR, WARN, INFO, DEBUG"
            )
        opts.loglevel = value.upper()
    elif canon == "logfile":
        opts.logfile = value
    elif canon == "property_file":
        opts.property_files.append(value)
    elif canon == "define":
        _define(opts, value)


def parse_args(argv: Sequence[str]) -> Options:  # noqa: C901 - one branch per option kind
    """Pig's command line (single-dash long options, as Pig's own parser accepts)."""
    opts = Options()
    args = list(argv)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg.startswith("-D") and len(arg) > 2:
            _define(opts, arg[2:])
            i += 1
            continue
        if arg == "-":
            i += 1
            continue
        if arg not in _OPTIONS:
            if arg.startswith("-"):
                hint = suggest(arg, _OPTIONS)
                raise UsageError(f"Unknown option {arg};{hint} See pig -help")
            if arg in ("help", "version") and len(args) == 1 and not os.path.exists(arg):
                setattr(opts, arg, True)  # `pig version`: no such script, so the question
                i += 1
                continue
            if opts.file is not None or opts.execute is not None:
                raise UsageError(f"Unexpected argument '{arg}': only one script may be given")
            opts.file = arg
            i += 1
            continue
        canon, valued = _OPTIONS[arg]
        if canon == "execute":  # the rest of the command line is the statement text
            rest = args[i + 1 :]
            if not rest:
                raise UsageError(f"{arg} needs the statements to run")
            opts.execute = " ".join(rest)
            break
        if canon == "help":
            opts.help = True
            if i + 1 < len(args) and not args[i + 1].startswith("-"):
                opts.help_topic = args[i + 1]
                i += 1
        elif canon in ("version", "check", "dryrun", "traceback", "verbose", "brief"):
            setattr(opts, canon, True)
        elif canon == "no_multiquery":  # Pig's -M: opt.multiquery=false
            opts.defines["opt.multiquery"] = "false"
        elif canon == "stop_on_failure":  # Pig's -F: stop.on.failure=true
            opts.defines["stop.on.failure"] = "true"
        elif valued:
            if i + 1 >= len(args):
                raise UsageError(f"Option {arg} needs a value; see pig -help")
            _take(opts, canon, args[i + 1])
            i += 1
        i += 1
    return opts


def read_properties(path: str) -> dict[str, str]:
    """A Java-style properties file: `key=value` or `key value`, `#`/`!` comments."""
    out: dict[str, str] = {}
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise UsageError(f"Cannot read property file {path}: {e.strerror}") from None
    for line in text.splitlines():
        line = line.strip()
        if not line or line[0] in "#!":
            continue
        sep = min((line.find(c) for c in "=: " if c in line), default=-1)
        key, value = (line[:sep], line[sep + 1 :]) if sep > 0 else (line, "")
        out[key.strip()] = value.strip()
    return out


# ----------------------------------------------------------------------- main
#: what Pig's Main.determineScriptType runs as an embedded script instead of Pig Latin
_EMBEDDED = {".py": "Python", ".js": "JavaScript", ".groovy": "Groovy", ".rb": "Ruby"}


def _script(opts: Options) -> tuple[str, str | None]:
    if opts.execute is not None:
        return opts.execute.rstrip() + ("" if opts.execute.rstrip().endswith(";") else ";"), None
    assert opts.file is not None
    if Path(opts.file).suffix.lower() in _EMBEDDED and Path(opts.file).is_file():
        raise UsageError(
            f"{opts.file} is a {_EMBEDDED[Path(opts.file).suffix.lower()]} file: Pig's embedded "
            "scripts are not supported. Use its functions as UDFs from a Pig Latin script: "
            f"REGISTER '{opts.file}' USING jython AS myfuncs;"
        )
    if "://" in opts.file and not opts.file.startswith("file:"):
        return _remote_script(opts.file), opts.file
    try:
        return Path(opts.file).read_text(encoding="utf-8"), opts.file
    except FileNotFoundError:
        raise UsageError(f"Can not find script file {opts.file}; check the path") from None
    except UnicodeDecodeError as e:
        data = Path(opts.file).read_bytes()
        line = data.count(b"\n", 0, e.start) + 1
        raise UsageError(
            f"Script file {opts.file} is not UTF-8 text: byte 0x{data[e.start]:02x} on line "
            f"{line}; save it as UTF-8"
        ) from None
    except OSError as e:
        raise UsageError(f"Cannot read script file {opts.file}: {e.strerror}") from None


def _remote_script(url: str) -> str:
    """The text of a script stored on a file system other than the local disk (start.xml:
    "pig dfs:///path/id.pig"; Pig's FileLocalizer.fetchFile)."""
    from mapred.localfs import url_to_fs

    try:
        fs, path = url_to_fs(url)
        with fs.open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise UsageError(f"Can not find script file {url}; check the path") from None
    except (OSError, ValueError) as e:
        raise UsageError(f"Cannot read script file {url}: {e}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"Script file {url} is not UTF-8 text; save it as UTF-8") from None


PIG_CONF_DIR = "PIG_CONF_DIR"  # where pig.properties is looked for (start.xml)
PIG_OPTS = "PIG_OPTS"  # the JVM options bin/pig passes: its -Dkey=value are Pig properties


def _env_defines() -> dict[str, str]:
    """The -Dkey=value words of $PIG_OPTS (other JVM options are ignored)."""
    opts = os.environ.get(PIG_OPTS, "")
    if not opts:
        return {}
    import shlex  # lazy: only with $PIG_OPTS set

    try:
        words = shlex.split(opts)
    except ValueError as e:
        raise UsageError(f"Cannot read {PIG_OPTS}: {e}") from None
    out: dict[str, str] = {}
    for word in words:
        key, sep, value = word[2:].partition("=")
        if word.startswith("-D") and sep and key.strip():
            out[key.strip()] = value
    return out


def _properties(opts: Options) -> dict[str, str]:
    """The run's properties in start.xml's order, each overriding the ones before:
    $PIG_CONF_DIR/pig.properties < -D (in $PIG_OPTS, then on the command line) < -P file
    (a script's SET comes later still)."""
    props: dict[str, str] = {}
    conf_dir = os.environ.get(PIG_CONF_DIR)
    if conf_dir and os.path.isfile(os.path.join(conf_dir, "pig.properties")):
        props.update(read_properties(os.path.join(conf_dir, "pig.properties")))
    props.update(_env_defines())
    props.update(opts.defines)
    for path in opts.property_files:
        props.update(read_properties(path))
    return props


def _substituted(text: str, opts: Options, filename: str | None) -> str:
    from piglatin.front.preprocess import parse_param_args, substitute

    params = parse_param_args(opts.params)
    return substitute(text, params, param_files=opts.param_files, file=filename)


class _Stderr(logging.StreamHandler):
    """A console handler that writes to whatever `sys.stderr` is when a line is logged."""

    @property  # type: ignore[override]
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass


class _PigFormatter(logging.Formatter):
    """log4j's level names (WARN, not WARNING), as in Pig's console lines."""

    def format(self, record: logging.LogRecord) -> str:
        if record.levelno == logging.WARNING:
            record = logging.makeLogRecord({**record.__dict__, "levelname": "WARN"})
        return super().format(record)


@contextlib.contextmanager
def _logging(opts: Options) -> Iterator[None]:
    """Pig's console logging for one run: Pig's own lines (the `piglatin` loggers) at INFO,
    or the `-d` level; other libraries' at WARNING (everything at DEBUG with --debug);
    `%d [%t] %-5p %c - %m`, or the bare message with -brief. Restored afterwards."""
    pig_logger, root = logging.getLogger("piglatin"), logging.getLogger()
    saved = (pig_logger.level, root.level)
    handler = _Stderr()
    layout = (
        "%(message)s"
        if opts.brief
        else ("%(asctime)s [%(threadName)s] %(levelname)-5s %(name)s - %(message)s")
    )
    handler.setFormatter(_PigFormatter(layout))
    pig_logger.setLevel(LOG_LEVELS.get(opts.loglevel or "", logging.INFO))
    root.setLevel(logging.DEBUG if opts.traceback else logging.WARNING)
    if opts.traceback:
        pig_logger.setLevel(logging.DEBUG)
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
        pig_logger.setLevel(saved[0])
        root.setLevel(saved[1])


@dataclass(slots=True)
class _Reporting:
    """How this run reports errors: the console flags and the log file."""

    debug: bool
    verbose: bool
    logfile: str | None

    def error(self, e: BaseException, err: TextIO) -> int:
        return report_error(e, err, self.debug, self.logfile, self.verbose)


def run(opts: Options, out: TextIO, err: TextIO, reporting: _Reporting | None = None) -> int:
    """Run the script the options name (or the grunt shell); returns the exit status."""
    from piglatin.front.preprocess import parse_param_args

    reporting = reporting or _Reporting(opts.traceback, opts.verbose, None)
    props = _properties(opts)
    # -t and -D/-P pig.optimizer.rules.disabled: the plan is optimized where it is built (in
    # this process and in every task's), so the rules go in the environment workers inherit
    off = [*opts.optimizer_off, *str(props.get("pig.optimizer.rules.disabled") or "").split(",")]
    if any(name.strip() for name in off):
        from piglatin.plan.optimizer import DISABLED_ENV

        os.environ[DISABLED_ENV] = ",".join(name.strip() for name in off if name.strip())
    if opts.execute is None and opts.file is None:
        from piglatin.tools.grunt import run_grunt

        startup.release()  # a shell session of any length: the collector runs as usual
        if opts.check or opts.dryrun:
            raise UsageError(
                f"{'-c (-check)' if opts.check else '-r (-dryrun)'} needs a script: "
                "a script file, or statements with -e"
            )

        return run_grunt(
            opts.exectype,
            props,
            out=out,
            err=err,
            debug=opts.traceback,
            logfile=reporting.logfile,
            verbose=opts.verbose,
        )
    text, filename = _script(opts)
    if opts.dryrun:
        return _dryrun(text, opts, filename, out)
    if opts.check:
        from piglatin.front.builder import build_text

        build_text(_substituted(text, opts, filename), file=filename)
        print(f"{filename or '<command line>'} syntax OK", file=out)
        return SUCCESS
    return _run_script(
        opts, text, filename, parse_param_args(opts.params), props, out, err, reporting
    )


def _dryrun(text: str, opts: Options, filename: str | None, out: TextIO) -> int:
    """Pig's -dryrun: a script file's text with its parameters substituted goes to
    `<script>.substituted` (in the current directory for a script on another file system),
    as Pig's Main writes it, and is not run; statements given with -e are printed."""
    substituted = _substituted(text, opts, filename)
    if filename is None:
        out.write(substituted)
        return SUCCESS
    target = filename if "://" not in filename else os.path.basename(filename)
    target += ".substituted"
    try:
        Path(target).write_text(substituted, encoding="utf-8")
    except OSError as e:
        raise UsageError(f"Cannot write {target}: {e.strerror}") from None
    log.info("Dry run completed. Substituted pig script is at %s", target)
    return SUCCESS


def _run_script(opts, text, filename, params, props, out, err, reporting) -> int:  # noqa: PLR0913
    from piglatin.front.parser import parse  # noqa: F401 - imported before the collector runs
    from piglatin.launcher import PigServer
    from piglatin.tools.progress import JobProgress

    startup.release()
    started = time.monotonic()
    news = JobProgress()
    server = PigServer(
        opts.exectype,
        cwd=os.getcwd(),
        out=out,
        properties=props,
        progress=news.progress,
        on_job=news.job_done,
        on_job_start=news.job_starting,
    )
    status = SUCCESS
    try:
        server.register_script(text, params, opts.param_files, filename)
    except Exception as e:  # noqa: BLE001 - reported in Pig's words, then the summary
        status = reporting.error(e, err)
    finally:
        server.close()
    if status == FAILURE and _some_jobs_succeeded(server.stats):
        status = PARTIAL_FAILURE
    if server.stats:
        print(summary(server.stats, status == SUCCESS, started), file=err)
    elif status != SUCCESS and getattr(server, "job_seq", 0):
        print(summary([], False, started), file=err)
    return status


def _some_jobs_succeeded(stats: list[dict[str, Any]]) -> bool:
    """Whether a run whose jobs failed also ran some to success (Pig's
    Main.getReturnCodeForStats: PARTIAL_FAILURE when both counts are non-zero)."""
    return any(s.get("failed") for s in stats) and any(not s.get("failed") for s in stats)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _redeliver_interrupts(unraisable: Any) -> None:
    """`sys.unraisablehook` while pig runs: a KeyboardInterrupt (Ctrl-C, or SIGTERM through
    `_interrupt`) raised where Python cannot raise (an at-fork handler of logging, a
    ``__del__``) is only printed and dropped, and the job would run on; deliver it again
    as a SIGINT a moment later (from a thread: raised here, it would be dropped again)."""
    if isinstance(unraisable.exc_value, KeyboardInterrupt):
        again = threading.Timer(_REDELIVERY_DELAY, os.kill, (os.getpid(), signal.SIGINT))
        again.daemon = True  # never holds up an exit
        again.start()
        return
    _SYSTEM_UNRAISABLE(unraisable)


_REDELIVERY_DELAY = 0.05  # seconds: the code that dropped the interrupt has returned by then


_SYSTEM_UNRAISABLE = sys.unraisablehook


def _answer(opts: Options, out: TextIO) -> bool:
    """-help and -version: print the answer; whether one was asked for."""
    if opts.help:
        if opts.help_topic and opts.help_topic.lower() != "properties":
            print(f"Invalid help topic - {opts.help_topic}", file=out)
        topic = (opts.help_topic or "").lower() == "properties"
        out.write(PROPERTIES_HELP if topic else USAGE.format(version=PIG_VERSION))
        return True
    if opts.version:
        print(f"Apache Pig version {PIG_VERSION} (minihadoop)", file=out)
        return True
    return False


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point `pig`; returns (and, as a script, exits with) Pig's status."""
    own = argv is None and getattr(sys.modules.get("__main__"), "main", None) is main
    if own:  # the `pig` process itself (its console script, or python -m piglatin.tools.cli)
        startup.hold()  # already held since startup's import, unless imported elsewhere first
    try:
        status = _main(list(sys.argv[1:] if argv is None else argv))
    finally:
        startup.release()
    if own:
        fastexit.end_with(status)
    return status


def _main(args: list[str]) -> int:
    out, err = PrintStream(sys.stdout), sys.stderr
    try:
        opts = parse_args(args)
    except UsageError as e:
        print(f"ERROR: {e}", file=err)
        return ILLEGAL_ARGS
    if _answer(opts, out):
        return SUCCESS
    reporting = _Reporting(opts.traceback, opts.verbose, None)
    with _logging(opts):
        try:
            reporting.logfile = log_file_path(opts.logfile or _properties(opts).get(LOGFILE))
            if threading.current_thread() is threading.main_thread():
                # `hadoop job -kill` (or a closed terminal) sends SIGTERM: unwind as for
                # Ctrl-C, so the running job is killed and its staging output removed
                signal.signal(signal.SIGTERM, _interrupt)
                sys.unraisablehook = _redeliver_interrupts
            return run(opts, out, err, reporting)
        except UsageError as e:
            print(f"ERROR: {e}", file=err)
            return ILLEGAL_ARGS
        except KeyboardInterrupt:  # Ctrl-C or SIGTERM: the running job was killed
            print("Interrupted.", file=err)
            return THROWABLE
        except Exception as e:  # noqa: BLE001 - every failure becomes one line and a status
            return reporting.error(e, err)
        finally:
            if sys.unraisablehook is _redeliver_interrupts:
                sys.unraisablehook = _SYSTEM_UNRAISABLE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
