"""Q39 in plain Python: trips joined to the JSON drivers (null and unknown drivers dropped),
counts and averages per (car make, age class, number of languages), and per language."""

import json
import os
import sys

from common import write
from tripref import add, avg, trips


def main(data, out):
    drivers = {}
    with open(os.path.join(data, "drivers.json"), encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            drivers.setdefault(d["driver_id"], []).append(d)
    groups, langs = {}, {}
    for driver, total, tip, rating in trips(data, ("driver_id", "total", "tip", "rating")):
        for d in drivers.get(driver, ()) if driver is not None else ():
            year = d["car"]["year"]
            age = "unknown" if year is None else "new" if year >= 2020 else "old"
            key = (d["car"]["make"], age, len(d["langs"]))
            g = groups.get(key)
            if g is None:
                g = groups[key] = [0, None, None, 0, None, 0, None]
            g[0] += 1
            add(g, 1, total)
            if tip is not None:
                add(g, 2, tip)
                g[3] += 1
            if rating is not None:
                add(g, 4, rating)
                g[5] += 1
            if d["score"] is not None:
                g[6] = d["score"] if g[6] is None else max(g[6], d["score"])
            for lang in d["langs"]:
                h = langs.setdefault(lang["l"], [0, None])
                h[0] += 1
                add(h, 1, total)
    write(
        out,
        "q39a",
        (
            (*k, n, t, avg(tp, tc), avg(r, rc), s)
            for k, (n, t, tp, tc, r, rc, s) in groups.items()
        ),
    )
    write(out, "q39b", ((lang, n, t) for lang, (n, t) in langs.items()))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
