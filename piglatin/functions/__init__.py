"""Pig's builtin functions (`builtins`: eval, aggregate with their algebraic parts, string,
math, datetime, bag and tuple functions; `javaformat` for SPRINTF, `statistics` for COR/COV,
`bloom` for BuildBloom/Bloom, `invokers` for InvokeFor*, `taskcontext` for UniqueID's task
index), Pig's JSON schema documents (`resourceschema`) and the decorators Python UDF files use
(`udf`).

Owns: what each function computes, per value. Must not touch: plans or jobs; the only files
read here are the filter a Bloom('file') names and a stored `.pig_schema` (`resourceschema`).
"""
