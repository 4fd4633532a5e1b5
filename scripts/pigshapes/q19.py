"""Q19 in plain Python: the profiles' [k#v,...] maps into dicts, a dict lookup per log line
(null user ids and unknown users drop out, as in an inner join), then aggregates per
(plan, lang)."""

import os
import sys

from common import logs, to_int, write


def main(data, out):
    profiles = {}  # user id -> (plan, lang, age)
    with open(os.path.join(data, "profiles.tsv"), encoding="utf-8") as f:
        for line in f:
            user, _, attrs = line.rstrip("\n").split("\t")
            body = attrs[1:-1]
            m = dict(kv.split("#", 1) for kv in body.split(",")) if body else {}
            age = m.get("age")
            profiles[to_int(user)] = (m.get("plan"), m.get("lang"), to_int(age) if age else None)
    groups = {}  # (plan, lang) -> [visits, age sum, age count, min, max, bytes, errors]
    for user, size, status in logs(data, ("user_id", "bytes", "status")):
        if user is None or user not in profiles:
            continue
        plan, lang, age = profiles[user]
        g = groups.get((plan, lang))
        if g is None:
            g = groups[(plan, lang)] = [0, 0, 0, None, None, None, 0]
        g[0] += 1
        if age is not None:
            g[1] += age
            g[2] += 1
            g[3] = age if g[3] is None else min(g[3], age)
            g[4] = age if g[4] is None else max(g[4], age)
        if size is not None:
            g[5] = size if g[5] is None else g[5] + size
        if status is not None and status >= 400:
            g[6] += 1
    rows = [
        (plan, lang, g[0], g[1] / g[2] if g[2] else None, g[3], g[4], g[5], g[6])
        for (plan, lang), g in groups.items()
    ]
    write(out, "q19", rows)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
