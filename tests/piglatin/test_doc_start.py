"""Pig 0.17's Getting Started page (start.xml) and the `pig` command line it and cmds.xml
describe: the run modes (pig -x local script, pig script in the default mode, the grunt
shell), pig -e / -f / -c / -version / -help / -P / -D / -l, comments in scripts, statements
that are validated but not run without a DUMP or STORE, the debugging shortcuts (\\d, \\de,
\\e, \\i, \\q) and the order in which properties are applied."""

from __future__ import annotations

import re
from pathlib import Path

from tests.piglatin.docrun import grunt, part_files, pig, rows, write

PASSWD = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
ID_PIG = (
    "/* id.pig */\n\n"
    "A = load 'passwd' using PigStorage(':');  -- load the passwd file \n"
    "B = foreach A generate $0 as id;  -- extract the user IDs \n"
    "store B into 'id.out';  -- write the results to a file name id.out\n"
)
STUDENT = "John\t18\t4.0\nMary\t19\t3.7\nBill\t20\t3.9\nJoe\t22\t3.8\n"
COMMENTED = (
    "/* myscript.pig\nMy script is simple.\nIt includes three Pig Latin statements.\n*/\n\n"
    "A = LOAD 'student' USING PigStorage() AS (name:chararray, age:int, gpa:float); "
    "-- loading data\n"
    "B = FOREACH A GENERATE name;  -- transforming data\n"
    "DUMP B;  -- retrieving results\n"
)


def test_batch_mode_in_local_mode(tmp_path: Path) -> None:
    # "$ pig -x local id.pig"
    write(tmp_path, {"passwd": PASSWD, "id.pig": ID_PIG})
    done = pig(["-x", "local", "id.pig"], tmp_path)
    assert done.returncode == 0, done.stderr
    [part] = part_files(tmp_path / "id.out")
    assert part.read_text() == "root\ndaemon\n"


