"""Q16 in plain Python: one pass over the log writing four overlapping outputs."""

import re
import sys

from common import logs, write

BOTS = re.compile(".*(bot|curl|python).*")
CLIENT = re.compile("([A-Za-z-]+)/")


def main(data, out):
    static, errors, search, bots = [], [], [], []
    columns = ("ip", "url", "status", "bytes", "agent")
    for ip, url, status, size, agent in logs(data, columns):
        if url.startswith("/static/"):
            static.append((ip, url[8:], size))
        if status is not None and status >= 400:
            errors.append((status, url, 0 if size is None else size))
        if url.startswith("/search"):
            search.append((ip, url[url.find("=") + 1 :].lower()))
        if BOTS.fullmatch(agent.lower()):
            m = CLIENT.search(agent)
            bots.append((ip, m.group(1) if m else None, status))
    write(out, "static", static)
    write(out, "errors", errors)
    write(out, "search", search)
    write(out, "bots", bots)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
