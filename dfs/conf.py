"""Configuration: Hadoop's property names, their defaults in one table, site files and -D overrides.

Precedence, lowest first: `DEFAULTS` below, then `$MINIHADOOP_CONF_DIR/*-site.xml` (Hadoop's XML
format, files read in name order), then explicit overrides (`-D key=value` on a command).
Unknown keys pass through untouched: jobs read them as user properties.

The NameNode's own settings (`NAMENODE_KEYS`: the permission switch, the supergroup, the
fs-limits, the static group mapping) are not a client's to choose. As HDFS reads them from the
NameNode's own ``hdfs-site.xml`` when it starts, minihadoop writes them at format time, from the
formatting command's configuration, to ``<state dir>/namenode/hdfs-site.xml``
(`write_cluster_site`); every NameNode reads them back from there (`cluster_settings`) and
ignores what a client's ``-D``, ``-conf`` or fsspec ``conf=`` says. Whoever may edit the state
directory administers the cluster. Group membership is the NameNode's too (`user_groups`): the
static overrides of that file, else the operating system's groups of the user name, as
Hadoop's ShellBasedUnixGroupsMapping does.

Values are kept as given (strings from XML and -D, Python values from code); the typed getters
convert and name the key when a value does not parse:

>>> conf = Configuration({"dfs.blocksize": "1m"}, load_site=False)
>>> conf.get_bytes("dfs.blocksize")
1048576
>>> conf.get_int("dfs.replication")
3
"""

from __future__ import annotations

import grp
import logging
import os
import pwd
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from dfs import faults
from dfs.errors import ConfigError
from dfs.fastclass import dataclass

log = logging.getLogger(__name__)

