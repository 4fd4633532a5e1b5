"""REGISTER ... USING <engine>: Pig 0.17 has the script engines jython, streaming_python,
javascript, jruby and groovy (ScriptEngine.SupportedScriptLang; udf.xml); here only Python UDF
files run, so the other three are refused when the script is compiled, with one error that
names the engine and the fix, and an engine Pig does not know is refused as Pig refuses it
(ScriptEngine.getInstance: "Could not load ScriptEngine"). Before, such a REGISTER was accepted
and every call failed inside the task with an internal NotImplementedError."""

from __future__ import annotations

from pathlib import Path

import pytest

from piglatin.tools import cli

BODY = "A = LOAD 'in' AS (x:chararray);\nB = FOREACH A GENERATE {call};\nDUMP B;\n"


@pytest.mark.parametrize(
    "register,name",
    [
        ("REGISTER 'udf.js' USING javascript AS myfuncs;", "JavaScript"),
        ("REGISTER 'udf.js' USING org.apache.pig.scripting.js.JsScriptEngine AS myfuncs;",
         "JavaScript"),
        ("REGISTER 'udf.rb' USING jruby AS myfuncs;", "Ruby (JRuby)"),
        ("REGISTER 'udf.groovy' USING groovy AS myfuncs;", "Groovy"),
    ],
)  # fmt: skip
def test_other_script_engines_are_refused_at_compile(
    tmp_path: Path, monkeypatch, capsys, register: str, name: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").write_text("a\n")
    for f in ("udf.js", "udf.rb", "udf.groovy"):
        (tmp_path / f).write_text("function helloworld() { return 'Hello, World'; }\n")
    (tmp_path / "s.pig").write_text(register + "\n" + BODY.format(call="myfuncs.helloworld()"))
    assert cli.main(["-x", "local", "s.pig"]) != 0
    err = capsys.readouterr().err
    assert f"{name} UDFs are not supported" in err
    assert "<file s.pig, line 1" in err
    assert "USING jython AS" in err  # the fix
    assert "Traceback" not in err and "NotImplementedError" not in err
    assert "HadoopJobId" not in err and "job_local" not in err  # refused before any job


def test_an_unknown_engine_is_refused_as_pig_does(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").write_text("a\n")
    (tmp_path / "u.pl").write_text("sub f { 1 }\n")
    (tmp_path / "s.pig").write_text(
        "REGISTER 'u.pl' USING perl AS p;\n" + BODY.format(call="p.f()")
    )
    assert cli.main(["-x", "local", "s.pig"]) != 0
    err = capsys.readouterr().err
    assert "Could not load ScriptEngine: perl" in err and "Traceback" not in err


JYTHON = "org.apache.pig.scripting.jython.JythonScriptEngine"


@pytest.mark.parametrize("engine", ["jython", "streaming_python", "Jython", JYTHON])
def test_python_engines_still_run(tmp_path: Path, monkeypatch, capsys, engine: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").write_text("a\n")
    (tmp_path / "u.py").write_text(
        "from pig_util import outputSchema\n\n"
        "@outputSchema('w:chararray')\ndef hello(x):\n    return 'Hello, ' + x\n"
    )
    (tmp_path / "s.pig").write_text(
        f"REGISTER 'u.py' USING {engine} AS u;\n" + BODY.format(call="u.hello(x)")
    )
    assert cli.main(["-x", "local", "s.pig"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "(Hello, a)"
