"""Q36 in plain Python: per driver (the null driver a group too) the trips with a total, the
distinct (pick-up, drop-off) pairs whose pick-up is not null, and the three largest totals."""

import heapq
import sys

from common import write
from tripref import trips


def main(data, out):
    groups = {}
    for driver, pu, do, total in trips(data, ("driver_id", "pu_zone", "do_zone", "total")):
        if total is None:
            continue
        g = groups.get(driver)
        if g is None:
            g = groups[driver] = [0, set(), []]
        g[0] += 1
        g[1].add((pu, do))
        g[2].append(total)
    rows = []
    for driver, (n, pairs, totals) in groups.items():
        routes = sum(1 for pu, _ in pairs if pu is not None)
        for t in heapq.nlargest(3, totals):
            rows.append((driver, n, routes, t))
    write(out, "q36", rows)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
