"""Q24 in plain Python: every promotion with its cancelled phone orders of 2024 (none: a
count of 0 and null sums), and those orders with their store's name and region (null for an
unknown store)."""

import os
import sys

from common import sales, to_float, to_int, write


def main(data, out):
    columns = ("status", "channel", "year", "order_id", "promo_code", "total", "store_id")
    orders = [
        row[3:]
        for row in sales(data, columns)
        if row[0] == "cancelled" and row[1] == "phone" and row[2] == 2024
    ]
    by_code = {}
    for oid, code, total, _ in orders:
        if code is not None:
            by_code.setdefault(code, []).append((oid, total))
    with open(os.path.join(data, "promos.csv"), encoding="utf-8") as f:
        promos = [line.rstrip("\n").split(",") for line in f]
    groups = {}  # code -> [orders, total, max pct]
    for code, _, pct in promos:
        code, pct = code or None, to_float(pct)
        g = groups.setdefault(code, [0, None, None])
        for _, total in by_code.get(code, ()) if code is not None else ():
            g[0] += 1
            if total is not None:
                g[1] = total if g[1] is None else g[1] + total
        if pct is not None and (g[2] is None or pct > g[2]):
            g[2] = pct
    rows = [(code, *g) for code, g in groups.items()]
    stores = {}
    with open(os.path.join(data, "stores.csv"), encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split(",")
            stores.setdefault(to_int(fields[0]), []).append((fields[1], fields[2]))
    joined = []
    for oid, _, _, store in orders:
        for name, region in stores.get(store, [(None, None)]):
            joined.append((oid, store, name, region))
    write(out, "q24", rows)
    write(out, "q24b", joined)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
