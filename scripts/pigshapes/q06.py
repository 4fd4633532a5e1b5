"""Q06 in plain Python: the three largest orders per category (total DESC, nulls last as the
smallest value, then order id)."""

import sys

from common import sales, write


def main(data, out):
    groups = {}
    for cat, oid, total, city in sales(data, ("category", "order_id", "total", "city")):
        groups.setdefault(cat, []).append((oid, total, city))
    rows = []
    for cat, orders in groups.items():
        orders.sort(key=lambda o: (o[1] is not None, o[1] or 0.0, -o[0]), reverse=True)
        rows.extend((cat, *o) for o in orders[:3])
    write(out, "q06", rows)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
