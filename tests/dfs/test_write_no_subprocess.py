"""Writing a block starts no process: the DataNode finds libc's sync_file_range (its
write-behind hint) by glibc's soname, not by ctypes.util.find_library, which runs
``ldconfig -p`` in a subprocess (about 12 ms of wall time in every command that writes)."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_a_block_write_spawns_no_subprocess(tmp_path):
    code = textwrap.dedent(
        f"""
        import subprocess

        def refuse(*args, **kwargs):
            raise AssertionError(f"a subprocess was started: {{args!r}}")

        subprocess.Popen = refuse
        from dfs.minicluster import MiniCluster

        with MiniCluster({str(tmp_path)!r}, datanodes=2, racks=1) as cluster:
            cluster.client().write_bytes("/x", b"a line\\n" * 1000)
            assert cluster.client().read_bytes("/x") == b"a line\\n" * 1000
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
