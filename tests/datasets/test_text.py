"""The text corpus generator, the Zipf sampler under both generators, and the progress line."""

from __future__ import annotations

import io
import random
import uuid
from bisect import bisect_right
from collections import Counter
from pathlib import Path

import fsspec
import pytest

from datasets import progress
from datasets.__main__ import main
from datasets.ncbo import DatasetError
from datasets.progress import Progress, format_bytes
from datasets.text import build_vocabulary, generate_text, parse_size, text_lines
from datasets.zipf import ByteTable, ZipfSampler, uint32s


def _mem_url() -> str:
    return f"memory://text-{uuid.uuid4().hex}"


def _corpus(url: str) -> bytes:
    fs, path = fsspec.core.url_to_fs(url)
    return b"".join(fs.cat_file(p) for p in sorted(fs.ls(path, detail=False)))


def _zipf_probabilities(n: int, s: float) -> list[float]:
    weights = [1 / (r**s) for r in range(1, n + 1)]
    total = sum(weights)
    return [w / total for w in weights]


# ---- the corpus ---------------------------------------------------------------------------


def test_corpus_is_deterministic_per_seed() -> None:
    a, b, c = _mem_url(), _mem_url(), _mem_url()
    generate_text(a, 300_000, seed=4, progress=False)
    generate_text(b, 300_000, seed=4, progress=False)
    generate_text(c, 300_000, seed=5, progress=False)
    assert _corpus(a) == _corpus(b)
    assert _corpus(a) != _corpus(c)


@pytest.mark.parametrize("size", [0, 1, 5_000, 1_234_567])
def test_corpus_ends_at_the_line_end_nearest_the_target(size: int) -> None:
    url = _mem_url()
    rows, written = generate_text(url, size, seed=1, progress=False)
    data = _corpus(url)
    assert len(data) == written
    assert data.count(b"\n") == rows
    assert abs(written - size) <= 200  # at most half a line of up to 15 short words
    assert data == b"" or data.endswith(b"\n")


def test_lines_hold_ten_to_fifteen_words_from_the_vocabulary() -> None:
    vocab = set(build_vocabulary(2_000, seed=3))
    text = "".join(text_lines(400_000, seed=3, vocabulary=2_000))
    lengths = Counter()
    for line in text.splitlines():
        words = line.split(" ")
        lengths[len(words)] += 1
        assert set(words) <= vocab
    assert set(lengths) == set(range(10, 16))


def test_word_frequencies_follow_zipf() -> None:
    n, s = 1_000, 1.1
    vocab = build_vocabulary(n, seed=2)
    words = "".join(text_lines(1_500_000, seed=2, vocabulary=n, zipf_s=s)).split()
    counts = Counter(words)
    probs = _zipf_probabilities(n, s)
    total = len(words)
    for rank in (0, 1, 4, 9, 49):
        assert counts[vocab[rank]] / total == pytest.approx(probs[rank], rel=0.08), rank
    assert counts[vocab[0]] > 5 * counts[vocab[20]]


def test_vocabulary_is_distinct_and_frequent_words_are_short() -> None:
    vocab = build_vocabulary(20_000, seed=9)
    assert len(vocab) == len(set(vocab)) == 20_000
    assert all(w.isalpha() and w.islower() and len(w) >= 3 for w in vocab)
    head = [len(w) for w in vocab[:100]]
    tail = [len(w) for w in vocab[-1000:]]
    assert sum(head) / len(head) < sum(tail) / len(tail) - 3
    assert build_vocabulary(20_000, seed=9) == vocab


def test_corpus_goes_to_a_local_directory_in_parts(tmp_path: Path) -> None:
    rows, written = generate_text(str(tmp_path / "corpus"), 120_000, seed=1, part_bytes=50_000,
                                  progress=False)
    parts = sorted((tmp_path / "corpus").iterdir())
    assert [p.name for p in parts] == ["part-00000", "part-00001", "part-00002"]
    assert sum(p.stat().st_size for p in parts) == written
    assert all(p.read_bytes().endswith(b"\n") for p in parts)


@pytest.mark.parametrize(
    ("text", "size"),
    [("200MB", 200 * 2**20), ("64k", 65536), ("12", 12), ("1.5G", 3 * 2**29), ("3 KiB", 3072)],
)
def test_parse_size(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "MB", "12XB", "-3MB", "1e3"])
def test_parse_size_refuses_nonsense(text: str) -> None:
    with pytest.raises(DatasetError, match="bad size"):
        parse_size(text)


@pytest.mark.parametrize(
    ("argv", "expect"),
    [
        (["text", "--size", "5XB"], "bad size '5XB'"),
        (["text", "--size", "10k", "--vocabulary", "0"], "--vocabulary must be at least 1"),
        (["text", "--size", "10k", "--zipf", "-1"], "--zipf must be >= 0"),
        (["text"], "--size"),
    ],
)
def test_cli_text_errors_are_one_line(argv: list[str], expect: str, capsys) -> None:
    try:
        code = main([*argv, "--out", _mem_url(), "--quiet"])
    except SystemExit as e:
        code = e.code
    err = capsys.readouterr().err
    assert code != 0 and expect in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_cli_text_writes_the_corpus(capsys) -> None:
    url = _mem_url()
    assert main(["text", "--size", "20k", "--out", url, "--seed", "2", "--quiet"]) == 0
    assert "text" in capsys.readouterr().out
    assert _corpus(url) == "".join(text_lines(20 * 1024, seed=2)).encode()


# ---- the Zipf sampler ---------------------------------------------------------------------


