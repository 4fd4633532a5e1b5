"""L16 in plain Python: per user, the revenues sorted, then summed (null when all are null)."""

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
        fields = line.split("\t", 7)
        revenue = fields[6]
        groups.setdefault(fields[0], []).append(float(revenue) if revenue else None)
    os.makedirs(os.path.join(out, "L16out"))
    with open(os.path.join(out, "L16out", "part-00000"), "w") as f:
        for user, revenues in groups.items():
            values = sorted(r for r in revenues if r is not None)
            f.write(f"{user}\t{repr(sum(values)) if values else ''}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
