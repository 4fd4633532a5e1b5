"""Q22 in plain Python: one pass with two sets and running aggregates over the whole log."""

import sys

from common import logs, write


def main(data, out):
    n = errors = 0
    ips, users = set(), set()
    total, sized = 0, 0
    first = last = max_status = None
    for ts, ip, status, size, user in logs(data, ("ts", "ip", "status", "bytes", "user_id")):
        n += 1
        ips.add(ip)
        users.add(user)
        if size is not None:
            total += size
            sized += 1
        if first is None or ts < first:
            first = ts
        if last is None or ts > last:
            last = ts
        if status is not None:
            if status >= 500:
                errors += 1
            if max_status is None or status > max_status:
                max_status = status
    row = (
        n, len(ips - {None}), len(users - {None}), len(users), total if sized else None,
        total / sized if sized else None, first, last, errors, max_status,
    )  # fmt: skip
    write(out, "q22", [row])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
