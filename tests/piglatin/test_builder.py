"""Logical plan building: schemas through every operator, type checking, errors."""

from __future__ import annotations

import pytest

from piglatin.plan import logical as L
from piglatin.front.builder import build_text
from piglatin.errors import (
    PigError,
    PlanError,
    SchemaError,
    TypeCheckError,
    UndefinedAliasError,
    UnknownFunctionError,
)
from piglatin.model.schema import DataType

T = DataType
STUDENT = "A = LOAD 'student' AS (name:chararray, age:int, gpa:float);\n"


def describe(script: str, alias: str) -> str:
    return build_text(script).describe(alias)


def gen_expr(script: str, alias: str, i: int = 0) -> L.LExpr:
    op = build_text(script).alias(alias)
    assert isinstance(op, L.LOForEach)
    return op.generate[i].expr


# ------------------------------------------------ DESCRIBE, from the Pig docs
def test_describe_docs_example_with_schema():
    script = STUDENT + (
        "B = FILTER A BY name matches 'J.+';\n"
        "C = GROUP B BY name;\n"
        "D = FOREACH C GENERATE COUNT(B.age);\n"
        "DESCRIBE A; DESCRIBE B; DESCRIBE C; DESCRIBE D;"
    )
    texts = [a.text for a in build_text(script).actions if isinstance(a, L.DescribeAction)]
    assert texts == [
        "A: {name: chararray,age: int,gpa: float}",
        "B: {name: chararray,age: int,gpa: float}",
        "C: {group: chararray,B: {(name: chararray,age: int,gpa: float)}}",
        "D: {long}",
    ]


def test_describe_docs_example_without_schema():
    script = (
        "a = LOAD 'student';\n"
        "b = FILTER a BY $0 matches 'J.+';\n"
        "c = GROUP b BY $0;\n"
        "d = FOREACH c GENERATE COUNT(b.$1);\n"
    )
    assert describe(script, "a") == "Schema for a unknown."
    assert describe(script, "b") == "Schema for b unknown."
    assert describe(script, "c") == "c: {group: bytearray,b: {null}}"
    assert describe(script, "d") == "d: {long}"


def test_describe_nested_alias_docs_example():
    script = (
        "A = LOAD 'studentab10k' AS (name, age, gpa);\n"
        "B = GROUP A BY name;\n"
        "C = FOREACH B {\n     D = DISTINCT A.age;\n     GENERATE COUNT(D), group;}\n"
        "DESCRIBE C::D;\n"
    )
    [action] = [a for a in build_text(script).actions if isinstance(a, L.DescribeAction)]
    assert action.text == "D: {age: bytearray}"


def test_describe_illustrate_docs_example():
    script = (
        "visits = LOAD 'visits.txt' AS (user:chararray, url:chararray, timestamp:chararray);\n"
        "recent_visits = FILTER visits BY timestamp >= '20071201';\n"
        "user_visits = GROUP recent_visits BY user;\n"
        "num_user_visits = FOREACH user_visits GENERATE group, COUNT(recent_visits);\n"
    )
    assert describe(script, "num_user_visits") == "num_user_visits: {group: chararray,long}"


def test_describe_tuple_schema_docs_example():
    script = "A = LOAD 'data' AS (T: tuple (f1:int, f2:int, f3:int));"
    assert describe(script, "A") == "A: {T: (f1: int,f2: int,f3: int)}"


def test_names_only_default_to_bytearray():
    assert describe("A = LOAD 'x' AS (a, b);", "A") == "A: {a: bytearray,b: bytearray}"


