"""Parameter substitution, with the cases of Pig's "Parameter Substitution" docs."""

from __future__ import annotations

import pytest

from piglatin.errors import ParameterError
from piglatin.front.preprocess import (
    load_param_files,
    parse_param_args,
    parse_param_file,
    substitute,
)


def test_command_line_parameter():
    script = "A = LOAD '$data' USING PigStorage() AS (f1:int, f2:int, f3:int);\nDUMP A;"
    out = substitute(script, parse_param_args(["data=mydata"]))
    assert out == "A = LOAD 'mydata' USING PigStorage() AS (f1:int, f2:int, f3:int);\nDUMP A;"


def test_param_file_with_comment_and_command(tmp_path):
    f = tmp_path / "myparams"
    f.write_text("# my parameters\n\ndata1 = mydata1\ncmd = `echo generated_name`\n")
    assert load_param_files([f]) == {"data1": "mydata1", "cmd": "generated_name"}
    out = substitute("A = LOAD '$data1/$cmd';", param_files=[f])
    assert out == "A = LOAD 'mydata1/generated_name';"


def test_default_is_used_when_nothing_else_defines_it():
    script = "%default DATE '20090101';\nA = load '/data/mydata/$DATE';"
    assert substitute(script) == "\nA = load '/data/mydata/20090101';"
    assert substitute(script, {"DATE": "20100505"}) == "\nA = load '/data/mydata/20100505';"


def test_declare_with_escaped_quote_keeps_the_pig_string_valid():
    script = "%declare DES 'Joe\\'s URL';\nB = FILTER A BY description == '$DES';"
    assert substitute(script).splitlines()[1] == "B = FILTER A BY description == 'Joe\\'s URL';"


def test_declare_value_can_use_other_parameters_and_a_command():
    script = "%declare CMD `echo $mycmd $date`\nA = LOAD '/data/mydata/$CMD';"
    out = substitute(script, {"mycmd": "run", "date": "20090101"})
    assert out.splitlines()[1] == "A = LOAD '/data/mydata/run 20090101';"


def test_precedence_declare_then_command_line_then_file_then_default(tmp_path):
    f = tmp_path / "p"
    f.write_text("a = file\nb = file\nc = file\n")
    script = "%default a default\n%default b default\n%default c default\n%default d default\n%declare a declared\nX = '$a $b $c $d';"
    out = substitute(script, {"a": "cli", "b": "cli"}, param_files=[f]).splitlines()[-1]
    assert out == "X = 'declared cli file default';"


def test_declare_scope_starts_after_the_statement():
    script = "A = '$x';\n%declare x two\nB = '$x';"
    assert substitute(script, {"x": "one"}).splitlines() == ["A = 'one';", "", "B = 'two';"]


def test_later_values_win():
    assert parse_param_args(["x=1", "x=2"]) == {"x": "2"}
    assert parse_param_file("x = 1\nx = 2\n") == {"x": "2"}


def test_later_file_wins(tmp_path):
    (tmp_path / "one").write_text("x = 1\ny = 1\n")
    (tmp_path / "two").write_text("x = 2\n")
    assert load_param_files([tmp_path / "one", tmp_path / "two"]) == {"x": "2", "y": "1"}


def test_quoted_values_are_unquoted():
    assert parse_param_args(["msg='hello world'", 'n="a b"']) == {"msg": "hello world", "n": "a b"}


def test_names_are_case_insensitive():
    assert substitute("A = '$Data';", {"DATA": "x"}) == "A = 'x';"


def test_positional_fields_escapes_and_comments_are_left_alone():
    script = "B = FILTER A BY $0 > '\\$x'; -- $nothing\n/* $none\n still $none */ C = '${y}';"
    out = substitute(script, {"y": "Y"})
    assert out == "B = FILTER A BY $0 > '$x'; -- $nothing\n/* $none\n still $none */ C = 'Y';"


def test_undefined_parameter_is_an_error_with_location():
    with pytest.raises(ParameterError) as info:
        substitute("A = LOAD 'x';\nB = LOAD '$input';", file="q.pig")
    e = info.value
    assert (e.file, e.line, e.column) == ("q.pig", 2, 11)
    assert "Undefined parameter : input" in e.format()


def test_bad_param_arguments():
    with pytest.raises(ParameterError, match="name=value"):
        parse_param_args(["novalue"])
    with pytest.raises(ParameterError, match="expected name = value"):
        parse_param_file("just words\n")


def test_missing_param_file(tmp_path):
    with pytest.raises(ParameterError, match="Cannot read parameter file"):
        load_param_files([tmp_path / "absent"])


def test_line_numbers_are_preserved():
    script = "%default a 1\n%declare b 2\nX = $a + $b;\n"
    out = substitute(script)
    assert out.split("\n") == ["", "", "X = 1 + 2;", ""]


def test_directive_values_may_carry_a_trailing_comment():
    script = "%default n 10 -- rows\n%declare s 'a -- b'; -- note\nX = '$n $s';"
    assert substitute(script).splitlines()[-1] == "X = '10 a -- b';"


def test_exec_and_run_arguments():
    from piglatin.front.preprocess import parse_run_args

    params, files, script = parse_run_args(
        "-param x=1 -param 'msg=a b' -param_file p.txt other.pig"
    )
    assert (params, files, script) == ({"x": "1", "msg": "a b"}, ["p.txt"], "other.pig")
    assert parse_run_args("") == ({}, [], None)
    with pytest.raises(ParameterError, match="Unknown option -x"):
        parse_run_args("-x other.pig")


def test_a_macro_body_keeps_its_own_parameters_for_the_parser():
    """Pig's macros name their parameters $A in the body (DEFINE m(A, k) RETURNS C { ... });
    those are the macro's, not the script's: left as written, so the parser can say macros
    are not supported, where it said "Undefined parameter : A"."""
    script = (
        "DEFINE my_macro(A, sortkey) RETURNS C {\n"
        "  B = FILTER $A BY $limit > 0;\n"
        "  $C = ORDER B BY $sortkey;\n"
        "};\n"
        "X = LOAD '$input';\n"
        "DEFINE m2(R)\n RETURNS S\n{ $S = DISTINCT $R; }\n;\n"
        "Y = FILTER X BY $0 > $limit;\n"
    )
    out = substitute(script, {"input": "data.txt", "limit": "5"}).split("\n")
    assert out[1] == "  B = FILTER $A BY 5 > 0;"  # a script parameter is still substituted
    assert out[2] == "  $C = ORDER B BY $sortkey;"
    assert out[4] == "X = LOAD 'data.txt';"
    assert out[7] == "{ $S = DISTINCT $R; }"
    assert out[9] == "Y = FILTER X BY $0 > 5;"
    with pytest.raises(ParameterError, match="Undefined parameter : nope"):
        substitute("DEFINE m(A) RETURNS B { $B = $A; };\nX = LOAD '$nope';")
