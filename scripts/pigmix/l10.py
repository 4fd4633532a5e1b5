"""L10 in plain Python: page_views ordered by query term, revenue descending, time spent
(a null is smaller than any value: first ascending, last descending)."""

import glob
import os
import sys


def lines(data, table):
    for path in sorted(glob.glob(os.path.join(data, table, "part-*"))):
        with open(path) as f:
            yield from f


def key(line):
    fields = line.split("\t", 7)
    revenue = fields[6]
    return fields[3], (0, -float(revenue)) if revenue else (1, 0.0), int(fields[2])


def main(data, out):
    rows = sorted(lines(data, "page_views"), key=key)
    os.makedirs(os.path.join(out, "L10out"))
    with open(os.path.join(out, "L10out", "part-00000"), "w") as f:
        f.writelines(rows)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