@pytest.mark.parametrize(
    ("stmt", "expected"),
    [
        ("B = FILTER A BY age > 20;", "B: {name: chararray,age: int,gpa: float}"),
        ("B = DISTINCT A;", "B: {name: chararray,age: int,gpa: float}"),
        ("B = ORDER A BY gpa DESC, name;", "B: {name: chararray,age: int,gpa: float}"),
        ("B = LIMIT A 3;", "B: {name: chararray,age: int,gpa: float}"),
        ("B = SAMPLE A 0.1;", "B: {name: chararray,age: int,gpa: float}"),
        ("B = UNION A, A;", "B: {name: chararray,age: int,gpa: float}"),
        ("B = RANK A;", "B: {rank_A: long,name: chararray,age: int,gpa: float}"),
        (
            "B = GROUP A BY (name, age);",
            "B: {group: (name: chararray,age: int),A: {(name: chararray,age: int,gpa: float)}}",
        ),
        ("B = GROUP A ALL;", "B: {group: chararray,A: {(name: chararray,age: int,gpa: float)}}"),
        (
            "B = FOREACH A GENERATE name, age * 2, gpa AS g:double;",
            "B: {name: chararray,int,g: double}",
        ),
        ("B = FOREACH A GENERATE *;", "B: {name: chararray,age: int,gpa: float}"),
        ("B = FOREACH A GENERATE age..;", "B: {age: int,gpa: float}"),
        ("B = FOREACH A GENERATE ..age;", "B: {name: chararray,age: int}"),
        ("B = FOREACH A GENERATE $2, (long)age;", "B: {gpa: float,age: long}"),
        ("B = FOREACH A GENERATE TOTUPLE(name, age);", "B: {(name: chararray,age: int)}"),
        ("B = FOREACH A GENERATE (age > 20 ? 'old' : 'young');", "B: {chararray}"),
    ],
)
def test_describe_single_input_operators(stmt, expected):
    assert describe(STUDENT + stmt, "B") == expected


def test_join_prefixes_fields_and_keeps_short_names_usable():
    script = (
        "A = LOAD 'data1' AS (x:int, y:chararray);\n"
        "B = LOAD 'data2' AS (x:int, y:chararray, z:long);\n"
        "C = JOIN A BY x, B BY x;\n"
        "D = FOREACH C GENERATE A::y, z;\n"
    )
    assert (
        describe(script, "C")
        == "C: {A::x: int,A::y: chararray,B::x: int,B::y: chararray,B::z: long}"
    )
    assert describe(script, "D") == "D: {A::y: chararray,B::z: long}"


def test_cross_and_cogroup():
    script = "A = LOAD 'a' AS (x:int); B = LOAD 'b' AS (y:chararray);\nC = CROSS A, B;"
    assert describe(script, "C") == "C: {A::x: int,B::y: chararray}"
    with pytest.raises(TypeCheckError, match="incompatible types: int, chararray"):
        build_text(script + "\nD = COGROUP A BY x, B BY y;")


def test_cogroup_bags_named_after_inputs():
    script = "A = LOAD 'a' AS (x:int, v:chararray); B = LOAD 'b' AS (x:long);\nC = COGROUP A BY x INNER, B BY x;"
    assert describe(script, "C") == "C: {group: long,A: {(x: int,v: chararray)},B: {(x: long)}}"
    op = build_text(script).alias("C")
    assert isinstance(op, L.LOCogroup) and op.inner == (True, False)
    assert isinstance(op.keys[0][0], L.LECast) and op.keys[0][0].type is T.LONG


def test_flatten_group_tuple_and_bags():
    script = STUDENT + (
        "B = GROUP A BY (name, age);\n"
        "C = FOREACH B GENERATE FLATTEN(group), COUNT(A);\n"
        "D = FOREACH B GENERATE FLATTEN(A);\n"
        "E = FOREACH B GENERATE FLATTEN(A) AS (n, a, g);\n"
    )
    assert describe(script, "C") == "C: {group::name: chararray,group::age: int,long}"
    assert describe(script, "D") == "D: {A::name: chararray,A::age: int,A::gpa: float}"
    assert describe(script, "E") == "E: {n: chararray,a: int,g: float}"


def test_bag_projection_and_aggregates():
    script = (
        STUDENT
        + "B = GROUP A BY name;\nC = FOREACH B GENERATE group, A.age, SUM(A.age), AVG(A.gpa), MAX(A.gpa);"
    )
    assert describe(script, "C") == "C: {group: chararray,{(age: int)},long,double,float}"


def test_flatten_of_unknown_bag_makes_schema_unknown_unless_as():
    script = "A = LOAD 'x' AS (b:bag{});\nB = FOREACH A GENERATE FLATTEN(b);\nC = FOREACH A GENERATE FLATTEN(b) AS (p, q:int);"
    assert describe(script, "B") == "Schema for B unknown."
    assert describe(script, "C") == "C: {p: bytearray,q: int}"


