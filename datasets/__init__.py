"""datasets — deterministic data generators (NCBO-like annotation/relation tables, text corpora).

Owns: generating reproducible inputs for tests, examples and benchmarks, to any fsspec URL.
Must not touch: the runtime's internals; generators write through fsspec only.
"""
