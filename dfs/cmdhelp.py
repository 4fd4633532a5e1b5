"""Help texts of the ``hadoop`` commands: what ``-h``, ``-help`` and ``--help`` print (exit 0).

Owns: the usage and option lines of each command (Hadoop's wording where Hadoop has the
command, e.g. ``hdfs fsck``'s option lines), Hadoop's generic options block (ToolRunner's
``printGenericCommandUsage``), and the top-level ``hadoop --help`` page. Must not touch: parsing;
each command still parses its own arguments (dfs.cli, dfs.admin, mapred.cli, mapred.launcher).
"""

from __future__ import annotations

__all__ = ["HELP_FLAGS", "GENERIC_OPTIONS", "COMMAND_HELP", "command_help", "top_level_help"]

#: The spellings every command answers with its help (Hadoop's ``-help``, ``-h``; GNU's).
HELP_FLAGS = frozenset({"-h", "-help", "--help"})

GENERIC_OPTIONS = """\
Generic options supported are:
-conf <configuration file>        specify an application configuration file
-D <property=value>               define a value for a given property
-fs <dfs:///|file:///>            specify default filesystem URL to use, overrides 'fs.defaultFS' property from configurations.
-jt <local|address>               specify the JobTracker
-files <file1,...>                specify a comma-separated list of files to be copied to the map reduce cluster
-libjars <jar1,...>               accepted for compatibility (Python jobs need no jars)
-archives <archive1,...>          specify a comma-separated list of archives to be unarchived on the compute machines
--debug                           print tracebacks and debug logging on stderr
--loglevel <level>                log this command at <level> on stderr too (-Dhadoop.root.logger=<level>,console)

The general command line syntax is:
command [genericOptions] [commandOptions]
"""  # noqa: E501 - Hadoop's own layout

FSCK = """\
Usage: hdfs fsck <path> [-openforwrite] [-files [-blocks [-locations | -racks]]] [-verify]
\t<path>\tstart checking from this path
\t-files\tprint out files being checked
\t-openforwrite\tprint out files opened for write
\t-files -blocks\tprint out block report
\t-files -blocks -locations\tprint out locations for every block
\t-files -blocks -racks\tprint out network topology for data-node locations
\t-verify\tread every replica under <path> and check every checksum (the datanodes' block scanner, run now); corrupt replicas are reported to the namenode and repaired

Please Note:
\t1. By default fsck ignores files opened for write, use -openforwrite to report such files. They are usually  tagged CORRUPT or HEALTHY depending on their block allocation status
\t2. -list-corruptfileblocks, -move, -delete and -replicaDetails are not supported by minihadoop
"""  # noqa: E501

DFSADMIN = """\
Usage: hdfs dfsadmin
Note: Administrative commands can only be run as the HDFS superuser.
\t[-report [-live] [-dead] [-decommissioning]]
\t[-safemode <enter | leave | get | wait | forceExit>]
\t[-refreshNodes]
\t[-printTopology]
\t[-help [cmd]]

-report [-live] [-dead] [-decommissioning]:
\tReports basic filesystem information and statistics.
\tOptional flags may be used to filter the list of displayed DNs.

-safemode <enter|leave|get|wait|forceExit>:  Safe mode maintenance command.
\t\tSafe mode is a Namenode state in which it
\t\t\t1.  does not accept changes to the name space (read-only)
\t\t\t2.  does not replicate or delete blocks.
\t\tSafe mode is entered automatically at Namenode startup, and
\t\tleaves safe mode automatically when the configured minimum
\t\tpercentage of blocks satisfies the minimum replication
\t\tcondition.  Safe mode can also be entered manually, but then
\t\tit can only be turned off manually as well.

-refreshNodes: \tUpdates the namenode with the set of datanodes allowed to connect to the namenode.
\t\tThe namenode re-reads the datanode ids in the file named by dfs.hosts.exclude:
\t\tthose listed are decommissioned (their blocks copied elsewhere first).

-printTopology: Print a tree of the racks and their
\t\tnodes as reported by the Namenode

-help [cmd]: \tDisplays help for the given command or all commands if none
\t\tis specified.
"""  # noqa: E501

