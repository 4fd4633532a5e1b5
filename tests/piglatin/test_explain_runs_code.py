"""EXPLAIN prints the generated code a run executes: each printed function, compiled, is the
code object of the function the job's task builds and calls (found through the task's
mapper), and the run's rows are what plain Python computes from the same input."""

from __future__ import annotations

import contextlib
import random
import re
import types
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from piglatin.back import multiquery as MQ
from piglatin.back import runtime as RT
from piglatin.launcher import explain_text, run_script
from tests.piglatin.pipelines import record_calls

SPLIT3 = """A = LOAD 'in.txt' AS (user:chararray, action:int, timespent:int, term:chararray,
    rev:double);
B = FOREACH A GENERATE user, action, timespent, term, rev;
SPLIT B INTO C IF user IS NOT NULL, alpha IF user IS NULL;
SPLIT C INTO D IF term IS NOT NULL, aleph IF term IS NULL;
E = GROUP D BY user;
F = FOREACH E GENERATE group, MAX(D.rev);
STORE F INTO 'o1';
beta = GROUP alpha BY term;
gamma = FOREACH beta GENERATE group, SUM(alpha.timespent);
STORE gamma INTO 'o2';
beth = GROUP aleph BY action;
gimel = FOREACH beth GENERATE group, COUNT(aleph);
STORE gimel INTO 'o3';
"""


def _rows(n: int = 400) -> list[list[str]]:
    rnd = random.Random(14)
    rows = []
    for _ in range(n):
        user = rnd.choice(["", "ann", "bob", "cy", "dee"])
        term = rnd.choice(["", "x", "y", "zz"])
        rows.append([user, str(rnd.randint(0, 3)), str(rnd.randint(0, 99)), term,
                     f"{rnd.random() * 10:.3f}"])  # fmt: skip
    return rows


def _write(tmp_path: Path, rows: list[list[str]]) -> None:
    (tmp_path / "in.txt").write_text("".join("\t".join(r) + "\n" for r in rows))


def _printed(text: str) -> dict[str, list[str]]:
    """EXPLAIN's generated functions: each function's source by its label line."""
    out: dict[str, list[str]] = defaultdict(list)
    label, body = None, []
    for line in text.splitlines() + ["#"]:
        if line.startswith("#"):
            if label is not None and body:
                out[label].append("\n".join(body) + "\n")
            label, body = (line if line.startswith("# ") else None), []
        elif label is not None and (body or line.startswith("def ")):
            body.append(line)
    return out


def _generated(fn: object, seen: set[int] | None = None) -> list[types.FunctionType]:
    """The generated functions (compiled from a ``<pig pipeline ...>`` source) that `fn`
    reaches through closures and bound methods."""
    seen = set() if seen is None else seen
    if id(fn) in seen:
        return []
    seen.add(id(fn))
    if isinstance(fn, types.MethodType):
        return _generated(fn.__func__, seen)
    if not isinstance(fn, types.FunctionType):
        return []
    if fn.__code__.co_filename.startswith("<pig pipeline"):
        return [fn]
    found = []
    for cell in fn.__closure__ or ():
        with contextlib.suppress(ValueError):  # an empty cell
            found += _generated(cell.cell_contents, seen)
    return found


def _same_code(source: str, fn: types.FunctionType) -> bool:
    ns: dict = {}
    exec(compile(source, fn.__code__.co_filename, "exec"), ns)  # noqa: S102 - the test's own
    return fn.__name__ in ns and ns[fn.__name__].__code__ == fn.__code__


@pytest.fixture
def tasks(monkeypatch: pytest.MonkeyPatch) -> list:
    """The job objects each map task of a run sets up (merged jobs and Pig jobs)."""
    made: list = []
    for cls in (MQ.MultiQueryJob, RT.PigJob):
        setup = cls.setup

        def recording(self, setup=setup) -> None:
            setup(self)
            if self.context.split is not None:
                made.append(self)

        monkeypatch.setattr(cls, "setup", recording)
    return made


def test_multiquery_explain_prints_the_merged_function_that_runs(tmp_path, tasks) -> None:
    rows = _rows()
    _write(tmp_path, rows)
    text = explain_text(SPLIT3, cwd=str(tmp_path))
    printed = _printed(text[text.index("Generated code") :])
    labels = [k for k in printed if k.startswith("# multiquery1, input 0, map side")]
    assert len(labels) == 1 and "branches 0 (F), 1 (gamma), 2 (gimel)" in labels[0]
    (source,) = printed[labels[0]]
    assert source.startswith("def multiquery_map(")
    # no branch's own map function is printed as if it ran alone
    assert not [k for k in printed if re.match(r"# job\d+, input", k)]

    run_script(SPLIT3, cwd=str(tmp_path))
    merged = [t for t in tasks if isinstance(t, MQ.MultiQueryJob)]
    assert merged, "the script ran no merged job"
    for job in merged:
        assert job.tree_code is not None and job.tree_code.source == source
        (fn,) = _generated(job.tree[0])
        assert _same_code(source, fn)

    users = defaultdict(list)
    terms: Counter = Counter()
    has_term: dict[str, bool] = {}
    actions: Counter = Counter()
    for user, action, spent, term, rev in rows:
        if user and term:
            users[user].append(float(rev))
        elif not user:
            terms[term or None] += int(spent)
            has_term[term or None] = True
        else:
            actions[int(action)] += 1
    got1 = sorted((tmp_path / "o1" / p).read_text() for p in ["part-r-00000"])
    want1 = {f"{u}\t{max(v)}" for u, v in users.items()}
    assert set(got1[0].splitlines()) == want1
    got2 = set((tmp_path / "o2" / "part-r-00000").read_text().splitlines())
    assert got2 == {f"{t or ''}\t{s}" for t, s in terms.items()}
    got3 = set((tmp_path / "o3" / "part-r-00000").read_text().splitlines())
    assert got3 == {f"{a}\t{c}" for a, c in actions.items()}


