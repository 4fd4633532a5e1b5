"""Q28 in plain Python: the CASEs as if/elif, the hour and the day count from
datetime.fromisoformat, aggregates per (kind, size, outcome, hour // 6)."""

import sys
from datetime import datetime

from common import logs, write

BASE = datetime(2024, 1, 1)


def main(data, out):
    groups = {}  # key -> [n, first day, last day, hour sum]
    for ts, method, status, size in logs(data, ("ts", "method", "status", "bytes")):
        kind = "read" if method in ("GET", "HEAD") else "write"
        if size is None:
            bucket = "none"
        elif size < 1000:
            bucket = "small"
        elif size < 50000:
            bucket = "medium"
        else:
            bucket = "large"
        outcome = "server" if status >= 500 else "client" if status >= 400 else "ok"
        t = datetime.fromisoformat(ts)
        day = int((t - BASE).total_seconds() // 86400)
        key = (kind, bucket, outcome, t.hour // 6)
        g = groups.get(key)
        if g is None:
            groups[key] = [1, day, day, t.hour]
        else:
            g[0] += 1
            g[1] = min(g[1], day)
            g[2] = max(g[2], day)
            g[3] += t.hour
    write(out, "q28", ((*k, n, lo, hi, hours / n) for k, (n, lo, hi, hours) in groups.items()))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
