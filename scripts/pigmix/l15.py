"""L15 in plain Python: per user, the number of distinct actions, the sum of distinct revenues
and the average of distinct times spent, truncated to an int."""

import glob
import os
import sys


def lines(data, table):
    for path in sorted(glob.glob(os.path.join(data, table, "part-*"))):
        with open(path) as f:
            yield from f


def main(data, out):
    groups = {}
    for line in lines(data, "page_views"):
        user, action, timespent, _, _, _, revenue, _ = line.split("\t", 7)
        sets = groups.get(user)
        if sets is None:
            sets = groups[user] = (set(), set(), set())
        sets[0].add(action)
        sets[1].add(float(revenue) if revenue else None)
        sets[2].add(int(timespent))
    os.makedirs(os.path.join(out, "L15out"))
    with open(os.path.join(out, "L15out", "part-00000"), "w") as f:
        for user, (actions, revenues, times) in groups.items():
            values = [r for r in revenues if r is not None]
            total = repr(sum(values)) if values else ""
            f.write(f"{user}\t{len(actions)}\t{total}\t{int(sum(times) / len(times))}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
