"""Pig's multi-query execution: STOREs that read one input share one job.

Each script's outputs are compared with plain Python computing the same answers, in ``-x local``
and mapreduce mode, with multi-query execution on (the default) and off (``opt.multiquery``
false, what ``pig -M`` sets): the rows are the same and the number of jobs drops (PigMix L12's
shape: 3 jobs -> 1). A branch followed by ORDER BY keeps its later job; a failing branch fails
the merged job and leaves none of its outputs; the summary lists every output with its records;
EXPLAIN shows the merged job.
"""

from __future__ import annotations

import io
import os
import random
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from piglatin.errors import PigError
from piglatin.launcher import PigServer, explain_text
from piglatin.tools.cli import main as pig_main
from piglatin.tools.report import summary

MODES = ["local", "mapreduce"]
USERS = [f"u{i}" for i in range(25)]
TERMS = [f"t{i}" for i in range(15)]


def _rows(n: int = 400, seed: int = 3) -> list[tuple]:
    """(user, action, n, term) with null users and terms (empty fields)."""
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        user = rng.choice(USERS) if rng.random() > 0.15 else None
        term = rng.choice(TERMS) if rng.random() > 0.25 else None
        rows.append((user, rng.randint(0, 3), rng.randint(0, 40), term))
    return rows


def _line(*fields) -> str:
    return "\t".join("" if f is None else str(f) for f in fields)


@pytest.fixture
def data(tmp_path: Path) -> tuple[Path, list[tuple]]:
    rows = _rows()
    (tmp_path / "in.txt").write_text("".join(_line(*r) + "\n" for r in rows), encoding="utf-8")
    return tmp_path, rows


LOAD = "A = LOAD 'file://$dir/in.txt' AS (user:chararray, action:int, n:int, term:chararray);\n"


def _run(tmp: Path, script: str, mode: str, multiquery: bool, out: str) -> PigServer:
    props = {} if multiquery else {"opt.multiquery": "false"}
    server = PigServer(mode, cwd=tmp, out=io.StringIO(), properties=props)
    try:
        server.register_script(LOAD + script, {"dir": str(tmp), "out": f"file://{tmp}/{out}"})
    finally:
        server.close()
    return server


def _read(path: Path) -> list[str]:
    assert (path / "_SUCCESS").exists(), f"{path} was not published"
    lines = []
    for name in sorted(os.listdir(path)):
        if name.startswith("part-"):
            lines += (path / name).read_text(encoding="utf-8").splitlines()
    return lines


def _both(tmp: Path, script: str, mode: str, names: list[str]) -> tuple[dict, int, int]:
    """The outputs of `script` with multi-query on, checked equal to those with it off, and
    the number of jobs each ran."""
    on = _run(tmp, script, mode, True, "on")
    off = _run(tmp, script, mode, False, "off")
    outputs = {}
    for name in names:
        got = _read(tmp / "on" / name)
        assert sorted(got) == sorted(_read(tmp / "off" / name)), name
        outputs[name] = got
    return outputs, len(on.stats), len(off.stats)


L12 = """
SPLIT A INTO C IF user IS NOT NULL, alpha IF user IS NULL;
SPLIT C INTO D IF term IS NOT NULL, aleph IF term IS NULL;
E = GROUP D BY user;
F = FOREACH E GENERATE group, MAX(D.n);
STORE F INTO '$out/highest';
beta = GROUP alpha BY term;
gamma = FOREACH beta GENERATE group, SUM(alpha.n);
STORE gamma INTO '$out/spent';
beth = GROUP aleph BY action;
gimel = FOREACH beth GENERATE group, COUNT(aleph);
STORE gimel INTO '$out/actions';
"""


def _l12_expected(rows: list[tuple]) -> dict[str, list[str]]:
    highest: dict = defaultdict(int)
    spent: dict = defaultdict(int)
    actions: Counter = Counter()
    for user, action, n, term in rows:
        if user is not None and term is not None:
            highest[user] = max(highest.get(user, n), n)
        elif user is None:
            spent[term] += n
        else:
            actions[action] += 1
    return {
        "highest": [_line(k, v) for k, v in highest.items()],
        "spent": [_line(k, v) for k, v in spent.items()],
        "actions": [_line(k, v) for k, v in actions.items()],
    }


@pytest.mark.parametrize("mode", MODES)
def test_l12_shape_runs_as_one_job(data, mode):
    tmp, rows = data
    outputs, jobs_on, jobs_off = _both(tmp, L12, mode, ["highest", "spent", "actions"])
    for name, expected in _l12_expected(rows).items():
        assert sorted(outputs[name]) == sorted(expected), name
    assert (jobs_on, jobs_off) == (1, 3)


