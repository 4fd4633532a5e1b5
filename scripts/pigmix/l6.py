"""L6 in plain Python: time spent per (user, query term, ip, timestamp)."""

import glob
import os
import sys


def lines(data, table):
    for path in sorted(glob.glob(os.path.join(data, table, "part-*"))):
        with open(path) as f:
            yield from f


def main(data, out):
    sums = {}
    for line in lines(data, "page_views"):
        user, _, timespent, term, ip, ts, _ = line.split("\t", 6)
        key = (user, term, int(ip), int(ts))
        sums[key] = sums.get(key, 0) + int(timespent)
    os.makedirs(os.path.join(out, "L6out"))
    with open(os.path.join(out, "L6out", "part-00000"), "w") as f:
        for (user, term, ip, ts), total in sums.items():
            f.write(f"{user}\t{term}\t{ip}\t{ts}\t{total}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
