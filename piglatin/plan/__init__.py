"""Logical plans and their optimizer.

Owns: the logical operators and typed expressions (`logical`), and the rules that rewrite a
plan before it runs (`optimizer`, `rules/`: filter push-up, FOREACH merging, LIMIT moving,
column pruning). Must not touch: parsing (`front`) or physical execution (`back`).
"""
