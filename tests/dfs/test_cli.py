"""The `hadoop` entry point: generic options, error policy, fsck, dfsadmin, namenode -format.

Checked against Hadoop's documented behaviour (report layouts, exit statuses) with numbers from
plain Python or the DFS client API.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from dfs.cli import cli, hadoop_command, parse_generic_options
from dfs.cluster import EmbeddedCluster, connect, format_cluster
from dfs.conf import Configuration
from dfs.errors import ConfigError

BLOCK = 65536


@pytest.fixture
def run(tmp_path, monkeypatch):
    """`hadoop ...` in-process on a freshly formatted cluster (formatting is never implicit)."""
    monkeypatch.setenv("MINIHADOOP_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("HADOOP_USER_NAME", "alice")
    format_cluster(Configuration())
    runner = CliRunner()
    return lambda *args, **kw: runner.invoke(cli, list(args), **kw)


def put_bytes(path: str, data: bytes, **conf) -> None:
    with connect(Configuration({"dfs.blocksize": BLOCK, **conf})) as c:
        c.write_bytes(path, data)


# ---- generic options --------------------------------------------------------------------------
def test_parse_generic_options(tmp_path):
    site = tmp_path / "extra.xml"
    site.write_text(
        "<configuration><property><name>dfs.replication</name><value>1</value></property>"
        "<property><name>x.y</name><value>from-file</value></property></configuration>"
    )
    conf, rest = parse_generic_options(
        [
            "-conf",
            str(site),
            "-D",
            "x.y=from-D",
            "-Dk=a=b",
            "--debug",
            "-fs",
            "dfs:///",
            "-ls",
            "-D",
            "q=1",
        ]
    )
    assert conf.get_int("dfs.replication") == 1  # from the -conf file
    assert conf.get("x.y") == "from-D"  # -D wins over -conf
    assert conf.get("k") == "a=b"
    assert rest == ["-ls", "-D", "q=1"]  # generic options stop at the command's first word
    with pytest.raises(ConfigError):
        parse_generic_options(["-D", "novalue"])
    with pytest.raises(ConfigError):
        parse_generic_options(["-conf", str(tmp_path / "missing.xml")])


def test_define_reaches_the_cluster(run, tmp_path):
    src = tmp_path / "f"
    src.write_bytes(os.urandom(3 * BLOCK + 1))
    r = run("fs", "-D", f"dfs.blocksize={BLOCK}", "-Ddfs.replication=2", "-put", str(src), "/f")
    assert r.exit_code == 0, r.stderr
    with connect(Configuration()) as c:
        blocks = c.block_locations("/f")
        assert len(blocks) == 4
        assert {len(b.locations) for b in blocks} == {2}


def test_generic_option_errors_are_one_line(run):
    r = run("fs", "-D")
    assert (r.exit_code, r.stderr) == (255, "fs: generic option -D requires an argument\n")
    r = run("fs", "-D", "oops", "-ls", "/")
    assert r.exit_code == 1
    assert r.stderr == "fs: -D expects key=value, got 'oops'\n"


def test_unexpected_error_and_debug(run):
    @hadoop_command("boom-test", "raises")
    def boom(conf, args):
        raise RuntimeError("kaput\nsecond line")

    try:
        r = run("boom-test")
        assert r.exit_code == 2
        log = Path(os.environ["MINIHADOOP_HOME"]) / "logs" / "hadoop-alice-boom-test.log"
        assert r.stderr == (
            "ERROR 2999: Unexpected internal error. kaput (a minihadoop bug: the traceback is "
            f"in {log}; --debug prints it)\n"
        )
        assert 'raise RuntimeError("kaput' in log.read_text()  # the traceback, for the report
        r = run("--debug", "boom-test")
        assert r.exit_code == 2
        assert "Traceback (most recent call last)" in r.stderr
        assert r.stderr.rstrip().endswith("ERROR 2999: Unexpected internal error. kaput")
        r = run("boom-test", "--debug")
        assert "Traceback" in r.stderr
    finally:
        cli.commands.pop("boom-test")


def test_unknown_top_level_command(run):
    r = run("frobnicate")
    assert r.exit_code == 1
    assert len(r.stderr.splitlines()) == 1 and "unknown command 'frobnicate'" in r.stderr


def test_version(run):
    r = run("version")
    assert r.exit_code == 0 and re.match(r"^Hadoop \S+", r.stdout)


# ---- namenode -format -------------------------------------------------------------------------
def test_namenode_format_refuses_then_force(run, tmp_path, monkeypatch):
    monkeypatch.setenv("MINIHADOOP_HOME", str(tmp_path / "fresh"))
    r = run("namenode", "-format")
    assert r.exit_code == 0, r.stderr
    put_bytes("/keep", b"data")
    r = run("namenode", "-format")
    assert r.exit_code == 1
    assert len(r.stderr.splitlines()) == 1 and "-force" in r.stderr
    assert run("fs", "-test", "-e", "/keep").exit_code == 0  # nothing was erased
    assert run("namenode", "-format", "-force").exit_code == 0
    assert run("fs", "-test", "-e", "/keep").exit_code == 1
    assert run("namenode", "-bogus").exit_code == 255


# ---- fsck -------------------------------------------------------------------------------------
def test_fsck_healthy_report(run):
    put_bytes("/d/f", os.urandom(2 * BLOCK + 100))
    r = run("fsck", "/d", "-files", "-blocks", "-locations")
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    assert f"/d/f {2 * BLOCK + 100} bytes, replicated: replication=3, 3 block(s):  OK" in out
    with connect(Configuration()) as c:
        blocks = c.block_locations("/d/f")
    for i, b in enumerate(blocks):
        line = next(x for x in out.splitlines() if x.startswith(f"{i}. "))
        assert re.fullmatch(
            rf"{i}\. BP-[^:]+:blk_{b.block_id}_{b.genstamp} len={b.length} Live_repl=3  "
            r"\[DatanodeInfoWithStorage\[dn\d,DS-dn\d,DISK\]"
            r"(, DatanodeInfoWithStorage\[[^\]]+\]){2}\]",
            line,
        ), line
    for label, value in [
        ("Status", "HEALTHY"),
        ("Total files", "1"),
        ("Total dirs", "1"),
        ("Total blocks (validated)", "3 (avg. block size 43724 B)"),
        ("Total size", f"{2 * BLOCK + 100} B"),
        ("Corrupt blocks", "0"),
        ("Default replication factor", "3"),
        ("Number of data-nodes", "4"),
        ("Number of racks", "2"),
        ("Missing replicas", "0 (0.0 %)"),
        ("Minimally replicated blocks", "3 (100.0 %)"),
        ("Average block replication", "3.0"),
    ]:
        assert re.search(rf"^ ?{re.escape(label)}:[\t ]+{re.escape(value)}$", out, re.M), label
    assert out.rstrip("\n").splitlines()[-1] == "The filesystem under path '/d' is HEALTHY"
    racks = run("fsck", "/d", "-files", "-blocks", "-racks").stdout
    assert re.search(r"Live_repl=3  \[/rack\d/dn\d, /rack\d/dn\d, /rack\d/dn\d\]", racks)


@pytest.fixture
def stop_datanodes(run):
    """Stop datanodes of the cluster `run` works on, as another command would."""

    def stop(*nodes: str) -> None:
        cluster = EmbeddedCluster(Configuration())
        try:
            for node in nodes:
                cluster.stop_datanode(node)
        finally:
            cluster.close()

    return stop


def test_fsck_missing_blocks_is_corrupt(run, stop_datanodes):
    put_bytes("/lost", os.urandom(BLOCK + 1))
    stop_datanodes("dn0", "dn1", "dn2", "dn3")
    r = run("fsck", "/")
    assert r.exit_code == 1
    assert "Status: CORRUPT" in r.stdout
    assert re.search(r"^ Missing blocks:\t+2$", r.stdout, re.M)
    assert r.stdout.rstrip("\n").splitlines()[-1] == "The filesystem under path '/' is CORRUPT"


def test_fsck_under_replicated_is_still_healthy(run, stop_datanodes):
    put_bytes("/u", os.urandom(2 * BLOCK))
    with connect(Configuration()) as c:  # 3 replicas on 4 nodes: two nodes hold both blocks
        holders = [{loc.node_id for loc in b.locations} for b in c.block_locations("/u")]
    keep = min(set.intersection(*holders))
    stop_datanodes(*sorted({"dn0", "dn1", "dn2", "dn3"} - {keep}))  # nothing can re-replicate
    r = run("fsck", "/u")
    assert r.exit_code == 0
    under = [x for x in r.stdout.splitlines() if x.startswith("/u:  Under replicated ")]
    assert len(under) == 2
    assert all(
        x.endswith(
            "Target Replicas is 3 but found 1 live replica(s), 0 decommissioned "
            "replica(s) and 0 decommissioning replica(s)."
        )
        for x in under
    )
    assert re.search(r"^ Under-replicated blocks:\t2 \(100\.0 %\)$", r.stdout, re.M)
    assert re.search(r"^ Missing replicas:\t+4 \(66\.666664 %\)$", r.stdout, re.M)
    assert "Status: HEALTHY" in r.stdout


def test_fsck_absent_path_and_bad_flag(run):
    r = run("fsck", "/nope")
    assert r.exit_code == 0  # as Hadoop's DFSck
    assert r.stdout.rstrip().endswith("Path '/nope' does not exist")
    assert run("fsck", "/", "-bogus").exit_code == 255


# ---- dfsadmin ---------------------------------------------------------------------------------
def _figures(client):
    """The datanode report without the heartbeat times (which move on every heartbeat)."""
    return [replace(n, last_contact=0) for n in client.datanode_report()]


def steady_reading(command, read=_figures):
    """`command()`, with `read(client)` before and after it, repeated until the two readings
    agree: with daemons, the DataNodes report their usage on their own schedule and a heartbeat
    may change the figures in between (embedded, the first try is steady). Returns the
    command's result and the reading."""
    for _ in range(100):
        with connect(Configuration()) as c:
            before = read(c)
        result = command()
        with connect(Configuration()) as c:
            after = read(c)
        if before == after:
            return result, after
    raise AssertionError("the figures changed during every one of 100 readings")


