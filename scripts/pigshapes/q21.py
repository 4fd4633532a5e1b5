"""Q21 in plain Python: per store id, aggregates over its orders, its store row and its
monthly targets (a store id seen in any of the three is a group)."""

import os
import sys

from common import sales, to_float, to_int, write


def _table(data, name):
    with open(os.path.join(data, name), encoding="utf-8") as f:
        return [line.rstrip("\n").split(",") for line in f]


def main(data, out):
    orders = {}  # store -> [n, revenue, qty sum, qty count, last ts, returned]
    columns = ("store_id", "total", "quantity", "order_ts", "status")
    for store, total, qty, ts, status in sales(data, columns):
        g = orders.get(store)
        if g is None:
            g = orders[store] = [0, None, 0, 0, None, 0]
        g[0] += 1
        if total is not None:
            g[1] = total if g[1] is None else g[1] + total
        if qty is not None:
            g[2] += qty
            g[3] += 1
        if ts is not None and (g[4] is None or ts > g[4]):
            g[4] = ts
        if status == "returned":
            g[5] += 1
    opened = {}  # store -> [open years]
    for row in _table(data, "stores.csv"):
        opened.setdefault(to_int(row[0]), []).append(to_int(row[4]))
    targets = {}  # store -> [sum, count]
    for row in _table(data, "targets.csv"):
        t = targets.setdefault(to_int(row[0]), [None, 0])
        value = to_float(row[2])
        if value is not None:
            t[0] = value if t[0] is None else t[0] + value
        t[1] += 1
    rows = []
    for store in orders.keys() | opened.keys() | targets.keys():
        n, revenue, qsum, qn, last, returned = orders.get(store, (0, None, 0, 0, None, 0))
        target, months = targets.get(store, (None, 0))
        years = [y for y in opened.get(store, ()) if y is not None]
        rows.append(
            (store, n, revenue, qsum / qn if qn else None, last, returned, target, months,
             min(years) if years else None, "known" if store in opened else "unknown")
        )  # fmt: skip
    write(out, "q21", rows)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
