"""More tables for ``scripts/bench_pigshapes.py`` (Q32-Q34), written beside ``data.py``'s
without touching them: a web server's log as raw text lines and a wide table of metrics.

Owns: writing (or reusing) under the same directory, deterministically from the seed:

- ``server.log``: ``rows`` lines in the Apache combined log format (``ip - user [time]
  "METHOD url HTTP/1.1" status bytes "referrer" "agent"``), read by TextLoader and taken
  apart with REGEX_EXTRACT_ALL; the size is ``-`` for a 304 (null), 1% of the lines are
  garbage that the pattern does not match (the tuple is null).
- ``metrics.tsv``: ``rows`` // 2 lines of 32 tab-separated columns: host (200 of them), day,
  then 30 numbers (ints and decimals), 2% of them empty and 0.5% ``NaN?`` (not a number:
  null with a warning when cast).

Must not touch: ``data.py``'s files or MANIFEST (its own ``MANIFEST.more``).
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

from data import AGENTS, WORDS, up_to_date, write_lines

FILES = ("server.log", "metrics.tsv")
METRICS = 30
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun")


def _server_line(rng: random.Random, ips: list[str]) -> str:
    if rng.random() < 0.01:
        return f"#garbage {rng.choice(WORDS)} {rng.randrange(10**6)}\n"
    ip = ips[min(int(rng.paretovariate(1.1)) - 1, len(ips) - 1)]
    user = "-" if rng.random() < 0.7 else f"u{rng.randrange(1, 5000)}"
    ts = (
        f"{1 + rng.randrange(28):02d}/{rng.choice(MONTHS)}/2024:"
        f"{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d} +0000"
    )
    method = rng.choice(("GET",) * 8 + ("POST", "HEAD"))
    r = rng.random()
    if r < 0.5:
        url = f"/api/v{rng.choice((1, 2))}/items/{rng.randrange(1, 900)}"
    elif r < 0.7:
        url = f"/search?q={rng.choice(WORDS).strip('()*')}&page={1 + rng.randrange(4)}"
    elif r < 0.85:
        url = f"/static/{rng.choice(('app.js', 'site.css', 'logo.svg'))}"
    else:
        url = "/"
    status = rng.choice((200,) * 7 + (201, 302, 304, 404, 500, 503))
    size = "-" if status == 304 else str(rng.randrange(100, 90_000))
    referrer = rng.choice(("-", "-", "https://example.com/", "https://news.site/a?b=c"))
    agent = rng.choice(AGENTS)
    return f'{ip} - {user} [{ts}] "{method} {url} HTTP/1.1" {status} {size} "{referrer}" "{agent}"\n'


def _metric(rng: random.Random, i: int) -> str:
    r = rng.random()
    if r < 0.02:
        return ""
    if r < 0.025:
        return "NaN?"
    if i % 3 == 0:
        return str(rng.randrange(0, 10_000))
    return f"{rng.uniform(0, 100):.3f}"


def _metrics_line(rng: random.Random) -> str:
    host = f"web{rng.randrange(200):03d}"
    day = f"2024-03-{1 + rng.randrange(28):02d}"
    return "\t".join([host, day, *(_metric(rng, i) for i in range(METRICS))]) + "\n"


def generate_more(directory: str | os.PathLike, rows: int, seed: int = 1) -> Path:
    """Write the files of `FILES` under ``directory`` (kept when ``MANIFEST.more`` has the
    same rows and seed)."""
    out = Path(directory)
    manifest = out / "MANIFEST.more"
    wanted = {"rows": rows, "seed": seed, "files": list(FILES)}
    if up_to_date(out, manifest, wanted, FILES):
        return out
    rng = random.Random(f"server-{seed}")
    ips = [f"192.168.{rng.randrange(256)}.{rng.randrange(1, 255)}" for _ in range(2000)]
    write_lines(out / "server.log", (_server_line(rng, ips) for _ in range(rows)))
    rng = random.Random(f"metrics-{seed}")
    write_lines(out / "metrics.tsv", (_metrics_line(rng) for _ in range(max(1, rows // 2))))
    manifest.write_text(json.dumps(wanted))
    return out