def test_union_of_different_widths_is_unknown_and_onschema_merges_by_name():
    script = (
        "A = LOAD 'a' AS (x:int, y:chararray);\nB = LOAD 'b' AS (y:chararray, z:double);\n"
        "C = UNION A, B;\nD = UNION ONSCHEMA A, B;\n"
    )
    # same width: merged by position; int vs chararray and chararray vs double give bytearray
    assert describe(script, "C") == "C: {x: bytearray,y: bytearray}"
    assert describe(script, "D") == "D: {x: int,y: chararray,z: double}"
    script2 = "A = LOAD 'a' AS (x:int); B = LOAD 'b' AS (y:int, z:int);\nC = UNION A, B;"
    assert describe(script2, "C") == "Schema for C unknown."


def test_split_branches_keep_the_input_schema():
    script = STUDENT + "SPLIT A INTO X IF age < 20, Y IF age >= 20, Z OTHERWISE;"
    plan = build_text(script)
    for alias in "XYZ":
        assert plan.describe(alias) == f"{alias}: {{name: chararray,age: int,gpa: float}}"
    z = plan.alias("Z")
    assert isinstance(z, L.LOSplitOutput) and z.cond is None and len(z.others) == 2


def test_nested_foreach_schemas():
    script = STUDENT + (
        "B = GROUP A BY name;\n"
        "C = FOREACH B { x = FILTER A BY gpa > 3.5; y = ORDER x BY age DESC; z = LIMIT y 2;"
        " GENERATE group, COUNT(z) AS n, z.age; };\n"
    )
    assert describe(script, "C") == "C: {group: chararray,n: long,{(age: int)}}"
    op = build_text(script).alias("C")
    assert [n.kind for n in op.nested] == ["filter", "order", "limit"]
    assert op.nested[1].keys[0].ascending is False


def test_unknown_schema_positional_access():
    script = "A = LOAD 'x';\nB = FOREACH A GENERATE $0, $2 + 1;"
    assert describe(script, "B") == "B: {bytearray,int}"


# ---------------------------------------------------------------- type checks
def test_incompatible_add_names_both_types():
    script = "A = LOAD 'x' AS (name:chararray, age:int);\nB = FOREACH A GENERATE name + age;"
    with pytest.raises(TypeCheckError) as info:
        build_text(script, file="q.pig")
    e = info.value
    assert e.code == 1039
    assert (
        e.message
        == "In alias B, incompatible types in Add Operator left hand side:chararray right hand side:int"
    )
    assert (e.file, e.line, e.column) == ("q.pig", 2, 29)  # at the operator, as Pig does
    assert "line 2, column 28" in e.format()  # Pig's 0-based column
    assert e.format().splitlines()[1:] == [
        "  --> q.pig:2:29",
        "B = FOREACH A GENERATE name + age;",
        " " * 28 + "^",
    ]


def test_implicit_casts_are_inserted():
    script = "A = LOAD 'x' AS (b, i:int, l:long, d:double);\nB = FOREACH A GENERATE b + i, i + l, b + b, i * d;"
    op = build_text(script).alias("B")
    e0, e1, e2, e3 = (g.expr for g in op.generate)
    assert e0.type is T.INT and isinstance(e0.left, L.LECast) and e0.left.type is T.INT
    assert (
        e1.type is T.LONG and isinstance(e1.left, L.LECast) and not isinstance(e1.right, L.LECast)
    )
    assert e2.type is T.DOUBLE and isinstance(e2.left, L.LECast) and isinstance(e2.right, L.LECast)
    assert e3.type is T.DOUBLE


def test_comparison_casts_bytearray_to_other_side():
    script = "A = LOAD 'x' AS (b, s:chararray);\nB = FILTER A BY b == s;"
    cond = build_text(script).alias("B").cond
    assert isinstance(cond.left, L.LECast) and cond.left.type is T.CHARARRAY


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        (
            "s == i",
            "incompatible types in Equal Operator left hand side:chararray right hand side:int",
        ),
        (
            "f % i > 0",
            "incompatible types in Mod Operator left hand side:float right hand side:int",
        ),
        ("i AND s == 'x'", "Operands of AND/OR can be boolean only"),
        ("NOT i", "NOT can be used with boolean only"),
        ("i", "Filter's condition must evaluate to boolean. Found: int"),
        ("(i > 0 ? s : i) == 1", "two inputs of BinCond must have compatible schemas"),
        ("-s == 1", "NEG can be used with numbers or Bytearray only"),
    ],
)
def test_type_errors(expr, message):
    script = f"A = LOAD 'x' AS (s:chararray, i:int, f:float);\nB = FILTER A BY {expr};"
    with pytest.raises(
        TypeCheckError, match=message.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")
    ):
        build_text(script)


