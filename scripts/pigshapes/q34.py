"""Q34 in plain Python: heapq.nsmallest of the purchases by (ts descending, user ascending
with nulls first); ts is ASCII text, so Python's order of it is Java's."""

import heapq
import json
import os
import sys

from common import write


def main(data, out):
    rows = []
    with open(os.path.join(data, "events.json"), encoding="utf-8") as f:
        for line in f:
            e = json.loads(line)
            if e["event"] != "purchase":
                continue
            country = (e["props"] or {}).get("country")
            rows.append((e["ts"], e["user"], e["amount"], country))
    # ts descending: sort by the negated code points; user ascending, nulls first
    top = heapq.nsmallest(
        20, rows, key=lambda r: ([-ord(c) for c in r[0]], r[1] is not None, r[1] or 0)
    )
    write(out, "q34", top)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
