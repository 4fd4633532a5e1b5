"""Q13 in plain Python: each region's share of the grand total, next to the overall figures."""

import sys

from common import sales, write


def main(data, out):
    regions = {}
    n, values = 0, []
    for region, total in sales(data, ("region", "total")):
        n += 1
        if total is not None:
            values.append(total)
            regions[region] = regions.get(region, 0.0) + total
        else:
            regions.setdefault(region, None)
    grand = sum(values) if values else None
    avg = grand / len(values) if values else None
    lo, hi = min(values, default=None), max(values, default=None)
    write(out, "q13", (
        (region, t, None if t is None or grand is None else t / grand, n, avg, lo, hi)
        for region, t in regions.items()
    ))  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
