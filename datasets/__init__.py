"""datasets — deterministic data generators (NCBO-like annotation/relation tables, text corpora).

Owns: generating reproducible inputs for tests, examples and benchmarks, to any fsspec URL.
Must not touch: the runtime's internals; generators write through fsspec only.
"""

from datasets.ncbo import expected_sizes, generate_ncbo  # noqa: E402
from datasets.text import generate_text  # noqa: E402

__all__ = ["expected_sizes", "generate_ncbo", "generate_text"]
