"""L4 in plain Python: distinct actions per user."""

import glob
import os
import sys


def lines(data, table):
    for path in sorted(glob.glob(os.path.join(data, table, "part-*"))):
        with open(path) as f:
            yield from f


def main(data, out):
    actions = {}
    for line in lines(data, "page_views"):
        user, action, _ = line.split("\t", 2)
        actions.setdefault(user or None, set()).add(int(action))
    os.makedirs(os.path.join(out, "L4out"))
    with open(os.path.join(out, "L4out", "part-00000"), "w") as f:
        for user, seen in actions.items():
            f.write(f"{user or ''}\t{len(seen)}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
