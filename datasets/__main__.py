"""Command line for the generators: ``python -m datasets ncbo|text|pigmix ...``.

Owns: argument parsing, the one-line summaries on stdout and one-line errors on stderr (exit 1
for a bad value, 2 for bad usage; a traceback only with ``--debug``).
Must not touch: how data is generated (``datasets.ncbo``, ``datasets.text``, ``datasets.pigmix``).

    python -m datasets ncbo --profile wp|ct|pm|all --scale 0.001 --out URL --seed 1
                           [--relation-scale S] [--reuse]
    python -m datasets text --size 200MB --out URL --seed 1 [--vocabulary 50000 --zipf 1.1]
    python -m datasets pigmix --rows 500000 --out URL --seed 1
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence

from datasets.ncbo import PROFILES, DatasetError, generate_ncbo, reusable_tables
from datasets.parts import DEFAULT_PART_BYTES
from datasets.pigmix import generate_pigmix
from datasets.progress import format_bytes
from datasets.text import DEFAULT_VOCABULARY, DEFAULT_ZIPF_S, generate_text, parse_size

PROG = "python -m datasets"


class _Parser(argparse.ArgumentParser):
    """argparse, but usage mistakes are one line: ``prog: error: message``."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _size(text: str) -> int:
    try:
        return parse_size(text)
    except DatasetError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _profiles(text: str) -> tuple[str, ...]:
    if text == "all":
        return PROFILES
    chosen = tuple(p.strip() for p in text.split(",") if p.strip())
    bad = [p for p in chosen if p not in PROFILES]
    if bad or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown profile {(bad or [text])[0]!r}: choose wp, ct, pm, a comma list, or all"
        )
    return chosen


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--out", required=True, help="output URL (dfs://, memory://, a path, ...)")
    common.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    common.add_argument("--part-size", type=_size, default=DEFAULT_PART_BYTES,
                        help="largest part file (default 256MB)")
    common.add_argument("--quiet", action="store_true", help="no progress line")
    common.add_argument("--debug", action="store_true", help="tracebacks and debug logging")
    parser = _Parser(prog=PROG, description="Deterministic data generators for minihadoop.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    ncbo = sub.add_parser(
        "ncbo", parents=[common], help="NCBO-like relation + annotation tables",
        description="Writes <out>/relation/part-00000, <out>/annotations_<profile>/part-00000 "
        "(tab-separated, no header) and <out>/_manifest.json; scale 1 is the 2011 study's size.",
    )
    ncbo.add_argument("--profile", type=_profiles, default=("wp",),
                      help="wp, ct, pm, a comma list, or all (default wp)")
    ncbo.add_argument("--scale", type=float, default=0.001,
                      help="fraction of the study's sizes (default 0.001)")
    ncbo.add_argument("--reuse", action="store_true",
                      help="keep tables already generated with the same seed and scales")
    ncbo.add_argument("--relation-scale", type=float, default=None,
                      help="size the relation apart from the annotations (default: --scale)")
    text = sub.add_parser(
        "text", parents=[common], help="a Zipf text corpus for wordcount",
        description="Writes <out>/part-00000 (more parts above --part-size): lines of 10-15 "
        "Zipf-distributed pseudo-words.",
    )
    text.add_argument("--size", type=_size, required=True, help="corpus size, e.g. 200MB")
    text.add_argument("--vocabulary", type=int, default=DEFAULT_VOCABULARY,
                      help=f"distinct words (default {DEFAULT_VOCABULARY})")
    text.add_argument("--zipf", type=float, default=DEFAULT_ZIPF_S,
                      help=f"Zipf exponent (default {DEFAULT_ZIPF_S})")
    pigmix = sub.add_parser(
        "pigmix", parents=[common], help="PigMix-shaped tables for scripts/bench_pigmix.py",
        description="Writes <out>/page_views, users, power_users, widerow, widegroupbydata, ... "
        "(tab-separated PigStorage text with maps and bags) and <out>/_manifest.json.",
    )
    pigmix.add_argument("--rows", type=int, default=500_000,
                        help="page_views rows (default 500000)")
    return parser


def _run(args: argparse.Namespace) -> None:
    progress = False if args.quiet else None
    started = time.monotonic()
    reused: set[str] = set()
    if args.command == "ncbo":
        if args.reuse:
            reused = reusable_tables(args.out, args.profile, args.scale, args.seed,
                                     relation_scale=args.relation_scale)
        stats = generate_ncbo(args.out, args.profile, args.scale, args.seed,
                              part_bytes=args.part_size, progress=progress,
                              relation_scale=args.relation_scale, reuse=args.reuse)
        rows = [(name, s.rows, s.bytes, s.url) for name, s in stats.items()]
    elif args.command == "pigmix":
        stats = generate_pigmix(args.out, args.rows, args.seed, part_bytes=args.part_size,
                                progress=progress)
        rows = [(name, n, size, url) for name, (url, n, size) in stats.items()]
    else:
        n, size = generate_text(args.out, args.size, args.seed, args.vocabulary, args.zipf,
                                part_bytes=args.part_size, progress=progress)
        rows = [("text", n, size, args.out)]
    elapsed = max(time.monotonic() - started, 1e-9)
    total = sum(r[2] for r in rows if r[0] not in reused)
    for name, n, size, url in rows:
        note = "  (reused)" if name in reused else ""
        print(f"{name:<16}{n:>14,} rows{size:>16,} bytes  {url}{note}")
    print(f"wrote {format_bytes(total)} in {elapsed:.1f}s ({total / 1e6 / elapsed:.1f} MB/s)")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        _run(args)
    except DatasetError as e:
        if args.debug:
            raise
        print(f"{PROG} {args.command}: {e}", file=sys.stderr)
        return 1
    except (OSError, ValueError) as e:
        if args.debug:
            raise
        print(f"{PROG} {args.command}: cannot write {args.out}: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG} {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # noqa: BLE001 - the CLI's last line of defence
        if args.debug:
            raise
        print(f"{PROG} {args.command}: ERROR 2999: Unexpected internal error. {e}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