def test_cast_rules():
    ok = "A = LOAD 'x' AS (b, s:chararray, i:int);\nB = FOREACH A GENERATE (int)b, (chararray)i, (int)s, (bag{tuple(int)})b;"
    assert describe(ok, "B") == "B: {b: int,i: chararray,s: int,b: {(int)}}"
    with pytest.raises(TypeCheckError, match="Cannot cast to bytearray"):
        build_text("A = LOAD 'x' AS (i:int);\nB = FOREACH A GENERATE (bytearray)i;")
    with pytest.raises(TypeCheckError, match="Cannot cast int to bag"):
        build_text("A = LOAD 'x' AS (i:int);\nB = FOREACH A GENERATE (bag{})i;")


def test_a_name_an_as_clause_gives_twice_is_error_1108():
    # Pig's SchemaAliasVisitor (ERROR 1108), checked for the names AS clauses give
    base = "A = LOAD 'x' AS (a:int, b:int, t:tuple(p:int, q:int));\n"
    for gen in ("a, b AS a", "b AS a, a", "a AS x, b AS x", "t AS a, a",
                "FLATTEN(t) AS (a, q), a"):  # fmt: skip
        with pytest.raises(SchemaError, match='Duplicate schema alias: a in "B"|x in "B"'):
            build_text(base + f"B = FOREACH A GENERATE {gen};")
    assert describe(base + "B = FOREACH A GENERATE a, b AS c;", "B") == "B: {a: int,c: int}"


def test_case_is_lowered_to_bincond():
    script = "A = LOAD 'x' AS (i:int);\nB = FOREACH A GENERATE CASE i WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END;"
    e = gen_expr(script, "B")
    assert isinstance(e, L.LEBinCond) and isinstance(e.otherwise, L.LEBinCond)
    assert e.type is T.CHARARRAY


def test_limit_must_be_integral():
    with pytest.raises(TypeCheckError, match="LIMIT needs an int or long"):
        build_text(STUDENT + "B = LIMIT A 'x';")


# ------------------------------------------------------------- name problems
def test_unknown_alias_suggests_closest():
    with pytest.raises(UndefinedAliasError) as info:
        build_text("students = LOAD 'x';\nB = FILTER studnets BY $0 > 1;", file="q.pig")
    e = info.value
    assert "Undefined alias: studnets." in e.message and "Did you mean 'students'?" in e.message
    assert (e.line, e.column, e.file) == (2, 12, "q.pig")  # at the alias itself


def test_unknown_field_suggests_closest():
    with pytest.raises(SchemaError) as info:
        build_text(STUDENT + "B = FOREACH A GENERATE nmae;")
    msg = info.value.message
    assert (
        "Projected field [nmae] does not exist in schema: name:chararray,age:int,gpa:float." in msg
    )
    assert "Did you mean 'name'?" in msg
    assert info.value.code == 1025


def test_ambiguous_field_after_join():
    script = "A = LOAD 'a' AS (x:int); B = LOAD 'b' AS (x:int);\nC = JOIN A BY x, B BY x;\nD = FOREACH C GENERATE x;"
    with pytest.raises(SchemaError, match="Found more than one match: A::x, B::x"):
        build_text(script)


def test_unknown_function_suggests_builtin():
    with pytest.raises(UnknownFunctionError) as info:
        build_text(STUDENT + "B = GROUP A ALL;\nC = FOREACH B GENERATE count(A);")
    assert "Could not resolve count" in info.value.message
    assert "Did you mean 'COUNT'?" in info.value.message


def test_field_by_name_on_unknown_schema():
    with pytest.raises(SchemaError, match=r"Projected field \[name\] does not exist"):
        build_text("A = LOAD 'x';\nB = FOREACH A GENERATE name;")


def test_positional_out_of_range():
    with pytest.raises(SchemaError, match="non-existent column: 5"):
        build_text(STUDENT + "B = FOREACH A GENERATE $5;")