#: Every property minihadoop itself reads, with its default. One table for all packages.
DEFAULTS: dict[str, Any] = {
    # --- cluster and filesystem ---
    "fs.defaultFS": "dfs:///",
    "fs.permissions.umask-mode": "022",
    "dfs.replication": 3,
    "dfs.blocksize": 64 * 1024 * 1024,
    "dfs.bytes-per-checksum": 512,
    "dfs.client-write-packet-size": 64 * 1024,
    "dfs.datanodes": 4,
    "dfs.racks": 2,
    "dfs.datanode.capacity": 64 * 1024**3,
    "dfs.datanode.synconclose": True,  # fsync block + meta before a replica is finalized
    "dfs.heartbeat.interval": 3,  # seconds (fractions ok)
    # --- NameNode: liveness, repair, safe mode, decommissioning (HDFS's keys and defaults) ---
    "dfs.namenode.heartbeat.recheck-interval": 300000,  # ms; dead after 2x this + 10 beats
    "dfs.namenode.redundancy.interval.seconds": 3,  # the replication monitor's period
    "dfs.namenode.reconstruction.pending.timeout-sec": 300,  # a copy not reported is redone
    "dfs.namenode.safemode.threshold-pct": 0.999,  # of complete blocks with a replica
    "dfs.namenode.safemode.extension": 30000,  # ms to stay on once the threshold is met
    "dfs.namenode.safemode.min.datanodes": 0,
    "dfs.hosts.exclude": "",  # file of datanode ids to decommission (dfsadmin -refreshNodes)
    "dfs.permissions.enabled": True,
    "dfs.permissions.superusergroup": "supergroup",
    "dfs.namenode.fs-limits.max-component-length": 255,  # bytes of UTF-8; 0: no limit
    "dfs.namenode.fs-limits.max-directory-items": 1024 * 1024,
    "hadoop.user.group.static.mapping.overrides": "dr.who=;",
    # HDFS checkpoints every 1,000,000 transactions: its NameNode replays the log once, at
    # start-up. Here every command (and every task process reading the DFS) opens the
    # NameNode and replays the whole log, ~12 us a record: 1000 keeps that under ~15 ms,
    # for one image write (tens of ms) every ~30 pig commands.
    "dfs.namenode.checkpoint.txns": 1000,
    "dfs.namenode.replication.min": 1,
    "dfs.replication.max": 512,
    # HDFS's default is 1 MiB; one checksum chunk here, so small examples show many blocks
    "dfs.namenode.fs-limits.min-block-size": 512,
    "dfs.client.read.shortcircuit": True,
    "dfs.client.transport": "msgpack",
    # --- RPC (dfs.rpc; Hadoop's ipc.* keys and defaults unless noted) ---
    "ipc.maximum.data.length": 64 * 1024 * 1024,  # largest call frame a server accepts
    "ipc.maximum.response.length": 128 * 1024 * 1024,  # largest reply a client accepts
    "hadoop.rpc.secret": "",  # minihadoop: shared secret for the HMAC challenge; "" = none
    "ipc.client.connect.timeout": 20000,  # ms
    "ipc.client.rpc-timeout.ms": 120000,  # per call; 0 = wait forever
    "ipc.client.connect.max.retries": 10,  # also bounds re-sends of idempotent calls
    "ipc.client.connect.retry.interval": 1000,  # ms; backoff from 100 ms doubles up to this
    "ipc.client.connection.maxidletime": 10000,  # ms; servers drop idle ones after twice this
    "ipc.server.read.timeout.ms": 10000,  # minihadoop: a started frame must arrive within it
    "ipc.server.max.connections": 0,  # 0 = no limit
    "ipc.server.handler.queue.size": 100,  # calls queued per connection before reading pauses
    "dfs.namenode.handler.count": 10,  # RPC handler threads
    # --- daemons (dfs.daemons): where they listen, how often a DataNode reports ---
    "dfs.namenode.rpc-address": "127.0.0.1:0",  # 0: any free port (run/namenode.addr says)
    "dfs.datanode.address": "127.0.0.1:0",  # DataTransferProtocol; 0: any free port
    "dfs.blockreport.intervalMsec": 21600000,  # full block report period (6 h, as HDFS)
    # --- mapreduce ---
    "mapreduce.framework.name": "cluster",
    "mapreduce.job.name": "",
    "mapreduce.job.reduces": 1,
    "mapreduce.job.maps": 2,
    "mapreduce.task.io.sort.mb": 100,
    "mapreduce.map.sort.spill.percent": 0.80,
    "mapreduce.task.io.sort.factor": 10,
    "mapreduce.map.combine.minspills": 3,
    "mapreduce.cluster.local.dir": "",
    "mapreduce.map.maxattempts": 4,
    "mapreduce.reduce.maxattempts": 4,
    "mapreduce.tasktracker.map.tasks.maximum": 0,
    "mapreduce.tasktracker.reduce.tasks.maximum": 0,
    "mapreduce.input.fileinputformat.split.minsize": 1,
    "mapreduce.input.fileinputformat.split.maxsize": 0,
    "mapreduce.job.split.balance": True,  # minihadoop: even out the last wave of map tasks
    "mapreduce.job.split.balance.minsize": 4 << 20,  # ... not into pieces smaller than this
    "mapreduce.job.split.balance.fill.minsize": 256 << 10,  # ... but one with idle slots: this
    "mapreduce.input.lineinputformat.linespermap": 1,
    "mapreduce.input.keyvaluelinerecordreader.key.value.separator": "\t",
    "mapreduce.output.textoutputformat.separator": "\t",
    "mapreduce.jobtracker.address": "local",
    # --- the JobTracker and TaskTrackers (mapred.jobtracker, mapred.tasktracker) ---
    "mapreduce.jobtracker.rpc-address": "127.0.0.1:0",  # the daemon's; 0: any free port
    "mapreduce.jobtracker.heartbeat.interval": 0.1,  # seconds between a tracker's heartbeats
    "mapreduce.jobtracker.expire.trackers.interval": 600000,  # ms of silence: tracker lost
    "mapreduce.jobtracker.taskscheduler": "fifo",  # or fair
    "mapred.fairscheduler.locality.delay": -1,  # ms; -1: 1.5 heartbeat intervals
    "mapreduce.job.reduce.slowstart.completedmaps": 0.05,
    "mapreduce.job.maxtaskfailures.per.tracker": 3,
    "mapreduce.task.timeout": 600000,  # ms without progress before an attempt is killed
    "mapreduce.map.speculative": True,
    "mapreduce.reduce.speculative": True,
    "mapreduce.job.speculative.lag": 60000,  # ms an attempt runs before a backup (Hadoop 1: 60 s)
    "mapreduce.job.speculative.speculativecap": 0.1,  # of the slots, at most, run backups
    "mapreduce.tasktracker.preload.modules": "",  # imported by tracker daemons before forking
    "mapreduce.reduce.shuffle.parallelcopies": 5,  # map outputs a reducer copies at once
    "mapreduce.jobtracker.retiredjobs.cache.size": 1000,  # ended jobs a JobTracker remembers
    # --- pig ---
    "pig.join.replicated.max.bytes": 1024 * 1024 * 1024,
    "default_parallel": 0,
}

