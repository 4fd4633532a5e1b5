"""L5 in plain Python: page-view users missing from the users table (the null user is one group
of its own, which has no users row either)."""

import glob
import os
import sys


def lines(data, table):
    for path in sorted(glob.glob(os.path.join(data, table, "part-*"))):
        with open(path) as f:
            yield from f


def main(data, out):
    names = {line.split("\t", 1)[0] for line in lines(data, "users")}
    missing = set()
    for line in lines(data, "page_views"):
        user = line.split("\t", 1)[0]
        if user not in names:
            missing.add(user)
    os.makedirs(os.path.join(out, "L5out"))
    with open(os.path.join(out, "L5out", "part-00000"), "w") as f:
        for user in missing:
            f.write(f"{user}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