# ---------------------------------------------------------------- join rules
@pytest.mark.parametrize(
    ("stmt", "message"),
    [
        (
            "C = JOIN A BY name FULL OUTER, B BY name USING 'replicated';",
            r"Replicated join does not support \(right\|full\) outer joins",
        ),
        (
            "C = JOIN A BY name RIGHT, B BY name USING 'replicated';",
            r"Replicated join does not support \(right\|full\) outer joins",
        ),
        (
            "C = JOIN A BY name, B BY name, D BY name USING 'skewed';",
            "Skewed join can only be applied for 2-way joins",
        ),
        (
            "C = JOIN A BY name, B BY name, D BY name USING 'merge';",
            "Merge join can only be applied for 2-way joins",
        ),
        ("C = JOIN A BY name LEFT, B BY name, D BY name;", "only supported for two inputs"),
        ("C = JOIN A BY name, B BY name USING 'fast';", "Unknown JOIN strategy 'fast'"),
    ],
)
def test_join_strategy_rules(stmt, message):
    script = (
        STUDENT + "B = LOAD 'b' AS (name:chararray); D = LOAD 'd' AS (name:chararray);\n" + stmt
    )
    with pytest.raises(PlanError, match=message):
        build_text(script)


def test_join_plan_node():
    script = (
        STUDENT
        + "B = LOAD 'b' AS (name:chararray, n:long);\nC = JOIN A BY (name, age), B BY (name, n) USING 'replicated' PARALLEL 4;"
    )
    op = build_text(script).alias("C")
    assert isinstance(op, L.LOJoin)
    assert (op.join_type, op.strategy, op.parallel) == ("inner", "replicated", 4)
    assert op.inputs == ("A", "B")
    assert [k.type for k in op.keys[0]] == [T.CHARARRAY, T.LONG]  # int key widened to long


def test_left_outer_join_type():
    script = (
        STUDENT + "B = LOAD 'b' AS (name:chararray);\nC = JOIN A BY name LEFT OUTER, B BY name;"
    )
    assert build_text(script).alias("C").join_type == "left"


# ------------------------------------------------------------ plan structure
def test_plan_is_a_dag_of_aliases_with_sinks_and_actions():
    script = STUDENT + (
        "SET default_parallel 3;\n"
        "A = FILTER A BY age > 18;\n"
        "B = GROUP A BY name;\n"
        "STORE B INTO 'out';\n"
        "DUMP A;\n"
        "EXPLAIN B;\n"
    )
    plan = build_text(script)
    ids = [op.op_id for op in plan.operators]
    assert ids[0] == "A" and ids[1] != "A"  # the reassigned alias gets a fresh op id
    filt = plan.op(ids[1])
    assert isinstance(filt, L.LOFilter) and filt.inputs == ("A",)
    assert plan.alias("A") is filt
    store, dump = plan.sinks()
    assert (
        isinstance(store, L.LOStore)
        and store.path == "out"
        and store.inputs == (plan.alias("B").op_id,)
    )
    assert isinstance(dump, L.LODump) and dump.inputs == (filt.op_id,)
    kinds = [type(a).__name__ for a in plan.actions]
    assert kinds == ["SetAction", "RunSink", "RunSink", "ExplainAction"]
    assert [op.op_id for op in plan.upstream(store.op_id)] == [
        "A",
        filt.op_id,
        plan.alias("B").op_id,
        store.op_id,
    ]
    assert "LOCogroup" in plan.explain(store.op_id)


def test_positions_on_plan_nodes():
    plan = build_text(STUDENT + "\nB = FILTER A BY age > 1;")
    op = plan.alias("B")
    assert (op.line, op.column) == (3, 5)


def test_define_and_registered_udfs():
    script = (
        "REGISTER 'udfs.py' USING jython AS myfuncs;\n"
        "DEFINE tok TOKENIZE();\n"
        + STUDENT
        + "B = FOREACH A GENERATE myfuncs.square(age), FLATTEN(tok(name)) AS word;"
    )
    plan = build_text(script)
    sq, tk = (g.expr for g in plan.alias("B").generate)
    assert isinstance(sq, L.LEFunc) and sq.kind == "udf" and sq.func == "myfuncs.square"
    assert isinstance(tk, L.LEFunc) and tk.kind == "define" and tk.func == "TOKENIZE"
    assert plan.describe("B") == "B: {bytearray,word: chararray}"
    assert [type(a).__name__ for a in plan.actions] == ["RegisterAction", "DefineAction"]


def test_udf_output_schema_hook():
    from piglatin.front.builder import Functions
    from piglatin.model.schema import FieldSchema

    funcs = Functions(udf_schema=lambda path, ns, name: FieldSchema("sq", T.LONG))
    script = (
        "REGISTER 'u.py' USING jython AS u;\n" + STUDENT + "B = FOREACH A GENERATE u.square(age);"
    )
    assert build_text(script, functions=funcs).describe("B") == "B: {sq: long}"


