"""L8 in plain Python: total time spent and average revenue over all rows (nulls skipped)."""

import glob
import os
import sys


def lines(data, table):
    for path in sorted(glob.glob(os.path.join(data, table, "part-*"))):
        with open(path) as f:
            yield from f


def main(data, out):
    time_total, revenue_total, revenue_n = 0, 0.0, 0
    for line in lines(data, "page_views"):
        fields = line.split("\t", 7)
        time_total += int(fields[2])
        if fields[6]:
            revenue_total += float(fields[6])
            revenue_n += 1
    average = repr(revenue_total / revenue_n) if revenue_n else ""
    os.makedirs(os.path.join(out, "L8out"))
    with open(os.path.join(out, "L8out", "part-00000"), "w") as f:
        f.write(f"{time_total}\t{average}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
