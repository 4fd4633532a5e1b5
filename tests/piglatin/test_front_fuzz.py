"""Property: building any syntactically valid script fails only with a PigError."""

from __future__ import annotations

import contextlib
import importlib.util
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.front import ast as A
from piglatin.front.builder import build
from piglatin.errors import PigError
from piglatin.front.parser import parse, pretty

_SPEC = importlib.util.spec_from_file_location(
    "front_roundtrip_strategies", Path(__file__).with_name("test_front_roundtrip.py")
)
assert _SPEC is not None and _SPEC.loader is not None
strategies = importlib.util.module_from_spec(_SPEC)
sys.modules[_SPEC.name] = strategies
_SPEC.loader.exec_module(strategies)

PRELUDE = parse(
    "A = LOAD 'a' AS (a:int, b:chararray, name:bag{t:(x:int, age:long)}, x1:map[], _y:double);\n"
    "B = LOAD 'b';\n"
    "rel = GROUP A BY b;\n"
    "R2 = LOAD 'c' AS (a:long, b:bytearray);\n"
    "in_1 = JOIN A BY a, R2 BY a;\n"
).statements


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(strategies.statements, min_size=1, max_size=3))
def test_build_raises_only_pig_errors(stmts):
    script = A.Script(PRELUDE + tuple(stmts))
    text = pretty(script)
    with contextlib.suppress(PigError):  # any other exception fails the property
        build(parse(text), text=text)
