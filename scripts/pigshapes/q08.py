"""Q08 in plain Python: orders of known stores (inner join) with their promotion if any (left
outer join), per (store region, promo): rows, net value, average store age."""

import os
import sys

from common import sales, write


def main(data, out):
    stores = {}
    with open(os.path.join(data, "stores.csv"), encoding="utf-8") as f:
        for line in f:
            sid, _name, region, _manager, opened, _sqft = line.rstrip("\n").split(",")
            stores[int(sid)] = (region, int(opened))
    promos = {}
    with open(os.path.join(data, "promos.csv"), encoding="utf-8") as f:
        for line in f:
            code, _desc, pct = line.rstrip("\n").split(",")
            promos[code] = float(pct)
    groups = {}
    for sid, code, total, year in sales(data, ("store_id", "promo_code", "total", "year")):
        store = stores.get(sid)
        if store is None:
            continue
        region, opened = store
        pct = promos.get(code)
        key = (region, "none" if pct is None else code)
        g = groups.get(key)
        if g is None:
            g = groups[key] = [0, None, 0, 0]
        g[0] += 1
        if total is not None:
            net = total * (1.0 if pct is None else 1.0 - pct)
            g[1] = net if g[1] is None else g[1] + net
        g[2] += year - opened
        g[3] += 1
    write(out, "q08", ((*k, n, net, age / m) for k, (n, net, age, m) in groups.items()))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
