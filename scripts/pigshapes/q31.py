"""Q31 in plain Python: Java's float emulated with struct (round to single precision after
every float operation); a float value is written as Float.toString (the shortest digits that
give the same float, laid out as Java does: positional in [1e-3, 1e7) with at least one
digit after the point, 500.0 not 5e+02; else 1.0E7), a double as repr."""

import struct
import sys

from common import sales, write


class F32(float):
    """A float column's value: written as Java's Float.toString writes it."""

    def __str__(self) -> str:
        for digits in range(1, 10):  # the fewest significant digits that read back as self
            text = f"{abs(self):.{digits - 1}e}"
            if f32(float(text)) == abs(self):
                break
        mantissa, exp = text.split("e")
        ds, sci = mantissa.replace(".", "").rstrip("0") or "0", int(exp)
        sign = "-" if self < 0 else ""
        if not -3 <= sci < 7:  # Java: scientific outside [1e-3, 1e7), e.g. 1.0E7
            return f"{sign}{ds[0]}.{ds[1:] or '0'}E{sci}"
        if sci < 0:
            return f"{sign}0.{'0' * (-sci - 1)}{ds}"
        whole = ds[: sci + 1].ljust(sci + 1, "0")
        return f"{sign}{whole}.{ds[sci + 1 :] or '0'}"


def f32(x):
    return None if x is None else F32(struct.unpack("f", struct.pack("f", x))[0])


def main(data, out):
    columns = ("order_id", "category", "quantity", "unit_price", "weight_kg")
    groups = {}  # category -> [gross sum, heaviest, price sum, price count, min, max]
    rows = []
    for oid, cat, qty, price, weight in sales(data, columns):
        price, weight = f32(price), f32(weight)
        gross = None if qty is None or price is None else f32(qty * price)
        packed = None if weight is None else f32(weight + 0.5)
        g = groups.get(cat)
        if g is None:
            g = groups[cat] = [None, None, 0.0, 0, None, None]
        if gross is not None:
            g[0] = float(gross) if g[0] is None else g[0] + gross
        if packed is not None and (g[1] is None or packed > g[1]):
            g[1] = packed
        if price is not None:
            g[2] += price
            g[3] += 1
            g[4] = price if g[4] is None or price < g[4] else g[4]
            g[5] = price if g[5] is None or price > g[5] else g[5]
        if oid is not None and oid % 1000 == 0:
            rows.append((oid, gross, packed, None if price is None else float(price), price))
    write(
        out,
        "q31",
        (
            (
                cat,
                g[0],
                g[1],
                g[2] / g[3] if g[3] else None,
                None if g[4] is None else float(g[4]),
                g[5],
            )
            for cat, g in groups.items()
        ),
    )
    write(out, "q31rows", rows)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
