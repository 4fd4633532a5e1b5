"""JOIN ... USING 'merge-sparse' and 'repl': Pig's LogicalPlanBuilder.parseJoinType accepts
"REPL, REPLICATED, HASH, SKEWED, MERGE, and MERGE-SPARSE" (case-insensitive); merge-sparse is a
merge join (Performance page), 'repl' is 'replicated'. The rows are the inner join's, computed
here in plain Python."""

from __future__ import annotations

from pathlib import Path

import pytest

from piglatin.errors import PigError
from tests.piglatin.storedrun import printed_lines as run

LEFT = [(1, "a"), (2, "b"), (3, "c"), (3, "d")]
RIGHT = [(2, "x"), (3, "y"), (3, "z"), (4, "w")]
FILES = {
    "l": "".join(f"{k}\t{v}\n" for k, v in LEFT),
    "r": "".join(f"{k}\t{v}\n" for k, v in RIGHT),
}
EXPECTED = sorted(f"({a},{b},{c},{d})" for a, b in LEFT for c, d in RIGHT if a == c)


@pytest.mark.parametrize("using", ["merge-sparse", "MERGE-SPARSE", "repl", "REPL"])
def test_join_synonyms_give_the_inner_join(tmp_path: Path, using: str) -> None:
    script = (
        "L = LOAD 'l' AS (k:int, v:chararray);\nR = LOAD 'r' AS (k:int, w:chararray);\n"
        f"J = JOIN L BY k, R BY k USING '{using}';\nDUMP J;\n"
    )
    assert sorted(run(tmp_path, FILES, script)) == EXPECTED


def test_an_unknown_strategy_is_still_refused(tmp_path: Path) -> None:
    script = (
        "L = LOAD 'l' AS (k:int, v:chararray);\nR = LOAD 'r' AS (k:int, w:chararray);\n"
        "J = JOIN L BY k, R BY k USING 'sparse';\nDUMP J;\n"
    )
    with pytest.raises(PigError, match="Unknown JOIN strategy 'sparse'"):
        run(tmp_path, FILES, script)
