"""L11 in plain Python: the distinct users of page_views and widerow together."""

import glob
import os
import sys


def lines(data, table):
    for path in sorted(glob.glob(os.path.join(data, table, "part-*"))):
        with open(path) as f:
            yield from f


def main(data, out):
    users = {line.split("\t", 1)[0] for line in lines(data, "page_views")}
    users.update(line.split("\t", 1)[0] for line in lines(data, "widerow"))
    os.makedirs(os.path.join(out, "L11out"))
    with open(os.path.join(out, "L11out", "part-00000"), "w") as f:
        for user in users:
            f.write(f"{user}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
