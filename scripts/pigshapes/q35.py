"""Q35 in plain Python: trips per (month, weekday, hour of the pick-up in its own offset),
durations from the datetime difference truncated toward zero, negative ones left out."""

import sys

from common import write
from tripref import add, avg, trips


def main(data, out):
    groups = {}
    for pickup, dropoff, distance in trips(data, ("pickup", "dropoff", "distance")):
        if pickup is None or dropoff is None:
            continue
        delta = dropoff - pickup
        ms = delta.days * 86_400_000 + delta.seconds * 1000 + delta.microseconds // 1000
        secs, mins = int(ms / 1000), int(ms / 60000)
        if secs < 0:
            continue
        key = (pickup.month, pickup.strftime("%a"), pickup.hour)
        g = groups.get(key)
        if g is None:
            g = groups[key] = [0, 0, None, None]
        g[0] += 1
        g[1] += mins
        g[2] = secs if g[2] is None else max(g[2], secs)
        add(g, 3, distance)
    rows = ((*k, n, avg(m, n), longest, km) for k, (n, m, longest, km) in groups.items())
    write(out, "q35", rows)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