def test_batch_mode_in_the_default_mode(tmp_path: Path) -> None:
    # "$ pig id.pig": the input beside the script, the output on the cluster's file system
    write(tmp_path, {"passwd": PASSWD, "id.pig": ID_PIG.replace("'id.out'", "'doc_start_id'")})
    done = pig(["id.pig"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "doc_start_id").exists()
    shown = pig(["-e", "fs -cat doc_start_id/part-*"], tmp_path)
    assert shown.stdout.splitlines() == ["root", "daemon"], shown.stderr


def test_interactive_mode(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path, {"passwd": PASSWD})
    typed = (
        "A = load 'passwd' using PigStorage(':'); \nB = foreach A generate $0 as id; \ndump B; \n"
    )
    lines, err = grunt(tmp_path, typed, monkeypatch)
    assert lines == ["(root)", "(daemon)"], err


def test_pig_without_a_script_starts_grunt_in_the_default_mode(tmp_path: Path) -> None:
    write(tmp_path, {"passwd": PASSWD})
    typed = "A = load 'passwd' using PigStorage(':');\nB = foreach A generate $0 as id;\ndump B;\n"
    done = pig([], tmp_path, stdin=typed)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("grunt> ")
    assert rows(done.stdout.replace("grunt> ", "\n")) == ["(root)", "(daemon)"]


def test_comments_in_scripts(tmp_path: Path) -> None:
    write(tmp_path, {"student": STUDENT, "myscript.pig": COMMENTED})
    done = pig(["-x", "local", "myscript.pig"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert rows(done.stdout) == ["(John)", "(Mary)", "(Bill)", "(Joe)"]


def test_statements_without_dump_or_store_are_validated_not_run(tmp_path: Path) -> None:
    # "Pig will validate, but not execute, the LOAD and FOREACH statements": no input needed
    script = (
        "A = LOAD 'student' USING PigStorage() AS (name:chararray, age:int, gpa:float);\n"
        "B = FOREACH A GENERATE name;\n"
    )
    done = pig(["-x", "local", "-e", script], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and "ERROR" not in done.stderr
    bad = pig(["-x", "local", "-e", script.replace("GENERATE name", "GENERATE nmae")], tmp_path)
    assert bad.returncode != 0 and "nmae" in bad.stderr  # validated all the same


def test_execute_and_file_options(tmp_path: Path) -> None:
    write(tmp_path, {"student": STUDENT, "myscript.pig": COMMENTED})
    by_e = pig(["-x", "local", "-e", "A = LOAD 'student' AS (name);", "DUMP A;"], tmp_path)
    by_f = pig(["-x", "local", "-f", "myscript.pig"], tmp_path)
    assert rows(by_e.stdout) == ["(John)", "(Mary)", "(Bill)", "(Joe)"], by_e.stderr
    assert rows(by_f.stdout) == ["(John)", "(Mary)", "(Bill)", "(Joe)"], by_f.stderr


def test_check_syntax_runs_nothing(tmp_path: Path) -> None:
    # cmds.xml's -help: "-c, -check - Syntax check"
    write(
        tmp_path,
        {
            "passwd": PASSWD,
            "id.pig": ID_PIG,
            "bad.pig": "A = LOAD 'x' AS (a:int);\nB = FOREACH A GENERATE b;\n",
        },
    )
    good = pig(["-x", "local", "-c", "id.pig"], tmp_path)
    assert good.returncode == 0 and "syntax OK" in good.stdout + good.stderr
    assert not (tmp_path / "id.out").exists()
    bad = pig(["-x", "local", "-check", "bad.pig"], tmp_path)
    assert bad.returncode != 0 and "[b]" in bad.stderr and "Traceback" not in bad.stderr


def test_version_and_help(tmp_path: Path) -> None:
    version = pig(["-version"], tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("Apache Pig version")
    usage = pig(["-help"], tmp_path)
    assert usage.returncode == 0
    for option in ("-c, -check", "-e, -execute", "-f, -file", "-x, -exectype", "-param"):
        assert option in usage.stdout, option
    props = pig(["-help", "properties"], tmp_path)
    assert props.returncode == 0 and "properties are supported" in props.stdout
    assert "default_parallel" in props.stdout


def test_logfile_option_puts_error_details_there(tmp_path: Path) -> None:
    write(tmp_path, {"bad.pig": "A = LOAD 'x' AS (a:int);\nB = FOREACH A GENERATE b;\n"})
    (tmp_path / "logs").mkdir()
    done = pig(["-x", "local", "-l", "logs", "bad.pig"], tmp_path)
    assert done.returncode != 0
    [log] = list((tmp_path / "logs").glob("pig_*.log"))
    assert "[b]" in log.read_text() and str(log.name) in done.stderr


def test_debugging_shortcuts_in_grunt(tmp_path: Path, monkeypatch) -> None:
    # "\d alias - shortcut for DUMP ... If alias is ignored last defined alias will be used"
    write(tmp_path, {"passwd": PASSWD})
    typed = (
        "A = load 'passwd' using PigStorage(':');\nB = foreach A generate $0 as id;\n"
        "\\d B\n\\de\n\\de A\n\\d\n\\e B\n\\i\n\\q\nDUMP B;\n"
    )
    lines, err = grunt(tmp_path, typed, monkeypatch)
    assert err == ""
    assert lines[:5] == [
        "(root)",
        "(daemon)",
        "B: {id: bytearray}",
        "Schema for A unknown.",
        "(root)",
    ]
    assert lines[5] == "(daemon)"
    text = "\n".join(lines[6:])
    assert "Logical Plan" in text and "Map Reduce Plan" in text  # \e B
    assert re.search(r"^\| B\s+\| id", text, re.M)  # \i: ILLUSTRATE B's table
    assert lines.count("(root)") == 2  # \q left the shell: the last DUMP did not run


def test_dump_and_describe_in_grunt_end_at_the_line(tmp_path: Path, monkeypatch) -> None:
    # grunt's commands end at the end of the line, as Pig's grunt parser takes them
    write(tmp_path, {"passwd": PASSWD})
    typed = "A = load 'passwd' using PigStorage(':') AS (id);\ndescribe A\ndump A\n"
    lines, err = grunt(tmp_path, typed, monkeypatch)
    assert lines == ["A: {id: bytearray}", "(root)", "(daemon)"], err


def test_debugging_shortcuts_in_a_script(tmp_path: Path) -> None:
    write(tmp_path, {"passwd": PASSWD})
    script = (
        "A = load 'passwd' using PigStorage(':');\nB = foreach A generate $0 as id;\n"
        "\\de B;\n\\d B;\n"
    )
    write(tmp_path, {"s.pig": script})
    done = pig(["-x", "local", "s.pig"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[:3] == ["B: {id: bytearray}", "(root)", "(daemon)"]


def test_set_overrides_the_command_lines_properties(tmp_path: Path) -> None:
    # "pig.properties < -D Pig property < -P properties file < set command"
    done = pig(["-x", "local", "-Dmy.key=fromD"], tmp_path, stdin="set my.key fromSet\nset\n")
    assert "my.key=fromSet" in done.stdout.replace("grunt> ", "\n").splitlines(), done.stderr


def test_properties_file_overrides_dash_d(tmp_path: Path) -> None:
    write(tmp_path, {"mypig.properties": "my.key=fromP\n"})
    done = pig(["-x", "local", "-Dmy.key=fromD", "-P", "mypig.properties"], tmp_path, stdin="set\n")
    assert "my.key=fromP" in done.stdout.replace("grunt> ", "\n").splitlines(), done.stderr


def test_a_script_stored_on_the_distributed_file_system(tmp_path: Path) -> None:
    script = ID_PIG.replace("'id.out'", "'doc_start_dfs_script_out'")
    write(tmp_path, {"passwd": PASSWD, "id.pig": script})
    put = pig(
        ["-e", "fs -mkdir -p /doc_start_scripts; fs -put id.pig /doc_start_scripts/"], tmp_path
    )
    assert put.returncode == 0, put.stderr
    (tmp_path / "id.pig").unlink()
    done = pig(["dfs:///doc_start_scripts/id.pig"], tmp_path)
    assert done.returncode == 0, done.stderr
    shown = pig(["-e", "fs -cat doc_start_dfs_script_out/part-*"], tmp_path)
    assert shown.stdout.splitlines() == ["root", "daemon"]


def listed(done) -> list[str]:
    """The key=value lines grunt's `set` printed."""
    return done.stdout.replace("grunt> ", "\n").splitlines()


def test_pig_properties_in_pig_conf_dir(tmp_path: Path) -> None:
    write(tmp_path, {"conf/pig.properties": "my.key=fromFile\nother.key=fromFile\n"})
    env = {"PIG_CONF_DIR": str(tmp_path / "conf")}
    done = pig(["-x", "local", "-Dother.key=fromD"], tmp_path, stdin="set\n", env=env)
    assert {"my.key=fromFile", "other.key=fromD"} <= set(listed(done)), done.stderr


def test_dash_d_properties_in_pig_opts(tmp_path: Path) -> None:
    env = {"PIG_OPTS": "-Dmy.key=fromOpts"}
    done = pig(["-x", "local"], tmp_path, stdin="set\n", env=env)
    assert "my.key=fromOpts" in listed(done), done.stderr