def test_dfsadmin_report(run):
    put_bytes("/f", os.urandom(1000))
    r, nodes = steady_reading(lambda: run("dfsadmin", "-report"))
    assert r.exit_code == 0, r.stderr
    live = [n for n in nodes if n.alive]
    out = r.stdout
    assert f"Configured Capacity: {sum(n.capacity for n in live)} (" in out
    assert f"DFS Used: {sum(n.used for n in live)} (" in out
    assert f"Live datanodes ({len(live)}):" in out
    assert out.count("Decommission Status : Normal") == len(nodes)
    for n in nodes:
        assert f"Hostname: {n.node_id}\nRack: {n.rack}\n" in out
    for key in (
        "Present Capacity",
        "DFS Remaining",
        "DFS Used%",
        "Under replicated blocks",
        "Blocks with corrupt replicas",
        "Missing blocks",
        "Non DFS Used",
        "DFS Remaining%",
        "Last contact",
    ):
        assert re.search(rf"^{re.escape(key)}: ", out, re.M), key
    assert run("dfsadmin", "-safemode", "get").stdout == "Safe mode is OFF\n"
    assert run("dfsadmin", "-bogus").exit_code == 255


# ---- as a process ------------------------------------------------------------------------------
def _proc(args, home, **kw):
    env = dict(os.environ, MINIHADOOP_HOME=str(home), HADOOP_USER_NAME="alice")
    return subprocess.run(
        [sys.executable, "-m", "dfs.cli", *args],
        env=env,
        capture_output=True,
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
        **kw,
    )


