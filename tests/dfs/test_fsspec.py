"""The dfs:// fsspec filesystem, through fsspec's own entry points and pandas."""

from __future__ import annotations

import fsspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


@pytest.fixture
def fs(mini_cluster):
    return fsspec.filesystem("dfs", home=str(mini_cluster.home), conf=mini_cluster.overrides(),
                             skip_instance_cache=True)


def test_protocol_is_registered_by_installation():
    from dfs.filesystem import DFSFileSystem

    assert fsspec.get_filesystem_class("dfs") is DFSFileSystem


def test_open_write_read_seek(fs):
    data = bytes(range(256)) * 1000
    with fs.open("dfs:///x/data.bin", "wb") as f:
        f.write(data)
    assert fs.info("/x/data.bin")["size"] == len(data)
    with fs.open("/x/data.bin", "rb") as f:
        f.seek(65530)
        assert f.read(20) == data[65530:65550]
        f.seek(-10, 2)
        assert f.read() == data[-10:]
    assert fs.cat("/x/data.bin", start=100, end=200) == data[100:200]
    assert fs.cat_file("/x/data.bin", start=-5) == data[-5:]


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=200_000))
def test_round_trip_through_fsspec(fs, data):
    fs.pipe_file("/rt", data)
    assert fs.cat("/rt") == data


def test_ls_mkdir_mv_rm_exists_walk_glob(fs):
    fs.mkdir("/a/b")
    fs.pipe_file("/a/b/one.txt", b"1")
    fs.pipe_file("/a/two.csv", b"2")
    assert fs.ls("/a", detail=False) == ["/a/b", "/a/two.csv"]
    assert fs.isdir("/a/b") and fs.isfile("/a/two.csv") and not fs.exists("/nope")
    assert fs.glob("/a/**/*.txt") == ["/a/b/one.txt"]
    assert sorted(fs.find("/a")) == ["/a/b/one.txt", "/a/two.csv"]
    assert [w[0] for w in fs.walk("/a")] == ["/a", "/a/b"]
    fs.mv("/a/two.csv", "/a/b/three.csv")
    assert fs.cat("/a/b/three.csv") == b"2" and not fs.exists("/a/two.csv")
    fs.rm("/a", recursive=True)
    assert not fs.exists("/a")
    with pytest.raises(FileNotFoundError):
        fs.rm("/a")


def test_block_locations_for_splits(fs, mini_cluster):
    fs.pipe_file("/big", b"z" * (3 * 65536 + 5))
    blocks = fs.block_locations("/big")
    assert [(o, n) for o, n, _ in blocks] == [(0, 65536), (65536, 65536), (131072, 65536),
                                            (196608, 5)]
    assert all(len(hosts) == 3 for _, _, hosts in blocks)


def test_pandas_reads_and_writes_csv(fs, mini_cluster):
    pd = pytest.importorskip("pandas")
    home = str(mini_cluster.home)
    with fsspec.open("dfs:///data/x.csv", "w", home=home) as f:
        f.write("name,n\nant,1\nbee,2\n")
    df = pd.read_csv("dfs:///data/x.csv", storage_options={"home": home})
    assert list(df["name"]) == ["ant", "bee"] and df["n"].sum() == 3
    df.to_csv("dfs:///data/y.csv", index=False, storage_options={"home": home})
    assert fs.cat("/data/y.csv") == b"name,n\nant,1\nbee,2\n"


def test_a_changed_home_or_user_gets_its_own_filesystem_not_a_cached_one(tmp_path, monkeypatch):
    """fsspec caches instances by their arguments; `dfs://` with no arguments must still follow
    $MINIHADOOP_HOME and $HADOOP_USER_NAME (a cached instance kept the first cluster's)."""
    from dfs.cluster import format_cluster
    from dfs.conf import Configuration

    homes = []
    for name in ("one", "two"):
        home = tmp_path / name
        format_cluster(Configuration({"minihadoop.home": str(home)}, load_site=False))
        homes.append(home)
    monkeypatch.setenv("MINIHADOOP_HOME", str(homes[0]))
    fsspec.filesystem("dfs").pipe_file("/only-in-one", b"1")
    monkeypatch.setenv("MINIHADOOP_HOME", str(homes[1]))
    fs_two = fsspec.filesystem("dfs")
    assert not fs_two.exists("/only-in-one")
    with fsspec.open("dfs:///only-in-two", "wb") as f:
        f.write(b"2")
    monkeypatch.setenv("MINIHADOOP_HOME", str(homes[0]))
    assert fsspec.filesystem("dfs").cat_file("/only-in-one") == b"1"
    assert not fsspec.filesystem("dfs").exists("/only-in-two")
    monkeypatch.setenv("HADOOP_USER_NAME", "someone-else")
    assert fsspec.filesystem("dfs").client.user == "someone-else"