def test_errors_are_pig_errors_with_format():
    with pytest.raises(PigError) as info:
        build_text(STUDENT + "B = FILTER A BY agee > 1;", file="s.pig")
    lines = info.value.format().splitlines()
    assert lines[0].startswith(
        "ERROR 1025: <file s.pig, line 2, column 16> Invalid field projection."
    )
    assert lines[1] == "  --> s.pig:2:17"
    assert lines[3] == " " * 16 + "^"


def test_dump_and_describe_of_unknown_alias_use_pig_1003():
    for stmt in ("DUMP Z;", "DESCRIBE Z;"):
        with pytest.raises(UndefinedAliasError) as info:
            build_text("A = LOAD 'a' AS (n:int);\n" + stmt)
        assert info.value.code == 1003
        assert "Unable to find an operator for alias Z" in info.value.message


def test_sum_of_chararray_is_refused():
    with pytest.raises(TypeCheckError) as info:
        build_text(
            "A = LOAD 'a' AS (k:chararray, s:chararray);\nB = GROUP A BY k;\nC = FOREACH B GENERATE SUM(A.s);"
        )
    assert info.value.code == 1045 and "org.apache.pig.builtin.SUM" in info.value.message


def test_scalar_projection_of_a_one_row_relation():
    script = (
        "A = LOAD 'a' AS (n:int);\nG = GROUP A ALL;\nT = FOREACH G GENERATE SUM(A.n) AS total;\n"
        "B = FOREACH A GENERATE n, (double)n / T.total;"
    )
    plan = build_text(script)
    assert plan.describe("B") == "B: {n: int,double}"
    assert plan.scalars == (("B", "T"),)
    assert [op.op_id for op in plan.upstream("B")] == ["A", "G", "T", "B"]
    div = plan.alias("B").generate[1].expr
    assert isinstance(div.right, L.LECast) and isinstance(div.right.operand, L.LEScalar)


def test_inline_relation_and_nested_foreach():
    script = "A = LOAD 'a' AS (k:chararray, n:int);\nE = FOREACH (GROUP A ALL) GENERATE COUNT(A);"
    plan = build_text(script)
    assert plan.describe("E") == "E: {long}"
    assert isinstance(plan.op(plan.alias("E").inputs[0]), L.LOCogroup)
    nested = "A = LOAD 'a' AS (k:chararray, n:int);\nB = GROUP A BY k;\nC = FOREACH B { sq = FOREACH A GENERATE n * n AS s; GENERATE group, SUM(sq.s); };"
    assert describe(nested, "C") == "C: {group: chararray,long}"


def test_jsonloader_schema_argument():
    script = "A = LOAD 'a.json' USING JsonLoader('n:int, s:chararray');\nB = FOREACH A GENERATE n * 10, s;"
    assert describe(script, "A") == "A: {n: int,s: chararray}"


def test_python_udf_output_schema_is_read_from_the_decorator(tmp_path):
    from piglatin.front.builder import Functions

    (tmp_path / "udfs.py").write_text(
        "@outputSchema('shout:chararray')\ndef shout(s):\n    return s.upper()\n\n"
        "@outputSchema('t:(a:int, b:int)')\ndef pair(x):\n    return (x, x)\n\n"
        "def other(s):\n    return s\n"  # no outputSchema: bytearray, as Pig
    )
    script = "REGISTER 'udfs.py' USING jython AS u;\nA = LOAD 'a' AS (s:chararray);\nB = FOREACH A GENERATE u.shout(s), u.pair(1), u.other(s);"
    plan = build_text(script, functions=Functions(base_dir=str(tmp_path)))
    assert plan.describe("B") == "B: {shout: chararray,t: (a: int,b: int),bytearray}"


def test_feed_builds_incrementally_like_grunt():
    from piglatin.front.builder import Builder

    b = Builder()
    assert b.feed("A = LOAD 'a' AS (n:int, s:chararray);") == []
    [describe_action] = b.feed("B = FILTER A BY n > 1;\nDESCRIBE B;")
    assert describe_action.text == "B: {n: int,s: chararray}"
    with pytest.raises(UndefinedAliasError):
        b.feed("C = DISTINCT Q;", file="grunt")
    [sink] = b.feed("DUMP B;")  # the session survives an error
    assert isinstance(sink, L.RunSink) and b.plan().op(sink.op_id).inputs == (
        b.plan().alias("B").op_id,
    )