_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}
_SIZE_SUFFIX = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40, "p": 1 << 50}


def parse_bytes(text: str | int) -> int:
    """Parse a Hadoop size such as ``134217728``, ``128m``, ``64K`` or ``1g``.

    >>> parse_bytes("64k"), parse_bytes(512), parse_bytes("2M")
    (65536, 512, 2097152)
    """
    if isinstance(text, int):
        return text
    s = str(text).strip().lower()
    if s and s[-1] in _SIZE_SUFFIX:
        return int(float(s[:-1]) * _SIZE_SUFFIX[s[-1]])
    return int(s)


class Configuration:
    """A layered key/value configuration (defaults < site files < overrides)."""

    __slots__ = ("_values",)

    def __init__(
        self,
        overrides: Mapping[str, Any] | None = None,
        *,
        load_site: bool = True,
        conf_dir: str | os.PathLike | None = None,
    ) -> None:
        self._values: dict[str, Any] = dict(DEFAULTS)
        if load_site:
            directory = conf_dir or os.environ.get("MINIHADOOP_CONF_DIR")
            if directory:
                self._values.update(read_site_files(Path(directory)))
        if overrides:
            self._values.update(overrides)

    # -- access -------------------------------------------------------------------------------
    def get(self, key: str, default: Any = None) -> Any:
        return self._values.get(key, default)

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __contains__(self, key: str) -> bool:
        return key in self._values

    def set(self, key: str, value: Any) -> None:
        self._values[key] = value

    def update(self, values: Mapping[str, Any]) -> None:
        self._values.update(values)

    def get_str(self, key: str, default: str | None = None) -> str:
        value = self._values.get(key, default)
        return "" if value is None else str(value)

    def get_int(self, key: str, default: int | None = None) -> int:
        return self._convert(key, default, lambda v: int(str(v).strip()), "an integer")

    def get_float(self, key: str, default: float | None = None) -> float:
        return self._convert(key, default, lambda v: float(str(v).strip()), "a number")

    def get_bytes(self, key: str, default: int | None = None) -> int:
        return self._convert(key, default, parse_bytes, "a size such as 134217728 or 128m")

    def get_bool(self, key: str, default: bool | None = None) -> bool:
        def to_bool(v: Any) -> bool:
            if isinstance(v, bool):
                return v
            s = str(v).strip().lower()
            if s in _TRUE:
                return True
            if s in _FALSE:
                return False
            raise ValueError(s)

        return self._convert(key, default, to_bool, "true or false")

    def _convert(self, key: str, default: Any, fn: Any, what: str) -> Any:
        value = self._values.get(key, default)
        if value is None:
            raise ConfigError(f"configuration property {key} is not set")
        try:
            result = fn(value)
        except (TypeError, ValueError):
            raise ConfigError(
                f"configuration property {key} has value {value!r}; expected {what}"
            ) from None
        check = _RANGES.get(key)
        if check is not None:
            check(self, key, result)
        return result

    def check(self, keys: Iterable[str]) -> None:
        """Read each of `keys` that has limits (`_RANGES`) as its readers do, so a bad value
        (``-D dfs.replication=0``) is refused before any work starts, naming the key."""
        for key in keys:
            if key not in _RANGES:
                continue
            if key in _FLOAT_KEYS:
                self.get_float(key)
            elif key in _SIZE_KEYS:
                self.get_bytes(key)
            else:
                self.get_int(key)

    # -- copies and the wire ---------------------------------------------------------------------
    def copy(self) -> Configuration:
        clone = Configuration.__new__(Configuration)
        clone._values = dict(self._values)
        return clone

    def to_dict(self) -> dict[str, Any]:
        """A plain dict (msgpack-serializable when the values are)."""
        return dict(self._values)

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> Configuration:
        conf = cls.__new__(cls)
        conf._values = dict(values)
        return conf

    def items(self) -> Iterable[tuple[str, Any]]:
        return self._values.items()

    def __repr__(self) -> str:
        changed = {k: v for k, v in self._values.items() if DEFAULTS.get(k, object()) != v}
        return f"Configuration({changed!r})"


