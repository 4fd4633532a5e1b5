"""Q29 in plain Python: the string functions as str methods and re."""

import re
import sys

from common import logs, write

AGENT = re.compile("([A-Za-z-]+)/([0-9]+).*")
SECTION = re.compile("^/([a-z]+)")
HOST = re.compile("https?://([^/]+)/")


def main(data, out):
    counts = {}
    for url, agent, referrer in logs(data, ("url", "agent", "referrer")):
        if url.startswith("/static/") or url.endswith("/cart"):
            continue
        m = AGENT.fullmatch(agent)
        client, major = (m.group(1), m.group(2)) if m else (None, None)
        path = url.split("?", 1)[0]
        name = client.lower()
        client = f"{name[:1].upper() + name[1:]}/{int(major)}"
        s = SECTION.search(path)
        depth = "top" if path.rfind("/") == 0 else "deep"
        if referrer == "-":
            source = "direct"
        else:
            h = HOST.search(referrer)
            source = h.group(1) if h else None
        key = (client, s.group(1) if s else None, depth, source)
        counts[key] = counts.get(key, 0) + 1
    write(out, "q29", ((*k, n) for k, n in counts.items()))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
