"""Q41 in plain Python: booleans with three values (true, false, null): NOT null and a null
condition drop the row, a bincond on null is null, COUNT skips a null first field."""

import sys

from common import write
from tripref import add, avg, pig_bool, trips


def main(data, out):
    groups, kinds = {}, {}
    cols = ("is_shared", "cancelled", "store_fwd", "passengers", "total", "city")
    for shared, cancelled, fwd, riders, total, city in trips(data, cols):
        if cancelled is False:
            key = (pig_bool(shared), pig_bool(fwd), city)
            g = groups.get(key)
            if g is None:
                g = groups[key] = [0, None, None, 0]
            g[0] += 1
            add(g, 1, riders)
            if total is not None:
                add(g, 2, total)
                g[3] += 1
        if fwd is True:
            kind = None if shared is None else "pool" if shared else "solo"
            cn = None if cancelled is None else 1 if cancelled else 0
            key = (kind, pig_bool(cancelled))
            h = kinds.get(key)
            if h is None:
                h = kinds[key] = [0, None, None]
            h[0] += kind is not None
            add(h, 1, cn)
            add(h, 2, total)
    write(out, "q41a", ((*k, n, r, avg(t, c)) for k, (n, r, t, c) in groups.items()))
    write(out, "q41b", ((*k, n, c, t) for k, (n, c, t) in kinds.items()))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