NAMENODE = """\
Usage: hadoop namenode [-format [-force] [-nonInteractive]] | [-recover [-force]]
  (no option)        run the NameNode daemon in the foreground, serving $MINIHADOOP_HOME
  -format            create a new cluster in $MINIHADOOP_HOME (refused when one is there),
                     with /tmp (mode 1777) and /user/<you> made as Hadoop's set-up guides do
    -force           ... erasing the cluster that is there
    -nonInteractive  ... never asking (accepted; minihadoop never asks at format)
  -recover           load damaged metadata skipping what cannot be read, save a checkpoint
    -force           ... taking the first choice at every question, without a terminal
"""

DATANODE = """\
Usage: hadoop datanode --id dnN [--rack /rackX]
  run one DataNode daemon in the foreground, serving $MINIHADOOP_HOME/datanodes/dnN
  --id dnN        the datanode (dn0, dn1, ... as `hadoop namenode -format` made them)
  --rack /rackX   its rack (default: the one in $MINIHADOOP_HOME/topology)
"""

START_CLUSTER = """\
Usage: hadoop start-cluster [--datanodes N] [--racks R]
  start the NameNode, the DataNodes, the JobTracker and a TaskTracker per DataNode in the
  background (pid files in $MINIHADOOP_HOME/run/, logs in $MINIHADOOP_HOME/logs/), and wait
  until all have registered; every command on this state directory then talks to them
  --datanodes N   how many DataNodes (default: the formatted cluster's)
  --racks R       on how many racks
"""

STOP_CLUSTER = """\
Usage: hadoop stop-cluster
  stop every daemon of $MINIHADOOP_HOME (SIGTERM, then SIGKILL after a bounded wait)
"""

VERSION = """\
Usage: hadoop version
  print the version (also: hadoop --version, hadoop -version)
"""

JAR = """\
Usage: hadoop jar [--detach] MODULE[:CLASS] [ARGS...] [-D key=value ...] [-files a,b]
  run a MapReduce job given as a Python module (jobs.wordcount) or a file (myjob.py, or
  myjob.py:MyJob when it holds several jobs): the Python counterpart of a jar. ARGS go to
  the job's steps(); for most jobs they are INPUT... OUTPUT. Paths without a scheme are on
  the DFS (fs.defaultFS); file:///path is a local file.
  --detach        submit to the JobTracker daemon and return at once (one-job modules);
                  follow it with hadoop job -status JOB_ID
  -D key=value    set a configuration property for the job (anywhere on the line)
  -files a,b      files for the distributed cache (a local file or a DFS path; file#name)
Example:
  hadoop jar jobs.wordcount /in /out -D mapreduce.job.reduces=2
"""

JOBTRACKER = """\
Usage: hadoop jobtracker
  run the JobTracker daemon in the foreground (hadoop start-cluster starts it for you)
"""

TASKTRACKER = """\
Usage: hadoop tasktracker --id dnN
  run the TaskTracker of node dnN in the foreground (hadoop start-cluster starts them)
"""

#: Per command: its help page (``fs`` and ``job`` print their own).
COMMAND_HELP = {
    "fsck": FSCK,
    "dfsadmin": DFSADMIN,
    "namenode": NAMENODE,
    "datanode": DATANODE,
    "start-cluster": START_CLUSTER,
    "stop-cluster": STOP_CLUSTER,
    "version": VERSION,
    "jar": JAR,
    "jobtracker": JOBTRACKER,
    "tasktracker": TASKTRACKER,
}


def command_help(name: str, usage: str) -> str:
    """A command's help page: its usage and options, then the generic options."""
    return f"{usage.rstrip()}\n\n{GENERIC_OPTIONS}"


def top_level_help(commands: dict[str, str], prog: str = "hadoop") -> str:
    """``hadoop --help`` (or ``hdfs --help``): Hadoop 3's layout, listing `commands`
    (name -> one-line help)."""
    width = max(map(len, commands), default=0) + 2
    lines = [
        f"Usage: {prog} [OPTIONS] SUBCOMMAND [SUBCOMMAND OPTIONS]",
        "",
        "  OPTIONS is none or any of:",
        "",
        "--debug                          print tracebacks and debug logging",
        "--help, -h                       usage information",
        "--loglevel level                 set the log level for this command",
        "--version, -version              print the version",
        "",
        "  SUBCOMMAND is one of:",
        "",
    ]
    lines += [f"{name:<{width}}{text}" for name, text in sorted(commands.items())]
    lines += [
        "",
        "SUBCOMMAND may print help when invoked w/o parameters or with -h, -help or --help.",
        "Commands log to $MINIHADOOP_HOME/logs/hadoop-<user>-<command>.log.",
    ]
    return "\n".join(lines) + "\n"
