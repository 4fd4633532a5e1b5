"""A Zipf-distributed text corpus for wordcount and grep.

Owns: a deterministic vocabulary of pseudo-words and corpora of lines drawn from it, written as
``<out>/part-00000`` (more parts above 256 MiB) through fsspec, and parsing sizes like ``200MB``.
Must not touch: any job; the corpus is plain ASCII text, one line of 10-15 words per row.

Words are drawn independently with probability proportional to ``1 / rank ** zipf_s`` from a
vocabulary of ``vocabulary`` pseudo-words (syllable strings of 3+ letters, unique). Shorter words
tend to get the frequent ranks, as in natural language; a token averages about 4 letters. The
corpus ends at the line end nearest ``size_bytes``. Sizes use binary units (``200MB`` = 200 MiB),
as Hadoop reports them. Speed: about 20 MB/s on a 2-core VM (200 MB in ~11 s).
Determinism: the same seed, size, vocabulary and exponent give a byte-identical corpus.
"""

from __future__ import annotations

import logging
import random
import re
import time
from collections.abc import Iterator
from itertools import accumulate
from typing import Any

from datasets.errors import DatasetError
from datasets.parts import DEFAULT_PART_BYTES, PartWriter, nearest_line_end
from datasets.progress import Progress
from datasets.zipf import ByteTable, ZipfSampler

__all__ = ["build_vocabulary", "generate_text", "parse_size", "text_lines"]

log = logging.getLogger(__name__)

DEFAULT_VOCABULARY = 50_000
DEFAULT_ZIPF_S = 1.1
LINE_WORDS = range(10, 16)
BATCH_WORDS = 500_000
MIN_WORD = 3  # characters
LENGTH_NOISE = 5.0  # rank words by length plus up to this many characters of noise
_ONSETS = ("", "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v",
           "w", "z", "br", "ch", "cl", "dr", "fl", "gr", "pl", "pr", "sh", "st", "th", "tr")
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ea", "io", "ou")
_CODAS = ("", "", "", "n", "r", "s", "t", "l", "m", "nd", "st")
_SYLLABLES = (1, 2, 3, 4)
_SYLLABLE_WEIGHTS = (8, 45, 35, 12)
_UNITS = {"": 1, "b": 1, "k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10, "m": 1 << 20,
          "mb": 1 << 20, "mib": 1 << 20, "g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30}
_SIZE = re.compile(r"\s*(\d+(?:\.\d*)?)\s*([a-zA-Z]*)\s*")


def parse_size(text: str) -> int:
    """Bytes in a size such as ``200MB``, ``1.5G``, ``64k`` or ``1000`` (binary units).

    >>> parse_size("200MB"), parse_size("64k"), parse_size("12")
    (209715200, 65536, 12)
    """
    m = _SIZE.fullmatch(text)
    unit = m.group(2).lower() if m else None
    if m is None or unit not in _UNITS:
        raise DatasetError(f"bad size {text!r}: use a number with an optional unit, e.g. 200MB")
    return int(float(m.group(1)) * _UNITS[unit])


def build_vocabulary(n: int, seed: int) -> list[str]:
    """``n`` distinct pseudo-words of 3+ letters, index = frequency rank, roughly shortest first
    (length plus noise, so a token averages about 4 letters, near English text's 4.7)."""
    if n < 1:
        raise DatasetError(f"--vocabulary must be at least 1, got {n}")
    rng = random.Random(f"minihadoop-text:{seed}:vocabulary")
    words: set[str] = set()
    ordered: list[str] = []
    while len(ordered) < n:
        syllables = rng.choices(_SYLLABLES, _SYLLABLE_WEIGHTS)[0] + len(ordered) // 2_000_000
        word = "".join(
            rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)
            for _ in range(syllables)
        )
        if len(word) >= MIN_WORD and word not in words:
            words.add(word)
            ordered.append(word)
    noise = rng.random
    ordered.sort(key=lambda w: len(w) + LENGTH_NOISE * noise())
    return ordered


def text_lines(
    size_bytes: int, seed: int = 1, vocabulary: int = DEFAULT_VOCABULARY,
    zipf_s: float = DEFAULT_ZIPF_S,
) -> Iterator[str]:
    """The corpus as chunks of whole lines; together they end at the line end nearest
    ``size_bytes``."""
    if size_bytes < 0:
        raise DatasetError(f"--size must not be negative, got {size_bytes}")
    if zipf_s < 0:
        raise DatasetError(f"--zipf must be >= 0, got {zipf_s}")
    vocab = build_vocabulary(vocabulary, seed)
    n = len(vocab)
    table = [w + " " for w in vocab] + [w + "\n" for w in vocab]
    rng = random.Random(f"minihadoop-text:{seed}:corpus")
    zipf = ZipfSampler(n, zipf_s, rng)
    lengths = ByteTable(list(LINE_WORDS), [1] * len(LINE_WORDS), rng)
    written = 0
    while written < size_bytes:
        ranks = zipf.sample(BATCH_WORDS)
        ends = list(accumulate(lengths.sample(BATCH_WORDS // LINE_WORDS.start)))
        last = 0
        for end in ends:
            if end > BATCH_WORDS:
                break
            ranks[end - 1] += n
            last = end
        text = "".join(map(table.__getitem__, ranks[:last]))
        if written + len(text) >= size_bytes:
            yield text[: nearest_line_end(text, size_bytes - written)]
            return
        written += len(text)
        yield text


def generate_text(
    out_url: str,
    size_bytes: int,
    seed: int = 1,
    vocabulary: int = DEFAULT_VOCABULARY,
    zipf_s: float = DEFAULT_ZIPF_S,
    *,
    part_bytes: int = DEFAULT_PART_BYTES,
    progress: bool | None = None,
    storage_options: dict[str, Any] | None = None,
) -> tuple[int, int]:
    """Write a corpus of about ``size_bytes`` under ``out_url``; returns ``(rows, bytes)``.

    ``progress``: show a progress line on stderr (None: only when stderr is a terminal).
    ``storage_options`` go to ``fsspec.core.url_to_fs`` (e.g. a ``dfs://`` cluster's ``home``).
    """
    started = time.monotonic()
    chunks = text_lines(size_bytes, seed, vocabulary, zipf_s)
    with Progress("text", size_bytes, enabled=progress) as bar, \
            PartWriter(out_url, part_bytes, bar, storage_options) as out:
        for chunk in chunks:
            out.write(chunk)
    elapsed = max(time.monotonic() - started, 1e-9)
    log.info("text: %d lines, %d bytes in %.1fs (%.1f MB/s)",
             out.rows, out.bytes, elapsed, out.bytes / 1e6 / elapsed)
    return out.rows, out.bytes
