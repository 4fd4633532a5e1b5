"""Q30 in plain Python: orders and visits per (customer, month); a key with a null field
is never shared between the two inputs (Pig's PIG-927 rule), so those keys give one row per
input."""

import sys

from common import logs, sales, write


def _add(groups, key, value):
    g = groups.get(key)
    if g is None:
        g = groups[key] = [0, None]
    g[0] += 1
    if value is not None:
        g[1] = value if g[1] is None else g[1] + value


def main(data, out):
    orders, visits = {}, {}
    for customer, month, total in sales(data, ("customer_id", "month", "total")):
        _add(orders, (customer, month), total)
    for user, ts, size in logs(data, ("user_id", "ts", "bytes")):
        _add(visits, (user, int(ts[5:7])), size)
    rows = []
    for key in orders.keys() | visits.keys():
        if None in key:  # apart per input
            if key in orders:
                rows.append((*key, *orders[key], 0, None))
            if key in visits:
                rows.append((*key, 0, None, *visits[key]))
        else:
            o, v = orders.get(key, (0, None)), visits.get(key, (0, None))
            rows.append((*key, *o, *v))
    write(out, "q30", rows)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