SPLIT_MIXED = """
SPLIT A INTO small IF n < 10, big IF n >= 10;
STORE small INTO '$out/small';
g1 = GROUP big BY (user, action);
c1 = FOREACH g1 GENERATE FLATTEN(group), COUNT_STAR(big);
STORE c1 INTO '$out/pairs';
g2 = GROUP A BY action;
c2 = FOREACH g2 GENERATE group, SIZE(A);
STORE c2 INTO '$out/sizes';
t = FOREACH A GENERATE term;
d = DISTINCT t;
STORE d INTO '$out/terms';
"""


@pytest.mark.parametrize("mode", MODES)
def test_map_only_grouped_and_distinct_branches_with_and_without_combiner(data, mode):
    """A map-only branch, a GROUP on a (chararray, int) key with a combiner, a GROUP on an int
    key without one (SIZE is not algebraic) and a DISTINCT: one job."""
    tmp, rows = data
    names = ["small", "pairs", "sizes", "terms"]
    outputs, jobs_on, jobs_off = _both(tmp, SPLIT_MIXED, mode, names)
    assert sorted(outputs["small"]) == sorted(_line(*r) for r in rows if r[2] < 10)
    pairs = Counter((u, a) for u, a, n, _t in rows if n >= 10)
    assert sorted(outputs["pairs"]) == sorted(_line(u, a, c) for (u, a), c in pairs.items())
    sizes = Counter(a for _u, a, _n, _t in rows)
    assert sorted(outputs["sizes"]) == sorted(_line(a, c) for a, c in sizes.items())
    assert sorted(outputs["terms"]) == sorted(_line(t) for t in {r[3] for r in rows})
    assert (jobs_on, jobs_off) == (1, 4)


ORDERED = """
A2 = FILTER A BY user IS NOT NULL;
g = GROUP A2 BY user;
s = FOREACH g GENERATE group AS user, SUM(A2.n) AS total;
o = ORDER s BY total DESC, user;
STORE o INTO '$out/ordered';
h = GROUP A BY term;
k = FOREACH h GENERATE group, MIN(A.n);
STORE k INTO '$out/mins';
"""


@pytest.mark.parametrize("mode", MODES)
def test_a_branch_followed_by_order_by_keeps_its_later_job(data, mode):
    tmp, rows = data
    outputs, jobs_on, jobs_off = _both(tmp, ORDERED, mode, ["ordered", "mins"])
    totals: dict = defaultdict(int)
    mins: dict = {}
    for user, _a, n, term in rows:
        if user is not None:
            totals[user] += n
        mins[term] = min(mins.get(term, n), n)
    expected = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    assert outputs["ordered"] == [_line(u, t) for u, t in expected]  # in order
    assert sorted(outputs["mins"]) == sorted(_line(t, m) for t, m in mins.items())
    assert (jobs_on, jobs_off) == (2, 3)  # the merged GROUPs, then the ORDER


FAILING = """
REGISTER 'u.py' USING jython AS f;
g = GROUP A BY action;
c = FOREACH g GENERATE group, COUNT(A);
STORE c INTO '$out/counts';
b = FOREACH A GENERATE f.boom(n);
STORE b INTO '$out/boomed';
"""


@pytest.mark.parametrize("mode", MODES)
def test_a_failing_branch_leaves_none_of_the_merged_outputs(data, mode):
    tmp, rows = data
    (tmp / "u.py").write_text(
        "@outputSchema('n:int')\n"
        "def boom(n):\n"
        "    if n == 13:\n"
        "        raise ValueError('thirteen is refused')\n"
        "    return n\n"
    )
    assert any(r[2] == 13 for r in rows)
    with pytest.raises(PigError, match="thirteen is refused"):
        _run(tmp, FAILING, mode, True, "on")
    assert os.listdir(tmp / "on") == [] if (tmp / "on").exists() else True
    # without multi-query the first STORE's job ran (and published) before the failing one
    with pytest.raises(PigError, match="thirteen is refused"):
        _run(tmp, FAILING, mode, False, "off")
    assert os.listdir(tmp / "off") == ["counts"]


def test_summary_lists_every_output_with_its_records(data):
    tmp, rows = data
    server = _run(tmp, L12, "local", True, "on")
    text = summary(server.stats, True, time.monotonic())
    expected = _l12_expected(rows)
    for name in ("highest", "spent", "actions"):
        line = f"Successfully stored {len(expected[name])} records"
        assert any(
            row.startswith(line) and row.endswith(f'in: "file://{tmp}/on/{name}"')
            for row in text.splitlines()
        ), text
    assert "MULTI_QUERY" in text and "Total jobs: 1," in text
    assert f"Total records written : {sum(map(len, expected.values()))}" in text


