"""L7 in plain Python: morning and afternoon views per user (COUNT skips a null first field,
so the null user's counts are 0)."""

import glob
import os
import sys


def lines(data, table):
    for path in sorted(glob.glob(os.path.join(data, table, "part-*"))):
        with open(path) as f:
            yield from f


def main(data, out):
    counts = {}
    for line in lines(data, "page_views"):
        fields = line.split("\t", 6)
        user, ts = fields[0], int(fields[5])
        pair = counts.get(user)
        if pair is None:
            pair = counts[user] = [0, 0]
        if user:
            pair[ts >= 43200] += 1
    os.makedirs(os.path.join(out, "L7out"))
    with open(os.path.join(out, "L7out", "part-00000"), "w") as f:
        for user, (morning, afternoon) in counts.items():
            f.write(f"{user}\t{morning}\t{afternoon}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
