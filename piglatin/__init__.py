"""piglatin — Pig Latin on minihadoop, in stages a reader can follow:

    errors      PigError and its kinds (used by every stage)
    model/      Pig's values, types and schemas
    functions/  builtin functions and the Python UDF decorators
    plan/       the logical plan and the optimizer's rules
    front/      text -> AST -> logical plan (preprocess, grammar, parser, builder)
    back/       logical plan -> MapReduce jobs, and what runs in their tasks
    commands/   fs/sh/exec/run/set/pwd/help statements (and a local client for fs)
    launcher    sessions: run a script, DUMP, STORE, EXPLAIN (`PigServer`, `run_script`)
    tools/      the `pig` command and the Grunt shell

A module imports only from the lines above its own (no import cycles; tests check it).
Must not touch: mapred's or dfs's internals; it uses their public APIs only.
"""
