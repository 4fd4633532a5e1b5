"""The ``hadoop`` command: a click group whose subcommands parse their own Hadoop-style arguments.

Owns: the top-level group `cli` and `main`, Hadoop's generic options (``-D k=v``, ``-Dk=v``,
``-conf file.xml``, ``-fs``, ``-jt``, ``-files``/``-libjars``/``-archives``, ``--debug``), and the
error-to-exit-status policy shared by every subcommand (`run_command`). Subcommands here: ``fs``
(alias ``dfs``), ``fsck``, ``dfsadmin``, ``namenode [-format|-recover]``, ``datanode``,
``start-cluster``, ``stop-cluster``, ``version``.
Must not touch: filesystem logic (dfs.shell, dfs.admin and the client do that).

Extending (mapred adds ``jar`` and ``job`` this way)::

    from dfs.cli import hadoop_command

    @hadoop_command("jar", "Run a MapReduce job given as a module or .py file")
    def jar(conf: Configuration, args: list[str]) -> int:
        ...  # args are what follows the generic options; return the exit status

Imports stay lazy: ``hadoop fs -ls /`` loads only click, dfs.conf, dfs.shell and the client.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import traceback
from collections.abc import Callable, Sequence

import click

from dfs.conf import GENERIC_VALUED_OPTIONS, Configuration, parse_define, read_site_file
from dfs.errors import ConfigError, DFSError

#: Context for subcommands that parse Hadoop's single-dash flags themselves.
HADOOP_CONTEXT = dict(ignore_unknown_options=True, allow_extra_args=True, help_option_names=[])
USAGE_STATUS = 255  # Hadoop's -1
INTERNAL_STATUS = 2
INTERNAL_HINT = "run the command again with --debug for the traceback"

_VALUED = GENERIC_VALUED_OPTIONS

CommandFn = Callable[[Configuration, list[str]], int]


class CommandLineError(ValueError):
    """A mistake in the command line; printed as one line, exit status 255."""


#: a command's own flags that are spelled like a generic option: ``hadoop fsck -files`` is
#: fsck's file listing, never the distributed cache (which fsck has no use for)
_OWN_FLAGS = {"fsck": frozenset({"-files"})}


def _scan_generic(
    args: Sequence[str], own: frozenset[str] = frozenset()
) -> tuple[dict[str, str], list[str], bool, list[str]]:
    """Split leading generic options off `args`: (-D overrides, -conf files, --debug, rest).
    `own`: the command's flags that end the generic options though spelled like one."""
    overrides: dict[str, str] = {}
    conf_files: list[str] = []
    debug = False
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in own:
            break
        if arg == "--debug":
            debug, i = True, i + 1
        elif arg == "--":
            i += 1
            break
        elif arg.startswith("-D") and len(arg) > 2:
            key, value = parse_define(arg[2:])
            overrides[key], i = value, i + 1
        elif arg in ("-D", "-conf", *_VALUED):
            if i + 1 >= len(args):
                raise CommandLineError(f"generic option {arg} requires an argument")
            value = args[i + 1]
            if arg == "-D":
                key, value = parse_define(value)
                overrides[key] = value
            elif arg == "-conf":
                conf_files.append(value)
            else:
                overrides[_VALUED[arg]] = value
            i += 2
        else:
            break
    return overrides, conf_files, debug, list(args[i:])


def parse_generic_options(
    args: Sequence[str], base: Configuration | None = None, own: frozenset[str] = frozenset()
) -> tuple[Configuration, list[str]]:
    """Parse Hadoop's generic options at the start of `args` into a Configuration.

    Precedence, lowest first: defaults and site files (or `base`), ``-conf`` files, ``-D``.
    Hadoop's deprecated names (``mapred.reduce.tasks``) are read as their new ones, with
    Hadoop's ``Configuration.deprecation`` line on stderr (dfs.deprecation).
    Returns the configuration and the remaining arguments (the command's own).

    >>> conf, rest = parse_generic_options(["-D", "dfs.replication=2", "-Da=b=c", "-ls", "/"])
    >>> conf.get_int("dfs.replication"), conf.get("a"), rest
    (2, 'b=c', ['-ls', '/'])
    """
    from dfs.deprecation import undeprecate  # Hadoop's old names: mapred.reduce.tasks, ...

    overrides, conf_files, _debug, rest = _scan_generic(args, own)
    conf = base.copy() if base is not None else Configuration()
    for path in conf_files:
        conf.update(undeprecate(read_site_file(_existing(path))))
    overrides = undeprecate(overrides)
    conf.update(overrides)
    conf.check(overrides)  # a bad -D value is refused here, before any work, naming the key
    return conf, rest


