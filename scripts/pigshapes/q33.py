"""Q33 in plain Python: the wide table's fields cast by hand (to_int/to_float as Pig's
Utf8StorageConverter; a null operand makes the result null), aggregated per host."""

import os
import sys

from common import to_float, to_int, write


def _add(a, b):
    return None if a is None or b is None else a + b


def main(data, out):
    groups = {}  # host -> [n, reqs, cpu sum, cpu n, peak, low, hot, conns, lat sum, lat n]
    with open(os.path.join(data, "metrics.tsv"), encoding="utf-8") as f:
        for line in f:
            m = line.rstrip("\n").split("\t")
            host, v = m[0] or None, m[2:]
            i = [to_int(x) for x in (v[0], v[3], v[6], v[9])]
            d = {k: to_float(v[k]) for k in (1, 2, 4, 5, 7, 8, 10, 28)}
            reqs = _add(_add(i[0], i[1]), i[2])
            cpu = _add(d[1], d[2])
            load = None if d[4] is None or d[5] is None else d[4] * d[5] / 100.0
            delta = None if d[7] is None or d[8] is None else d[7] - d[8]
            hot = None if d[10] is None else (1 if d[10] > 50.0 else 0)
            g = groups.get(host)
            if g is None:
                g = groups[host] = [0, None, 0.0, 0, None, None, None, None, 0.0, 0]
            g[0] += 1
            if reqs is not None:
                g[1] = reqs if g[1] is None else g[1] + reqs
            if cpu is not None:
                g[2] += cpu
                g[3] += 1
            if load is not None and (g[4] is None or load > g[4]):
                g[4] = load
            if delta is not None and (g[5] is None or delta < g[5]):
                g[5] = delta
            if hot is not None:
                g[6] = hot if g[6] is None else g[6] + hot
            if i[3] is not None and (g[7] is None or i[3] > g[7]):
                g[7] = i[3]
            if d[28] is not None:
                g[8] += d[28]
                g[9] += 1
    rows = (
        (h, g[0], g[1], g[2] / g[3] if g[3] else None, g[4], g[5], g[6], g[7],
         g[8] / g[9] if g[9] else None)
        for h, g in groups.items()
    )  # fmt: skip
    write(out, "q33", rows)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