def test_explain_shows_the_merged_job(data):
    tmp, _rows_ = data
    text = explain_text(LOAD + L12, params={"dir": str(tmp), "out": f"file://{tmp}/x"}, cwd=tmp)
    assert "MapReduce node multiquery1 (MULTI_QUERY, 3 branches" in text
    assert text.count("|   branch ") == 3
    off = explain_text(
        "SET opt.multiquery false;\n" + LOAD + L12,
        params={"dir": str(tmp), "out": f"file://{tmp}/x"},
        cwd=tmp,
    )
    assert "MULTI_QUERY" not in off


def test_pig_no_multiquery_flag_turns_it_off(data, capsys):
    tmp, rows = data
    script = tmp / "l12.pig"
    script.write_text(LOAD + L12)
    common = ["-x", "local", "-p", f"dir={tmp}", "-f", str(script)]
    assert pig_main([*common, "-p", f"out=file://{tmp}/on"]) == 0
    assert "Total jobs: 1," in capsys.readouterr().err
    assert pig_main(["-M", *common, "-p", f"out=file://{tmp}/off"]) == 0
    assert "Total jobs: 3," in capsys.readouterr().err
    for name, expected in _l12_expected(rows).items():
        assert sorted(_read(tmp / "off" / name)) == sorted(expected)


def test_a_store_loading_what_an_earlier_store_wrote_waits_for_it(data):
    """Pig's implicit dependency: the second STORE reads the first one's output, so it runs
    after it (the batch is cut there)."""
    tmp, rows = data
    script = """
    g = GROUP A BY action; c = FOREACH g GENERATE group, COUNT_STAR(A);
    STORE c INTO '$out/counts';
    B = LOAD '$out/counts' AS (action:int, c:long);
    h = GROUP B ALL; s = FOREACH h GENERATE SUM(B.c);
    STORE s INTO '$out/total';
    """
    _run(tmp, script, "local", True, "on")
    assert _read(tmp / "on" / "total") == [str(len(rows))]


def test_merged_outputs_on_the_dfs(data):
    """mapreduce mode with relative locations: the STOREs land on the cluster's DFS, where
    the merged job's commit publishes each by a DFS rename."""
    import uuid

    import fsspec

    tmp, rows = data
    out = f"mq-{uuid.uuid4().hex[:8]}"
    server = PigServer("mapreduce", cwd=tmp, out=io.StringIO())
    try:
        server.register_script(LOAD + L12, {"dir": str(tmp), "out": out})
        assert len(server.stats) == 1
        urls = {o["store"].rsplit("/", 1)[1]: o["output"] for o in server.stats[0]["outputs"]}
    finally:
        server.close()
    assert all(u.startswith("dfs://") for u in urls.values()), urls
    for name, expected in _l12_expected(rows).items():
        fs, path = fsspec.core.url_to_fs(urls[name])
        assert fs.exists(f"{path}/_SUCCESS")
        got = []
        for part in sorted(p for p in fs.ls(path, detail=False) if "/part-" in p):
            got += fs.cat_file(part).decode().splitlines()
        assert sorted(got) == sorted(expected), name
    fs.rm(path.rsplit("/", 1)[0], recursive=True)


FAILS_FIRST = """
REGISTER 'u.py' USING jython AS f;
b = FOREACH A GENERATE f.boom(n);
STORE b INTO '$out/boomed';
W = LOAD 'file://$dir/other.txt' AS (w:chararray);
g = GROUP W BY w; c = FOREACH g GENERATE group, COUNT(W);
STORE c INTO '$out/words';
"""


@pytest.mark.parametrize("multiquery", [True, False])
def test_a_failed_store_does_not_stop_the_others_unless_stop_on_failure(data, multiquery, caplog):
    """As Pig without -F: the STORE that does not need the failed job still runs, the run
    says 'Some jobs have failed!' and fails with the first failure; with stop.on.failure
    (pig -F) nothing runs after it. The old code always stopped at the first failure."""
    tmp, _rows = data
    (tmp / "u.py").write_text(
        "@outputSchema('n:int')\ndef boom(n):\n    raise ValueError('no n wanted')\n"
    )
    (tmp / "other.txt").write_text("x\ny\nx\n")
    with pytest.raises(PigError, match="no n wanted"):
        _run(tmp, FAILS_FIRST, "local", multiquery, "on")
    assert os.listdir(tmp / "on") == ["words"]
    assert sorted(_read(tmp / "on" / "words")) == ["x\t2", "y\t1"]
    assert "Some jobs have failed!" in caplog.text
    server = PigServer("local", cwd=tmp, out=io.StringIO(), properties={"stop.on.failure": "true"})
    with pytest.raises(PigError, match="no n wanted"):
        server.register_script(LOAD + FAILS_FIRST, {"dir": str(tmp), "out": f"file://{tmp}/f"})
    server.close()
    assert not (tmp / "f").exists() or os.listdir(tmp / "f") == []


