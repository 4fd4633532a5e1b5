"""The back end: a logical plan to MapReduce jobs, and what runs inside their tasks.

Owns: job boundaries (`mrcompiler`), the per-record code of a task (`physical` closures,
`exprs`, and `codegen`, which generates one function per map pipeline), the job class a task
imports (`runtime`), map/reduce sides of GROUP, JOIN, ORDER, DISTINCT (`reducers`,
`aggregates`, `mapjoins`; CROSS over several reducers or in a map side: `crossgrid`, which
of the two: `crosschoice`), STREAM's commands
(`streaming`), bags that spill (`spillbag`, `bagusage`), load/store functions (`storage`; the
files a STORE writes beside its parts: `storemeta`), and the texts EXPLAIN/ILLUSTRATE and the
job summary show (`explain`, `explainopts`, `illustrate`, `jobstats`). Must not touch: parsing
(`front`), the optimizer's rules (`plan`), sessions and the command line (`launcher`, `tools`).
Runs on `mapred` only through its public API.
"""
