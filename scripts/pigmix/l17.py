"""L17 in plain Python: group the wide rows by 21 of their 27 fields, three sums and three
averages per group."""

import glob
import os
import sys

KEY = [0, 1, 2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 14, 15, 18, 19, 20, 21, 22, 23, 24]
TIMES = (2, 11, 20)
REVENUES = (6, 15, 24)


def lines(data, table):
    for path in sorted(glob.glob(os.path.join(data, table, "part-*"))):
        with open(path) as f:
            yield from f


def main(data, out):
    groups = {}
    for line in lines(data, "widegroupbydata"):
        fields = line.rstrip("\n").split("\t")
        key = tuple(fields[i] for i in KEY)
        acc = groups.get(key)
        if acc is None:
            acc = groups[key] = [0, 0, 0, 0.0, 0, 0.0, 0, 0.0, 0]
        for i, col in enumerate(TIMES):
            acc[i] += int(fields[col])
        for i, col in enumerate(REVENUES):
            if fields[col]:
                acc[3 + 2 * i] += float(fields[col])
                acc[4 + 2 * i] += 1
    os.makedirs(os.path.join(out, "L17out"))
    with open(os.path.join(out, "L17out", "part-00000"), "w") as f:
        for acc in groups.values():
            averages = [
                repr(acc[3 + 2 * i] / acc[4 + 2 * i]) if acc[4 + 2 * i] else "" for i in range(3)
            ]
            f.write("\t".join([str(acc[0]), str(acc[1]), str(acc[2]), *averages]) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
