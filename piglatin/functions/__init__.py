"""Pig's builtin functions (`builtins`: eval, aggregate with their algebraic parts, string,
math, datetime, bag and tuple functions) and the decorators Python UDF files use (`udf`).

Owns: what each function computes, per value. Must not touch: plans, jobs or files.
"""
