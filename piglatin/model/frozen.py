"""`frozen_dataclass`, the decorator of piglatin's immutable classes (the syntax tree, the logical
plan, the job specs): ``@dataclass(frozen=True, slots=True)`` (or, with ``slots=False``,
``@dataclass(frozen=True)``) built without compiling anything per class at import time.

Owns: nothing but this name. The decorator is `dfs.fastclass.frozen_dataclass` (dfs is the bottom
package, so mapred's and dfs's own classes share the same fast build and code cache); see that
module for what is shared instead of compiled and when the standard library builds the class.

>>> @frozen_dataclass
... class Pair:
...     a: int
...     b: str = "x"
>>> Pair(1) == Pair(1, "x"), hash(Pair(1)) == hash((1, "x")), Pair(1)
(True, True, Pair(a=1, b='x'))
"""

from __future__ import annotations

from dfs.fastclass import frozen_dataclass

__all__ = ["frozen_dataclass"]
