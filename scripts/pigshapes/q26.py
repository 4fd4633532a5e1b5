"""Q26 in plain Python: heapq.nsmallest for the 25 largest totals (nulls sort lowest, so they
come last) and the 10 shortest sessions (ties: larger order id first)."""

import heapq
import sys

from common import sales, write


def main(data, out):
    columns = ("total", "order_id", "customer_name", "category", "session_sec", "channel")
    rows = list(sales(data, columns))
    top = heapq.nsmallest(
        25, rows, key=lambda r: (r[0] is None, -(r[0] or 0.0), r[1] is None, r[1] or 0)
    )
    low = heapq.nsmallest(
        10, rows, key=lambda r: (r[4] is not None, r[4] or 0, r[1] is None, -(r[1] or 0))
    )
    write(out, "top", (r[:4] for r in top))
    write(out, "low", ((r[4], r[1], r[5]) for r in low))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
