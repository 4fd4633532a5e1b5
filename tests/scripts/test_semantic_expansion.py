"""The showcase script against a plain-Python semantic expansion of the same generated data."""

from __future__ import annotations

import io
from collections import defaultdict
from pathlib import Path

from datasets import generate_ncbo
from piglatin.launcher import run_script

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "semantic_expansion.pig"


def _rows(path: Path) -> list[list[str]]:
    return [line.split("\t") for f in sorted(path.glob("part-*"))
            for line in f.read_text().splitlines()]


def test_semantic_expansion_matches_plain_python(tmp_path):
    generate_ncbo(str(tmp_path / "d"), profiles=("wp",), scale=0.0002, seed=3)
    ancestors = defaultdict(set)
    for _id, concept, parent, _level in _rows(tmp_path / "d" / "relation"):
        ancestors[concept].add(parent)
    reached = defaultdict(set)
    for row in _rows(tmp_path / "d" / "annotations_wp"):
        for parent in ancestors.get(row[0], ()):
            reached[parent].add(row[1])
    expected = sorted(((a, len(e)) for a, e in reached.items()), key=lambda p: (-p[1], p[0]))
    params = {"annotations": "d/annotations_wp", "relation": "d/relation", "out": "counts"}
    status = run_script(SCRIPT.read_text(), exec_type="local", params=params, cwd=tmp_path,
                        filename=str(SCRIPT), out=io.StringIO())
    assert status == 0
    got = [(a, int(n)) for a, n in _rows(tmp_path / "counts")]
    assert got == expected and len(got) > 50
