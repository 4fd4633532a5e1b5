"""Q27 in plain Python: orders and visits per user in one dict (the null user is one group)."""

import sys

from common import logs, sales, write


def main(data, out):
    groups = {}  # user -> [orders, spent, visits, bytes, rows]
    for user, amount in sales(data, ("customer_id", "total")):
        g = groups.get(user)
        if g is None:
            g = groups[user] = [0, None, 0, None, 0]
        g[4] += 1
        if amount is not None:
            g[0] += 1
            g[1] = amount if g[1] is None else g[1] + amount
    for user, size, url in logs(data, ("user_id", "bytes", "url")):
        g = groups.get(user)
        if g is None:
            g = groups[user] = [0, None, 0, None, 0]
        g[4] += 1
        if url is not None:
            g[2] += 1
        if size is not None:
            g[3] = size if g[3] is None else g[3] + size
    write(out, "q27", ((user, *g) for user, g in groups.items()))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