def test_multiquery_without_codegen_explain_says_no_code_runs(tmp_path, tasks) -> None:
    script = "SET pig.codegen false;\n" + SPLIT3
    _write(tmp_path, _rows(50))
    text = explain_text(script, cwd=str(tmp_path))
    code = text[text.index("# Generated code (multi-query map side)") :]
    assert "def " not in code
    assert "multiquery1, input 0, map side: no generated SPLIT tree" in code
    for i, alias in enumerate(("F", "gamma", "gimel")):
        assert f"branch {i} ({alias}): no generated code: closures over each line" in code
    run_script(script, cwd=str(tmp_path))
    merged = [t for t in tasks if isinstance(t, MQ.MultiQueryJob)]
    assert merged and all(t.tree_code is None and t.tree is None for t in merged)
    assert all(t.parsing is not None and len(t.parsing[1]) == 3 for t in merged)


ORDER = """A = LOAD 'in.txt' AS (user:chararray, action:int, timespent:int, term:chararray,
    rev:double);
B = ORDER A BY term;
STORE B INTO 'out';
"""

GROUP = """A = LOAD 'in.txt' AS (user:chararray, action:int, timespent:int, term:chararray,
    rev:double);
B = FILTER A BY action > 0;
C = GROUP B BY user;
D = FOREACH C GENERATE group, SUM(B.timespent);
STORE D INTO 'out';
"""

BAGS = """A = LOAD 'in.txt' AS (user:chararray, action:int, timespent:int, term:chararray,
    rev:double);
C = GROUP A BY user;
D = FOREACH C GENERATE group, COUNT(A), A;
STORE D INTO 'out';
"""


JOIN = """A = LOAD 'in.txt' AS (user:chararray, action:int, timespent:int, term:chararray,
    rev:double);
B = FOREACH A GENERATE user, rev;
U = LOAD 'in.txt' AS (name:chararray);
C = JOIN U BY name, B BY user;
STORE C INTO 'out';
"""


@pytest.mark.parametrize(
    "script",
    [ORDER, GROUP, BAGS, JOIN],
    ids=["order-pass-through", "group", "bags", "join"],
)
def test_single_job_explain_prints_the_map_function_that_runs(tmp_path, tasks, script) -> None:
    rows = _rows()
    _write(tmp_path, rows)
    text = explain_text(script, cwd=str(tmp_path))
    printed = _printed(text[text.index("Generated code") :])
    run_script(script, cwd=str(tmp_path))
    ran = [t for t in tasks if isinstance(t, RT.PigJob) and t.spec.kind != "sample"]
    assert ran
    sources = [s for k, v in printed.items() if k.startswith("# job") for s in v]
    for job in ran:
        index = job.context.split.input_index
        fns = _generated(getattr(job, f"map{index}_batch"))
        assert len(fns) == 1
        assert any(_same_code(s, fns[0]) for s in sources), "the running map code is not printed"
    lines = (tmp_path / "out" / "part-r-00000").read_text().splitlines()
    if script in (BAGS, JOIN):
        return
    if script is ORDER:
        want = sorted(rows, key=lambda r: (r[3] != "", r[3]))
        assert [line.split("\t")[3] for line in lines] == [r[3] for r in want]
        as_pig = [[*r[:4], repr(float(r[4]))] for r in rows]  # a double as Pig writes it
        assert sorted(lines) == sorted("\t".join(r) for r in as_pig)
    else:
        sums: Counter = Counter()
        for user, action, spent, _term, _rev in rows:
            if int(action) > 0:
                sums[user or None] += int(spent)
        assert set(lines) == {f"{u or ''}\t{s}" for u, s in sums.items()}


@pytest.fixture
def ran(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The sources of the generated functions a run calls, by the name they define."""
    return record_calls(monkeypatch)


@pytest.mark.parametrize("script", [SPLIT3, GROUP], ids=["multiquery", "group"])
def test_every_generated_function_a_run_calls_is_printed(tmp_path, ran, script) -> None:
    _write(tmp_path, _rows())
    text = explain_text(script, cwd=str(tmp_path))
    run_script(script, cwd=str(tmp_path))
    assert ran
    missing = sorted(name for source, name in ran.items() if source.rstrip("\n") not in text)
    assert missing == []
