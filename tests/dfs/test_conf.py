"""Configuration: defaults < $MINIHADOOP_CONF_DIR/*-site.xml < -D overrides; clear errors."""

from __future__ import annotations

import pytest

from dfs.conf import DEFAULTS, Configuration, parse_bytes, parse_define
from dfs.errors import ConfigError

SITE = """<?xml version="1.0"?>
<configuration>
  <property><name>dfs.replication</name><value>2</value></property>
  <property><name>dfs.blocksize</name><value>128k</value></property>
  <property><name>my.own.key</name><value> spaced </value></property>
</configuration>
"""


def test_precedence(tmp_path, monkeypatch):
    (tmp_path / "hdfs-site.xml").write_text(SITE)
    (tmp_path / "mapred-site.xml").write_text(
        "<configuration><property><name>dfs.replication</name><value>1</value></property>"
        "</configuration>")
    monkeypatch.setenv("MINIHADOOP_CONF_DIR", str(tmp_path))
    conf = Configuration()
    assert conf.get_int("dfs.replication") == 1  # files read in name order: mapred after hdfs
    assert conf.get_bytes("dfs.blocksize") == 128 * 1024
    assert conf.get("my.own.key") == "spaced"  # user properties pass through
    conf = Configuration(dict([parse_define("dfs.replication=3")]))
    assert conf.get_int("dfs.replication") == 3
    assert Configuration(load_site=False).get_int("dfs.replication") == DEFAULTS["dfs.replication"]


@pytest.mark.parametrize("text,value", [("512", 512), ("64k", 65536), ("1m", 1 << 20),
                                        ("2G", 2 << 30), (7, 7), ("1.5k", 1536)])
def test_sizes(text, value):
    assert parse_bytes(text) == value


def test_bad_values_name_the_key(tmp_path):
    conf = Configuration({"dfs.replication": "three"}, load_site=False)
    with pytest.raises(ConfigError, match="dfs.replication has value 'three'; expected an integer"):
        conf.get_int("dfs.replication")
    with pytest.raises(ConfigError, match="-D expects key=value"):
        parse_define("novalue")
    (tmp_path / "core-site.xml").write_text("<configuration><property>")
    with pytest.raises(ConfigError, match="core-site.xml"):
        Configuration(conf_dir=tmp_path)


def test_round_trips_as_a_plain_dict():
    conf = Configuration({"x.y": "1"}, load_site=False)
    clone = Configuration.from_dict(conf.to_dict())
    assert clone.get("x.y") == "1" and clone.get_int("dfs.replication") == 3
