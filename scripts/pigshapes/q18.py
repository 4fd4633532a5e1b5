"""Q18 in plain Python: JSON lines through json.loads; the map's values are text (Pig's
JsonLoader keeps a map value as its JSON text), cast to int where the script casts."""

import json
import os
import re
import sys

from common import to_int, write

PRODUCTS = re.compile(".*/products/.*")


def main(data, out):
    groups = {}  # (country, month, event) -> [n, amount, ms sum, ms count, ms max]
    with open(os.path.join(data, "events.json"), encoding="utf-8") as f:
        for line in f:
            e = json.loads(line)
            props = e["props"] or {}
            page = props.get("page")
            if not (e["event"] == "purchase" or (page is not None and PRODUCTS.fullmatch(page))):
                continue
            ms = props.get("ms")
            ms = None if ms is None else to_int(str(ms))
            key = (props.get("country"), e["ts"][:7], e["event"])
            g = groups.get(key)
            if g is None:
                g = groups[key] = [0, None, 0, 0, None]
            g[0] += 1
            if e["amount"] is not None:
                g[1] = e["amount"] if g[1] is None else g[1] + e["amount"]
            if ms is not None:
                g[2] += ms
                g[3] += 1
                if g[4] is None or ms > g[4]:
                    g[4] = ms
    rows = [(*k, g[0], g[1], g[2] / g[3] if g[3] else None, g[4]) for k, g in groups.items()]
    write(out, "q18", rows)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
