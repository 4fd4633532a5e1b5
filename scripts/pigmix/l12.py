"""L12 in plain Python: one pass, three outputs (best revenue per user with a query term;
time per term of the rows without a user; rows per action with a user but no term)."""

import glob
import os
import sys


def lines(data, table):
    for path in sorted(glob.glob(os.path.join(data, table, "part-*"))):
        with open(path) as f:
            yield from f


def write(out, name, rows):
    os.makedirs(os.path.join(out, name))
    with open(os.path.join(out, name, "part-00000"), "w") as f:
        for key, value in rows:
            f.write(f"{'' if key is None else key}\t{'' if value is None else value}\n")


def main(data, out):
    best, spent, per_action = {}, {}, {}
    for line in lines(data, "page_views"):
        user, action, timespent, term, _, _, revenue, _ = line.split("\t", 7)
        if not user:
            spent[term] = spent.get(term, 0) + int(timespent)
        elif term:
            value = float(revenue) if revenue else None
            old = best.get(user)
            if old is None or (value is not None and value > old):
                best[user] = value
        else:
            per_action[action] = per_action.get(action, 0) + 1
    write(
        out,
        "highest_value_page_per_user",
        ((u, None if v is None else repr(v)) for u, v in best.items()),
    )
    write(out, "total_timespent_per_term", ((t or None, n) for t, n in spent.items()))
    write(out, "queries_per_action", per_action.items())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
