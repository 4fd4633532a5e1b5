"""L13 in plain Python: every page view with its power user's phone, or nulls (left outer)."""

import glob
import os
import sys


def lines(data, table):
    for path in sorted(glob.glob(os.path.join(data, table, "part-*"))):
        with open(path) as f:
            yield from f


def main(data, out):
    phones = {}
    for line in lines(data, "power_users_samples"):
        name, phone, _ = line.split("\t", 2)
        phones.setdefault(name, []).append(phone)
    os.makedirs(os.path.join(out, "L13out"))
    with open(os.path.join(out, "L13out", "part-00000"), "w") as f:
        for line in lines(data, "page_views"):
            fields = line.split("\t", 7)
            user, revenue = fields[0], fields[6]
            matches = phones.get(user) if user else None
            if matches:
                for phone in matches:
                    f.write(f"{user}\t{revenue}\t{user}\t{phone}\n")
            else:
                f.write(f"{user}\t{revenue}\t\t\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
