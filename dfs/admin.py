"""Text of the admin reports: `hadoop fsck` and `hadoop dfsadmin`, plus Hadoop's number formats.

Owns: turning `FsckReport` and `DatanodeInfo` lists into the lines Hadoop prints (layout of
`NamenodeFsck` and `DFSAdmin -report`), the fsck/dfsadmin argument handling, and the size and
percent formats the shell shares (`long2string`, `byte_desc`, `format_percent`).
Must not touch: how the numbers are computed (the namenode's fsck does that) or any state.
"""

from __future__ import annotations

import struct
import time
from collections.abc import Callable, Sequence
from typing import Any

from dfs.protocol import DatanodeInfo, FsckBlock, FsckFile, FsckReport

_PREFIXES = "KMGTPE"
BLOCK_POOL = "BP-1-127.0.0.1-1"
FSCK_USAGE = (
    "Usage: hdfs fsck <path> [-list-corruptfileblocks | [-move | -delete | -openforwrite] "
    "[-files [-blocks [-locations | -racks | -replicaDetails]]]] [-verify]\n"
    "\t-verify\tread every replica under <path> and check every checksum (the datanodes' "
    "block scanner, run now); corrupt replicas are reported to the namenode and repaired"
)
DFSADMIN_USAGE = (
    "Usage: hdfs dfsadmin [-report [-live] [-dead] [-decommissioning]] "
    "[-safemode <enter | leave | get | wait | forceExit>] [-refreshNodes] [-printTopology]"
)
#: how often ``-safemode wait`` asks again (HDFS's DFSAdmin sleeps 5 s between asks)
SAFEMODE_WAIT_POLL_S = 0.5


class UsageError(ValueError):
    """Bad arguments for an admin command; the message is printed with the usage line."""


# ---- Hadoop's number formats --------------------------------------------------------------------
def long2string(n: int, unit: str = "", decimals: int = 1) -> str:
    """Hadoop's ``TraditionalBinaryPrefix.long2String``.

    >>> long2string(1023), long2string(1024), long2string(1536), long2string(65536, "B", 2)
    ('1023', '1 K', '1.5 K', '64 KB')
    """
    sign = "-" if n < 0 else ""
    n = abs(n)
    if n < 1024:
        return f"{sign}{n}" + (f" {unit}" if unit else "")
    power = 0
    while power + 1 < len(_PREFIXES) and n >= 1 << (10 * (power + 2)):
        power += 1
    shift = 10 * (power + 1)
    if n & ((1 << shift) - 1) == 0:
        text = str(n >> shift)
    else:
        text = java_fixed(n / (1 << shift), decimals)
        if text.startswith("1024") and power + 1 < len(_PREFIXES):
            power += 1
            text = java_fixed(n / (1 << (shift + 10)), decimals)
    return f"{sign}{text} {_PREFIXES[power]}{unit}"


