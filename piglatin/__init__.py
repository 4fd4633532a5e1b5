"""piglatin — Pig Latin: grammar, parser, logical plan, optimizer, physical plan, MR compiler.

Owns: turning Pig Latin text into a chain of MapReduce jobs and running it, the builtin
functions, the `pig` command and the grunt shell.
Must not touch: mapred's or dfs's internals; it uses their public APIs only.
"""
