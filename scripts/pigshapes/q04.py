"""Q04 in plain Python: per store: orders, distinct non-null customers, returned orders and
their value, members' average total."""

import sys

from common import sales, write

COLUMNS = ["store_id", "customer_id", "status", "total", "is_member"]


def main(data, out):
    groups = {}
    for store, customer, status, total, member in sales(data, COLUMNS):
        g = groups.get(store)
        if g is None:
            g = groups[store] = [0, set(), 0, [], []]
        g[0] += 1
        g[1].add(customer)
        if status == "returned":
            g[2] += 1
            if total is not None:
                g[3].append(total)
        if member == 1 and total is not None:
            g[4].append(total)
    write(out, "q04", (
        (store, n, len(custs - {None}), returned, sum(vals) if vals else None,
         sum(members) / len(members) if members else None)
        for store, (n, custs, returned, vals, members) in groups.items()
    ))  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