@pytest.mark.parametrize(("n", "s", "bits"), [(50_000, 1.1, 16), (3_000, 1.0, 12), (7, 0.0, 16),
                                              (1, 1.0, 16), (200_000, 0.8, 14)])
def test_sampler_fast_path_equals_a_plain_bisect(n: int, s: float, bits: int) -> None:
    """The bucket table must give exactly what inverse-CDF sampling of the same draws gives."""
    sampler = ZipfSampler(n, s, random.Random(11), bits)
    got = sampler.sample(100_000)
    cum, acc = [], 0.0
    weights = [(r + 1) ** -s for r in range(n)]
    total = sum(weights)
    for w in weights:
        acc += w
        cum.append(round(acc / total * 2**32))
    cum[-1] = 2**32
    draws = uint32s(random.Random(11), 100_000)
    expected = [bisect_right(cum, d) for d in draws]
    # the module scales by the exact float sum; allow a rank to differ only at a rounding tie
    mismatches = sum(g != e for g, e in zip(got, expected))
    assert mismatches <= 2
    assert min(got) >= 0 and max(got) < n


def test_sampler_frequencies_match_the_zipf_law() -> None:
    n, s, k = 10_000, 1.0, 400_000
    counts = Counter(ZipfSampler(n, s, random.Random(3)).sample(k))
    probs = _zipf_probabilities(n, s)
    for lo, hi in [(0, 1), (1, 10), (10, 100), (100, 1_000), (1_000, n)]:
        p = sum(probs[lo:hi])
        observed = sum(counts[r] for r in range(lo, hi)) / k
        assert observed == pytest.approx(p, abs=4 * (p * (1 - p) / k) ** 0.5 + 1e-9), (lo, hi)


def test_sampler_is_deterministic_and_batches_do_not_matter_for_determinism() -> None:
    a = ZipfSampler(5_000, 1.2, random.Random(8))
    b = ZipfSampler(5_000, 1.2, random.Random(8))
    assert a.sample(1_000) + a.sample(500) == b.sample(1_000) + b.sample(500)


def test_sampler_refuses_bad_parameters() -> None:
    with pytest.raises(ValueError, match="at least one rank"):
        ZipfSampler(0, 1.0, random.Random(1))
    with pytest.raises(ValueError, match=">= 0"):
        ZipfSampler(10, -0.5, random.Random(1))


def test_byte_table_proportions() -> None:
    table = ByteTable(["a", "b", "c"], [2, 1, 1], random.Random(5))
    counts = Counter(table.sample(200_000))
    assert counts["a"] / 200_000 == pytest.approx(0.5, abs=0.01)
    assert counts["c"] / 200_000 == pytest.approx(0.25, abs=0.01)


# ---- the progress line --------------------------------------------------------------------


def test_progress_writes_plain_lines_when_not_a_terminal(monkeypatch) -> None:
    """A log or a pipe gets a line every LINE_SECONDS and a last one, never a carriage return."""
    clock = [100.0]
    monkeypatch.setattr(progress.time, "monotonic", lambda: clock[0])
    stream = io.StringIO()
    with Progress("gen", 1000, unit="rows", stream=stream) as bar:
        bar.update(100)  # no time has passed: no line yet
        clock[0] += progress.LINE_SECONDS
        bar.update(400)
        clock[0] += 1
        bar.update(100)  # within the interval: no line
        clock[0] += 1
    lines = stream.getvalue().splitlines()
    assert "\r" not in stream.getvalue()
    assert lines == [
        "gen  500 rows / 1,000 rows (50%)  50 rows/s  ETA 0:10",
        "gen  600 rows / 1,000 rows (60%)  50 rows/s  ETA 0:08",
    ]


def test_progress_is_silent_when_asked() -> None:
    stream = io.StringIO()
    with Progress("gen", 1000, stream=stream, enabled=False) as bar:
        bar.update(500)
    assert stream.getvalue() == ""


def test_progress_steps_name_each_run(monkeypatch) -> None:
    clock = [0.0]
    monkeypatch.setattr(progress.time, "monotonic", lambda: clock[0])
    stream = io.StringIO()
    with Progress("bench", 4, unit="runs", stream=stream) as bar:
        for name in ("q1 ref", "q1 pig", "q2 ref", "q2 pig"):
            bar.step(name)
            clock[0] += 5
    assert stream.getvalue().splitlines() == [
        "bench  0 runs / 4 runs (0%)  0.0s  q1 ref",
        "bench  1 runs / 4 runs (25%)  ETA 0:15  q1 pig",
        "bench  2 runs / 4 runs (50%)  ETA 0:10  q2 ref",
        "bench  3 runs / 4 runs (75%)  ETA 0:05  q2 pig",
        "bench  4 runs / 4 runs (100%)  20.0s",
    ]


def test_progress_draws_one_line_with_rate_and_eta() -> None:
    stream = io.StringIO()
    bar = Progress("gen", 4 * 2**20, stream=stream, enabled=True)
    bar.update(2**20)
    text = bar.line(now=bar._start + 2.0)
    assert text.startswith("gen  1.0 M / 4.0 M (25%)")
    assert "512.0 K/s" in text and "ETA 0:06" in text
    bar.close()
    out = stream.getvalue()
    assert out.startswith("\r") and out.endswith("\n") and out.count("\n") == 1


def test_format_bytes() -> None:
    assert format_bytes(12) == "12 B"
    assert format_bytes(1536) == "1.5 K"
    assert format_bytes(200 * 2**20) == "200.0 M"
