"""Grep: count the matches of a regex, then sort by count, descending (a two-job chain).

Owns: the ready grep job, Hadoop's ``grep <in> <out> <regex> [<group>]``. Must not touch framework
internals. The first job emits ``(match, 1)`` per match (group `group` of the regex, default the
whole match) with a summing combiner and writes binary records to a temporary directory; the
second swaps to ``(count, match)`` and sorts by count, largest first, through one reducer.
Configuration: ``mapreduce.mapper.regex`` and ``mapreduce.mapper.regexmapper..group``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Sequence

from mapred.api import Job, Step
from mapred.errors import UsageError

REGEX = "mapreduce.mapper.regex"
GROUP = "mapreduce.mapper.regexmapper..group"


class GrepCount(Job):
    output_format = "records"

    def setup(self) -> None:
        pattern = self.context.get(REGEX)
        if not pattern:
            raise ValueError(f"grep needs a regex: set {REGEX}")
        self.finditer = re.compile(pattern).finditer
        self.group = int(self.context.get(GROUP, 0) or 0)

    def map(self, offset: int, line: str) -> Iterator[tuple[str, int]]:
        group = self.group
        for match in self.finditer(line):
            yield match.group(group), 1

    def combine(self, match: str, counts: Iterator[int]) -> Iterator[tuple[str, int]]:
        yield match, sum(counts)

    reduce = combine


class GrepSort(Job):
    input_format = "records"
    reducers = 1

    def map(self, match: str, count: int) -> Iterator[tuple[int, str]]:
        yield count, match

    def sort_key(self, count: int) -> int:
        return -count


class Grep(Job):
    """``hadoop jar jobs.grep IN OUT REGEX [GROUP]``."""

    @classmethod
    def steps(cls, args: Sequence[str]) -> list[Step]:
        if len(args) not in (3, 4):
            raise UsageError("Usage: grep <inDir> <outDir> <regex> [<group>]")
        inputs, output, regex = args[0], args[1], args[2]
        try:
            re.compile(regex)
        except re.error as e:
            raise UsageError(f"grep: bad regex {regex!r}: {e}") from None
        conf = {REGEX: regex, GROUP: args[3] if len(args) == 4 else "0"}
        temp = f"{output.rstrip('/')}-grep-temp-{uuid.uuid4().hex[:8]}"
        return [
            Step(GrepCount, [inputs], temp, conf, name="grep-search"),
            Step(GrepSort, [temp], output, {**conf, "mapreduce.job.reduces": 1}, name="grep-sort"),
        ]


JOB = Grep