def java_fixed(value: float, decimals: int) -> str:
    """``String.format("%.Nf")``: Java rounds the exact binary value half-up (Python: half-even).

    >>> java_fixed(1.25, 1), java_fixed(0.125, 2), java_fixed(1.15, 1)
    ('1.3', '0.13', '1.1')
    """
    from decimal import ROUND_HALF_UP, Decimal

    return str(Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def byte_desc(n: int) -> str:
    """``StringUtils.byteDesc``: ``24 KB``, ``49.09 GB``, ``0 B``."""
    return long2string(n, "B", 2)


def format_percent(fraction: float, decimals: int = 0) -> str:
    """``StringUtils.formatPercent``: ``12%``; NaN when there is no capacity."""
    if fraction != fraction:  # NaN
        return "NaN%"
    return java_fixed(fraction * 100, decimals) + "%"


def java_float(value: float) -> str:
    """A float the way Java's ``Float.toString`` prints it (``100.0``, ``33.333332``)."""
    if value == int(value) and abs(value) < 1e7:
        return f"{value:.1f}"
    single = struct.unpack("f", struct.pack("f", value))[0]
    for digits in range(1, 10):
        text = f"{single:.{digits}g}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == single:
            return text if "." in text or "e" in text else text + ".0"
    return repr(single)


def java_date(ms: float | None = None) -> str:
    """``java.util.Date.toString``: ``Sun Nov 22 03:12:25 UTC 2026``."""
    t = time.localtime(None if ms is None else ms / 1000.0)
    return time.strftime("%a %b %d %H:%M:%S %Z %Y", t)


# ---- fsck ---------------------------------------------------------------------------------------
class FsckOptions:
    """Parsed ``hadoop fsck`` arguments."""

    __slots__ = ("path", "files", "blocks", "locations", "racks", "openforwrite", "verify")

    def __init__(self, args: Sequence[str]) -> None:
        self.path = "/"
        self.files = self.blocks = self.locations = self.racks = self.openforwrite = False
        self.verify = False
        seen_path = False
        for arg in args:
            flag = arg.lstrip("-") if arg.startswith("-") else None
            if flag in ("files", "blocks", "locations", "racks", "openforwrite", "verify"):
                setattr(self, flag, True)
            elif flag in ("move", "delete", "list-corruptfileblocks", "replicaDetails"):
                raise UsageError(f"option {arg} is not supported by minihadoop")
            elif flag is not None:
                raise UsageError(f"Illegal option '{arg}'\n{FSCK_USAGE}")
            elif seen_path:
                raise UsageError(f"can only operate on one path at a time '{arg}'")
            else:
                self.path, seen_path = arg, True
        self.blocks = self.blocks or self.locations or self.racks


def _block_label(fb: FsckBlock) -> str:
    return f"{BLOCK_POOL}:{fb.block.name}"


def _is_corrupt(fb: FsckBlock) -> bool:
    return fb.live_replicas == 0 and fb.corrupt_replicas > 0


def _replica_list(fb: FsckBlock, racks: bool) -> str:
    if racks:
        names = [dn.location for dn in fb.block.locations]
    else:
        names = [
            f"DatanodeInfoWithStorage[{dn.node_id},DS-{dn.node_id},DISK]"
            for dn in fb.block.locations
        ]
    return "[" + ", ".join(names) + "]"


def _block_line(number: int, fb: FsckBlock, opts: FsckOptions) -> str:
    line = f"{number}. {_block_label(fb)} len={fb.block.length}"
    if fb.missing and not _is_corrupt(fb):
        return line + " MISSING!"
    line += f" Live_repl={fb.live_replicas}"
    if opts.locations or opts.racks:
        line += "  " + _replica_list(fb, opts.racks)
    return line


def _under_line(f: FsckFile, fb: FsckBlock) -> str:
    return (
        f" Under replicated {_block_label(fb)}. Target Replicas is {fb.expected_replicas} but "
        f"found {fb.live_replicas} live replica(s), 0 decommissioned replica(s) and "
        "0 decommissioning replica(s)."
    )


def _file_lines(
    f: FsckFile, opts: FsckOptions, emit: Callable[[str], None], racks: int = 1
) -> None:
    """The lines for one file, as NamenodeFsck.collectFileSummary/collectBlocksSummary."""
    if f.is_dir:
        if opts.files:
            emit(f"{f.path} <dir>\n")
        return
    if f.under_construction and not opts.openforwrite:
        return
    if opts.files:
        emit(
            f"{f.path} {f.length} bytes, replicated: replication={f.replication}, "
            f"{len(f.blocks)} block(s): "
        )
    missing = [fb for fb in f.blocks if fb.missing and not _is_corrupt(fb)]
    corrupt = [fb for fb in f.blocks if _is_corrupt(fb)]
    under = [fb for fb in f.blocks if 0 < fb.live_replicas < fb.expected_replicas]
    for fb in corrupt:
        emit(f"\n{f.path}: CORRUPT blockpool {BLOCK_POOL} block {fb.block.name}\n")
    for fb in under:
        emit((f"\n{f.path}: " if not opts.files else "") + _under_line(f, fb) + "\n")
    mis = [
        fb
        for fb in f.blocks
        if racks > 1 and fb.live_replicas > 1 and len({d.rack for d in fb.block.locations}) < 2
    ]
    for fb in mis:
        emit(
            ("" if opts.files else f"\n{f.path}: ") + f" Replica placement policy is "
            f"violated for {_block_label(fb)}. Block should be additionally replicated on "
            "1 more rack(s).\n"
        )
    missing_size = sum(fb.block.length for fb in missing)
    corrupt_size = sum(fb.block.length for fb in corrupt)
    if not opts.files:
        if missing:
            emit(f"\n{f.path}: MISSING {len(missing)} blocks of total size {missing_size} B.")
        if corrupt:
            emit(f"\n{f.path}: CORRUPT {len(corrupt)} blocks of total size {corrupt_size} B.")
        return
    if missing:
        emit(f" MISSING {len(missing)} blocks of total size {missing_size} B\n")
    if corrupt:
        emit(f" CORRUPT {len(corrupt)} blocks of total size {corrupt_size} B\n")
    if not (missing or corrupt or under or mis):
        emit(" OK\n")
    if opts.blocks:
        emit("".join(_block_line(i, fb, opts) + "\n" for i, fb in enumerate(f.blocks)) + "\n")


def _pct(count: int, total: int) -> str:
    return f" ({java_float(count * 100 / total)} %)" if total > 0 else ""


def fsck_summary(report: FsckReport) -> str:
    """The ``Status: ...`` block (NamenodeFsck.Result.toString plus the node counts)."""
    r = report
    blocks = [fb for f in r.files for fb in f.blocks]
    expected = sum(fb.expected_replicas for fb in blocks)
    live = sum(fb.live_replicas for fb in blocks)
    missing_replicas = sum(
        fb.expected_replicas - fb.live_replicas
        for fb in blocks
        if 0 < fb.live_replicas < fb.expected_replicas
    )
    corrupt_files = sum(1 for f in r.files if any(fb.missing or _is_corrupt(fb) for fb in f.blocks))
    lines = [f"Status: {'HEALTHY' if r.healthy else 'CORRUPT'}", f" Total size:\t{r.total_size} B"]
    lines += [f" Total dirs:\t{r.total_dirs}", f" Total files:\t{r.total_files}"]
    open_files = f" (Files currently being written: {r.under_construction})"
    lines.append(" Total symlinks:\t\t0" + (open_files if r.under_construction else ""))
    avg = f" (avg. block size {r.total_size // r.total_blocks} B)" if r.total_blocks else ""
    lines.append(f" Total blocks (validated):\t{r.total_blocks}{avg}")
    if corrupt_files or not r.healthy:
        lines.append("  ********************************")
        lines.append(f"  CORRUPT FILES:\t{corrupt_files}")
        if r.missing_blocks:
            lines.append(f"  MISSING BLOCKS:\t{r.missing_blocks}")
            lines.append(f"  MISSING SIZE:\t\t{r.missing_size} B")
        if r.corrupt_blocks:
            lines.append(f"  CORRUPT BLOCKS: \t{r.corrupt_blocks}")
        lines.append("  ********************************")
    total = r.total_blocks
    lines += [
        f" Minimally replicated blocks:\t{r.min_replicated}{_pct(r.min_replicated, total)}",
        f" Over-replicated blocks:\t{r.over_replicated}{_pct(r.over_replicated, total)}",
        f" Under-replicated blocks:\t{r.under_replicated}{_pct(r.under_replicated, total)}",
        f" Mis-replicated blocks:\t\t{r.mis_replicated}{_pct(r.mis_replicated, total)}",
        f" Default replication factor:\t{r.default_replication}",
        f" Average block replication:\t{java_float(r.avg_replication)}",
        f" Missing blocks:\t\t{r.missing_blocks}",
        f" Corrupt blocks:\t\t{r.corrupt_blocks}",
        f" Missing replicas:\t\t{missing_replicas}"
        + (_pct(missing_replicas, expected) if live > 0 else ""),
        f" Number of data-nodes:\t\t{r.datanodes}",
        f" Number of racks:\t\t{r.racks}",
    ]
    return "\n".join(lines) + "\n"


def format_fsck(report: FsckReport, opts: FsckOptions, user: str, started_ms: float) -> str:
    """The whole fsck output, ending with the HEALTHY/CORRUPT line."""
    parts: list[str] = []
    emit = parts.append
    emit(f"Connecting to namenode via dfs:///fsck?ugi={user}&path={report.path}\n")
    emit(
        f"FSCK started by {user} (auth:SIMPLE) from /127.0.0.1 for path {report.path} "
        f"at {java_date(started_ms)}\n"
    )
    for f in report.files:
        _file_lines(f, opts, emit, report.racks)
    if not report.files:
        parts.extend(p.rstrip("\n") + "\n" for p in report.problems)
    if not opts.files and len(parts) > 2:
        emit("\n")
    emit(fsck_summary(report))
    elapsed = int(time.time() * 1000 - started_ms)
    emit(f"FSCK ended at {java_date()} in {elapsed} milliseconds\n")
    status = "HEALTHY" if report.healthy else "CORRUPT"
    emit(f"\n\nThe filesystem under path '{report.path}' is {status}\n")
    return "".join(parts)


def run_fsck(client: Any, args: Sequence[str], write: Callable[[str], None]) -> int:
    """``hadoop fsck``: print the report; 0 when healthy (or the path is absent), 1 when not."""
    opts = FsckOptions(args)
    started = time.time() * 1000
    path = client.resolve(opts.path)
    if not client.exists(path):
        write(f"FSCK started by {client.user} (auth:SIMPLE) from /127.0.0.1 for path {path} ")
        write(f"at {java_date(started)}\n\n\nPath '{path}' does not exist\n")
        return 0
    if opts.verify:
        write(format_verify(client.verify(path)))
    report = client.fsck(path)
    write(format_fsck(report, opts, client.user, started))
    return 0 if report.healthy else 1


def format_verify(result: Any) -> str:
    """The deep scan's findings (`DFSClient.verify`): one line per bad replica, then a total."""
    lines = [
        f"{p.path}: {BLOCK_POOL}:{p.block_name} on {p.node_id}: {p.problem}\n"
        for p in result.problems
    ]
    corrupt = sum(1 for p in result.problems if p.corrupt)
    lines.append(
        f"Verified {result.replicas} replica(s) of {result.blocks} block(s): "
        f"{corrupt} corrupt (reported to the namenode for repair)\n"
    )
    return "".join(lines)


# ---- dfsadmin -----------------------------------------------------------------------------------
def _size_line(label: str, n: int) -> str:
    return f"{label}: {n} ({byte_desc(n)})"


def _percent2(numerator: int, denominator: int) -> str:
    return java_fixed(numerator * 100 / denominator if denominator else 0.0, 2) + "%"


#: Hadoop's default DataNode transfer port (``dfs.datanode.address`` 0.0.0.0:9866)
XFER_PORT = 9866


def datanode_name(dn: DatanodeInfo) -> str:
    """A node's ``IP:port``, as Hadoop names a datanode. A daemon's is its DataTransferProtocol
    address; an embedded node listens on nothing, so it is named by Hadoop's default transfer
    port plus its number (dn2: 127.0.0.1:9868): unique, stable, and never a socket."""
    if dn.host and dn.xfer_port:
        return f"{dn.host}:{dn.xfer_port}"
    digits = "".join(ch for ch in dn.node_id if ch.isdigit())
    return f"127.0.0.1:{XFER_PORT + int(digits or 0)}"


def datanode_section(dn: DatanodeInfo) -> str:
    """One ``Name: ...`` block of ``dfsadmin -report`` (DatanodeInfo.getDatanodeReport, with
    no cache configured: Hadoop's percentages for a zero cache capacity)."""
    non_dfs = max(dn.capacity - dn.used - dn.remaining, 0)
    lines = [
        f"Name: {datanode_name(dn)} ({dn.node_id})",
        f"Hostname: {dn.node_id}",
        f"Rack: {dn.rack}",
        f"Decommission Status : {dn.admin_state}",
        _size_line("Configured Capacity", dn.capacity),
        _size_line("DFS Used", dn.used),
        _size_line("Non DFS Used", non_dfs),
        _size_line("DFS Remaining", dn.remaining),
        f"DFS Used%: {_percent2(dn.used, dn.capacity)}",
        f"DFS Remaining%: {_percent2(dn.remaining, dn.capacity)}",
        _size_line("Configured Cache Capacity", 0),
        _size_line("Cache Used", 0),
        _size_line("Cache Remaining", 0),
        "Cache Used%: 100.00%",
        "Cache Remaining%: 0.00%",
        f"Last contact: {java_date(dn.last_contact)}",
        f"Num of Blocks: {dn.blocks}",
    ]
    return "\n".join(lines) + "\n"


def format_report(
    nodes: Sequence[DatanodeInfo], fsck: FsckReport | None, live: bool = True, dead: bool = True
) -> str:
    """``dfsadmin -report``: cluster totals, then the live and dead datanode sections."""
    alive = [n for n in nodes if n.alive]
    gone = [n for n in nodes if not n.alive]
    capacity = sum(n.capacity for n in alive)
    used = sum(n.used for n in alive)
    remaining = sum(n.remaining for n in alive)
    present = used + remaining
    under = fsck.under_replicated if fsck else 0
    # HDFS: blocks with at least one corrupt replica; missing = no good replica left at all
    corrupt = sum(1 for f in fsck.files for b in f.blocks if b.corrupt_replicas) if fsck else 0
    missing = fsck.missing_blocks + fsck.corrupt_blocks if fsck else 0
    missing_one = (
        sum(1 for f in fsck.files for b in f.blocks if b.expected_replicas == 1 and b.missing)
        if fsck
        else 0
    )
    lines = [
        _size_line("Configured Capacity", capacity),
        _size_line("Present Capacity", present),
        _size_line("DFS Remaining", remaining),
        _size_line("DFS Used", used),
        f"DFS Used%: {_percent2(used, present)}",
        f"Under replicated blocks: {under}",
        f"Blocks with corrupt replicas: {corrupt}",
        f"Missing blocks: {missing}",
        f"Missing blocks (with replication factor 1): {missing_one}",
        "",
        "-------------------------------------------------",
    ]
    out = "\n".join(lines) + "\n"
    if live:
        out += f"Live datanodes ({len(alive)}):\n\n" + "\n".join(map(datanode_section, alive))
    if dead:
        out += ("\n" if live and alive else "") + f"Dead datanodes ({len(gone)}):\n\n"
        out += "\n".join(map(datanode_section, gone))
    return out


def run_dfsadmin(client: Any, args: Sequence[str], write: Callable[[str], None]) -> int:
    """``hadoop dfsadmin -report [-live] [-dead] | -safemode get|enter|leave|wait |
    -refreshNodes | -printTopology``."""
    if not args:
        raise UsageError("no command given")
    command, rest = args[0], list(args[1:])
    if command == "-report":
        unknown = [a for a in rest if a not in ("-live", "-dead", "-decommissioning")]
        if unknown:
            raise UsageError(f"Illegal option '{unknown[0]}'")
        nodes = client.datanode_report()
        if "-decommissioning" in rest:
            write(format_decommissioning(nodes))
            return 0
        show_live = "-live" in rest or "-dead" not in rest
        show_dead = "-dead" in rest or "-live" not in rest
        write(format_report(nodes, client.fsck("/"), show_live, show_dead))
        return 0
    if command == "-safemode":
        return _safemode(client, rest, write)
    if command == "-refreshNodes":
        if rest:
            raise UsageError(f"Illegal option '{rest[0]}'")
        client.nn.refresh_nodes(client.user)
        write("Refresh nodes successful\n")
        return 0
    if command == "-printTopology":
        if rest:
            raise UsageError(f"Illegal option '{rest[0]}'")
        write(format_topology(client.datanode_report()))
        return 0
    raise UsageError(f"{command}: Unknown command")


def format_topology(nodes: Sequence[DatanodeInfo]) -> str:
    """``dfsadmin -printTopology`` (DFSAdmin.printTopology): every datanode the namenode knows,
    live or dead, under ``Rack: /name`` in rack order, each as ``   IP:port (host)`` in name
    order, a blank line after each rack."""
    racks: dict[str, set[tuple[str, str]]] = {}
    for dn in nodes:
        racks.setdefault(dn.rack, set()).add((datanode_name(dn), dn.node_id))
    out = []
    for rack in sorted(racks):
        out.append(f"Rack: {rack}\n")
        out.extend(f"   {name} ({host})\n" for name, host in sorted(racks[rack]))
        out.append("\n")
    return "".join(out)


def format_decommissioning(nodes: Sequence[DatanodeInfo]) -> str:
    """``dfsadmin -report -decommissioning``: the nodes being decommissioned."""
    retiring = [n for n in nodes if n.admin_state == "Decommission in progress"]
    return f"Decommissioning datanodes ({len(retiring)}):\n\n" + "\n".join(
        map(datanode_section, retiring)
    )


def _safemode(client: Any, rest: list[str], write: Callable[[str], None]) -> int:
    """``-safemode get|enter|leave|forceExit|wait``: HDFS's one line, ``Safe mode is ON|OFF``
    (``wait`` returns once it is off)."""
    if len(rest) != 1 or rest[0] not in ("get", "enter", "leave", "wait", "forceExit"):
        raise UsageError("-safemode takes one of enter | leave | get | wait | forceExit")
    action = rest[0]

    def ask(what: str) -> bool:
        return bool(client.nn.set_safe_mode(client.user, what))

    state = ask("get" if action == "wait" else action)
    while action == "wait" and state:
        time.sleep(SAFEMODE_WAIT_POLL_S)
        state = ask("get")
    write(f"Safe mode is {'ON' if state else 'OFF'}\n")
    return 0
