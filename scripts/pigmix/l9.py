"""L9 in plain Python: page_views ordered by query term (null first), written back whole."""

import glob
import os
import sys


def lines(data, table):
    for path in sorted(glob.glob(os.path.join(data, table, "part-*"))):
        with open(path) as f:
            yield from f


def main(data, out):
    rows = [(line.split("\t", 4)[3], line) for line in lines(data, "page_views")]
    rows.sort(key=lambda row: row[0])  # "" (null) sorts before every term
    os.makedirs(os.path.join(out, "L9out"))
    with open(os.path.join(out, "L9out", "part-00000"), "w") as f:
        f.writelines(line for _, line in rows)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
