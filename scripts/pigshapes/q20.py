"""Q20 in plain Python: each log line's bytes looked up in the five buckets (a loop over the
small table, as the CROSS + FILTER does), counts and sums per (bucket, method)."""

import os
import sys

from common import logs, to_int, write


def main(data, out):
    with open(os.path.join(data, "buckets.csv"), encoding="utf-8") as f:
        buckets = [
            (n, to_int(lo), to_int(hi)) for n, lo, hi in (ln.rstrip("\n").split(",") for ln in f)
        ]
    groups = {}  # (bucket, method) -> [n, bytes]
    for method, size in logs(data, ("method", "bytes")):
        if size is None:
            continue
        for name, lo, hi in buckets:
            if lo <= size < hi:
                g = groups.get((name, method))
                if g is None:
                    g = groups[(name, method)] = [0, 0]
                g[0] += 1
                g[1] += size
    write(out, "q20", ((b, m, n, s, s / n) for (b, m), (n, s) in groups.items()))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