def _existing(path: str):  # noqa: ANN202 - a pathlib.Path, imported lazily
    from pathlib import Path

    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"-conf: configuration file {path} does not exist")
    return p


def debug_requested(args: Sequence[str], ctx: click.Context | None = None) -> bool:
    """True when ``--debug`` came before the command (on the group or among generic options)."""
    root = ctx.find_root() if ctx is not None else None
    if root is not None and isinstance(root.obj, dict) and root.obj.get("debug"):
        return True
    try:
        return _scan_generic(args)[2]
    except (CommandLineError, ConfigError):
        return "--debug" in args


def run_command(
    fn: CommandFn, args: Sequence[str], *, name: str = "hadoop", ctx: click.Context | None = None
) -> int:
    """Parse generic options, run ``fn(conf, rest)``, and map any failure to one line + status.

    DFS and configuration errors print ``name: message`` (status 1); command-line mistakes
    status 255; anything unexpected ``ERROR 2999: Unexpected internal error. <msg>`` (status 2)
    and where its traceback is. Tracebacks on stderr only with ``--debug``. The command logs to
    ``$MINIHADOOP_HOME/logs/`` (see dfs.cmdlog) at the level ``hadoop.root.logger`` or
    ``--loglevel`` sets.
    """
    debug = debug_requested(args, ctx)
    if debug:
        logging.basicConfig(
            level=logging.DEBUG, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
    try:
        conf, rest = parse_generic_options(args, own=_OWN_FLAGS.get(name, frozenset()))
    except (Exception, KeyboardInterrupt) as e:  # noqa: BLE001 - see _failed
        return _failed(e, _reported_as(name, args), debug, None)
    try:
        spec = _root_logger(conf, ctx)
    except (Exception, KeyboardInterrupt) as e:  # noqa: BLE001 - see _failed
        return _failed(e, name, debug, None)
    from dfs.cmdlog import command_log
    from dfs.conf import current_user

    daemon = name in _DAEMONS or (name == "namenode" and not rest)  # logs of their own
    logging_to = (
        contextlib.nullcontext()
        if daemon
        else command_log(_home(conf), current_user(), name, list(args), spec)
    )
    with logging_to as logfile:
        try:
            status = int(fn(conf, rest) or 0)
        except (Exception, KeyboardInterrupt) as e:  # noqa: BLE001 - see _failed
            status = _failed(e, name, debug, logfile)
        if logfile is not None:  # (a daemon's own log ends with its own last words)
            _log.info("exit status %d", status)
    return status


def _reported_as(name: str, args: Sequence[str]) -> str:
    """The name a bad generic option is reported under: FsShell's subcommand for ``fs``
    (``put: Requested replication ...``, as Hadoop prints it), else the command's."""
    if name not in ("fs", "dfs"):
        return name
    try:
        first = next(iter(_scan_generic(args)[3]), "")
    except (CommandLineError, ConfigError):
        return name
    from dfs.shell import COMMANDS

    return first[1:] if first.startswith("-") and first[1:] in COMMANDS else name


_DAEMONS = frozenset({"datanode", "jobtracker", "tasktracker"})  # they have logs of their own
_log = logging.getLogger("dfs.cli")


def _home(conf: Configuration):  # noqa: ANN202 - a Path or None
    from dfs.conf import home_dir

    try:
        return home_dir(conf)
    except ConfigError:
        return None  # reported by the command itself when it needs the cluster


def _root_logger(conf: Configuration, ctx: click.Context | None) -> str | None:
    """The log spec: ``hadoop --loglevel L`` (as ``L,console``), ``-Dhadoop.root.logger``, or
    ``$HADOOP_ROOT_LOGGER``; checked here, so a bad one is refused before any work."""
    from dfs.cmdlog import ROOT_LOGGER_KEY, parse_root_logger

    root = ctx.find_root() if ctx is not None else None
    level = root.obj.get("loglevel") if root is not None and isinstance(root.obj, dict) else None
    spec = (
        f"{level},console"
        if level
        else conf.get_str(ROOT_LOGGER_KEY) or os.environ.get("HADOOP_ROOT_LOGGER") or None
    )
    if spec:
        parse_root_logger(spec)
    return spec


def _failed(e: BaseException, name: str, debug: bool, logfile: object) -> int:
    """One line on stderr (and the log) for a failure; its exit status."""
    if isinstance(e, (CommandLineError, *_usage_errors())):
        line, status = f"{name}: {e}", USAGE_STATUS
    elif isinstance(e, (DFSError, ConfigError)):
        line, status = f"{name}: {e.message}", 1
    elif isinstance(e, BrokenPipeError):
        _silence_stdout()
        line, status = f"{name}: Unable to write to output stream.", 1
    elif isinstance(e, KeyboardInterrupt):
        line, status = f"{name}: Interrupted", 130
    else:
        message = str(e).splitlines()[0] if str(e) else type(e).__name__
        if logfile is not None:  # the file only: the line below names it
            from dfs.cmdlog import FILE_ONLY

            _log.error("unexpected internal error", exc_info=e, extra=FILE_ONLY)
        where = f"the traceback is in {logfile}; --debug prints it" if logfile else INTERNAL_HINT
        hint = "" if debug else f" (a minihadoop bug: {where})"
        line, status = f"ERROR 2999: Unexpected internal error. {message}{hint}", INTERNAL_STATUS
    if status != INTERNAL_STATUS:
        _log.info("%s", line)  # the file only: the line itself is printed below
    if debug:
        traceback.print_exception(e, file=sys.stderr)
    sys.stderr.write(line + "\n")
    sys.stderr.flush()
    return status


def _usage_errors() -> tuple[type[Exception], ...]:
    from dfs.admin import UsageError

    return (UsageError,)


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


# ---- the group ----------------------------------------------------------------------------------
_TOP_ALIASES = {"-h": "--help", "-help": "--help", "help": "--help", "--version": "version",
                "-version": "version"}  # fmt: skip


class HadoopGroup(click.Group):
    """A click group that reports an unknown subcommand in one line (exit 1), answers Hadoop's
    spellings of help and version (``-h``, ``-help``, ``--version``, ``-version``) and prints
    Hadoop's usage page."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        i = 0  # the first argument that is not a group option
        while i < len(args) and (args[i] == "--debug" or args[i].startswith("--loglevel")):
            if args[i] == "--loglevel" and i + 1 == len(args):
                click.echo(
                    "hadoop: --loglevel needs a level (DEBUG, INFO, WARN or ERROR), as in: "
                    "hadoop --loglevel DEBUG fs -ls /",
                    err=True,
                )
                ctx.exit(USAGE_STATUS)
            i += 2 if args[i] == "--loglevel" else 1
        if i < len(args) and args[i] in _TOP_ALIASES:
            args = [*args[:i], _TOP_ALIASES[args[i]], *args[i + 1 :]]
        elif i < len(args) and args[i].startswith("-") and args[i] != "--help":
            generic = args[i].startswith("-D") or args[i] in ("-conf", *_VALUED)
            spelled = " ".join(args[i : i + 2]) if args[i] in ("-D", "-conf", *_VALUED) else args[i]
            hint = (
                f"generic options go after the command, as in: hadoop fs {spelled} -ls /"
                if generic
                else "hadoop --help lists the options and commands"
            )
            click.echo(f"hadoop: unknown option {args[i]}: {hint}", err=True)
            ctx.exit(USAGE_STATUS)
        return super().parse_args(ctx, args)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from dfs.cmdhelp import top_level_help

        commands = {name: cmd.get_short_help_str(80) for name, cmd in self.commands.items()}
        formatter.write(top_level_help(commands, _prog(ctx)))

    def resolve_command(self, ctx: click.Context, args: list[str]):  # noqa: ANN201
        name = args[0] if args else ""
        if name and self.get_command(ctx, name) is None and not name.startswith("-"):
            import difflib  # here: only a mistyped command needs a suggestion

            commands = sorted(self.list_commands(ctx))
            close = difflib.get_close_matches(name, commands, n=1, cutoff=0.6)
            hint = f". Did you mean '{close[0]}'?" if close else ""
            known = ", ".join(commands)
            prog = _prog(ctx)
            click.echo(f"{prog}: unknown command '{name}'{hint} (commands: {known})", err=True)
            ctx.exit(1)
        return super().resolve_command(ctx, args)


def _prog(ctx: click.Context) -> str:
    """The program's name in messages: hdfs when run as ``hdfs`` (mapred.cli.hdfs_main), else
    hadoop (also under click's test runner, which names the group after its function)."""
    return "hdfs" if ctx.info_name == "hdfs" else "hadoop"


@click.group(cls=HadoopGroup, invoke_without_command=True)
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logging.")
@click.option("--loglevel", metavar="LEVEL", help="Log this command at LEVEL on stderr too.")
@click.pass_context
def cli(ctx: click.Context, debug: bool, loglevel: str | None) -> None:
    """Hadoop's command line: hadoop [--debug] COMMAND [-D k=v] [-conf file.xml] [ARGS]."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    ctx.obj["loglevel"] = loglevel
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help(), err=True)
        ctx.exit(1)


def hadoop_command(name: str, help: str = "") -> Callable[[CommandFn], CommandFn]:
    """Register ``fn(conf, args) -> status`` as ``hadoop <name>`` with Hadoop-style parsing.
    ``-h``/``-help``/``--help`` print the command's page from dfs.cmdhelp (exit 0); a command
    without a page there (``fs``, ``job``) answers them itself."""

    def register(fn: CommandFn) -> CommandFn:
        @click.pass_context
        def callback(ctx: click.Context, args: tuple[str, ...]) -> None:
            page = _help_page(name, args)
            if page is not None:
                click.echo(page, nl=False)
                ctx.exit(0)
            ctx.exit(run_command(fn, list(args), name=name, ctx=ctx))

        command = click.Command(
            name,
            callback=callback,
            params=[click.Argument(["args"], nargs=-1, type=click.UNPROCESSED)],
            context_settings=HADOOP_CONTEXT,
            help=help or (fn.__doc__ or "").strip().splitlines()[0],
            add_help_option=False,
        )
        cli.add_command(command)
        return fn

    return register


def _help_page(name: str, args: Sequence[str]) -> str | None:
    """The help page when the command's first own argument asks for help, else None."""
    from dfs.cmdhelp import COMMAND_HELP, HELP_FLAGS, command_help

    usage = COMMAND_HELP.get(name)
    if usage is None:
        return None
    try:
        rest = _scan_generic(args)[3]
    except (CommandLineError, ConfigError):
        return None  # reported when the command runs
    if not (rest[:1] and rest[0] in HELP_FLAGS):
        return None
    if name == "dfsadmin" and rest[1:]:  # -help [cmd], as DFSAdmin.printHelp
        section = _help_section(usage, rest[1])
        if section is not None:
            return section
    return command_help(name, usage)


def _help_section(page: str, cmd: str) -> str | None:
    """The paragraph of a help page that documents ``-cmd`` (None when there is none)."""
    wanted = "-" + cmd.lstrip("-")
    for paragraph in page.split("\n\n"):
        head = paragraph.split("\n", 1)[0]
        if head.split(" ", 1)[0].rstrip(":") == wanted:
            return paragraph.rstrip("\n") + "\n"
    return None


# ---- subcommands --------------------------------------------------------------------------------
def _open_client(conf: Configuration):  # noqa: ANN202 - a context manager yielding a DFSClient
    from dfs.cluster import connect

    return connect(conf)


@hadoop_command("fs", "Run a filesystem command (hadoop fs -help).")
def fs_main(conf: Configuration, args: list[str]) -> int:
    """Run a FileSystemShell command such as ``-ls /``."""
    from dfs.cmdhelp import HELP_FLAGS
    from dfs.shell import FsShell

    if args[:1] and args[0] in HELP_FLAGS:  # Hadoop's -help, and -h/--help with it
        args = ["-help", *args[1:]]
    default = conf.get_str("fs.defaultFS") or "dfs:///"
    scheme = default.partition(":")[0] if ":" in default else ""
    if scheme.lower() != "dfs":  # -fs file:/// must not list the DFS as if it were local
        raise ConfigError(
            f'No FileSystem for scheme "{scheme or default}" (fs.defaultFS={default}): hadoop '
            "fs works on the cluster's filesystem, dfs:///; -put, -get and -cp file:... copy "
            "local files in and out"
        )
    return FsShell(lambda: _open_client(conf)).run(args)


cli.add_command(cli.commands["fs"], "dfs")


@hadoop_command(
    "fsck", "Check blocks: hadoop fsck <path> [-files [-blocks [-locations|-racks]]] [-verify]"
)
def fsck_main(conf: Configuration, args: list[str]) -> int:
    """Report missing, corrupt and under-replicated blocks under a path."""
    from dfs.admin import FsckOptions, run_fsck

    FsckOptions(args)  # reject bad arguments before touching the cluster
    _require_dfs(conf, "fsck")
    with _open_client(conf) as client:
        return run_fsck(client, args, _write)


def _require_dfs(conf: Configuration, command: str) -> None:
    """Refuse a default filesystem other than the DFS (``-fs file:///``) as Hadoop's DFSAdmin
    does, instead of checking or reporting the DFS as if it had been named."""
    default = conf.get_str("fs.defaultFS") or "dfs:///"
    if default.partition(":")[0].lower() != "dfs":
        raise ConfigError(
            f"FileSystem {default} is not an HDFS file system: hadoop {command} works on the "
            "cluster's filesystem, dfs:/// (fs.defaultFS)"
        )


@hadoop_command("dfsadmin", "Cluster report and safe mode: hadoop dfsadmin -report | -safemode get")
def dfsadmin_main(conf: Configuration, args: list[str]) -> int:
    """Print the datanode report or the safe mode state."""
    from dfs.admin import DFSADMIN_USAGE, UsageError, run_dfsadmin

    if not args or args[0] not in ("-report", "-safemode", "-refreshNodes", "-printTopology"):
        what = f"{args[0]}: Unknown command" if args else "no command given"
        raise UsageError(f"{what}\n{DFSADMIN_USAGE}")
    _require_dfs(conf, "dfsadmin")
    with _open_client(conf) as client:
        return run_dfsadmin(client, args, _write)


NAMENODE_USAGE = "usage: hadoop namenode [-format [-force] [-nonInteractive] | -recover [-force]]"


@hadoop_command(
    "namenode", "Run the NameNode daemon (no flags), or -format | -recover its metadata"
)
def namenode_main(conf: Configuration, args: list[str]) -> int:
    """Format the namenode (erases a cluster only with -force), or recover damaged metadata."""
    if not args:
        from dfs.daemons import run_namenode

        return run_namenode(conf)
    flags = set(args)
    action = flags & {"-format", "-recover"}
    allowed = (
        {"-format", "-force", "-nonInteractive"} if "-format" in flags else {"-recover", "-force"}
    )
    unknown = flags - allowed
    if len(action) != 1 or unknown:
        bad = sorted(unknown)[0] if unknown else "(nothing)"
        raise CommandLineError(f"unsupported argument {bad}; {NAMENODE_USAGE}")
    from dfs.conf import home_dir
    from dfs.runfiles import refuse_while_running

    home = home_dir(conf)
    refuse_while_running(home, "recover" if "-recover" in flags else "format")
    if "-recover" in flags:
        return _recover(conf, force="-force" in flags)
    from dfs.cluster import format_cluster
    from dfs.errors import DFSAlreadyFormatted

    try:
        format_cluster(conf, force="-force" in flags, first_dirs=True)
    except DFSAlreadyFormatted as e:
        sys.stderr.write(f"namenode: {e.message}\n")
        return 1
    except OSError as e:  # a place the user cannot write: their set-up, not a minihadoop bug
        where = f": {e.filename}" if e.filename else ""
        raise ConfigError(
            f"cannot create the cluster in {home} (MINIHADOOP_HOME): {e.strerror or e}{where}; "
            "point MINIHADOOP_HOME at a directory you can write"
        ) from e
    from dfs.conf import current_user

    user = current_user()
    _write(f"Storage directory {home} has been successfully formatted.\n")
    _write(
        f"Created /tmp (mode 1777, for temporary data) and /user/{user} (your home directory: "
        "relative paths start there), as Hadoop's first-run set-up does.\n"
    )
    return 0


def _recover(conf: Configuration, force: bool) -> int:
    """HDFS's recovery mode (see dfs.recovery); without -force it asks at a terminal."""
    from dfs.conf import home_dir
    from dfs.recovery import WARNING, recover

    directory = home_dir(conf) / "namenode"
    ask = None
    if not force:
        if not sys.stdin.isatty():
            sys.stderr.write(
                "namenode: recovery mode asks what to do about each damaged record and needs a "
                "terminal; re-run with -force to take the first choice (skip each damaged "
                "record) without asking: hadoop namenode -recover -force\n"
            )
            return 1
        answer = click.prompt(f"{WARNING}\nAre you ready to proceed? (Y/N)", default="N")
        if answer.strip().upper() != "Y":
            return 1
        ask = lambda text: click.prompt(text, default="c")  # noqa: E731
    report = recover(directory, conf, ask)
    if not report.changed:
        _write(f"Nothing to recover: {directory} loads cleanly (txid {report.txid}).\n")
        return 0
    for line in report.actions:
        _write(f"recovery: {line}\n")
    for copy in report.kept:
        _write(f"recovery: kept a copy of the damaged file as {copy}\n")
    _write(
        f"Recovery complete: {directory} loads, saved as a new checkpoint at txid {report.txid}.\n"
    )
    return 0


DATANODE_USAGE = "usage: hadoop datanode --id dnN [--rack /rackX]"
START_USAGE = "usage: hadoop start-cluster [--datanodes N] [--racks R]"


def _options(args: list[str], names: tuple[str, ...], usage: str) -> dict[str, str]:
    """``--name value`` pairs (each of `names` at most once); anything else is a usage error."""
    found: dict[str, str] = {}
    i = 0
    while i < len(args):
        name = args[i].split("=", 1)[0]
        if name not in names or name in found:
            raise CommandLineError(f"unsupported argument {args[i]}; {usage}")
        if "=" in args[i]:
            found[name], i = args[i].split("=", 1)[1], i + 1
        elif i + 1 < len(args):
            found[name], i = args[i + 1], i + 2
        else:
            raise CommandLineError(f"{name} requires a value; {usage}")
    return found


def _count(options: dict[str, str], name: str, usage: str) -> int | None:
    if name not in options:
        return None
    try:
        return int(options[name])
    except ValueError:
        raise CommandLineError(f"{name} expects a number, got {options[name]!r}; {usage}") from None


@hadoop_command("datanode", "Run a DataNode daemon: hadoop datanode --id dnN [--rack /rackX]")
def datanode_main(conf: Configuration, args: list[str]) -> int:
    """One DataNode in the foreground, serving its storage until SIGTERM."""
    from dfs.daemons import run_datanode

    options = _options(args, ("--id", "--rack"), DATANODE_USAGE)
    if "--id" not in options:
        raise CommandLineError(f"--id is required; {DATANODE_USAGE}")
    return run_datanode(conf, options["--id"], options.get("--rack"))


@hadoop_command("start-cluster", "Start the NameNode and DataNodes in the background")
def start_cluster_main(conf: Configuration, args: list[str]) -> int:
    """Start the daemons (pid files in run/, logs in logs/) and wait until all registered."""
    from dfs.launcher import start_cluster

    options = _options(args, ("--datanodes", "--racks"), START_USAGE)
    started = start_cluster(
        conf, _count(options, "--datanodes", START_USAGE), _count(options, "--racks", START_USAGE)
    )
    host, port = started.address
    for name, pid in started.pids.items():
        what = "NameNode" if name == "namenode" else f"DataNode {name}"
        state = "started" if name in started.started else "already running"
        where = f", serving on {host}:{port}" if name == "namenode" else ""
        _write(f"{what} {state} (pid {pid}){where}\n")
    if started.safemode:
        _write("Safe mode is ON (hadoop dfsadmin -safemode get | wait)\n")
    return 0


@hadoop_command("stop-cluster", "Stop every background daemon of the cluster")
def stop_cluster_main(conf: Configuration, args: list[str]) -> int:
    """SIGTERM every daemon of the state directory (SIGKILL after a bounded wait)."""
    from dfs.launcher import stop_cluster

    if args:
        raise CommandLineError(f"unsupported argument {args[0]}; usage: hadoop stop-cluster")
    stopped = stop_cluster(conf)
    _write(f"stopped: {', '.join(stopped)}\n" if stopped else "no daemons were running\n")
    return 0


@hadoop_command("version", "Print the version.")
def version_main(conf: Configuration, args: list[str]) -> int:
    """Print the version line."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        ours = version("minihadoop")
    except PackageNotFoundError:
        ours = "0.1.0"
    _write(f"Hadoop {ours} (minihadoop, pure Python)\n")
    _write(f"This command was run using Python {sys.version.split()[0]}\n")
    return 0


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point (``hadoop``)."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="hadoop")


if __name__ == "__main__":
    main()
