"""Q09 in plain Python: orders and visits per customer (COGROUP: the null customers of each
side are a group of their own; COUNT skips rows whose first field, the key, is null)."""

import os
import sys

from common import sales, to_int, write


def main(data, out):
    orders = {}  # customer -> [rows, total or None]
    for customer, total in sales(data, ("customer_id", "total")):
        g = orders.get(customer)
        if g is None:
            g = orders[customer] = [0, None]
        g[0] += 1
        if total is not None:
            g[1] = total if g[1] is None else g[1] + total
    visits = {}  # user -> [rows, bytes or None]
    with open(os.path.join(data, "access.log"), encoding="utf-8") as f:
        for line in f:
            fields = line.split("\t", 7)
            user, size = to_int(fields[6]), to_int(fields[5])
            g = visits.get(user)
            if g is None:
                g = visits[user] = [0, None]
            g[0] += 1
            if size is not None:
                g[1] = size if g[1] is None else g[1] + size
    rows = []
    keys = (orders.keys() | visits.keys()) - {None}
    for key in keys:
        o, v = orders.get(key, (0, None)), visits.get(key, (0, None))
        kind = "visitor" if not o[0] else "buyer" if not v[0] else "both"
        rows.append((key, o[0], o[0], o[1], v[0], v[1], kind))
    if None in orders:
        rows.append((None, 0, orders[None][0], orders[None][1], 0, None, "buyer"))
    if None in visits:
        rows.append((None, 0, 0, None, visits[None][0], visits[None][1], "visitor"))
    write(out, "q09", rows)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