# ---- numeric limits, checked wherever a value is read --------------------------------------------
def _at_least(low: float) -> Any:
    def check(conf: Configuration, key: str, value: Any) -> None:
        if value < low:
            raise ConfigError(f"Invalid value for {key}: {value}; it must be at least {low}")

    return check


def _between(low: float, high: float | None = None, low_open: bool = False) -> Any:
    def check(conf: Configuration, key: str, value: Any) -> None:
        if (value <= low if low_open else value < low) or (high is not None and value > high):
            bound = f"more than {low}" if low_open else f"at least {low}"
            bound += f" and at most {high}" if high is not None else ""
            raise ConfigError(f"Invalid value for {key}: {value}; it must be {bound}")

    return check


def verify_replication(conf: Configuration, value: int, src: str = "") -> None:
    """HDFS's BlockManager.verifyReplication: `value` between ``dfs.namenode.replication.min``
    and ``dfs.replication.max``, else its message (naming the file `src`, or the settings)."""
    low = conf.get_int("dfs.namenode.replication.min", DEFAULTS["dfs.namenode.replication.min"])
    high = conf.get_int("dfs.replication.max", DEFAULTS["dfs.replication.max"])
    if low > high:
        raise ConfigError(
            f"Unexpected configuration parameters: dfs.namenode.replication.min = {low} > "
            f"dfs.replication.max = {high}"
        )
    if value > high:
        err = f"exceeds maximum of {high}"
    elif value < low:
        err = f"is less than the required minimum of {low}"
    else:
        return
    where = (
        f" for {src}"
        if src
        else f" (dfs.replication={value}; it must be between dfs.namenode.replication.min="
        f"{low} and dfs.replication.max={high})"
    )
    raise ConfigError(f"Requested replication factor of {value} {err}{where}")


def _replication(conf: Configuration, key: str, value: int) -> None:
    verify_replication(conf, value)


def _block_size(conf: Configuration, key: str, value: int) -> None:
    """HDFS's FSNamesystem check at create, with the setting named."""
    low = conf.get_bytes(
        "dfs.namenode.fs-limits.min-block-size", DEFAULTS["dfs.namenode.fs-limits.min-block-size"]
    )
    if value < low:
        raise ConfigError(
            "Specified block size is less than configured minimum value "
            f"(dfs.namenode.fs-limits.min-block-size): {value} < {low} ({key}={value})"
        )
    chunk = conf.get_int("dfs.bytes-per-checksum", DEFAULTS["dfs.bytes-per-checksum"])
    if value % chunk:
        raise ConfigError(
            f"io.bytes.per.checksum({chunk}) and blockSize({value}) do not match. blockSize "
            f"should be a multiple of io.bytes.per.checksum ({key}={value}, "
            f"dfs.bytes-per-checksum={chunk})"
        )


_RANGES: dict[str, Any] = {
    "dfs.replication": _replication,
    "dfs.namenode.replication.min": _at_least(1),  # HDFS: "... = 0 < 1"
    "dfs.replication.max": _between(1, 32767),  # a Java short in HDFS
    "dfs.blocksize": _block_size,
    "dfs.namenode.fs-limits.min-block-size": _at_least(0),
    "dfs.bytes-per-checksum": _at_least(1),
    "dfs.client-write-packet-size": _at_least(1),
    "dfs.datanodes": _at_least(1),
    "dfs.racks": _at_least(1),
    "dfs.heartbeat.interval": _between(0, low_open=True),
    "dfs.namenode.handler.count": _at_least(1),
    "dfs.namenode.checkpoint.txns": _at_least(1),
    "mapreduce.job.reduces": _at_least(0),
    "mapreduce.job.maps": _at_least(1),
    "mapreduce.map.sort.spill.percent": _between(0, 1, low_open=True),  # Hadoop's MapTask
    "mapreduce.task.io.sort.factor": _at_least(2),
    "mapreduce.map.combine.minspills": _at_least(1),
    "mapreduce.map.maxattempts": _at_least(1),
    "mapreduce.reduce.maxattempts": _at_least(1),
    "mapreduce.tasktracker.map.tasks.maximum": _at_least(0),
    "mapreduce.tasktracker.reduce.tasks.maximum": _at_least(0),
    "mapreduce.jobtracker.heartbeat.interval": _between(0, low_open=True),
    "mapreduce.job.reduce.slowstart.completedmaps": _between(0, 1),
    "mapreduce.task.timeout": _at_least(0),  # 0: never time out
    "mapreduce.reduce.shuffle.parallelcopies": _at_least(1),
    "mapreduce.job.speculative.speculativecap": _between(0, 1),
}


