"""Property: `parse(pretty(tree)) == tree` for generated Pig Latin syntax trees."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.front import ast as A
from piglatin.front.parser import parse, pretty
from piglatin.model.schema import DataType, FieldSchema, Schema

NAMES = st.sampled_from(["a", "b", "name", "age", "x1", "_y", "A::x", "grp::k", "Group2"])
ALIASES = st.sampled_from(["A", "B", "rel", "R2", "in_1"])
SIMPLE = [t for t in DataType if t.is_atomic]

ints = st.integers(min_value=-(2**31), max_value=2**31 - 1).map(lambda v: A.Const(v, "int"))
longs = st.integers(min_value=-(2**62), max_value=2**62).map(lambda v: A.Const(v, "long"))
doubles = st.floats(allow_nan=False, allow_infinity=False, width=64).map(
    lambda v: A.Const(v, "double")
)
floats = st.floats(allow_nan=False, allow_infinity=False, width=32).map(
    lambda v: A.Const(v, "float")
)
strings = st.text(st.characters(blacklist_categories=("Cs",)), max_size=8).map(
    lambda v: A.Const(v, "chararray")
)
consts = st.one_of(
    ints,
    longs,
    doubles,
    floats,
    strings,
    st.booleans().map(lambda v: A.Const(v, "boolean")),
    st.just(A.Const(None, "null")),
)
refs = st.one_of(NAMES.map(A.FieldRef), st.integers(0, 50).map(A.PosRef))


def _field_key(f: FieldSchema) -> object:
    """Field names must be unique within a schema (ERROR 1108); unnamed ones may repeat."""
    return f.name if f.name is not None else object()


def simple_field(name_ok: bool = True) -> st.SearchStrategy[FieldSchema]:
    names = st.one_of(st.none(), st.sampled_from(["f", "g", "t2"])) if name_ok else st.none()
    return st.builds(FieldSchema, names, st.sampled_from(SIMPLE))


field_schemas = st.recursive(
    simple_field(),
    lambda inner: st.one_of(
        st.builds(
            lambda n, fs: FieldSchema(n, DataType.TUPLE, Schema(tuple(fs))),
            st.sampled_from([None, "t"]),
            st.lists(inner, max_size=3, unique_by=_field_key),
        ),
        st.builds(
            lambda n, tn, fs: FieldSchema(
                n, DataType.BAG, Schema((FieldSchema(tn, DataType.TUPLE, Schema(tuple(fs))),))
            ),
            st.sampled_from([None, "b"]),
            st.sampled_from([None, "tt"]),
            st.lists(inner, max_size=3, unique_by=_field_key),
        ),
        st.builds(
            lambda n, v: FieldSchema(n, DataType.MAP, Schema((v.renamed(None),)) if v else None),
            st.sampled_from([None, "m"]),
            st.one_of(st.none(), inner),
        ),
    ),
    max_leaves=4,
)


def _not_neg_const(e: A.Expr) -> bool:
    return not isinstance(e, A.Const)


def exprs() -> st.SearchStrategy[A.Expr]:
    def extend(inner):
        ops = st.sampled_from(
            ["+", "-", "*", "/", "%", "==", "!=", "<", ">", "<=", ">=", "and", "or", "matches"]
        )
        return st.one_of(
            st.builds(A.BinOp, ops, inner, inner),
            st.builds(A.Neg, inner.filter(_not_neg_const)),
            st.builds(A.Not, inner),
            st.builds(A.IsNull, inner, st.booleans()),
            st.builds(A.In, inner, st.lists(inner, min_size=1, max_size=3).map(tuple)),
            st.builds(A.BinCond, inner, inner, inner),
            st.builds(
                A.Case,
                st.one_of(st.none(), inner),
                st.lists(st.tuples(inner, inner), min_size=1, max_size=2).map(tuple),
                st.one_of(st.none(), inner),
            ),
            st.builds(lambda fs, e: A.Cast(Schema((fs.renamed(None),)), e), field_schemas, inner),
            st.builds(
                A.FuncCall,
                st.sampled_from(["COUNT", "SUM", "ns.f", "TOTUPLE"]),
                st.lists(inner, max_size=3).map(tuple),
            ),
            st.builds(
                A.Project,
                inner.filter(lambda e: isinstance(e, A.FieldRef | A.Project | A.FuncCall)),
                st.lists(refs, min_size=1, max_size=1).map(tuple),
                st.just(False),
            ),
            st.builds(
                A.Project,
                inner.filter(lambda e: isinstance(e, A.FieldRef)),
                st.lists(refs, min_size=1, max_size=3).map(tuple),
                st.just(True),
            ),
            st.builds(
                A.MapLookup,
                inner.filter(lambda e: isinstance(e, A.FieldRef | A.MapLookup)),
                st.text("abc#'\\", max_size=4),
            ),
            st.builds(A.TupleExpr, st.lists(inner, min_size=2, max_size=3).map(tuple)),
            st.builds(
                A.BagExpr,
                st.lists(
                    # `((1, 2))` reads as the tuple (1, 2): a 1-tuple of a tuple has no syntax
                    st.lists(inner, min_size=1, max_size=2)
                    .filter(lambda xs: len(xs) > 1 or not isinstance(xs[0], A.TupleExpr))
                    .map(lambda xs: A.TupleExpr(tuple(xs))),
                    max_size=2,
                ).map(tuple),
            ),
            st.builds(
                A.MapExpr,
                st.lists(st.tuples(st.text("kq", max_size=3), inner), max_size=2).map(tuple),
            ),
        )

    return st.recursive(st.one_of(consts, refs), extend, max_leaves=8)


schemas = st.lists(field_schemas, min_size=1, max_size=3, unique_by=_field_key).map(
    lambda fs: Schema(tuple(fs))
)
gen_items = st.builds(
    A.GenItem,
    st.one_of(
        exprs(),
        exprs().map(A.Flatten),
        st.just(A.Star()),
        st.builds(A.Range, refs, st.one_of(st.none(), refs)),
    ),
    st.one_of(st.none(), schemas),
)
order_keys = st.builds(A.OrderKey, refs, st.booleans())
parallel = st.one_of(st.none(), st.integers(1, 99))

relations = st.one_of(
    st.builds(
        A.Load,
        st.text(max_size=6),
        st.one_of(
            st.none(),
            st.builds(
                A.FuncSpec,
                st.sampled_from(["PigStorage", "a.b.C"]),
                st.lists(st.text(max_size=3), max_size=2).map(tuple),
            ),
        ),
        st.one_of(st.none(), schemas),
    ),
    st.builds(
        A.Foreach,
        ALIASES,
        st.lists(gen_items, min_size=1, max_size=3).map(tuple),
        st.just(()),
        st.just(False),
        parallel,
    ),
    st.builds(A.Filter, ALIASES, exprs()),
    st.builds(
        A.Group,
        st.lists(
            st.builds(
                A.GroupItem,
                ALIASES,
                st.lists(refs, min_size=1, max_size=3).map(tuple),
                st.just(False),
                st.sampled_from([None, "inner", "outer"]),
            ),
            min_size=1,
            max_size=3,
        ).map(tuple),
        st.booleans(),
        st.sampled_from([None, "collected"]),
        parallel,
    ),
    st.builds(
        A.Join,
        st.lists(
            st.builds(A.JoinItem, ALIASES, st.lists(refs, min_size=1, max_size=2).map(tuple)),
            min_size=2,
            max_size=3,
        ).map(tuple),
        st.sampled_from([None, "left", "right", "full"]),
        st.sampled_from([None, "replicated", "skewed"]),
        parallel,
    ),
    st.builds(A.Cross, st.lists(ALIASES, min_size=2, max_size=3).map(tuple), parallel),
    st.builds(
        A.Union, st.lists(ALIASES, min_size=2, max_size=3).map(tuple), st.booleans(), parallel
    ),
    st.builds(A.Order, ALIASES, st.lists(order_keys, min_size=1, max_size=3).map(tuple), parallel),
    st.builds(A.Distinct, ALIASES, parallel),
    st.builds(A.Limit, ALIASES, exprs()),
    st.builds(
        A.Rank, ALIASES, st.lists(order_keys, max_size=2).map(tuple), st.booleans(), parallel
    ).filter(lambda r: r.keys or not r.dense),
)
inline_inputs = st.one_of(
    st.builds(A.Distinct, ALIASES, parallel),
    st.builds(A.Filter, ALIASES, refs),
    st.builds(A.Limit, ALIASES, ints),
)
with_inline = st.one_of(
    st.builds(A.Foreach, inline_inputs, st.lists(gen_items, min_size=1, max_size=2).map(tuple)),
    st.builds(
        A.Cross, st.lists(st.one_of(ALIASES, inline_inputs), min_size=2, max_size=3).map(tuple)
    ),
    st.builds(
        A.Join,
        st.lists(st.builds(A.JoinItem, inline_inputs, st.tuples(refs)), min_size=2, max_size=2).map(
            tuple
        ),
    ),
)
commands = st.builds(
    A.Command,
    st.sampled_from(["fs", "sh", "exec", "run", "ls", "cat"]),
    st.from_regex(r"[-a-z0-9/ .=]{0,12}[-a-z0-9/.=]", fullmatch=True).filter(
        lambda t: t[:1] not in " ="  # `fs = ...` is an assignment
    ),
)
statements = st.one_of(
    st.builds(A.Assign, ALIASES, relations),
    st.builds(A.Assign, ALIASES, with_inline),
    st.builds(
        A.SetStmt,
        st.sampled_from(["default_parallel", "job.name", "a.b.c"]),
        st.one_of(st.integers(0, 99), st.text(max_size=6)),
    ),
    st.builds(A.Register, st.text(max_size=6), st.sampled_from([None, "jython"])).map(
        lambda r: A.Register(r.path, r.using, "ns" if r.using else None)
    ),
    st.builds(
        A.Define,
        ALIASES,
        st.builds(
            A.FuncSpec,
            st.sampled_from(["TOKENIZE", "a.b.C"]),
            st.lists(st.text(max_size=3), max_size=2).map(tuple),
        ),
    ),
    st.builds(A.Describe, ALIASES),
    st.builds(A.Explain, st.one_of(st.none(), ALIASES)),
    commands,
    st.builds(A.Store, ALIASES, st.text(max_size=5)),
    st.builds(A.Dump, ALIASES),
    st.builds(
        A.Split,
        ALIASES,
        st.lists(
            st.builds(A.SplitBranch, ALIASES, st.one_of(st.none(), exprs())), min_size=1, max_size=3
        ).map(tuple),
    ),
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(st.lists(statements, min_size=1, max_size=4))
def test_parse_pretty_round_trip(stmts):
    tree = A.Script(tuple(stmts))
    text = pretty(tree)
    assert parse(text) == tree, text


@settings(max_examples=150, deadline=None)
@given(exprs())
def test_expression_round_trip(expr):
    tree = A.Script((A.Assign("B", A.Foreach("A", (A.GenItem(expr),))),))
    text = pretty(tree)
    assert parse(text) == tree, text
