"""L3 in plain Python: revenue per user, for users in the users table (SUM of nulls is null)."""

import glob
import os
import sys


def lines(data, table):
    for path in sorted(glob.glob(os.path.join(data, table, "part-*"))):
        with open(path) as f:
            yield from f


def main(data, out):
    names = {}
    for line in lines(data, "users"):
        name = line.split("\t", 1)[0]
        names[name] = names.get(name, 0) + 1
    sums = {}
    for line in lines(data, "page_views"):
        fields = line.split("\t", 7)
        user, revenue = fields[0], fields[6]
        if user and user in names:
            value = float(revenue) if revenue else None
            old = sums.get(user)
            if value is not None:
                value *= names[user]
                sums[user] = value if old is None else old + value
            elif user not in sums:
                sums[user] = None
    os.makedirs(os.path.join(out, "L3out"))
    with open(os.path.join(out, "L3out", "part-00000"), "w") as f:
        for user, total in sums.items():
            f.write(f"{user}\t{'' if total is None else repr(total)}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
