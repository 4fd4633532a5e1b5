"""Issue 16 item 4: `pig` answers every spelling of help and version (Pig's `-h`/`-help`,
`-i`/`-version`, and the GNU `--help`/`--version` a newcomer tries first) with exit 0, and
grunt's `help` lists its commands. Expected texts: Pig's Main.usage() lists each option as
`-x, -exectype`; Pig's version line starts `Apache Pig version`."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from piglatin.tools import cli
from piglatin.tools.grunt import Grunt


@pytest.mark.parametrize("flag", ["-h", "-help", "--help"])
def test_every_help_spelling_prints_the_usage(flag, capsys):
    assert cli.main([flag]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "USAGE: pig [options]" in out
    # every option pig accepts is described, with its short and long spelling
    for spelling in (
        "-x, -exectype",
        "-p, -param",
        "-m, -param_file",
        "-l, -logfile",
        "-e, -execute",
        "-f, -file",
        "-c, -check",
        "-r, -dryrun",
        "-d, -debug",
        "-i, -version",
        "-h, -help",
        "-P, -propertyFile",
        "-t, -optimizer_off",
        "-v, -verbose",
        "-b, -brief",
        "--debug",
    ):
        assert spelling in out, spelling
    assert "accepted, unused" not in out  # -l works now


@pytest.mark.parametrize("flag", ["-i", "-version", "--version"])
def test_every_version_spelling_prints_the_version(flag, capsys):
    assert cli.main([flag]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"Apache Pig version {cli.PIG_VERSION}") and err == ""


def test_bare_version_and_help_words_when_no_such_script(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["version"]) == 0
    assert capsys.readouterr().out.startswith("Apache Pig version")
    assert cli.main(["help"]) == 0
    assert "USAGE: pig" in capsys.readouterr().out
    # a script that happens to be called `version` still runs as a script
    (tmp_path / "version").write_text("A = LOAD 'x';\n")
    assert cli.main(["-c", "version"]) == 0
    assert "syntax OK" in capsys.readouterr().out


def test_help_properties_and_an_unknown_topic(capsys):
    assert cli.main(["-h", "properties"]) == 0
    assert "default_parallel" in capsys.readouterr().out
    assert cli.main(["-help", "nonsense"]) == 0  # Pig: "Invalid help topic", then the usage
    out = capsys.readouterr().out
    assert "Invalid help topic - nonsense" in out and "USAGE: pig" in out


def test_gnu_long_spellings_of_valued_options(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.txt").write_text("1\n2\n")
    rc = cli.main(
        [
            "--exectype",
            "local",
            "--param",
            "n=1",
            "-e",
            "A = LOAD 'in.txt' AS (x:int); B = FILTER A BY x > $n; DUMP B;",
        ]
    )
    assert rc == 0 and capsys.readouterr().out.splitlines() == ["(2)"]


def test_grunt_help_lists_the_commands():
    out = io.StringIO()
    shell = Grunt(server=None, out=out, err=io.StringIO())
    shell.handle_line("help")
    text = out.getvalue()
    for command in (
        "fs",
        "sh",
        "exec",
        "run",
        "set",
        "describe",
        "dump",
        "explain",
        "illustrate",
        "quit",
        "history",
        "kill",
    ):
        assert f"\n    {command} " in text or f"\n    {command}," in text, command


def test_help_through_the_installed_command():
    done = subprocess.run(
        [sys.executable, "-m", "piglatin.tools.cli", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0 and "USAGE: pig" in done.stdout and done.stderr == ""
