"""Q12 in plain Python: words longer than 3 characters of the lower-cased notes per category
(TOKENIZE splits on space, double quote, comma, parentheses and star)."""

import re
import sys
from collections import Counter

from common import sales, write

DELIMITERS = re.compile(r'[ ",()*]+')


def main(data, out):
    counts = Counter()
    for cat, notes in sales(data, ("category", "notes")):
        if notes is None:
            continue
        for word in DELIMITERS.split(notes.lower()):
            if len(word) > 3:
                counts[(cat, word)] += 1
    write(out, "q12", ((*k, n) for k, n in counts.items()))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