def test_builtin_arguments_of_unknown_type_are_cast():
    script = "A = LOAD 'a' AS (b);\nB = FOREACH A GENERATE UPPER(b), ABS(b), ROUND(b);"
    up, ab, rd = (g.expr for g in build_text(script).alias("B").generate)
    assert (
        isinstance(up.args[0], L.LECast)
        and up.args[0].type is T.CHARARRAY
        and up.type is T.CHARARRAY
    )
    assert isinstance(ab.args[0], L.LECast) and ab.type is T.DOUBLE
    assert rd.type is T.LONG


def test_aggregate_of_a_non_bag_is_refused():
    with pytest.raises(TypeCheckError, match="org.apache.pig.builtin.COUNT"):
        build_text("A = LOAD 'a' AS (n:int);\nB = FOREACH A GENERATE COUNT(n);")


def test_explain_prints_the_plan_as_a_tree():
    script = (
        STUDENT
        + "B = GROUP A BY name;\nC = FOREACH B GENERATE group, COUNT(A);\nSTORE C INTO 'out';"
    )
    text = build_text(script).explain()
    lines = text.splitlines()
    assert lines[1] == "# New Logical Plan:"
    assert lines[3].startswith("store_") and "LOStore 'out'" in lines[3]
    assert lines[5].startswith("|---C: (Name: LOForEach GENERATE group,COUNT(A)")
    assert lines[7].startswith("    |---B: (Name: LOCogroup BY name")
    assert lines[9].startswith("        |---A: (Name: LOLoad 'student'")


def test_numeric_constants_are_promoted_without_a_cast():
    cond = (
        build_text("A = LOAD 'a' AS (n:long, d:double);\nB = FILTER A BY n > 2 AND d < 1;")
        .alias("B")
        .cond
    )
    assert cond.left.right == L.LEConst(2, L.FieldSchema(None, T.LONG))
    assert cond.right.right == L.LEConst(1.0, L.FieldSchema(None, T.DOUBLE))


def test_in_is_sugar_for_or_of_equalities():
    cond = build_text("A = LOAD 'a' AS (id:int);\nB = FILTER A BY id IN (1, 2, 3);").alias("B").cond
    assert isinstance(cond, L.LEBinary) and cond.op == "or"
    assert isinstance(cond.left, L.LEBinary) and cond.left.op == "or"
    assert cond.right.op == "==" and cond.right.right == L.LEConst(3, L.FieldSchema(None, T.INT))


def test_flatten_as_with_types_records_the_casts():
    script = STUDENT + "B = GROUP A BY name;\nC = FOREACH B GENERATE FLATTEN(A) AS (n, a:long, g);"
    [item] = [g for g in build_text(script).alias("C").generate if g.flatten]
    assert item.casts == (None, T.LONG, None)
    unknown = "A = LOAD 'x' AS (b:bag{});\nB = FOREACH A GENERATE FLATTEN(b) AS (p, q:int);"
    [item] = build_text(unknown).alias("B").generate
    assert item.casts == (None, T.INT)


def test_self_join_of_one_alias_is_refused_like_pig():
    script = "A = LOAD 'a' AS (x:int);\nB = JOIN A BY x, A BY x;"
    with pytest.raises(SchemaError) as info:
        build_text(script)
    assert info.value.code == 1108
    assert 'Duplicate schema alias: A::x in "B"' in info.value.message
    assert "LOAD the input twice" in info.value.message


def test_projection_by_name_from_a_bag_without_schema():
    with pytest.raises(
        SchemaError, match=r"Projected field \[name\] does not exist: the bag has no schema"
    ):
        build_text("A = LOAD 'x';\nB = GROUP A BY $0;\nC = FOREACH B GENERATE A.name;")
    assert (
        describe("A = LOAD 'x';\nB = GROUP A BY $0;\nC = FOREACH B GENERATE A.$1;", "C")
        == "C: {{null}}"
    )


def test_limit_of_a_field_is_explained():
    with pytest.raises(SchemaError, match="LIMIT needs a constant or a scalar"):
        build_text(STUDENT + "B = LIMIT A age;")
    plan = build_text(
        STUDENT + "G = GROUP A ALL;\nT = FOREACH G GENERATE COUNT(A) AS n;\nB = LIMIT A T.n;"
    )
    assert isinstance(plan.alias("B").count, L.LEScalar)