def test_subprocess_put_cat_and_exit_codes(tmp_path):
    data = os.urandom(BLOCK * 2 + 3)
    assert _proc(["namenode", "-format"], tmp_path).returncode == 0
    p = _proc(["fs", "-D", f"dfs.blocksize={BLOCK}", "-put", "-", "/bin"], tmp_path, input=data)
    assert p.returncode == 0, p.stderr
    p = _proc(["fs", "-cat", "/bin"], tmp_path)
    assert (p.returncode, p.stdout) == (0, data)
    p = _proc(["fs", "-ls", "/missing"], tmp_path)
    assert (p.returncode, p.stderr) == (1, b"ls: `/missing': No such file or directory\n")
    p = _proc(["fs", "-nope"], tmp_path)
    assert p.returncode == 255


def test_fs_path_imports_stay_light(tmp_path):
    code = (
        "import sys\nfrom dfs.cli import main\n"
        "try:\n    main(['fs', '-ls', '/'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pandas', 'fsspec', 'mapred', 'piglatin', 'numpy')\n"
        "         if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
        "daemon = [m for m in ('dfs.datatransfer', 'dfs.xceiver', 'dfs.daemons',\n"
        "                      'dfs.launcher', 'dfs.remote', 'ctypes', 'subprocess')\n"
        "          if m in sys.modules]\n"
        "print('DAEMON-ONLY', daemon)\n"
    )
    format_cluster(Configuration({"minihadoop.home": str(tmp_path)}, load_site=False))
    env = dict(os.environ, MINIHADOOP_HOME=str(tmp_path), HADOOP_USER_NAME="alice")
    p = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert p.stderr == ""  # the listing itself worked
    assert "HEAVY []" in p.stdout, p.stdout + p.stderr
    # an embedded command needs no sockets to datanodes, no daemon code, no ctypes (writes only)
    assert "DAEMON-ONLY []" in p.stdout, p.stdout + p.stderr