#: Keys of `_RANGES` read as fractions or as sizes (the others are integers).
_FLOAT_KEYS = frozenset(
    {
        "dfs.heartbeat.interval",
        "mapreduce.map.sort.spill.percent",
        "mapreduce.jobtracker.heartbeat.interval",
        "mapreduce.job.reduce.slowstart.completedmaps",
        "mapreduce.job.speculative.speculativecap",
    }
)
_SIZE_KEYS = frozenset(
    {"dfs.blocksize", "dfs.namenode.fs-limits.min-block-size", "dfs.client-write-packet-size"}
)


def read_site_files(directory: Path) -> dict[str, str]:
    """Read every ``*-site.xml`` in `directory` (name order) into one dict."""
    values: dict[str, str] = {}
    for path in sorted(directory.glob("*-site.xml")):
        values.update(read_site_file(path))
    return values


def read_site_file(path: Path) -> dict[str, str]:
    """Parse Hadoop's ``<configuration><property><name/><value/></property>`` format."""
    import xml.etree.ElementTree as ET  # here: most commands find no site file to read

    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as e:
        raise ConfigError(f"cannot read configuration file {path}: {e}") from None
    if root.tag != "configuration":
        raise ConfigError(f"{path}: root element must be <configuration>, found <{root.tag}>")
    values = {}
    for prop in root.iter("property"):
        name = prop.findtext("name")
        if not name:
            raise ConfigError(f"{path}: a <property> has no <name>")
        values[name.strip()] = (prop.findtext("value") or "").strip()
    return values


#: Hadoop's generic options (GenericOptionsParser) that take a value, and the property each sets
GENERIC_VALUED_OPTIONS = {
    "-fs": "fs.defaultFS",
    "-jt": "mapreduce.jobtracker.address",
    "-files": "tmpfiles",
    "-libjars": "tmpjars",
    "-archives": "tmparchives",
}


def parse_define(text: str) -> tuple[str, str]:
    """Split one ``-D key=value`` argument."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise ConfigError(f"-D expects key=value, got {text!r}")
    return key.strip(), value


def home_dir(conf: Configuration | None = None) -> Path:
    """The embedded cluster's state directory: ``minihadoop.home``, ``$MINIHADOOP_HOME`` or
    ``~/.minihadoop``."""
    explicit = conf.get("minihadoop.home") if conf is not None else None
    env = os.environ.get("MINIHADOOP_HOME")
    home = Path(explicit or env or "~/.minihadoop").expanduser()
    for path in (home, *home.parents):  # the first that exists must be a directory
        if path.is_dir():
            break
        if path.exists():
            named = "minihadoop.home" if explicit else "MINIHADOOP_HOME" if env else "the default"
            where = "is" if path == home else f"is inside {path}, which is"
            raise ConfigError(
                f"the state directory {home} ({named}) {where} not a directory: point "
                "MINIHADOOP_HOME at a directory (hadoop namenode -format creates a cluster there)"
            )
    return home


def current_user() -> str:
    """``$HADOOP_USER_NAME`` or the login name, as Hadoop's simple authentication does."""
    import getpass  # lazy: imports termios and pwd, for a few commands

    return os.environ.get("HADOOP_USER_NAME") or getpass.getuser()


# ---- the NameNode's own settings -----------------------------------------------------------------
#: Keys only the cluster's own configuration sets; a client's values of them are ignored.
NAMENODE_KEYS = (
    "dfs.permissions.enabled",
    "dfs.permissions.superusergroup",
    "dfs.namenode.fs-limits.max-component-length",
    "dfs.namenode.fs-limits.max-directory-items",
    "hadoop.user.group.static.mapping.overrides",
)
CLUSTER_SITE = "hdfs-site.xml"
MAX_DIR_ITEMS = 64 * 100 * 1000  # HDFS's ceiling for max-directory-items


@dataclass(frozen=True, slots=True)
class ClusterSettings:
    """What the NameNode enforces, read from the cluster's own site file."""

    permissions_enabled: bool = True
    superusergroup: str = "supergroup"
    max_component_length: int = 255
    max_directory_items: int = 1024 * 1024
    group_overrides: tuple[tuple[str, tuple[str, ...]], ...] = (("dr.who", ()),)