def test_pig_stop_on_failure_flag(data, capsys, monkeypatch):
    tmp, _rows = data
    monkeypatch.chdir(tmp)  # REGISTER's relative path, and pig's log file
    (tmp / "u.py").write_text(
        "@outputSchema('n:int')\ndef boom(n):\n    raise ValueError('no n wanted')\n"
    )
    (tmp / "other.txt").write_text("x\n")
    script = tmp / "s.pig"
    script.write_text(LOAD + FAILS_FIRST)
    common = ["-x", "local", "-p", f"dir={tmp}", "-f", str(script)]
    assert pig_main(["-F", *common, "-p", f"out=file://{tmp}/f"]) != 0
    assert not (tmp / "f" / "words").exists()
    capsys.readouterr()
    assert pig_main([*common, "-p", f"out=file://{tmp}/g"]) != 0
    assert (tmp / "g" / "words" / "_SUCCESS").exists()
    # Pig's summary of a partial failure: both outputs, the failed one with its job
    err = capsys.readouterr().err
    assert "Some jobs have failed! Stop running all dependent jobs" in err
    assert f'Successfully stored 1 records (4 bytes) in: "file://{tmp}/g/words"' in err
    assert f'Failed to produce result in "file://{tmp}/g/boomed"' in err
    failed = err.split("Failed Jobs:\n", 1)[1].splitlines()
    assert failed[0] == "JobId\tAlias\tFeature\tMessage\tOutputs"
    assert failed[1].startswith("job_local") and "no n wanted" in failed[1]
    assert failed[1].endswith(f"file://{tmp}/g/boomed,")


PARALLEL = """
g1 = GROUP A BY user PARALLEL 3;
c1 = FOREACH g1 GENERATE group, COUNT_STAR(A);
STORE c1 INTO '$out/users';
g2 = GROUP A BY term;
c2 = FOREACH g2 GENERATE group, MAX(A.n);
STORE c2 INTO '$out/terms';
"""


@pytest.mark.parametrize("nocombiner", ["false", "true"])
def test_merged_job_takes_the_largest_parallelism(data, nocombiner):
    """As Pig: the merged job has the branches' largest reducer count (3), so every output has
    3 part files; with pig.exec.nocombiner the same rows."""
    tmp, rows = data
    props = {"pig.exec.nocombiner": nocombiner}
    server = PigServer("mapreduce", cwd=tmp, out=io.StringIO(), properties=props)
    try:
        server.register_script(LOAD + PARALLEL, {"dir": str(tmp), "out": f"file://{tmp}/o"})
    finally:
        server.close()
    assert len(server.stats) == 1 and server.stats[0]["reduces"] == 3
    assert ("COMBINER" in server.stats[0]["feature"]) == (nocombiner == "false")
    users = Counter(r[0] for r in rows)
    terms: dict = {}
    for _u, _a, n, term in rows:
        terms[term] = max(terms.get(term, n), n)
    assert sorted(_read(tmp / "o" / "users")) == sorted(_line(u, c) for u, c in users.items())
    assert sorted(_read(tmp / "o" / "terms")) == sorted(_line(t, m) for t, m in terms.items())
    for name in ("users", "terms"):
        parts = sorted(n for n in os.listdir(tmp / "o" / name) if n.startswith("part-"))
        assert parts == ["part-r-00000", "part-r-00001", "part-r-00002"], parts


def test_the_merged_map_splits_each_line_once_for_every_branch(data, monkeypatch):
    """The branches of L12's shape read PigStorage text: each gets its generated code over
    split lines (`PigJob.split_batch`), so the merged map splits a line once, not once per
    branch; the rows stay plain Python's. Some input lines are short (padded fields)."""
    from piglatin.back import runtime as RT

    tmp, rows = data
    rows = rows + [("zz", 3, None, None)]
    text = "".join(_line(*r) + "\n" for r in rows) + "short\t4\n"
    (tmp / "in.txt").write_text(text, encoding="utf-8")
    rows.append(("short", 4, None, None))
    seen = []
    original = RT.PigJob.split_batch

    def spy(self, index):
        found = original(self, index)
        seen.append(found is not None)
        return found

    monkeypatch.setattr(RT.PigJob, "split_batch", spy)
    _run(tmp, L12, "local", True, "on")
    assert seen.count(True) == 3  # the map task's three branches (reduce tasks read none)
    for name, expected in _l12_expected(rows).items():
        assert sorted(_read(tmp / "on" / name)) == sorted(expected), name
