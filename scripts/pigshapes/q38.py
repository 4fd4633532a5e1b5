"""Q38 in plain Python: each trip's pick-up borough (null when the zone is null or unknown:
the LEFT OUTER JOIN keeps it) and drop-off borough (inner), then counts and sums per pair."""

import os
import sys

from common import to_int, to_str, write
from tripref import add, avg, trips


def main(data, out):
    zones = {}
    with open(os.path.join(data, "zones.csv"), encoding="utf-8") as f:
        for line in f:
            z, borough, _name, service = line.rstrip("\n").split(",")
            zones.setdefault(to_int(z), []).append((to_str(borough), to_str(service)))
    groups = {}
    cols = ("pu_zone", "do_zone", "passengers", "distance", "total")
    for pu, do, riders, km, total in trips(data, cols):
        pus = zones.get(pu, [(None, None)]) if pu is not None else [(None, None)]
        for pu_borough, _ in pus:
            for do_borough, service in zones.get(do, []) if do is not None else []:
                g = groups.get((pu_borough, do_borough))
                if g is None:
                    g = groups[(pu_borough, do_borough)] = [0, None, None, 0, None, 0]
                g[0] += 1
                add(g, 1, riders)
                if km is not None:
                    add(g, 2, km)
                    g[3] += 1
                add(g, 4, total)
                g[5] += service is not None
    write(
        out,
        "q38",
        ((*k, n, r, avg(s, c), t, sv) for k, (n, r, s, c, t, sv) in groups.items()),
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