def settings_of(conf: Configuration) -> ClusterSettings:
    """Validate and convert the NameNode keys of `conf` (errors name the key)."""
    items = conf.get_int("dfs.namenode.fs-limits.max-directory-items")
    if not 0 < items <= MAX_DIR_ITEMS:
        raise ConfigError(
            "Cannot set dfs.namenode.fs-limits.max-directory-items to a value less than 1 or "
            f"greater than {MAX_DIR_ITEMS} (it is {items})"
        )
    length = conf.get_int("dfs.namenode.fs-limits.max-component-length")
    if length < 0:
        raise ConfigError(f"dfs.namenode.fs-limits.max-component-length must be >= 0: {length}")
    return ClusterSettings(
        conf.get_bool("dfs.permissions.enabled"),
        conf.get_str("dfs.permissions.superusergroup").strip() or "supergroup",
        length,
        items,
        _parse_overrides(conf.get_str("hadoop.user.group.static.mapping.overrides")),
    )


def _parse_overrides(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``user1=group1,group2;user2=;`` (Hadoop's static mapping) -> pairs."""
    pairs = []
    for entry in text.split(";"):
        if not entry.strip():
            continue
        user, sep, groups = entry.partition("=")
        if not sep or not user.strip():
            raise ConfigError(
                "hadoop.user.group.static.mapping.overrides: expected user=group1,group2;... "
                f"but found {entry!r}"
            )
        names = tuple(g.strip() for g in groups.split(",") if g.strip())
        pairs.append((user.strip(), names))
    return tuple(pairs)


def write_cluster_site(directory: str | os.PathLike, conf: Configuration) -> Path:
    """Write the NameNode's own settings, from the formatting command's `conf`, to
    ``directory/hdfs-site.xml`` (atomically, mode 600). Bad values fail the format."""
    import xml.etree.ElementTree as ET

    settings_of(conf)
    root = ET.Element("configuration")
    for key in NAMENODE_KEYS:
        prop = ET.SubElement(root, "property")
        ET.SubElement(prop, "name").text = key
        value = conf.get(key)
        text = str(value).lower() if isinstance(value, bool) else str(value)
        ET.SubElement(prop, "value").text = text
    ET.indent(root)
    data = ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
    path = Path(directory) / CLUSTER_SITE
    tmp = path.with_name(CLUSTER_SITE + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        faults.write_fully(fd, data, "conf")
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    return path


def cluster_settings(directory: str | os.PathLike) -> ClusterSettings:
    """The NameNode's settings: `DEFAULTS` overridden by ``directory/hdfs-site.xml`` (a cluster
    formatted before that file existed runs with the defaults: permissions on)."""
    conf = Configuration(load_site=False)
    path = Path(directory) / CLUSTER_SITE
    if path.exists():
        values = read_site_file(path)
        unknown = sorted(set(values) - set(NAMENODE_KEYS))
        if unknown:
            log.debug("%s: ignoring keys that are not NameNode settings: %s", path, unknown)
        conf.update({k: v for k, v in values.items() if k in NAMENODE_KEYS})
    try:
        return settings_of(conf)
    except ConfigError as e:
        raise ConfigError(f"{path}: {e.message}") from None


def client_namenode_keys(conf: Configuration) -> list[str]:
    """The NameNode keys that `conf` (a client's configuration) sets away from the defaults:
    the NameNode does not listen to them (it logs them at debug level)."""
    return [k for k in NAMENODE_KEYS if str(conf.get(k)) != str(DEFAULTS[k])]


def user_groups(user: str, settings: ClusterSettings) -> tuple[str, ...]:
    """The groups of `user` as the NameNode sees them: the static overrides of the cluster's
    settings, else the OS groups of that user name (primary first), else none."""
    for name, groups in settings.group_overrides:
        if name == user:
            return groups
    try:
        entry = pwd.getpwnam(user)
    except KeyError:
        log.debug("no groups for user %s: not a user of this machine", user)
        return ()
    names: list[str] = []
    for gid in os.getgrouplist(user, entry.pw_gid):
        try:
            name = grp.getgrgid(gid).gr_name
        except KeyError:
            name = str(gid)
        if name not in names:
            names.append(name)
    return tuple(names)
